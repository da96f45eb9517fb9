"""The display decision: which single campaign, if any, a completed response shows.

A campaign is a candidate when it is active, its date window contains `now` in the
shop's time zone, it speaks the response's language, at least one of its *active*
segments matches the response, and the customer is not frequency-capped on it. The
best-ranked candidate wins: lowest priority number, then the earliest created, then
the lowest id.

Pure and standard-library only: the caller passes the response values, `now` and the
customer's last impressions; nothing here reads a clock or a database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from kairos.engine.schedule import (
    NO_CAP,
    capped_until,
    is_capped,
    local_date,
    require_aware,
    window_status,
    zone_info,
)

Values = Mapping[str, Any]
LastSeen = Mapping[Hashable, datetime]
Outcome = Literal[
    "chosen",
    "inactive",
    "not_started",
    "ended",
    "language",
    "silenced",
    "segment_not_matched",
    "capped",
    "outranked",
]


@dataclass(frozen=True, slots=True)
class Segment:
    """A compiled segment: `matches` decides, `explain` says which condition failed."""

    id: Hashable
    active: bool
    matches: Callable[[Values, date], bool]
    explain: Callable[[Values, date], list[str]] | None = None
    name: str = ""

    def label(self) -> str:
        return f"#{self.id} '{self.name}'" if self.name else f"#{self.id}"


@dataclass(frozen=True, slots=True)
class Campaign:
    id: Hashable
    title: str
    priority: int
    created_at: datetime
    active: bool
    start_date: date
    end_date: date | None = None
    languages: frozenset[str] = frozenset()
    segment_ids: tuple[Hashable, ...] = ()
    frequency_cap: timedelta = NO_CAP

    def __post_init__(self) -> None:
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise ValueError(f"priority must be an integer, got {self.priority!r}")
        if self.priority < 0:
            raise ValueError(f"priority must be 0 or more, got {self.priority}")
        if self.frequency_cap < NO_CAP:
            raise ValueError(f"frequency_cap must not be negative, got {self.frequency_cap}")
        require_aware(self.created_at, "created_at")
        # Normalised once here so matching a locale is a plain set lookup later.
        languages = frozenset(normalise_language(tag) for tag in self.languages)
        object.__setattr__(self, "languages", languages)
        object.__setattr__(self, "segment_ids", tuple(self.segment_ids))

    @property
    def rank_key(self) -> tuple[int, datetime, Hashable]:
        """Sorts best first: priority 0 is highest, then the oldest, then the lowest id."""
        return (self.priority, self.created_at, self.id)

    def label(self) -> str:
        return f"#{self.id} '{self.title}'"


@dataclass(frozen=True, slots=True)
class CandidateTrace:
    """Why one campaign was, or was not, shown."""

    campaign_id: Hashable
    title: str
    outcome: Outcome
    detail: Mapping[str, Any]
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    campaign: Campaign | None
    # One entry per campaign of the shop, best-ranked first; None unless explain=True.
    trace: list[CandidateTrace] | None = None

    @property
    def campaign_id(self) -> Hashable | None:
        return None if self.campaign is None else self.campaign.id


def normalise_language(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def language_tags(locale: str | None) -> tuple[str, ...]:
    """The tags a locale accepts: itself, then its primary language ('el_GR' -> el-gr, el).

    So a campaign for "el" reaches a browser that says "el-GR", while a campaign for
    "pt-BR" still does not reach "pt-PT".
    """
    if not locale:
        return ()
    tag = normalise_language(locale)
    primary = tag.split("-", 1)[0]
    return (tag,) if primary == tag else (tag, primary)


def speaks(languages: frozenset[str], tags: tuple[str, ...]) -> bool:
    """Empty languages means every language."""
    return not languages or any(tag in languages for tag in tags)


# A segment with the ranked live campaigns that target it; the head rank (that of
# its best campaign) is a lower bound on any campaign the segment can bring in.
SegmentEntry = tuple[int, Segment, tuple[tuple[int, Campaign], ...]]


@dataclass(frozen=True, slots=True)
class LiveView:
    """What one local day and one language leave to decide: live campaigns by segment."""

    today: date
    language_tags: tuple[str, ...]
    ranked_campaigns: tuple[tuple[int, Campaign], ...]
    segment_entries: tuple[SegmentEntry, ...]


class CampaignBook:
    """The compiled campaign configuration of ONE shop.

    Built once from its campaigns, segments and time zone, then shared by many
    decisions until the configuration changes. Everything that does not depend on the
    response is computed here or cached per (local date, language): the ranking, the
    live campaigns of a day, and per segment its live campaigns in rank order.
    """

    _MAX_CACHED = 256  # bounds memory whatever dates and locales callers send

    def __init__(
        self,
        campaigns: Iterable[Campaign],
        segments: Iterable[Segment],
        time_zone: str = "UTC",
    ) -> None:
        self.time_zone = time_zone
        self.zone = zone_info(time_zone)
        self.campaigns: tuple[Campaign, ...] = tuple(sorted(campaigns, key=_rank_key))
        self.segments: dict[Hashable, Segment] = _index_by_id(segments, "segment")
        _index_by_id(self.campaigns, "campaign")
        self._targets = {c.id: self._targeted_segments(c) for c in self.campaigns}
        self._active = {
            campaign_id: tuple(segment for segment in targeted if segment.active)
            for campaign_id, targeted in self._targets.items()
        }
        self._languages = frozenset().union(*(c.languages for c in self.campaigns))
        self._views: dict[tuple[date, tuple[str, ...]], LiveView] = {}
        self._language_keys: dict[str | None, tuple[str, ...]] = {}

    def _targeted_segments(self, campaign: Campaign) -> tuple[Segment, ...]:
        # Unknown ids are ignored (a deleted segment matches nobody); duplicates would
        # list the campaign twice under one segment.
        unique_ids = dict.fromkeys(campaign.segment_ids)
        return tuple(self.segments[i] for i in unique_ids if i in self.segments)

    def targeted_segments(self, campaign: Campaign) -> tuple[Segment, ...]:
        """The known segments a campaign targets, active or not, without duplicates."""
        return self._targets[campaign.id]

    def active_segments(self, campaign: Campaign) -> tuple[Segment, ...]:
        """The targeted segments that can match: an inactive segment never does."""
        return self._active[campaign.id]

    def live_view(self, today: date, locale: str | None) -> LiveView:
        key = (today, self._language_key(locale))
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = self._build_view(*key)
            self._trim(self._views)
        return view

    def _language_key(self, locale: str | None) -> tuple[str, ...]:
        # Only tags some campaign lists can change the outcome: every other locale
        # shares one view (campaigns for all languages), so the cache stays small.
        key = self._language_keys.get(locale)
        if key is None:
            key = tuple(tag for tag in language_tags(locale) if tag in self._languages)
            self._language_keys[locale] = key
            self._trim(self._language_keys)
        return key

    def _trim(self, cache: dict) -> None:
        # Clearing rather than evicting one entry keeps this safe under threads.
        if len(cache) > self._MAX_CACHED:
            cache.clear()

    def _build_view(self, today: date, tags: tuple[str, ...]) -> LiveView:
        live = tuple(
            (rank, campaign)
            for rank, campaign in enumerate(self.campaigns)
            if _is_live(campaign, today, tags)
        )
        by_segment: dict[Hashable, tuple[Segment, list]] = {}
        for rank, campaign in live:
            for segment in self.active_segments(campaign):
                by_segment.setdefault(segment.id, (segment, []))[1].append((rank, campaign))
        entries = sorted(
            ((ranked[0][0], segment, tuple(ranked)) for segment, ranked in by_segment.values()),
            key=lambda entry: entry[0],
        )
        return LiveView(today, tags, live, tuple(entries))


def decide(
    book: CampaignBook,
    values: Values,
    locale: str | None,
    now: datetime,
    last_seen: LastSeen | None = None,
    explain: bool = False,
) -> Decision:
    """Pick at most one campaign for a completed response at the instant `now`.

    `last_seen` maps a campaign id to this customer's latest impression of it (over
    all their identities and devices). With explain=True the decision carries one
    CandidateTrace per campaign of the shop; otherwise no trace work is done at all.
    """
    today = local_date(now, book.zone)
    if explain:
        return _decide_with_trace(book, values, locale, now, today, last_seen or {})
    view = book.live_view(today, locale)
    return Decision(_best_campaign(view, values, today, now, last_seen))


_NO_RANK = sys.maxsize


def _best_campaign(
    view: LiveView, values: Values, today: date, now: datetime, last_seen: LastSeen | None
) -> Campaign | None:
    """Branch and bound over segments in order of their best campaign's rank.

    Each segment is evaluated at most once, and only while it could still bring in a
    campaign better than the best found so far; so the cost follows the segments
    evaluated, not the number of campaigns. A no-match response evaluates every live
    segment once, which no strategy can avoid.
    """
    best_rank, best = _NO_RANK, None
    for head_rank, segment, ranked in view.segment_entries:
        if head_rank >= best_rank:
            break  # entries are sorted by head rank: nothing later can outrank `best`
        if not segment.matches(values, today):
            continue
        for rank, campaign in ranked:
            if rank >= best_rank:
                break
            if not _is_capped_for(campaign, last_seen, now):
                best_rank, best = rank, campaign
                break
    return best


def _is_live(campaign: Campaign, today: date, tags: tuple[str, ...]) -> bool:
    return (
        campaign.active
        and window_status(campaign.start_date, campaign.end_date, today) == "open"
        and speaks(campaign.languages, tags)
    )


def _is_capped_for(campaign: Campaign, last_seen: LastSeen | None, now: datetime) -> bool:
    if not last_seen or not campaign.frequency_cap:
        return False
    return is_capped(last_seen.get(campaign.id), campaign.frequency_cap, now)


def _rank_key(campaign: Campaign) -> tuple[int, datetime, Hashable]:
    return campaign.rank_key


def _index_by_id(items: Iterable, kind: str) -> dict:
    index = {}
    for item in items:
        if item.id in index:
            raise ValueError(f"duplicate {kind} id {item.id!r}")
        index[item.id] = item
    return index


# --- The explained decision -------------------------------------------------------
# Deliberately a separate, exhaustive walk in rank order: it judges every campaign
# against every rule so the trace is complete, and it doubles as an independent
# check of the fast path (the tests assert both always choose the same campaign).


@dataclass(slots=True)
class _Judgement:
    """The response-side facts every rule reads, with segment results memoised."""

    book: CampaignBook
    values: Values
    locale: str | None
    now: datetime
    today: date
    last_seen: LastSeen
    tags: tuple[str, ...] = ()
    matched: dict[Hashable, bool] = field(default_factory=dict)
    reasons: dict[Hashable, list[str]] = field(default_factory=dict)

    def matches(self, segment: Segment) -> bool:
        if segment.id not in self.matched:
            self.matched[segment.id] = bool(segment.matches(self.values, self.today))
        return self.matched[segment.id]

    def why_not(self, segment: Segment) -> list[str]:
        if not segment.active:
            return ["segment is inactive"]
        if segment.id not in self.reasons:
            self.reasons[segment.id] = _explain(segment, self.values, self.today)
        return self.reasons[segment.id]

    def matched_segment_ids(self, campaign: Campaign) -> tuple[Hashable, ...]:
        return tuple(s.id for s in self.book.active_segments(campaign) if self.matches(s))

    def in_shop_time(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.book.zone):%Y-%m-%d %H:%M} {self.book.time_zone}"


def _explain(segment: Segment, values: Values, today: date) -> list[str]:
    if segment.explain is None:
        return ["conditions not met"]
    return list(segment.explain(values, today)) or ["conditions not met"]


def _decide_with_trace(
    book: CampaignBook,
    values: Values,
    locale: str | None,
    now: datetime,
    today: date,
    last_seen: LastSeen,
) -> Decision:
    judgement = _Judgement(book, values, locale, now, today, last_seen, language_tags(locale))
    verdicts = [(campaign, _why_not_eligible(campaign, judgement)) for campaign in book.campaigns]
    winner = next((campaign for campaign, verdict in verdicts if verdict is None), None)
    trace = [verdict or _eligible_trace(c, winner, judgement) for c, verdict in verdicts]
    return Decision(winner, trace)


def _why_not_eligible(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    """The first rule, in the spec's order, that drops the campaign; None if eligible."""
    for rule in _RULES:
        verdict = rule(campaign, judgement)
        if verdict is not None:
            return verdict
    return None


