"""The reference interpreter: the semantics spelled out plainly, one condition at a time.

It is the oracle the compiled predicate is tested against, and explain() reuses it, so
it favours obviousness over speed: no source generation, no precomputation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .schema import (
    OPERATORS,
    POSITIVE_OF_NEGATED,
    compile_pattern,
    field_type_of,
    is_number,
    parse_iso_date,
    regex_matches,
)
from .text import normalise
from .validation import InvalidRule, validate


def evaluate_reference(
    rule: Any,
    values: Mapping[str, Any],
    today: date,
    field_types: Mapping[str, str] | None = None,
) -> bool:
    """Whether the response's values match the rule; raises InvalidRule like compile_rule."""
    problems = validate(rule, field_types)
    if problems:
        raise InvalidRule(problems)
    return evaluate_node(rule, values, today, field_types)


def evaluate_node(node: Mapping, values: Mapping, today: date, field_types) -> bool:
    """Evaluate a valid (sub)tree."""
    if "all" in node:
        return all(evaluate_node(child, values, today, field_types) for child in node["all"])
    if "any" in node:
        return any(evaluate_node(child, values, today, field_types) for child in node["any"])
    return evaluate_condition(node, field_type_of(node, field_types), values, today)


def evaluate_condition(condition: Mapping, field_type: str, values: Mapping, today: date) -> bool:
    """Evaluate one valid leaf condition on a field of the given type."""
    op = condition["op"]
    if op in POSITIVE_OF_NEGATED:
        positive = {**condition, "op": POSITIVE_OF_NEGATED[op]}
        return not evaluate_condition(positive, field_type, values, today)
    value = values.get(condition["field"])
    if op == "empty":
        return is_empty(value)
    if not has_field_type(field_type, value):
        return False  # no value, or a value of the wrong type
    constant = _constant(field_type, op, condition.get("value"))
    return _POSITIVE_TESTS[field_type, op](value, constant, today)


def is_empty(value: Any) -> bool:
    """No value, an empty text or an empty list, whatever the field's type."""
    return value is None or (type(value) in (str, list) and len(value) == 0)


def has_field_type(field_type: str, value: Any) -> bool:
    """Whether the value is a value of that field type (None never is)."""
    if field_type == "number":
        return is_number(value)
    if field_type == "text":
        return type(value) is str
    if field_type == "date":
        # Not a datetime: its day depends on the shop's time zone, so the caller converts.
        return type(value) is date
    if field_type == "boolean":
        return type(value) is bool
    return type(value) is list


def _constant(field_type: str, op: str, constant: Any) -> Any:
    """The rule's constant in the form comparisons need: ISO strings become dates."""
    if field_type != "date" or OPERATORS[op].value == "days":
        return constant
    if OPERATORS[op].value == "pair":
        return [parse_iso_date(bound) for bound in constant]
    return parse_iso_date(constant)


def _equals(value, constant, today) -> bool:
    return value == constant


def _greater(value, constant, today) -> bool:
    return value > constant


def _greater_or_equal(value, constant, today) -> bool:
    return value >= constant


def _less(value, constant, today) -> bool:
    return value < constant


def _less_or_equal(value, constant, today) -> bool:
    return value <= constant


def _between(value, constant, today) -> bool:
    low, high = constant
    return low <= value <= high


def _listed(value, constant, today) -> bool:
    return any(value == item for item in constant)


def _text_equals(value, constant, today) -> bool:
    return normalise(value) == normalise(constant)


def _text_listed(value, constant, today) -> bool:
    return any(_text_equals(value, item, today) for item in constant)


def _text_contains(value, constant, today) -> bool:
    return normalise(constant) in normalise(value)


def _text_starts_with(value, constant, today) -> bool:
    return normalise(value).startswith(normalise(constant))


def _text_ends_with(value, constant, today) -> bool:
    return normalise(value).endswith(normalise(constant))


def _text_matches(value, constant, today) -> bool:
    return regex_matches(compile_pattern(constant), value)


def _within_last_days(value, constant, today) -> bool:
    return 0 <= (today - value).days <= constant


def _more_than_days_ago(value, constant, today) -> bool:
    return (today - value).days > constant


def _list_contains(value, constant, today) -> bool:
    return _list_has_any_of(value, [constant], today)


def _list_has_any_of(value, constant, today) -> bool:
    return any(type(element) is str and _text_listed(element, constant, today)
               for element in value)


_ORDERING_TESTS = {
    "eq": _equals,
    "gt": _greater,
    "gte": _greater_or_equal,
    "lt": _less,
    "lte": _less_or_equal,
    "between": _between,
}

_POSITIVE_TESTS = {
    **{("number", op): test for op, test in _ORDERING_TESTS.items()},
    ("number", "in"): _listed,
    ("text", "eq"): _text_equals,
    ("text", "in"): _text_listed,
    ("text", "contains"): _text_contains,
    ("text", "starts_with"): _text_starts_with,
    ("text", "ends_with"): _text_ends_with,
    ("text", "regex"): _text_matches,
    **{("date", op): test for op, test in _ORDERING_TESTS.items()},
    ("date", "within_last_days"): _within_last_days,
    ("date", "more_than_days_ago"): _more_than_days_ago,
    ("boolean", "eq"): _equals,
    ("list", "contains"): _list_contains,
    ("list", "in"): _list_has_any_of,
}
