"""POST /api/public/v1/responses: every validation rule, and what gets stored."""

import json

import pytest
from django.test import Client

from kairos.questionnaires.models import MetadataField, Response


@pytest.fixture
def site_key(alice):
    return alice.organization.site_keys.get().key


def body(site_key, **overrides):
    payload = {
        "site_key": site_key, "stage": "checkout", "locale": "en", "device_id": "d-1",
        "answers": {"nps": 3, "comment": "late delivery"},
        "metadata": {
            "questionnaire": {"transaction_id": "A-1001", "transaction_date": "2026-11-20",
                              "store_id": "athens", "amount": 120.5},
            "responder": {"email": "maria@example.com", "phone_number": "+306900000000",
                          "name": "Maria", "customer_id": "c-42"},
        },
    }
    payload.update(overrides)
    return payload


def post(payload, **headers):
    return Client().post("/api/public/v1/responses", json.dumps(payload),
                         content_type="application/json", headers=headers)


def test_it_stores_a_response_and_answers_201(alice, site_key):
    response = post(body(site_key))
    assert response.status_code == 201
    data = response.json()
    assert data["campaign"] is None
    stored = Response.objects.get(pk=data["response_id"])
    assert stored.organization == alice.organization
    assert stored.answers == {"nps": 3, "comment": "late delivery"}
    assert (stored.nps, stored.store_id, stored.amount) == (3, "athens", 120.5)
    assert str(stored.transaction_date) == "2026-11-20"
    assert stored.questionnaire_version.number == 1


def detail_fields(response):
    return {error["field"] for error in response.json()["errors"]}


def test_it_refuses_an_unknown_site_key(db):
    response = post(body("pk_nope"))
    assert response.status_code == 403
    assert "site_key" in response.json()["detail"]


def test_it_refuses_an_inactive_site_key(alice, site_key):
    alice.organization.site_keys.update(active=False)
    assert post(body(site_key)).status_code == 403


def test_it_refuses_an_unknown_stage(alice, site_key):
    response = post(body(site_key, stage="delivery"))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("stage:")


def test_it_names_an_unknown_question_key(alice, site_key):
    response = post(body(site_key, answers={"nps": 3, "colour": "red"}))
    assert response.status_code == 422
    assert detail_fields(response) == {"answers.colour"}


@pytest.mark.parametrize("value", ["3", 3.5, True, None])
def test_it_refuses_a_wrong_type(alice, site_key, value):
    response = post(body(site_key, answers={"nps": value}))
    assert response.status_code == 422
    assert "answers.nps" in detail_fields(response)


@pytest.mark.parametrize("question,value", [("nps", 11), ("nps", -1), ("rating", 0),
                                            ("rating", 11)])
def test_it_refuses_out_of_range_scores(alice, site_key, question, value):
    answers = {"nps": 5, question: value}
    response = post(body(site_key, answers=answers))
    assert response.status_code == 422
    assert detail_fields(response) == {f"answers.{question}"}


def test_it_requires_required_answers(alice, site_key):
    response = post(body(site_key, answers={"comment": "no score"}))
    assert response.status_code == 422
    assert detail_fields(response) == {"answers.nps"}


def test_it_reports_every_problem_at_once_and_writes_nothing(alice, site_key):
    payload = body(site_key, answers={"nps": 12, "rating": "x"})
    payload["metadata"]["questionnaire"]["amount"] = "lots"
    payload["metadata"]["responder"]["email"] = "not-an-email"
    response = post(payload)
    assert response.status_code == 422
    assert detail_fields(response) == {
        "answers.nps", "answers.rating", "metadata.questionnaire.amount",
        "metadata.responder.email"}
    assert Response.objects.count() == 0


def test_it_refuses_missing_fields_with_their_names(alice, site_key):
    response = post({"site_key": site_key})
    assert response.status_code == 422
    assert detail_fields(response) == {"stage", "answers"}


def test_it_refuses_an_oversized_payload(alice, site_key):
    payload = body(site_key)
    payload["metadata"]["questionnaire"]["notes"] = "x" * 70_000
    response = post(payload)
    assert response.status_code == 413
    assert "body" in response.json()["detail"]
    assert Response.objects.count() == 0


def test_it_refuses_malformed_json(alice):
    response = Client().post("/api/public/v1/responses", "{nope",
                             content_type="application/json")
    assert 400 <= response.status_code < 500


def test_it_refuses_a_bad_phone_number(alice, site_key):
    payload = body(site_key)
    payload["metadata"]["responder"]["phone_number"] = "12"
    response = post(payload)
    assert detail_fields(response) == {"metadata.responder.phone_number"}


def test_it_types_and_registers_extra_metadata_fields(alice, site_key):
    payload = body(site_key)
    payload["metadata"]["responder"].update({"vip": True, "orders": 7, "since": "2020-01-31"})
    payload["metadata"]["questionnaire"]["coupon"] = "XMAS"
    assert post(payload).status_code == 201
    fields = {f.path: f.type for f in MetadataField.objects.filter(organization=alice.organization)}
    assert fields["responder.vip"] == "boolean"
    assert fields["responder.orders"] == "number"
    assert fields["responder.since"] == "date"
    assert fields["questionnaire.coupon"] == "text"
    assert fields["questionnaire.amount"] == "number"


def test_it_refuses_nested_objects_in_metadata(alice, site_key):
    payload = body(site_key)
    payload["metadata"]["responder"]["address"] = {"city": "Athens"}
    response = post(payload)
    assert detail_fields(response) == {"metadata.responder.address"}


def test_it_refuses_an_unknown_locale(alice, site_key):
    response = post(body(site_key, locale="fr"))
    assert response.status_code == 422
    assert detail_fields(response) == {"locale"}


def test_it_uses_the_shops_default_language_without_a_locale(alice, site_key):
    payload = body(site_key)
    del payload["locale"]
    data = post(payload).json()
    assert Response.objects.get(pk=data["response_id"]).locale == "el"


def test_it_refuses_values_too_long_for_their_column(alice, site_key):
    payload = body(site_key)
    payload["metadata"]["questionnaire"]["store_id"] = "s" * 101
    response = post(payload)
    assert response.status_code == 422
    assert detail_fields(response) == {"metadata.questionnaire.store_id"}


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e999"])
def test_it_refuses_numbers_that_are_not_finite(alice, site_key, amount):
    raw = json.dumps(body(site_key)).replace("120.5", amount if amount != "1e999" else '"1e999"')
    response = Client().post("/api/public/v1/responses", raw, content_type="application/json")
    assert response.status_code == 422
    assert Response.objects.count() == 0


def test_a_retried_submission_is_stored_once_and_answered_the_same(alice, site_key):
    from campaigns.helpers import campaign, segment

    shop = alice.organization
    campaign(shop, [segment(shop)])
    payload = body(site_key, idempotency_key="r-123")
    first, again = post(payload).json(), post(payload).json()
    assert again == first and first["campaign"] is not None
    assert Response.objects.count() == 1
    other = post(body(site_key, idempotency_key="r-456")).json()
    assert other["response_id"] != first["response_id"]
