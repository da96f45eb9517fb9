"""Which share of a campaign's customers was held out, and when.

Read from the campaign's audit log, where every change of `holdout_percent` is recorded
with its time and author (services.update_campaign), so a report over any period can say
which holdout shares it covers. Who is held out is the engine's (engine/holdout.py).
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class HoldoutPeriod:
    since: datetime
    until: datetime | None  # None: still in force
    percent: int


def holdout_periods(campaign):
    """The campaign's holdout shares, oldest first; consecutive changes to the same share
    make one period."""
    periods = []
    for entry in campaign.audit.order_by("at", "id"):
        percent = recorded_percent(entry)
        if percent is None or (periods and periods[-1].percent == percent):
            continue
        if periods:
            periods[-1] = HoldoutPeriod(periods[-1].since, entry.at, periods[-1].percent)
        periods.append(HoldoutPeriod(entry.at, None, percent))
    return periods


def recorded_percent(entry):
    """The share an audit entry set, or None when it did not touch it."""
    if entry.action in ("created", "duplicated"):
        return entry.changes.get("holdout_percent", 0)  # before holdouts existed: none
    change = entry.changes.get("holdout_percent")
    return None if change is None else change[1]
