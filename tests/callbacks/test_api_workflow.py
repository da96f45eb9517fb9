"""Working a request over /api/v1/callbacks: attempts, comments, resolve, reopen, history,
undo and the shop's statuses; each shop sees only its own, each role what it may."""

import json

import pytest
from callbacks.helpers import request_callback

from kairos.accounts.roles import Role
from kairos.callbacks.models import CallbackRequest
from kairos.events.models import Event


def send(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}),
                                   content_type="application/json")


@pytest.fixture
def callback(alice):
    return request_callback(alice.organization)


def test_an_agent_works_a_request_from_new_to_resolved(alice, callback, member_client):
    agent = member_client(Role.AGENT)
    base = f"/api/v1/callbacks/{callback.pk}"
    assert send(agent, "patch", base, {"assignee": "me"}).json()["assignee"] == (
        "agent@example.com")
    response = send(agent, "post", f"{base}/attempts", {"outcome": "no_answer",
                                                        "note": "voicemail"})
    assert response.status_code == 201
    assert response.json()["by"] == "agent@example.com"
    assert send(agent, "post", f"{base}/comments", {"text": "try after 6"}).status_code == 201
    send(agent, "post", f"{base}/attempts", {"outcome": "reached"})
    item = send(agent, "patch", base, {"status": "resolved",
                                       "resolution": "refund agreed"}).json()
    assert (item["status"], item["is_open"], item["resolution"], item["attempts"],
            item["outcome"]) == ("resolved", False, "refund agreed", 2, "reached")
    assert item["first_contact_at"] and item["resolved_at"] and item["overdue"] is False
    history = agent.get(f"{base}/history").json()
    assert [h["kind"] for h in history["items"]] == [
        "assigned", "attempt", "comment", "attempt", "resolved"]
    assert history["items"][1]["changes"]["status"] == ["new", "in_progress"]
    assert agent.get(f"{base}/attempts").json()["count"] == 2
    assert agent.get(f"{base}/comments").json()["items"][0]["text"] == "try after 6"
    kinds = [e.data["kind"] for e in Event.objects.filter(type="callback.updated")
             .order_by("id")]
    assert kinds == ["assigned", "attempt", "comment", "attempt", "resolved"]
    listed = agent.get("/api/v1/callbacks?status=all").json()["items"][0]
    assert listed["attempts"] == 2 and listed["due_at"] is not None


def test_reopen_and_undo(alice, alice_api, callback):
    base = f"/api/v1/callbacks/{callback.pk}"
    send(alice_api, "patch", base, {"status": "resolved"})
    reopened = send(alice_api, "patch", base, {"status": "new"}).json()
    assert reopened["is_open"] and reopened["resolved_at"] is None
    undone = send(alice_api, "post", f"{base}/undo")
    assert undone.status_code == 200 and undone.json()["status"] == "resolved"
    again = send(alice_api, "post", f"{base}/undo")
    assert again.status_code == 409 and "undo" in again.json()["detail"]


def test_an_agent_may_not_undo_someone_elses_change(alice, alice_api, callback, member_client):
    send(alice_api, "post", f"/api/v1/callbacks/{callback.pk}/comments", {"text": "hi"})
    response = send(member_client(Role.AGENT), "post", f"/api/v1/callbacks/{callback.pk}/undo")
    assert response.status_code == 403


