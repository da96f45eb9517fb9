"""The filtered queue as CSV: one row per request with the customer card's fields.

The dashboard's "Export CSV" and `GET /api/v1/callbacks.csv` both read the queue
(callbacks/queue.py) and write rows built by `export_row` alone, so a column means the
same in both, and whatever must change in every row (masking personal fields, say) is
done by wrapping that one function. Rows are streamed: a long queue is never held in
memory, and the queries stay the queue's few whatever its length.

Times are ISO 8601 in the shop's time zone; texts a spreadsheet would run as a formula
(=, +, -, @) are kept as text.
"""

import json
import zoneinfo

from django.utils import timezone

from kairos.callbacks.customer import customer_of, order_of
from kairos.callbacks.queue import attempts_of, is_overdue, statuses
from kairos.campaigns.views.performance import as_text

HEADER = [
    "id", "created_at", "status", "status_title", "is_open", "due_at", "overdue",
    "assignee", "attempts", "outcome", "first_contact_at", "resolved_at", "resolution",
    "campaign_id", "campaign", "name", "email", "phone_number", "customer_id",
    "transaction_id", "transaction_date", "amount", "store_id", "products", "nps",
    "answers", "preferred_time", "note", "consent_text", "consent_at", "locale",
]
CHUNK = 500  # rows read from the database at a time


class ExportContext:
    """What every row needs from the shop, read once per export."""

    def __init__(self, organization, now=None):
        self.zone = zoneinfo.ZoneInfo(organization.time_zone)
        self.titles = {key: title for key, title, _open in statuses(organization)}
        self.now = now or timezone.now()


def export_row(callback, context):
    """One request as a list of cells in HEADER's order: the one place a row is built."""
    response = callback.response
    customer, order = customer_of(callback), order_of(response)

    def moment(value):
        return value.astimezone(context.zone).isoformat() if value else ""

    return [
        callback.pk, moment(callback.created_at), callback.status,
        text(context.titles.get(callback.status, callback.status)), callback.is_open,
        moment(callback.due_at), is_overdue(callback, context.now),
        callback.assignee.email if callback.assignee else "", attempts_of(callback),
        callback.outcome, moment(callback.first_contact_at), moment(callback.resolved_at),
        text(callback.resolution), callback.campaign_id, text(callback.campaign.title),
        text(customer["name"]), text(customer["email"]), customer["phone_number"],
        text(customer["customer_id"]), text(order["transaction_id"]),
        order["transaction_date"].isoformat() if order["transaction_date"] else "",
        "" if order["amount"] is None else order["amount"], text(order["store_id"]),
        text(", ".join(order["products"])), "" if response.nps is None else response.nps,
        text(json.dumps(response.answers, ensure_ascii=False, sort_keys=True)),
        text(callback.preferred_time), text(callback.note), text(callback.consent_text),
        moment(callback.consent_at), response.locale or "",
    ]


def export_rows(callbacks, organization, now=None, row=export_row):
    """A row per request of `callbacks` (a queue queryset), lazily, under HEADER."""
    context = ExportContext(organization, now)
    for callback in callbacks.iterator(chunk_size=CHUNK):
        yield row(callback, context)


def text(cell):
    """A text a spreadsheet would run as a formula is kept as text (a leading ')."""
    return as_text(cell or "")


def filename(organization, now=None):
    day = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(organization.time_zone))
    return f"callbacks-{day.date().isoformat()}.csv"
