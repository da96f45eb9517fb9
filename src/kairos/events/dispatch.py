"""Handing new events to their consumers (webhooks, e-mails), in order, exactly once.

The worker calls `dispatch()` whenever the outbox holds new events. One dispatcher works
at a time (PostgreSQL: an advisory lock; SQLite admits one writer anyway); in one
transaction it numbers a batch of events after the last number given and lets every
consumer in settings.EVENT_CONSUMERS turn them into work (deliveries, e-mails, each a
task). A crash rolls all of it back, so the batch is dispatched again, whole.
"""

import functools

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils.module_loading import import_string

from kairos.events.models import Event

BATCH = 100  # events per transaction: on SQLite the writer lock is held this long
DISPATCH_LOCK = 7_305_001  # an arbitrary advisory-lock key of the dispatcher


@functools.cache
def consumers():
    return [import_string(path) for path in settings.EVENT_CONSUMERS]


def pending():
    return Event.objects.filter(position__isnull=True)


def dispatch(batch=BATCH):
    """Dispatch the next batch of new events; returns how many (0: nothing to do)."""
    if not pending().exists():  # a read: no writer lock while the outbox is empty
        return 0
    with transaction.atomic():
        if not dispatcher_lock():
            return 0
        events = list(pending().order_by("id")[:batch])
        number(events)
        for consume in consumers():
            consume(events)
    return len(events)


def dispatch_all():
    """Dispatch until the outbox is empty; returns how many."""
    total = 0
    while count := dispatch():
        total += count
    return total


def dispatcher_lock():
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [DISPATCH_LOCK])
        return cursor.fetchone()[0]


def number(events):
    last = (Event.objects.filter(position__isnull=False).aggregate(last=Max("position"))
            ["last"] or 0)
    for offset, event in enumerate(events, start=1):
        event.position = last + offset
    Event.objects.bulk_update(events, ["position"])
