"""Deciding what a customer sees when a response is completed, and recording it."""

import contextlib
import datetime
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from kairos.campaigns.capacity import open_callbacks
from kairos.campaigns.configuration import shop_configuration
from kairos.campaigns.events import campaign_shown
from kairos.campaigns.models import CouponCode, Impression
from kairos.db import driver
from kairos.db.inserts import mark_saved, prepared_insert_rows
from kairos.engine.decision import decide
from kairos.errors import Conflict
from kairos.events.outbox import event_row, record
from kairos.questionnaires.events import response_completed
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import (
    build_response,
    registers_fields,
    remember_field_types,
)
from kairos.segments.values import response_values

IDENTITIES = ("device_id", "email", "phone_number", "customer_id")


@dataclass
class Shown:
    impression: Impression
    campaign: object  # the Campaign model
    content: dict


def response_values_for(response, catalog):
    values = response_values(response.answers, response.questionnaire_metadata,
                             response.responder_metadata, catalog)
    values["stage"] = response.stage
    return values


def identities(response):
    """The customer as the frequency cap knows them: any identity, or the device."""
    found = {name: getattr(response, name) for name in IDENTITIES}
    return {name: value for name, value in found.items() if value}


@dataclass
class History:
    """What the decision needs of a customer's impressions (control ones included)."""

    last_seen: dict  # campaign id -> latest impression
    recent: dict  # campaign id -> impressions since the contact budget's period began


def history(organization, known, budget_start=None, before=None, other_than=None):
    """This customer's History, over any of their identities, in one plain indexed query
    (it runs on every response of a shop with caps or a budget).

    `budget_start`: count each campaign's impressions from then on (None: no budget).
    `before` and `other_than` (a response) replay history as it was at a past moment.
    """
    if not known:
        return History({}, {})
    who = " OR ".join(f"{name} = %s" for name in known)  # names come from IDENTITIES
    adapt = connection.ops.adapt_datetimefield_value
    counted, params = ", 0", []
    if budget_start is not None:
        counted = ", SUM(CASE WHEN shown_at >= %s THEN 1 ELSE 0 END)"
        params.append(adapt(budget_start))
    sql = (f"SELECT campaign_id, MAX(shown_at){counted} FROM campaigns_impression "
           f"WHERE organization_id = %s AND ({who})")
    params += [organization.pk, *known.values()]
    if before is not None:
        sql += " AND shown_at < %s"
        params.append(adapt(before))
    if other_than is not None:
        sql += " AND response_id <> %s"
        params.append(Impression._meta.get_field("response").get_db_prep_value(
            other_than.pk, connection))
    rows = driver.fetch_all(sql + " GROUP BY campaign_id", params)
    return History({campaign_id: as_datetime(last) for campaign_id, last, _n in rows},
                   {campaign_id: int(n) for campaign_id, _last, n in rows if n})


