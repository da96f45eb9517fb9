"""The display decision: which single campaign, if any, a completed response shows.

A campaign is a candidate when it is active, its date window contains `now` in the
shop's time zone, it speaks the response's language, at least one of its *active*
segments matches the response, and nothing holds it back for this customer at this
moment: its frequency cap, its callback hours, the shop's open callback requests
(capacity), the shop's contact budget. The best-ranked candidate wins: lowest priority
number, then the earliest created, then the lowest id. A customer in the winner's
holdout group sees nothing at all: the caller records a control impression of it.

Pure and standard-library only: the caller passes the response values, `now` and the
customer's history; nothing here reads a clock or a database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from kairos.engine.budget import ContactBudget
from kairos.engine.business_hours import BusinessHours
from kairos.engine.holdout import is_held_out
from kairos.engine.schedule import (
    NO_CAP,
    is_capped,
    require_aware,
    window_status,
    zone_info,
)
from kairos.engine.words import Words

Values = Mapping[str, Any]
LastSeen = Mapping[Hashable, datetime]
Recent = Mapping[Hashable, int]
Outcome = Literal[
    "chosen",
    "held_out",
    "inactive",
    "not_started",
    "ended",
    "language",
    "silenced",
    "segment_not_matched",
    "capped",
    "outside_hours",
    "at_capacity",
    "budget_spent",
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
    # The share of its customers held out as a control group (0: none).
    holdout_percent: float = 0
    # Callback campaigns: offered only within these hours of the shop (None: always) and
    # only while fewer than this many callback requests are open (None: no limit).
    callback_hours: BusinessHours | None = None
    max_open_callbacks: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise ValueError(f"priority must be an integer, got {self.priority!r}")
        if self.priority < 0:
            raise ValueError(f"priority must be 0 or more, got {self.priority}")
        if self.frequency_cap < NO_CAP:
            raise ValueError(f"frequency_cap must not be negative, got {self.frequency_cap}")
        if not 0 <= self.holdout_percent <= 100:
            raise ValueError(f"holdout_percent must be 0 to 100, got {self.holdout_percent}")
        if self.max_open_callbacks is not None and self.max_open_callbacks < 1:
            raise ValueError(f"max_open_callbacks must be 1 or more, got "
                             f"{self.max_open_callbacks}")
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
    """Why one campaign was, or was not, shown; `words` renders in any language."""

    campaign_id: Hashable
    title: str
    outcome: Outcome
    detail: Mapping[str, Any]
    words: Words

    @property
    def reason(self) -> str:
        return self.words.render()


@dataclass(frozen=True, slots=True)
class Decision:
    # The campaign to show; None when nothing is shown (also when held out).
    campaign: Campaign | None
    # One entry per campaign of the shop, best-ranked first; None unless explain=True.
    trace: list[CandidateTrace] | None = None
    # The campaign this customer would have seen but is held out of: record a control
    # impression of it (counted by caps and the budget as a real one), show nothing.
    held_out: Campaign | None = None

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

    Built once from its campaigns, segments, time zone and contact budget, then shared by
    many decisions until the configuration changes. Everything that does not depend on
    the response is computed here or cached per (local date, language): the ranking, the
    live campaigns of a day, and per segment its live campaigns in rank order.
    """

    _MAX_CACHED = 256  # bounds memory whatever dates and locales callers send

    def __init__(
        self,
        campaigns: Iterable[Campaign],
        segments: Iterable[Segment],
        time_zone: str = "UTC",
        budget: ContactBudget | None = None,
    ) -> None:
        self.time_zone = time_zone
        self.zone = zone_info(time_zone)
        self.budget = budget
        self.campaigns: tuple[Campaign, ...] = tuple(sorted(campaigns, key=_rank_key))
        self.segments: dict[Hashable, Segment] = _index_by_id(segments, "segment")
        self.by_id: dict[Hashable, Campaign] = _index_by_id(self.campaigns, "campaign")
        self._targets = {c.id: self._targeted_segments(c) for c in self.campaigns}
        self._active = {
            campaign_id: tuple(segment for segment in targeted if segment.active)
            for campaign_id, targeted in self._targets.items()
        }
        self._languages = frozenset().union(*(c.languages for c in self.campaigns))
        self._views: dict[tuple[date, tuple[str, ...]], LiveView] = {}
        self._language_keys: dict[str | None, tuple[str, ...]] = {}

    def with_campaigns(self, campaigns: Iterable[Campaign]) -> CampaignBook:
        """The same shop (segments, zone, budget) deciding among `campaigns` only."""
        return CampaignBook(campaigns, self.segments.values(), self.time_zone, self.budget)

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

    def budget_start(self, now: datetime) -> datetime | None:
        """Where the contact budget's period ending at `now` begins (None: no budget):
        the caller counts each campaign's showings to the customer from there."""
        return None if self.budget is None else self.budget.window_start(now, self.zone)

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
            if is_live(campaign, today, tags)
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


