"""The shop's contact budget: at most N campaigns shown to one customer per period,
across campaigns, on top of each campaign's own frequency cap.

Two clocks, on purpose. A campaign's frequency cap is a duration counted from the
moment this customer last saw *that* campaign. The budget counts every campaign shown
to the customer in a period of the shop's calendar: `days` calendar days in the shop's
time zone, today included ("1 day" ends at local midnight), or else the last `hours`
hours. Each showing counts, a control impression (holdout) included; campaigns in
`exempt_ids` neither count nor are stopped by it.

Standard library only; `now` is passed in.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kairos.engine.schedule import local_date, window_start

MAX_CAMPAIGNS = 100
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class ContactBudget:
    campaigns: int
    days: int = 0
    hours: int = 0
    exempt_ids: frozenset[Hashable] = frozenset()

    def __post_init__(self) -> None:
        for name in ("campaigns", "days", "hours"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
        if not 1 <= self.campaigns <= MAX_CAMPAIGNS:
            raise ValueError(f"campaigns must be 1 to {MAX_CAMPAIGNS}, got {self.campaigns}")
        if bool(self.days) == bool(self.hours):
            raise ValueError("give the period in days or in hours, one of them")
        if self.days > MAX_DAYS or self.hours > MAX_DAYS * 24:
            raise ValueError("the period may be at most a year")
        object.__setattr__(self, "exempt_ids", frozenset(self.exempt_ids))

    def window_start(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The first instant (UTC) of the period that ends at `now`."""
        if self.days:
            first_day = local_date(now, zone) - timedelta(days=self.days - 1)
            return window_start(first_day, zone)
        return now.astimezone(UTC) - timedelta(hours=self.hours)

    def exempts(self, campaign_id: Hashable) -> bool:
        return campaign_id in self.exempt_ids

    def used(self, recent: Mapping[Hashable, int]) -> int:
        """Showings counted against the budget, from {campaign id: showings in the period}."""
        return sum(n for campaign_id, n in recent.items() if campaign_id not in self.exempt_ids)
