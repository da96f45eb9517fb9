from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import (
    KEY_ABOVE_CREATOR,
    ApiKey,
    Organization,
    SiteKey,
    public_rate_limit_help,
)
from kairos.accounts.places import country_choices, time_zone_choices
from kairos.accounts.roles import Role, may_hand_out
from kairos.boundary.forms import BoundaryForm


class OrganizationForm(BoundaryForm, forms.ModelForm):
    """The shop's own settings; country and time zone are picked, never typed."""

    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Days, business hours and reports follow this zone."))

    class Meta:
        model = Organization
        fields = ["name", "country", "time_zone", "default_language", "public_rate_limit"]
        labels = {"name": _("Shop name"), "default_language": _("Default language")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices((get_language() or "en")[:2])
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)
        self.fields["public_rate_limit"].help_text = public_rate_limit_help()

    def clean_country(self):
        return self.cleaned_data["country"].upper()


class SiteKeyForm(BoundaryForm, forms.ModelForm):
    class Meta:
        model = SiteKey
        fields = ["label", "allowed_origins", "active"]
        # The model's field names are not marked for translation: the form's labels are.
        labels = {"label": _("Label"), "allowed_origins": _("Allowed origins"),
                  "active": _("Active")}
        widgets = {"allowed_origins": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"allowed_origins": _("One origin per line, e.g. https://shop.example.com")}

    def clean_allowed_origins(self):
        origins = self.cleaned_data["allowed_origins"].split()
        for origin in origins:
            if not origin.startswith(("http://", "https://")) or origin.count("/") > 3:
                raise forms.ValidationError(
                    _("“%(origin)s” is not an origin like https://shop.example.com"),
                    params={"origin": origin},
                )
        return "\n".join(origin.rstrip("/") for origin in origins)


class ApiKeyForm(BoundaryForm, forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "role"]
        labels = {"name": _("Name"), "role": _("Role")}

    def __init__(self, *args, creator_role, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered only the roles the creator holds at least; a forged choice is refused
        # by the field with its usual message, and by ApiKey.issue behind it.
        self.fields["role"].choices = [(value, label) for value, label in Role.choices
                                       if may_hand_out(creator_role, value)]
        self.fields["role"].error_messages["invalid_choice"] = KEY_ABOVE_CREATOR
        if self.fields["role"].initial not in dict(self.fields["role"].choices):
            self.fields["role"].initial = creator_role


class MemberForm(BoundaryForm, forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CAMPAIGN_MANAGER)

    def __init__(self, *args, may_grant_owner=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant_owner:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()


class RoleForm(BoundaryForm, forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