def test_bad_input_is_refused_naming_the_field(alice_api, callback):
    base = f"/api/v1/callbacks/{callback.pk}"
    for path, body, field in [
        ("/attempts", {"outcome": "maybe"}, "outcome"),
        ("/attempts", {"outcome": "reached", "note": "x" * 6000}, "note"),
        ("/attempts", {"outcome": "reached", "extra": 1}, "extra"),
        ("/comments", {"text": ""}, "text"),
        ("/comments", {"text": "   "}, "text"),
        ("/comments", {"text": "a\u0000b"}, "text"),
    ]:
        response = send(alice_api, "post", base + path, body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["detail"]
    response = send(alice_api, "patch", base, {"status": "someday"})
    assert response.status_code == 422 and "status" in response.json()["detail"]
    assert not CallbackRequest.objects.get(pk=callback.pk).history.exists()


def test_the_shops_own_statuses(alice, alice_api, callback, member_client):
    statuses = alice_api.get("/api/v1/callback-statuses").json()
    assert [s["key"] for s in statuses] == ["new", "in_progress", "resolved"]
    assert all(s["system"] for s in statuses)
    created = send(alice_api, "post", "/api/v1/callback-statuses", {
        "key": "waiting", "title": "Waiting for the customer", "colour": "#aa00ff"})
    assert created.status_code == 201 and created.json()["counts_as_open"] is True
    item = send(alice_api, "patch", f"/api/v1/callbacks/{callback.pk}",
                {"status": "waiting"}).json()
    assert item["status"] == "waiting" and item["is_open"]
    # No longer open: the requests that have it follow.
    assert send(alice_api, "patch", "/api/v1/callback-statuses/waiting",
                {"counts_as_open": False}).status_code == 200
    closed = CallbackRequest.objects.get(pk=callback.pk)
    assert not closed.is_open and closed.resolved_at is not None
    # …the one way a request changes: its history says so, integrators hear of it
    history = alice_api.get(f"/api/v1/callbacks/{callback.pk}/history").json()["items"]
    assert [entry["changes"]["is_open"] for entry in history
            if entry["kind"] == "status" and "is_open" in entry["changes"]] == [[True, False]]
    updated = Event.objects.filter(organization=callback.organization,
                                   type="callback.updated").latest("pk")
    assert updated.data["callback_id"] == callback.pk and updated.data["is_open"] is False
    assert send(alice_api, "delete", "/api/v1/callback-statuses/waiting").status_code == 409
    assert send(alice_api, "delete", "/api/v1/callback-statuses/resolved").status_code == 409
    assert send(alice_api, "patch", "/api/v1/callback-statuses/new",
                {"title": "x"}).status_code == 409
    for body, field in [({"key": "new", "title": "x"}, "key"),
                        ({"key": "Bad Key", "title": "x"}, "key"),
                        ({"key": "ok", "title": "x", "colour": "red"}, "colour")]:
        response = send(alice_api, "post", "/api/v1/callback-statuses", body)
        assert response.status_code in (409, 422) and field in response.json()["detail"]
    agent = member_client(Role.AGENT)
    assert agent.get("/api/v1/callback-statuses").status_code == 200
    assert send(agent, "post", "/api/v1/callback-statuses",
                {"key": "x", "title": "x"}).status_code == 403
    send(alice_api, "patch", f"/api/v1/callbacks/{callback.pk}", {"status": "new"})
    assert send(alice_api, "delete", "/api/v1/callback-statuses/waiting").status_code == 204


def test_a_reporting_user_does_not_work_callbacks(callback, member_client):
    reporter = member_client(Role.REPORTING)
    assert reporter.get(f"/api/v1/callbacks/{callback.pk}/history").status_code == 403
    assert send(reporter, "post", f"/api/v1/callbacks/{callback.pk}/comments",
                {"text": "hi"}).status_code == 403


def test_bob_never_reaches_alices_requests_or_statuses(alice, alice_api, bob_api, callback):
    send(alice_api, "post", "/api/v1/callback-statuses", {"key": "waiting", "title": "W"})
    base = f"/api/v1/callbacks/{callback.pk}"
    for method, path, body in [
        ("get", "", None), ("patch", "", {"status": "resolved"}),
        ("get", "/attempts", None), ("post", "/attempts", {"outcome": "reached"}),
        ("get", "/comments", None), ("post", "/comments", {"text": "hi"}),
        ("get", "/history", None), ("post", "/undo", None),
    ]:
        response = send(bob_api, method, base + path, body) if body or method == "post" \
            else bob_api.get(base + path)
        assert response.status_code == 404, (method, path)
    assert [s["key"] for s in bob_api.get("/api/v1/callback-statuses").json()] == [
        "new", "in_progress", "resolved"]
    assert send(bob_api, "patch", "/api/v1/callback-statuses/waiting",
                {"title": "mine"}).status_code == 404
    assert send(bob_api, "delete", "/api/v1/callback-statuses/waiting").status_code == 404
    assert CallbackRequest.objects.get(pk=callback.pk).history.count() == 0
