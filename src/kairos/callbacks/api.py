"""Admin REST API: /api/v1/callbacks, the callback requests customers made, and how the
team works them (attempts, comments, history, undo); /api/v1/callback-statuses, the
shop's statuses. Every change goes through callbacks/services.py."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import ErrorOut, Id, Input, Pagination, PathName, omittable
from kairos.callbacks import export, services
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
from kairos.campaigns.views.performance import csv_response

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
    is_open: bool
    due_at: datetime.datetime | None = Field(description="when the shop's SLA wants a first "
                                                         "contact")
    overdue: bool = Field(description="open and past due_at")
    attempts: int = Field(description="call attempts logged")
    first_contact_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
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


@router.get("/callbacks.csv", response={200: None},
            openapi_extra={"responses": {200: {"description": "the filtered list as CSV",
                                               "content": {"text/csv": {}}}}})
def export_callbacks(request, filters: Query[CallbackFilters]):
    """The filtered list as CSV, streamed: every request the filters select (no paging),
    in queue order, one row each with the customer card's fields."""
    actor = require(request, Permission.WORK_CALLBACKS)
    now = timezone.now()
    matching = callback_queue(actor.organization, actor.user, filters.for_queue(actor), now)
    return csv_response(export.filename(actor.organization, now), export.HEADER,
                        export.export_rows(matching, actor.organization, now))


def own_callback(request, callback_id):
    """The caller's shop's request (404 for any other), and the caller."""
    actor = require(request, Permission.WORK_CALLBACKS)
    callback = get_object_or_404(CallbackRequest.objects.select_related("response", "assignee"),
                                 pk=callback_id, organization=actor.organization)
    return callback, actor


@router.get("/callbacks/{callback_id}", response=CallbackOut)
def get_callback(request, callback_id: Id):
    return own_callback(request, callback_id)[0]


@router.patch("/callbacks/{callback_id}", response={200: CallbackOut, 409: ErrorOut})
def update_callback(request, callback_id: Id, payload: CallbackPatch):
    """Status (resolved: closes it and sets resolved_at; an open one reopens it),
    resolution, outcome, assignee; one history entry, undone as one."""
    callback, actor = own_callback(request, callback_id)
    return apply_changes(callback, actor, **payload.model_dump(exclude_unset=True))


@router.post("/callbacks/{callback_id}/undo", response={200: CallbackOut, 409: ErrorOut})
def undo_callback_change(request, callback_id: Id):
    """Undo the request's latest change: within 15 minutes, by whoever made it (or an
    Owner or Admin); 409 when there is none, it is older, or the request moved since."""
    callback, actor = own_callback(request, callback_id)
    return services.undo_last(callback, actor)


class AttemptIn(Input):
    outcome: CallbackRequest.Outcome
    note: str = Field("", max_length=services.MAX_TEXT)


class CallAttemptOut(Schema):
    id: int
    outcome: str
    note: str
    by: str = Field(alias="author_label")
    created_at: datetime.datetime


@router.get("/callbacks/{callback_id}/attempts", response=list[CallAttemptOut])
@paginate(Pagination)
def list_attempts(request, callback_id: Id):
    return own_callback(request, callback_id)[0].attempts.all()


@router.post("/callbacks/{callback_id}/attempts", response={201: CallAttemptOut})
def log_attempt(request, callback_id: Id, payload: AttemptIn):
    """The first attempt is the first contact; a new request becomes in progress."""
    callback, actor = own_callback(request, callback_id)
    return Status(201, services.log_attempt(callback, actor, payload.outcome, payload.note))


class CommentIn(Input):
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)


class CommentOut(Schema):
    id: int
    text: str
    by: str = Field(alias="author_label")
    created_at: datetime.datetime


@router.get("/callbacks/{callback_id}/comments", response=list[CommentOut])
@paginate(Pagination)
def list_comments(request, callback_id: Id):
    return own_callback(request, callback_id)[0].comments.all()


@router.post("/callbacks/{callback_id}/comments", response={201: CommentOut})
def add_comment(request, callback_id: Id, payload: CommentIn):
    callback, actor = own_callback(request, callback_id)
    return Status(201, services.add_comment(callback, actor, payload.text))


class HistoryOut(Schema):
    id: int
    kind: str = Field(description="assigned, attempt, comment, status, outcome, resolved, "
                                  "resolution, reopened or undone")
    changes: dict = Field(description="{field: [before, after]}")
    by: str = Field(alias="actor_label")
    undone: bool
    attempt_id: int | None
    comment_id: int | None
    created_at: datetime.datetime


@router.get("/callbacks/{callback_id}/history", response=list[HistoryOut])
@paginate(Pagination)
def list_history(request, callback_id: Id):
    """Oldest first."""
    return own_callback(request, callback_id)[0].history.all()


# -- the shop's statuses -------------------------------------------------------------

KEY = r"^[a-z0-9_-]+$"
COLOUR = r"^#[0-9a-fA-F]{6}$"


class StatusOut(Schema):
    key: str
    title: str
    colour: str
    counts_as_open: bool
    position: int
    system: bool = Field(description="new, in_progress, resolved: always there, unchangeable")


class StatusIn(Input):
    key: str = Field(min_length=1, max_length=40, pattern=KEY,
                     description="lower-case letters, digits, - and _")
    title: str = Field(min_length=1, max_length=60)
    colour: str = Field("#6b7280", pattern=COLOUR)
    counts_as_open: bool = True
    position: int = Field(0, ge=0, le=1000)


class StatusPatch(Input):
    title: str = omittable(min_length=1, max_length=60)
    colour: str = omittable(pattern=COLOUR)
    counts_as_open: bool = omittable()
    position: int = omittable(ge=0, le=1000)


@router.get("/callback-statuses", response=list[StatusOut])
def list_statuses(request):
    actor = require(request, Permission.WORK_CALLBACKS)
    return services.statuses(actor.organization)


@router.post("/callback-statuses", response={201: StatusOut, 409: ErrorOut})
def create_status(request, payload: StatusIn):
    actor = require(request, Permission.MANAGE_SETTINGS)
    created = services.create_status(actor.organization, **payload.model_dump())
    return Status(201, services.status_dict(created))


@router.patch("/callback-statuses/{key}", response={200: StatusOut, 409: ErrorOut})
def update_status(request, key: PathName, payload: StatusPatch):
    actor = require(request, Permission.MANAGE_SETTINGS)
    changed = services.update_status(actor, key, **payload.model_dump(exclude_unset=True))
    return services.status_dict(changed)


@router.delete("/callback-statuses/{key}", response={204: None, 409: ErrorOut})
def delete_status(request, key: PathName):
    """Only a status no request has (409 otherwise); the system ones never."""
    actor = require(request, Permission.MANAGE_SETTINGS)
    services.delete_status(actor.organization, key)
    return Status(204, None)
