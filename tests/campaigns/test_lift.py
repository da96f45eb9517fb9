"""The lift report's figures against a small population computed by hand, and its
intervals against statsmodels' own calls on the same counts."""

import random

import pytest
import time_machine
from campaigns.helpers import campaign, segment
from campaigns.lift_helpers import DAY, NOW, ask_callback, expose, order
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from kairos.accounts.shop_time import days_span
from kairos.campaigns.lift import lift_report
from kairos.campaigns.models import Impression
from kairos.campaigns.services import update_campaign
from kairos.questionnaires.models import Response

EXPOSED = NOW - 100 * DAY  # followed for all of 30, 60 and 90 days
PERIOD = ((NOW - 120 * DAY).date(), (NOW - DAY).date())


@pytest.fixture
def callbacks(alice):
    with time_machine.travel(NOW - 300 * DAY, tick=False):
        return campaign(alice.organization, [segment(alice.organization)], holdout_percent=50)


def treated_customers(shop, chosen):
    t1 = expose(chosen, order(shop, EXPOSED, nps=2, email="t1@example.com"))
    ask_callback(t1, status="resolved")
    # A later order is a later impression too: still one customer, exposed once.
    expose(chosen, order(shop, EXPOSED + 10 * DAY, nps=10, email="t1@example.com"))
    # Known by customer id and phone; comes back with the phone only, after 45 days.
    t2 = expose(chosen, order(shop, EXPOSED, nps=1, customer_id="c-2",
                              phone_number="+306900000002"))
    ask_callback(t2)
    order(shop, EXPOSED + 45 * DAY, nps=8, phone_number="+306900000002")
    # An after-sales answer about the same order is not a re-order; a new order at 80 days is.
    expose(chosen, order(shop, EXPOSED, nps=0, email="t3@example.com", transaction="A-3"))
    order(shop, EXPOSED + 5 * DAY, nps=3, email="t3@example.com", transaction="A-3",
          stage="after_sales")
    order(shop, EXPOSED + 80 * DAY, email="t3@example.com", transaction="A-33")
    expose(chosen, order(shop, EXPOSED, nps=4, email="t4@example.com"))
    # Exposed 40 days ago: followed for 30 days only; orders again after 35.
    expose(chosen, order(shop, NOW - 40 * DAY, nps=5, device="device-5"))
    order(shop, NOW - 5 * DAY, nps=9, device="device-5")


def control_customers(shop, chosen):
    expose(chosen, order(shop, EXPOSED, nps=2, email="k1@example.com"), control=True)
    order(shop, EXPOSED + 20 * DAY, nps=2, email="k1@example.com")
    expose(chosen, order(shop, EXPOSED, nps=3, email="k2@example.com"), control=True)
    expose(chosen, order(shop, EXPOSED, nps=3, email="k3@example.com"), control=True)
    expose(chosen, order(shop, EXPOSED, nps=6, email="k4@example.com"), control=True)
    order(shop, EXPOSED + 95 * DAY, nps=10, email="k4@example.com")


def outside_the_cohort(shop, chosen, other):
    # First exposed before the period: its later impression in the period does not count.
    expose(chosen, order(shop, NOW - 200 * DAY, nps=1, email="old@example.com"))
    expose(chosen, order(shop, EXPOSED, nps=1, email="old@example.com"))
    # Another campaign's customers are not this one's.
    expose(other, order(shop, EXPOSED, nps=1, email="other@example.com"))
    # Without any identity: never held out, never followed.
    expose(chosen, order(shop, EXPOSED, nps=1))


@pytest.fixture
def report(alice, callbacks):
    shop = alice.organization
    other = campaign(shop, [segment(shop)], title="Other")
    treated_customers(shop, callbacks)
    control_customers(shop, callbacks)
    outside_the_cohort(shop, callbacks, other)
    return lift_report(callbacks, *PERIOD, now=NOW)


def rates(arm):
    return [(r["days"], r["customers"], r["reordered"]) for r in arm["reorder"]]


def test_the_groups_count_customers_first_exposed_in_the_period(report):
    assert report["treatment"]["customers"] == 5
    assert report["control"]["customers"] == 4


def test_a_re_order_is_a_later_order_of_the_same_customer_by_any_identity(report):
    assert rates(report["treatment"]) == [(30, 5, 1), (60, 4, 2), (90, 4, 3)]
    assert rates(report["control"]) == [(30, 4, 1), (60, 4, 1), (90, 4, 1)]
    assert report["treatment"]["reorder"][2]["rate"] == 0.75


