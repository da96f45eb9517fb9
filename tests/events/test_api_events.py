"""GET /api/v1/events: the same events, in order, for polling tools."""

import pytest
from campaigns.helpers import campaign, segment, submit
from django.db import transaction

from kairos.events.dispatch import dispatch_all
from kairos.events.outbox import emit


def page(api, **query):
    response = api.get("/api/v1/events", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_events_are_listed_oldest_first_and_followed_by_cursor(alice, alice_api):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    answers = [submit(shop, nps=nps) for nps in (2, 10)]
    dispatch_all()
    first = page(alice_api, limit=2)
    assert [item["type"] for item in first["items"]] == ["response.completed",
                                                         "campaign.shown"]
    assert first["items"][0]["data"]["response_id"] == answers[0]["response_id"]
    assert first["items"][0]["id"].startswith("evt_")
    assert set(first["items"][0]) == {"id", "type", "version", "created_at", "data"}
    second = page(alice_api, after=first["next"])
    assert [item["data"]["response_id"] for item in second["items"]] == [
        answers[1]["response_id"]]
    assert page(alice_api, after=second["next"]) == {"items": [], "next": second["next"]}


def test_only_dispatched_events_are_listed_so_the_cursor_never_skips_one(alice, alice_api):
    submit(alice.organization, nps=10)
    assert page(alice_api)["items"] == []
    dispatch_all()
    assert len(page(alice_api)["items"]) == 1


def test_events_of_one_type(alice, alice_api):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    submit(shop, nps=2)
    dispatch_all()
    assert [item["type"] for item in page(alice_api, type="campaign.shown")["items"]] == [
        "campaign.shown"]


def test_a_shop_sees_only_its_own_events(alice, alice_api, bob, bob_api):
    submit(alice.organization, nps=10)
    dispatch_all()
    assert page(bob_api)["items"] == []
    assert len(page(alice_api)["items"]) == 1


def test_internal_events_are_not_listed(alice, alice_api):
    with transaction.atomic():
        emit(alice.organization, "webhook.disabled", {"webhook_id": 1})
    dispatch_all()
    assert page(alice_api)["items"] == []


@pytest.mark.parametrize("query", [{"after": "x"}, {"after": "-1"}, {"after": "1" * 30},
                                   {"limit": 0}, {"limit": 501}, {"type": "nope"},
                                   {"after": "١٢"}])
def test_bad_queries_are_refused_naming_the_field(alice_api, query):
    response = alice_api.get("/api/v1/events", query)
    assert response.status_code == 422
    assert next(iter(query)) in response.json()["detail"]


def test_the_event_types_are_listed(alice_api):
    types = alice_api.get("/api/v1/event-types").json()
    assert [t["name"] for t in types] == ["response.completed", "campaign.shown",
                                          "action.created", "callback.created",
                                          "callback.updated"]
    assert all(t["version"] == 1 and t["description"] for t in types)


def test_an_agent_may_not_read_the_events(member_client):
    assert member_client("agent").get("/api/v1/events").status_code == 403
