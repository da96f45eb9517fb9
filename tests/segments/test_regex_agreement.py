"""Every pattern the rule validator accepts matches the same responses in the engine (re2)
and in SQL, on SQLite (re2 through a registered function) and on PostgreSQL (its own regex
engine, given the pattern written out explicitly)."""

import datetime
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rule_patterns import PATTERNS, TEXT_ALPHABET, TEXTS, TRICKY_TEXTS

from kairos.engine.rules import compile_rule, validate
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import published_version
from kairos.segments.query import rule_to_q
from kairos.segments.values import response_values

TODAY = datetime.date(2026, 11, 27)
CATALOG = {"answers.comment": "text", "questionnaire.store_id": "text"}


def stored_responses(organization, texts):
    """One response per text, in a JSON answer and in a typed column (store_id)."""
    version = published_version(organization, "checkout")
    return Response.objects.bulk_create([
        Response(organization=organization, questionnaire_version=version, stage="checkout",
                 answers={"comment": text}, questionnaire_metadata={"store_id": text},
                 store_id=text)
        for text in texts
    ])


@pytest.fixture
def corpus(alice):
    rng = random.Random(9)
    texts = [*TRICKY_TEXTS, *("".join(rng.choices(TEXT_ALPHABET, k=rng.randint(1, 12)))
                              for _ in range(40))]
    return alice.organization, stored_responses(alice.organization, texts)


def matching_in_sql(organization, rule):
    query = Response.objects.filter(organization=organization).filter(
        rule_to_q(rule, CATALOG, TODAY))
    return set(query.values_list("pk", flat=True))


def matching_in_the_engine(responses, rule):
    predicate = compile_rule(rule, CATALOG)
    return {response.pk for response in responses
            if predicate(response_values(response.answers, response.questionnaire_metadata,
                                         {}, CATALOG), TODAY)}


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(pattern=PATTERNS, texts=st.lists(TEXTS, max_size=5),
       field=st.sampled_from(sorted(CATALOG)))
def test_sql_and_the_engine_match_the_same_texts_for_every_accepted_pattern(
        corpus, pattern, texts, field):
    rule = {"field": field, "op": "regex", "value": pattern}
    assume(not validate(rule, CATALOG))
    organization, responses = corpus
    extra = stored_responses(organization, texts)
    try:
        everyone = [*responses, *extra]
        assert matching_in_sql(organization, rule) == matching_in_the_engine(everyone, rule), (
            pattern)
    finally:
        Response.objects.filter(pk__in=[response.pk for response in extra]).delete()


@pytest.mark.parametrize("pattern", [
    "\\d", "\\w+", "\\s", ".", "^late$", "(?i)LATE", "(?i)σοφία", "(?i)[α-ω]+ς", "a.b",
    "[^a-z]", "(?i)k", "^\\+30[0-9]{10}$", "\\W", "(?s)a.b", "a\\nb", "^$",
])
def test_the_classes_postgresql_reads_its_own_way_match_as_in_re2(corpus, pattern):
    # \d, \w and \s are ASCII in re2 (PostgreSQL: locale classes taking ٣ or é); `.`
    # skips newlines in re2 (PostgreSQL: matches them); (?i) folds ς, σ, Σ and the Kelvin
    # sign together in re2 (PostgreSQL: per character, by locale).
    organization, responses = corpus
    for field in CATALOG:
        rule = {"field": field, "op": "regex", "value": pattern}
        assert matching_in_sql(organization, rule) == matching_in_the_engine(responses, rule)
