"""When a failed webhook delivery is tried again: backoff, jitter, 24 hours, then failed."""

import datetime

import pytest

from kairos.integrations.delivery import next_attempt_at

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def schedule(jitter):
    """The moments of every retry of a receiver that never accepts (attempts take no time)."""
    moments, now, attempts = [], START, 1
    while (now := next_attempt_at(START, attempts, now, jitter=lambda: jitter)) is not None:
        moments.append(now)
        attempts += 1
    return moments


def test_waits_double_from_fifteen_seconds_up_to_three_hours():
    moments = schedule(jitter=0.5)  # the middle of the jitter: no stretch
    waits = [(b - a).total_seconds() for a, b in zip([START, *moments], moments, strict=False)]
    assert waits[:5] == [15, 30, 60, 120, 240]
    assert max(waits) == 3 * 3600 and waits[-1] == 3 * 3600


@pytest.mark.parametrize("jitter", [0.0, 0.5, 0.999])
def test_retries_last_twenty_four_hours_then_stop(jitter):
    moments = schedule(jitter)
    assert moments[-1] - START <= datetime.timedelta(hours=24)
    assert moments[-1] - START > datetime.timedelta(hours=20)
    assert 12 <= len(moments) <= 20


@pytest.mark.parametrize("jitter", [0.0, 0.25, 0.75, 0.999])
@pytest.mark.parametrize("attempts", [1, 2, 6, 12])
def test_jitter_moves_each_wait_by_at_most_a_quarter(jitter, attempts):
    plain = next_attempt_at(START, attempts, START, jitter=lambda: 0.5) - START
    jittered = next_attempt_at(START, attempts, START, jitter=lambda: jitter) - START
    assert plain * 0.75 <= jittered <= plain * 1.25
