"""The callbacks workspace in a real browser: an Agent on a 375 px phone works a request
from new to resolved; the queue is cards there and rows on a desk.

The README's pictures of the queue come from here: run with UPDATE_DOCS_SCREENSHOTS=1
(scripts/update-screenshots.sh) to refresh docs/callbacks-*.png."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from conftest import PASSWORD
from django.utils import timezone
from playwright.sync_api import expect

from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, ensure_user
from kairos.callbacks.models import CallbackRequest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = ARTIFACTS.parent / "docs"
PHONE = {"width": 375, "height": 812}
CUSTOMERS = [
    ({"name": "Μαρία Παπαδοπούλου", "email": "maria@example.com"}, "6944123456", "morning",
     "The shoes came in the wrong size; please call before noon."),
    ({"name": "Nikos Georgiou", "email": "nikos@example.com"}, "6977000111", "midday",
     "Parcel arrived damaged."),
    ({"name": "Eleni Dimou", "email": "eleni@example.com"}, "6912000333", "afternoon",
     "Was charged twice for order A-2207."),
]


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    # The README's pictures change only when asked: a test run leaves the tree clean.
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS / name)
    return path


@pytest.fixture
def queue(alice):
    """Three requests from unhappy customers, the oldest overdue."""
    callback_campaign(alice.organization)
    made = [request_callback(alice.organization, phone=phone, responder=who,
                             order={"transaction_id": f"A-{2200 + i}", "store_id": "athens"},
                             preferred_time=when, note=note)
            for i, (who, phone, when, note) in enumerate(CUSTOMERS)]
    now = timezone.now()
    for hours, callback in zip((30, 5, 1), made, strict=True):
        CallbackRequest.objects.filter(pk=callback.pk).update(
            created_at=now - datetime.timedelta(hours=hours))
    CallbackRequest.objects.filter(pk=made[0].pk).update(
        due_at=now - datetime.timedelta(hours=2))
    return made


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_agent_on_a_phone_takes_calls_and_resolves_a_request(page, live_server, alice,
                                                               queue):
    agent = ensure_user("agent@example.com", PASSWORD)
    add_membership(agent, alice.organization, Role.AGENT)
    maria = queue[0]
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "agent@example.com")
    expect(page).to_have_url(f"{live_server.url}/dashboard/callbacks/")  # lands on the queue

    # Cards, not a sideways table: name, a phone link, the note, big buttons.
    card = page.locator(f'[data-callback="{maria.pk}"]')
    expect(card.get_by_role("link", name="Μαρία Παπαδοπούλου")).to_be_visible()
    expect(card.locator('a[href="tel:+306944123456"]')).to_be_visible()
    expect(card.get_by_text("please call before noon")).to_be_visible()
    assert fits(page, PHONE["width"])
    take = card.get_by_role("button", name="Take it")
    box, card_box = take.bounding_box(), card.bounding_box()
    assert box["height"] >= 44 and box["width"] >= card_box["width"] / 3
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= PHONE["width"]
    phone_link = card.locator('a[href^="tel:"]').bounding_box()
    assert phone_link["height"] >= 44
    page.locator(".status-tabs").evaluate("tabs => tabs.scrollIntoView({block: 'start'})")
    save_screenshot(page, "callbacks-phone.png")

    take.click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/callbacks/{maria.pk}/")
    expect(page.get_by_text("Assigned to agent@example.com.")).to_be_visible()
    assert fits(page, PHONE["width"])

    attempt = page.locator(".attempt-form")
    attempt.get_by_label("No answer").check()
    attempt.get_by_label("Note").fill("Voicemail, will try after six")
    attempt.get_by_role("button", name="Log attempt").click()
    expect(page.get_by_text("Call attempt logged: No answer.")).to_be_visible()
    expect(page.locator(".attempt-count")).to_have_text("1")

    resolve = page.locator(".resolve-form")
    resolve.get_by_label("Resolution").fill("Reached her at 18:10; a new pair is on its way")
    resolve.get_by_role("button", name="Resolve").click()
    expect(page.get_by_text("Resolved.", exact=True)).to_be_visible()
    expect(page.locator(".request-status")).to_have_text("Resolved")

    history = page.locator(".history-list li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Resolved")
    expect(history.nth(1)).to_contain_text("Call attempt")
    expect(history.nth(1)).to_contain_text("No answer")
    expect(history.nth(2)).to_contain_text("Assigned")
    expect(page.locator(".attempts .thread")).to_contain_text("Voicemail, will try after six")
    assert fits(page, PHONE["width"])

    done = CallbackRequest.objects.get(pk=maria.pk)
    assert (done.status, done.is_open, done.outcome, done.assignee_id) == (
        "resolved", False, "no_answer", agent.pk)
    assert done.resolution.startswith("Reached her")
    page.goto(f"{live_server.url}/dashboard/callbacks/")
    expect(page.locator(".queue-item")).to_have_count(2)


def test_on_a_desk_the_queue_is_rows_overdue_first(page, live_server, alice, queue):
    sign_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/dashboard/callbacks/")
    rows = page.locator(".queue-item")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_class("queue-item overdue")
    expect(rows.first).to_contain_text("Overdue")
    first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
    assert first["width"] > 1000  # one row across the page
    assert second["y"] >= first["y"] + first["height"] - 1
    name = rows.first.locator(".name").bounding_box()
    phone = rows.first.locator(".phone").bounding_box()
    assert abs(name["y"] - phone["y"]) < name["height"] * 2  # side by side, not stacked
    save_screenshot(page, "callbacks-desktop.png")
