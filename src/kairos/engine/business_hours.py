"""Business hours: when, in the shop's week, its call centre works.

A week of local wall-clock intervals, at most one per weekday, read in the shop's time
zone: 09:00 is 09:00 on both sides of a daylight-saving change. Written and read as
{"mon": ["09:00", "17:00"], …, "sun": null}; a day left out is closed. An interval
includes its opening minute and excludes its closing one ("24:00" closes at midnight).

Standard library only; the caller passes the instant, never a clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from kairos.engine.words import Words, gettext_noop

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])|24:00")

Interval = tuple[int, int]  # minutes after local midnight: (opens, closes)


class InvalidHours(ValueError):
    """Hours that cannot be read; `field` names the day ("mon") or "" for the whole week,
    `words` says what is wrong (translatable)."""

    def __init__(self, field: str, template: str, **params: Any) -> None:
        self.field, self.words = field, Words(template, params)
        message = self.words.render()
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Seven entries, Monday first: an (opens, closes) interval in minutes, or None."""

    days: tuple[Interval | None, ...]

    @classmethod
    def from_dict(cls, week: Mapping[str, Any]) -> BusinessHours:
        """Reads {"mon": ["09:00", "17:00"], …}; raises InvalidHours naming the day."""
        if not isinstance(week, Mapping):
            raise InvalidHours("", gettext_noop("must be an object of weekdays (mon … sun)"))
        unknown = sorted(set(week) - set(WEEKDAYS))
        if unknown:
            raise InvalidHours(str(unknown[0])[:20], gettext_noop("not a weekday (mon … sun)"))
        hours = cls(tuple(_interval(day, week.get(day)) for day in WEEKDAYS))
        if not any(hours.days):
            raise InvalidHours("", gettext_noop("must be open on at least one day"))
        return hours

    def as_dict(self) -> dict[str, list[str] | None]:
        return {day: None if interval is None else [_clock(interval[0]), _clock(interval[1])]
                for day, interval in zip(WEEKDAYS, self.days, strict=True)}

    def is_open(self, local: datetime) -> bool:
        """Whether the local wall-clock moment falls in that weekday's interval."""
        interval = self.days[local.weekday()]
        if interval is None:
            return False
        minute = local.hour * 60 + local.minute
        return interval[0] <= minute < interval[1]

    def next_opening(self, local: datetime) -> datetime:
        """The next local moment (after `local`) at which the hours open."""
        zone: tzinfo | None = local.tzinfo
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        for offset in range(8):
            day = midnight + timedelta(days=offset)
            interval = self.days[day.weekday()]
            if interval is None:
                continue
            opening = day + timedelta(minutes=interval[0])
            if opening > local.replace(tzinfo=None):
                return opening.replace(tzinfo=zone)
        raise AssertionError("open on at least one day")  # from_dict guarantees it


def _interval(day: str, value: Any) -> Interval | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidHours(day, gettext_noop('must be ["HH:MM", "HH:MM"] or null (closed)'))
    opens, closes = (_minutes(day, text) for text in value)
    if closes <= opens:
        raise InvalidHours(day, gettext_noop("must close after it opens"))
    return opens, closes


def _minutes(day: str, text: Any) -> int:
    if not isinstance(text, str) or not _CLOCK.fullmatch(text):
        raise InvalidHours(day, gettext_noop("%(value)s is not a time like 09:30"),
                           value=repr(str(text)[:20]))
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
