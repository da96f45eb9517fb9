"""Hostile and careless submissions to the public API: refused with 4xx naming the field,
never stored, and answered identically by the lean hot path and the documented route."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from integrations.both_paths import encoded, hot_path, ninja_route

from kairos.integrations import hot_path as lean_application
from kairos.questionnaires.models import MetadataField, Response


@pytest.fixture(autouse=True)
def inside_the_test_transaction(monkeypatch):
    monkeypatch.setattr(lean_application, "close_old_connections", lambda: None)


@pytest.fixture
def site_key(alice):
    return alice.organization.site_keys.get().key


def body(key, **overrides):
    return {"site_key": key, "stage": "checkout", "locale": "en", "device_id": "d-1",
            "answers": {"nps": 3, "comment": "late"},
            "metadata": {"questionnaire": {"store_id": "athens", "amount": 12.5},
                         "responder": {"email": "maria@example.com"}}, **overrides}


def with_metadata(site_key, scope, **fields):
    payload = body(site_key)
    payload["metadata"][scope].update(fields)
    return payload


def both(raw):
    """The answer both implementations give (a refusal word for word), as (status, body)."""
    lean_status, _headers, lean_body = hot_path(raw)
    status, answer = ninja_route(raw)
    assert lean_status == status
    if status != 201:  # two stored responses differ in their ids only
        assert lean_body == answer
    return lean_status, lean_body


def refused_fields(raw, status=422):
    answer_status, answer = both(raw)
    assert answer_status == status, answer
    assert Response.objects.count() == 0
    return {error["field"] for error in answer.get("errors", [])}


# ---- class 1: text the databases cannot store or read back ----------------------------

@pytest.mark.parametrize("text", ["\ud800", "late\udfff", "a\x00b", "\x00"])
def test_unstorable_text_in_an_answer_is_refused(site_key, text):
    raw = encoded(body(site_key, answers={"nps": 3, "comment": text}))
    assert refused_fields(raw) == {"answers.comment"}


@pytest.mark.parametrize("scope,field", [("questionnaire", "store_id"),
                                         ("questionnaire", "transaction_id"),
                                         ("responder", "name"), ("responder", "vip_note")])
@pytest.mark.parametrize("text", ["\ud83d", "x\x00"])
def test_unstorable_text_in_metadata_is_refused(site_key, scope, field, text):
    raw = encoded(with_metadata(site_key, scope, **{field: text}))
    assert refused_fields(raw) == {f"metadata.{scope}.{field}"}


@pytest.mark.parametrize("name", ["site_key", "device_id", "stage", "idempotency_key"])
def test_unstorable_text_anywhere_in_the_body_is_refused(site_key, name):
    raw = encoded(body(site_key, **{name: "pk\x00"}))
    assert refused_fields(raw) == {name}


def test_an_unstorable_field_name_is_refused_and_named_printably(site_key):
    raw = encoded(with_metadata(site_key, "responder", **{"\ud800x": "1"}))
    assert refused_fields(raw) == {"metadata.responder.\N{REPLACEMENT CHARACTER}x"}


def test_text_in_a_list_is_checked_too(site_key):
    raw = encoded(with_metadata(site_key, "questionnaire", products=["sku-1", "\x00"]))
    assert refused_fields(raw) == {"metadata.questionnaire.products.1"}


# ---- class 2: numbers out of range -----------------------------------------------------

HUGE = "1" * 401


@pytest.mark.parametrize("number", [HUGE, "1e400", "-1e400", "NaN", "Infinity",
                                    str(10**16)])
@pytest.mark.parametrize("field", ["amount", "loyalty"])  # a known field, an extra one
def test_numbers_out_of_range_are_refused(site_key, number, field):
    raw = encoded(with_metadata(site_key, "questionnaire", **{field: "NUMBER"}))
    raw = raw.replace(b'"NUMBER"', number.encode())
    assert refused_fields(raw) == {f"metadata.questionnaire.{field}"}


@pytest.mark.parametrize("text", [HUGE, "1e999", "-1e16", "nan", "inf"])
def test_numeric_text_out_of_range_is_refused_for_a_number_field(site_key, text):
    raw = encoded(with_metadata(site_key, "questionnaire", amount=text))
    assert refused_fields(raw) == {"metadata.questionnaire.amount"}


def test_the_largest_number_kairos_keeps_is_stored(site_key):
    raw = encoded(with_metadata(site_key, "questionnaire", amount=10**15))
    status, answer = both(raw)
    assert status == 201
    assert Response.objects.get(pk=answer["response_id"]).amount == 10**15


# ---- class 3: deep JSON ----------------------------------------------------------------

def test_json_nested_past_pythons_stack_is_a_bad_request(site_key):
    raw = b'{"site_key": "x", "answers": ' + b"[" * 2000 + b"]" * 2000 + b"}"
    assert len(raw) < 5000
    assert both(raw) == (400, {"detail": "Cannot parse request body"})


def test_json_nested_deeper_than_kairos_accepts_is_refused(site_key):
    deep = "late"
    for _level in range(40):
        deep = [deep]
    raw = encoded(body(site_key, answers={"nps": 3, "comment": deep}))
    fields = refused_fields(raw)
    assert len(fields) == 1 and fields.pop().startswith("answers.comment")


@pytest.mark.parametrize("raw", [b"", b"[]", b"null", b'"x"', b"5", b"\xff\xfe", b"{nope"])
def test_bodies_that_are_not_objects_are_refused_alike(site_key, raw):
    status, answer = both(raw)
    assert status in (400, 422) and answer["detail"]
    assert Response.objects.count() == 0


# ---- accepted silently, should not be --------------------------------------------------

@pytest.mark.parametrize("metadata", [[], "x", 5, True, {"order": {"amount": 5}},
                                      {"questionnaire": [], "responder": {}},
                                      {"responder": "maria@example.com"}])
def test_metadata_of_the_wrong_shape_is_refused(site_key, metadata):
    fields = refused_fields(encoded(body(site_key, metadata=metadata)))
    assert fields and all(field.startswith("metadata") for field in fields)


def test_an_unknown_field_of_the_body_is_refused(site_key):
    assert refused_fields(encoded(body(site_key, answer={"nps": 3}))) == {"answer"}


def post_metadata(site_key, **responder):
    return ninja_route(encoded(with_metadata(site_key, "responder", **responder)))


def test_an_extra_field_keeps_the_type_of_its_first_value(alice, site_key):
    assert post_metadata(site_key, loyalty=5)[0] == 201
    assert post_metadata(site_key, loyalty="7")[0] == 201
    assert post_metadata(site_key, loyalty="9.5")[0] == 201
    stored = sorted(r.responder_metadata["loyalty"] for r in Response.objects.all())
    assert stored == [5, 7, 9.5]
    status, answer = post_metadata(site_key, loyalty="many")
    assert status == 422 and answer["errors"][0]["field"] == "metadata.responder.loyalty"
    assert MetadataField.objects.get(key="loyalty").type == "number"


def test_every_value_of_a_typed_field_matches_its_segment(alice, site_key):
    from campaigns.helpers import segment

    from kairos.segments.services import preview

    for value in (5, "7", "9.5", 1):
        assert post_metadata(site_key, loyalty=value)[0] == 201
    loyal = {"all": [{"field": "responder.loyalty", "op": "gt", "value": 3}]}
    result = preview(alice.organization, segment(alice.organization, loyal).conditions)
    assert result.responses == 3


@pytest.mark.parametrize("first,later,stored", [
    ("text", 42, "42"), (True, "false", False), ("2026-11-20", "2026-11-21", "2026-11-21"),
    (["a"], ["b", "c"], ["b", "c"])])
def test_unambiguous_values_are_read_as_the_registered_type(site_key, first, later, stored):
    assert post_metadata(site_key, extra=first)[0] == 201
    status, answer = post_metadata(site_key, extra=later)
    assert status == 201
    assert Response.objects.get(pk=answer["response_id"]).responder_metadata["extra"] == stored


@pytest.mark.parametrize("first,later", [(True, "yes"), (True, 1), ("2026-11-20", "soon"),
                                         (["a"], "a"), (5, True)])
def test_ambiguous_values_of_a_typed_field_are_refused(site_key, first, later):
    assert post_metadata(site_key, extra=first)[0] == 201
    status, answer = post_metadata(site_key, extra=later)
    assert status == 422 and answer["errors"][0]["field"] == "metadata.responder.extra"


# ---- the same answer, whatever the body ------------------------------------------------

HOSTILE_TEXT = st.one_of(st.text(max_size=8), st.sampled_from(["\x00", "\ud800", "\udfff"]))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner,
                                                                max_size=3),
    max_leaves=8)


def hostile_bodies(site_key):
    fields = {"site_key": st.sampled_from([site_key, "pk_unknown", "\x00"]) | JSON_VALUES,
              "stage": st.sampled_from(["checkout", "after_sales", "x"]) | JSON_VALUES,
              "locale": st.sampled_from(["en", "el", "fr"]) | JSON_VALUES,
              "answers": st.fixed_dictionaries({}, optional={
                  "nps": st.integers(-2, 12) | JSON_VALUES,
                  "comment": HOSTILE_TEXT | JSON_VALUES}) | JSON_VALUES,
              "metadata": st.fixed_dictionaries({}, optional={
                  "questionnaire": st.dictionaries(HOSTILE_TEXT, JSON_VALUES, max_size=3),
                  "responder": JSON_VALUES}) | JSON_VALUES,
              "device_id": JSON_VALUES, "idempotency_key": JSON_VALUES}
    return st.fixed_dictionaries({}, optional=fields) | JSON_VALUES


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_hot_path_answers_every_body_as_the_route_does(site_key, data):
    payload = data.draw(hostile_bodies(site_key))
    raw = json.dumps(payload).encode()  # NaN and Infinity included, as Python writes them
    lean_status, _headers, lean_body = hot_path(raw)
    status, answer = ninja_route(raw)
    assert lean_status == status and lean_status < 500
    if status != 201:
        assert lean_body == answer
