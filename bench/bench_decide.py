"""How fast is decide() on a big shop, against a naive walk over every campaign?

A seeded shop of 1,000 live campaigns over 50 segments and 10,000 varied responses.
Prints per-decision median and p99 (µs) for decide(explain=False), for two other
strategies considered for the fast path, and for a naive baseline; checks that all
of them choose the same campaign on every response.

    PYTHONPATH=src .venv/bin/python bench/bench_decide.py
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kairos.engine.budget import ContactBudget
from kairos.engine.business_hours import BusinessHours
from kairos.engine.decision import (
    Campaign,
    CampaignBook,
    Segment,
    decide,
    language_tags,
    speaks,
)
from kairos.engine.schedule import is_capped, local_date, window_status

SEED = 20261128
# BENCH_SCALE=0.01 runs it small: the smoke test (tests/test_bench_smoke.py) does.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CAMPAIGNS = max(50, int(1_000 * SCALE))
SEGMENTS = 50
INACTIVE_SEGMENTS = 5
RESPONSES = max(100, int(10_000 * SCALE))
CUSTOMERS = 2_000
ROUNDS = 3 if SCALE >= 1 else 1
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TIME_ZONE = "Europe/Athens"
STORES = list(range(1, 21))
LOCALES = ["el", "el", "el-GR", "en", "en-GB", "de"]
LANGUAGES = [(), (), ("el",), ("en",), ("el", "en")]


# --- the shop ------------------------------------------------------------------------


def nps_at_store(low: int, high: int, store: int) -> Callable:
    def matches(values, today):
        at_store = values["questionnaire"]["store_id"] == store
        return at_store and low <= values["answers"]["nps"] <= high

    return matches


def big_basket(minimum: int, stores: frozenset[int]) -> Callable:
    def matches(values, today):
        questionnaire = values["questionnaire"]
        return questionnaire["amount"] >= minimum and questionnaire["store_id"] in stores

    return matches


def unhappy_delivery(store: int) -> Callable:
    def matches(values, today):
        answers = values["answers"]
        return answers["delivery_rating"] <= 2 and values["questionnaire"]["store_id"] == store

    return matches


def template_in_stores(low: int, high: int, stores: frozenset[int]) -> Callable:
    def matches(values, today):
        in_stores = values["questionnaire"]["store_id"] in stores
        return in_stores and low <= values["answers"]["nps"] <= high

    return matches


def make_predicate(rng: random.Random, index: int) -> Callable:
    """Templates (promoters, passives, detractors) per group of stores, and narrow segments."""
    kind = index % 5
    if kind == 0:
        low, high = rng.choice([(0, 6), (7, 8), (9, 10)])
        return template_in_stores(low, high, frozenset(rng.sample(STORES, 4)))
    if kind == 1:
        return nps_at_store(0, rng.randint(3, 6), rng.choice(STORES))
    if kind == 2:
        return big_basket(rng.randint(300, 480), frozenset(rng.sample(STORES, 3)))
    if kind == 3:
        return unhappy_delivery(rng.choice(STORES))
    return nps_at_store(9, 10, rng.choice(STORES))


def make_segments(rng: random.Random) -> list[Segment]:
    inactive = set(rng.sample(range(SEGMENTS), INACTIVE_SEGMENTS))
    return [
        Segment(index, index not in inactive, make_predicate(rng, index), name=f"Segment {index}")
        for index in range(SEGMENTS)
    ]


def make_campaigns(rng: random.Random) -> list[Campaign]:
    created = [NOW - timedelta(days=rng.randint(1, 400)) for _ in range(200)]  # ties on purpose
    ids = rng.sample(range(1, 10 * CAMPAIGNS), CAMPAIGNS)
    return [make_campaign(rng, campaign_id, created) for campaign_id in ids]


def make_campaign(rng: random.Random, campaign_id: int, created: list[datetime]) -> Campaign:
    start = NOW.date() - timedelta(days=rng.randint(0, 60))
    return Campaign(
        id=campaign_id,
        title=f"Campaign {campaign_id}",
        priority=rng.randint(0, 9),
        created_at=rng.choice(created),
        active=True,
        start_date=start,
        end_date=rng.choice([None, NOW.date() + timedelta(days=rng.randint(0, 90))]),
        languages=frozenset(rng.choice(LANGUAGES)),
        segment_ids=tuple(rng.sample(range(SEGMENTS), rng.randint(1, 3))),
        frequency_cap=rng.choice([timedelta(0)] * 7 + [timedelta(hours=6), timedelta(days=7)] * 2),
    )


# --- the responses -----------------------------------------------------------------------


def make_history(rng: random.Random, campaigns: list[Campaign]) -> dict[int, dict]:
    """30% of customers saw some campaigns recently; the better-ranked are seen more often."""
    ranked = sorted(campaigns, key=lambda campaign: campaign.rank_key)
    histories = {}
    for customer in rng.sample(range(CUSTOMERS), CUSTOMERS * 3 // 10):
        seen = rng.sample(ranked[:100], rng.randint(3, 20)) + rng.sample(ranked, 5)
        histories[customer] = {c.id: NOW - timedelta(hours=rng.randint(0, 240)) for c in seen}
    return histories


def make_response(rng: random.Random, histories: dict[int, dict]) -> tuple:
    values = {
        "answers": {"nps": rng.randint(0, 10), "delivery_rating": rng.randint(1, 5)},
        "questionnaire": {"store_id": rng.choice(STORES), "amount": rng.randint(5, 500)},
    }
    return values, rng.choice(LOCALES), histories.get(rng.randrange(CUSTOMERS))


def make_unmatched_response(rng: random.Random, histories: dict[int, dict]) -> tuple:
    """A response from a store no segment targets: every live segment must be tried."""
    values, locale, last_seen = make_response(rng, histories)
    values["questionnaire"]["store_id"] = 999
    return values, locale, last_seen


# --- the strategies compared -------------------------------------------------------------


def naive_decide(book: CampaignBook, values, locale, now, last_seen) -> Campaign | None:
    """Every campaign, every rule, no precomputation: the obvious implementation."""
    today, tags, last_seen = local_date(now, book.zone), language_tags(locale), last_seen or {}
    eligible = []
    for campaign in book.campaigns:
        if not campaign.active:
            continue
        if window_status(campaign.start_date, campaign.end_date, today) != "open":
            continue
        if not speaks(campaign.languages, tags):
            continue
        segments = (book.segments.get(segment_id) for segment_id in campaign.segment_ids)
        if not any(s is not None and s.active and s.matches(values, today) for s in segments):
            continue
        if is_capped(last_seen.get(campaign.id), campaign.frequency_cap, now):
            continue
        eligible.append(campaign)
    eligible.sort(key=lambda campaign: (campaign.priority, campaign.created_at, campaign.id))
    return eligible[0] if eligible else None


def all_segments_first(book: CampaignBook, values, locale, now, last_seen) -> Campaign | None:
    """Alternative: evaluate every live segment, then take the best non-capped campaign."""
    today = local_date(now, book.zone)
    view = book.live_view(today, locale)
    best = None
    for _, segment, ranked in view.segment_entries:
        if segment.matches(values, today):
            found = next((pair for pair in ranked if not capped(pair[1], last_seen, now)), None)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
    return None if best is None else best[1]


def rank_walk(book: CampaignBook, values, locale, now, last_seen) -> Campaign | None:
    """Alternative: walk live campaigns best-first, checking segments lazily with a memo."""
    today = local_date(now, book.zone)
    view = book.live_view(today, locale)
    memo: dict = {}
    for _, campaign in view.ranked_campaigns:
        for segment in book.active_segments(campaign):
            matched = memo.get(segment.id)
            if matched is None:
                matched = memo[segment.id] = segment.matches(values, today)
            if matched and not capped(campaign, last_seen, now):
                return campaign
            if matched:
                break
    return None


def capped(campaign: Campaign, last_seen, now) -> bool:
    if not last_seen or not campaign.frequency_cap:
        return False
    return is_capped(last_seen.get(campaign.id), campaign.frequency_cap, now)


def fast_decide(book: CampaignBook, values, locale, now, last_seen) -> Campaign | None:
    return decide(book, values, locale, now, last_seen).campaign


def explained_decide(book: CampaignBook, values, locale, now, last_seen) -> Campaign | None:
    return decide(book, values, locale, now, last_seen, explain=True).campaign


# name -> (strategy, how many of the varied responses it is timed on). The explained
# path walks all 1,000 campaigns by design; a sample is enough to show its cost.
STRATEGIES = {
    "decide(explain=False)": (fast_decide, RESPONSES),
    "alt: all segments first": (all_segments_first, RESPONSES),
    "alt: rank walk + memo": (rank_walk, RESPONSES),
    "naive baseline": (naive_decide, RESPONSES),
    "decide(explain=True)": (explained_decide, 1_000),
}


# --- measuring ---------------------------------------------------------------------------


def time_each(strategy: Callable, book: CampaignBook, responses: list) -> tuple[list, list]:
    """Per-decision wall time in µs, with the collector paused so it does not land on one call."""
    choices, durations = [], []
    clock = time.perf_counter_ns
    gc.collect()
    gc.disable()
    try:
        for values, locale, last_seen in responses:
            started = clock()
            chosen = strategy(book, values, locale, NOW, last_seen)
            durations.append((clock() - started) / 1000)
            choices.append(None if chosen is None else chosen.id)
    finally:
        gc.enable()
    return choices, durations


def timed_rounds(strategy: Callable, book: CampaignBook, responses: list) -> tuple[list, list]:
    time_each(strategy, book, responses[:200])  # warm the live views and caches
    rounds = [time_each(strategy, book, responses) for _ in range(ROUNDS)]
    return rounds[0][0], [duration for _, durations in rounds for duration in durations]


def percentile(durations: list[float], fraction: float) -> float:
    ordered = sorted(durations)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(durations: list[float]) -> str:
    return f"{statistics.median(durations):>9.2f}{percentile(durations, 0.99):>9.2f}"


def agreement(choices: list, reference: list) -> str:
    agreed = sum(choice == expected for choice, expected in zip(choices, reference, strict=False))
    return f"{agreed}/{len(choices)}"


def compare(book: CampaignBook, varied: list, unmatched: list) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, (strategy, sample) in STRATEGIES.items():
        results[name] = {
            "varied": timed_rounds(strategy, book, varied[:sample]),
            "no match": timed_rounds(strategy, book, unmatched[: sample // 10]),
        }
    return results


def print_table(results: dict) -> None:
    naive = results["naive baseline"]
    print(f"{'':<25}{'varied responses':>18}{'':>13}{'no-match responses':>22}{'':>13}")
    print(
        f"{'strategy':<25}{'median':>9}{'p99':>9}{'agree':>13}{'median':>13}{'p99':>9}{'agree':>13}"
    )
    for name, result in results.items():
        varied_choices, varied_durations = result["varied"]
        unmatched_choices, unmatched_durations = result["no match"]
        print(
            f"{name:<25}{summary(varied_durations)}"
            f"{agreement(varied_choices, naive['varied'][0]):>13}    {summary(unmatched_durations)}"
            f"{agreement(unmatched_choices, naive['no match'][0]):>13}"
        )
    print("(µs per decision; agree = same campaign as the naive baseline)")


def segments_evaluated(book: CampaignBook, responses: list) -> list[int]:
    """How many predicates the fast path runs per decision, counted with a wrapped book."""
    counter = [0]

    def counted(segment: Segment) -> Segment:
        def matches(values, today):
            counter[0] += 1
            return segment.matches(values, today)

        return Segment(segment.id, segment.active, matches, name=segment.name)

    counting_book = CampaignBook(book.campaigns, map(counted, book.segments.values()), TIME_ZONE)
    counts = []
    for values, locale, last_seen in responses:
        counter[0] = 0
        decide(counting_book, values, locale, NOW, last_seen)
        counts.append(counter[0])
    return counts


def print_workload(book: CampaignBook, varied: list, results: dict) -> None:
    naive_choices = results["naive baseline"]["varied"][0]
    evaluated = segments_evaluated(book, varied)
    print(f"varied responses with no campaign: {naive_choices.count(None)} of {len(varied)}")
    print(
        f"segments evaluated per decide(): mean {statistics.mean(evaluated):.1f}, "
        f"median {statistics.median(evaluated)}, max {max(evaluated)} "
        f"(of {SEGMENTS - INACTIVE_SEGMENTS} active)"
    )


def verdict(results: dict) -> bool:
    fast = statistics.median(results["decide(explain=False)"]["varied"][1])
    naive = statistics.median(results["naive baseline"]["varied"][1])
    reference = {kind: results["naive baseline"][kind][0] for kind in ("varied", "no match")}
    agree = all(
        result[kind][0] == reference[kind][: len(result[kind][0])]
        for result in results.values()
        for kind in reference
    )
    print(f"speed-up of decide() over naive (median, varied): {naive / fast:.1f}x")
    print(f"target median < 25 µs: {'met' if fast < 25 else 'MISSED'} ({fast:.2f} µs)")
    print(f"target >= 3x faster than naive: {'met' if naive / fast >= 3 else 'MISSED'}")
    print(f"every strategy chose the naive baseline's campaign on every response: {agree}")
    return agree


def main() -> int:
    rng = random.Random(SEED)
    campaigns = make_campaigns(rng)
    book = CampaignBook(campaigns, make_segments(rng), TIME_ZONE)
    histories = make_history(rng, campaigns)
    varied = [make_response(rng, histories) for _ in range(RESPONSES)]
    unmatched = [make_unmatched_response(rng, histories) for _ in range(RESPONSES // 10)]
    print(
        f"shop: {len(campaigns)} live campaigns, {SEGMENTS} segments "
        f"({INACTIVE_SEGMENTS} inactive), {len(histories)} customers with impressions"
    )
    results = compare(book, varied, unmatched)
    print_table(results)
    print_workload(book, varied, results)
    agree = verdict(results)
    return 0 if compare_limits(book, varied, rng) and agree else 1


# --- the same shop with every rule that holds a campaign back -----------------------------

OFFICE = BusinessHours.from_dict({day: ["09:00", "18:00"] for day in
                                  ("mon", "tue", "wed", "thu", "fri", "sat")})


def with_limits(book: CampaignBook, rng: random.Random) -> CampaignBook:
    """A fifth of the campaigns limited to office hours and 50 open requests, a tenth
    with a 10% holdout, and a shop budget of 3 campaigns in 7 days (one type exempt)."""
    limited = [replace(
        campaign,
        callback_hours=OFFICE if index % 5 == 0 else None,
        max_open_callbacks=50 if index % 5 == 0 else None,
        holdout_percent=10 if index % 10 == 3 else 0,
    ) for index, campaign in enumerate(book.campaigns)]
    exempt = frozenset(c.id for c in limited if rng.random() < 0.1)
    budget = ContactBudget(3, days=7, exempt_ids=exempt)
    return CampaignBook(limited, book.segments.values(), TIME_ZONE, budget)


def limited_query(values, locale, last_seen, n):
    recent = {campaign_id: 1 for campaign_id in list(last_seen or {})[:4]}
    return values, locale, last_seen, recent, f"email:customer{n}@example.com"


def time_limited(book: CampaignBook, queries: list) -> tuple[list, list]:
    clock = time.perf_counter_ns
    choices, durations = [], []
    gc.collect()
    gc.disable()
    try:
        for values, locale, last_seen, recent, identity in queries:
            started = clock()
            decision = decide(book, values, locale, NOW, last_seen, recent=recent,
                              identity=identity, open_callbacks=lambda: 12)
            durations.append((clock() - started) / 1000)
            choices.append((decision.campaign_id, decision.held_out and decision.held_out.id))
    finally:
        gc.enable()
    return choices, durations


def compare_limits(book: CampaignBook, varied: list, rng: random.Random) -> bool:
    """decide() on the plain shop and on the same shop with every limit, in one run."""
    limited = with_limits(book, rng)
    queries = [limited_query(*query, n) for n, query in enumerate(varied)]
    plain = [(values, locale, last_seen, {}, "") for values, locale, last_seen, *_ in queries]
    time_limited(limited, queries[:200])
    time_limited(book, plain[:200])
    rounds = [(time_limited(book, plain)[1], time_limited(limited, queries)[1])
              for _ in range(ROUNDS)]
    plain_median = statistics.median(d for durations, _ in rounds for d in durations)
    limited_median = statistics.median(d for _, durations in rounds for d in durations)
    choices = time_limited(limited, queries)[0]
    explained = [decide(limited, values, locale, NOW, last_seen, explain=True, recent=recent,
                        identity=identity, open_callbacks=lambda: 12)
                 for values, locale, last_seen, recent, identity in queries[:500]]
    agree = choices[:500] == [(d.campaign_id, d.held_out and d.held_out.id) for d in explained]
    held = sum(1 for _, held_out in choices if held_out)
    print(f"\nwith callback hours, capacity, holdouts and a contact budget: median "
          f"{limited_median:.2f} µs vs {plain_median:.2f} µs plain "
          f"({limited_median / plain_median:.2f}x); {held} held out of {len(choices)}; "
          f"fast and explained paths agree: {agree}")
    return agree


if __name__ == "__main__":
    raise SystemExit(main())
