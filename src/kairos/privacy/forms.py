from django import forms
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import MAX_RETENTION_MONTHS
from kairos.boundary.forms import BoundaryForm
from kairos.privacy.customers import MAX_IDENTITY_LENGTH


class PrivacySettingsForm(BoundaryForm, forms.Form):
    """The shop's retention and its own personal fields, saved through shop/services.py
    (the same rules and permissions as PATCH /api/v1/shop)."""

    retention_months = forms.IntegerField(
        label=_("Retention (months)"), required=False, min_value=1,
        max_value=MAX_RETENTION_MONTHS,
        help_text=_("Personal data older than this is replaced by a one-way pseudonym; "
                    "statistics stay the same. Empty: kept until erased."))
    personal_fields = forms.CharField(
        label=_("Your own personal fields"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. responder.address: masked for Reporting users "
                    "and pseudonymised with the e-mail, phone, name and customer id."))

    def clean_personal_fields(self):
        return [line.strip() for line in self.cleaned_data["personal_fields"].splitlines()
                if line.strip()]

    def add_problems(self, problems):
        for field, message in problems.problems:
            self.add_error(field if field in self.fields else None, message)


class CustomerForm(BoundaryForm, forms.Form):
    identity = forms.CharField(
        label=_("E-mail, phone number or customer id"), max_length=MAX_IDENTITY_LENGTH)
