"""GET /api/v1/segments/values: the values a field has in the shop's latest responses."""

import datetime

import pytest
from django.utils import timezone

from kairos.questionnaires.services import published_version, record_response
from kairos.segments import suggestions

URL = "/api/v1/segments/values"


def respond(user, store=None, products=None, days_ago=0, comment=None):
    version = published_version(user.organization, "checkout")
    order = {"store_id": store} if store is not None else {}
    if products is not None:
        order["products"] = products
    answers = {"nps": 5} | ({"comment": comment} if comment else {})
    record_response(user.organization, version,
                    {"answers": answers, "metadata": {"questionnaire": order}}, locale="en",
                    submitted_at=timezone.now() - datetime.timedelta(days=days_ago))


def values(client, field, q="", **more):
    response = client.get(URL, {"field": field, "q": q, **more})
    assert response.status_code == 200, response.content
    return response.json()


def test_values_are_grouped_as_rules_compare_texts_most_frequent_first(alice, alice_api):
    for store in ["Athens", "athens ", "ATHENS", "Athens", "Patra", "Larisa", "Patra"]:
        respond(alice, store)
    respond(alice)  # no store: not a value
    data = values(alice_api, "questionnaire.store_id")
    assert data["responses"] == 8
    # Each value shown in its most frequent spelling, with the responses that have it.
    assert data["values"] == [{"value": "Athens", "count": 4}, {"value": "Patra", "count": 2},
                              {"value": "Larisa", "count": 1}]
    assert (data["matches"], data["near"]) == (0, [])  # nothing typed yet


def test_typing_narrows_and_counts_the_exact_matches(alice, alice_api):
    for store in ["Athens", "athens", "Athens", "Patra", "Larisa"]:
        respond(alice, store)
    data = values(alice_api, "questionnaire.store_id", "  ATH")
    assert data["values"] == [{"value": "Athens", "count": 3}]
    assert data["matches"] == 0
    assert values(alice_api, "questionnaire.store_id", "ATHENS ")["matches"] == 3
    assert [v["value"] for v in values(alice_api, "questionnaire.store_id", "a")["values"]] == [
        "Athens", "Larisa", "Patra"]


def test_a_value_that_matches_no_one_gets_the_nearest_known_values(alice, alice_api):
    for store in ["Athens", "Athens", "Patra", "Thessaloniki"]:
        respond(alice, store)
    data = values(alice_api, "questionnaire.store_id", "athns")
    assert data["matches"] == 0 and data["values"] == []
    assert data["near"] == [{"value": "Athens", "count": 2}]
    assert values(alice_api, "questionnaire.store_id", "zzzzzz")["near"] == []


def test_a_list_field_offers_its_elements_counting_a_response_once(alice, alice_api):
    respond(alice, products=["Shoes", "shoes", "Socks"])
    respond(alice, products=["shoes"])
    respond(alice, products=[])
    data = values(alice_api, "questionnaire.products")
    assert data["values"] == [{"value": "shoes", "count": 2}, {"value": "Socks", "count": 1}]


def test_an_answer_to_a_text_question_is_offered_too(alice, alice_api):
    respond(alice, comment="late delivery")
    respond(alice, comment="Late delivery")
    assert values(alice_api, "answers.comment", "late")["matches"] == 0
    assert values(alice_api, "answers.comment", "LATE DELIVERY")["matches"] == 2


def test_only_the_latest_responses_are_read(alice, alice_api, monkeypatch):
    monkeypatch.setattr(suggestions, "RECENT_RESPONSES", 2)
    respond(alice, "old-store", days_ago=10)
    respond(alice, "Athens", days_ago=1)
    respond(alice, "Patra", days_ago=0)
    data = values(alice_api, "questionnaire.store_id")
    assert data["responses"] == 2
    assert {v["value"] for v in data["values"]} == {"Athens", "Patra"}


def test_limit_bounds_the_list(alice, alice_api):
    for number in range(5):
        respond(alice, f"store {number}")
    assert len(values(alice_api, "questionnaire.store_id", limit=3)["values"]) == 3


@pytest.mark.parametrize(("query", "field"), [
    ({"field": "questionnaire.nope"}, "field"),
    ({"field": "answers.nps"}, "field"),  # a number: no values to offer
    ({}, "field"),
    ({"field": "questionnaire.store_id", "limit": "0"}, "limit"),
    ({"field": "questionnaire.store_id", "limit": "x"}, "limit"),
    ({"field": "questionnaire.store_id", "q": "a" * 1001}, "q"),
    ({"field": "questionnaire.store_id", "q": "a\x00b"}, "q"),
])
def test_bad_queries_are_refused_naming_the_field(alice, alice_api, query, field):
    response = alice_api.get(URL, query)
    assert response.status_code == 422, response.content
    assert field in str(response.json())


def test_bob_never_sees_alices_values(alice, bob, alice_api, bob_api):
    respond(alice, "Alice Street")
    respond(bob, "Bob Street")
    assert [v["value"] for v in values(bob_api, "questionnaire.store_id")["values"]] == [
        "Bob Street"]
    assert values(bob_api, "questionnaire.store_id", "alice street")["matches"] == 0
    assert values(alice_api, "questionnaire.store_id")["responses"] == 1


def test_anonymous_calls_are_refused(alice):
    from django.test import Client

    assert Client().get(URL, {"field": "questionnaire.store_id"}).status_code == 401


def test_fields_are_labelled_by_the_questions_text_in_the_users_language(alice, alice_api):
    fields = {f["path"]: f["label"] for f in alice_api.get("/api/v1/segments/fields").json()}
    question = published_version(alice.organization, "checkout").questions[0]
    assert fields[f"answers.{question['key']}"] == question["label"]["en"]
    assert fields["questionnaire.store_id"] == "Store"
    greek = {f["path"]: f["label"] for f in alice_api.get(
        "/api/v1/segments/fields", HTTP_ACCEPT_LANGUAGE="el").json()}
    assert greek[f"answers.{question['key']}"] == question["label"]["el"]
    assert greek["questionnaire.store_id"] == "Κατάστημα"