def test_the_nps_of_the_next_response(report):
    # Treated: 10, 8, 3 (the after-sales answer), 9; control: 2, 10.
    assert report["treatment"]["next_response_nps"] == {"responses": 4, "nps": 25.0}
    assert report["control"]["next_response_nps"] == {"responses": 2, "nps": 0.0}
    expected = CompareMeans(DescrStatsW([100.0, 0.0, -100.0], weights=[2, 1, 1]),
                            DescrStatsW([100.0, 0.0, -100.0], weights=[1, 0, 1]))
    low, high = expected.tconfint_diff(alpha=0.05, usevar="unequal")
    assert report["lift"]["nps"] == {"absolute": 25.0, "absolute_low": pytest.approx(low),
                                     "absolute_high": pytest.approx(high)}


def test_the_share_of_treated_customers_resolved(report):
    assert report["treatment"]["callbacks"] == {"requested": 2, "resolved": 1, "share": 0.2}
    assert report["control"]["callbacks"] == {"requested": 0, "resolved": 0, "share": 0.0}


def test_the_intervals_are_statsmodels_own(report):
    by_days = {lift["days"]: lift for lift in report["lift"]["reorder"]}
    low, high = confint_proportions_2indep(3, 4, 1, 4, compare="diff", method="newcomb")
    assert by_days[90]["absolute"] == pytest.approx(0.5)
    assert (by_days[90]["absolute_low"], by_days[90]["absolute_high"]) == (
        pytest.approx(low), pytest.approx(high))
    low, high = confint_proportions_2indep(3, 4, 1, 4, compare="ratio", method="log")
    assert by_days[90]["relative"] == pytest.approx(2.0)
    assert by_days[90]["relative_low"] == pytest.approx(low - 1)
    assert by_days[90]["relative_high"] == pytest.approx(high - 1)


def test_so_few_customers_are_not_enough_for_a_verdict(report):
    verdict = report["verdict"]
    assert verdict.outcome == "not_enough_data" and verdict.days == 30
    assert verdict.customers_needed > 100
    assert f"about {verdict.customers_needed} more customers needed" in verdict.text


def test_the_report_names_the_holdout_shares_it_covers(alice, callbacks):
    changed = NOW - 50 * DAY
    with time_machine.travel(changed, tick=False):
        update_campaign(callbacks, {"holdout_percent": 20}, None)
    start, end = days_span(alice.organization, *PERIOD)
    assert lift_report(callbacks, *PERIOD, now=NOW)["holdout_periods"] == [
        {"since": start, "until": changed, "percent": 50},
        {"since": changed, "until": end, "percent": 20}]
    later = lift_report(callbacks, (NOW - 10 * DAY).date(), NOW.date(), now=NOW)
    assert [p["percent"] for p in later["holdout_periods"]] == [20]


# ---- a seeded population with a known effect --------------------------------------------

def population(shop, chosen, size, treated_rate, control_rate, seed=16):
    """`size` customers a group, exposed 100 days ago; each re-orders within 30 days with
    its group's probability. Returns the re-orders drawn per group."""
    draw, drawn = random.Random(seed), {False: 0, True: 0}
    for n in range(size * 2):
        control = n % 2 == 1
        email = f"p{n}@example.com"
        expose(chosen, order(shop, EXPOSED, nps=2, email=email), control=control)
        if draw.random() < (control_rate if control else treated_rate):
            drawn[control] += 1
            order(shop, EXPOSED + draw.randint(1, 29) * DAY, nps=9, email=email)
    return drawn


def test_a_population_with_a_known_effect_gives_the_expected_lift(alice, callbacks):
    drawn = population(alice.organization, callbacks, 300, 0.40, 0.20)
    report = lift_report(callbacks, *PERIOD, now=NOW)
    lift = report["lift"]["reorder"][2]
    assert report["treatment"]["reorder"][2]["reordered"] == drawn[False]
    low, high = confint_proportions_2indep(drawn[False], 300, drawn[True], 300,
                                           compare="diff", method="newcomb")
    assert (lift["absolute_low"], lift["absolute_high"]) == (pytest.approx(low),
                                                             pytest.approx(high))
    assert lift["absolute_low"] < 0.20 < lift["absolute_high"]  # the effect we seeded
    assert report["verdict"].outcome == "raised" and report["verdict"].days == 90
    assert report["verdict"].text.startswith("Calling back raised re-orders within 90 days by")


def test_the_report_is_a_constant_number_of_queries(alice, callbacks,
                                                    django_assert_max_num_queries):
    population(alice.organization, callbacks, 50, 0.5, 0.2)
    assert Impression.objects.count() == 100 and Response.objects.count() > 100
    with django_assert_max_num_queries(4):  # 3, and PostgreSQL's SET LOCAL jit = off
        lift_report(callbacks, *PERIOD, now=NOW)
