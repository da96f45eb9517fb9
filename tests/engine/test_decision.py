"""The display decision and its trace, on plain objects with a frozen, explicit `now`."""

import ast
import random
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

import kairos.engine.budget as budget_module
import kairos.engine.business_hours as business_hours_module
import kairos.engine.decision as decision_module
import kairos.engine.explained as explained_module
import kairos.engine.holdout as holdout_module
import kairos.engine.schedule as schedule_module
import kairos.engine.words as words_module
from kairos.engine.decision import Campaign, CampaignBook, Segment, decide

ATHENS = "Europe/Athens"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # 12:00 in Athens, Saturday 28 November
TODAY = date(2026, 11, 28)
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
DETRACTOR = {"answers": {"nps": 3}, "questionnaire": {"store_id": 7, "amount": 80}}
PROMOTER = {"answers": {"nps": 10}, "questionnaire": {"store_id": 7, "amount": 80}}


def nps_at_most(limit, segment_id=1, active=True, name="Detractors"):
    def matches(values, today):
        return values["answers"]["nps"] <= limit

    def explain(values, today):
        return [f"answers.nps is {values['answers']['nps']}, expected <= {limit}"]

    return Segment(segment_id, active, matches, explain, name)


def always(segment_id, active=True):
    return Segment(segment_id, active, lambda values, today: True)


def never(segment_id, active=True):
    return Segment(segment_id, active, lambda values, today: False)


def campaign(campaign_id=1, **overrides):
    fields = dict(
        title=f"Campaign {campaign_id}",
        priority=5,
        created_at=CREATED,
        active=True,
        start_date=date(2026, 11, 1),
        end_date=None,
        languages=frozenset(),
        segment_ids=(1,),
        frequency_cap=timedelta(0),
    )
    return Campaign(campaign_id, **(fields | overrides))


def book(campaigns, segments=None, time_zone=ATHENS):
    return CampaignBook(campaigns, [nps_at_most(6)] if segments is None else segments, time_zone)


def decide_both(shop, values=DETRACTOR, locale="el", now=NOW, last_seen=None):
    """Decides on the fast path and the explained path; they must always agree."""
    fast = decide(shop, values, locale, now, last_seen)
    explained = decide(shop, values, locale, now, last_seen, explain=True)
    assert fast.campaign_id == explained.campaign_id
    return explained


def outcome_of(decision, campaign_id):
    return next(entry for entry in decision.trace if entry.campaign_id == campaign_id)


# --- the happy path ---------------------------------------------------------------


def test_it_chooses_an_eligible_campaign():
    decision = decide_both(book([campaign(1)]))
    assert decision.campaign_id == 1
    assert decision.campaign.title == "Campaign 1"
    assert outcome_of(decision, 1).outcome == "chosen"
    assert outcome_of(decision, 1).detail == {"matched_segment_ids": (1,)}


def test_it_chooses_nothing_in_a_shop_without_campaigns():
    decision = decide_both(book([]))
    assert decision.campaign is None
    assert decision.campaign_id is None
    assert decision.trace == []


def test_it_chooses_nothing_when_nothing_is_eligible():
    decision = decide_both(book([campaign(1), campaign(2)]), values=PROMOTER)
    assert decision.campaign_id is None
    assert [entry.outcome for entry in decision.trace] == ["segment_not_matched"] * 2


# --- rule 1: active -----------------------------------------------------------------


def test_it_drops_an_inactive_campaign():
    decision = decide_both(book([campaign(1, active=False, priority=0), campaign(2)]))
    assert decision.campaign_id == 2
    assert outcome_of(decision, 1).outcome == "inactive"
    assert outcome_of(decision, 1).reason == "campaign is switched off"


# --- rule 2: window in the shop's time zone ---------------------------------------


def test_it_drops_a_campaign_that_has_not_started():
    shop = book([campaign(1, priority=0, start_date=date(2026, 11, 29)), campaign(2)])
    decision = decide_both(shop)
    assert decision.campaign_id == 2
    entry = outcome_of(decision, 1)
    assert entry.outcome == "not_started"
    assert entry.detail == {"start_date": date(2026, 11, 29), "local_date": TODAY}
    assert entry.reason == "starts on 2026-11-29 (it is 2026-11-28 in Europe/Athens)"


