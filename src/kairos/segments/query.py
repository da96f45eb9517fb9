"""A segment rule compiled to a database filter over stored responses.

It must agree exactly with the Python predicate of kairos.engine.rules (a property test
checks both, and a plain reference interpreter, on SQLite and PostgreSQL). Each positive
condition is made two-valued (`lookup AND value IS NOT NULL`) so that SQL's NULL logic
cannot make a negation differ from Python's `not`.
"""

import datetime

from django.db.models import F, Q, Value
from django.db.models.functions import Left, Length, Right, StrIndex
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from kairos.segments.sql import JsonEmpty, JsonValue, ListContains, Re2Search, UnicodeLower

# Hot fields copied into typed, indexed columns of Response (see its docstring).
TYPED_COLUMNS = {
    "answers.nps": ("nps", "number"), "answers.rating": ("rating", "number"),
    "questionnaire.store_id": ("store_id", "text"), "questionnaire.amount": ("amount", "number"),
    "questionnaire.transaction_id": ("transaction_id", "text"),
    "questionnaire.transaction_date": ("transaction_date", "date"),
    "responder.email": ("email", "text"), "responder.phone_number": ("phone_number", "text"),
    "responder.customer_id": ("customer_id", "text"),
}
JSON_COLUMNS = {"answers": "answers", "questionnaire": "questionnaire_metadata",
                "responder": "responder_metadata"}
COMPARISONS = {"eq": Exact, "gt": GreaterThan, "gte": GreaterThanOrEqual,
               "lt": LessThan, "lte": LessThanOrEqual}
NEGATIONS = {"neq": "eq", "not_in": "in", "not_contains": "contains", "not_empty": "empty"}


class Field:
    """One field of the rule, as an SQL expression, and how constants compare with it."""

    def __init__(self, path, field_type):
        self.type = field_type
        typed = TYPED_COLUMNS.get(path)
        self.typed_column = typed is not None and typed[1] == field_type
        if self.typed_column:
            self.expression = F(typed[0])
        else:
            scope, key = path.split(".", 1)
            self.json_location = (JSON_COLUMNS[scope], key)
            self.expression = JsonValue(JSON_COLUMNS[scope], key, field_type)

    def constant(self, value):
        # JSON dates are ISO text (which orders like dates); typed columns are real dates.
        if self.type == "date" and self.typed_column:
            return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        if self.type == "date":
            return value.isoformat() if isinstance(value, datetime.date) else value
        return value

    def raw_empty(self):
        return JsonEmpty(*self.json_location)

    def present(self):
        return Q(IsNull(self.expression, False))


def rule_to_q(rule, field_types, today):
    """The rule as a Q over Response; `today` is the shop's local date."""
    if "all" in rule:
        return combine([rule_to_q(child, field_types, today) for child in rule["all"]], "AND")
    if "any" in rule:
        return combine([rule_to_q(child, field_types, today) for child in rule["any"]], "OR")
    return condition_to_q(rule, field_types, today)


MATCH_ALL = Q(pk__isnull=False)
MATCH_NONE = Q(pk__isnull=True)


def combine(parts, connector):
    if not parts:
        return MATCH_ALL if connector == "AND" else MATCH_NONE
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if connector == "AND" else combined | part
    return combined


def condition_to_q(condition, field_types, today):
    op = condition["op"]
    field = Field(condition["field"], field_types[condition["field"]])
    if op in NEGATIONS:
        return ~positive(field, NEGATIONS[op], condition.get("value"), today)
    return positive(field, op, condition.get("value"), today)


def positive(field, op, value, today):
    if op == "empty":
        return empty(field)
    if field.type == "list":
        return list_condition(field, op, value)
    return Q(POSITIVE_BUILDERS[op](field, value, today)) & field.present()


def empty(field):
    if not field.typed_column:
        return Q(field.raw_empty())
    missing = Q(IsNull(field.expression, True))
    if field.type == "text":
        return missing | Q(Exact(field.expression, Value("")))
    return missing


def list_condition(field, op, value):
    items = [value] if op == "contains" else list(value)
    return Q(ListContains(field.expression, items)) & field.present()


def comparison(op):
    def build(field, value, today):
        return COMPARISONS[op](field.expression, field.constant(value))

    return build


def between(field, value, today):
    low, high = (field.constant(v) for v in value)
    return Q(GreaterThanOrEqual(field.expression, low)) & Q(LessThanOrEqual(field.expression, high))


def one_of(field, value, today):
    return In(field.expression, [field.constant(v) for v in value])


def lowered(field):
    return UnicodeLower(field.expression)


def contains(field, value, today):
    return GreaterThan(StrIndex(lowered(field), Value(value.lower())), 0)


def starts_with(field, value, today):
    needle = value.lower()
    return Exact(Left(lowered(field), len(needle)), Value(needle))


def ends_with(field, value, today):
    needle = value.lower()
    # Right() of a shorter text is the whole text, which then cannot equal the needle.
    return Q(Exact(Right(lowered(field), len(needle)), Value(needle))) & Q(
        GreaterThanOrEqual(Length(field.expression), len(needle)))


def regex(field, value, today):
    return Exact(Re2Search(field.expression, Value(value)), True)


def within_last_days(field, value, today):
    start = field.constant(today - datetime.timedelta(days=value))
    return Q(GreaterThanOrEqual(field.expression, start)) & Q(
        LessThanOrEqual(field.expression, field.constant(today)))


def more_than_days_ago(field, value, today):
    return LessThan(field.expression, field.constant(today - datetime.timedelta(days=value)))


POSITIVE_BUILDERS = {
    "eq": comparison("eq"), "gt": comparison("gt"), "gte": comparison("gte"),
    "lt": comparison("lt"), "lte": comparison("lte"), "between": between, "in": one_of,
    "contains": contains, "starts_with": starts_with, "ends_with": ends_with,
    "regex": regex, "within_last_days": within_last_days,
    "more_than_days_ago": more_than_days_ago,
}
