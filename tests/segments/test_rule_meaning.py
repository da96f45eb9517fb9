"""One rule language, one meaning, in SQL and on every page: every operator has its SQL
and its words; texts compare ignoring case and spaces on both databases; a refused
pattern or an empty "any" group is reported where it is, and a saved rule that no longer
validates matches no one without breaking a page."""

import ast
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from campaigns.helpers import campaign, submit
from django.utils import translation
from rule_samples import EVERY_PAIR, sample_condition

from kairos.engine.rules import compile_rule, dialect
from kairos.engine.rules.schema import OPERATORS, POSITIVE_PAIRS, VALUE_KINDS
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import published_version
from kairos.segments import query
from kairos.segments.models import Segment
from kairos.segments.query import rule_to_q
from kairos.segments.values import response_values
from kairos.segments.views import OPERATOR_LABELS, builder_text

TODAY = datetime.date(2026, 11, 27)
BUILDER_JS = Path(__file__).resolve().parents[2] / "src/kairos/static/kairos/js/segment-builder.js"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def store(organization, **fields):
    version = published_version(organization, "checkout")
    return Response.objects.create(organization=organization, questionnaire_version=version,
                                   stage="checkout", **fields)


# ---- every consumer's operator table is complete ----------------------------------------

def test_every_positive_pair_of_the_schema_has_an_sql_builder():
    assert set(query.POSITIVE_BUILDERS) == set(POSITIVE_PAIRS)


def test_the_builder_has_words_and_inputs_for_every_operator():
    assert set(OPERATOR_LABELS) == set(OPERATORS)
    assert builder_text()["value_kinds"] == {name: op.value for name, op in OPERATORS.items()}
    known_to_the_script = set(re.findall(r'takes\(op, "(\w+)"\)', BUILDER_JS.read_text()))
    # A scalar or a fragment is one plain input; every other kind needs its own.
    assert known_to_the_script == set(VALUE_KINDS) - {"scalar", "fragment"}


@pytest.mark.parametrize(("field_type", "op"), EVERY_PAIR)
def test_every_operator_of_every_type_runs_in_sql_as_in_the_engine(alice, field_type, op):
    catalog = {"answers.x": field_type}
    condition = sample_condition("answers.x", field_type, op)
    value = {"number": 6, "text": " ATHENS", "date": "2026-11-01", "boolean": True,
             "list": ["SKU1 "]}[field_type]
    stored = [store(alice.organization, answers={"x": value}),
              store(alice.organization, answers={})]
    in_sql = set(Response.objects.filter(rule_to_q(condition, catalog, TODAY))
                 .values_list("pk", flat=True))
    predicate = compile_rule(condition, catalog)
    in_engine = {response.pk for response in stored
                 if predicate(response_values(response.answers, {}, {}, catalog), TODAY)}
    assert in_sql == in_engine


def test_sqlite_connections_get_the_rule_functions_from_the_start():
    # Texts and patterns need kairos_normalise and kairos_re2_search on SQLite; a process
    # that opened a connection before importing kairos.segments.sql (the segment-size
    # bench did) lacked them.
    code = "import django, sys; django.setup(); print('kairos.segments.sql' in sys.modules)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kairos.settings"}
    answer = subprocess.run([sys.executable, "-c", code], env=environment, check=True,
                            capture_output=True, text=True)
    assert answer.stdout.strip() == "True"


@pytest.mark.parametrize(("op", "value", "expected"), [
    ("eq", 7.5, 0), ("in", [7.5], 0), ("in", [6.5, 7], 1), ("gte", 6.5, 1), ("lt", 7.5, 2),
    ("between", [6.5, 7.5], 1), ("not_in", [7.5], 2),
])
def test_a_fractional_constant_is_not_rounded_for_a_whole_number_column(
        alice, op, value, expected):
    # nps is a smallint column; PostgreSQL's backend once turned "nps IN (7.5)" into 7.
    for nps in (6, 7):
        store(alice.organization, answers={"nps": nps}, nps=nps)
    rule = {"field": "answers.nps", "op": op, "value": value}
    assert Response.objects.filter(rule_to_q(rule, {"answers.nps": "number"}, TODAY)
                                   ).count() == expected


# ---- texts ignore case and surrounding spaces, on both databases -----------------------

def test_athens_in_any_case_and_with_spaces_is_athens(alice, alice_api):
    # The store is a typed column, the comment an answer in JSON: both compare alike.
    for text in ("athens", "Athens", "ATHENS", "athens ", " Athens\t", "patras", "αθηνα"):
        store(alice.organization, questionnaire_metadata={"store_id": text}, store_id=text,
              answers={"comment": text})
    for field in ("questionnaire.store_id", "answers.comment"):
        for op, value, expected in (("eq", "athens", 5), ("eq", "ATHENS ", 5),
                                    ("in", ["Athens", "larissa"], 5), ("neq", "Athens", 2),
                                    ("ends_with", "NS", 5), ("eq", "ΑΘΗΝΑ", 1)):
            body = {"conditions": {"all": [{"field": field, "op": op, "value": value}]}}
            answer = post(alice_api, "/api/v1/segments/preview", body).json()
            assert answer["responses"] == expected, (field, op, value)


