"""Admin REST API: /api/v1/callbacks, the callback requests customers made."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Id, Input, Pagination, omittable
from kairos.callbacks.customer import customer_of, order_of
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.queue import (
    OPEN,
    QueueFilters,
    attempts_of,
    callback_queue,
    check_filters,
    is_overdue,
)
from kairos.callbacks.services import update_callback as apply_changes

router = Router(tags=["callbacks"])


class CustomerOut(Schema):
    name: str
    email: str
    phone_number: str
    customer_id: str


class OrderOut(Schema):
    transaction_id: str
    transaction_date: datetime.date | None
    amount: float | None
    store_id: str
    products: list[str]


class CallbackOut(Schema):
    id: int
    campaign_id: int
    response_id: str
    phone_number: str
    preferred_time: str
    note: str
    consent_text: str
    consent_at: datetime.datetime
    status: str
    outcome: str
    assignee: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    resolution: str
    due_at: datetime.datetime | None
    overdue: bool
    attempts: int
    customer: CustomerOut
    order: OrderOut
    answers: dict

    @staticmethod
    def resolve_response_id(obj):
        return str(obj.response_id)

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.email if obj.assignee else None

    @staticmethod
    def resolve_overdue(obj):
        return is_overdue(obj)

    @staticmethod
    def resolve_attempts(obj):
        return attempts_of(obj)

    @staticmethod
    def resolve_customer(obj):
        return customer_of(obj)

    @staticmethod
    def resolve_order(obj):
        return order_of(obj.response)

    @staticmethod
    def resolve_answers(obj):
        return obj.response.answers


class CallbackFilters(Input):
    """The queue's filters (kairos.callbacks.queue); without `status`, the open requests."""

    status: str = Field(OPEN, min_length=1, max_length=40,
                        description="a status, `open` (every open one) or `all`")
    campaign: Id | None = None
    store: str | None = Field(None, max_length=100)
    assignee: str | None = Field(None, max_length=254,
                                 description="a member's e-mail, `me` or `none`")
    created_from: datetime.date | None = Field(None, alias="from",
                                               description="a day in the shop's time zone")
    created_to: datetime.date | None = Field(None, alias="to",
                                             description="a day in the shop's time zone")
    overdue: bool = False
    q: str | None = Field(None, max_length=100,
                          description="searches phone, name, e-mail and order id")

    def for_queue(self, actor):
        return check_filters(actor.organization, actor.user, QueueFilters(
            status=self.status, campaign=self.campaign, store=self.store or "",
            assignee=self.assignee or "", date_from=self.created_from,
            date_to=self.created_to, overdue=self.overdue, q=self.q or ""))


class CallbackPatch(Input):
    """Only the fields given change; outcome null clears it, assignee null unassigns."""

    status: str = omittable(max_length=40, description="new, in_progress, resolved or one "
                                                       "of the shop's own statuses")
    outcome: CallbackRequest.Outcome | None = omittable()
    resolution: str = omittable(max_length=5000)
    assignee: str | None = omittable(max_length=254,
                                     description="a member's email, `me`; empty to unassign")


@router.get("/callbacks", response=list[CallbackOut])
@paginate(Pagination)
def list_callbacks(request, filters: Query[CallbackFilters]):
    """The queue: by default the open requests, overdue first, then the oldest."""
    actor = require(request, Permission.WORK_CALLBACKS)
    return callback_queue(actor.organization, actor.user, filters.for_queue(actor))


@router.get("/callbacks/{callback_id}", response=CallbackOut)
def get_callback(request, callback_id: Id):
    actor = require(request, Permission.WORK_CALLBACKS)
    return get_object_or_404(CallbackRequest.objects.select_related("response", "assignee"),
                             pk=callback_id, organization=actor.organization)


@router.patch("/callbacks/{callback_id}", response=CallbackOut)
def update_callback(request, callback_id: Id, payload: CallbackPatch):
    actor = require(request, Permission.WORK_CALLBACKS)
    callback = get_object_or_404(CallbackRequest, pk=callback_id,
                                 organization=actor.organization)
    return apply_changes(callback, actor, **payload.model_dump(exclude_unset=True))
