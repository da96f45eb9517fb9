"""/api/v1/webhooks: subscriptions, secrets, the delivery log, test and replay."""

import pytest
from campaigns.helpers import submit
from webhook_helpers import local_receivers, work  # noqa: F401 - a fixture
from webhook_receiver import receiving

from kairos.integrations.models import Delivery, Subscription

HOOK = {"url": "http://127.0.0.1:9/hooks", "events": ["callback.created", "response.completed"],
        "description": "Our CRM"}


def create(api, **fields):
    return api.post("/api/v1/webhooks", {**HOOK, **fields}, content_type="application/json")


@pytest.mark.usefixtures("local_receivers")
def test_a_webhook_is_created_and_its_secret_shown_once(alice_api):
    response = create(alice_api)
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["secret_hint"] == body["secret"][:10] + "…"
    assert body["events"] == ["response.completed", "callback.created"]  # catalogue order
    assert body["active"] and body["description"] == "Our CRM"
    again = alice_api.get(f"/api/v1/webhooks/{body['id']}").json()
    assert "secret" not in again and again["url"] == HOOK["url"]
    assert alice_api.get("/api/v1/webhooks").json()["count"] == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://localhost:8000/x",
                                 "http://10.0.0.7/hook", "http://169.254.169.254/latest",
                                 "http://[::1]/x", "http://192.168.1.1/", "http://0.0.0.0/"])
def test_a_url_reaching_into_the_servers_network_is_refused(alice_api, url):
    response = create(alice_api, url=url)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("url: resolves to a loopback, private")
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "http://", "https://u:p@x.gr/",
                                 "http://example.com/\x00", "http://example.com:99999/",
                                 "http://" + "a" * 2000 + ".gr/"])
def test_a_malformed_url_is_refused(alice_api, url):
    response = create(alice_api, url=url)
    assert response.status_code == 422 and response.json()["detail"].startswith("url")


@pytest.mark.usefixtures("local_receivers")
@pytest.mark.parametrize("events", [[], ["nope"], ["webhook.disabled"]])
def test_events_must_come_from_the_catalogue(alice_api, events):
    response = create(alice_api, events=events)
    assert response.status_code == 422 and response.json()["detail"].startswith("events:")


@pytest.mark.usefixtures("local_receivers")
def test_a_webhook_is_changed_and_switched_back_on_without_its_past_failures(alice_api):
    webhook_id = create(alice_api).json()["id"]
    Subscription.objects.filter(pk=webhook_id).update(active=False, disabled_reason="gone")
    response = alice_api.patch(f"/api/v1/webhooks/{webhook_id}",
                               {"active": True, "events": ["callback.updated"]},
                               content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["active"] and body["disabled_reason"] == ""
    assert body["events"] == ["callback.updated"] and body["url"] == HOOK["url"]


def test_a_patch_to_a_private_url_is_refused(alice, alice_api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    webhook_id = create(alice_api).json()["id"]
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = alice_api.patch(f"/api/v1/webhooks/{webhook_id}", {"url": "http://10.1.1.1/"},
                               content_type="application/json")
    assert response.status_code == 422
    assert Subscription.objects.get().url == HOOK["url"]


@pytest.mark.usefixtures("local_receivers")
def test_rotating_the_secret_answers_the_new_one(alice_api):
    created = create(alice_api).json()
    response = alice_api.post(f"/api/v1/webhooks/{created['id']}/rotate-secret")
    assert response.status_code == 200
    rotated = Subscription.objects.get()
    assert response.json()["secret"] == rotated.secret != created["secret"]
    assert rotated.previous_secret == created["secret"]


@pytest.mark.usefixtures("local_receivers")
def test_the_delivery_log_test_and_replay(alice, alice_api):
    with receiving(answers=[500]) as (_receiver, url):
        webhook_id = create(alice_api, url=url).json()["id"]
        submit(alice.organization, nps=10)
        work()
        test = alice_api.post(f"/api/v1/webhooks/{webhook_id}/test")
        assert test.status_code == 202 and test.json()["event_type"] == "webhook.test"
        work()
    log = alice_api.get(f"/api/v1/webhooks/{webhook_id}/deliveries").json()
    assert log["count"] == 2
    tested, completed = log["items"]
    assert tested["status"] == "delivered" and tested["log"][0]["status_code"] == 200
    assert completed["status"] == "pending" and completed["attempts"] == 1
    assert completed["log"][0]["status_code"] == 500
    assert completed["log"][0]["response_body"] == "answer 500"
    replayed = alice_api.post(
        f"/api/v1/webhooks/{webhook_id}/deliveries/{completed['id']}/replay")
    assert replayed.status_code == 202
    assert replayed.json()["message_id"] == completed["message_id"]


@pytest.mark.usefixtures("local_receivers")
def test_replaying_for_a_disabled_webhook_is_refused(alice, alice_api):
    webhook_id = create(alice_api).json()["id"]
    submit(alice.organization, nps=10)
    work()
    Subscription.objects.update(active=False)
    delivery = Delivery.objects.get()
    response = alice_api.post(f"/api/v1/webhooks/{webhook_id}/deliveries/{delivery.pk}/replay")
    assert response.status_code == 422 and response.json()["detail"].startswith("webhook:")


@pytest.mark.usefixtures("local_receivers")
def test_a_webhook_is_deleted(alice_api):
    webhook_id = create(alice_api).json()["id"]
    assert alice_api.delete(f"/api/v1/webhooks/{webhook_id}").status_code == 204
    assert not Subscription.objects.exists()


@pytest.mark.usefixtures("local_receivers")
def test_another_shop_cannot_see_or_touch_a_webhook(alice_api, bob_api):
    webhook_id = create(alice_api).json()["id"]
    assert bob_api.get("/api/v1/webhooks").json()["count"] == 0
    for method, path in [("get", ""), ("patch", ""), ("delete", ""), ("get", "/deliveries"),
                         ("post", "/test"), ("post", "/rotate-secret")]:
        response = getattr(bob_api, method)(f"/api/v1/webhooks/{webhook_id}{path}",
                                            {"active": False}, content_type="application/json")
        assert response.status_code == 404, (method, path)
    assert Subscription.objects.get().active


@pytest.mark.parametrize("webhook_id", ["0", "9" * 25, "-1"])
def test_ids_no_webhook_can_have_are_not_found(alice_api, webhook_id):
    assert alice_api.get(f"/api/v1/webhooks/{webhook_id}").status_code in (404, 422)


def test_only_those_who_manage_settings_may_manage_webhooks(member_client):
    for role in ("campaign_manager", "reporting", "agent"):
        client = member_client(role)
        assert client.get("/api/v1/webhooks").status_code == 403