# ---- what validation refuses is shown where it is --------------------------------------

def test_an_empty_any_group_is_refused_on_that_group(alice, alice_api):
    response = post(alice_api, "/api/v1/segments", {"name": "nobody", "conditions": {"all": [
        {"field": "answers.nps", "op": "lte", "value": 6}, {"any": []}]}})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "conditions.all[1]"
    assert "“any of” group needs at least one condition" in error["message"]
    assert not Segment.objects.exists()


def test_the_builder_shows_an_empty_any_group_as_a_problem_of_that_group(alice_client):
    data = {"name": "nobody", "icon": "", "questionnaire": "", "active": "on",
            "conditions": json.dumps({"any": [{"field": "answers.nps", "op": "lte",
                                               "value": 6}, {"any": []}]})}
    page = alice_client.post("/dashboard/segments/new/", data)
    assert page.status_code == 200
    [problem] = page.context["rule_problems"]
    assert (problem.path, problem.where) == ("any[1]", "Group 1")
    assert not Segment.objects.exists()


def test_every_message_the_engine_marks_for_translation_has_its_greek():
    engine = Path(dialect.__file__).parent
    marked = [node.args[0].value
              for module in engine.glob("*.py")
              for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop"]
    assert len(marked) >= 12
    with translation.override("el"):
        assert [m for m in marked if translation.gettext(m) == m] == []


def test_a_refused_pattern_is_explained_in_the_users_language(alice, alice_api):
    body = {"name": "late", "conditions": {"all": [
        {"field": "answers.comment", "op": "regex", "value": "\\blate\\b"}]}}
    english = post(alice_api, "/api/v1/segments", body).json()["errors"]
    greek = post(alice_api, "/api/v1/segments", body, HTTP_ACCEPT_LANGUAGE="el").json()
    assert english == [{"field": "conditions.all[0].value", "message": english[0]["message"]}]
    assert "word boundary" in english[0]["message"]
    assert "όριο λέξης" in greek["errors"][0]["message"]


# ---- a saved rule that no longer validates matches no one and breaks nothing ------------

@pytest.fixture
def legacy_segment(alice):
    """A segment saved before the dialect, with a pattern PostgreSQL reads its own way."""
    shop = alice.organization
    store(shop, answers={"nps": 2, "comment": "so late"})
    return Segment.objects.create(organization=shop, name="Late", conditions={"all": [
        {"field": "answers.nps", "op": "lte", "value": 6},
        {"field": "answers.comment", "op": "regex", "value": "\\blate\\b"}]})


def test_a_saved_pattern_outside_the_dialect_is_reported_on_the_segment(
        alice, alice_api, alice_client, legacy_segment):
    data = alice_api.get(f"/api/v1/segments/{legacy_segment.pk}").json()
    assert [problem["field"] for problem in data["problems"]] == ["conditions.all[1].value"]
    listed = alice_api.get("/api/v1/segments").json()["items"]
    assert listed[0]["problems"] == data["problems"]
    page = alice_client.get("/dashboard/segments/")
    assert page.status_code == 200 and "needs fixing" in page.content.decode()
    assert alice_client.get(f"/dashboard/segments/{legacy_segment.pk}/").status_code == 200


def test_a_saved_pattern_outside_the_dialect_matches_no_one_anywhere(
        alice, alice_api, alice_client, legacy_segment):
    shop = alice.organization
    shown = campaign(shop, [legacy_segment], title="Late callers")
    preview = alice_api.get(f"/api/v1/segments/{legacy_segment.pk}/preview")
    assert (preview.status_code, preview.json()["responses"]) == (200, 0)
    assert alice_api.get(f"/api/v1/campaigns/{shown.pk}/conflicts").status_code == 200
    assert alice_client.get(f"/dashboard/campaigns/{shown.pk}/").status_code == 200
    answers = {"nps": 2, "comment": "so late"}  # what the pattern meant to find
    assert submit(shop, answers=answers)["campaign"] is None


def test_the_operator_learns_which_saved_segments_match_no_one(alice, legacy_segment):
    from django.core import checks
    from django.core.management import call_command

    Segment.objects.create(organization=alice.organization, name="Fine", conditions={
        "all": [{"field": "answers.comment", "op": "regex", "value": "(^| )late( |$)"}]})
    warnings = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    [warning] = [w for w in warnings if w.id == "kairos.segments.W001"]
    assert warning.obj == legacy_segment
    assert "“Late”" in warning.msg and "all[1].value: uses “\\b”" in warning.msg
    call_command("check", databases=["default"])  # a warning, never an error
