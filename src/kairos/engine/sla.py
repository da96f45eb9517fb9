"""The SLA clock: when a callback request is due, counted in the shop's business hours.

Due = the moment N business hours after creation: time counts only inside each weekday's
business hours (engine/business_hours.py, local wall clock in the shop's time zone) and
never on a public holiday. Hours are real elapsed time: an interval that spans a
daylight-saving change counts what the clock on the wall would not (an hour less in
spring, one more in autumn), so the answer is always an instant N real hours of work away.

Standard library only; the caller passes the holidays (anything answering `date in it`,
such as the `holidays` package's calendars).
"""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kairos.engine.business_hours import BusinessHours

MAX_DAYS = 3 * 366  # a week of holidays forever must not loop forever


def due_at(created: datetime, hours: float, week: BusinessHours, zone: tzinfo,
           holidays: Container[date] = ()) -> datetime:
    """The instant (UTC) `hours` business hours after `created` (an aware datetime)."""
    if created.tzinfo is None:
        raise ValueError("created must be an aware datetime")
    remaining = timedelta(hours=hours)
    start = created.astimezone(UTC)
    day = created.astimezone(zone).date()
    for _ in range(MAX_DAYS):
        interval = week.days[day.weekday()]
        if interval is not None and day not in holidays:
            opens, closes = (instant(day, minutes, zone) for minutes in interval)
            begin = max(opens, start)
            if begin < closes:
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += timedelta(days=1)
    raise ValueError("no business hours within three years")


def instant(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Local wall-clock minutes after midnight of `day`, as a UTC instant ("24:00" is the
    next midnight). A time skipped by a DST change reads as the same offset before it."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)  # naive: no offset yet
    return wall.replace(tzinfo=zone).astimezone(UTC)


def overdue(due: datetime | None, now: datetime, is_open: bool) -> bool:
    return bool(is_open and due is not None and now > due)
