"""Webhook deliveries: signed, retried, timed out, disabled — against a real local receiver."""

import datetime
import json
from pathlib import Path

import pytest
import time_machine
from campaigns.helpers import campaign, segment, submit
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from webhook_helpers import local_receivers, subscribe, work  # noqa: F401 - a fixture
from webhook_receiver import HANG, receiving

from kairos.integrations.models import Delivery, Subscription
from kairos.integrations.webhooks import replay, rotate_secret, send_test, update_subscription

pytestmark = pytest.mark.usefixtures("local_receivers")


def verified(subscription_or_secret, request):
    secret = getattr(subscription_or_secret, "secret", subscription_or_secret)
    return Webhook(secret).verify(request.body, request.headers)


def test_a_delivery_is_signed_so_the_standard_verifier_accepts_it(alice):
    with receiving() as (receiver, url):
        subscription = subscribe(alice.organization, url)
        answer = submit(alice.organization, nps=10)
        work()
    [request] = receiver.requests
    payload = verified(subscription, request)
    assert payload["type"] == "response.completed" and payload["version"] == 1
    assert payload["data"]["response_id"] == answer["response_id"]
    assert request.webhook_id == payload["id"] and payload["id"].startswith("evt_")
    assert request.headers["content-type"] == "application/json"
    with pytest.raises(WebhookVerificationError):
        Webhook(subscription.secret).verify(request.body.replace(b"10", b"11"),
                                            request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(request.body, request.headers)
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1
    [attempt] = delivery.log.all()
    assert attempt.status_code == 200 and attempt.response_body == "answer 200"


def test_a_failing_receiver_is_retried_with_growing_waits_until_it_accepts(alice):
    with (receiving(answers=[500, 503]) as (receiver, url),
          time_machine.travel(timezone.now(), tick=True) as clock):
        subscription = subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        waits = []
        for _failure in range(2):
            work()
            delivery = Delivery.objects.get()
            waits.append(delivery.next_attempt_at - delivery.log.last().attempted_at)
            assert work() is None and len(receiver.requests) == len(waits)  # not yet due
            clock.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
        work()
    delivery.refresh_from_db()
    assert [a.status_code for a in delivery.log.all()] == [500, 503, 200]
    assert delivery.status == "delivered" and delivery.next_attempt_at is None
    assert len(set(receiver.ids())) == 1  # every attempt carries the same webhook-id
    first, second = (wait.total_seconds() for wait in waits)
    assert 15 * 0.75 <= first <= 15 * 1.25 and 30 * 0.75 <= second <= 30 * 1.25
    subscription.refresh_from_db()
    assert subscription.failing_since is None and subscription.active


def test_a_receiver_that_hangs_times_out_and_is_tried_again(alice, settings):
    settings.WEBHOOK_TIMEOUT = 0.5
    with receiving(answers=[HANG]) as (_receiver, url):
        subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        work()
    delivery = Delivery.objects.get()
    [attempt] = delivery.log.all()
    assert attempt.status_code is None and attempt.error == "timed out after 0.5 s"
    assert 500 <= attempt.duration_ms < 5000
    assert delivery.status == "pending" and delivery.next_attempt_at > timezone.now()


def test_410_gone_disables_the_webhook_and_tells_the_shops_managers(alice):
    with receiving(answers=[410]) as (receiver, url):
        subscription = subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        work()
        submit(alice.organization, nps=9)
        work()
    assert len(receiver.requests) == 1  # nothing more after 410
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_reason == "gone"
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert "απενεργοποιήθηκε" in email.subject  # the shop's language: Greek
    assert f"/settings/webhooks/{subscription.pk}/" in email.body and url in email.body


def test_a_webhook_failing_for_days_is_disabled(alice):
    with (receiving(then=500) as (_receiver, url),
          time_machine.travel(timezone.now(), tick=True) as clock):
        subscription = subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        work()
        started = timezone.now()
        clock.move_to(started + datetime.timedelta(days=4))
        submit(alice.organization, nps=9)
        work()
        subscription.refresh_from_db()
        assert subscription.active and subscription.failing_since <= started
        clock.move_to(started + datetime.timedelta(days=5, minutes=1))
        work()
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_reason == "failing"
    first = Delivery.objects.order_by("id").first()
    assert first.status == "failed" and first.next_attempt_at is None  # past 24 hours
    assert len(mail.outbox) == 1 and "απενεργοποιήθηκε" in mail.outbox[0].subject


def test_a_rotated_secret_keeps_signing_beside_the_new_one_for_a_day(alice):
    with (receiving() as (receiver, url),
          time_machine.travel(timezone.now(), tick=True) as clock):
        subscription = subscribe(alice.organization, url)
        old = subscription.secret
        new = rotate_secret(subscription)
        submit(alice.organization, nps=10)
        work()
        clock.move_to(timezone.now() + datetime.timedelta(hours=25))
        submit(alice.organization, nps=9)
        work()
    during, after = receiver.requests
    assert len(during.headers["webhook-signature"].split()) == 2
    assert verified(old, during) and verified(new, during)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert verified(new, after)
        with pytest.raises(WebhookVerificationError):
            verified(old, after)


def test_a_private_address_is_refused_at_delivery_when_the_operator_forbids_it(
        alice, settings):
    with receiving() as (receiver, url):
        subscribe(alice.organization, url)
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
        submit(alice.organization, nps=10)
        work()
    assert receiver.requests == []
    assert Delivery.objects.get().log.get().error.startswith("URL refused: resolves to a loopback")


def test_a_test_message_is_sent_once_and_signed(alice):
    with receiving(answers=[500]) as (receiver, url):
        subscription = subscribe(alice.organization, url)
        send_test(subscription)
        work()
    [request] = receiver.requests
    assert verified(subscription, request)["type"] == "webhook.test"
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 1  # no retries
    subscription.refresh_from_db()
    assert subscription.failing_since is None


def test_a_replay_sends_the_event_again_with_the_same_webhook_id(alice):
    with receiving() as (receiver, url):
        subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        work()
        replay(Delivery.objects.get())
        work()
    first, again = receiver.requests
    assert first.webhook_id == again.webhook_id and first.body == again.body
    assert Delivery.objects.filter(status="delivered").count() == 2


def test_a_webhook_switched_off_sends_nothing_more(alice):
    with receiving() as (receiver, url):
        subscription = subscribe(alice.organization, url)
        submit(alice.organization, nps=10)
        from kairos.events.dispatch import dispatch_all

        dispatch_all()  # the delivery is queued …
        update_subscription(subscription, {"active": False})  # … then the webhook is off
        work()
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.last_error == "the webhook is disabled"


def test_a_webhook_receives_only_its_shops_events_of_its_types(alice, bob):
    with receiving() as (receiver, url):
        subscribe(alice.organization, url, events=["campaign.shown"])
        campaign(alice.organization, [segment(alice.organization)])
        campaign(bob.organization, [segment(bob.organization)])
        submit(bob.organization, nps=1)
        answer = submit(alice.organization, nps=1)
        work()
    [request] = receiver.requests
    payload = json.loads(request.body)
    assert payload["type"] == "campaign.shown"
    assert payload["data"]["response_id"] == answer["response_id"]
    assert Subscription.objects.get().deliveries.count() == 1


def readme_signature_check():
    """The standard-library check the README gives integrators, as they would copy it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("<!-- signature-check")[1].split("```python\n")[1].split("```")[0]
    namespace = {}
    exec(block, namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


def test_the_readmes_signature_check_accepts_a_delivery_and_nothing_forged(alice):
    verify = readme_signature_check()
    with receiving() as (receiver, url):
        subscription = subscribe(alice.organization, url)
        rotate_secret(subscription)  # two signatures: the check must try each
        answer = submit(alice.organization, nps=10)
        work()
    [request] = receiver.requests
    assert verify(subscription.secret, request.headers, request.body)["data"][
        "response_id"] == answer["response_id"]
    with pytest.raises(ValueError, match="not signed"):
        verify(subscription.secret, request.headers, request.body + b" ")
    with pytest.raises(ValueError, match="too old"), \
            time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        verify(subscription.secret, request.headers, request.body)
