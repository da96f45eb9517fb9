"""A shop's calendar: its today, and the instants its days begin, in its own time zone.

The one place that turns a shop's dates into instants, built on the decision engine's
tested helpers (engine/schedule.py), so reports, previews, performance and campaign
dates count days exactly as the decision does (midnight in the shop's zone, DST
included).
"""

import datetime

from django.utils import timezone

from kairos.engine.schedule import local_date, window_start, zone_info

ONE_DAY = datetime.timedelta(days=1)


def shop_zone(organization):
    return zone_info(organization.time_zone)


def shop_today(organization, now=None):
    """The shop's calendar date now (or at `now`): 23:30 UTC is already tomorrow in Athens."""
    return local_date(now or timezone.now(), organization.time_zone)


def start_of_day(organization, day):
    """The instant (UTC) at which `day` begins in the shop."""
    return window_start(day, organization.time_zone)


def days_span(organization, date_from, date_to):
    """(start, end): from 00:00 of date_from up to, not including, 00:00 after date_to,
    in the shop, as UTC instants: whole days, both ends included."""
    return start_of_day(organization, date_from), start_of_day(organization, date_to + ONE_DAY)
