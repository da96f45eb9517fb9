"""When a webhook stops working: 410 Gone disables it at once, failing for days too.

Disabling emits `webhook.disabled`, an internal event: the shop's owners and admins hear
of it by e-mail, through the same outbox as everything else.
"""

import datetime

from django.utils import timezone

from kairos.events.outbox import emit
from kairos.integrations.models import Subscription

DISABLE_AFTER = datetime.timedelta(days=5)
GONE = "gone"  # the receiver answered 410 Gone
FAILING = "failing"  # every attempt failed for DISABLE_AFTER


def succeeded(subscription):
    # Written only when it changes: workers delivering to one busy webhook would
    # otherwise all update its row after every attempt.
    Subscription.objects.filter(pk=subscription.pk, failing_since__isnull=False).update(
        failing_since=None)


def failed(subscription, now):
    """Note the failure; disable a subscription that has failed for days (inside the
    caller's transaction)."""
    Subscription.objects.filter(pk=subscription.pk, failing_since__isnull=True).update(
        failing_since=now)
    since = Subscription.objects.values_list("failing_since", flat=True).get(
        pk=subscription.pk)
    if since is not None and now - since >= DISABLE_AFTER:
        disable(subscription, FAILING, now)


def disable(subscription, reason, now=None):
    """Turn the subscription off and tell its shop (inside the caller's transaction)."""
    disabled = Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_reason=reason, updated_at=now or timezone.now())
    if not disabled:
        return  # already off: told once
    subscription.refresh_from_db()
    emit(subscription.organization, "webhook.disabled", {
        "webhook_id": subscription.pk, "url": subscription.url, "reason": reason,
        "failing_since": subscription.failing_since})
