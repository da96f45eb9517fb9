"""Why a rule did not match a response, in words a marketer can read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .reference import evaluate_condition, evaluate_node, has_field_type
from .schema import OPERATORS, RELATIVE_DATE_OPERATORS, field_type_of
from .validation import InvalidRule, validate

_LONGEST_SHOWN = 80

# Every operator has its words in one of these two tables (a test checks it).
_SYMBOLS = {"eq": "=", "neq": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}

_PHRASES = {
    "between": "is between {low} and {high}",
    "in": "is in {c}",
    "not_in": "is not in {c}",
    "contains": "contains {quoted}",
    "not_contains": "does not contain {quoted}",
    "starts_with": "starts with {quoted}",
    "ends_with": "ends with {quoted}",
    "regex": "matches /{raw}/",
    "empty": "is empty",
    "not_empty": "is not empty",
    "within_last_days": "is within the last {raw} days",
    "more_than_days_ago": "is more than {raw} days ago",
}

_TYPE_NAMES = {
    "number": "a number",
    "text": "a text",
    "date": "a date",
    "boolean": "true or false",
    "list": "a list",
}


def explain(
    rule: Any,
    values: Mapping[str, Any],
    today: date,
    field_types: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per failed condition that made its group fail; [] when the rule matches.

    In an "all" group every failed condition is listed, not just the first, so that the
    marketer sees everything that stood in the way.
    """
    problems = validate(rule, field_types)
    if problems:
        raise InvalidRule(problems)
    return _reasons(rule, values, today, field_types)


def _reasons(node: Mapping, values: Mapping, today: date, field_types) -> list[str]:
    if "all" in node:
        return [
            reason
            for child in node["all"]
            for reason in _reasons(child, values, today, field_types)
        ]
    if "any" in node:
        return _any_group_reasons(node["any"], values, today, field_types)
    field_type = field_type_of(node, field_types)
    if evaluate_condition(node, field_type, values, today):
        return []
    return [_failure(node, field_type, values.get(node["field"]), today)]


def _any_group_reasons(children: list, values: Mapping, today: date, field_types) -> list[str]:
    if any(evaluate_node(child, values, today, field_types) for child in children):
        return []
    return [
        reason for child in children for reason in _reasons(child, values, today, field_types)
    ]


def _failure(condition: Mapping, field_type: str, value: Any, today: date) -> str:
    actual = _actual(condition, field_type, value, today)
    return f"{condition['field']} {_phrase(condition)} failed: {actual}"


def _phrase(condition: Mapping) -> str:
    op, constant = condition["op"], condition.get("value")
    if op in _SYMBOLS:
        return f"{_SYMBOLS[op]} {_shown(constant)}"
    low, high = constant if OPERATORS[op].value == "pair" else (None, None)
    return _PHRASES[op].format(c=_shown(constant), quoted=_shown(constant, quote_text=True),
                               raw=_shortened(str(constant)), low=_shown(low),
                               high=_shown(high))


def _actual(condition: Mapping, field_type: str, value: Any, today: date) -> str:
    if value is None:
        return "no value"
    shown = _shown(value, quote_text=True)
    if condition["op"] in ("empty", "not_empty"):
        return f"value is {shown}"
    if not has_field_type(field_type, value):
        return f"value is {shown}, which is not {_TYPE_NAMES[field_type]}"
    if condition["op"] in RELATIVE_DATE_OPERATORS:
        return f"value is {shown} ({_days_ago(today, value)})"
    return f"value is {shown}"


def _days_ago(today: date, day: date) -> str:
    days = (today - day).days
    return f"{days} days ago" if days >= 0 else f"{-days} days from today"


def _shown(value: Any, quote_text: bool = False) -> str:
    """A short display form: JSON-like booleans, ISO dates, lists in brackets."""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is str:
        text = _shortened(value)
        return f"\"{text}\"" if quote_text or not value else text
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is list:
        return _shortened("[" + ", ".join(_shown(item) for item in value) + "]")
    return _shortened(repr(value))


def _shortened(text: str) -> str:
    return text if len(text) <= _LONGEST_SHOWN else text[: _LONGEST_SHOWN - 1] + "…"
