"""The vocabulary of rules: field types, operators, limits, and how a field gets its type.

Shared by validation, the compiler, the reference interpreter and explain, so that the
four can never disagree on what a condition means.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import re2

FIELD_TYPES = ("number", "text", "date", "boolean", "list")


@dataclass(frozen=True)
class Operator:
    """What an operator's constant is, and for a negated operator the positive twin it is
    exactly `not` of (so it is true on no value). Validation, the compiled predicate, the
    reference interpreter, explain, SQL and the builder all read operators from here."""

    value: str  # one of VALUE_KINDS
    negates: str | None = None


# What a condition's "value" holds: nothing; one constant of the field's type; [low, high];
# a list of constants; a non-empty text (a fragment); a regular expression; a day count.
VALUE_KINDS = ("none", "scalar", "pair", "items", "fragment", "pattern", "days")

OPERATORS: dict[str, Operator] = {
    "eq": Operator("scalar"),
    "neq": Operator("scalar", negates="eq"),
    "gt": Operator("scalar"),
    "gte": Operator("scalar"),
    "lt": Operator("scalar"),
    "lte": Operator("scalar"),
    "between": Operator("pair"),
    "in": Operator("items"),
    "not_in": Operator("items", negates="in"),
    "contains": Operator("fragment"),
    "not_contains": Operator("fragment", negates="contains"),
    "starts_with": Operator("fragment"),
    "ends_with": Operator("fragment"),
    "regex": Operator("pattern"),
    "within_last_days": Operator("days"),
    "more_than_days_ago": Operator("days"),
    "empty": Operator("none"),
    "not_empty": Operator("none", negates="empty"),
}

OPERATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "number": ("eq", "neq", "gt", "gte", "lt", "lte", "between", "in", "not_in",
               "empty", "not_empty"),
    "text": ("eq", "neq", "in", "not_in", "contains", "not_contains", "starts_with",
             "ends_with", "regex", "empty", "not_empty"),
    "date": ("eq", "neq", "gt", "gte", "lt", "lte", "between", "within_last_days",
             "more_than_days_ago", "empty", "not_empty"),
    "boolean": ("eq", "neq", "empty", "not_empty"),
    "list": ("contains", "not_contains", "in", "not_in", "empty", "not_empty"),
}

POSITIVE_OF_NEGATED = {name: op.negates for name, op in OPERATORS.items() if op.negates}

# The (field type, operator) pairs each implementation must define: negated operators
# are derived from their twins, and "empty" means the same for every type.
POSITIVE_PAIRS = tuple(
    (field_type, op)
    for field_type, ops in OPERATORS_BY_TYPE.items()
    for op in ops
    if op not in POSITIVE_OF_NEGATED and op != "empty"
)

FIELD_PREFIXES = ("answers", "questionnaire", "responder")

# Keys are restricted to a safe alphabet so that they can go into a JSON path of a SQL
# query, a URL or a log line without quoting worries.
FIELD_PATTERN = re.compile(r"(answers|questionnaire|responder)\.[A-Za-z0-9_-]{1,64}")

# The metadata every response carries, typed once here so that rules on them need no
# field_types. Question answers and extra metadata keys are typed by the caller.
METADATA_FIELD_TYPES: dict[str, str] = {
    "questionnaire.transaction_id": "text",
    "questionnaire.transaction_date": "date",
    "questionnaire.store_id": "text",
    "questionnaire.amount": "number",
    "questionnaire.products": "list",
    "responder.email": "text",
    "responder.phone_number": "text",
    "responder.name": "text",
    "responder.customer_id": "text",
    "responder.gender": "text",
}

MAX_DEPTH = 5
MAX_CONDITIONS = 100
MAX_TEXT_LENGTH = 1000
MAX_LIST_LENGTH = 1000
MAX_DAYS = 36_500  # a hundred years keeps "today - N days" valid in every database

GROUP_KEYS = ("all", "any")
CONDITION_KEYS = ("field", "op", "value")

RELATIVE_DATE_OPERATORS = tuple(name for name, op in OPERATORS.items() if op.value == "days")
# Operators a date field has and a text field has not: an ISO date string with one of
# them means a date, with anything else (eq, in...) it stays text.
DATE_ONLY_OPERATORS = tuple(op for op in OPERATORS_BY_TYPE["date"]
                            if op not in OPERATORS_BY_TYPE["text"])

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_number(value: Any) -> bool:
    """int or float, never bool (a yes/no answer is not the number 1)."""
    return type(value) in (int, float)


def is_finite_number(value: Any) -> bool:
    return is_number(value) and math.isfinite(value)


def parse_iso_date(value: Any) -> date | None:
    """The date of a strict "YYYY-MM-DD" string, None for anything else.

    date.fromisoformat alone also takes "20260101" and week dates; the SQL side and the
    UI only know the plain form, so only that one is a date.
    """
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def infer_field_type(condition: Mapping[str, Any]) -> str:
    """The type a condition implies when nobody said what its field is.

    A relative date operator, or an ordering operator with ISO date strings, means date;
    a bool means boolean; numbers mean number; no value means the first of text,
    number, date that has the operator (so a forgotten value is reported as such);
    everything else (strings, lists of strings) means text.
    """
    op = condition.get("op")
    value = condition.get("value")
    if op in RELATIVE_DATE_OPERATORS:
        return "date"
    sample = value[0] if type(value) is list and value else value
    if type(sample) is bool:
        return "boolean"
    if is_number(sample):
        return "number"
    if op in DATE_ONLY_OPERATORS and parse_iso_date(sample) is not None:
        return "date"
    if value is None:
        return next((kind for kind in ("text", "number", "date")
                     if op in OPERATORS_BY_TYPE[kind]), "text")
    return "text"


def field_type_of(
    condition: Mapping[str, Any], field_types: Mapping[str, str] | None
) -> str:
    """The declared type of the condition's field, else the metadata default, else a
    guess from the condition itself."""
    field = condition.get("field")
    if type(field) is str:
        if field_types is not None and field in field_types:
            return field_types[field]
        if field in METADATA_FIELD_TYPES:
            return METADATA_FIELD_TYPES[field]
    return infer_field_type(condition)


def _regex_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # an invalid pattern is reported to the user, not logged
    return options


_REGEX_OPTIONS = _regex_options()


def compile_pattern(pattern: str) -> Any:
    """The re2 regular expression of a pattern; raises ValueError with re2's reason.

    re2 runs in linear time, so a marketer's pattern can never hang a request.
    """
    try:
        return re2.compile(pattern, _REGEX_OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(reason) from None
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid Unicode") from None


def regex_matches(compiled_pattern: Any, text: str) -> bool:
    """re2 `search` semantics (a match anywhere). A text re2 cannot encode (a lone
    surrogate from a malformed JSON escape) never matches instead of raising."""
    try:
        return compiled_pattern.search(text) is not None
    except UnicodeEncodeError:
        return False
