"""Property tests: on random valid rules and random responses (missing keys, None, values
of the wrong type), the compiled predicate agrees with the reference interpreter."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kairos.engine.rules import (
    OPERATORS_BY_TYPE,
    compile_rule,
    evaluate_reference,
    explain,
    validate,
)
from kairos.engine.rules.tree import iter_conditions

FIELD_TYPES = {
    "answers.nps": "number",
    "questionnaire.amount": "number",
    "answers.comment": "text",
    "questionnaire.store_id": "text",
    "questionnaire.transaction_date": "date",
    "answers.visit": "date",
    "answers.happy": "boolean",
    "questionnaire.products": "list",
    "answers.choices": "list",
}

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,  # keep no example database in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

NEAR_DAYS = st.dates(min_value=date(2026, 9, 1), max_value=date(2027, 1, 31))
DAYS = st.one_of(NEAR_DAYS, NEAR_DAYS, st.dates())
TODAY = st.one_of(NEAR_DAYS, NEAR_DAYS, NEAR_DAYS, st.dates())
NUMBERS = st.one_of(st.integers(-5, 15), st.floats(-5, 15, allow_nan=False))
TEXTS = st.one_of(
    st.sampled_from(["athens", "Athens", "ATHENS", "thessaloniki", "late", "so late!", "",
                     "Γεια", "γεια σας", "ΣΟΦΙΑ", "ß", "İstanbul", "\ud800late", " athens\n",
                     "οδός", "ΟΔΌΣ", "ΟΔΟΣ ", "\u212aelvin", "ſ", "ǅ", "\u00a0x\u3000"]),
    st.text(alphabet="aAbBlLtTeE λΛ!", max_size=6),
)
SKUS = st.sampled_from(["sku1", "sku2", "sku3", "SKU1", ""])
PATTERNS = st.sampled_from(["a", "^a", "e$", "(?i)ATH", "l.t", "[0-9]+", "λ", "^$", "so late"])
# Fragments are compared without their surrounding spaces, so they must have more.
FRAGMENTS = TEXTS.filter(str.strip).filter(lambda text: "\ud800" not in text)


def scalar_constants(field_type: str):
    return {
        "number": NUMBERS,
        "text": FRAGMENTS | st.just(""),
        "date": DAYS.map(date.isoformat),
        "boolean": st.booleans(),
        "list": SKUS.filter(bool),
    }[field_type]


def constants(field_type: str, op: str):
    """A valid constant for the operator on a field of that type (None: no value)."""
    scalar = scalar_constants(field_type)
    if op in ("empty", "not_empty"):
        return st.none()
    if op in ("in", "not_in"):
        return st.lists(scalar, min_size=1, max_size=4)
    if op == "between":
        return st.tuples(scalar, scalar).map(sorted_bounds)
    if op == "regex":
        return PATTERNS
    if op in ("contains", "not_contains", "starts_with", "ends_with"):
        return FRAGMENTS if field_type == "text" else SKUS.filter(bool)
    if op in ("within_last_days", "more_than_days_ago"):
        return st.integers(0, 60) | st.integers(0, 36_500)
    return scalar


def sorted_bounds(pair) -> list:
    low, high = sorted(pair, key=lambda bound: bound if not isinstance(bound, str)
                       else date.fromisoformat(bound))
    return [low, high]


@st.composite
def conditions(draw):
    field = draw(st.sampled_from(sorted(FIELD_TYPES)))
    field_type = FIELD_TYPES[field]
    op = draw(st.sampled_from(OPERATORS_BY_TYPE[field_type]))
    value = draw(constants(field_type, op))
    condition = {"field": field, "op": op}
    if value is not None:
        condition["value"] = value
    return condition


def groups(children):
    # An empty "any" group is refused by validation; an empty "all" matches everyone.
    return st.one_of(st.builds(lambda items: {"all": items}, st.lists(children, max_size=4)),
                     st.builds(lambda items: {"any": items},
                               st.lists(children, min_size=1, max_size=4)))


RULES = st.recursive(conditions(), groups, max_leaves=12)

WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.text(max_size=3),
    DAYS, st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2027, 1, 31)),
    st.lists(st.one_of(SKUS, st.integers(0, 2), st.lists(SKUS, max_size=1)), max_size=3),
    st.dictionaries(st.text(max_size=1), st.integers(0, 1), max_size=1),
)

RIGHT_VALUES = {
    "number": st.one_of(NUMBERS, st.sampled_from([float("nan"), float("inf"), -0.0])),
    "text": TEXTS,
    "date": DAYS,
    "boolean": st.booleans(),
    "list": st.lists(SKUS | TEXTS, max_size=4),
}

MISSING = object()


def near_misses(condition: dict, today: date) -> list:
    """Values on both sides of the condition's edges: its constants, their other cases,
    one day or half a unit off, the day N days ago, a list holding the constant..."""
    field_type, constant = FIELD_TYPES[condition["field"]], condition.get("value")
    if constant is None:  # empty, not_empty
        return ["", [], 0, False, " ", [""]]
    items = constant if isinstance(constant, list) else [constant]
    if condition["op"] in ("within_last_days", "more_than_days_ago"):
        return [today - timedelta(days=constant + shift) for shift in (-1, 0, 1)
                if date.min.toordinal() < today.toordinal() - constant - shift
                <= date.max.toordinal()] + [today]
    if field_type == "number":
        return [item + shift for item in items for shift in (-1, -0.5, 0, 0.5, 1)]
    if field_type == "date":
        days = [date.fromisoformat(item) for item in items]
        # Compared as ordinals: a date a day or two past date.min/max is not a date.
        return [day + timedelta(days=shift) for day in days for shift in (-1, 0, 1)
                if date.min.toordinal() < day.toordinal() + shift * 2 < date.max.toordinal()]
    if field_type == "boolean":
        return [True, False, 1, 0]
    if field_type == "list":
        return [[item] for item in items] + [[item.upper(), "other"] for item in items]
    if condition["op"] == "regex":
        return ["a", "Athens", "so late!", "ATHENS", "123", "", "λ", "eel"]
    return [text for item in items
            for text in (item, item.upper(), item.title(), item.lower(), f" {item}\t",
                         f"x{item}y", f"{item}!", item.strip())]


@st.composite
def scenarios(draw, field_types=FIELD_TYPES):
    """A rule, a day, and a response whose values often sit on the rule's edges."""
    rule = draw(RULES)
    assume(not validate(rule, field_types))
    today = draw(TODAY)
    edges: dict = {}
    for condition in iter_conditions(rule):
        edges.setdefault(condition["field"], []).extend(near_misses(condition, today))
    values = {}
    for field, field_type in FIELD_TYPES.items():
        choices = [st.just(MISSING), RIGHT_VALUES[field_type], WRONG_VALUES]
        if edges.get(field):
            choices += [st.sampled_from(edges[field])] * 3
        value = draw(st.one_of(choices))
        if value is not MISSING:
            values[field] = value
    return rule, values, today


