"""Property: the fast path, the explained path and a naive reference always agree, over
every rule: windows, languages, segments, caps, callback hours and capacity, the contact
budget and holdouts."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kairos.engine.budget import ContactBudget
from kairos.engine.business_hours import BusinessHours
from kairos.engine.decision import Campaign, CampaignBook, Segment, decide
from kairos.engine.holdout import is_held_out

ATHENS = "Europe/Athens"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

# --- property: fast path == explained path == a naive reference ---------------------------


def naive_decide(shop, values, locale, now, last_seen, recent, identity, open_requests):
    """The rules read literally, one campaign at a time, without any precomputation.

    Answers (shown campaign id, held-out campaign id)."""
    local = now.astimezone(ZoneInfo(shop.time_zone))
    today = local.date()
    budget = shop.budget
    spent = budget is not None and sum(
        n for campaign_id, n in recent.items() if campaign_id not in budget.exempt_ids
    ) >= budget.campaigns
    tags = set()
    if locale:
        tags = {locale.lower().replace("_", "-"), locale.lower().replace("_", "-").split("-")[0]}
    eligible = []
    for candidate in shop.campaigns:
        in_window = candidate.start_date <= today and (
            candidate.end_date is None or today <= candidate.end_date
        )
        speaks = not candidate.languages or bool(tags & candidate.languages)
        targeted = [shop.segments.get(segment_id) for segment_id in candidate.segment_ids]
        matched = any(s is not None and s.active and s.matches(values, today) for s in targeted)
        seen = last_seen.get(candidate.id)
        capped = (
            bool(candidate.frequency_cap)
            and seen is not None
            and (now < seen + candidate.frequency_cap)
        )
        hours = candidate.callback_hours and candidate.callback_hours.days[local.weekday()]
        closed = candidate.callback_hours is not None and not (
            hours and hours[0] <= local.hour * 60 + local.minute < hours[1])
        full = (candidate.max_open_callbacks is not None
                and open_requests >= candidate.max_open_callbacks)
        stopped = spent and candidate.id not in budget.exempt_ids
        if (candidate.active and in_window and speaks and matched and not capped
                and not closed and not full and not stopped):
            eligible.append(candidate)
    eligible.sort(key=lambda c: (c.priority, c.created_at, c.id))
    if not eligible:
        return None, None
    best = eligible[0]
    if is_held_out(best.id, identity, best.holdout_percent):
        return None, best.id
    return best.id, None


def score_segment(segment_id, active, low, width):
    return Segment(segment_id, active, lambda values, today: low <= values["score"] <= low + width)


# Weighted towards live campaigns and active segments, so that most examples exercise
# the ranking among several matching segments rather than trivial empty decisions.
mostly = st.sampled_from([True, True, True, False])

segments_strategy = st.lists(
    st.tuples(mostly, st.integers(0, 10), st.integers(0, 6)), min_size=3, max_size=8
).map(lambda rows: [score_segment(i, *row) for i, row in enumerate(rows)])

HOURS = [None, None, None,
         BusinessHours.from_dict({d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu")}),
         BusinessHours.from_dict({"fri": ["00:00", "12:00"], "sat": ["12:00", "24:00"]})]

campaign_strategy = st.builds(
    lambda priority, created_hours, active, start_offset, length, languages, segment_ids, cap,
    holdout, hours, max_open: dict(
        priority=priority,
        created_at=CREATED + timedelta(hours=created_hours),
        active=active,
        start_date=TODAY + timedelta(days=start_offset),
        end_date=None if length is None else TODAY + timedelta(days=start_offset + length),
        languages=frozenset(languages),
        segment_ids=tuple(segment_ids),
        frequency_cap=cap,
        holdout_percent=holdout,
        callback_hours=hours,
        max_open_callbacks=max_open,
    ),
    priority=st.integers(0, 3),
    created_hours=st.integers(0, 2),
    active=mostly,
    start_offset=st.integers(-6, 1),
    length=st.none() | st.integers(0, 8),
    languages=st.sampled_from([(), (), ("el",), ("en",), ("el", "en"), ("en-us",)]),
    segment_ids=st.lists(st.integers(0, 8), min_size=1, max_size=3),  # id 8 is never known
    cap=st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(days=1)]),
    holdout=st.sampled_from([0, 0, 0, 30, 100]),
    hours=st.sampled_from(HOURS),
    max_open=st.sampled_from([None, None, None, 1, 3]),
)

budget_strategy = st.none() | st.builds(
    lambda campaigns, period, exempt: ContactBudget(campaigns, *period, exempt_ids=exempt),
    campaigns=st.integers(1, 3),
    period=st.sampled_from([(1, 0), (3, 0), (0, 6), (0, 48)]),
    exempt=st.frozensets(st.integers(0, 11), max_size=3),
)

query_strategy = st.tuples(
    st.integers(0, 10),  # score
    st.sampled_from(["el", "en", "en-US", "EN_gb", "de", None]),
    st.integers(-36, 36),  # now, in hours from NOW
    st.dictionaries(st.integers(0, 11), st.integers(-30, 30), max_size=5),  # last seen, hours ago
    st.dictionaries(st.integers(0, 11), st.integers(0, 2), max_size=5),  # showings in budget
    st.sampled_from(["", "email:a@example.com", "customer:c-7", "device:d-1"]),  # identity
    st.integers(0, 4),  # open callback requests
)


@settings(max_examples=300, deadline=None)
@given(
    segments=segments_strategy,
    campaign_rows=st.lists(campaign_strategy, min_size=4, max_size=16),
    time_zone=st.sampled_from(["UTC", ATHENS, "America/Santiago", "Pacific/Kiritimati"]),
    budget=budget_strategy,
    queries=st.lists(query_strategy, min_size=1, max_size=5),
)
def test_it_always_agrees_with_the_naive_reference(segments, campaign_rows, time_zone, budget,
                                                   queries):
    campaigns = [Campaign(i, f"Campaign {i}", **row) for i, row in enumerate(campaign_rows)]
    # Reused across queries: exercises the view caches.
    shop = CampaignBook(campaigns, segments, time_zone, budget)
    for score, locale, hours, seen_hours_ago, recent, identity, open_requests in queries:
        now = NOW + timedelta(hours=hours)
        last_seen = {cid: now - timedelta(hours=ago) for cid, ago in seen_hours_ago.items()}
        values = {"score": score}
        expected = naive_decide(shop, values, locale, now, last_seen, recent, identity,
                                open_requests)
        context = {"recent": recent, "identity": identity,
                   "open_callbacks": lambda n=open_requests: n}
        fast = decide(shop, values, locale, now, last_seen, **context)
        assert (fast.campaign_id, held_out_id(fast)) == expected
        explained = decide(shop, values, locale, now, last_seen, explain=True, **context)
        assert (explained.campaign_id, held_out_id(explained)) == expected
        assert_trace_is_consistent(explained, campaigns)


def held_out_id(decision):
    return None if decision.held_out is None else decision.held_out.id


def assert_trace_is_consistent(decision, campaigns):
    assert sorted(entry.campaign_id for entry in decision.trace) == [c.id for c in campaigns]
    chosen = [entry.campaign_id for entry in decision.trace if entry.outcome == "chosen"]
    assert chosen == ([] if decision.campaign is None else [decision.campaign_id])
    held = [entry.campaign_id for entry in decision.trace if entry.outcome == "held_out"]
    assert held == ([] if decision.held_out is None else [decision.held_out.id])
    winner = decision.campaign or decision.held_out
    for entry in decision.trace:
        assert entry.reason
        if entry.outcome == "outranked":
            assert entry.detail["outranked_by"] == winner.id
