"""Writing events: inside the caller's transaction, in one INSERT."""

from django.db import transaction
from django.utils import timezone

from kairos.db.inserts import prepared_insert_many
from kairos.events.catalogue import event_type
from kairos.events.models import Event


def emit(organization, type, data):
    """Record one event in the outbox, inside the transaction of the change it reports."""
    emit_many(organization, [(type, data)])


def emit_many(organization, events):
    """Record (type, data) events in one INSERT, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the change could commit and the event be lost, or the
        # reverse: the outbox promises neither happens.
        raise RuntimeError("emit() belongs inside the transaction of the change it reports")
    now = timezone.now()
    rows = [Event(organization=organization, type=name, version=event_type(name).version,
                  data=data, created_at=now) for name, data in events]
    prepared_insert_many(rows).execute()
