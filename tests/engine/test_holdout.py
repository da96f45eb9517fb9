"""Holdout assignment: stable per customer, close to the share, independent per campaign."""

import pytest

from kairos.engine.holdout import BUCKETS, bucket, is_held_out

CUSTOMERS = [f"email:customer{n}@example.com" for n in range(20_000)]


def share_held_out(campaign_id, percent):
    return sum(is_held_out(campaign_id, who, percent) for who in CUSTOMERS) / len(CUSTOMERS)


def test_the_same_customer_is_always_in_the_same_group():
    first = [is_held_out(7, who, 10) for who in CUSTOMERS[:2000]]
    again = [is_held_out(7, who, 10) for who in CUSTOMERS[:2000]]
    assert first == again
    assert any(first) and not all(first)


@pytest.mark.parametrize("percent", [1, 5, 10, 25, 50])
def test_the_share_held_out_is_close_to_the_configured_one(percent):
    # 20,000 customers: the standard error of the share is at most 0.35 points, so
    # four of them (1.4 points) is a bound a fair assignment never misses in practice.
    assert share_held_out(3, percent) == pytest.approx(percent / 100, abs=0.014)


def test_a_campaign_without_a_holdout_holds_no_one_out():
    assert share_held_out(3, 0) == 0
    assert share_held_out(3, 100) == 1


def test_assignments_of_two_campaigns_are_independent():
    # Independent: being held out of one campaign says nothing about the other, so the
    # share held out of both is the product of the shares (0.2 x 0.3 = 0.06).
    both = sum(is_held_out(1, who, 20) and is_held_out(2, who, 30) for who in CUSTOMERS)
    first_only = sum(is_held_out(1, who, 20) for who in CUSTOMERS)
    assert both / len(CUSTOMERS) == pytest.approx(0.06, abs=0.008)
    assert both / first_only == pytest.approx(0.30, abs=0.03)


def test_buckets_spread_evenly():
    counts = [0] * 10
    for who in CUSTOMERS:
        counts[bucket(99, who) * 10 // BUCKETS] += 1
    assert max(counts) - min(counts) < len(CUSTOMERS) * 0.02


def test_a_customer_without_any_identity_is_never_held_out():
    assert not is_held_out(1, "", 100)


def test_the_identity_decides_not_the_order_of_calls():
    later = [is_held_out(5, who, 30) for who in reversed(CUSTOMERS[:500])]
    assert later[::-1] == [is_held_out(5, who, 30) for who in CUSTOMERS[:500]]
