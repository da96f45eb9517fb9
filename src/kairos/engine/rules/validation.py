"""Validation of a rule tree: every problem, each with the path of the part at fault."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..words import gettext_noop
from .dialect import Refused, parse
from .schema import (
    CONDITION_KEYS,
    FIELD_PATTERN,
    FIELD_PREFIXES,
    FIELD_TYPES,
    GROUP_KEYS,
    MAX_CONDITIONS,
    MAX_DAYS,
    MAX_DEPTH,
    MAX_LIST_LENGTH,
    MAX_TEXT_LENGTH,
    METADATA_FIELD_TYPES,
    OPERATORS,
    OPERATORS_BY_TYPE,
    compile_pattern,
    field_type_of,
    is_finite_number,
    parse_iso_date,
)
from .tree import condition_count


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a path like "any[1].all[0].value", "" for the root.

    `message` is in English. Where a problem has a `template` too, the message is
    `template % params`, and other languages translate the template first."""

    path: str
    message: str
    template: str = field(default="", compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, path: str, template: str, **params: Any) -> Problem:
        return cls(path, template % params, template, params)


EMPTY_ANY_GROUP = gettext_noop(
    "an “any of” group needs at least one condition (without one it matches no one): add "
    "a condition or remove the group")


class InvalidRule(ValueError):
    """A rule that cannot be compiled; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path or 'rule'}: {p.message}" for p in self.problems))


def validate(rule: Any, field_types: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem of the rule, in tree order; an empty list means the rule is valid."""
    problems: list[Problem] = []
    _check_node(rule, "", 1, field_types, problems)
    count = condition_count(rule)
    if count > MAX_CONDITIONS:
        problems.append(
            Problem("", f"has {count} conditions; at most {MAX_CONDITIONS} are allowed")
        )
    return problems


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _check_node(node: Any, path: str, depth: int, field_types, problems: list) -> None:
    if not isinstance(node, Mapping):
        problems.append(Problem(path, "must be a group {\"all\": [...]} or {\"any\": [...]} "
                                      "or a condition {\"field\", \"op\", \"value\"}"))
    elif any(key in node for key in GROUP_KEYS):
        _check_group(node, path, depth, field_types, problems)
    elif any(key in node for key in CONDITION_KEYS):
        _check_condition(node, path, field_types, problems)
    else:
        problems.append(Problem(path, "is neither a group (\"all\" or \"any\") "
                                      "nor a condition (\"field\", \"op\", \"value\")"))


def _check_group(group: Mapping, path: str, depth: int, field_types, problems: list) -> None:
    if all(key in group for key in GROUP_KEYS):
        problems.append(Problem(path, "has both \"all\" and \"any\"; nest one in the other"))
    for key in group:
        if key not in GROUP_KEYS:
            problems.append(Problem(_join(path, key), "is not allowed in a group, "
                                                      "which has only \"all\" or \"any\""))
    if depth > MAX_DEPTH:
        # The content of a too-deep group is not checked: it goes anyway, and refusing
        # to descend keeps a hostile, very deep tree from exhausting the stack.
        problems.append(Problem(path, f"nests groups more than {MAX_DEPTH} levels deep"))
        return
    if group.get("any") == []:
        problems.append(Problem.of(path, EMPTY_ANY_GROUP))
    for key in GROUP_KEYS:
        if key in group:
            _check_children(group[key], _join(path, key), depth, field_types, problems)


def _check_children(children: Any, path: str, depth: int, field_types, problems: list) -> None:
    if type(children) is not list:
        problems.append(Problem(path, "must be a list of conditions and groups"))
        return
    for index, child in enumerate(children):
        _check_node(child, f"{path}[{index}]", depth + 1, field_types, problems)


def _check_condition(condition: Mapping, path: str, field_types, problems: list) -> None:
    for key in condition:
        if key not in CONDITION_KEYS:
            problems.append(Problem(_join(path, key), "is not allowed in a condition, "
                                                      "which has \"field\", \"op\", \"value\""))
    field_message = _field_problem(condition.get("field"), field_types)
    if field_message:
        problems.append(Problem(_join(path, "field"), field_message))
    field_type = field_type_of(condition, field_types)
    if field_type not in FIELD_TYPES:
        problems.append(Problem(_join(path, "field"), f"has the unknown type {field_type!r}"))
        return
    op_message = _operator_problem(condition, field_type, field_types)
    if op_message:
        problems.append(Problem(_join(path, "op"), op_message))
        if _needs_value(condition.get("op")) and condition.get("value") is None:
            problems.append(Problem(_join(path, "value"), "is missing"))
        return
    value_message = _value_problem(condition["op"], field_type, condition)
    if isinstance(value_message, Problem):  # a translatable one, made without its path
        problems.append(replace(value_message, path=_join(path, "value")))
    elif value_message:
        problems.append(Problem(_join(path, "value"), value_message))


def _needs_value(op: Any) -> bool:
    return type(op) is str and op in OPERATORS and OPERATORS[op].value != "none"


