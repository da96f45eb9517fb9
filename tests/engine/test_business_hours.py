"""Business hours on the shop's wall clock: weekdays, edges, DST, and what they refuse."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kairos.engine.business_hours import BusinessHours, InvalidHours

ATHENS = ZoneInfo("Europe/Athens")
WEEKDAYS_9_TO_5 = {day: ["09:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def local(*args):
    return datetime(*args, tzinfo=ATHENS)


def test_it_is_open_within_the_hours_of_the_day():
    hours = BusinessHours.from_dict(WEEKDAYS_9_TO_5)
    assert hours.is_open(local(2026, 11, 27, 9, 0))  # Friday, opening minute
    assert hours.is_open(local(2026, 11, 27, 16, 59))
    assert not hours.is_open(local(2026, 11, 27, 17, 0))  # the closing minute is out
    assert not hours.is_open(local(2026, 11, 27, 8, 59))
    assert not hours.is_open(local(2026, 11, 28, 12, 0))  # Saturday: not listed, closed


def test_it_reads_the_wall_clock_across_a_dst_change():
    hours = BusinessHours.from_dict({"sun": ["09:00", "10:00"]})
    # 25 October 2026: Athens goes from UTC+3 to UTC+2 at 04:00.
    assert hours.is_open(datetime(2026, 10, 25, 7, 30, tzinfo=UTC).astimezone(ATHENS))
    assert not hours.is_open(datetime(2026, 10, 25, 6, 30, tzinfo=UTC).astimezone(ATHENS))
    # A week earlier, 09:30 local was 06:30 UTC.
    assert hours.is_open(datetime(2026, 10, 18, 6, 30, tzinfo=UTC).astimezone(ATHENS))


def test_it_closes_at_midnight_with_24_00():
    hours = BusinessHours.from_dict({"mon": ["18:00", "24:00"]})
    assert hours.is_open(local(2026, 11, 30, 23, 59))
    assert not hours.is_open(local(2026, 12, 1, 0, 0))


@pytest.mark.parametrize(("now", "opens"), [
    (local(2026, 11, 27, 8, 0), local(2026, 11, 27, 9, 0)),  # later today
    (local(2026, 11, 27, 17, 30), local(2026, 11, 30, 9, 0)),  # Friday evening -> Monday
    (local(2026, 11, 28, 12, 0), local(2026, 11, 30, 9, 0)),  # Saturday -> Monday
    (local(2026, 11, 30, 9, 0), local(2026, 12, 1, 9, 0)),  # open now: the next opening
])
def test_it_says_when_it_opens_next(now, opens):
    assert BusinessHours.from_dict(WEEKDAYS_9_TO_5).next_opening(now) == opens


def test_it_reopens_a_week_later_when_open_one_day_only():
    hours = BusinessHours.from_dict({"wed": ["10:00", "11:00"]})
    assert hours.next_opening(local(2026, 12, 2, 10, 30)) == local(2026, 12, 9, 10, 0)


def test_it_round_trips_as_a_dict():
    hours = BusinessHours.from_dict({**WEEKDAYS_9_TO_5, "sat": ["10:00", "14:30"]})
    assert hours.as_dict() == {**WEEKDAYS_9_TO_5, "sat": ["10:00", "14:30"], "sun": None}
    assert BusinessHours.from_dict(hours.as_dict()) == hours


@pytest.mark.parametrize(("week", "field", "message"), [
    ([], "", "must be an object of weekdays"),
    ({"monday": ["09:00", "17:00"]}, "monday", "not a weekday"),
    ({"mon": "09:00-17:00"}, "mon", 'must be ["HH:MM", "HH:MM"]'),
    ({"mon": ["9", "17:00"]}, "mon", "'9' is not a time like 09:30"),
    ({"mon": ["09:00", "24:01"]}, "mon", "is not a time"),
    ({"mon": ["17:00", "09:00"]}, "mon", "must close after it opens"),
    ({"mon": ["09:00", "09:00"]}, "mon", "must close after it opens"),
    ({"mon": None}, "", "must be open on at least one day"),
    ({}, "", "must be open on at least one day"),
])
def test_it_refuses_what_it_cannot_read_naming_the_day(week, field, message):
    with pytest.raises(InvalidHours) as refused:
        BusinessHours.from_dict(week)
    assert refused.value.field == field
    assert message in refused.value.words.render()
