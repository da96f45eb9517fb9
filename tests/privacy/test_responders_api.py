"""GET and DELETE /api/v1/responders/{identity}: one customer's export and erasure."""

import json

import pytest
from privacy.helpers import (
    MARIA,
    MARIAS_WORDS,
    NIKOS,
    callback_campaign,
    customer_story,
    traces_of,
)
from webhook_helpers import local_receivers, subscribe, work  # noqa: F401 - a fixture
from webhook_receiver import receiving

from kairos.accounts.roles import Role
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Impression
from kairos.events.models import Event
from kairos.integrations.models import Attempt
from kairos.privacy import services
from kairos.privacy.models import PrivacyLog
from kairos.questionnaires.models import Response

MARIAS_TRACES = [MARIA["email"], MARIA["phone_number"], MARIA["name"], MARIA["customer_id"],
                 MARIAS_WORDS, "d-maria", "call after 6"]


def two_customers(shop):
    callback_campaign(shop)
    customer_story(shop)
    customer_story(shop, NIKOS, words="all fine, thanks", device="d-nikos",
                   note="mornings are better")


def test_it_exports_everything_about_one_customer(alice, alice_api):
    two_customers(alice.organization)
    response = alice_api.get("/api/v1/responders/maria@example.com")
    assert response.status_code == 200, response.content
    export = response.json()
    assert len(export["responses"]) == 2
    assert export["identities"]["customer_id"] == ["customer-42"]
    assert len(export["impressions"]) == 1 and len(export["actions"]) == 1
    [callback] = export["callback_requests"]
    assert callback["phone_number"] == MARIA["phone_number"]
    assert callback["consent_text"] and callback["consent_at"]
    assert callback["resolution"] == "Maria Papa was refunded"
    assert export["callback_attempts"][0]["note"] == "Maria Papa did not pick up"
    assert export["callback_comments"][0]["text"] == "Maria Papa wrote again about it"
    assert len(export["callback_history"]) == 3
    assert {e["type"] for e in export["webhook_events"]} >= {
        "response.completed", "campaign.shown", "action.created", "callback.created"}
    text = json.dumps(export, ensure_ascii=False)
    assert MARIAS_WORDS in text and "call after 6" in text
    assert "nikos" not in text and "customer-77" not in text and "all fine" not in text


def test_any_identity_finds_the_same_customer(alice, alice_api):
    two_customers(alice.organization)
    by_email = alice_api.get("/api/v1/responders/maria@example.com").json()
    for identity in ("customer-42", "+306900000001", "6900000001", " MARIA@example.com "):
        export = alice_api.get(f"/api/v1/responders/{identity}").json()
        assert [r["id"] for r in export["responses"]] == [r["id"] for r in by_email["responses"]]


def test_the_export_lists_webhook_deliveries(alice, alice_api, local_receivers):  # noqa: F811
    shop = alice.organization
    with receiving() as (_receiver, url):
        subscribe(shop, url, events=["response.completed", "callback.created"])
        two_customers(shop)
        work()
    export = alice_api.get("/api/v1/responders/customer-42").json()
    delivered = [d for e in export["webhook_events"] for d in e["deliveries"]]
    assert len(delivered) == 3  # two responses and the callback request
    assert {d["status"] for d in delivered} == {"delivered"}


def test_erasure_removes_every_trace_and_nothing_else(alice, alice_api, local_receivers):  # noqa: F811
    shop = alice.organization
    with receiving() as (_receiver, url):
        subscribe(shop, url, events=["response.completed", "callback.created"])
        two_customers(shop)
        work()
    for attempt in Attempt.objects.select_related("delivery__event"):  # a CRM that echoes
        attempt.response_body = json.dumps(attempt.delivery.event.data)[:1000]
        attempt.save()
    # the scan finds them while they are there, the callback workspace's free text too
    assert {model for model, _word in traces_of(MARIAS_TRACES)} >= {
        "Response", "Impression", "CallbackRequest", "CallbackAttempt", "CallbackComment",
        "CallbackHistory", "Event", "Attempt"}
    nikos_before = alice_api.get("/api/v1/responders/customer-77").json()

    response = alice_api.delete("/api/v1/responders/maria@example.com")

    assert response.status_code == 200, response.content
    removed = response.json()["removed"]
    assert removed["responses"] == 2 and removed["impressions"] == 1
    assert removed["callback_requests"] == 1 and removed["webhook_deliveries"] == 3
    assert removed["callback_attempts"] == removed["callback_comments"] == 1
    assert removed["callback_history"] == 3  # the attempt, the comment, the resolution
    assert traces_of(MARIAS_TRACES) == set()
    nikos_after = alice_api.get("/api/v1/responders/customer-77").json()
    assert nikos_after["responses"] == nikos_before["responses"]
    assert len(nikos_after["callback_requests"]) == 1
    assert alice_api.get("/api/v1/responders/customer-42").status_code == 404