def test_it_drops_a_campaign_that_has_ended():
    shop = book([campaign(1, priority=0, end_date=date(2026, 11, 27)), campaign(2)])
    decision = decide_both(shop)
    assert decision.campaign_id == 2
    assert outcome_of(decision, 1).outcome == "ended"
    assert outcome_of(decision, 1).detail == {"end_date": date(2026, 11, 27), "local_date": TODAY}


def test_it_runs_on_its_start_and_end_dates():
    shop = book([campaign(1, start_date=TODAY, end_date=TODAY)])
    assert decide_both(shop).campaign_id == 1


def test_it_uses_the_shop_date_when_the_utc_date_differs():
    # 23:30 UTC on the 27th is 01:30 on the 28th in Athens.
    late_evening_utc = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    starts_local_today = campaign(1, start_date=date(2026, 11, 28))
    ended_utc_today = campaign(2, start_date=date(2026, 11, 1), end_date=date(2026, 11, 27))
    decision = decide_both(book([starts_local_today, ended_utc_today]), now=late_evening_utc)
    assert decision.campaign_id == 1
    assert outcome_of(decision, 2).outcome == "ended"


def test_it_reads_the_window_in_the_shop_zone_not_in_utc():
    late_evening_utc = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    shop = book([campaign(1, start_date=date(2026, 11, 28))], time_zone="UTC")
    assert outcome_of(decide_both(shop, now=late_evening_utc), 1).outcome == "not_started"


def test_it_ends_on_the_last_microsecond_of_a_dst_day():
    # On 29 March 2026 Athens springs forward: that local day ends at 20:59:59.999999 UTC.
    shop = book([campaign(1, start_date=date(2026, 3, 1), end_date=date(2026, 3, 29))])
    last_instant = datetime(2026, 3, 29, 20, 59, 59, 999999, tzinfo=UTC)
    assert decide_both(shop, now=last_instant).campaign_id == 1
    after = decide_both(shop, now=last_instant + timedelta(microseconds=1))
    assert outcome_of(after, 1).outcome == "ended"


def test_it_accepts_now_in_any_zone():
    shop = book([campaign(1, start_date=date(2026, 11, 28))])
    athens_midnight = datetime(2026, 11, 28, 0, 0, tzinfo=ZoneInfo(ATHENS))
    assert decide_both(shop, now=athens_midnight).campaign_id == 1


# --- rule 3: language -----------------------------------------------------------------


def test_it_drops_a_campaign_in_another_language():
    shop = book([campaign(1, priority=0, languages=frozenset({"en"})), campaign(2)])
    decision = decide_both(shop, locale="el")
    assert decision.campaign_id == 2
    entry = outcome_of(decision, 1)
    assert entry.outcome == "language"
    assert entry.detail == {"languages": ("en",), "locale": "el"}
    assert entry.reason == "shown only in en; the response is in 'el'"


def test_it_shows_a_campaign_without_languages_in_every_language():
    shop = book([campaign(1, languages=frozenset())])
    assert decide_both(shop, locale="fi").campaign_id == 1
    assert decide_both(shop, locale=None).campaign_id == 1


@pytest.mark.parametrize(
    ("languages", "locale", "shown"),
    [
        ({"el"}, "el-GR", True),  # a regional locale reaches its language
        ({"el"}, "EL_gr", True),
        ({"en-GB"}, "en_gb", True),
        ({"pt-BR"}, "pt-PT", False),  # but not another region of it
        ({"pt-BR"}, "pt", False),
        ({"el", "en"}, "en", True),
        ({"el"}, None, False),
        ({"el"}, "", False),
    ],
)
def test_it_matches_locales_by_tag_then_primary_language(languages, locale, shown):
    shop = book([campaign(1, languages=frozenset(languages))])
    assert (decide_both(shop, locale=locale).campaign_id == 1) is shown


# --- rule 4: segments -----------------------------------------------------------------


def test_it_drops_a_campaign_whose_segment_does_not_match():
    decision = decide_both(book([campaign(1)]), values=PROMOTER)
    entry = outcome_of(decision, 1)
    assert entry.outcome == "segment_not_matched"
    assert entry.detail == {"segments": {1: ["answers.nps is 10, expected <= 6"]}}
    assert entry.reason == (
        "matched none of its segments — #1 'Detractors': answers.nps is 10, expected <= 6"
    )


