"""The buttons that work a request on its dashboard page: assign (to me, to a member,
nobody), log an attempt with its outcome, comment, resolve with a resolution, reopen,
undo, and the shop's own status. Each is an explicit POST; nothing saves on a keystroke;
every change is in the history and goes out as `callback.updated`."""

import re

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback

from kairos.accounts.roles import Role
from kairos.callbacks.models import CallbackRequest, CallbackStatus
from kairos.events.models import Event


@pytest.fixture
def callback(alice):
    callback_campaign(alice.organization)
    return request_callback(alice.organization)


def url(callback, button=""):
    return f"/dashboard/callbacks/{callback.pk}/{button + '/' if button else ''}"


def press(client, callback, button, **data):
    """Press a button; the page it lands on, followed."""
    return client.post(url(callback, button), data, follow=True)


def fresh(callback):
    return CallbackRequest.objects.select_related("assignee").get(pk=callback.pk)


def updates():
    return [e.data["kind"] for e in Event.objects.filter(type="callback.updated").order_by("id")]


def test_an_agent_works_a_request_with_the_buttons(alice, callback, member_client):
    agent = member_client(Role.AGENT)
    page = press(agent, callback, "assign", assignee="me")
    assert page.redirect_chain == [(url(callback), 302)]
    assert "Assigned to agent@example.com." in page.content.decode()
    assert fresh(callback).assignee.email == "agent@example.com"

    page = press(agent, callback, "attempt", outcome="no_answer", note="voicemail")
    html = page.content.decode()
    assert "Call attempt logged: No answer." in html and "voicemail" in html
    assert (fresh(callback).status, fresh(callback).outcome) == ("in_progress", "no_answer")
    assert fresh(callback).first_contact_at is not None

    page = press(agent, callback, "comment", text="Try after six")
    assert "Comment added." in page.content.decode() and "Try after six" in page.content.decode()

    press(agent, callback, "attempt", outcome="reached")
    page = press(agent, callback, "resolve", resolution="Refund agreed")
    html = page.content.decode()
    assert "Resolved." in html and "Refund agreed" in html
    done = fresh(callback)
    assert (done.status, done.is_open, done.resolution, done.outcome) == (
        "resolved", False, "Refund agreed", "reached")
    assert page.context["attempts"].count() == 2
    assert [entry.kind for entry in page.context["history"]] == [
        "Resolved", "Call attempt", "Comment", "Call attempt", "Assigned"]
    assert 'class="reopen-form"' in html and 'class="resolve-form"' not in html
    assert updates() == ["assigned", "attempt", "comment", "attempt", "resolved"]


def test_assign_to_a_member_and_to_nobody(alice, callback, member_client):
    member_client(Role.AGENT)  # a member who works callbacks
    member_client(Role.REPORTING)  # one who does not: never offered
    page = alice_page = press(member_client(Role.ADMIN), callback, "assign",
                              assignee="agent@example.com")
    assert fresh(callback).assignee.email == "agent@example.com"
    choices = [value for value, _label in alice_page.context["work"]["assign"]
               .fields["assignee"].choices]
    assert "agent@example.com" in choices and "reporting@example.com" not in choices
    page = press(member_client(Role.ADMIN), callback, "assign", assignee="")
    assert "Nobody is assigned to this request now." in page.content.decode()
    assert fresh(callback).assignee is None
    page = press(member_client(Role.ADMIN), callback, "assign",
                 assignee="reporting@example.com")
    assert page.status_code == 422 and fresh(callback).assignee is None


def test_reopen_puts_it_back_in_the_queue(alice_client, callback):
    press(alice_client, callback, "resolve", resolution="done")
    page = press(alice_client, callback, "reopen")
    assert "Reopened." in page.content.decode()
    reopened = fresh(callback)
    assert (reopened.status, reopened.is_open, reopened.resolved_at) == ("new", True, None)
    assert reopened.resolution == "done"  # kept: what was done before
    queue = alice_client.get("/dashboard/callbacks/").context["items"]
    assert [item.callback.pk for item in queue] == [callback.pk]