def as_datetime(value):
    # Aggregates over raw SQL come back as text on SQLite and as aware datetimes on PG.
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def lock_customer(organization, known):
    """Serialise concurrent responses of one customer so a frequency cap holds.

    SQLite needs nothing: its IMMEDIATE transactions already admit one writer at a time.
    PostgreSQL takes a transaction-scoped advisory lock per identity, in sorted order so
    two requests never wait on each other crosswise.
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted(lock_key(organization.pk, name, value) for name, value in known.items())
    if not keys:
        return
    # One statement, one round trip: unnest yields the sorted keys in order.
    driver.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def lock_key(organization_id, name, value):
    digest = hashlib.blake2b(f"{organization_id}:{name}:{value}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def submit_response(organization, version, submission, *, locale, device_id="",
                    source="widget", idempotency_key=None, campaign_types=None):
    """Store a completed questionnaire and show at most one campaign (of one of
    `campaign_types`, the ones the caller can show; None: any).

    Everything that does not need the database's single writer lock (SQLite) happens
    before the write transaction: validation, reading the response as the rules do,
    compiling statements, encoding the response's event. Inside it: three inserts (the
    response, the impression, their events for the outbox) and, where caps apply, one
    indexed read of the customer's history and the decision (a few microseconds).
    """
    config = shop_configuration(organization)
    response = build_response(organization, version, submission, locale=locale,
                              device_id=device_id, source=source,
                              idempotency_key=idempotency_key, registered=config.catalog)
    earlier = already_submitted(organization, response)
    if earlier:
        return earlier
    values = response_values_for(response, config.catalog)
    store_response = prepared_insert_rows(Response, [response_row(response)])
    completed = event_row(organization, "response.completed", response_completed(response))
    try:
        # A field seen for the first time is registered with get_or_create, whose
        # recovery from a concurrent insert (a savepoint) a pipeline cannot carry.
        quick = not registers_fields(organization, response.field_types)
        with transaction.atomic(), pipelined(quick):
            store_response.execute()
            mark_saved(response)
            remember_field_types(organization, response.field_types)
            shown = decide_and_record(organization, config, values, response, locale,
                                      campaign_types)
            record([completed] if shown is None else [completed, event_row(
                organization, "campaign.shown", campaign_shown(response, shown))])
    except IntegrityError:
        earlier = already_submitted(organization, response)
        if earlier is None:
            raise
        return earlier  # the same submission, retried while the first was being stored
    return response, shown


@contextlib.contextmanager
def pipelined(wanted=True):
    """On PostgreSQL, the transaction's statements go out without waiting for each answer
    (psycopg's pipeline mode): the response's INSERT and the customer's locks travel with
    the history read that needs an answer, the impression and events together, so a
    response costs four round trips in its transaction (BEGIN, that read, the inserts,
    COMMIT) instead of seven. Used inside the `atomic` block: psycopg syncs the pipeline
    whenever autocommit is switched, which would cost three round trips more. Errors
    surface at the next read or at the pipeline's end, as Django's exceptions (an
    IntegrityError included), and `atomic` rolls back. SQLite has no round trips: nothing
    changes there."""
    if not wanted or connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def already_submitted(organization, submitted):
    """(response, shown) of an earlier submission with `submitted`'s idempotency key, or
    None. The key only replays the *same* submission: one with other answers or from
    another customer (a guessed or reused key) is refused with 409, never shown the first
    customer's answer and campaign (their phone number prefilled, say)."""
    if not submitted.idempotency_key:
        return None
    response = (Response.objects.filter(organization=organization,
                                        idempotency_key=submitted.idempotency_key)
                .select_related("impression__campaign").first())
    if response is None:
        return None
    if not same_submission(response, submitted):
        raise Conflict("idempotency_key", _("already used for a different submission: "
                                            "send a new key with each questionnaire"))
    impression = getattr(response, "impression", None)
    if impression is None or impression.control:  # held out: the retry sees nothing too
        return response, None
    campaign = impression.campaign
    return response, Shown(impression, campaign,
                           render(campaign, impression.locale, response, impression))


def same_submission(stored, submitted):
    fields = ("questionnaire_version_id", "stage", "device_id", "responder_key", "answers",
              "questionnaire_metadata", "responder_metadata")
    return all(getattr(stored, name) == getattr(submitted, name) for name in fields)


def show_campaign(organization, response, locale):
    """Decide and record for a stored response, inside the caller's transaction."""
    config = shop_configuration(organization)
    values = response_values_for(response, config.catalog)
    return decide_and_record(organization, config, values, response, locale)


def decide_and_record(organization, config, values, response, locale, campaign_types=None):
    """Inside the write transaction, so caps and the budget read a history nobody else is
    adding to for this customer at the same moment. Answers what is shown, or None (also
    when the customer is held out: a control impression is recorded instead)."""
    if not config.campaigns:
        return None
    book = config.book_for(campaign_types)
    known = identities(response)
    seen = History({}, {})
    if config.needs_history:
        lock_customer(organization, known)
        seen = history(organization, known, book.budget_start(response.submitted_at))
    decision = decide(book, values, locale, response.submitted_at, seen.last_seen,
                      recent=seen.recent, identity=response.responder_key,
                      open_callbacks=lambda: open_callbacks(organization))
    if decision.held_out is not None:
        record_control(organization, config.campaigns[decision.held_out.id], response,
                       locale, known)
        return None
    if decision.campaign is None:
        return None
    campaign = config.campaigns[decision.campaign.id]
    impression = new_impression(organization, campaign, response, locale, known)
    return record_impression(campaign, response, locale, impression)


def record_control(organization, campaign, response, locale, known):
    """What a held-out customer would have been shown: no content, no coupon."""
    impression = Impression(organization=organization, campaign=campaign, response=response,
                            shown_at=response.submitted_at, locale=locale, control=True,
                            **known)
    store_impression(impression)
    return impression


def new_impression(organization, campaign, response, locale, known):
    impression = Impression(organization=organization, campaign=campaign, response=response,
                            shown_at=response.submitted_at, locale=locale, **known)
    impression.coupon_code = campaign.content.get("coupon_code", "") if campaign.content.get(
        "coupon_mode") == "single" else ""
    return impression


def record_impression(campaign, response, locale, impression):
    if campaign.content.get("coupon_mode") == "pool":
        # A code from the pool is claimed under the lock, so it is built here.
        impression.coupon_code = pooled_coupon(campaign)
        impression.save()
        CouponCode.objects.filter(campaign=campaign, code=impression.coupon_code).update(
            impression=impression)
    else:
        store_impression(impression)
    content = render(campaign, locale, response, impression)
    return Shown(impression, campaign, content)


def store_impression(impression):
    prepared_insert_rows(Impression, [impression_row(impression)]).execute()
    mark_saved(impression)


# The hot path's two rows, their values adapted here once, as each field's
# get_db_prep_save would: preparing every field of a model instance the generic way
# cost more than the INSERT itself (bench/README.md). A field added to either model
# fails prepared_insert_rows (KeyError) until it is added here.

def response_row(response):
    ops = connection.ops
    return {
        "id": uuid_value(response.id), "organization_id": response.organization_id,
        "questionnaire_version_id": response.questionnaire_version_id,
        "stage": response.stage, "locale": response.locale,
        "submitted_at": ops.adapt_datetimefield_value(response.submitted_at),
        "source": response.source, "device_id": response.device_id,
        "answers": ops.adapt_json_value(response.answers, None),
        "questionnaire_metadata": ops.adapt_json_value(response.questionnaire_metadata, None),
        "responder_metadata": ops.adapt_json_value(response.responder_metadata, None),
        "nps": optional(int, response.nps), "rating": optional(int, response.rating),
        "store_id": response.store_id, "amount": optional(float, response.amount),
        "transaction_id": response.transaction_id,
        "transaction_date": ops.adapt_datefield_value(response.transaction_date),
        "email": response.email, "phone_number": response.phone_number,
        "customer_id": response.customer_id, "responder_key": response.responder_key,
        "idempotency_key": response.idempotency_key,
    }


def impression_row(impression):
    return {
        "id": uuid_value(impression.id), "organization_id": impression.organization_id,
        "campaign_id": impression.campaign_id, "response_id": uuid_value(impression.response_id),
        "shown_at": connection.ops.adapt_datetimefield_value(impression.shown_at),
        "locale": impression.locale, "device_id": impression.device_id,
        "email": impression.email, "phone_number": impression.phone_number,
        "customer_id": impression.customer_id, "coupon_code": impression.coupon_code,
        "control": impression.control,
    }


def uuid_value(value):
    return value if connection.features.has_native_uuid_field else value.hex


def optional(kind, value):
    return None if value is None else kind(value)


def pooled_coupon(campaign):
    """The next unused code of the campaign's pool ("" when the pool has run out)."""
    free = CouponCode.objects.filter(campaign=campaign, impression__isnull=True)
    if connection.vendor == "postgresql":
        free = free.select_for_update(skip_locked=True)
    return free.order_by("id").values_list("code", flat=True).first() or ""


def render(campaign, locale, response, impression):
    context = {
        "phone_number": response.phone_number, "store_id": response.store_id,
        "impression_id": str(impression.pk), "coupon_code": impression.coupon_code,
    }
    return campaign.campaign_type.render(campaign, locale, context)


def campaign_payload(shown):
    if shown is None:
        return None
    return {"campaign_id": shown.campaign.pk, "impression_id": str(shown.impression.pk),
            "type": shown.campaign.type, "title": shown.campaign.title,
            "content": shown.content}
