"""Campaign windows and frequency caps, with explicit time-zone semantics.

A marketer picks start and end *dates*: calendar days of the shop, so a window is a
range of local dates, open from 00:00 of the first day until 23:59:59.999999 of the
last, in the shop's time zone. A frequency cap is a *duration* ("not again for 24
hours"), so it is measured in elapsed time: a daylight-saving change neither
shortens nor lengthens it.

Standard library only; `now` is always passed in, never read from a clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WindowStatus = Literal["not_started", "open", "ended"]

NO_CAP = timedelta(0)

# The last instant of a day; fold=1 picks the later one should a DST change ever
# repeat the last hour of a day, so the window really covers the whole day.
_END_OF_DAY = time.max.replace(fold=1)


@lru_cache(maxsize=256)
def zone_info(time_zone: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, with a ValueError naming it when unknown."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {time_zone!r}") from error


def as_zone(time_zone: str | ZoneInfo) -> ZoneInfo:
    return time_zone if isinstance(time_zone, ZoneInfo) else zone_info(time_zone)


def require_aware(moment: datetime, name: str) -> None:
    # A naive datetime would be read in the server's zone and silently shift windows.
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


def local_date(now: datetime, time_zone: str | ZoneInfo) -> date:
    """The shop's calendar date at the instant `now` (e.g. 23:30 UTC is tomorrow in Athens)."""
    require_aware(now, "now")
    return now.astimezone(as_zone(time_zone)).date()


def window_start(start_date: date, time_zone: str | ZoneInfo) -> datetime:
    """The first instant of `start_date` in the shop's zone, as a UTC datetime.

    Where a DST gap swallows midnight, fold=0 maps 00:00 onto the transition instant,
    which is exactly when that local day begins. Returned in UTC because datetimes in a
    ZoneInfo subtract as wall-clock times and a gap time never equals any UTC instant.
    """
    return datetime.combine(start_date, time.min, tzinfo=as_zone(time_zone)).astimezone(UTC)


def window_end(end_date: date | None, time_zone: str | ZoneInfo) -> datetime | None:
    """The last instant (23:59:59.999999 local) of `end_date`, in UTC; None = no end."""
    if end_date is None:
        return None
    return datetime.combine(end_date, _END_OF_DAY, tzinfo=as_zone(time_zone)).astimezone(UTC)


def window_status(start_date: date, end_date: date | None, today: date) -> WindowStatus:
    """Where the shop's local date `today` falls relative to an inclusive date window."""
    if today < start_date:
        return "not_started"
    if end_date is not None and today > end_date:
        return "ended"
    return "open"


def window_contains(
    start_date: date, end_date: date | None, now: datetime, time_zone: str | ZoneInfo
) -> bool:
    """Whether the instant `now` lies in the window, read in the shop's time zone."""
    return window_status(start_date, end_date, local_date(now, time_zone)) == "open"


def capped_until(last_seen: datetime | None, cap: timedelta) -> datetime | None:
    """The UTC instant the cap started by an impression at `last_seen` lifts.

    None when nothing caps: never seen, or a zero cap. The sum is taken in UTC because
    aware arithmetic in a local zone is wall-clock arithmetic and would turn a 24-hour
    cap into 23 or 25 hours across a DST change.
    """
    if last_seen is None or cap <= NO_CAP:
        return None
    require_aware(last_seen, "last_seen")
    return last_seen.astimezone(UTC) + cap


def is_capped(last_seen: datetime | None, cap: timedelta, now: datetime) -> bool:
    """Capped while now < last_seen + cap; at the exact expiry instant it shows again."""
    until = capped_until(last_seen, cap)
    return until is not None and now < until
