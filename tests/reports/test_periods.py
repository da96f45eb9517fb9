"""Reporting periods: presets, dates, the period before, and refusals that name the field."""

import datetime

import pytest

from kairos.accounts.periods import Period, choose
from kairos.errors import Problems

TODAY = datetime.date(2026, 11, 20)


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(("preset", "start", "end"), [
    (None, "2026-10-22", "2026-11-20"), ("7d", "2026-11-14", "2026-11-20"),
    ("30d", "2026-10-22", "2026-11-20"), ("90d", "2026-08-23", "2026-11-20"),
    ("month", "2026-11-01", "2026-11-20"), ("last_month", "2026-10-01", "2026-10-31")])
def test_presets_end_today(preset, start, end):
    assert choose(TODAY, preset) == Period(day(start), day(end), preset or "30d")


def test_dates_win_over_a_preset_and_fill_each_other_in():
    assert choose(TODAY, "7d", day("2026-11-01"), day("2026-11-02")) == Period(
        day("2026-11-01"), day("2026-11-02"))
    assert choose(TODAY, None, None, day("2026-11-30")).start == day("2026-11-01")
    assert choose(TODAY, None, day("2026-11-10")).end == TODAY


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    period = Period(day("2026-11-01"), day("2026-11-30"))
    assert period.previous() == Period(day("2026-10-02"), day("2026-10-31"))
    assert period.days == period.previous().days == 30
    assert Period(day("2026-03-01"), day("2026-03-01")).previous() == Period(
        day("2026-02-28"), day("2026-02-28"))


@pytest.mark.parametrize(("preset", "dates", "field"), [
    ("yesterday", (None, None), "period"),
    (None, ("2026-11-21", "2026-11-20"), "from"),
    (None, ("2020-01-01", "2026-01-01"), "from"),
    (None, ("1800-01-01", None), "from"),
    (None, (None, "3000-01-01"), "to")])
def test_refusals_name_the_field(preset, dates, field):
    with pytest.raises(Problems) as refused:
        choose(TODAY, preset, *(d and day(d) for d in dates))
    assert refused.value.problems[0][0] == field


def test_the_longest_period_is_accepted():
    period = choose(TODAY, None, day("2024-01-01"), day("2024-01-01") + datetime.timedelta(
        days=3 * 366 - 1))
    assert period.days == 3 * 366
