"""The explained decision: why each campaign of the shop was, or was not, shown.

Deliberately a separate, exhaustive walk in rank order: it judges every campaign
against every rule so the trace is complete, and it doubles as an independent check of
the fast path in decision.py (the tests assert both always choose the same campaign).
Every reason is `Words`, so the dashboard and the API can say it in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kairos.engine.decision import (
    Campaign,
    CampaignBook,
    CandidateTrace,
    Circumstances,
    Decision,
    Outcome,
    Segment,
    Values,
    language_tags,
    speaks,
)
from kairos.engine.schedule import capped_until, window_status
from kairos.engine.words import Listing, ShopTime, Words, gettext_noop


@dataclass(slots=True)
class _Judgement:
    """The response-side facts every rule reads, with segment results memoised."""

    book: CampaignBook
    values: Values
    locale: str | None
    circumstances: Circumstances
    tags: tuple[str, ...] = ()
    matched: dict[Hashable, bool] = field(default_factory=dict)
    reasons: dict[Hashable, list[Words | str]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.circumstances.today

    def matches(self, segment: Segment) -> bool:
        if segment.id not in self.matched:
            self.matched[segment.id] = bool(segment.matches(self.values, self.today))
        return self.matched[segment.id]

    def why_not(self, segment: Segment) -> list[Words | str]:
        if not segment.active:
            return [Words(gettext_noop("segment is inactive"))]
        if segment.id not in self.reasons:
            self.reasons[segment.id] = _explain(segment, self.values, self.today)
        return self.reasons[segment.id]

    def matched_segment_ids(self, campaign: Campaign) -> tuple[Hashable, ...]:
        return tuple(s.id for s in self.book.active_segments(campaign) if self.matches(s))

    def in_shop_time(self, moment: datetime) -> ShopTime:
        return ShopTime(moment.astimezone(self.book.zone), self.book.time_zone)


def _explain(segment: Segment, values: Values, today: date) -> list[Words | str]:
    # The rules engine's own words for a failed condition (English) when it has them.
    found = list(segment.explain(values, today)) if segment.explain is not None else []
    return found or [Words(gettext_noop("conditions not met"))]


def decide_with_trace(
    book: CampaignBook, values: Values, locale: str | None, circumstances: Circumstances
) -> Decision:
    judgement = _Judgement(book, values, locale, circumstances, language_tags(locale))
    verdicts = [(campaign, _why_not_eligible(campaign, judgement)) for campaign in book.campaigns]
    winner = next((campaign for campaign, verdict in verdicts if verdict is None), None)
    held_out = winner is not None and circumstances.holds_out(winner)
    trace = [verdict or _eligible_trace(c, winner, held_out, judgement) for c, verdict in verdicts]
    if held_out:
        return Decision(None, trace, held_out=winner)
    return Decision(winner, trace)


def _why_not_eligible(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    """The first rule, in the spec's order, that drops the campaign; None if eligible."""
    for rule in _RULES:
        verdict = rule(campaign, judgement)
        if verdict is not None:
            return verdict
    return None


def _trace(campaign: Campaign, outcome: Outcome, template: str,
           params: Mapping[str, Any] | None = None, **detail: Any) -> CandidateTrace:
    return CandidateTrace(campaign.id, campaign.title, outcome, detail,
                          Words(template, params or {}))


