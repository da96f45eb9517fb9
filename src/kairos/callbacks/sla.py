"""The shop's SLA for callback requests: checked and stored on the shop (`sla` of
/api/v1/shop), and the due time of a new request (the clock itself: engine/sla.py).

Stored as {"first_contact_hours": 48, "warn_before_hours": 4, "business_hours":
{"mon": ["09:00", "17:00"], …, "sun": null}}: a request is due `first_contact_hours`
business hours after it came, in the shop's time zone, skipping the public holidays of
the shop's country (the `holidays` package); members are warned `warn_before_hours`
(real hours, 0 for never) before that.
"""

import functools
import zoneinfo

import holidays
from django.utils.translation import gettext as _

from kairos.accounts.models import DEFAULT_SLA
from kairos.engine.business_hours import BusinessHours, InvalidHours
from kairos.engine.sla import due_at
from kairos.errors import Problems

LIMITS = {"first_contact_hours": (1, 2000), "warn_before_hours": (0, 168)}
FIELDS = (*LIMITS, "business_hours")


def clean_sla(value):
    """The SLA as stored; raises Problems naming each field (sla.first_contact_hours, …)."""
    if not isinstance(value, dict):
        raise Problems([("sla", _("must be an object"))])
    problems = [(f"sla.{name}", _("unknown field"))
                for name in sorted(set(value) - set(FIELDS), key=str)[:5]]
    cleaned = {**DEFAULT_SLA, **{k: v for k, v in value.items() if k in FIELDS}}
    for name, (low, high) in LIMITS.items():
        number = cleaned[name]
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            problems.append((f"sla.{name}", _("must be a whole number from %(low)s to "
                                              "%(high)s") % {"low": low, "high": high}))
    try:
        cleaned["business_hours"] = BusinessHours.from_dict(cleaned["business_hours"]).as_dict()
    except InvalidHours as invalid:
        field = ".".join(filter(None, ("sla.business_hours", invalid.field)))
        problems.append((field, invalid.words.render(_)))
    if problems:
        raise Problems(problems)
    return cleaned


def due_time(organization, created):
    """When a request of this shop made at `created` is due (first contact)."""
    sla = {**DEFAULT_SLA, **(organization.sla or {})}
    return due_at(created, sla["first_contact_hours"], week(sla["business_hours"]),
                  zoneinfo.ZoneInfo(organization.time_zone),
                  public_holidays(organization.country))


def warn_before_hours(organization):
    return {**DEFAULT_SLA, **(organization.sla or {})}["warn_before_hours"]


def week(hours):
    """The stored hours, read once per distinct week (a dict is not hashable)."""
    return read_week(tuple((day, tuple(v) if v else None) for day, v in sorted(hours.items())))


@functools.lru_cache(maxsize=64)
def read_week(items):
    return BusinessHours.from_dict(dict(items))


@functools.lru_cache(maxsize=64)
def public_holidays(country):
    """The country's public holidays, every year asked for (computed once per year);
    none for a country the package does not know."""
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        return frozenset()
