"""Campaign windows in the shop's time zone and frequency caps, with explicit instants."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kairos.engine.schedule import (
    capped_until,
    is_capped,
    local_date,
    window_contains,
    window_end,
    window_start,
    window_status,
    zone_info,
)

ATHENS = "Europe/Athens"
MICROSECOND = timedelta(microseconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- local date -------------------------------------------------------------------


def test_it_reads_the_local_date_in_the_shop_zone():
    # 23:30 UTC on 27 November is already 01:30 on 28 November in Athens (UTC+2).
    assert local_date(utc(2026, 11, 27, 23, 30), ATHENS) == date(2026, 11, 28)
    assert local_date(utc(2026, 11, 27, 23, 30), "UTC") == date(2026, 11, 27)


def test_it_reads_the_local_date_behind_utc():
    assert local_date(utc(2026, 11, 28, 3, 0), "America/New_York") == date(2026, 11, 27)


def test_it_accepts_a_zoneinfo():
    assert local_date(utc(2026, 11, 27, 23, 30), ZoneInfo(ATHENS)) == date(2026, 11, 28)


def test_it_rejects_a_naive_now():
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        local_date(datetime(2026, 11, 27, 12, 0), ATHENS)


def test_it_names_an_unknown_time_zone():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        zone_info("Mars/Olympus")


# --- window status on local dates ---------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 11, 9), "not_started"),
        (date(2026, 11, 10), "open"),
        (date(2026, 11, 20), "open"),
        (date(2026, 11, 21), "ended"),
    ],
)
def test_it_treats_both_window_ends_as_inclusive(today, status):
    assert window_status(date(2026, 11, 10), date(2026, 11, 20), today) == status


def test_it_keeps_a_window_without_end_open():
    assert window_status(date(2026, 1, 1), None, date(2099, 12, 31)) == "open"
    assert window_end(None, ATHENS) is None


# --- window boundaries as instants ------------------------------------------------


def test_it_opens_at_local_midnight_of_the_start_date():
    start = date(2026, 11, 28)  # Athens is UTC+2 in winter: midnight is 22:00 UTC the day before
    assert window_start(start, ATHENS) == utc(2026, 11, 27, 22, 0)
    assert window_contains(start, None, utc(2026, 11, 27, 22, 0), ATHENS)
    assert not window_contains(start, None, utc(2026, 11, 27, 22, 0) - MICROSECOND, ATHENS)


def test_it_closes_after_the_last_microsecond_of_the_end_date():
    start, end = date(2026, 11, 1), date(2026, 11, 28)
    assert window_end(end, ATHENS) == utc(2026, 11, 28, 21, 59, 59, 999999)
    assert window_contains(start, end, utc(2026, 11, 28, 21, 59, 59, 999999), ATHENS)
    assert not window_contains(start, end, utc(2026, 11, 28, 22, 0), ATHENS)


def test_it_runs_on_the_local_date_when_the_utc_date_differs():
    # 23:30 UTC on the 27th is the 28th in Athens: a campaign starting on the 28th runs,
    # one that ended on the 27th has ended, although the UTC date is still the 27th.
    now = utc(2026, 11, 27, 23, 30)
    assert window_contains(date(2026, 11, 28), None, now, ATHENS)
    assert not window_contains(date(2026, 11, 1), date(2026, 11, 27), now, ATHENS)
    assert not window_contains(date(2026, 11, 28), None, now, "UTC")


def test_it_ends_a_window_on_the_spring_forward_day():
    # 29 March 2026: Athens moves from UTC+2 to UTC+3 at 03:00, so the day is 23 hours
    # long and its last instant is 20:59:59.999999 UTC.
    start, end = date(2026, 3, 29), date(2026, 3, 29)
    assert window_start(start, ATHENS) == utc(2026, 3, 28, 22, 0)
    assert window_end(end, ATHENS) == utc(2026, 3, 29, 20, 59, 59, 999999)
    assert window_contains(start, end, utc(2026, 3, 29, 20, 59, 59, 999999), ATHENS)
    assert not window_contains(start, end, utc(2026, 3, 29, 21, 0), ATHENS)


def test_it_ends_a_window_on_the_fall_back_day():
    # 25 October 2026: Athens goes back to UTC+2 at 04:00, a 25-hour day.
    end = date(2026, 10, 25)
    assert window_end(end, ATHENS) - window_start(end, ATHENS) == timedelta(hours=25) - MICROSECOND
    assert window_contains(end, end, utc(2026, 10, 25, 21, 59, 59, 999999), ATHENS)
    assert not window_contains(end, end, utc(2026, 10, 25, 22, 0), ATHENS)


def test_it_opens_when_the_day_begins_even_if_dst_skips_midnight():
    # Havana jumps from 00:00 to 01:00 on 10 March 2024: the day begins at 05:00 UTC.
    start = date(2024, 3, 10)
    assert window_start(start, "America/Havana") == utc(2024, 3, 10, 5, 0)
    assert window_contains(start, None, utc(2024, 3, 10, 5, 0), "America/Havana")
    assert not window_contains(start, None, utc(2024, 3, 10, 5, 0) - MICROSECOND, "America/Havana")


ZONES = ["UTC", ATHENS, "America/Havana", "America/Santiago", "Pacific/Kiritimati", "Asia/Kolkata"]


@given(day=st.dates(date(2000, 1, 1), date(2037, 12, 31)), zone=st.sampled_from(ZONES))
def test_it_agrees_with_its_own_boundary_instants(day, zone):
    first, last = window_start(day, zone), window_end(day, zone)
    assert window_contains(day, day, first, zone)
    assert window_contains(day, day, last, zone)
    assert not window_contains(day, day, first - MICROSECOND, zone)
    assert not window_contains(day, day, last + MICROSECOND, zone)


# --- frequency caps -----------------------------------------------------------------


def test_it_caps_until_last_seen_plus_the_cap():
    seen = utc(2026, 11, 28, 10, 0)
    assert capped_until(seen, timedelta(hours=2)) == utc(2026, 11, 28, 12, 0)


def test_it_caps_just_before_expiry_and_not_at_expiry():
    seen, cap = utc(2026, 11, 28, 10, 0), timedelta(days=1, hours=2, minutes=30)
    expiry = utc(2026, 11, 29, 12, 30)
    assert is_capped(seen, cap, expiry - MICROSECOND)
    assert not is_capped(seen, cap, expiry)


def test_it_does_not_cap_with_a_zero_cap():
    seen = utc(2026, 11, 28, 10, 0)
    assert capped_until(seen, timedelta(0)) is None
    assert not is_capped(seen, timedelta(0), seen)


def test_it_does_not_cap_a_customer_who_never_saw_it():
    assert capped_until(None, timedelta(days=1)) is None
    assert not is_capped(None, timedelta(days=1), utc(2026, 11, 28))


def test_it_measures_a_cap_in_elapsed_time_across_a_dst_change():
    # Seen at 12:00 Athens time the day before spring forward: a 24-hour cap lifts 24
    # real hours later (13:00 local), not at 12:00 local, which is only 23 hours later.
    seen = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo(ATHENS))
    until = capped_until(seen, timedelta(hours=24))
    assert until == utc(2026, 3, 29, 10, 0)
    assert until.tzinfo is UTC
    assert until.astimezone(ZoneInfo(ATHENS)).hour == 13


def test_it_rejects_a_naive_last_seen():
    with pytest.raises(ValueError, match="last_seen must be an aware datetime"):
        capped_until(datetime(2026, 11, 28, 10, 0), timedelta(hours=1))
