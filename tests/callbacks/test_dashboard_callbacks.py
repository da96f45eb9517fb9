"""The callbacks list: the shop's own requests, newest first, their status, who may see it."""

import json

from django.test import Client

from kairos.accounts.roles import Role
from kairos.callbacks import views
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns import services
from kairos.segments.models import Segment

LIST_URL = "/dashboard/callbacks/"
UNHAPPY = {"all": [{"field": "answers.nps", "op": "lte", "value": 6}]}


def callback_campaign(user, title="Call unhappy customers"):
    segment = Segment.objects.create(organization=user.organization, name="Detractors",
                                     conditions=UNHAPPY)
    return services.create_campaign(
        user.organization, {"type": "callback_request", "title": title, "active": True},
        [segment.pk])


def request_callback(user, device="d-1", **form):
    """A customer answers, sees the callback form and sends it: the real public API."""
    site_key = user.organization.site_keys.get().key
    answered = Client().post("/api/public/v1/responses", json.dumps({
        "site_key": site_key, "stage": "checkout", "locale": "en", "device_id": device,
        "answers": {"nps": 2}}), content_type="application/json").json()
    impression_id = answered["campaign"]["impression_id"]
    sent = Client().post(f"/api/public/v1/impressions/{impression_id}/actions", json.dumps({
        "site_key": site_key, "type": "callback_request", "phone_number": "6912345678",
        "consent": True, **form}), content_type="application/json")
    assert sent.status_code == 201, sent.content
    return answered["response_id"]


def test_it_lists_only_the_shops_own_callbacks(alice, bob, alice_client):
    callback_campaign(alice)
    callback_campaign(bob, title="Bob's campaign")
    first = request_callback(alice, preferred_time="morning", note="After 10, please")
    second = request_callback(alice, device="d-2")
    request_callback(bob)
    page = alice_client.get(LIST_URL)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [str(row.callback.response_id) for row in rows] == [second, first]  # newest first
    html = page.content.decode()
    assert "+306912345678" in html and "After 10, please" in html
    assert "Morning (09:00–12:00)" in html
    assert "Call unhappy customers" in html and "Bob&#x27;s campaign" not in html
    assert f"/dashboard/responses/{first}/" in html
    assert 'title="I agree to be called about my order.' in html  # the consent, on hover


def test_it_filters_by_status(alice, alice_client):
    callback_campaign(alice)
    request_callback(alice)
    request_callback(alice, device="d-2")
    CallbackRequest.objects.filter(pk=CallbackRequest.objects.first().pk).update(
        status="resolved")
    assert len(alice_client.get(LIST_URL, {"status": "resolved"}).context["rows"]) == 1
    assert len(alice_client.get(LIST_URL, {"status": "new"}).context["rows"]) == 1
    assert len(alice_client.get(LIST_URL, {"status": "nonsense"}).context["rows"]) == 2


def test_it_pages(alice, alice_client, monkeypatch):
    assert views.CALLBACKS_PER_PAGE == 50
    monkeypatch.setattr(views, "CALLBACKS_PER_PAGE", 2)  # three requests, not fifty-one
    callback_campaign(alice)
    for device in ("d-1", "d-2", "d-3"):
        request_callback(alice, device=device)
    page = alice_client.get(LIST_URL)
    assert len(page.context["rows"]) == 2 and page.context["page"].has_next()
    assert "Page 1 of 2" in page.content.decode()
    assert len(alice_client.get(LIST_URL, {"page": 2}).context["rows"]) == 1


def test_it_changes_the_status(alice, alice_client):
    callback_campaign(alice)
    request_callback(alice)
    callback = CallbackRequest.objects.get()
    response = alice_client.post(f"{LIST_URL}{callback.pk}/status/",
                                 {"status": "in_progress", "next": f"{LIST_URL}?status=new"})
    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?status=new"
    callback.refresh_from_db()
    assert callback.status == "in_progress"


def test_it_refuses_an_unknown_status_and_a_foreign_next(alice, alice_client):
    callback_campaign(alice)
    request_callback(alice)
    callback = CallbackRequest.objects.get()
    response = alice_client.post(f"{LIST_URL}{callback.pk}/status/",
                                 {"status": "lost", "next": "https://evil.example/"})
    assert response["Location"] == LIST_URL
    callback.refresh_from_db()
    assert callback.status == "new"


def test_an_agent_works_callbacks(alice, member_client):
    callback_campaign(alice)
    request_callback(alice)
    client = member_client(Role.AGENT)
    page = client.get(LIST_URL)
    assert page.status_code == 200 and len(page.context["rows"]) == 1
    callback = CallbackRequest.objects.get()
    client.post(f"{LIST_URL}{callback.pk}/status/", {"status": "resolved"})
    callback.refresh_from_db()
    assert callback.status == "resolved"
    # An agent may not open responses or campaigns, so the page links to neither.
    assert "/dashboard/responses/" not in page.content.decode()


def test_a_campaign_manager_can_see_callbacks(alice, member_client):
    callback_campaign(alice)
    request_callback(alice)
    page = member_client(Role.CAMPAIGN_MANAGER).get(LIST_URL)
    assert page.status_code == 200 and len(page.context["rows"]) == 1


def test_a_reporting_user_cannot(alice, member_client):
    callback_campaign(alice)
    request_callback(alice)
    client = member_client(Role.REPORTING)
    assert client.get(LIST_URL).status_code == 403
    callback = CallbackRequest.objects.get()
    assert client.post(f"{LIST_URL}{callback.pk}/status/", {"status": "resolved"}
                       ).status_code == 403


def test_bob_cannot_change_alices_callback(alice, bob_client):
    callback_campaign(alice)
    request_callback(alice)
    callback = CallbackRequest.objects.get()
    response = bob_client.post(f"{LIST_URL}{callback.pk}/status/", {"status": "resolved"})
    assert response.status_code == 404
    callback.refresh_from_db()
    assert callback.status == "new"


def test_the_status_change_is_post_only(alice, alice_client):
    assert alice_client.get(f"{LIST_URL}1/status/").status_code == 405
