"""Writing events: inside the caller's transaction, encoded before it when that matters."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from kairos.db.inserts import prepared_insert_rows
from kairos.events.catalogue import event_type
from kairos.events.models import Event


def emit(organization, type, data):
    """Record one event in the outbox, inside the transaction of the change it reports."""
    record([event_row(organization, type, data)])


def event_row(organization, type, data):
    """An event as the database stores it: encoding (JSON) costs more than the INSERT, so
    the hot path calls this before its transaction and `record()`s the row inside it."""
    operations = connections["default"].ops
    return {"organization_id": organization.pk, "type": type,
            "version": event_type(type).version, "position": None,
            "created_at": operations.adapt_datetimefield_value(timezone.now()),
            "data": operations.adapt_json_value(data, DjangoJSONEncoder)}


def record(rows):
    """Store event rows in one INSERT, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the change could commit and the event be lost, or the
        # reverse: the outbox promises neither happens.
        raise RuntimeError("emit() belongs inside the transaction of the change it reports")
    prepared_insert_rows(Event, rows).execute()
