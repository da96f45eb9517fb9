"""The outbox: an event for every change, written with it or not at all."""

import json

import pytest
from campaigns.helpers import campaign, segment, submit
from django.db import transaction
from django.test import Client

from kairos.callbacks.models import CallbackRequest
from kairos.events.dispatch import dispatch_all
from kairos.events.models import Event
from kairos.events.outbox import emit

CALLBACK = {"type": "callback_request", "phone_number": "691 234 5678", "consent": True,
            "preferred_time": "morning", "note": "about order A-1001"}


def events(organization):
    return list(Event.objects.filter(organization=organization).order_by("id"))


def act(organization, impression_id, **body):
    payload = {"site_key": organization.site_keys.get().key, **body}
    response = Client().post(f"/api/public/v1/impressions/{impression_id}/actions",
                             json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_completed_questionnaire_and_the_campaign_it_showed_are_events(alice):
    shop = alice.organization
    shown_campaign = campaign(shop, [segment(shop)])
    answer = submit(shop, nps=2, responder={"email": "Maria@Example.com"})
    completed, shown = events(shop)
    assert completed.type == "response.completed" and completed.version == 1
    assert completed.data["response_id"] == answer["response_id"]
    assert completed.data["answers"] == {"nps": 2}
    assert completed.data["metadata"]["responder"] == {"email": "maria@example.com"}
    assert shown.type == "campaign.shown" and shown.data["campaign_id"] == shown_campaign.pk
    assert shown.data["impression_id"] == answer["campaign"]["impression_id"]
    assert shown.data["response_id"] == answer["response_id"]


def test_a_response_that_shows_nothing_is_one_event(alice):
    submit(alice.organization, nps=10)
    [completed] = events(alice.organization)
    assert completed.type == "response.completed"


def test_a_retried_submission_adds_no_second_event(alice):
    submit(alice.organization, nps=10, idempotency_key="once")
    submit(alice.organization, nps=10, idempotency_key="once")
    assert len(events(alice.organization)) == 1


def test_a_server_side_submission_is_an_event(alice, alice_api):
    body = {"stage": "checkout", "answers": {"nps": 7}}
    response = alice_api.post("/api/v1/responses", body, content_type="application/json")
    assert response.status_code == 201
    [completed] = events(alice.organization)
    assert completed.data["response_id"] == response.json()["id"]
    assert completed.data["source"] == "api"


def test_a_callback_request_is_an_action_and_a_callback(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    shown = submit(shop, nps=2)["campaign"]
    action_id = act(shop, shown["impression_id"], **CALLBACK)["action_id"]
    action, callback = events(shop)[2:]
    assert action.type == "action.created" and action.data["action_id"] == action_id
    assert action.data["type"] == "callback_request"
    assert callback.type == "callback.created"
    assert callback.data["phone_number"] == "+306912345678"
    assert callback.data["callback_id"] == CallbackRequest.objects.get().pk
    assert callback.data["url"].endswith("/dashboard/callbacks/")


def test_a_refused_action_leaves_no_event(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    shown = submit(shop, nps=2)["campaign"]
    payload = {"site_key": shop.site_keys.get().key, **CALLBACK, "consent": False}
    response = Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                             json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    assert [event.type for event in events(shop)] == ["response.completed", "campaign.shown"]


@pytest.fixture
def callback(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    act(shop, submit(shop, nps=2)["campaign"]["impression_id"], **CALLBACK)
    Event.objects.all().delete()
    return CallbackRequest.objects.get()


def test_a_callback_changed_through_the_api_is_an_event_naming_the_changes(
        alice, alice_api, callback):
    response = alice_api.patch(f"/api/v1/callbacks/{callback.pk}",
                               {"status": "in_progress", "assignee": "alice@example.com"},
                               content_type="application/json")
    assert response.status_code == 200
    [updated] = events(alice.organization)
    assert updated.type == "callback.updated"
    assert updated.data["changes"] == {"status": ["new", "in_progress"],
                                       "assignee": [None, "alice@example.com"]}
    assert updated.data["status"] == "in_progress"


def test_a_callback_changed_in_the_dashboard_is_an_event(alice, alice_client, callback):
    alice_client.post(f"/dashboard/callbacks/{callback.pk}/status/", {"status": "resolved"})
    [updated] = events(alice.organization)
    changes = updated.data["changes"]
    assert changes["status"] == ["new", "resolved"] and changes["is_open"] == [True, False]
    assert changes["resolved_at"][0] is None and updated.data["kind"] == "resolved"


def test_saving_a_callback_unchanged_is_no_event(alice, alice_api, callback):
    alice_api.patch(f"/api/v1/callbacks/{callback.pk}", {"status": "new"},
                    content_type="application/json")
    assert events(alice.organization) == []


def test_a_rolled_back_change_leaves_no_event(alice):
    shop = alice.organization
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(shop, "callback.updated", {"callback_id": 1})
        assert len(events(shop)) == 1  # written, inside the transaction
        raise RuntimeError("the change failed")
    assert events(shop) == []


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(alice):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        emit(alice.organization, "callback.updated", {})
    assert events(alice.organization) == []


def test_an_unknown_event_type_is_refused(alice):
    with pytest.raises(ValueError, match="unknown event type"), transaction.atomic():
        emit(alice.organization, "callback.exploded", {})


def test_dispatching_numbers_events_in_order_once(alice, bob):
    for shop in (alice.organization, bob.organization, alice.organization):
        submit(shop, nps=10)
    assert dispatch_all() == 3
    assert dispatch_all() == 0
    positions = list(Event.objects.order_by("id").values_list("position", flat=True))
    assert positions == sorted(positions) and len(set(positions)) == 3
    submit(bob.organization, nps=9)
    dispatch_all()
    assert Event.objects.order_by("id").last().position == positions[-1] + 1
