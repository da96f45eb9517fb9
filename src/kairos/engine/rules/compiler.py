"""Compilation of a rule into a fast predicate, by generating Python source once.

The generated source contains only names this module makes up (_c0, _c1, v, values,
today) and fixed operator templates: every field key and every constant of the rule is
bound as a name in the namespace the code runs in, never written into the text. A
marketer's string therefore can never become code, and the namespace offers no
builtins beyond the three types the templates test against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .schema import (
    OPERATORS,
    POSITIVE_OF_NEGATED,
    compile_pattern,
    field_type_of,
    regex_matches,
)
from .text import normalise
from .validation import InvalidRule, validate

Predicate = Callable[[Mapping[str, Any], date], bool]

# `v` holds the field's value (walrus), so each template reads it once. A type guard
# comes first, so a missing value or one of the wrong type is False, never an error.
_NUMBER = "type(v := {get}) in _NUMBER"
_TEXT = "type(v := {get}) is str"
_DATE = "type(v := {get}) is _date"
_LIST = "type(v := {get}) is list"
# normalise(v), inlined for ASCII texts (where folding is lower()): a third of the cost.
_NORMALISED = "(v.strip().lower() if v.isascii() else _normalise(v))"

_TEMPLATES: dict[tuple[str, str], str] = {
    ("number", "eq"): _NUMBER + " and v == {c}",
    ("number", "gt"): _NUMBER + " and v > {c}",
    ("number", "gte"): _NUMBER + " and v >= {c}",
    ("number", "lt"): _NUMBER + " and v < {c}",
    ("number", "lte"): _NUMBER + " and v <= {c}",
    ("number", "between"): _NUMBER + " and {low} <= v <= {high}",
    ("number", "in"): _NUMBER + " and v in {c}",
    # Text constants are normalised once (kairos.engine.rules.text); a value already in
    # normal form, the common case, is not normalised again.
    ("text", "eq"): _TEXT + " and (v == {c} or " + _NORMALISED + " == {c})",
    ("text", "in"): _TEXT + " and (v in {c} or " + _NORMALISED + " in {c})",
    ("text", "contains"): _TEXT + " and {c} in " + _NORMALISED,
    ("text", "starts_with"): _TEXT + " and " + _NORMALISED + ".startswith({c})",
    ("text", "ends_with"): _TEXT + " and " + _NORMALISED + ".endswith({c})",
    ("text", "regex"): _TEXT + " and _regex_matches({c}, v)",
    ("date", "eq"): _DATE + " and v == {c}",
    ("date", "gt"): _DATE + " and v > {c}",
    ("date", "gte"): _DATE + " and v >= {c}",
    ("date", "lt"): _DATE + " and v < {c}",
    ("date", "lte"): _DATE + " and v <= {c}",
    ("date", "between"): _DATE + " and {low} <= v <= {high}",
    # Day arithmetic on ordinals: plain ints, so no date can overflow near year 1 or 9999.
    ("date", "within_last_days"): _DATE + " and 0 <= today.toordinal() - v.toordinal() <= {c}",
    ("date", "more_than_days_ago"): _DATE + " and today.toordinal() - v.toordinal() > {c}",
    # True and False are singletons, so identity is both the type guard and the test.
    ("boolean", "eq"): "{get} is {c}",
    ("list", "contains"): _LIST + " and _any_listed(v, {c})",
    ("list", "in"): _LIST + " and _any_listed(v, {c})",
}

_EMPTY = "(v := {get}) is None or (type(v) in _SEQUENCE and not v)"


def _any_listed(elements: list, listed: frozenset) -> bool:
    """Whether a text element, normalised, is one of the listed (normalised) texts."""
    return any(
        type(element) is str and (element in listed or normalise(element) in listed)
        for element in elements
    )


_RUNTIME = {
    "__builtins__": {},
    "type": type,
    "str": str,
    "list": list,
    "_date": date,
    "_NUMBER": frozenset({int, float}),
    "_SEQUENCE": frozenset({str, list}),
    "_regex_matches": regex_matches,
    "_normalise": normalise,
    "_any_listed": _any_listed,
}


def compile_rule(rule: Any, field_types: Mapping[str, str] | None = None) -> Predicate:
    """A predicate(values, today) -> bool for a valid rule; raises InvalidRule otherwise."""
    problems = validate(rule, field_types)
    if problems:
        raise InvalidRule(problems)
    builder = _SourceBuilder(field_types)
    expression = builder.node(rule)
    source = f"def predicate(values, today):\n    return {expression}\n"
    namespace = {**_RUNTIME, **builder.constants}
    exec(compile(source, "<kairos rule>", "exec"), namespace)
    predicate = namespace["predicate"]
    predicate.source = source  # constants are not in it, so it is safe to log
    return predicate


class _SourceBuilder:
    def __init__(self, field_types: Mapping[str, str] | None) -> None:
        self.field_types = field_types
        self.constants: dict[str, Any] = {}
        self.field_names: dict[str, str] = {}

    def bind(self, constant: Any) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = constant
        return name

    def bind_field(self, field: str) -> str:
        # A field used by several conditions gets one name.
        if field not in self.field_names:
            self.field_names[field] = self.bind(field)
        return self.field_names[field]

    def node(self, node: Mapping) -> str:
        if "all" in node:
            return self.group(node["all"], " and ", "True")
        if "any" in node:
            return self.group(node["any"], " or ", "False")
        return self.condition(node)

    def group(self, children: list, joiner: str, when_empty: str) -> str:
        if not children:
            return when_empty
        return "(" + joiner.join(self.node(child) for child in children) + ")"

    def condition(self, condition: Mapping) -> str:
        op = condition["op"]
        if op in POSITIVE_OF_NEGATED:
            positive = {**condition, "op": POSITIVE_OF_NEGATED[op]}
            return f"(not {self.condition(positive)})"
        get = f"values.get({self.bind_field(condition['field'])})"
        if op == "empty":
            return "(" + _EMPTY.format(get=get) + ")"
        field_type = field_type_of(condition, self.field_types)
        names = self.bind_constants(field_type, op, condition.get("value"))
        return "(" + _TEMPLATES[field_type, op].format(get=get, **names) + ")"

    def bind_constants(self, field_type: str, op: str, value: Any) -> dict[str, str]:
        constant = _prepared_constant(field_type, OPERATORS[op].value, value)
        if OPERATORS[op].value == "pair":
            low, high = constant
            return {"low": self.bind(low), "high": self.bind(high)}
        return {"c": self.bind(constant)}


def _prepared_constant(field_type: str, kind: str, value: Any) -> Any:
    """The constant in the form the template needs, computed once here; `kind` is what
    the operator takes (schema.VALUE_KINDS)."""
    if field_type == "list":  # contains and in both ask: is one element listed?
        return frozenset(normalise(item) for item in (value if kind == "items" else [value]))
    if kind == "items":
        return frozenset(_prepared_constant(field_type, "scalar", item) for item in value)
    if kind == "pair":
        return tuple(_prepared_constant(field_type, "scalar", bound) for bound in value)
    if kind == "pattern":
        return compile_pattern(value)
    if field_type == "text":
        return normalise(value)
    if field_type == "date" and kind == "scalar":
        return date.fromisoformat(value)
    return value