def test_it_ors_the_segments_of_a_campaign():
    shop = book([campaign(1, segment_ids=(1, 2))], [never(1), always(2)])
    decision = decide_both(shop)
    assert decision.campaign_id == 1
    assert outcome_of(decision, 1).detail == {"matched_segment_ids": (2,)}


def test_it_never_matches_an_inactive_segment():
    # The inactive segment would match, the active one does not: not shown.
    shop = book([campaign(1, segment_ids=(1, 2))], [always(1, active=False), never(2)])
    entry = outcome_of(decide_both(shop), 1)
    assert entry.outcome == "segment_not_matched"
    assert entry.detail == {"segments": {1: ["segment is inactive"], 2: ["conditions not met"]}}


def test_it_silences_a_campaign_whose_segments_are_all_inactive():
    shop = book([campaign(1, segment_ids=(1, 2))], [always(1, active=False), always(2, False)])
    decision = decide_both(shop)
    assert decision.campaign_id is None
    entry = outcome_of(decision, 1)
    assert entry.outcome == "silenced"
    assert entry.detail == {"inactive_segment_ids": (1, 2)}
    assert entry.reason == "never shown: all its segments are inactive (#1, #2)"


def test_it_silences_a_campaign_without_known_segments():
    shop = book([campaign(1, segment_ids=()), campaign(2, segment_ids=(404,))], [always(1)])
    decision = decide_both(shop)
    assert [entry.outcome for entry in decision.trace] == ["silenced", "silenced"]
    assert decision.trace[0].reason == "targets no segment, so it is never shown"


def test_it_lists_a_campaign_once_under_a_repeated_segment():
    decision = decide_both(book([campaign(1, segment_ids=(1, 1))]), values=PROMOTER)
    assert outcome_of(decision, 1).detail == {"segments": {1: ["answers.nps is 10, expected <= 6"]}}


class UnhashablePredicate:
    """Compiled predicates may be plain objects with __eq__ and so without a hash."""

    def __eq__(self, other):
        return isinstance(other, UnhashablePredicate)

    def __call__(self, values, today):
        return True


def test_it_accepts_unhashable_predicates():
    shop = book([campaign(1)], [Segment(1, True, UnhashablePredicate(), UnhashablePredicate())])
    assert decide_both(shop).campaign_id == 1