def test_erasure_forgets_the_frequency_cap(alice, alice_api):
    shop = alice.organization
    callback_campaign(shop)
    first, _second = customer_story(shop)
    assert first["campaign"] is not None
    again = customer_story(shop)[0]
    assert again["campaign"] is None  # capped for 30 days
    alice_api.delete("/api/v1/responders/maria@example.com")
    assert not Impression.objects.filter(organization=shop).exists()
    assert customer_story(shop)[0]["campaign"] is not None  # a stranger again


def test_erasure_is_logged_with_counts_and_never_the_data(alice, alice_api):
    two_customers(alice.organization)
    alice_api.delete("/api/v1/responders/maria@example.com")
    [entry] = PrivacyLog.objects.filter(organization=alice.organization, kind="erasure")
    assert entry.counts["responses"] == 2 and entry.via == "api"
    assert entry.actor.startswith("API key sk_")
    logged = json.dumps([entry.counts, entry.actor, entry.via])
    assert "maria" not in logged and "customer-42" not in logged


def test_a_failure_midway_leaves_everything(alice, alice_api, monkeypatch):
    two_customers(alice.organization)
    before = sorted(Response.objects.values_list("pk", flat=True))
    events_before = sorted(Event.objects.values_list("data", flat=True), key=json.dumps)

    def fail(customer):  # after the rows were deleted, before the events are redacted
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "redact_copies", fail)
    with pytest.raises(RuntimeError):
        alice_api.delete("/api/v1/responders/maria@example.com")
    assert sorted(Response.objects.values_list("pk", flat=True)) == before
    assert CallbackRequest.objects.filter(phone_number=MARIA["phone_number"]).exists()
    assert sorted(Event.objects.values_list("data", flat=True), key=json.dumps) == events_before
    assert not PrivacyLog.objects.filter(kind="erasure").exists()


def test_an_unknown_customer_is_404_and_bad_identities_422(alice, alice_api):
    two_customers(alice.organization)
    assert alice_api.get("/api/v1/responders/nobody@example.com").status_code == 404
    assert alice_api.delete("/api/v1/responders/nobody@example.com").status_code == 404
    refused = alice_api.get("/api/v1/responders/a%00b")
    assert refused.status_code == 422 and "identity" in refused.json()["detail"]
    assert alice_api.get("/api/v1/responders/" + "x" * 300).status_code == 422


def test_bob_cannot_export_or_erase_alices_customer(alice, bob, bob_api):
    two_customers(alice.organization)
    assert bob_api.get("/api/v1/responders/maria@example.com").status_code == 404
    assert bob_api.delete("/api/v1/responders/maria@example.com").status_code == 404
    assert Response.objects.filter(email=MARIA["email"]).count() == 2


@pytest.mark.parametrize("role", [Role.AGENT, Role.REPORTING, Role.CAMPAIGN_MANAGER])
def test_only_owners_and_admins_export_and_erase(alice, member_client, role):
    two_customers(alice.organization)
    client = member_client(role)
    assert client.get("/api/v1/responders/maria@example.com").status_code == 403
    assert client.delete("/api/v1/responders/maria@example.com").status_code == 403
    assert Response.objects.filter(email=MARIA["email"]).count() == 2


def test_anonymous_calls_are_refused(alice, client):
    assert client.get("/api/v1/responders/maria@example.com").status_code == 401
