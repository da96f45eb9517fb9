"""Admin REST API: /api/v1/responses (list, filter, server-side submission)."""

import datetime
import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.accounts.shop_time import shop_zone
from kairos.boundary.schemas import Input, Pagination
from kairos.errors import Problems
from kairos.personal_data import shown, shown_metadata
from kairos.questionnaires.models import Response, Stage
from kairos.questionnaires.schemas import SubmissionIn
from kairos.questionnaires.services import published_version, record_response

router = Router(tags=["responses"])
CLOCK_SKEW = datetime.timedelta(minutes=5)  # the shop's server clock may run a little ahead


class ResponseOut(Schema):
    id: uuid.UUID
    stage: str
    locale: str
    source: str
    submitted_at: datetime.datetime
    device_id: str
    questionnaire_version: int = Field(alias="questionnaire_version.number")
    answers: dict[str, Any]
    questionnaire_metadata: dict[str, Any]
    responder_metadata: dict[str, Any]

    # Roles without access to personal data see it masked (kairos/personal_data.py).
    @staticmethod
    def resolve_device_id(response, context):
        return shown(context["request"].auth, response.device_id)

    @staticmethod
    def resolve_questionnaire_metadata(response, context):
        return shown_metadata(context["request"].auth, "questionnaire",
                              response.questionnaire_metadata)

    @staticmethod
    def resolve_responder_metadata(response, context):
        return shown_metadata(context["request"].auth, "responder",
                              response.responder_metadata)


class ResponseFilters(Input):
    stage: Stage | None = None
    submitted_from: datetime.date | None = Field(None, alias="from")
    submitted_to: datetime.date | None = Field(None, alias="to")
    nps_min: int | None = Field(None, ge=0, le=10)
    nps_max: int | None = Field(None, ge=0, le=10)
    store_id: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    customer_id: str | None = Field(None, max_length=100)


class ServerSubmissionIn(SubmissionIn):
    submitted_at: datetime.datetime | None = None


def filtered_responses(organization, filters):
    responses = Response.objects.filter(organization=organization)
    lookups = {
        "stage": filters.stage, "submitted_at__gte": day_start(filters.submitted_from),
        "submitted_at__lt": day_start(filters.submitted_to, 1), "nps__gte": filters.nps_min,
        "nps__lte": filters.nps_max, "store_id": filters.store_id,
        "email": filters.email.strip().lower() if filters.email else None,
        "customer_id": filters.customer_id,
    }
    return responses.filter(**{k: v for k, v in lookups.items() if v is not None})


def day_start(day, days_after=0):
    """The first instant of `day` (+ days), on the clock `__date` lookups read (the current
    time zone), as a range the (organization, submitted_at) index can read: a `__date`
    lookup computed the date of every response of the shop."""
    if day is None:
        return None
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=days_after),
                                         datetime.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


@router.get("/responses", response=list[ResponseOut])
@paginate(Pagination)
def list_responses(request, filters: Query[ResponseFilters]):
    actor = require(request, Permission.VIEW_REPORTS)
    responses = filtered_responses(actor.organization, filters)
    return responses.select_related("questionnaire_version").order_by("-submitted_at", "id")


@router.get("/responses/{response_id}", response=ResponseOut)
def get_response(request, response_id: uuid.UUID):
    actor = require(request, Permission.VIEW_REPORTS)
    return get_object_or_404(
        Response.objects.select_related("questionnaire_version"),
        pk=response_id, organization=actor.organization,
    )


@router.post("/responses", response={201: ResponseOut})
def submit_response(request, payload: ServerSubmissionIn):
    """Server-side submission for integrations: same validation as the public endpoint."""
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    organization = actor.organization
    if payload.stage not in Stage.values:
        raise Problems([("stage", _("unknown stage '%(stage)s'") % {"stage": payload.stage})])
    version = published_version(organization, payload.stage)
    if version is None:
        raise Problems([("stage", _("no active questionnaire for '%(stage)s'")
                         % {"stage": payload.stage})])
    submitted_at = payload.submitted_at
    if submitted_at and submitted_at.tzinfo is None:
        # Without an offset, the shop's own clock, as the CSV import reads it (comparing
        # a naive time with now was a 500).
        submitted_at = submitted_at.replace(tzinfo=shop_zone(organization))
    if submitted_at and submitted_at > timezone.now() + CLOCK_SKEW:
        raise Problems([("submitted_at", _("may not be in the future"))])
    response = record_response(
        organization, version, payload.model_dump(),
        locale=payload.locale or organization.default_language,
        device_id=payload.device_id, source="api", submitted_at=submitted_at,
    )
    return Status(201, response)
