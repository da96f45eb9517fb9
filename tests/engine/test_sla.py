"""SLA due times over the shop's business hours, holidays and daylight-saving changes."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kairos.engine.business_hours import BusinessHours
from kairos.engine.sla import due_at, overdue

ATHENS = ZoneInfo("Europe/Athens")
OFFICE = BusinessHours.from_dict({day: ["09:00", "17:00"]
                                  for day in ("mon", "tue", "wed", "thu", "fri")})


def local(*args):
    return datetime(*args, tzinfo=ATHENS)


def test_within_one_working_day():
    assert due_at(local(2026, 11, 24, 10, 0), 4, OFFICE, ATHENS) == local(2026, 11, 24, 14, 0)


def test_before_opening_the_clock_starts_at_opening():
    assert due_at(local(2026, 11, 24, 6, 30), 1, OFFICE, ATHENS) == local(2026, 11, 24, 10, 0)


def test_the_weekend_does_not_count():
    friday_afternoon = local(2026, 11, 27, 16, 0)  # one hour left on Friday
    assert due_at(friday_afternoon, 3, OFFICE, ATHENS) == local(2026, 11, 30, 11, 0)
    saturday = local(2026, 11, 28, 12, 0)
    assert due_at(saturday, 8, OFFICE, ATHENS) == local(2026, 11, 30, 17, 0)


def test_48_working_hours_are_six_office_days():
    monday = local(2026, 11, 23, 9, 0)
    assert due_at(monday, 48, OFFICE, ATHENS) == local(2026, 11, 30, 17, 0)


def test_a_public_holiday_does_not_count():
    christmas = {date(2026, 12, 25)}
    thursday = local(2026, 12, 24, 16, 0)
    assert due_at(thursday, 2, OFFICE, ATHENS, christmas) == local(2026, 12, 28, 10, 0)
    assert due_at(thursday, 2, OFFICE, ATHENS) == local(2026, 12, 25, 10, 0)


def test_the_holidays_package_s_calendar_can_be_passed_as_is():
    import holidays

    greek = holidays.country_holidays("GR")
    # 25 March: Independence Day (a Wednesday in 2026).
    tuesday = local(2026, 3, 24, 16, 0)
    assert due_at(tuesday, 2, OFFICE, ATHENS, greek) == local(2026, 3, 26, 10, 0)


def test_over_the_autumn_change_the_local_hours_stay_the_same():
    # Athens leaves summer time on Sunday 25 October 2026 (UTC+3 -> UTC+2).
    friday = local(2026, 10, 23, 16, 0)
    due = due_at(friday, 2, OFFICE, ATHENS)
    assert due == local(2026, 10, 26, 10, 0)
    assert due.astimezone(UTC) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert friday.astimezone(UTC) == datetime(2026, 10, 23, 13, 0, tzinfo=UTC)


def test_a_day_that_loses_an_hour_holds_an_hour_less_of_work():
    # Open all Sunday: on 29 March 2026 (spring forward, 03:00 -> 04:00) that is 23 hours.
    sundays = BusinessHours.from_dict({"sun": ["00:00", "24:00"]})
    saturday = local(2026, 3, 28, 12, 0)
    assert due_at(saturday, 23, sundays, ATHENS) == local(2026, 3, 30, 0, 0)
    assert due_at(saturday, 24, sundays, ATHENS) == local(2026, 4, 5, 1, 0)


def test_a_day_that_gains_an_hour_holds_an_hour_more():
    sundays = BusinessHours.from_dict({"sun": ["00:00", "24:00"]})
    saturday = local(2026, 10, 24, 12, 0)
    assert due_at(saturday, 25, sundays, ATHENS) == local(2026, 10, 26, 0, 0)


def test_it_answers_in_utc_whatever_zone_it_is_given():
    due = due_at(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 1, OFFICE, ATHENS)
    assert due.tzinfo == UTC and due == local(2026, 11, 24, 11, 0)


def test_a_naive_time_or_a_year_of_holidays_is_refused():
    with pytest.raises(ValueError):
        due_at(datetime(2026, 11, 24, 8, 0), 1, OFFICE, ATHENS)

    class Always:
        def __contains__(self, day):
            return True

    with pytest.raises(ValueError):
        due_at(local(2026, 11, 24, 8, 0), 1, OFFICE, ATHENS, Always())


def test_overdue_only_while_open_and_past_due():
    due = local(2026, 11, 24, 11, 0)
    after = local(2026, 11, 24, 11, 1)
    assert overdue(due, after, is_open=True)
    assert not overdue(due, after, is_open=False)
    assert not overdue(due, due, is_open=True)
    assert not overdue(None, after, is_open=True)
