"""Small read-only walks over a rule tree, safe on invalid or very deep input."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .schema import CONDITION_KEYS, GROUP_KEYS


def iter_conditions(rule: Any) -> Iterator[Mapping]:
    """Every leaf condition, in tree order. Iterative, so depth cannot exhaust the stack;
    parts that are neither groups nor conditions are skipped."""
    pending = [rule]
    while pending:
        node = pending.pop()
        if not isinstance(node, Mapping):
            continue
        if any(key in node for key in GROUP_KEYS):
            pending.extend(reversed(_children(node)))
        elif any(key in node for key in CONDITION_KEYS):
            yield node


def _children(group: Mapping) -> list:
    children: list = []
    for key in GROUP_KEYS:
        if type(group.get(key)) is list:
            children.extend(group[key])
    return children


def condition_count(rule: Any) -> int:
    """How many leaf conditions the rule has."""
    return sum(1 for _ in iter_conditions(rule))


def fields_used(rule: Any) -> set[str]:
    """The field paths the rule's conditions look at."""
    return {
        condition["field"]
        for condition in iter_conditions(rule)
        if type(condition.get("field")) is str
    }
