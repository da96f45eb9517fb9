"""Sentences the engine says, kept translatable: a template with its blanks filled later.

The engine speaks English (`Words.render()`); the dashboard and the API pass Django's
gettext to `render`, so a trace reads in the user's language. Each template is marked with
`gettext_noop`, the name Django's makemessages looks for, and its Greek lives in the
project's catalogue (a test checks that every marked engine message has one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Translate = Callable[[str], str]
Present = Callable[[Any], Any]  # how a blank's plain value reads (a date, a moment…)


def gettext_noop(message: str) -> str:
    """Marks a message for translation; the engine itself answers in English."""
    return message


def untranslated(message: str) -> str:
    return message


def as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class ShopTime:
    """A moment on the shop's clock. The engine writes it "2026-11-28 14:00 Europe/Athens";
    a reader with its own date format (the dashboard) may present it its way."""

    local: datetime
    zone: str

    def __str__(self) -> str:
        return f"{self.local:%Y-%m-%d %H:%M} {self.zone}"


@dataclass(frozen=True, slots=True)
class Words:
    """`template % params`, where a param may itself be Words or a Listing of them, so a
    sentence and the phrases inside it translate as units."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = untranslated, present: Present = as_is) -> str:
        filled = {name: _rendered(value, translate, present)
                  for name, value in self.params.items()}
        return translate(self.template) % filled if filled else translate(self.template)


@dataclass(frozen=True, slots=True)
class Listing:
    """Items (Words or plain values) shown one after the other."""

    items: Sequence[Any]
    separator: str = ", "


def _rendered(value: Any, translate: Translate, present: Present) -> Any:
    if isinstance(value, Words):
        return value.render(translate, present)
    if isinstance(value, Listing):
        return value.separator.join(str(_rendered(item, translate, present))
                                    for item in value.items)
    return present(value)