@SETTINGS
@given(scenario=scenarios())
def test_compiled_predicate_agrees_with_the_reference(scenario):
    rule, values, today = scenario
    compiled = compile_rule(rule, FIELD_TYPES)(values, today)
    assert type(compiled) is bool
    assert compiled is evaluate_reference(rule, values, today, FIELD_TYPES)


EVERY_OPERATOR = [(kind, op) for kind, ops in OPERATORS_BY_TYPE.items() for op in ops]


@pytest.mark.parametrize(("field_type", "op"), EVERY_OPERATOR)
@settings(SETTINGS, max_examples=25)
@given(data=st.data())
def test_they_agree_on_each_operator(field_type, op, data):
    field = data.draw(st.sampled_from([f for f, kind in FIELD_TYPES.items() if kind == field_type]))
    condition = {"field": field, "op": op}
    constant = data.draw(constants(field_type, op))
    if constant is not None:
        condition["value"] = constant
    today = data.draw(TODAY)
    value = data.draw(st.one_of(
        [st.sampled_from(near_misses(condition, today))] * 3
        + [RIGHT_VALUES[field_type], WRONG_VALUES, st.just(MISSING)]
    ))
    values = {} if value is MISSING else {field: value}
    compiled = compile_rule(condition, FIELD_TYPES)(values, today)
    assert compiled is evaluate_reference(condition, values, today, FIELD_TYPES)


@settings(SETTINGS, max_examples=150)
@given(scenario=scenarios(field_types=None))
def test_they_agree_with_guessed_field_types_too(scenario):
    # Without field_types, types come from metadata defaults and guesses; whatever they
    # are, both implementations must resolve and apply them the same way.
    rule, values, today = scenario
    assert compile_rule(rule)(values, today) is evaluate_reference(rule, values, today)


@settings(SETTINGS, max_examples=150)
@given(scenario=scenarios())
def test_explain_is_empty_exactly_when_the_rule_matches(scenario):
    rule, values, today = scenario
    reasons = explain(rule, values, today, FIELD_TYPES)
    assert (reasons == []) is evaluate_reference(rule, values, today, FIELD_TYPES)
    assert all(isinstance(reason, str) and reason for reason in reasons)
