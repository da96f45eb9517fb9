"""The campaign dashboard's forms: create, basic information, and the decision preview.

The forms check what a person can get wrong in a browser (a missing title, a negative
priority); services.py checks everything again, and what it refuses comes back onto the
form through `add_problems`, next to the field it names.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kairos.boundary.forms import BoundaryForm, JsonField
from kairos.campaigns import services
from kairos.errors import Problems
from kairos.languages import CHOICES as LANGUAGE_CHOICES
from kairos.languages import CODES as LOCALES
from kairos.languages import NAMES as LOCALE_NAMES
from kairos.languages import SIDE_BY_SIDE as LOCALES_SIDE_BY_SIDE
from kairos.questionnaires.models import Stage
from kairos.segments.models import Segment

MAX_PRIORITY = 1_000_000
# Where a service's field name differs from the form's.
CAMPAIGN_ALIASES = {
    "segment_ids": "segments",
    "frequency_cap": "cap_days",
    "frequency_cap.days": "cap_days",
    "frequency_cap.hours": "cap_hours",
    "frequency_cap.minutes": "cap_minutes",
    "frequency_cap_minutes": "cap_days",
}
WHY_ALIASES = {
    "response_id": "response",
    "answers.nps": "nps",
    "metadata.questionnaire.store_id": "store_id",
    "metadata.questionnaire.amount": "amount",
    "metadata.responder.email": "email",
    "metadata.responder.phone_number": "phone_number",
    "metadata.responder.customer_id": "customer_id",
}


def add_problems(form, problems, aliases=None):
    """Put each (field, message) a service refused on the form field it names.

    A name the form has no field for becomes a form-wide error that still names it, so
    nothing a service said is ever lost."""
    for name, message in problems:
        field = form_field_for(form, name, aliases or {})
        text = message[:1].upper() + message[1:]
        form.add_error(field, text if field else f"{name}: {message}")


def form_field_for(form, name, aliases):
    dotted = name.replace(".", "__")
    # Answers a typed preview could not accept belong to the answers box.
    prefix = name.split(".")[0]
    candidates = [aliases.get(name), name, dotted, f"{dotted}__en", prefix]
    return next((c for c in candidates if c and c in form.fields), None)


def call_reporting_problems(form, call, *args, aliases=None):
    """call(*args), or None with its Problems added to the form."""
    try:
        return call(*args)
    except Problems as problems:
        add_problems(form, problems.problems, aliases)
        return None


STATUS_LABELS = {
    "live": _("live"), "scheduled": _("scheduled"), "ended": _("ended"),
    "inactive": _("inactive"), "silenced": _("silenced"), "archived": _("archived"),
}
SORTS = [("priority", _("Priority")), ("title", _("Title")), ("created", _("Newest first")),
         ("engagement", _("Engagement rate"))]


class CampaignFilterForm(BoundaryForm, forms.Form):
    """My campaigns' filters; archived campaigns appear only when asked for."""

    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any but archived")), *STATUS_LABELS.items()])
    type = forms.ChoiceField(label=_("Type"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, campaign_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Any type")),
                                       *((t.id, t.name) for t in campaign_types)]


class SegmentChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, organization, **kwargs):
        queryset = (Segment.objects.filter(organization=organization)
                    .select_related("questionnaire").order_by("name", "id"))
        super().__init__(
            queryset, label=_("Segments"), widget=forms.CheckboxSelectMultiple,
            help_text=_("A customer in any of the selected segments can see this campaign "
                        "(several segments are combined with OR)."),
            error_messages={"required": _("Choose at least one segment.")}, **kwargs)


def active_field():
    return forms.BooleanField(
        label=_("Active"), required=False,
        help_text=_("Only active campaigns are shown to customers."),
        widget=forms.CheckboxInput(attrs={"role": "switch", "class": "switch"}))