def _inactive(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if campaign.active:
        return None
    return _trace(campaign, "inactive", gettext_noop("campaign is switched off"))


def _outside_window(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    today, where = judgement.today, judgement.book.time_zone
    status = window_status(campaign.start_date, campaign.end_date, today)
    if status == "not_started":
        return _trace(campaign, status,
                      gettext_noop("starts on %(start)s (it is %(today)s in %(zone)s)"),
                      {"start": campaign.start_date, "today": today, "zone": where},
                      start_date=campaign.start_date, local_date=today)
    if status == "ended":
        return _trace(campaign, status,
                      gettext_noop("ended on %(end)s (it is %(today)s in %(zone)s)"),
                      {"end": campaign.end_date, "today": today, "zone": where},
                      end_date=campaign.end_date, local_date=today)
    return None


def _wrong_language(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if speaks(campaign.languages, judgement.tags):
        return None
    languages = tuple(sorted(campaign.languages))
    return _trace(campaign, "language",
                  gettext_noop("shown only in %(languages)s; the response is in %(locale)s"),
                  {"languages": ", ".join(languages), "locale": repr(judgement.locale)},
                  languages=languages, locale=judgement.locale)


def _no_matching_segment(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    targeted = judgement.book.targeted_segments(campaign)
    active = [segment for segment in targeted if segment.active]
    if not active:
        inactive_ids = tuple(segment.id for segment in targeted)
        return _silenced(campaign, targeted, inactive_ids)
    if any(judgement.matches(segment) for segment in active):
        return None
    reasons = {segment.id: judgement.why_not(segment) for segment in targeted}
    sentences = Listing([Words("%(segment)s: %(reasons)s",
                               {"segment": s.label(), "reasons": Listing(reasons[s.id])})
                         for s in targeted], "; ")
    return _trace(campaign, "segment_not_matched",
                  gettext_noop("matched none of its segments — %(segments)s"),
                  {"segments": sentences},
                  segments={k: [_english(r) for r in v] for k, v in reasons.items()})


def _english(reason: Words | str) -> str:
    return reason.render() if isinstance(reason, Words) else reason


def _silenced(campaign: Campaign, targeted: tuple[Segment, ...],
              inactive_ids: tuple[Hashable, ...]) -> CandidateTrace:
    if not targeted:
        return _trace(campaign, "silenced",
                      gettext_noop("targets no segment, so it is never shown"),
                      inactive_segment_ids=inactive_ids)
    labels = ", ".join(segment.label() for segment in targeted)
    return _trace(campaign, "silenced",
                  gettext_noop("never shown: all its segments are inactive (%(segments)s)"),
                  {"segments": labels}, inactive_segment_ids=inactive_ids)


def _capped(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    circumstances = judgement.circumstances
    if not circumstances.capped(campaign):
        return None
    last_seen = circumstances.last_seen[campaign.id]
    until = capped_until(last_seen, campaign.frequency_cap)
    assert until is not None  # capped, so seen and capped by a duration
    return _trace(campaign, "capped", gettext_noop("capped until %(until)s"),
                  {"until": judgement.in_shop_time(until)},
                  capped_until=until, last_seen=last_seen,
                  matched_segment_ids=judgement.matched_segment_ids(campaign))


def _outside_hours(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if not judgement.circumstances.outside_hours(campaign):
        return None
    assert campaign.callback_hours is not None
    opens = campaign.callback_hours.next_opening(judgement.circumstances.local)
    return _trace(campaign, "outside_hours",
                  gettext_noop("outside its callback hours: offered again from %(opens)s"),
                  {"opens": judgement.in_shop_time(opens)}, opens_at=opens,
                  callback_hours=campaign.callback_hours.as_dict(),
                  matched_segment_ids=judgement.matched_segment_ids(campaign))


def _at_capacity(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    if not judgement.circumstances.at_capacity(campaign):
        return None
    open_now = judgement.circumstances.open_callbacks()
    return _trace(campaign, "at_capacity",
                  gettext_noop("at capacity: %(open)s callback requests are open, it is "
                               "offered only while fewer than %(limit)s are"),
                  {"open": open_now, "limit": campaign.max_open_callbacks},
                  open_callbacks=open_now, max_open_callbacks=campaign.max_open_callbacks,
                  matched_segment_ids=judgement.matched_segment_ids(campaign))


def _budget_spent(campaign: Campaign, judgement: _Judgement) -> CandidateTrace | None:
    circumstances = judgement.circumstances
    if not circumstances.budget_spent(campaign):
        return None
    budget, book = judgement.book.budget, judgement.book
    assert budget is not None
    since = budget.window_start(circumstances.now, book.zone)
    counted = _counted_showings(judgement)
    shown = Listing([_showing_words(book, campaign_id, times, last, judgement)
                     for campaign_id, times, last in counted])
    return _trace(campaign, "budget_spent",
                  gettext_noop("budget spent: shown %(shown)s — %(used)s of at most "
                               "%(limit)s since %(since)s"),
                  {"shown": shown, "used": circumstances.budget_used,
                   "limit": budget.campaigns, "since": judgement.in_shop_time(since)},
                  budget={"campaigns": budget.campaigns, "days": budget.days,
                          "hours": budget.hours},
                  since=since, used=circumstances.budget_used,
                  shown=[{"campaign_id": campaign_id, "times": times, "last_shown_at": last}
                         for campaign_id, times, last in counted],
                  matched_segment_ids=judgement.matched_segment_ids(campaign))


def _counted_showings(judgement: _Judgement) -> list[tuple[Hashable, int, datetime | None]]:
    """(campaign id, showings in the period, last shown) of the campaigns that count,
    latest first."""
    budget = judgement.book.budget
    assert budget is not None
    circumstances = judgement.circumstances
    counted = [(campaign_id, times, circumstances.last_seen.get(campaign_id))
               for campaign_id, times in circumstances.recent.items()
               if times and not budget.exempts(campaign_id)]
    return sorted(counted, key=lambda row: row[2].timestamp() if row[2] else 0, reverse=True)


def _showing_words(book: CampaignBook, campaign_id: Hashable, times: int,
                   last: datetime | None, judgement: _Judgement) -> Words:
    known = book.by_id.get(campaign_id)
    label = known.label() if known is not None else f"#{campaign_id}"
    at = judgement.in_shop_time(last) if last is not None else "?"
    if times == 1:
        return Words(gettext_noop("%(campaign)s on %(at)s"), {"campaign": label, "at": at})
    return Words(gettext_noop("%(campaign)s %(times)s times, last on %(at)s"),
                 {"campaign": label, "times": times, "at": at})


_RULES: tuple[Callable[[Campaign, _Judgement], CandidateTrace | None], ...] = (
    _inactive,
    _outside_window,
    _wrong_language,
    _no_matching_segment,
    _capped,
    _outside_hours,
    _at_capacity,
    _budget_spent,
)


def _eligible_trace(
    campaign: Campaign, winner: Campaign | None, held_out: bool, judgement: _Judgement
) -> CandidateTrace:
    assert winner is not None  # an eligible campaign exists, so a winner does
    matched = judgement.matched_segment_ids(campaign)
    if campaign is winner and held_out:
        return _trace(campaign, "held_out",
                      gettext_noop("held out: control group (%(percent)s%% of its customers "
                                   "see nothing; a control impression is recorded)"),
                      {"percent": _percent(campaign.holdout_percent)},
                      holdout_percent=campaign.holdout_percent, matched_segment_ids=matched)
    if campaign is winner:
        return _trace(campaign, "chosen",
                      gettext_noop("chosen: the best-ranked eligible campaign "
                                   "(priority %(priority)s)"),
                      {"priority": campaign.priority}, matched_segment_ids=matched)
    return _trace(campaign, "outranked", _why_ahead(winner, campaign),
                  {"winner": winner.label(), "priority": winner.priority},
                  outranked_by=winner.id, matched_segment_ids=matched)


def _percent(value: float) -> str:
    return f"{value:g}"


def _why_ahead(winner: Campaign, loser: Campaign) -> str:
    """Names the tie-break that decided, so a marketer sees an accidental tie."""
    if winner.priority != loser.priority:
        return gettext_noop("outranked by %(winner)s (priority %(priority)s)")
    if winner.created_at != loser.created_at:
        return gettext_noop("outranked by %(winner)s (same priority %(priority)s, "
                            "created earlier)")
    return gettext_noop("outranked by %(winner)s (same priority %(priority)s and creation "
                        "time, lower id)")
