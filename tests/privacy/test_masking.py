"""Personal data shown only to who needs it: Reporting users see "m…@example.com" in
pages and API answers; roles that work with customers see them whole."""

import json

import pytest
from campaigns.helpers import submit
from django.test import Client
from privacy.helpers import MARIA, MARIAS_WORDS, callback_campaign, customer_story

from kairos.accounts.models import ApiKey
from kairos.accounts.roles import Role
from kairos.questionnaires.models import Response
from kairos.segments.presets import preset_bodies

WHOLE = [MARIA["email"], MARIA["phone_number"], MARIA["name"], "d-maria"]
MASKED = ["m…@example.com", "+306…01", "M…"]


def key_client(shop, role):
    _key, secret = ApiKey.issue(shop, f"{role} key", role=role)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def story(shop):
    callback_campaign(shop)
    customer_story(shop)
    shop.personal_fields = ["responder.address"]
    shop.save()
    return Response.objects.filter(organization=shop).order_by("submitted_at").first()


def seen_by(client, response):
    pages = [client.get("/dashboard/responses/"),
             client.get(f"/dashboard/responses/{response.pk}/"),
             client.get("/api/v1/responses"), client.get(f"/api/v1/responses/{response.pk}"),
             client.get("/api/v1/events")]
    for page in pages:
        assert page.status_code == 200, (page.request["PATH_INFO"], page.status_code)
    return "".join(page.content.decode() for page in pages)


def test_reporting_users_see_personal_data_masked(alice, member_client):
    response = story(alice.organization)
    seen = seen_by(member_client(Role.REPORTING), response)
    for value in WHOLE:
        assert value not in seen, value
    seen = json.dumps(seen, ensure_ascii=False)
    for value in MASKED:
        assert value in seen, value
    assert MARIAS_WORDS in seen  # answers are statistics, not identities


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.CAMPAIGN_MANAGER])
def test_roles_that_work_with_customers_see_them(alice, member_client, role):
    response = story(alice.organization)
    seen = seen_by(member_client(role), response)
    for value in WHOLE:
        assert value in seen, value


def test_a_reporting_api_key_sees_masked_answers_and_events(alice):
    story(alice.organization)
    client = key_client(alice.organization, Role.REPORTING)
    answers = client.get("/api/v1/responses").content.decode()
    events = client.get("/api/v1/events").content.decode()
    for value in WHOLE:
        assert value not in answers and value not in events
    assert "m…@example.com" in json.loads(answers)["items"][0]["responder_metadata"]["email"]


def test_flagged_fields_are_masked_too(alice, member_client):
    shop = alice.organization
    callback_campaign(shop)
    customer_story(shop)
    shop.personal_fields = ["responder.address"]
    shop.save()
    submit(shop, responder={"email": "eleni@example.com", "address": "Ermou 5"})
    seen = member_client(Role.REPORTING).get("/api/v1/responses").content.decode()
    assert "Ermou" not in seen and "E…" in json.loads(seen)["items"][0][
        "responder_metadata"]["address"]


def test_the_segment_preview_sample_is_masked(alice, member_client):
    story(alice.organization)
    detractors = next(b for b in preset_bodies() if b["key"] == "detractors")
    body = {"conditions": detractors["conditions"]}
    client = member_client(Role.REPORTING)
    answer = client.post("/api/v1/segments/preview", json.dumps(body),
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["sample"][0]["email"] == "m…@example.com"
