"""One customer's data: exported whole (GDPR art. 15/20) or erased whole (art. 17).

Both take an identity (e-mail, phone number or customer id) and walk the same rows
(privacy/customers.py); both are logged — who, when, how many rows — and the log never
holds the data or the identity itself.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from kairos.integrations.models import Delivery
from kairos.personal_data import registered
from kairos.privacy import customers
from kairos.privacy.models import PrivacyLog
from kairos.questionnaires import rollup

REDACTED = {"redacted": True}  # what an event's payload becomes once its data is gone


def export(organization, identity, actor, via):
    """Everything stored about the customer, as JSON-ready data."""
    customer = customers.find_customer(organization, identity)
    document = {
        "identity": customer.identity,
        "shop": organization.name,
        "exported_at": timezone.now(),
        "identities": customers.stored_identities(customer),
        **{section_name(model): [row_data(row) for row in rows]
           for model, rows in customers.owned_rows(customer).items()},
        "referrals_naming_you": [row_data(row) for row in customers.referrals(customer)],
        "webhook_events": [event_data(event) for event in customers.events(customer)],
    }
    counts = {name: len(rows) for name, rows in document.items() if isinstance(rows, list)
              and name != "identities"}
    log(organization, PrivacyLog.Kind.EXPORT, actor, via, counts)
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def erasure_preview(organization, identity):
    """What erasing the customer would remove, by kind: {"responses": 3, …}."""
    customer = customers.find_customer(organization, identity)
    return customer, counts_of(customer)


def erase(organization, identity, actor, via):
    """Remove every trace of the customer, all or nothing; answers how many rows went."""
    with transaction.atomic():
        customer, counts = erasure_preview(organization, identity)
        delete_rows(customer)
        redact_copies(customer)
        log(organization, PrivacyLog.Kind.ERASURE, actor, via, counts)
    return counts


def counts_of(customer):
    counts = {section_name(model): rows.count()
              for model, rows in customers.owned_rows(customer).items()}
    counts["referrals_naming_you"] = customers.referrals(customer).count()
    counts["webhook_events"] = customers.events(customer).count()
    counts["webhook_deliveries"] = customers.deliveries(customer).count()
    return counts


def delete_rows(customer):
    """The responses go with everything that hangs off them (impressions — the
    frequency-cap history —, actions, callback requests and their own rows)."""
    customers.referrals(customer).delete()
    responses = customers.owned_rows(customer)["questionnaires.Response"]
    days = list(responses.values_list("submitted_at", flat=True))
    responses.delete()
    rollup.reseal(customer.organization, days)  # their days leave the daily rollup too


def redact_copies(customer):
    """Events keep their place in the feed (an integrator's cursor must stay valid) but
    lose their payload; what receivers answered to them is forgotten too."""
    events = customers.events(customer)
    customers.attempts(customer).update(response_body="")
    events.update(data=REDACTED)


def section_name(model_label):
    return registered(model_label).export_as


def row_data(row):
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields
            if field.name != "organization"}


def event_data(event):
    return {**event.envelope(), "deliveries": [
        {"webhook": delivery.subscription.url, "status": delivery.status,
         "attempts": delivery.attempts, "created_at": delivery.created_at,
         "finished_at": delivery.finished_at}
        for delivery in event_deliveries(event)]}


def event_deliveries(event):
    return Delivery.objects.filter(event=event).select_related("subscription").order_by("id")


def actor_name(actor):
    if actor is None:
        return ""
    if getattr(actor, "user", None) is not None:
        return actor.user.email or actor.user.get_username()
    if getattr(actor, "api_key", None) is not None:
        return f"API key {actor.api_key.prefix}…"
    return str(actor)


def log(organization, kind, actor, via, counts, cutoff=None):
    return PrivacyLog.objects.create(organization=organization, kind=kind,
                                     actor=actor_name(actor)[:254], via=via,
                                     counts=counts, cutoff=cutoff)
