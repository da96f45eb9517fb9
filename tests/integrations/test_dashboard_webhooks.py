"""Settings → Webhooks in the dashboard: create, see the log, test, replay, rotate, delete."""

import json

import pytest
from campaigns.helpers import submit
from django.utils import timezone
from webhook_helpers import local_receivers, subscribe, work  # noqa: F401 - a fixture
from webhook_receiver import receiving

from kairos.integrations.models import Delivery, Subscription
from kairos.worker.models import Heartbeat

FORM = {"url": "http://127.0.0.1:9/hooks", "events": ["callback.created"],
        "description": "Helpdesk", "active": "on"}


@pytest.mark.usefixtures("local_receivers")
def test_a_new_webhook_shows_its_secret_once(alice_client):
    response = alice_client.post("/settings/webhooks/", FORM)
    subscription = Subscription.objects.get()
    assert response.status_code == 200 and response.context["new_secret"] == subscription.secret
    assert subscription.secret in response.content.decode()
    assert subscription.events == ["callback.created"] and subscription.active
    page = alice_client.get(f"/settings/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret not in page and subscription.secret_hint in page


def test_a_private_address_is_refused_beside_the_url_field(alice_client):
    response = alice_client.post("/settings/webhooks/", FORM)
    assert response.status_code == 200
    assert "loopback, private or link-local" in response.context["form"].errors["url"][0]
    assert not Subscription.objects.exists()


def test_a_webhook_needs_an_event(alice_client):
    response = alice_client.post("/settings/webhooks/", {**FORM, "events": []})
    assert "events" in response.context["form"].errors


@pytest.mark.usefixtures("local_receivers")
def test_the_log_test_replay_and_rotation(alice, alice_client):
    with receiving(answers=[502]) as (receiver, url):
        subscription = subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        work()
        page = alice_client.get(f"/settings/webhooks/{subscription.pk}/")
        assert "HTTP 502" in page.content.decode() and "answer 502" in page.content.decode()
        alice_client.post(f"/settings/webhooks/{subscription.pk}/test/")
        delivery = Delivery.objects.get(event__isnull=False)
        alice_client.post(f"/settings/webhooks/{subscription.pk}/deliveries/{delivery.pk}/replay/")
        work()
    sent = [(json.loads(r.body)["type"], r.webhook_id) for r in receiver.requests]
    assert sorted(sent) == sorted([("response.completed", delivery.message_id)] * 2
                                  + [("webhook.test", f"msg_test_{delivery.pk + 1}")])
    rotated = alice_client.post(f"/settings/webhooks/{subscription.pk}/rotate/")
    subscription.refresh_from_db()
    assert rotated.context["new_secret"] == subscription.secret
    assert subscription.previous_secret_expires_at > timezone.now()


@pytest.mark.usefixtures("local_receivers")
def test_a_webhook_is_edited_and_deleted(alice, alice_client):
    subscription = subscribe(alice.organization, FORM["url"])
    response = alice_client.post(f"/settings/webhooks/{subscription.pk}/",
                                 {**FORM, "events": ["callback.updated"], "active": ""})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.events == ["callback.updated"] and not subscription.active
    alice_client.post(f"/settings/webhooks/{subscription.pk}/delete/")
    assert not Subscription.objects.exists()


@pytest.mark.usefixtures("local_receivers")
def test_another_shops_webhook_is_not_found(alice, bob_client):
    subscription = subscribe(alice.organization, FORM["url"])
    for path in ("", "test/", "rotate/", "delete/"):
        response = bob_client.post(f"/settings/webhooks/{subscription.pk}/{path}", FORM)
        assert response.status_code == 404, path
    assert Subscription.objects.get().url == FORM["url"]
    assert "127.0.0.1:9" not in bob_client.get("/settings/webhooks/").content.decode()


def test_settings_say_when_no_worker_runs(alice_client):
    page = alice_client.get("/settings/webhooks/").content.decode()
    assert 'data-worker-health="down"' in page and "kairos worker" in page


def test_settings_show_a_running_worker_in_greek(alice_client):
    Heartbeat.objects.create(worker_id="w-1", hostname="box", pid=1,
                             last_task_at=timezone.now())
    alice_client.cookies["django_language"] = "el"
    page = alice_client.get("/settings/webhooks/", headers={"Accept-Language": "el"})
    html = page.content.decode()
    assert 'data-worker-health="ok"' in html and "σε λειτουργία" in html


@pytest.mark.parametrize("role", ["campaign_manager", "reporting", "agent"])
def test_only_those_who_manage_settings_open_webhooks(member_client, role):
    assert member_client(role).get("/settings/webhooks/").status_code == 403
