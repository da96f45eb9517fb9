"""Delivering one webhook: claim it, POST it signed, record what happened, retry or stop.

Every attempt is a task (Django's Tasks API); a failed one schedules the next with
exponential backoff and jitter, for 24 hours, then the delivery has failed. 410 Gone
disables the subscription at once; failing for days disables it too (see webhooks.py).
"""

import datetime
import json
import random
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from kairos.events.models import timestamp
from kairos.integrations import failures
from kairos.integrations.addresses import RefusedURL, resolve
from kairos.integrations.models import Attempt, Delivery
from kairos.integrations.signing import signed_headers

RETRY_FOR = datetime.timedelta(hours=24)
FIRST_RETRY = datetime.timedelta(seconds=15)
LONGEST_WAIT = datetime.timedelta(hours=3)
KEPT_BODY = 1000  # characters of the receiver's answer kept in the log
READ_AT_MOST = 64 * 1024  # bytes of the answer read at all
USER_AGENT = "Kairos-Webhooks/1"
TEST_TYPE = "webhook.test"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    body: str = ""
    error: str = ""

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def next_attempt_at(first_at, attempts, now, jitter=random.random):
    """When to try again after `attempts` failures, or None once 24 hours are spent.

    The wait doubles from 15 s up to 3 h, each stretched or shrunk by up to a quarter at
    random, so receivers coming back from an outage are not hit by every retry at once.
    """
    wait = min(LONGEST_WAIT, FIRST_RETRY * 2 ** (attempts - 1)) * (0.75 + jitter() / 2)
    at = now + wait
    return at if at - first_at <= RETRY_FOR else None


def lease():
    # Longer than any attempt can take (connect + read timeouts), so a live attempt is
    # never claimed twice; after a crash the delivery is free again this much later.
    return datetime.timedelta(seconds=3 * settings.WEBHOOK_TIMEOUT + 30)


@task()
def deliver_webhook(delivery_id):
    """One attempt of one delivery (a task: run by `kairos worker`)."""
    delivery = claim(delivery_id, timezone.now())
    if delivery is None:
        return "not due"  # delivered, given up, or another worker holds it
    if not delivery.subscription.active:
        finish(delivery, Delivery.Status.FAILED, "the webhook is disabled")
        return "disabled"
    outcome = send(delivery)
    record(delivery, outcome)
    return delivery.status


def claim(delivery_id, now):
    """The delivery, leased to this worker if it is due and nobody else holds it."""
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    claimed = (Delivery.objects.filter(free, pk=delivery_id, status=Delivery.Status.PENDING,
                                       next_attempt_at__lte=now)
               .update(leased_until=now + lease()))
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription", "event").get(pk=delivery_id)


def send(delivery):
    body = json.dumps(message(delivery), separators=(",", ":"), ensure_ascii=False)
    subscription = delivery.subscription
    headers = signed_headers(subscription.signing_secrets(timezone.now()),
                             delivery.message_id, body, timezone.now())
    started = time.monotonic()
    try:
        status, answer = post(subscription.url, body.encode(), headers)
    except RefusedURL as refused:
        return Outcome(None, elapsed_ms(started), error=f"URL refused: {refused}")
    except Exception as error:  # any failure to send is a failed attempt, retried
        return Outcome(None, elapsed_ms(started), error=describe(error))
    return Outcome(status, elapsed_ms(started), body=answer)


def message(delivery):
    """What a delivery sends: its event as the events API shows it, or a test message."""
    if delivery.event is not None:
        return delivery.event.envelope()
    return {"id": delivery.message_id, "type": TEST_TYPE, "version": 1,
            "created_at": timestamp(delivery.created_at),
            "data": {"webhook_id": delivery.subscription_id,
                     "text": "A test message from Kairos: this webhook works."}}


def post(url, body, headers):
    """POST to the checked address of `url`; (status, the answer's start as text)."""
    target = resolve(url)
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    pool_class = urllib3.HTTPSConnectionPool if target.scheme == "https" else \
        urllib3.HTTPConnectionPool
    tls = {"server_hostname": target.host, "assert_hostname": target.host} \
        if target.scheme == "https" else {}
    headers = {**headers, "Host": target.host_header, "Content-Type": "application/json",
               "User-Agent": USER_AGENT}
    with pool_class(target.address, target.port, timeout=timeout, retries=False, maxsize=1,
                    **tls) as pool:
        answer = pool.urlopen("POST", target.path, body=body, headers=headers,
                              redirect=False, preload_content=False, assert_same_host=False)
        try:
            text = answer.read(READ_AT_MOST).decode("utf-8", "replace")
        finally:
            answer.release_conn()
    return answer.status, text[:KEPT_BODY]


def describe(error):
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"timed out after {settings.WEBHOOK_TIMEOUT:g} s"
    reason = getattr(error, "reason", None) or error
    return f"{type(error).__name__}: {reason}"[:300]


def elapsed_ms(started):
    return round((time.monotonic() - started) * 1000)


def record(delivery, outcome):
    """Log the attempt and decide what follows, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        Attempt.objects.create(
            organization_id=delivery.organization_id, delivery=delivery, attempted_at=now,
            status_code=outcome.status_code, duration_ms=outcome.duration_ms,
            response_body=outcome.body, error=outcome.error)
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.succeeded:
            finish(delivery, Delivery.Status.DELIVERED)
            failures.succeeded(delivery.subscription)
        elif outcome.status_code == 410:
            finish(delivery, Delivery.Status.FAILED)
            failures.disable(delivery.subscription, failures.GONE, now)
        else:
            retry_or_fail(delivery, now)


def retry_or_fail(delivery, now):
    at = None if delivery.is_test else next_attempt_at(delivery.created_at, delivery.attempts,
                                                         now)
    if at is None:
        finish(delivery, Delivery.Status.FAILED)
    else:
        delivery.next_attempt_at, delivery.leased_until = at, None
        delivery.save()
        deliver_webhook.using(run_after=at).enqueue(delivery.pk)
    if not delivery.is_test:
        failures.failed(delivery.subscription, now)


def finish(delivery, status, error=None):
    delivery.status = status
    delivery.finished_at = timezone.now()
    delivery.next_attempt_at = delivery.leased_until = None
    if error:
        delivery.last_error = error
    delivery.save()