class CampaignCreateForm(BoundaryForm, forms.Form):
    """Step one: who sees it, what it is called, whether it runs. The rest has defaults."""

    title = forms.CharField(
        label=_("Title"), max_length=200,
        help_text=_("Convention: segment and journey stage, e.g. “Detractors — checkout”."),
        widget=forms.TextInput(attrs={"data-title": ""}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"] = SegmentChoiceField(organization)
        self.fields["active"] = active_field()
        self.order_fields(["segments", "title", "active"])

    def segment_ids(self):
        return [segment.pk for segment in self.cleaned_data["segments"]]


class CampaignForm(BoundaryForm, forms.Form):
    """The basic information of a campaign, and its content in every language."""

    # No data-title here: a running campaign's name is never rewritten by the suggestion.
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day it may be shown, in the shop's time zone."))
    end_date = forms.DateField(
        label=_("End date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the last day it may be shown. Empty: no time limit."))
    cap_days = forms.IntegerField(label=_("Days"), min_value=0, max_value=366, required=False,
                                  widget=forms.NumberInput(attrs={"class": "cap"}))
    cap_hours = forms.IntegerField(label=_("Hours"), min_value=0, required=False,
                                   widget=forms.NumberInput(attrs={"class": "cap"}))
    cap_minutes = forms.IntegerField(label=_("Minutes"), min_value=0, required=False,
                                     widget=forms.NumberInput(attrs={"class": "cap"}))
    priority = forms.IntegerField(
        label=_("Priority"), min_value=0, max_value=MAX_PRIORITY,
        help_text=_("A whole number, 0 or more. 0 is the highest: when several campaigns "
                    "could be shown to a customer, the lowest number wins."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown only to customers answering in these languages. None: all."))

    def __init__(self, *args, campaign, read_only=False, **kwargs):
        kwargs.setdefault("initial", initial_values(campaign))
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["segments"] = SegmentChoiceField(campaign.organization)
        self.fields["active"] = active_field()
        self.order_fields(["title", "segments", "active"])
        self.content_fields = add_content_fields(self, campaign.campaign_type)
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        parts = {part: cleaned.get(f"cap_{part}") or 0 for part in ("days", "hours", "minutes")}
        if not any(f"cap_{part}" in self.errors for part in parts):
            cleaned["frequency_cap_minutes"] = call_reporting_problems(
                self, services.cap_minutes, parts, aliases=CAMPAIGN_ALIASES)
        return cleaned

    def changes(self):
        """The campaign's new values, as services.update_campaign takes them."""
        data = self.cleaned_data
        names = ("title", "active", "start_date", "end_date", "frequency_cap_minutes",
                 "priority", "languages")
        changes = {name: data[name] for name in names}
        # Keep content the form does not show (a field a type dropped, say) as it was.
        changes["content"] = {**self.campaign.content, **self.content()}
        return changes

    def content(self):
        values = {}
        for spec in self.campaign.campaign_type.fields:
            if spec.localized:
                values[spec.name] = {locale: self.cleaned_data[content_name(spec, locale)]
                                     for locale in LOCALES}
            else:
                values[spec.name] = self.cleaned_data[content_name(spec)]
        return values

    def segment_ids(self):
        return [segment.pk for segment in self.cleaned_data["segments"]]

    def cap_fields(self):
        return [self[name] for name in ("cap_days", "cap_hours", "cap_minutes")]


def initial_values(campaign):
    cap = services.cap_parts(campaign.frequency_cap_minutes)
    initial = {
        "title": campaign.title, "active": campaign.active,
        "segments": [segment.pk for segment in campaign.segments.all()],
        "start_date": campaign.start_date, "end_date": campaign.end_date,
        "cap_days": cap["days"], "cap_hours": cap["hours"], "cap_minutes": cap["minutes"],
        "priority": campaign.priority, "languages": list(campaign.languages),
    }
    content = {**campaign.campaign_type.default_content(), **campaign.content}
    for spec in campaign.campaign_type.fields:
        value = content.get(spec.name, "")
        if spec.localized:
            for locale in LOCALES:
                text = value.get(locale, "") if isinstance(value, dict) else value
                initial[content_name(spec, locale)] = text
        else:
            initial[content_name(spec)] = value
    return initial


def content_name(spec, locale=None):
    """content__headline__en: the form field of one content field in one language."""
    return f"content__{spec.name}__{locale}" if locale else f"content__{spec.name}"


def add_content_fields(form, campaign_type):
    """One input per content field (two, English and Greek, for localised ones).

    Returns [(spec, [bound fields])] for the template, in the type's order."""
    rows = []
    for spec in campaign_type.fields:
        locales = LOCALES_SIDE_BY_SIDE if spec.localized else (None,)
        for locale in locales:
            form.fields[content_name(spec, locale)] = content_field(spec, locale)
        rows.append((spec, [form[content_name(spec, locale)] for locale in locales]))
    return rows


def content_field(spec, locale):
    label = f"{spec.label} ({LOCALE_NAMES[locale]})" if locale else spec.label
    attrs = {"data-content-field": spec.name, "data-locale": locale or ""}
    if locale:
        attrs["lang"] = locale
    if spec.kind == "choice":
        return forms.ChoiceField(label=label, choices=[(c, c) for c in spec.choices],
                                 required=False, help_text=spec.help,
                                 widget=forms.Select(attrs=attrs))
    widget = (forms.Textarea(attrs={**attrs, "rows": 3}) if spec.kind == "textarea"
              else forms.TextInput(attrs={**attrs, "type": "url" if spec.kind == "url"
                                          else "text"}))
    # Required-ness is the type's rule (either language will do): services checks it.
    return forms.CharField(label=label, required=False, strip=True, help_text=spec.help,
                           widget=widget)


class AnswersField(JsonField):
    def prepare_value(self, value):
        # Left empty, the box stays empty rather than saying "null".
        return "" if value is None else super().prepare_value(value)


class DecisionPreviewForm(BoundaryForm, forms.Form):
    """“Why did this customer see…?”: a stored response, or one typed in here."""

    response = forms.UUIDField(
        label=_("Stored response id"), required=False,
        help_text=_("Replays a response as it was at the moment it was submitted. Leave "
                    "empty to type a response below."))
    stage = forms.ChoiceField(label=_("Journey stage"), choices=Stage.choices,
                              initial=Stage.CHECKOUT, required=False)
    locale = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    nps = forms.IntegerField(label=_("NPS (0–10)"), min_value=0, max_value=10, required=False)
    answers = AnswersField(
        label=_("Other answers (JSON)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_('By question key, e.g. {"rating": 4, "comment": "late"}.'))
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    phone_number = forms.CharField(label=_("Phone number"), required=False, max_length=32)
    customer_id = forms.CharField(label=_("Customer id"), required=False, max_length=100)
    device_id = forms.CharField(label=_("Device id"), required=False, max_length=100)
    store_id = forms.CharField(label=_("Store"), required=False, max_length=100)
    amount = forms.FloatField(label=_("Amount"), required=False, min_value=0)
    at = forms.DateTimeField(
        label=_("At"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Shop time. Empty: now (a stored response: when it was submitted)."))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].initial = organization.default_language

    def clean_answers(self):
        answers = self.cleaned_data.get("answers")
        if answers in (None, ""):
            return {}
        if not isinstance(answers, dict):
            raise forms.ValidationError(_('Write the answers as an object, e.g. {"nps": 3}.'))
        return answers

    def body(self):
        """What preview.preview_decision takes, as the API would send it."""
        data = self.cleaned_data
        if data["response"]:
            return {"response_id": str(data["response"]), "at": data["at"]}
        answers = dict(data["answers"])
        if data["nps"] is not None:
            answers["nps"] = data["nps"]
        order = {"store_id": data["store_id"], "amount": data["amount"]}
        customer = {name: data[name] for name in ("email", "phone_number", "customer_id")}
        return {
            "stage": data["stage"] or Stage.CHECKOUT, "locale": data["locale"] or None,
            "device_id": data["device_id"], "answers": answers, "at": data["at"],
            "metadata": {"questionnaire": without_empty(order),
                         "responder": without_empty(customer)},
        }


def without_empty(values):
    return {name: value for name, value in values.items() if value not in (None, "")}
