"""Property: the fast path, the explained path and a naive reference always agree."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kairos.engine.decision import Campaign, CampaignBook, Segment, decide

ATHENS = "Europe/Athens"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

# --- property: fast path == explained path == a naive reference ---------------------------


def naive_decide(shop, values, locale, now, last_seen):
    """The rules read literally, one campaign at a time, without any precomputation."""
    today = now.astimezone(ZoneInfo(shop.time_zone)).date()
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
        if candidate.active and in_window and speaks and matched and not capped:
            eligible.append(candidate)
    eligible.sort(key=lambda c: (c.priority, c.created_at, c.id))
    return eligible[0].id if eligible else None


def score_segment(segment_id, active, low, width):
    return Segment(segment_id, active, lambda values, today: low <= values["score"] <= low + width)


# Weighted towards live campaigns and active segments, so that most examples exercise
# the ranking among several matching segments rather than trivial empty decisions.
mostly = st.sampled_from([True, True, True, False])

segments_strategy = st.lists(
    st.tuples(mostly, st.integers(0, 10), st.integers(0, 6)), min_size=3, max_size=8
).map(lambda rows: [score_segment(i, *row) for i, row in enumerate(rows)])

campaign_strategy = st.builds(
    lambda priority, created_hours, active, start_offset, length, languages, segment_ids, cap: dict(
        priority=priority,
        created_at=CREATED + timedelta(hours=created_hours),
        active=active,
        start_date=TODAY + timedelta(days=start_offset),
        end_date=None if length is None else TODAY + timedelta(days=start_offset + length),
        languages=frozenset(languages),
        segment_ids=tuple(segment_ids),
        frequency_cap=cap,
    ),
    priority=st.integers(0, 3),
    created_hours=st.integers(0, 2),
    active=mostly,
    start_offset=st.integers(-6, 1),
    length=st.none() | st.integers(0, 8),
    languages=st.sampled_from([(), (), ("el",), ("en",), ("el", "en"), ("en-us",)]),
    segment_ids=st.lists(st.integers(0, 8), min_size=1, max_size=3),  # id 8 is never known
    cap=st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(days=1)]),
)

query_strategy = st.tuples(
    st.integers(0, 10),  # score
    st.sampled_from(["el", "en", "en-US", "EN_gb", "de", None]),
    st.integers(-36, 36),  # now, in hours from NOW
    st.dictionaries(st.integers(0, 11), st.integers(-30, 30), max_size=5),  # last seen, hours ago
)


@settings(max_examples=300, deadline=None)
@given(
    segments=segments_strategy,
    campaign_rows=st.lists(campaign_strategy, min_size=4, max_size=16),
    time_zone=st.sampled_from(["UTC", ATHENS, "America/Santiago", "Pacific/Kiritimati"]),
    queries=st.lists(query_strategy, min_size=1, max_size=5),
)
def test_it_always_agrees_with_the_naive_reference(segments, campaign_rows, time_zone, queries):
    campaigns = [Campaign(i, f"Campaign {i}", **row) for i, row in enumerate(campaign_rows)]
    shop = CampaignBook(campaigns, segments, time_zone)  # reused: exercises the view caches
    for score, locale, hours, seen_hours_ago in queries:
        now = NOW + timedelta(hours=hours)
        last_seen = {cid: now - timedelta(hours=ago) for cid, ago in seen_hours_ago.items()}
        values = {"score": score}
        expected = naive_decide(shop, values, locale, now, last_seen)
        assert decide(shop, values, locale, now, last_seen).campaign_id == expected
        explained = decide(shop, values, locale, now, last_seen, explain=True)
        assert explained.campaign_id == expected
        assert_trace_is_consistent(explained, campaigns)


def assert_trace_is_consistent(decision, campaigns):
    assert sorted(entry.campaign_id for entry in decision.trace) == [c.id for c in campaigns]
    chosen = [entry.campaign_id for entry in decision.trace if entry.outcome == "chosen"]
    assert chosen == ([] if decision.campaign is None else [decision.campaign_id])
    for entry in decision.trace:
        if entry.outcome == "outranked":
            assert entry.detail["outranked_by"] == decision.campaign_id