def _field_problem(field: Any, field_types: Mapping[str, str] | None) -> str | None:
    if field is None:
        return "is missing"
    prefixes = ", ".join(f"{prefix}." for prefix in FIELD_PREFIXES)
    if type(field) is not str or not field.startswith(tuple(f"{p}." for p in FIELD_PREFIXES)):
        return f"must start with one of {prefixes}"
    if not FIELD_PATTERN.fullmatch(field):
        return "may only have letters, digits, \"_\" and \"-\" (at most 64) after the prefix"
    if field_types is not None and field not in field_types:
        return "is not a known field"
    return None


def _operator_problem(condition: Mapping, field_type: str, field_types) -> str | None:
    op = condition.get("op")
    allowed = ", ".join(OPERATORS_BY_TYPE[field_type])
    if op is None:
        return "is missing"
    if type(op) is not str or op not in OPERATORS:
        return f"is not an operator; the operators of a {field_type} field are {allowed}"
    if op not in OPERATORS_BY_TYPE[field_type]:
        guessed = _type_was_guessed(condition.get("field"), field_types)
        hint = " (its type was guessed from the value)" if guessed else ""
        return f"is not allowed on a {field_type} field{hint}; use one of {allowed}"
    return None


def _type_was_guessed(field: Any, field_types: Mapping[str, str] | None) -> bool:
    if type(field) is not str:
        return True
    declared = field_types is not None and field in field_types
    return not declared and field not in METADATA_FIELD_TYPES


_SCALAR_DESCRIPTIONS = {
    "number": "a number",
    "text": "a text",
    "date": "a date \"YYYY-MM-DD\"",
    "boolean": "true or false",
    "list": "a text",
}


def _is_scalar(field_type: str, value: Any) -> bool:
    """Whether the value is a valid constant for one item of a field of that type."""
    if field_type == "number":
        return is_finite_number(value)
    if field_type == "date":
        return parse_iso_date(value) is not None
    if field_type == "boolean":
        return type(value) is bool
    return type(value) is str and len(value) <= MAX_TEXT_LENGTH


def _value_problem(op: str, field_type: str, condition: Mapping) -> str | Problem | None:
    value = condition.get("value")
    kind = OPERATORS[op].value
    if kind == "none":
        return None if value is None else f"must be left out: {op} takes no value"
    if value is None:
        return f"is missing: {op} needs a value"
    return _VALUE_CHECKS[kind](field_type, value)


def _check_scalar(field_type: str, value: Any) -> str | None:
    if _is_scalar(field_type, value):
        return None
    return f"must be {_SCALAR_DESCRIPTIONS[field_type]}"


def _check_between(field_type: str, value: Any) -> str | None:
    description = _SCALAR_DESCRIPTIONS[field_type]
    if type(value) is not list or len(value) != 2:
        return f"must be a list of two values [low, high], each {description}"
    if not all(_is_scalar(field_type, bound) for bound in value):
        return f"must be a list of two values [low, high], each {description}"
    low, high = value
    if field_type == "date":
        low, high = parse_iso_date(low), parse_iso_date(high)
    if low > high:
        return "must have its low bound first: [low, high] with low ≤ high"
    return None


def _check_list(field_type: str, value: Any) -> str | None:
    description = _SCALAR_DESCRIPTIONS[field_type]
    if type(value) is not list or not value or len(value) > MAX_LIST_LENGTH:
        return f"must be a non-empty list (at most {MAX_LIST_LENGTH}), each item {description}"
    if not all(_is_scalar(field_type, item) for item in value):
        return f"must be a non-empty list (at most {MAX_LIST_LENGTH}), each item {description}"
    return None


def _check_text(field_type: str, value: Any) -> str | None:
    if type(value) is not str or not value or len(value) > MAX_TEXT_LENGTH:
        return f"must be a non-empty text of at most {MAX_TEXT_LENGTH} characters"
    return None


def _check_fragment(field_type: str, value: Any) -> str | None:
    # Texts are compared without their surrounding spaces: only spaces is nothing at all.
    if type(value) is str and not value.strip():
        return f"must be a non-empty text of at most {MAX_TEXT_LENGTH} characters"
    return _check_text(field_type, value)


def _check_pattern(field_type: str, value: Any) -> str | Problem | None:
    text_problem = _check_text(field_type, value)
    if text_problem:
        return text_problem
    try:
        compile_pattern(value)
    except ValueError as error:
        return f"is not a valid regular expression: {error}"
    try:
        parse(value)
    except Refused as refusal:
        return Problem.of("", refusal.template, **refusal.params)
    return None


def _check_days(field_type: str, value: Any) -> str | None:
    if type(value) is not int or not 0 <= value <= MAX_DAYS:
        return f"must be a whole number of days from 0 to {MAX_DAYS}"
    return None


# By the kind of value an operator takes (schema.OPERATORS); "none" takes no value.
_VALUE_CHECKS = {
    "scalar": _check_scalar,
    "pair": _check_between,
    "items": _check_list,
    "fragment": _check_fragment,
    "pattern": _check_pattern,
    "days": _check_days,
}