def test_it_passes_the_shop_local_date_to_segments():
    seen_dates = []
    spy = Segment(1, True, lambda values, today: seen_dates.append(today) or True)
    decide(book([campaign(1)], [spy]), DETRACTOR, "el", datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    assert seen_dates == [date(2026, 11, 28)]


# --- rule 5: frequency cap ------------------------------------------------------------


def capped_shop(cap=timedelta(hours=4)):
    return book([campaign(1, priority=0, frequency_cap=cap), campaign(2, priority=1)])


def test_it_drops_a_campaign_seen_within_its_cap():
    last_seen = {1: NOW - timedelta(hours=4) + timedelta(microseconds=1)}  # expires 1 µs later
    decision = decide_both(capped_shop(), last_seen=last_seen)
    assert decision.campaign_id == 2
    entry = outcome_of(decision, 1)
    assert entry.outcome == "capped"
    assert entry.detail["capped_until"] == NOW + timedelta(microseconds=1)
    assert entry.detail["last_seen"] == last_seen[1]


def test_it_shows_a_campaign_again_at_the_exact_expiry():
    last_seen = {1: NOW - timedelta(hours=4)}
    assert decide_both(capped_shop(), last_seen=last_seen).campaign_id == 1


def test_it_says_until_when_in_the_shop_time():
    last_seen = {1: datetime(2026, 11, 28, 8, 0, tzinfo=UTC)}  # + 4 h = 12:00 UTC = 14:00 Athens
    entry = outcome_of(decide_both(capped_shop(), last_seen=last_seen), 1)
    assert entry.detail["capped_until"] == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert entry.reason == "capped until 2026-11-28 14:00 Europe/Athens"
    assert entry.detail["matched_segment_ids"] == (1,)


def test_it_does_not_cap_with_a_zero_cap():
    decision = decide_both(capped_shop(cap=timedelta(0)), last_seen={1: NOW})
    assert decision.campaign_id == 1


def test_it_is_not_capped_by_another_campaign_impression():
    decision = decide_both(capped_shop(), last_seen={2: NOW, 99: NOW})
    assert decision.campaign_id == 1


def test_it_checks_the_segment_before_the_cap():
    entry = outcome_of(decide_both(capped_shop(), PROMOTER, last_seen={1: NOW}), 1)
    assert entry.outcome == "segment_not_matched"


# --- ranking ------------------------------------------------------------------------------


def test_it_prefers_the_best_priority_zero_first():
    shop = book([campaign(1, priority=2), campaign(2, priority=0), campaign(3, priority=1)])
    decision = decide_both(shop)
    assert decision.campaign_id == 2
    assert outcome_of(decision, 3).detail == {"outranked_by": 2, "matched_segment_ids": (1,)}


def test_it_breaks_a_priority_tie_by_the_earliest_created():
    older = campaign(9, priority=1, created_at=CREATED)
    newer = campaign(3, priority=1, created_at=CREATED + timedelta(seconds=1))
    decision = decide_both(book([newer, older]))
    assert decision.campaign_id == 9
    assert outcome_of(decision, 3).reason == (
        "outranked by #9 'Campaign 9' (same priority 1, created earlier)"
    )


def test_it_compares_creation_instants_across_zones():
    # 11:00 Athens is 09:00 UTC: created one hour *before* 10:00 UTC.
    athens = campaign(5, created_at=datetime(2026, 1, 1, 11, 0, tzinfo=ZoneInfo(ATHENS)))
    utc = campaign(4, created_at=datetime(2026, 1, 1, 10, 0, tzinfo=UTC))
    assert decide_both(book([utc, athens])).campaign_id == 5


def test_it_breaks_a_full_tie_by_the_lowest_id():
    decision = decide_both(book([campaign(12), campaign(7), campaign(30)]))
    assert decision.campaign_id == 7
    assert outcome_of(decision, 30).reason == (
        "outranked by #7 'Campaign 7' (same priority 5 and creation time, lower id)"
    )


def test_it_ranks_regardless_of_input_order():
    # Priority 0: ids 0, 3, 6, 9; of those, odd ids were created a day earlier: 3 wins.
    campaigns = [
        campaign(i, priority=i % 3, created_at=CREATED - timedelta(days=i % 2)) for i in range(12)
    ]
    for seed in range(5):
        random.Random(seed).shuffle(campaigns)
        assert decide_both(book(campaigns)).campaign_id == 3


def test_it_names_the_winner_in_an_outranked_trace():
    winner = campaign(12, title="Detractors — checkout", priority=0)
    decision = decide_both(book([campaign(3, priority=4), winner]))
    entry = outcome_of(decision, 3)
    assert entry.outcome == "outranked"
    assert entry.detail["outranked_by"] == 12
    assert entry.reason == "outranked by #12 'Detractors — checkout' (priority 0)"


def test_it_finds_the_best_campaign_whatever_the_segment_ids():
    # Segment ids run against the rank of their campaigns: the winner sits behind the last.
    shop = book(
        [
            campaign(1, priority=5, segment_ids=(1,)),
            campaign(2, priority=6, segment_ids=(2,)),
            campaign(3, priority=0, segment_ids=(3,)),
        ],
        [always(1), always(2), always(3)],
    )
    assert decide_both(shop).campaign_id == 3


def test_it_lets_the_next_campaign_win_when_the_best_is_capped():
    shop = book([campaign(1, priority=0, frequency_cap=timedelta(days=1)), campaign(2, priority=3)])
    assert decide_both(shop, last_seen={1: NOW - timedelta(hours=1)}).campaign_id == 2


# --- the trace ------------------------------------------------------------------------------


def test_it_traces_every_campaign_best_ranked_first():
    campaigns = [
        campaign(1, priority=3),
        campaign(2, priority=0, active=False),
        campaign(3, priority=1, start_date=date(2027, 1, 1)),
        campaign(4, priority=2, languages=frozenset({"en"})),
        campaign(5, priority=4, segment_ids=(2,)),
        campaign(6, priority=5, frequency_cap=timedelta(days=1)),
        campaign(7, priority=6),
    ]
    segments = [nps_at_most(6), never(2, active=False)]
    decision = decide_both(book(campaigns, segments), last_seen={6: NOW})
    assert [(entry.campaign_id, entry.outcome) for entry in decision.trace] == [
        (2, "inactive"),
        (3, "not_started"),
        (4, "language"),
        (1, "chosen"),
        (5, "silenced"),
        (6, "capped"),
        (7, "outranked"),
    ]
    assert all(entry.reason for entry in decision.trace)


def test_it_does_no_trace_work_on_the_fast_path():
    def explode(values, today):
        raise AssertionError("explain() called on the fast path")

    shop = book(
        [campaign(1, segment_ids=(1,)), campaign(2, segment_ids=(2,))],
        [Segment(1, True, lambda values, today: False, explode), always(2)],
    )
    decision = decide(shop, DETRACTOR, "el", NOW)
    assert decision.campaign_id == 2
    assert decision.trace is None


def counting(segment, calls):
    def matches(values, today):
        calls[segment.id] = calls.get(segment.id, 0) + 1
        return segment.matches(values, today)

    return replace(segment, matches=matches)


@pytest.mark.parametrize("explain", [False, True])
def test_it_evaluates_each_segment_at_most_once(explain):
    calls = {}
    segments = [counting(never(1), calls), counting(never(2), calls), counting(never(3), calls)]
    campaigns = [campaign(i, segment_ids=(1 + i % 3, 1 + (i + 1) % 3)) for i in range(30)]
    decide(book(campaigns, segments), DETRACTOR, "el", NOW, explain=explain)
    assert calls == {1: 1, 2: 1, 3: 1}


def test_it_stops_once_no_other_segment_can_outrank_the_winner():
    # The best campaign's segment matches: none of the 49 other segments is evaluated.
    calls = {}
    segments = [counting(always(i), calls) for i in range(50)]
    campaigns = [campaign(i, priority=i, segment_ids=(i % 50,)) for i in range(1000)]
    assert decide(book(campaigns, segments), DETRACTOR, "el", NOW).campaign_id == 0
    assert calls == {0: 1}


def test_it_reuses_the_live_view_of_a_day():
    shop = book([campaign(1, languages=frozenset({"el"})), campaign(2)])
    view = shop.live_view(TODAY, "el")
    assert shop.live_view(TODAY, "el-GR") is view
    assert shop.live_view(TODAY, "de") is shop.live_view(TODAY, "fi")  # both: all-language only
    assert [c.id for _, c in shop.live_view(TODAY, "de").ranked_campaigns] == [2]
    assert shop.live_view(TODAY + timedelta(1), "el") is not view


def test_it_bounds_its_caches_whatever_callers_send():
    shop = book([campaign(1)])
    for offset in range(1000):
        shop.live_view(TODAY + timedelta(offset), f"x-{offset}")
    assert len(shop._views) <= CampaignBook._MAX_CACHED
    assert len(shop._language_keys) <= CampaignBook._MAX_CACHED


# --- validation and purity ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"priority": -1}, "priority must be 0 or more"),
        ({"priority": True}, "priority must be an integer"),
        ({"priority": 1.5}, "priority must be an integer"),
        ({"frequency_cap": timedelta(minutes=-1)}, "frequency_cap must not be negative"),
        ({"created_at": datetime(2026, 1, 1)}, "created_at must be an aware datetime"),
    ],
)
def test_it_rejects_an_invalid_campaign(overrides, message):
    with pytest.raises(ValueError, match=message):
        campaign(1, **overrides)


def test_it_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate campaign id 1"):
        book([campaign(1), campaign(1)])
    with pytest.raises(ValueError, match="duplicate segment id 1"):
        book([], [always(1), never(1)])


def test_it_rejects_an_unknown_time_zone():
    with pytest.raises(ValueError, match="unknown time zone"):
        book([], time_zone="Europe/Atlantis")


def test_it_rejects_a_naive_now():
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        decide(book([campaign(1)]), DETRACTOR, "el", datetime(2026, 11, 28, 10, 0))


def test_it_decides_from_the_given_now_not_the_clock():
    shop = book([campaign(1, start_date=date(2026, 11, 1), end_date=date(2026, 11, 30))])
    with time_machine.travel(datetime(2031, 6, 1, tzinfo=UTC), tick=False):
        assert decide_both(shop).campaign_id == 1


@pytest.mark.parametrize("module", [decision_module, explained_module, schedule_module,
                                    budget_module, business_hours_module, holdout_module,
                                    words_module])
def test_it_imports_only_the_standard_library(module):
    tree = ast.parse(Path(module.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    outside = {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names}
    assert {name for name in outside if not name.startswith("kairos.engine.")} == set()
