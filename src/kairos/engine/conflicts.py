"""Campaigns that can never be shown: better-ranked ones are always shown first.

Certain, not statistical: read from the rules alone, so it holds for any response. A
campaign can never win when each of its active segments is also targeted by a
better-ranked campaign that is shown whenever this one could be: active, live on every
remaining day of this campaign's window, in each of its languages, and never held back
for a customer (no frequency cap, callback hours or capacity limit, and not stopped by
the contact budget where this one would not be). Holdouts change nothing: a customer
held out of the better campaign sees nothing at all.

Standard library only; `today` (the shop's date) is passed in.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from kairos.engine.decision import Campaign, CampaignBook


def always_ahead(book: CampaignBook, campaign: Campaign, today: date) -> tuple[Campaign, ...]:
    """The better-ranked campaigns that between them are shown to every customer
    `campaign` could be shown to, best first; () when some customer could see it.

    `campaign` may be one of the book's or a draft not yet saved (ranked as given).
    """
    segment_ids = _active_segment_ids(book, campaign)
    if not segment_ids:
        return ()  # silenced, not outranked: said elsewhere
    ahead: dict[Hashable, Campaign] = {}
    for segment_id in segment_ids:
        rival = next((other for other in book.campaigns
                      if _covers(book, other, campaign, segment_id, today)), None)
        if rival is None:
            return ()
        ahead[rival.id] = rival
    return tuple(sorted(ahead.values(), key=lambda c: c.rank_key))


def _active_segment_ids(book: CampaignBook, campaign: Campaign) -> list[Hashable]:
    segments = (book.segments.get(i) for i in dict.fromkeys(campaign.segment_ids))
    return [segment.id for segment in segments if segment is not None and segment.active]


def _covers(book: CampaignBook, rival: Campaign, campaign: Campaign, segment_id: Hashable,
            today: date) -> bool:
    """Whether `rival` is shown, instead of `campaign`, to every customer of one segment."""
    return (
        rival.id != campaign.id
        and rival.rank_key < campaign.rank_key
        and rival.active
        and segment_id in {s.id for s in book.active_segments(rival)}
        and _always_live_when(rival, campaign, today)
        and _speaks_all(rival, campaign)
        and _never_held_back(book, rival, campaign)
    )


def _speaks_all(rival: Campaign, campaign: Campaign) -> bool:
    """Whether `rival` reaches every language `campaign` does (none listed: every one)."""
    if not rival.languages:
        return True
    return bool(campaign.languages) and campaign.languages <= rival.languages


def _always_live_when(rival: Campaign, campaign: Campaign, today: date) -> bool:
    first_day = max(campaign.start_date, today)
    if rival.start_date > first_day:
        return False
    if rival.end_date is None:
        return True
    return campaign.end_date is not None and rival.end_date >= campaign.end_date


def _never_held_back(book: CampaignBook, rival: Campaign, campaign: Campaign) -> bool:
    if rival.frequency_cap or rival.callback_hours is not None:
        return False
    if rival.max_open_callbacks is not None:
        return False
    # A spent budget stops the rival but not an exempt campaign: that one shows then.
    budget = book.budget
    return budget is None or not budget.exempts(campaign.id) or budget.exempts(rival.id)
