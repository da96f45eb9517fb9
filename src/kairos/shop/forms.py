"""The dashboard's forms for the callbacks settings: the SLA (a number of business hours
and the hours of each weekday, chosen with pickers) and the shop's own statuses. The
values are checked again by the same rules as /api/v1/shop and /api/v1/callback-statuses
(shop/sections.py, callbacks/services.py)."""

import datetime

from django import forms
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from kairos.boundary.forms import BoundaryForm
from kairos.callbacks.sla import LIMITS
from kairos.engine.business_hours import WEEKDAYS

TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 60}, format="%H:%M")
MIDNIGHT = datetime.time(0, 0)


class SlaForm(BoundaryForm, forms.Form):
    """`first_contact_hours`, `warn_before_hours`, and per weekday: open? from, to. A day
    that closes at 00:00 closes at midnight (stored as "24:00")."""

    first_contact_hours = forms.IntegerField(
        label=_("First contact within (business hours)"),
        min_value=LIMITS["first_contact_hours"][0], max_value=LIMITS["first_contact_hours"][1],
        help_text=_("Counted in the hours below, in the shop's time zone, skipping the public "
                    "holidays of the shop's country."))
    warn_before_hours = forms.IntegerField(
        label=_("Warn this many hours before a request is due"),
        min_value=LIMITS["warn_before_hours"][0], max_value=LIMITS["warn_before_hours"][1],
        help_text=_("0: never."))

    def __init__(self, *args, sla=None, **kwargs):
        if sla is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(sla)
        super().__init__(*args, **kwargs)
        for index, day in enumerate(WEEKDAYS):
            name = WEEKDAY_NAMES[index]
            self.fields[f"{day}_open"] = forms.BooleanField(label=name, required=False)
            self.fields[f"{day}_opens"] = forms.TimeField(
                label=_("%(day)s: opens") % {"day": name}, required=False, widget=TIME_INPUT)
            self.fields[f"{day}_closes"] = forms.TimeField(
                label=_("%(day)s: closes") % {"day": name}, required=False, widget=TIME_INPUT)

    def days(self):
        """(open, opens, closes) bound fields per weekday, for the template's table."""
        return [(self[f"{day}_open"], self[f"{day}_opens"], self[f"{day}_closes"])
                for day in WEEKDAYS]

    def clean(self):
        cleaned = super().clean()
        for day in WEEKDAYS:
            if not cleaned.get(f"{day}_open"):
                continue
            for end in ("opens", "closes"):
                if cleaned.get(f"{day}_{end}") is None and f"{day}_{end}" not in self.errors:
                    self.add_error(f"{day}_{end}", _("Choose a time for an open day."))
        return cleaned

    def sla(self):
        """The SLA as /api/v1/shop takes it (call after is_valid())."""
        data = self.cleaned_data
        hours = {day: [clock(data[f"{day}_opens"]), clock(data[f"{day}_closes"], closing=True)]
                 if data[f"{day}_open"] else None for day in WEEKDAYS}
        return {"first_contact_hours": data["first_contact_hours"],
                "warn_before_hours": data["warn_before_hours"], "business_hours": hours}

    def field_of(self, problem_field):
        """The form field an SLA problem ("sla.business_hours.mon") belongs to, or None."""
        name = problem_field.removeprefix("sla.")
        if name in self.fields:
            return name
        day = name.removeprefix("business_hours.")
        return f"{day}_closes" if day in WEEKDAYS else None


def initial_from(sla):
    initial = {"first_contact_hours": sla["first_contact_hours"],
               "warn_before_hours": sla["warn_before_hours"]}
    for day in WEEKDAYS:
        hours = sla["business_hours"].get(day)
        initial[f"{day}_open"] = bool(hours)
        if hours:
            initial[f"{day}_opens"] = hours[0]
            initial[f"{day}_closes"] = "00:00" if hours[1] == "24:00" else hours[1]
    return initial


def clock(moment, closing=False):
    if closing and moment == MIDNIGHT:
        return "24:00"
    return moment.strftime("%H:%M")


class StatusForm(BoundaryForm, forms.Form):
    """A status of the shop's own; `key` only when adding one (it never changes)."""

    key = forms.RegexField(label=_("Key"), regex=r"^[a-z0-9_-]+$", max_length=40,
                           help_text=_("Lower-case letters, digits, - and _; it never "
                                       "changes."))
    title = forms.CharField(label=_("Title"), max_length=60)
    colour = forms.RegexField(label=_("Colour"), regex=r"^#[0-9a-fA-F]{6}$", initial="#6b7280",
                              widget=forms.TextInput(attrs={"type": "color"}))
    counts_as_open = forms.BooleanField(label=_("Counts as open (stays in the queue)"),
                                        required=False, initial=True)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000,
                                  initial=0)

    def __init__(self, *args, adding=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["key"]
