"""Admin REST API: /api/v1/callbacks, the callback requests customers made."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Id, Input, Pagination, omittable
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.services import update_callback as apply_changes

router = Router(tags=["callbacks"])


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

    @staticmethod
    def resolve_response_id(obj):
        return str(obj.response_id)

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.email if obj.assignee else None


class CallbackFilters(Input):
    status: CallbackRequest.Status | None = None
    campaign: Id | None = None
    created_from: datetime.date | None = Field(None, alias="from")
    created_to: datetime.date | None = Field(None, alias="to")
    assignee: str | None = Field(None, max_length=254)


class CallbackPatch(Input):
    """Only the fields given change; outcome null clears it, assignee null unassigns."""

    status: str = omittable(max_length=40, description="new, in_progress, resolved or one "
                                                       "of the shop's own statuses")
    outcome: CallbackRequest.Outcome | None = omittable()
    resolution: str = omittable(max_length=5000)
    assignee: str | None = omittable(max_length=254,
                                     description="a member's email, `me`; empty to unassign")


def filtered(organization, filters):
    callbacks = CallbackRequest.objects.filter(organization=organization)
    lookups = {"status": filters.status, "campaign_id": filters.campaign,
               "created_at__date__gte": filters.created_from,
               "created_at__date__lte": filters.created_to,
               "assignee__email": filters.assignee}
    return callbacks.filter(**{k: v for k, v in lookups.items() if v is not None})


@router.get("/callbacks", response=list[CallbackOut])
@paginate(Pagination)
def list_callbacks(request, filters: Query[CallbackFilters]):
    actor = require(request, Permission.WORK_CALLBACKS)
    return filtered(actor.organization, filters).select_related("assignee")


@router.get("/callbacks/{callback_id}", response=CallbackOut)
def get_callback(request, callback_id: Id):
    actor = require(request, Permission.WORK_CALLBACKS)
    return get_object_or_404(CallbackRequest, pk=callback_id, organization=actor.organization)


@router.patch("/callbacks/{callback_id}", response=CallbackOut)
def update_callback(request, callback_id: Id, payload: CallbackPatch):
    actor = require(request, Permission.WORK_CALLBACKS)
    callback = get_object_or_404(CallbackRequest, pk=callback_id,
                                 organization=actor.organization)
    return apply_changes(callback, actor, **payload.model_dump(exclude_unset=True))
