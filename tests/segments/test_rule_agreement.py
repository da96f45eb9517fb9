"""Python predicate, database query and reference interpreter agree on every rule.

Hypothesis generates rules; the responses are a fixed, deliberately awkward set (missing
fields, wrong JSON types, empty texts, Greek, lists), stored once per run in the real
database (SQLite or PostgreSQL, whichever the suite runs on).
"""

import datetime
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kairos.engine.rules import OPERATORS_BY_TYPE, compile_rule, evaluate_reference, validate
from kairos.engine.rules.schema import OPERATORS
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import copy_typed_fields, published_version
from kairos.segments.query import rule_to_q
from kairos.segments.values import response_values

TODAY = datetime.date(2026, 11, 27)
CATALOG = {
    "answers.nps": "number", "answers.rating": "number", "answers.comment": "text",
    "answers.colors": "list", "questionnaire.store_id": "text", "questionnaire.amount": "number",
    "questionnaire.transaction_date": "date", "questionnaire.products": "list",
    "questionnaire.coupon": "text", "responder.since": "date", "responder.vip": "boolean",
    "responder.orders": "number", "responder.email": "text",
}
# Texts compare ignoring case and surrounding spaces: variants of one another on purpose,
# with Greek final sigma (PostgreSQL's lower() and Python's disagree on it), the Kelvin
# sign (re2 folds it with k) and white space Python strips but SQL's trim() does not.
TEXTS = ["late delivery", "Late", "LATE", "", "great service", "Η παράδοση άργησε",
         "ΑΡΓΗΣΕ πολύ", "athens", "patra", "x1", "50%_off", "a|b", " late\n", "  ",
         "ΑΡΓΗΣ", "αργης", "οδός", "ΟΔΌΣ", "\u212aelvin", "kelvin\u00a0", "\u3000Late"]
STORES = ["athens", "thessaloniki", "patra", "ATHENS", "Athens ", "\tathens", "ΑΘΗΝΑ"]
WORDS = ["sku1", "sku2", "red", "blue", "Red", "RED ", " Sku1"]
DATES = [(TODAY - datetime.timedelta(days=d)).isoformat() for d in (0, 1, 29, 30, 31, 400)]


def maybe(rng, value, chance=0.8):
    return value if rng.random() < chance else None


def awkward_response(rng):
    answers = {
        "nps": maybe(rng, rng.randint(0, 10)), "rating": maybe(rng, rng.randint(1, 10)),
        "comment": maybe(rng, rng.choice(TEXTS)),
        "colors": maybe(rng, rng.sample(WORDS, rng.randint(0, 3))),
    }
    order = {
        "store_id": maybe(rng, rng.choice(STORES)),
        "amount": maybe(rng, rng.choice([0, 10, 49.99, 50, 50.0, 120.5, 400])),
        "transaction_date": maybe(rng, rng.choice(DATES)),
        "products": maybe(rng, rng.choice([[], ["sku1"], ["sku1", "sku2"], ["red", 3]])),
        # Extra fields arrive with whatever type the shop's code sent that day.
        "coupon": maybe(rng, rng.choice(["XMAS", "xmas10", 10, True])),
    }
    customer = {
        "since": maybe(rng, rng.choice([*DATES, "soon", 5])),
        "vip": maybe(rng, rng.choice([True, False, "yes", 1])),
        "orders": maybe(rng, rng.choice([0, 3, 7.5, "many"])),
        "email": maybe(rng, rng.choice(["maria@example.com", "nikos@example.gr", ""])),
    }
    return [{k: v for k, v in part.items() if v is not None}
            for part in (answers, order, customer)]


@pytest.fixture
def stored(alice):
    rng = random.Random(20261127)
    version = published_version(alice.organization, "checkout")
    responses = []
    for _ in range(160):
        answers, order, customer = awkward_response(rng)
        response = Response(organization=alice.organization, questionnaire_version=version,
                            stage="checkout", answers=answers, questionnaire_metadata=order,
                            responder_metadata=customer)
        copy_typed_fields_safely(response)
        responses.append(response)
    Response.objects.bulk_create(responses)
    return alice.organization, responses


def copy_typed_fields_safely(response):
    # Typed columns hold only values of their own type, as ingestion guarantees.
    copy_typed_fields(response)
    if not isinstance(response.amount, int | float) or isinstance(response.amount, bool):
        response.amount = None


def constants(field_type):
    return {
        "number": st.sampled_from([0, 1, 5, 6, 9, 10, 49.99, 50, 7.5]),
        "text": st.sampled_from([*TEXTS, *STORES, "xmas", "maria", "ΑΡΓ", "ης", "Αθηνα",
                                 "ATHENS ", "kelvin", "ΟΔΟΣ"]).filter(str.strip),
        "date": st.sampled_from(DATES), "boolean": st.booleans(),
        "list": st.sampled_from([*WORDS, "SKU1", "Blue "]),
    }[field_type]


# Patterns of every sort are the business of test_regex_agreement.py.
REGEXES = ["^la", "te$", "l.te", "[0-9]+", "(?i)late", "a|b", "^$", "παρ", "(?i)ς"]


def values_for(field_type, op):
    """A valid constant for the operator, by what it takes (schema.OPERATORS)."""
    kind = OPERATORS[op].value
    if kind == "items":
        return st.lists(constants(field_type), min_size=1, max_size=3)
    if kind == "pair":
        return st.lists(constants(field_type), min_size=2, max_size=2).map(sorted)
    if kind == "days":
        return st.sampled_from([0, 1, 30, 365])
    if kind == "pattern":
        return st.sampled_from(REGEXES)
    if kind == "none":
        return st.none()
    return constants(field_type)


@st.composite
def conditions(draw):
    field = draw(st.sampled_from(sorted(CATALOG)))
    field_type = CATALOG[field]
    op = draw(st.sampled_from(OPERATORS_BY_TYPE[field_type]))
    condition = {"field": field, "op": op}
    value = draw(values_for(field_type, op))
    if value is not None:
        condition["value"] = value
    return condition


rules = st.recursive(
    conditions(),
    lambda children: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(children, max_size=4)),
        # An empty "any" group is refused by validation.
        st.builds(lambda items: {"any": items}, st.lists(children, min_size=1, max_size=4))),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rule=rules)
def test_predicate_query_and_reference_agree(stored, rule):
    assume(not validate(rule, CATALOG))
    organization, responses = stored
    predicate = compile_rule(rule, CATALOG)
    by_python, by_reference = set(), set()
    for response in responses:
        values = response_values(response.answers, response.questionnaire_metadata,
                                 response.responder_metadata, CATALOG)
        if predicate(values, TODAY):
            by_python.add(response.pk)
        if evaluate_reference(rule, values, TODAY, CATALOG):
            by_reference.add(response.pk)
    matching = Response.objects.filter(organization=organization).filter(
        rule_to_q(rule, CATALOG, TODAY))
    by_database = set(matching.values_list("pk", flat=True))
    assert by_python == by_reference
    assert by_database == by_python, rule
