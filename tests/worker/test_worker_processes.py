"""Real `kairos worker` processes: killed mid-delivery, or two at once, nothing is lost and
nothing is sent twice at the same time. On SQLite and on PostgreSQL."""

import datetime
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import pytest
from campaigns.helpers import submit
from django.db.models import F
from django_tasks_db.models import DBTaskResult
from production_server import kairos_environment
from standardwebhooks import Webhook
from webhook_receiver import HANG, receiving

from kairos.accounts.services import create_organization
from kairos.events.models import Event
from kairos.integrations.models import Delivery, Subscription
from kairos.worker.models import Heartbeat

EVENTS = 12


@contextmanager
def worker_process(**environment):
    env = kairos_environment(WEBHOOK_ALLOW_PRIVATE_URLS="1", WEBHOOK_TIMEOUT="10",
                             **environment)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "kairos", "worker", "--interval",
                                    "0.1"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        except BaseException:
            log.seek(0)
            print(log.read().decode(errors="replace")[-5000:])  # the worker's side of it
            raise
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the workers did not finish in time"
        time.sleep(0.1)


def all_delivered(count):
    return lambda: Delivery.objects.filter(status="delivered").count() >= count


def shop_with_webhook(url, responses):
    shop = create_organization("Busy shop", country="GR")
    # Saved as the operator's setting would allow it (the receiver is on loopback).
    Subscription.objects.create(organization=shop, url=url, events=["response.completed"],
                                secret="whsec_" + "MDEyMzQ1Njc4OWFiY2RlZg==")
    for n in range(responses):
        submit(shop, nps=n % 11, device=f"d-{n}")
    return shop


def as_if_a_few_minutes_passed():
    """The killed worker's heartbeat and its lease on the delivery it was sending grow
    old, as they would while nothing runs."""
    minutes = datetime.timedelta(minutes=5)
    Heartbeat.objects.update(last_seen_at=F("last_seen_at") - minutes)
    Delivery.objects.filter(leased_until__isnull=False).update(
        leased_until=F("leased_until") - minutes)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_no_event():
    with receiving(answers=[200] * 4 + [HANG]) as (receiver, url):
        shop_with_webhook(url, EVENTS)
        with worker_process() as first:
            receiver.wait_for(5)  # the fifth delivery hangs: the worker is mid-delivery
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        killed_id = receiver.requests[4].webhook_id
        as_if_a_few_minutes_passed()
        with worker_process():
            wait_until(all_delivered(EVENTS))
    committed = {event.message_id for event in Event.objects.all()}
    delivered = receiver.ids()
    print(f"\nevents committed: {len(committed)}, requests received: {len(delivered)}, "
          f"events delivered: {len(set(delivered))}")
    assert len(committed) == EVENTS and set(delivered) == committed  # every one, at least once
    assert [i for i in set(delivered) if delivered.count(i) > 1] == [killed_id]
    verifier = Webhook(Subscription.objects.get().secret)
    assert all(verifier.verify(r.body, r.headers) for r in receiver.requests)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_work_and_never_send_one_event_twice_at_once():
    count = 40
    with receiving(delay=0.05) as (receiver, url):
        shop_with_webhook(url, count)
        with worker_process(), worker_process():
            wait_until(all_delivered(count))
    assert receiver.overlaps == []
    assert len(receiver.ids()) == len(set(receiver.ids())) == count
    workers = {result.worker_ids[-1] for result in DBTaskResult.objects.all()}
    assert len(workers) == 2  # both took a share
