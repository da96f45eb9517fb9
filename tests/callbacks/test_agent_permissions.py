"""An Agent works callbacks and sees the customer card, and changes nothing else. Which
role may open which page or operation is one table, walked for every role, in
tests/accounts/test_permission_table.py; these are an Agent's own journeys with real rows."""

import json

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback

from kairos.accounts.roles import Role


@pytest.fixture
def shop(alice):
    """A callback campaign of Alice's shop and one request to work."""
    campaign = callback_campaign(alice.organization)
    return {"pk": campaign.pk, "segment_id": campaign.segments.get().pk,
            "callback": request_callback(alice.organization)}


def test_an_agent_reaches_its_queue_the_request_and_the_card(shop, member_client):
    agent = member_client(Role.AGENT)
    callback = shop["callback"]
    assert agent.get("/dashboard/").url == "/dashboard/callbacks/"
    assert agent.get("/dashboard/callbacks/").status_code == 200
    page = agent.get(f"/dashboard/callbacks/{callback.pk}/")
    assert page.status_code == 200 and page.context["card"].customer["phone_number"]
    item = agent.get(f"/api/v1/callbacks/{callback.pk}").json()
    assert item["customer"]["phone_number"] == "+306912345678" and "order" in item
    for path in ("attempts", "comments", "history"):
        assert agent.get(f"/api/v1/callbacks/{callback.pk}/{path}").status_code == 200
    assert agent.get("/dashboard/callbacks/export.csv").status_code == 200
    assert agent.get("/api/v1/callbacks.csv").status_code == 200


def test_an_agent_changes_nothing_but_callbacks_through_the_api(shop, member_client):
    agent = member_client(Role.AGENT)
    for path, body in [
        ("/api/v1/campaigns", {"type": "callback_request", "title": "x",
                               "segment_ids": [shop["segment_id"]]}),
        ("/api/v1/segments", {"name": "x", "conditions": {"all": [
            {"field": "answers.nps", "op": "lte", "value": 6}]}}),
        ("/api/v1/callback-statuses", {"key": "x", "title": "x"}),
        ("/api/v1/webhooks", {"url": "https://hooks.example.com/x", "events": []}),
    ]:
        assert agent.post(path, json.dumps(body),
                          content_type="application/json").status_code == 403, path
    assert agent.patch("/api/v1/shop", json.dumps({"sla": {"first_contact_hours": 1}}),
                       content_type="application/json").status_code == 403
    assert agent.delete(f"/api/v1/campaigns/{shop['pk']}").status_code == 403
