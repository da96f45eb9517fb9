"""A segment rule compiled to a database filter over stored responses.

It must agree exactly with the Python predicate of kairos.engine.rules (a property test
checks both, and a plain reference interpreter, on SQLite and PostgreSQL). Each positive
condition is made two-valued (`lookup AND value IS NOT NULL`) so that SQL's NULL logic
cannot make a negation differ from Python's `not`.
"""

import datetime

from django.db.models import F, FloatField, Q, Value
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

from kairos.engine.rules.schema import POSITIVE_OF_NEGATED
from kairos.engine.rules.text import normalise
from kairos.segments.sql import JsonEmpty, JsonValue, ListContains, Normalised, Re2Search

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
        if self.type == "number":
            # As a float expression: Django would otherwise prepare it for the column's own
            # type, and PostgreSQL's backend makes 7.5 the smallint 7 in "nps IN (7.5)".
            return Value(value, output_field=FloatField())
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
    if op in POSITIVE_OF_NEGATED:
        return ~positive(field, POSITIVE_OF_NEGATED[op], condition.get("value"), today)
    return positive(field, op, condition.get("value"), today)


def positive(field, op, value, today):
    if op == "empty":
        return empty(field)
    return Q(POSITIVE_BUILDERS[field.type, op](field, value, today)) & field.present()


def empty(field):
    if not field.typed_column:
        return Q(field.raw_empty())
    missing = Q(IsNull(field.expression, True))
    if field.type == "text":
        return missing | Q(Exact(field.expression, Value("")))
    return missing


def comparison(op):
    def build(field, value, today):
        return COMPARISONS[op](field.expression, field.constant(value))

    return build


def between(field, value, today):
    low, high = (field.constant(v) for v in value)
    return Q(GreaterThanOrEqual(field.expression, low)) & Q(LessThanOrEqual(field.expression, high))


def one_of(field, value, today):
    return In(field.expression, [field.constant(v) for v in value])


# Texts are compared in normal form (kairos.engine.rules.text): the constants are
# normalised here, the stored values by Normalised in SQL.

def text_equals(field, value, today):
    return text_one_of(field, [value], today)


def text_one_of(field, value, today):
    needles = sorted({normalise(item) for item in value})
    # A text already in normal form, the common case, is found without normalising it.
    return Q(In(field.expression, needles)) | Q(In(Normalised(field.expression, needles),
                                                  needles))


def contains(field, value, today):
    needle = normalise(value)
    return GreaterThan(StrIndex(Normalised(field.expression, [needle]), Value(needle)), 0)


def starts_with(field, value, today):
    needle = normalise(value)
    return Exact(Left(Normalised(field.expression, [needle]), len(needle)), Value(needle))


def ends_with(field, value, today):
    needle = normalise(value)
    text = Normalised(field.expression, [needle])
    # Right() of a shorter text is the whole text, which then cannot equal the needle.
    return Q(Exact(Right(text, len(needle)), Value(needle))) & Q(
        GreaterThanOrEqual(Length(text), len(needle)))


def regex(field, value, today):
    return Exact(Re2Search(field.expression, value), True)


def list_includes(field, value, today):
    """A text element equal to the value (contains) or to one of the values (in)."""
    items = value if isinstance(value, list) else [value]
    return ListContains(field.expression, sorted({normalise(item) for item in items}))


def within_last_days(field, value, today):
    start = field.constant(today - datetime.timedelta(days=value))
    return Q(GreaterThanOrEqual(field.expression, start)) & Q(
        LessThanOrEqual(field.expression, field.constant(today)))


def more_than_days_ago(field, value, today):
    return LessThan(field.expression, field.constant(today - datetime.timedelta(days=value)))


# One builder per (field type, positive operator) of the engine's schema (a test checks
# that every pair has one): negations and "empty" are derived above.
POSITIVE_BUILDERS = {
    **{(kind, op): comparison(op) for kind in ("number", "date") for op in COMPARISONS},
    ("number", "between"): between, ("number", "in"): one_of,
    ("text", "eq"): text_equals, ("text", "in"): text_one_of, ("text", "contains"): contains,
    ("text", "starts_with"): starts_with, ("text", "ends_with"): ends_with,
    ("text", "regex"): regex,
    ("date", "between"): between, ("date", "within_last_days"): within_last_days,
    ("date", "more_than_days_ago"): more_than_days_ago,
    ("boolean", "eq"): comparison("eq"),
    ("list", "contains"): list_includes, ("list", "in"): list_includes,
}