def _trace(campaign: Campaign, outcome: Outcome, reason: str, **detail: Any) -> CandidateTrace:
    return CandidateTrace(campaign.id, campaign.title, outcome, detail, reason)


def _inactive(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if campaign.active:
        return None
    return _trace(campaign, "inactive", "campaign is switched off")


def _outside_window(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    today, where = judgement.today, judgement.book.time_zone
    status = window_status(campaign.start_date, campaign.end_date, today)
    if status == "not_started":
        reason = f"starts on {campaign.start_date} (it is {today} in {where})"
        return _trace(campaign, status, reason, start_date=campaign.start_date, local_date=today)
    if status == "ended":
        reason = f"ended on {campaign.end_date} (it is {today} in {where})"
        return _trace(campaign, status, reason, end_date=campaign.end_date, local_date=today)
    return None


def _wrong_language(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if speaks(campaign.languages, judgement.tags):
        return None
    languages = tuple(sorted(campaign.languages))
    reason = f"shown only in {', '.join(languages)}; the response is in {judgement.locale!r}"
    return _trace(campaign, "language", reason, languages=languages, locale=judgement.locale)


def _no_matching_segment(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    targeted = judgement.book.targeted_segments(campaign)
    active = [segment for segment in targeted if segment.active]
    if not active:
        inactive_ids = tuple(segment.id for segment in targeted)
        reason = _silenced_reason(targeted)
        return _trace(campaign, "silenced", reason, inactive_segment_ids=inactive_ids)
    if any(judgement.matches(segment) for segment in active):
        return None
    reasons = {segment.id: judgement.why_not(segment) for segment in targeted}
    sentences = "; ".join(f"{s.label()}: {', '.join(reasons[s.id])}" for s in targeted)
    return _trace(
        campaign,
        "segment_not_matched",
        f"matched none of its segments — {sentences}",
        segments=reasons,
    )


def _silenced_reason(targeted: tuple[Segment, ...]) -> str:
    if not targeted:
        return "targets no segment, so it is never shown"
    labels = ", ".join(segment.label() for segment in targeted)
    return f"never shown: all its segments are inactive ({labels})"


def _capped(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    last_seen = judgement.last_seen.get(campaign.id)
    if not is_capped(last_seen, campaign.frequency_cap, judgement.now):
        return None
    until = capped_until(last_seen, campaign.frequency_cap)
    return _trace(
        campaign,
        "capped",
        f"capped until {judgement.in_shop_time(until)}",
        capped_until=until,
        last_seen=last_seen,
        matched_segment_ids=judgement.matched_segment_ids(campaign),
    )


_RULES: tuple[Callable[[Campaign, _Judgement], CandidateTrace | None], ...] = (
    _inactive,
    _outside_window,
    _wrong_language,
    _no_matching_segment,
    _capped,
)


def _eligible_trace(
    campaign: Campaign, winner: Campaign | None, judgement: _Judgement
) -> CandidateTrace:
    assert winner is not None  # an eligible campaign exists, so a winner does
    matched = judgement.matched_segment_ids(campaign)
    if campaign is winner:
        reason = f"chosen: the best-ranked eligible campaign (priority {campaign.priority})"
        return _trace(campaign, "chosen", reason, matched_segment_ids=matched)
    reason = f"outranked by {winner.label()} ({_why_ahead(winner, campaign)})"
    return _trace(
        campaign, "outranked", reason, outranked_by=winner.id, matched_segment_ids=matched
    )


def _why_ahead(winner: Campaign, loser: Campaign) -> str:
    """Names the tie-break that decided, so a marketer sees an accidental tie."""
    if winner.priority != loser.priority:
        return f"priority {winner.priority}"
    if winner.created_at != loser.created_at:
        return f"same priority {winner.priority}, created earlier"
    return f"same priority {winner.priority} and creation time, lower id"
