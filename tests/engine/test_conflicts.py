"""A campaign that can never win, read from the rules: certain for every response."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kairos.engine.budget import ContactBudget
from kairos.engine.business_hours import BusinessHours
from kairos.engine.conflicts import always_ahead
from kairos.engine.decision import Campaign, CampaignBook, Segment, decide

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def campaign(campaign_id, segment_ids=(1,), **overrides):
    fields = dict(title=f"Campaign {campaign_id}", priority=1, created_at=CREATED, active=True,
                  start_date=date(2026, 11, 1), segment_ids=segment_ids)
    return Campaign(campaign_id, **(fields | overrides))


def segments(*ids, inactive=()):
    return [Segment(i, i not in inactive, lambda values, today: True) for i in ids]


def book(campaigns, budget=None, inactive=()):
    return CampaignBook(campaigns, segments(1, 2, 3, inactive=inactive), "Europe/Athens",
                        budget)


def ahead_of(shop, campaign_id):
    return [c.id for c in always_ahead(shop, shop.by_id[campaign_id], TODAY)]


def test_a_better_campaign_on_the_same_segment_always_comes_first():
    shop = book([campaign(1, priority=0), campaign(2, priority=1)])
    assert ahead_of(shop, 2) == [1]
    assert ahead_of(shop, 1) == []


def test_a_tie_that_always_loses_can_never_win():
    older = campaign(1, created_at=CREATED)
    newer = campaign(2, created_at=CREATED + timedelta(days=1))
    assert ahead_of(book([older, newer]), 2) == [1]


def test_several_campaigns_can_cover_its_segments_between_them():
    shop = book([campaign(1, (1,), priority=0), campaign(2, (2,), priority=0),
                 campaign(3, (1, 2), priority=5)])
    assert ahead_of(shop, 3) == [1, 2]


def test_one_segment_left_uncovered_lets_it_win_there():
    shop = book([campaign(1, (1,), priority=0), campaign(3, (1, 2), priority=5)])
    assert ahead_of(shop, 3) == []


def test_an_inactive_segment_of_its_own_does_not_need_covering():
    shop = book([campaign(1, (1,), priority=0), campaign(3, (1, 2), priority=5)],
                inactive=(2,))
    assert ahead_of(shop, 3) == [1]


def test_a_draft_not_yet_saved_is_judged_as_ranked():
    shop = book([campaign(1, priority=3)])
    draft = campaign(None, priority=4, created_at=NOW)
    assert [c.id for c in always_ahead(shop, draft, TODAY)] == [1]
    assert always_ahead(shop, campaign(None, priority=2, created_at=NOW), TODAY) == ()


def test_a_rival_that_is_sometimes_held_back_does_not_always_win():
    hours = BusinessHours.from_dict({"mon": ["09:00", "17:00"]})
    for held_back in ({"frequency_cap": timedelta(days=1)}, {"callback_hours": hours},
                      {"max_open_callbacks": 5}, {"active": False}):
        shop = book([campaign(1, priority=0, **held_back), campaign(2)])
        assert ahead_of(shop, 2) == [], held_back


def test_a_holdout_of_the_rival_still_never_lets_it_win():
    shop = book([campaign(1, priority=0, holdout_percent=50), campaign(2)])
    assert ahead_of(shop, 2) == [1]


def test_the_rival_must_be_live_on_every_day_it_could_be_shown():
    ends_sooner = campaign(1, priority=0, end_date=date(2026, 12, 31))
    assert ahead_of(book([ends_sooner, campaign(2)]), 2) == []
    assert ahead_of(book([ends_sooner, campaign(2, end_date=date(2026, 12, 1))]), 2) == [1]
    starts_later = campaign(1, priority=0, start_date=date(2026, 12, 1))
    assert ahead_of(book([starts_later, campaign(2)]), 2) == []
    # A rival starting later than today but before this one starts covers it.
    assert ahead_of(book([starts_later, campaign(2, start_date=date(2026, 12, 5))]), 2) == [1]


def test_the_rival_must_speak_each_of_its_languages():
    greek = campaign(1, priority=0, languages=frozenset({"el"}))
    assert ahead_of(book([greek, campaign(2)]), 2) == []
    assert ahead_of(book([greek, campaign(2, languages=frozenset({"el"}))]), 2) == [1]
    assert ahead_of(book([campaign(1, priority=0), campaign(2, languages={"en"})]), 2) == [1]


def test_an_exempt_campaign_wins_where_the_budget_stops_the_rival():
    budget = ContactBudget(1, days=1, exempt_ids=frozenset({2}))
    assert ahead_of(book([campaign(1, priority=0), campaign(2)], budget), 2) == []
    both_exempt = ContactBudget(1, days=1, exempt_ids=frozenset({1, 2}))
    assert ahead_of(book([campaign(1, priority=0), campaign(2)], both_exempt), 2) == [1]


# --- soundness: what it calls hopeless is never shown, whatever the customer -------------

rows = st.lists(st.builds(
    dict,
    priority=st.integers(0, 2),
    segment_ids=st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple),
    active=st.sampled_from([True, True, False]),
    end_date=st.sampled_from([None, None, date(2026, 12, 1)]),
    languages=st.sampled_from([frozenset(), frozenset(), frozenset({"el"})]),
    frequency_cap=st.sampled_from([timedelta(0), timedelta(0), timedelta(hours=2)]),
    max_open_callbacks=st.sampled_from([None, None, 1]),
), min_size=2, max_size=8)


@settings(max_examples=200, deadline=None)
@given(rows=rows, matched=st.frozensets(st.integers(1, 3)),
       locale=st.sampled_from(["el", "en"]), hours_later=st.integers(0, 24 * 10),
       seen=st.dictionaries(st.integers(0, 7), st.integers(0, 5), max_size=3),
       open_requests=st.integers(0, 2))
def test_a_campaign_it_calls_hopeless_is_never_chosen(rows, matched, locale, hours_later,
                                                       seen, open_requests):
    campaigns = [campaign(i, **row) for i, row in enumerate(rows)]
    shop = CampaignBook(campaigns, [Segment(i, True, lambda v, t, i=i: i in v["in"])
                                    for i in (1, 2, 3)], "Europe/Athens")
    hopeless = {c.id for c in campaigns if always_ahead(shop, c, TODAY)}
    now = NOW + timedelta(hours=hours_later)
    last_seen = {cid: now - timedelta(hours=ago) for cid, ago in seen.items()}
    decision = decide(shop, {"in": matched}, locale, now, last_seen,
                      open_callbacks=lambda: open_requests)
    assert decision.campaign_id not in hopeless
