"""Admin REST API: /api/v1/webhooks, subscriptions and their delivery log."""

import datetime

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Id, Input, Pagination, omittable
from kairos.integrations import webhooks
from kairos.integrations.models import Delivery, Subscription

router = Router(tags=["webhooks"])
URL = "http(s) URL receiving POSTed events"
EVENTS = "event types, from /api/v1/event-types"


class WebhookIn(Input):
    url: str = Field(max_length=2000, description=URL)
    events: list[str] = Field(description=EVENTS)
    description: str = Field("", max_length=200)
    active: bool = True


class WebhookPatch(Input):
    """Only the fields given change; none of them may be set to null."""

    url: str = omittable(max_length=2000, description=URL)
    events: list[str] = omittable(description=EVENTS)
    description: str = omittable(max_length=200)
    active: bool = omittable()


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    disabled_reason: str = Field(description="gone (410) or failing (for days); empty if on")
    failing_since: datetime.datetime | None
    secret_hint: str = Field(description="the secret's first characters")
    created_at: datetime.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="whsec_…: shown only now; verify signatures with it")


class SecretOut(Schema):
    secret: str
    previous_secret_expires_at: datetime.datetime


class AttemptOut(Schema):
    attempted_at: datetime.datetime
    status_code: int | None
    duration_ms: int
    response_body: str
    error: str


class DeliveryOut(Schema):
    id: int
    message_id: str = Field(description="the webhook-id header")
    event_type: str
    status: str
    attempts: int
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    last_status_code: int | None
    last_error: str
    log: list[AttemptOut]

    @staticmethod
    def resolve_log(obj):
        return list(obj.log.all())


def subscription_of(request, webhook_id):
    actor = require(request, Permission.MANAGE_SETTINGS)
    return get_object_or_404(Subscription, pk=stored_id(webhook_id),
                             organization=actor.organization)


def stored_id(value):
    """An id no row can have is simply not found (not a database error)."""
    if not 0 < value < 2**63:
        raise Http404
    return value


@router.get("/webhooks", response=list[WebhookOut])
@paginate(Pagination)
def list_webhooks(request):
    actor = require(request, Permission.MANAGE_SETTINGS)
    return Subscription.objects.filter(organization=actor.organization)


@router.post("/webhooks", response={201: WebhookCreated})
def create_webhook(request, payload: WebhookIn):
    actor = require(request, Permission.MANAGE_SETTINGS)
    subscription, secret = webhooks.create_subscription(actor.organization, payload.model_dump(),
                                                        created_by=actor.user)
    return Status(201, subscription)


@router.get("/webhooks/{webhook_id}", response=WebhookOut)
def get_webhook(request, webhook_id: Id):
    return subscription_of(request, webhook_id)


@router.patch("/webhooks/{webhook_id}", response=WebhookOut)
def update_webhook(request, webhook_id: Id, payload: WebhookPatch):
    subscription = subscription_of(request, webhook_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return webhooks.update_subscription(subscription, changes)


@router.delete("/webhooks/{webhook_id}", response={204: None})
def delete_webhook(request, webhook_id: Id):
    subscription_of(request, webhook_id).delete()
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/rotate-secret", response=SecretOut)
def rotate_webhook_secret(request, webhook_id: Id):
    """A new secret; the previous one keeps signing beside it for 24 hours."""
    subscription = subscription_of(request, webhook_id)
    with transaction.atomic():
        secret = webhooks.rotate_secret(subscription)
    return {"secret": secret,
            "previous_secret_expires_at": subscription.previous_secret_expires_at}


@router.get("/webhooks/{webhook_id}/deliveries", response=list[DeliveryOut])
@paginate(Pagination)
def list_deliveries(request, webhook_id: Id):
    """Newest first, each with its attempts (status, response code, duration, body)."""
    subscription = subscription_of(request, webhook_id)
    return subscription.deliveries.prefetch_related("log")


@router.post("/webhooks/{webhook_id}/test", response={202: DeliveryOut})
def send_test_event(request, webhook_id: Id):
    """Queue a `webhook.test` message to this webhook alone (one attempt)."""
    return Status(202, webhooks.send_test(subscription_of(request, webhook_id)))


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
             response={202: DeliveryOut})
def replay_delivery(request, webhook_id: Id, delivery_id: Id):
    """Send a delivery's event again, with the same webhook-id."""
    subscription = subscription_of(request, webhook_id)
    delivery = get_object_or_404(Delivery, pk=stored_id(delivery_id),
                                 subscription=subscription)
    return Status(202, webhooks.replay(delivery))
