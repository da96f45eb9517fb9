import json

from campaigns.helpers import campaign, segment, submit
from django.test import Client


def request_callback(user, device="d-1"):
    shop = user.organization
    shown = submit(shop, nps=1, device=device)["campaign"]
    Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions", json.dumps({
        "site_key": shop.site_keys.get().key, "type": "callback_request",
        "phone_number": "6912345678", "consent": True}), content_type="application/json")


def test_it_lists_and_filters_the_shops_callbacks(alice, bob, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    campaign(bob.organization, [segment(bob.organization)])
    request_callback(alice)
    request_callback(bob)
    data = alice_api.get("/api/v1/callbacks").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["campaign_id"] == chosen.pk and item["phone_number"] == "+306912345678"
    assert alice_api.get("/api/v1/callbacks", {"status": "resolved"}).json()["count"] == 0


def test_an_agent_updates_status_outcome_and_assignee(alice, alice_api):
    campaign(alice.organization, [segment(alice.organization)])
    request_callback(alice)
    callback_id = alice_api.get("/api/v1/callbacks").json()["items"][0]["id"]
    response = alice_api.patch(f"/api/v1/callbacks/{callback_id}", json.dumps({
        "status": "resolved", "outcome": "reached", "assignee": "alice@example.com"}),
        content_type="application/json")
    data = response.json()
    assert (data["status"], data["outcome"], data["assignee"]) == (
        "resolved", "reached", "alice@example.com")


def test_the_assignee_must_be_a_member(alice, bob, alice_api):
    campaign(alice.organization, [segment(alice.organization)])
    request_callback(alice)
    callback_id = alice_api.get("/api/v1/callbacks").json()["items"][0]["id"]
    response = alice_api.patch(f"/api/v1/callbacks/{callback_id}", json.dumps({
        "assignee": "bob@example.com"}), content_type="application/json")
    assert response.status_code == 422 and "assignee" in response.json()["detail"]


def test_bob_cannot_read_alices_callbacks(alice, bob_api):
    campaign(alice.organization, [segment(alice.organization)])
    request_callback(alice)
    assert bob_api.get("/api/v1/callbacks").json()["count"] == 0
