"""Working a request through the services: each change a history row and an event."""

import datetime

import pytest
import time_machine
from callbacks.helpers import request_callback
from django.utils import timezone

from kairos.accounts.membership import Actor
from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, ensure_user
from kairos.callbacks import services
from kairos.callbacks.models import CallbackRequest, CallbackStatus, open_callback_count
from kairos.errors import Conflict, PermissionDenied, Problems
from kairos.events.models import Event


def as_member(user, role=Role.OWNER):
    return Actor(user.organization, role, user=user)


def updates(callback):
    return [e.data for e in Event.objects.filter(type="callback.updated").order_by("id")
            if e.data["callback_id"] == callback.pk]


def test_an_attempt_is_the_first_contact_and_starts_the_work(alice):
    callback = request_callback(alice.organization)
    services.log_attempt(callback, as_member(alice), "no_answer", "rang twice")
    callback.refresh_from_db()
    assert (callback.status, callback.outcome, callback.is_open) == (
        "in_progress", "no_answer", True)
    first = callback.first_contact_at
    assert first is not None
    services.log_attempt(callback, as_member(alice), "reached")
    callback.refresh_from_db()
    assert callback.first_contact_at == first and callback.attempts.count() == 2
    assert [h.kind for h in callback.history.all()] == ["attempt", "attempt"]
    [event, _second] = updates(callback)
    assert event["kind"] == "attempt" and event["attempt"]["note"] == "rang twice"
    assert event["changes"]["status"] == ["new", "in_progress"]


def test_resolving_closes_it_and_reopening_clears_the_resolved_time(alice):
    callback = request_callback(alice.organization)
    assert open_callback_count(alice.organization) == 1
    services.resolve(callback, as_member(alice), "refund sent")
    callback.refresh_from_db()
    assert (callback.status, callback.is_open, callback.resolution) == (
        "resolved", False, "refund sent")
    assert callback.resolved_at is not None
    assert open_callback_count(alice.organization) == 0
    services.reopen(callback, as_member(alice))
    callback.refresh_from_db()
    assert (callback.status, callback.is_open, callback.resolved_at) == ("new", True, None)
    assert [e["kind"] for e in updates(callback)] == ["resolved", "reopened"]


def test_a_shops_own_status_decides_whether_the_request_is_open(alice, bob):
    CallbackStatus.objects.create(organization=alice.organization, key="escalated",
                                  title="Escalated", counts_as_open=False)
    callback = request_callback(alice.organization)
    services.set_status(callback, as_member(alice), "escalated")
    callback.refresh_from_db()
    assert not callback.is_open and callback.get_status_display() == "Escalated"
    bobs = request_callback(bob.organization)
    with pytest.raises(Problems) as refused:
        services.set_status(bobs, as_member(bob), "escalated")  # alice's, not bob's
    assert refused.value.field == "status"


def test_assign_to_me_or_a_member_only(alice, bob):
    callback = request_callback(alice.organization)
    services.assign(callback, as_member(alice), "me")
    assert callback.assignee == alice
    with pytest.raises(Problems):
        services.assign(callback, as_member(alice), "bob@example.com")
    services.assign(callback, as_member(alice), None)
    callback.refresh_from_db()
    assert callback.assignee is None
    assert [h.changes["assignee"] for h in callback.history.all()] == [
        [None, "alice@example.com"], ["alice@example.com", None]]


def test_a_comment_is_kept_and_may_not_be_empty(alice):
    callback = request_callback(alice.organization)
    services.add_comment(callback, as_member(alice), "  customer prefers e-mail ")
    assert callback.comments.get().text == "customer prefers e-mail"
    with pytest.raises(Problems):
        services.add_comment(callback, as_member(alice), "   ")
    with pytest.raises(Problems):
        services.add_comment(callback, as_member(alice), "a\x00b")


def test_undo_puts_back_the_last_change_and_removes_what_it_added(alice):
    callback = request_callback(alice.organization)
    services.log_attempt(callback, as_member(alice), "wrong_number")
    services.undo_last(callback, as_member(alice))
    callback.refresh_from_db()
    assert (callback.status, callback.outcome, callback.first_contact_at) == ("new", "", None)
    assert callback.attempts.count() == 0
    assert [h.kind for h in callback.history.all()] == ["attempt", "undone"]
    assert updates(callback)[-1]["undone"] == "attempt"
    with pytest.raises(Conflict):  # an undo is not undone
        services.undo_last(callback, as_member(alice))


def test_undo_only_soon_and_only_by_its_author_or_a_manager(alice):
    agent = ensure_user("agent@example.com")
    add_membership(agent, alice.organization, Role.AGENT)
    agent.organization = alice.organization
    callback = request_callback(alice.organization)
    services.resolve(callback, as_member(alice), "done")
    with pytest.raises(PermissionDenied):
        services.undo_last(callback, as_member(agent, Role.AGENT))
    later = timezone.now() + services.UNDO_WINDOW + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(Conflict):
        services.undo_last(callback, as_member(alice))
    services.undo_last(callback, as_member(alice))
    callback.refresh_from_db()
    assert callback.is_open and callback.resolved_at is None and callback.resolution == ""


def test_nothing_changed_writes_nothing(alice):
    callback = request_callback(alice.organization)
    services.set_status(callback, as_member(alice), CallbackRequest.Status.NEW)
    assert not callback.history.exists() and updates(callback) == []
