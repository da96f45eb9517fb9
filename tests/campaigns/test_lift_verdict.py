"""The verdict's thresholds, on counts alone: no database, statsmodels' power analysis."""

import math
from types import SimpleNamespace

import pytest
from django.utils import translation
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from kairos.campaigns.lift import MIN_GROUP, WINDOWS, Arm, customers_needed, reorder_lift, verdict

CALLBACKS = SimpleNamespace(type="callback_request", holdout_percent=50)
COUPONS = SimpleNamespace(type="onscreen_incentive", holdout_percent=50)


def arm(followed, reordered, windows=WINDOWS):
    """Customers followed (and re-ordered) alike in each of `windows`, none in the rest."""
    return Arm(customers=followed,
               followed={d: followed if d in windows else 0 for d in WINDOWS},
               reordered={d: reordered if d in windows else 0 for d in WINDOWS})


def judge(campaign, treated, control):
    lifts = {days: reorder_lift(treated, control, days) for days in WINDOWS}
    return verdict(campaign, treated, control, lifts)


def test_without_a_holdout_there_is_nothing_to_compare():
    found = judge(SimpleNamespace(type="callback_request", holdout_percent=0), arm(500, 100),
                  Arm())
    assert found.outcome == "no_control_group"
    assert found.text == ("No control group: set a holdout to measure whether this campaign "
                          "works.")


def test_a_clear_rise_is_named_with_its_interval():
    found = judge(CALLBACKS, arm(400, 160), arm(400, 80))
    lift = reorder_lift(arm(400, 160), arm(400, 80), 90)
    assert found.outcome == "raised" and found.days == 90
    assert found.text == (
        f"Calling back raised re-orders within 90 days by 20.0 points (95% CI "
        f"{100 * lift['absolute_low']:.1f} to {100 * lift['absolute_high']:.1f}).")


def test_a_clear_fall_is_named_too_and_other_types_speak_of_the_campaign():
    found = judge(COUPONS, arm(400, 60), arm(400, 120))
    assert found.outcome == "lowered"
    assert found.text.startswith("This campaign lowered re-orders within 90 days by 15.0 points")


def test_no_difference_needs_enough_customers_to_have_found_five_points():
    assert judge(CALLBACKS, arm(1500, 450), arm(1500, 450)).outcome == "no_difference"
    few = judge(CALLBACKS, arm(200, 60), arm(200, 60))
    assert few.outcome == "not_enough_data"
    effect = proportion_effectsize(0.35, 0.30)
    per_group = NormalIndPower().solve_power(effect_size=effect, alpha=0.05, power=0.8,
                                             ratio=1.0)
    assert few.customers_needed == math.ceil(per_group * 2) - 400
    assert few.text == (f"Not enough data yet: about {few.customers_needed} more customers "
                        f"needed (followed for 90 days).")


def test_below_the_minimum_group_there_is_no_verdict_even_for_a_large_gap():
    found = judge(CALLBACKS, arm(MIN_GROUP - 1, MIN_GROUP - 1), arm(MIN_GROUP - 1, 0))
    assert found.outcome == "not_enough_data" and found.customers_needed >= 2


def test_the_verdict_judges_the_longest_window_both_groups_fill():
    treated, control = arm(400, 160, windows=(30, 60)), arm(400, 80, windows=(30, 60))
    assert judge(CALLBACKS, treated, control).days == 60
    nobody_followed = judge(CALLBACKS, Arm(customers=10), Arm(customers=10))
    assert (nobody_followed.outcome, nobody_followed.days) == ("not_enough_data", 30)


def test_the_needed_customers_follow_the_configured_share_when_a_group_is_empty():
    # A 10% holdout needs more customers in all than a 50% one for the same power.
    small = judge(SimpleNamespace(type="callback_request", holdout_percent=10), arm(20, 2),
                  Arm())
    even = judge(CALLBACKS, arm(20, 2), Arm())
    assert small.customers_needed > even.customers_needed


@pytest.mark.parametrize(("treated", "control"), [((400, 160), (400, 80)),
                                                  ((10, 1), (10, 1)), ((1500, 450),
                                                                       (1500, 450))])
def test_every_verdict_speaks_greek(treated, control):
    with translation.override("el"):
        found = judge(CALLBACKS, arm(*treated), arm(*control))
    assert found.text and not any("a" <= ch <= "z" for ch in found.text.lower()), found.text


@pytest.mark.parametrize(("treated", "control", "reorders"), [
    ((200, 60), (20, 3), 0.15), ((300, 30), (900, 200), 0.2), ((40, 39), (40, 38), 0.95)])
def test_the_customers_needed_are_statsmodels_root_for_any_share_of_controls(
        treated, control, reorders):
    """customers_needed solves the power equation once (power_units) and scales it by the
    effect and the groups' ratio: it must give what solve_power gives for each campaign."""
    treated_arm, control_arm = arm(*treated), arm(*control)
    baseline = control[1] / control[0]
    target = baseline + 0.05 if baseline + 0.05 <= 1 else baseline - 0.05
    ratio = control[0] / treated[0]
    per_treated = NormalIndPower().solve_power(
        effect_size=abs(proportion_effectsize(target, baseline)), alpha=0.05, power=0.8,
        ratio=ratio)
    expected = math.ceil(max(per_treated, MIN_GROUP, MIN_GROUP / ratio) * (1 + ratio))
    assert customers_needed(treated_arm, control_arm, 90, 50) == expected
