"""Webhook subscriptions: created, changed, tested and replayed; fed by the outbox.

`fan_out` is an event consumer (settings.EVENT_CONSUMERS): for each new event it creates
a delivery per subscription that wants it and enqueues its first attempt, inside the
dispatcher's transaction — so each event reaches each subscription once.
"""

from django.db import transaction
from django.utils import timezone

from kairos.errors import Problems
from kairos.events.catalogue import PUBLIC_TYPES
from kairos.integrations.addresses import RefusedURL, resolve
from kairos.integrations.delivery import deliver_webhook
from kairos.integrations.models import SECRET_OVERLAP, Delivery, Subscription
from kairos.integrations.signing import new_secret

EDITABLE = ("url", "events", "description", "active")


def checked_url(url):
    try:
        resolve(url)
    except RefusedURL as refused:
        raise Problems([("url", str(refused))]) from None
    return url


def checked_events(events):
    unknown = [name for name in events if name not in PUBLIC_TYPES]
    if unknown or not events:
        raise Problems([("events", f"choose one or more of {', '.join(PUBLIC_TYPES)}")])
    return [name for name in PUBLIC_TYPES if name in events]  # catalogue order, no repeats


def checked_description(text):
    if "\x00" in text or len(text) > 200:
        raise Problems([("description", "at most 200 characters, no NUL")])
    return text


CHECKS = {"url": checked_url, "events": checked_events, "description": checked_description,
          "active": bool}


def create_subscription(organization, fields, created_by=None):
    """(subscription, secret): the secret is shown to the shop this once."""
    values = {name: CHECKS[name](value) for name, value in fields.items() if name in EDITABLE}
    subscription = Subscription.objects.create(
        organization=organization, secret=new_secret(), created_by=created_by, **values)
    return subscription, subscription.secret


def update_subscription(subscription, changes):
    """Change the given fields; switching a disabled webhook back on forgets its failures."""
    for name, value in changes.items():
        setattr(subscription, name, CHECKS[name](value))
    if changes.get("active"):
        subscription.failing_since, subscription.disabled_reason = None, ""
    subscription.save()
    return subscription


def rotate_secret(subscription):
    """A new secret; the old one keeps signing (beside it) for SECRET_OVERLAP."""
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = timezone.now() + SECRET_OVERLAP
    subscription.secret = new_secret()
    subscription.save()
    return subscription.secret


def send_test(subscription):
    """A test message to this subscription alone (one attempt, no retries)."""
    with transaction.atomic():
        delivery = Delivery.objects.create(
            organization_id=subscription.organization_id, subscription=subscription,
            event_type="webhook.test", message_id="", next_attempt_at=timezone.now())
        delivery.message_id = f"msg_test_{delivery.pk}"
        delivery.save(update_fields=["message_id"])
        enqueue([delivery])
    return delivery


def replay(delivery):
    """Send the delivery's event again, as a new delivery with the same webhook-id, so a
    receiver that already processed it can tell."""
    if not delivery.subscription.active:
        raise Problems([("webhook", "is disabled: switch it on before replaying")])
    if delivery.event_id is None:
        return send_test(delivery.subscription)
    with transaction.atomic():
        again = Delivery.objects.create(
            organization_id=delivery.organization_id, subscription=delivery.subscription,
            event_id=delivery.event_id, message_id=delivery.message_id,
            event_type=delivery.event_type, next_attempt_at=timezone.now())
        enqueue([again])
    return again


def fan_out(events):
    """Event consumer: a delivery per (event, subscription that wants it)."""
    wanted = [event for event in events if event.type in PUBLIC_TYPES]
    subscriptions = active_subscriptions({event.organization_id for event in wanted})
    now = timezone.now()
    deliveries = [
        Delivery(organization_id=event.organization_id, subscription=subscription,
                 event=event, message_id=event.message_id, event_type=event.type,
                 created_at=now, next_attempt_at=now)
        for event in wanted for subscription in subscriptions.get(event.organization_id, ())
        if event.type in subscription.events
    ]
    enqueue(Delivery.objects.bulk_create(deliveries))


def active_subscriptions(organization_ids):
    found = {}
    for subscription in Subscription.objects.filter(organization_id__in=organization_ids,
                                                    active=True):
        found.setdefault(subscription.organization_id, []).append(subscription)
    return found


def enqueue(deliveries):
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