def test_undo_takes_back_the_last_change_once(alice_client, callback):
    press(alice_client, callback, "attempt", outcome="wrong_number")
    page = press(alice_client, callback, "undo")
    assert "The last change was undone." in page.content.decode()
    undone = fresh(callback)
    assert (undone.status, undone.outcome, undone.first_contact_at) == ("new", "", None)
    assert not undone.attempts.exists()
    assert "Undo the last change" not in page.content.decode()  # an undo is not undone
    again = press(alice_client, callback, "undo")
    assert "undo" in again.content.decode().lower()
    assert fresh(callback).history.count() == 2
    assert updates() == ["attempt", "undone"]


def test_an_agent_may_not_undo_someone_elses_change(alice_client, callback, member_client):
    press(alice_client, callback, "comment", text="mine")
    page = press(member_client(Role.AGENT), callback, "undo")
    assert fresh(callback).comments.count() == 1
    assert page.context["messages"] and "undo" not in updates()


def test_the_shops_own_status(alice, alice_client, callback):
    CallbackStatus.objects.create(organization=alice.organization, key="waiting",
                                  title="Waiting for parts", counts_as_open=True)
    page = alice_client.get(url(callback))
    assert ("waiting", "Waiting for parts") in page.context["work"]["status"].fields[
        "status"].choices
    page = press(alice_client, callback, "status", status="waiting")
    assert "The status is now “Waiting for parts”." in page.content.decode()
    assert (fresh(callback).status, fresh(callback).is_open) == ("waiting", True)
    assert 'data-status="waiting">Waiting for parts<' in page.content.decode()
    queue = alice_client.get("/dashboard/callbacks/", {"status": "waiting"})
    assert [item.callback.pk for item in queue.context["items"]] == [callback.pk]


@pytest.mark.parametrize(("button", "data", "field"), [
    ("attempt", {"outcome": "maybe"}, "outcome"),
    ("attempt", {}, "outcome"),
    ("attempt", {"outcome": "reached", "note": "x" * 5001}, "note"),
    ("comment", {"text": ""}, "text"),
    ("comment", {"text": "a\x00b"}, "text"),
    ("resolve", {"resolution": ""}, "resolution"),
    ("status", {"status": "someday"}, "status"),
    ("assign", {"assignee": "eve@example.com"}, "assignee"),
])
def test_bad_input_is_shown_beside_its_field_and_nothing_changes(alice_client, callback,
                                                                  button, data, field):
    page = alice_client.post(url(callback, button), data)
    assert page.status_code == 422
    assert field in page.context["work"][button].errors
    assert not fresh(callback).history.exists() and updates() == []


@pytest.mark.parametrize("button", ["assign", "attempt", "comment", "resolve", "status",
                                    "reopen", "undo"])
def test_no_button_works_by_get(alice_client, callback, button):
    assert alice_client.get(url(callback, button)).status_code == 405
    assert not fresh(callback).history.exists()


def test_nothing_saves_on_a_keystroke(alice_client, callback):
    """No field submits its form when it changes: every change is a button's."""
    page = alice_client.get(url(callback)).content.decode()
    html = page[page.index("<main"):page.index("</main>")]  # the language picker aside
    assert "data-autosubmit" not in html and not re.search(r"\bon(change|input|key\w+)=", html)
    forms = re.findall(r"<form method=\"post\"[^>]*>(.*?)</form>", html, re.S)
    assert len(forms) >= 6 and all('type="submit"' in form for form in forms)


def test_another_shop_cannot_press_the_buttons(bob_client, callback):
    for button, data in [("assign", {"assignee": "me"}), ("resolve", {"resolution": "x"}),
                         ("comment", {"text": "x"}), ("undo", {})]:
        assert bob_client.post(url(callback, button), data).status_code == 404
    assert not fresh(callback).history.exists()


def test_a_reporting_user_cannot_press_them(callback, member_client):
    reporter = member_client(Role.REPORTING)
    assert reporter.post(url(callback, "comment"), {"text": "x"}).status_code == 403
    assert not fresh(callback).history.exists()
