"""What holds an eligible campaign back, in the pure engine: the shop's contact budget,
callback hours, open callback requests (capacity), and holdout groups. Both paths decide;
they must always agree."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kairos.engine.budget import ContactBudget
from kairos.engine.business_hours import BusinessHours
from kairos.engine.decision import Campaign, CampaignBook, Segment, decide
from kairos.engine.holdout import is_held_out

ATHENS = "Europe/Athens"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # Friday 12:00 in Athens
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
VALUES = {"answers": {"nps": 3}}
OFFICE = BusinessHours.from_dict({d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu",
                                                                  "fri")})


def campaign(campaign_id, **overrides):
    fields = dict(title=f"Campaign {campaign_id}", priority=campaign_id, created_at=CREATED,
                  active=True, start_date=date(2026, 11, 1), segment_ids=(1,))
    return Campaign(campaign_id, **(fields | overrides))


def book(campaigns, budget=None):
    return CampaignBook(campaigns, [Segment(1, True, lambda values, today: True)], ATHENS,
                        budget)


def decide_both(shop, now=NOW, last_seen=None, **kwargs):
    fast = decide(shop, VALUES, "el", now, last_seen, **kwargs)
    explained = decide(shop, VALUES, "el", now, last_seen, explain=True, **kwargs)
    assert fast.campaign_id == explained.campaign_id
    assert fast.held_out == explained.held_out
    return explained


def outcome(decision, campaign_id):
    return next(entry for entry in decision.trace if entry.campaign_id == campaign_id)


# --- the contact budget -----------------------------------------------------------------


def test_a_spent_budget_stops_every_campaign_that_counts():
    shop = book([campaign(1), campaign(2)], ContactBudget(campaigns=2, days=7))
    last = {1: NOW - timedelta(days=2), 2: NOW - timedelta(days=1)}
    decision = decide_both(shop, last_seen=last, recent={1: 1, 2: 1})
    assert decision.campaign is None
    entry = outcome(decision, 1)
    assert entry.outcome == "budget_spent"
    assert entry.reason == (
        "budget spent: shown #2 'Campaign 2' on 2026-11-26 12:00 Europe/Athens, "
        "#1 'Campaign 1' on 2026-11-25 12:00 Europe/Athens — 2 of at most 2 since "
        "2026-11-21 00:00 Europe/Athens")
    assert entry.detail["used"] == 2


def test_a_budget_with_room_left_lets_the_best_campaign_show():
    shop = book([campaign(1), campaign(2)], ContactBudget(campaigns=2, days=7))
    decision = decide_both(shop, last_seen={2: NOW - timedelta(days=1)}, recent={2: 1})
    assert decision.campaign_id == 1


def test_each_showing_counts_not_each_campaign():
    shop = book([campaign(1), campaign(2)], ContactBudget(campaigns=2, days=7))
    decision = decide_both(shop, last_seen={1: NOW - timedelta(hours=3)}, recent={1: 2})
    assert decision.campaign is None
    assert "#1 'Campaign 1' 2 times, last on 2026-11-27 09:00" in outcome(decision, 2).reason


def test_an_exempt_campaign_neither_counts_nor_is_stopped():
    budget = ContactBudget(campaigns=1, days=1, exempt_ids=frozenset({2}))
    shop = book([campaign(1), campaign(2)], budget)
    # Shown the exempt campaign today: the budget is untouched, the best campaign shows.
    assert decide_both(shop, last_seen={2: NOW}, recent={2: 1}).campaign_id == 1
    # Shown campaign 1 today: the budget is spent, yet the exempt campaign still shows.
    decision = decide_both(shop, last_seen={1: NOW}, recent={1: 1})
    assert decision.campaign_id == 2
    assert outcome(decision, 1).outcome == "budget_spent"


def test_showings_of_campaigns_the_book_no_longer_has_still_count():
    shop = book([campaign(1)], ContactBudget(campaigns=1, days=1))
    decision = decide_both(shop, last_seen={99: NOW - timedelta(hours=1)}, recent={99: 1})
    assert decision.campaign is None
    assert "#99 on" in outcome(decision, 1).reason


def test_the_frequency_cap_is_named_before_the_budget():
    shop = book([campaign(1, frequency_cap=timedelta(days=1))], ContactBudget(1, days=1))
    decision = decide_both(shop, last_seen={1: NOW - timedelta(hours=1)}, recent={1: 1})
    assert outcome(decision, 1).outcome == "capped"


def test_budget_days_are_calendar_days_of_the_shop():
    budget = ContactBudget(campaigns=1, days=1)
    # 23:30 UTC on the 27th is already 01:30 on the 28th in Athens: a new day, new budget.
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert budget.window_start(late, book([]).zone) == datetime(2026, 11, 27, 22, 0,
                                                                tzinfo=UTC)
    assert budget.window_start(NOW, book([]).zone) == datetime(2026, 11, 26, 22, 0,
                                                               tzinfo=UTC)


def test_budget_days_follow_the_shop_calendar_across_dst():
    # 7 days back from 28 October crosses the end of summer time on 25 October.
    now = datetime(2026, 10, 28, 10, 0, tzinfo=UTC)
    start = ContactBudget(campaigns=1, days=7).window_start(now, book([]).zone)
    assert start == datetime(2026, 10, 21, 21, 0, tzinfo=UTC)  # midnight, summer time


def test_budget_hours_are_a_rolling_window():
    budget = ContactBudget(campaigns=1, hours=12)
    assert budget.window_start(NOW, book([]).zone) == NOW - timedelta(hours=12)


def test_the_book_says_where_the_period_starts():
    assert book([]).budget_start(NOW) is None
    assert book([], ContactBudget(3, days=2)).budget_start(NOW) == datetime(
        2026, 11, 25, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(("fields", "message"), [
    ({"campaigns": 0, "days": 1}, "campaigns must be 1 to 100"),
    ({"campaigns": 101, "days": 1}, "campaigns must be 1 to 100"),
    ({"campaigns": 1}, "in days or in hours"),
    ({"campaigns": 1, "days": 1, "hours": 2}, "in days or in hours"),
    ({"campaigns": 1, "days": 367}, "at most a year"),
    ({"campaigns": True, "days": 1}, "campaigns must be a whole number"),
    ({"campaigns": 1, "days": -1}, "days must be a whole number"),
])
def test_a_budget_refuses_what_makes_no_sense(fields, message):
    with pytest.raises(ValueError, match=message):
        ContactBudget(**fields)


# --- callback hours and capacity ------------------------------------------------------------


def test_outside_its_hours_a_callback_campaign_gives_way_to_the_next_best():
    shop = book([campaign(1, callback_hours=OFFICE), campaign(2)])
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    decision = decide_both(shop, now=saturday)
    assert decision.campaign_id == 2
    entry = outcome(decision, 1)
    assert entry.outcome == "outside_hours"
    assert entry.reason == (
        "outside its callback hours: offered again from 2026-11-30 09:00 Europe/Athens")


def test_within_its_hours_a_callback_campaign_shows():
    shop = book([campaign(1, callback_hours=OFFICE), campaign(2)])
    assert decide_both(shop).campaign_id == 1  # Friday 12:00 in Athens


def test_hours_are_read_in_the_shop_time_zone():
    shop = book([campaign(1, callback_hours=OFFICE)])
    # 06:30 UTC is 08:30 in Athens: not yet open, although it is past 09:00 nowhere.
    assert decide_both(shop, now=datetime(2026, 11, 27, 6, 30, tzinfo=UTC)).campaign is None
    assert decide_both(shop, now=datetime(2026, 11, 27, 7, 0, tzinfo=UTC)).campaign_id == 1


def test_at_capacity_a_callback_campaign_gives_way_to_the_next_best():
    shop = book([campaign(1, max_open_callbacks=10), campaign(2)])
    decision = decide_both(shop, open_callbacks=lambda: 10)
    assert decision.campaign_id == 2
    entry = outcome(decision, 1)
    assert entry.outcome == "at_capacity"
    assert entry.reason == ("at capacity: 10 callback requests are open, it is offered only "
                            "while fewer than 10 are")
    assert decide_both(shop, open_callbacks=lambda: 9).campaign_id == 1


def test_the_open_count_is_asked_only_when_a_limited_campaign_could_show():
    asked = []

    def count():
        asked.append(1)
        return 0

    unlimited_first = book([campaign(1), campaign(2, max_open_callbacks=5)])
    assert decide(unlimited_first, VALUES, "el", NOW, open_callbacks=count).campaign_id == 1
    assert asked == []
    limited = book([campaign(1, max_open_callbacks=5), campaign(2, max_open_callbacks=3)])
    assert decide(limited, VALUES, "el", NOW, open_callbacks=count).campaign_id == 1
    assert asked == [1]


def test_no_count_given_means_no_request_is_open():
    assert decide_both(book([campaign(1, max_open_callbacks=1)])).campaign_id == 1


# --- holdouts ---------------------------------------------------------------------------


def held_out_identity(campaign_id, percent, wanted=True):
    return next(f"email:c{n}@example.com" for n in range(1000)
                if is_held_out(campaign_id, f"email:c{n}@example.com", percent) == wanted)


def test_a_held_out_customer_sees_nothing_and_the_campaign_is_recorded_as_control():
    shop = book([campaign(1, holdout_percent=20), campaign(2)])
    who = held_out_identity(1, 20)
    decision = decide_both(shop, identity=who)
    assert decision.campaign is None and decision.held_out.id == 1
    entry = outcome(decision, 1)
    assert entry.outcome == "held_out"
    assert entry.reason.startswith("held out: control group (20% of its customers")
    assert outcome(decision, 2).outcome == "outranked"


def test_a_customer_not_held_out_sees_the_campaign():
    shop = book([campaign(1, holdout_percent=20), campaign(2)])
    decision = decide_both(shop, identity=held_out_identity(1, 20, wanted=False))
    assert decision.campaign_id == 1 and decision.held_out is None


def test_only_the_winner_holds_out():
    # Held out of campaign 2's group, but campaign 1 wins: it is simply shown.
    shop = book([campaign(1), campaign(2, holdout_percent=50)])
    decision = decide_both(shop, identity=held_out_identity(2, 50))
    assert decision.campaign_id == 1 and decision.held_out is None


def test_a_customer_without_identity_is_shown_the_campaign():
    assert decide_both(book([campaign(1, holdout_percent=100)])).campaign_id == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({"holdout_percent": 101}, "holdout_percent must be 0 to 100"),
    ({"holdout_percent": -1}, "holdout_percent must be 0 to 100"),
    ({"max_open_callbacks": 0}, "max_open_callbacks must be 1 or more"),
])
def test_it_rejects_an_invalid_limit(overrides, message):
    with pytest.raises(ValueError, match=message):
        campaign(1, **overrides)