@dataclass(slots=True)
class Circumstances:
    """What one decision knows beyond the response: the moment, this customer's history
    and the shop's callback queue. Both paths judge "held back" through these methods, so
    they cannot disagree."""

    book: CampaignBook
    now: datetime
    local: datetime  # `now` on the shop's wall clock
    last_seen: LastSeen
    recent: Recent
    identity: str
    count_open_callbacks: Callable[[], int] | None
    budget_used: int = 0
    _open_callbacks: int | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        return self.local.date()

    def capped(self, campaign: Campaign) -> bool:
        if not campaign.frequency_cap or not self.last_seen:
            return False
        return is_capped(self.last_seen.get(campaign.id), campaign.frequency_cap, self.now)

    def outside_hours(self, campaign: Campaign) -> bool:
        hours = campaign.callback_hours
        return hours is not None and not hours.is_open(self.local)

    def at_capacity(self, campaign: Campaign) -> bool:
        limit = campaign.max_open_callbacks
        return limit is not None and self.open_callbacks() >= limit

    def open_callbacks(self) -> int:
        """Asked of the caller at most once, and only for a campaign that has a limit."""
        if self._open_callbacks is None:
            count = self.count_open_callbacks
            self._open_callbacks = 0 if count is None else count()
        return self._open_callbacks

    def budget_spent(self, campaign: Campaign) -> bool:
        budget = self.book.budget
        return (budget is not None and self.budget_used >= budget.campaigns
                and not budget.exempts(campaign.id))

    def holds_back(self, campaign: Campaign) -> bool:
        return (self.capped(campaign) or self.outside_hours(campaign)
                or self.at_capacity(campaign) or self.budget_spent(campaign))

    def holds_out(self, campaign: Campaign) -> bool:
        """Whether this customer is in the campaign's control group."""
        return is_held_out(campaign.id, self.identity, campaign.holdout_percent)


def decide(
    book: CampaignBook,
    values: Values,
    locale: str | None,
    now: datetime,
    last_seen: LastSeen | None = None,
    explain: bool = False,
    *,
    recent: Recent | None = None,
    identity: str = "",
    open_callbacks: Callable[[], int] | None = None,
) -> Decision:
    """Pick at most one campaign for a completed response at the instant `now`.

    `last_seen` maps a campaign id to this customer's latest impression of it, and
    `recent` to how many times they were shown it since `book.budget_start(now)` (both
    over all their identities and devices, control impressions included). `identity` is
    the customer's key for holdouts (customer id, e-mail, phone or device).
    `open_callbacks()` answers how many callback requests the shop has open; it is
    called at most once, and only when a campaign limited by them could be shown. With
    explain=True the decision carries one CandidateTrace per campaign of the shop;
    otherwise no trace work is done at all.
    """
    require_aware(now, "now")
    local = now.astimezone(book.zone)
    circumstances = Circumstances(book, now, local, last_seen or {}, recent or {}, identity,
                                  open_callbacks)
    if book.budget is not None and recent:
        circumstances.budget_used = book.budget.used(recent)
    if explain:
        from kairos.engine.explained import decide_with_trace

        return decide_with_trace(book, values, locale, circumstances)
    view = book.live_view(local.date(), locale)
    best = _best_campaign(view, values, circumstances)
    if best is not None and circumstances.holds_out(best):
        return Decision(None, held_out=best)
    return Decision(best)


_NO_RANK = sys.maxsize


def _best_campaign(view: LiveView, values: Values, circumstances: Circumstances
                   ) -> Campaign | None:
    """Branch and bound over segments in order of their best campaign's rank.

    Each segment is evaluated at most once, and only while it could still bring in a
    campaign better than the best found so far; so the cost follows the segments
    evaluated, not the number of campaigns. A no-match response evaluates every live
    segment once, which no strategy can avoid.
    """
    best_rank, best = _NO_RANK, None
    today = view.today
    for head_rank, segment, ranked in view.segment_entries:
        if head_rank >= best_rank:
            break  # entries are sorted by head rank: nothing later can outrank `best`
        if not segment.matches(values, today):
            continue
        for rank, campaign in ranked:
            if rank >= best_rank:
                break
            if not circumstances.holds_back(campaign):
                best_rank, best = rank, campaign
                break
    return best


def is_live(campaign: Campaign, today: date, tags: tuple[str, ...]) -> bool:
    return (
        campaign.active
        and window_status(campaign.start_date, campaign.end_date, today) == "open"
        and speaks(campaign.languages, tags)
    )


def _rank_key(campaign: Campaign) -> tuple[int, datetime, Hashable]:
    return campaign.rank_key


def _index_by_id(items: Iterable, kind: str) -> dict:
    index = {}
    for item in items:
        if item.id in index:
            raise ValueError(f"duplicate {kind} id {item.id!r}")
        index[item.id] = item
    return index
