"""The campaign dashboard's forms: create, basic information, and the decision preview.

The forms check what a person can get wrong in a browser (a missing title, a negative
priority); services.py checks everything again, and what it refuses comes back onto the
form through `add_problems`, next to the field it names.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import MAX_RETENTION_MONTHS
from kairos.boundary.forms import BoundaryForm, JsonField
from kairos.campaigns import services
from kairos.campaigns.customer_lookup import latest_response
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.engine.business_hours import WEEKDAYS
from kairos.errors import Problems
from kairos.languages import CHOICES as LANGUAGE_CHOICES
from kairos.languages import CODES as LOCALES
from kairos.languages import NAMES as LOCALE_NAMES
from kairos.languages import SIDE_BY_SIDE as LOCALES_SIDE_BY_SIDE
from kairos.questionnaires.models import Stage
from kairos.segments.models import Segment

MAX_PRIORITY = services.MAX_PRIORITY
# Where a service's field name differs from the form's.
CAMPAIGN_ALIASES = {
    **{f"callback_hours.{day}": f"hours_{day}_opens" for day in WEEKDAYS},
    "callback_hours": "hours_mon_opens",
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
    "live": _("live"), "never_shown": _("never shown"), "scheduled": _("scheduled"),
    "ended": _("ended"), "inactive": _("inactive"), "silenced": _("silenced"),
    "archived": _("archived"),
}
WEEKDAY_NAMES = {"mon": _("Monday"), "tue": _("Tuesday"), "wed": _("Wednesday"),
                 "thu": _("Thursday"), "fri": _("Friday"), "sat": _("Saturday"),
                 "sun": _("Sunday")}
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


def priority_field(**kwargs):
    return forms.IntegerField(
        label=_("Priority"), min_value=0, max_value=MAX_PRIORITY,
        help_text=_("A whole number, 0 or more. 0 is the highest: when several campaigns "
                    "could be shown to a customer, the lowest number wins."), **kwargs)


class CampaignCreateForm(BoundaryForm, forms.Form):
    """Step one: who sees it, what it is called, its priority, whether it runs. The rest
    has defaults."""

    title = forms.CharField(
        label=_("Title"), max_length=200,
        help_text=_("Convention: segment and journey stage, e.g. “Detractors — checkout”."),
        widget=forms.TextInput(attrs={"data-title": ""}))
    priority = priority_field(
        required=False, widget=forms.NumberInput(attrs={"data-priority": ""}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"] = SegmentChoiceField(organization)
        self.fields["active"] = active_field()
        self.fields["priority"].help_text = _(
            "0 is the highest: when several campaigns could be shown to a customer, the "
            "lowest number wins. Suggested: after the shop's campaigns for the same segments.")
        self.order_fields(["segments", "title", "priority", "active"])

    def segment_ids(self):
        return [segment.pk for segment in self.cleaned_data["segments"]]


class ConflictCheckForm(BoundaryForm, forms.Form):
    """What the create form's live conflict check is asked about (campaigns.js)."""

    priority = forms.IntegerField(label=_("Priority"), min_value=0, max_value=MAX_PRIORITY,
                                  required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"] = SegmentChoiceField(organization, required=False)


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
    priority = priority_field()
    holdout_percent = forms.IntegerField(
        label=_("Holdout (control group), %"), min_value=0, required=False,
        max_value=services.MAX_HOLDOUT_PERCENT,
        help_text=_("This share of the customers who would see the campaign see nothing "
                    "instead: they are its control group, so a report can measure what the "
                    "campaign changes. Each customer always lands in the same group. A change "
                    "is recorded in the history. 0: no holdout."))
    budget_exempt = forms.BooleanField(
        label=_("Exempt from the shop's contact budget"), required=False,
        help_text=_("Neither counted nor stopped by it: only its own frequency cap applies."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown only to customers answering in these languages. None: all."))
    retention_months = forms.IntegerField(
        label=_("Retention (months)"), required=False, min_value=1,
        max_value=MAX_RETENTION_MONTHS,
        help_text=_("What this campaign collects (impressions, actions, callback requests) "
                    "is pseudonymised after this many months. Empty: the shop's retention."))

    def __init__(self, *args, campaign, read_only=False, **kwargs):
        kwargs.setdefault("initial", initial_values(campaign))
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["segments"] = SegmentChoiceField(campaign.organization)
        self.fields["active"] = active_field()
        self.order_fields(["title", "segments", "active"])
        self.content_fields = add_content_fields(self, campaign.campaign_type)
        if campaign.campaign_type.offers_callbacks:
            add_callback_fields(self)
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
                 "priority", "languages", "holdout_percent", "budget_exempt",
                 "retention_months")
        changes = {name: data[name] for name in names}
        changes["holdout_percent"] = data["holdout_percent"] or 0  # left empty: none
        if self.campaign.campaign_type.offers_callbacks:
            changes["max_open_callbacks"] = data["max_open_callbacks"]
            changes["callback_hours"] = self.callback_hours()
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

    def callback_hours(self):
        """{"mon": ["09:00", "17:00"], …} from the day rows; None when every day is empty
        (offered at any time). A day closing at 00:00 closes at midnight."""
        week = {}
        for day in WEEKDAYS:
            opens, closes = (self.cleaned_data.get(f"hours_{day}_{end}")
                             for end in ("opens", "closes"))
            if opens is None and closes is None:
                continue
            week[day] = [clock(opens), "24:00" if closes and not (closes.hour or
                                                                   closes.minute) else
                         clock(closes)]
        return week or None

    def hour_rows(self):
        return [(WEEKDAY_NAMES[day], self[f"hours_{day}_opens"], self[f"hours_{day}_closes"])
                for day in WEEKDAYS]


def clock(value):
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def add_callback_fields(form):
    """The call centre's capacity and hours, on callback campaigns only."""
    form.fields["max_open_callbacks"] = forms.IntegerField(
        label=_("At most this many open callback requests"), required=False, min_value=1,
        max_value=services.MAX_OPEN_CALLBACKS,
        help_text=_("While the shop has this many requests open (new or in progress, from "
                    "any campaign), the campaign is not offered and the next-best one shows. "
                    "Empty: no limit."))
    for day in WEEKDAYS:
        for end, label in (("opens", _("From")), ("closes", _("To"))):
            form.fields[f"hours_{day}_{end}"] = forms.TimeField(
                label=f"{WEEKDAY_NAMES[day]}: {label}", required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


def initial_values(campaign):
    cap = services.cap_parts(campaign.frequency_cap_minutes)
    initial = {
        "title": campaign.title, "active": campaign.active,
        "segments": [segment.pk for segment in campaign.segments.all()],
        "start_date": campaign.start_date, "end_date": campaign.end_date,
        "cap_days": cap["days"], "cap_hours": cap["hours"], "cap_minutes": cap["minutes"],
        "priority": campaign.priority, "languages": list(campaign.languages),
        "holdout_percent": campaign.holdout_percent, "budget_exempt": campaign.budget_exempt,
        "max_open_callbacks": campaign.max_open_callbacks,
        "retention_months": campaign.retention_months,
    }
    for day, interval in (campaign.callback_hours or {}).items():
        if interval:
            initial[f"hours_{day}_opens"] = interval[0]
            initial[f"hours_{day}_closes"] = "00:00" if interval[1] == "24:00" else interval[1]
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
    """“Why did this customer see…?”: a customer's latest response (found by e-mail,
    phone or order id), a stored response by its id, or one typed in here."""

    customer = forms.CharField(
        label=_("E-mail, phone or order id"), required=False, max_length=254,
        help_text=_("Replays this customer's latest response in the shop."))
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
        self.organization = organization
        self.fields["locale"].initial = organization.default_language
        self.found = None  # the customer's latest response, when looked up by customer

    def clean(self):
        data = super().clean()
        typed = (data.get("customer") or "").strip()
        if typed and not data.get("response"):
            self.found = latest_response(self.organization, typed)
            if self.found is None:
                self.add_error("customer", _(
                    "No response in this shop has this e-mail, phone number or order id."))
            else:
                data["response"] = self.found.response.pk
        return data

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


class ContactBudgetForm(BoundaryForm, forms.Form):
    """The shop's contact budget, on its own page (campaigns/views/budget.py)."""

    enabled = forms.BooleanField(
        label=_("Limit how many campaigns one customer sees"), required=False,
        widget=forms.CheckboxInput(attrs={"role": "switch", "class": "switch"}))
    campaigns = forms.IntegerField(label=_("At most this many campaigns"), min_value=1,
                                   max_value=100, required=False)
    period = forms.IntegerField(label=_("per"), min_value=1, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("days", _("calendar days")),
                                                       ("hours", _("hours"))])
    exempt_types = forms.MultipleChoiceField(
        label=_("Exempt campaign types"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Campaigns of these types neither count nor are stopped by the budget."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exempt_types"].choices = [(t.id, t.name) for t in CAMPAIGN_TYPES.values()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("enabled"):
            for name in ("campaigns", "period"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Required while the budget is on."))
        return cleaned

    def budget(self):
        """As campaigns.budget.clean_contact_budget takes it (None: no budget)."""
        data = self.cleaned_data
        if not data["enabled"]:
            return None
        days = data["period"] if data["unit"] == "days" else 0
        return {"campaigns": data["campaigns"], "days": days,
                "hours": data["period"] if data["unit"] == "hours" else 0,
                "exempt_types": data["exempt_types"]}


def budget_initial(stored):
    if not stored:
        return {"enabled": False, "campaigns": 2, "period": 7, "unit": "days"}
    unit = "days" if stored["days"] else "hours"
    return {"enabled": True, "campaigns": stored["campaigns"], "period": stored[unit],
            "unit": unit, "exempt_types": stored.get("exempt_types", [])}
