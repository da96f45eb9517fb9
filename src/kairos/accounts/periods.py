"""Reporting periods: the one place that turns `from`, `to` or a preset into whole days of
the shop, and finds the period before it to compare with.

Every report (Home, campaign performance, the comparison of campaigns, the callbacks
report, the performance API) chooses its period here, so "last 30 days" and a refused
`from` after `to` mean the same everywhere. Dates are the shop's calendar days;
`span()` turns them into UTC instants through shop_time.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.accounts.shop_time import ONE_DAY, days_span, shop_today
from kairos.boundary.forms import BoundaryForm, sentence
from kairos.boundary.rules import date_problem
from kairos.errors import Problems

MAX_DAYS = 3 * 366  # one row per day in the reports: a period stays a page, not a download
DEFAULT_PRESET = "30d"
PRESETS = {
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "90d": gettext_lazy("Last 90 days"),
    "month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
}


@dataclass(frozen=True)
class Period:
    """Whole days of the shop, both ends included."""

    start: datetime.date
    end: datetime.date
    preset: str = ""  # the preset it came from, "" for dates chosen by hand

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of equal length that ends the day before this one starts."""
        return Period(self.start - datetime.timedelta(days=self.days), self.start - ONE_DAY)

    def dates(self):
        return [self.start + datetime.timedelta(days=n) for n in range(self.days)]

    def span(self, organization):
        """(start, end) instants in UTC: start included, end excluded."""
        return days_span(organization, self.start, self.end)

    def query(self):
        """The query string that chooses this period again (for links and exports)."""
        if self.preset:
            return {"period": self.preset}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def label(self):
        return _("%(start)s – %(end)s") % {"start": date_format(self.start),
                                            "end": date_format(self.end)}


def preset_period(preset, today):
    """The period a preset names, ending today (a month preset: its calendar month)."""
    if preset == "month":
        return Period(today.replace(day=1), today, preset)
    if preset == "last_month":
        end = today.replace(day=1) - ONE_DAY
        return Period(end.replace(day=1), end, preset)
    days = int(preset.removesuffix("d"))
    return Period(today - datetime.timedelta(days=days - 1), today, preset)


def choose(today, preset=None, date_from=None, date_to=None):
    """The period asked for: dates win over a preset; `to` alone ends a 30-day period,
    `from` alone runs to today; nothing at all is the last 30 days. Raises Problems naming
    the field for a preset it does not know, a date out of range, `from` after `to` or a
    period longer than MAX_DAYS."""
    if date_from is None and date_to is None:
        if preset and preset not in PRESETS:
            raise Problems([("period", _("must be one of: %(presets)s")
                             % {"presets": ", ".join(PRESETS)})])
        return preset_period(preset or DEFAULT_PRESET, today)
    check_dates(date_from, date_to)
    date_to = date_to or max(today, date_from)
    date_from = date_from or date_to - datetime.timedelta(days=29)
    if date_from > date_to:
        raise Problems([("from", _("must be on or before 'to'"))])
    if (date_to - date_from).days >= MAX_DAYS:
        raise Problems([("from", _("at most %(days)s days before 'to'") % {"days": MAX_DAYS})])
    return Period(date_from, date_to)


def check_dates(*fields):
    found = [(name, date_problem(day)) for name, day in zip(("from", "to"), fields, strict=True)
             if day is not None]
    problems = [(name, problem) for name, problem in found if problem]
    if problems:
        raise Problems(problems)


class PeriodForm(BoundaryForm, forms.Form):
    """The period picker of every report page: a preset, or dates from and to."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, data, *, organization):
        super().__init__(data)
        self.today = shop_today(organization)
        self.fields["period"].choices = [("", gettext_lazy("Custom dates")), *PRESETS.items()]
        self.fields["from"] = forms.DateField(label=gettext_lazy("From"), required=False,
                                              widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["to"] = forms.DateField(label=gettext_lazy("To"), required=False,
                                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.period = choose(self.today, data.get("period"), data.get("from"),
                                 data.get("to"))
        except Problems as problems:
            for field, message in problems.problems:
                self.add_error(field, sentence(message))
        return data


def period_from_request(request, organization):
    """(the picker, the period chosen, or None when the picker has errors to show)."""
    data = request.GET
    if not any(data.get(field) for field in ("period", "from", "to")):
        data = {"period": DEFAULT_PRESET}  # so the picker names the period the figures cover
    form = PeriodForm(data, organization=organization)
    return form, (form.period if form.is_valid() else None)
