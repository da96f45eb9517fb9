"""Admin REST API: /api/v1/segments."""

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Id, Input, Pagination, omittable
from kairos.personal_data import shown
from kairos.segments import services
from kairos.segments.fields import field_labels, field_types
from kairos.segments.models import Segment
from kairos.segments.presets import preset_bodies
from kairos.segments.suggestions import known_values

router = Router(tags=["segments"])


class SegmentIn(Input):
    name: str = Field(min_length=1, max_length=120)
    icon: str = Field("", max_length=8)
    questionnaire_id: Id | None = None
    conditions: dict[str, Any] = Field(default_factory=lambda: {"all": []})
    active: bool = True
    # A template from /segments/templates posts back as it is: its key and description
    # are accepted and not stored.
    key: str | None = Field(None, max_length=40, description="a template's key; not stored")
    description: str | None = Field(None, max_length=300,
                                    description="a template's description; not stored")


class SegmentPatch(Input):
    """Only the fields given change; only questionnaire_id may be set to null (any)."""

    name: str = omittable(min_length=1, max_length=120)
    icon: str = omittable(max_length=8)
    questionnaire_id: Id | None = omittable()
    conditions: dict[str, Any] = omittable()
    active: bool = omittable()


class CampaignRef(Schema):
    id: int
    title: str


class RuleProblemOut(Schema):
    field: str
    message: str


class SegmentOut(Schema):
    id: int
    name: str
    icon: str
    questionnaire_id: int | None
    conditions: dict[str, Any]
    active: bool
    condition_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    # Active campaigns targeting this segment: switching it off silences those whose
    # other segments are all inactive too.
    campaigns: list[CampaignRef]
    silenced_campaigns: list[CampaignRef]
    # A saved rule that no longer validates (say, a pattern written before the rule
    # dialect) matches no one until it is fixed; these say what to fix.
    problems: list[RuleProblemOut]

    @staticmethod
    def resolve_campaigns(segment):
        return services.live_campaigns(segment)

    @staticmethod
    def resolve_silenced_campaigns(segment):
        return services.campaigns_silenced_by(segment)

    @staticmethod
    def resolve_problems(segment, context):
        request = context["request"]
        if not hasattr(request, "segment_catalog"):  # once for a whole page of segments
            request.segment_catalog = field_types(segment.organization)
        problems = services.rule_problems(segment.organization, segment.conditions,
                                          request.segment_catalog)
        return [{"field": services.conditions_path(path), "message": message}
                for path, message in problems]


class PreviewRange(Input):
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")


class UnsavedPreviewIn(Input):
    conditions: dict[str, Any]
    questionnaire_id: Id | None = None
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")


class SampleOut(Schema):
    response_id: str
    submitted_at: datetime.datetime
    stage: str
    answers: dict[str, Any]
    email: str | None
    store_id: str | None


class PreviewOut(Schema):
    responses: int
    responders: int
    total: int
    sample: list[SampleOut]


class SegmentTemplateOut(Schema):
    key: str
    name: str
    icon: str
    description: str
    conditions: dict[str, Any]
    active: bool


class FieldOut(Schema):
    path: str
    type: str
    operators: list[str]
    # In the user's language: the question's text, the shop's name for a metadata field.
    label: str


class ValuesQuery(Input):
    field: str = Field(min_length=1, max_length=200,
                       description="a field path from /segments/fields")
    q: str = Field("", max_length=1000, description="the text typed so far")
    limit: int = Field(10, ge=1, le=50)


class KnownValueOut(Schema):
    value: str
    count: int


class ValuesOut(Schema):
    field: str
    responses: int = Field(description="how many of the shop's latest responses were read")
    values: list[KnownValueOut] = Field(
        description="known values containing q, as text rules compare, most frequent first")
    matches: int = Field(description="responses whose value equals q, as text rules compare")
    near: list[KnownValueOut] = Field(description="when q matches no one: the nearest values")


def preview_out(result, actor):
    sample = [{"response_id": str(r.pk), "submitted_at": r.submitted_at, "stage": r.stage,
               "answers": r.answers, "email": shown(actor, r.email), "store_id": r.store_id}
              for r in result.sample]
    return {"responses": result.responses, "responders": result.responders,
            "total": result.total, "sample": sample}


@router.get("/segments", response=list[SegmentOut])
@paginate(Pagination)
def list_segments(request):
    actor = require(request, Permission.VIEW_REPORTS)
    return Segment.objects.filter(organization=actor.organization).order_by("name", "id")


@router.post("/segments", response={201: SegmentOut})
def create_segment(request, payload: SegmentIn):
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    segment = services.create_segment(
        actor.organization, payload.model_dump(exclude={"key", "description"}), actor.user)
    return Status(201, segment)


@router.get("/segments/templates", response=list[SegmentTemplateOut])
def segment_templates(request):
    require(request, Permission.VIEW_REPORTS)
    return preset_bodies()


@router.get("/segments/fields", response=list[FieldOut])
def segment_fields(request):
    from kairos.engine.rules import OPERATORS_BY_TYPE

    actor = require(request, Permission.VIEW_REPORTS)
    catalog = field_types(actor.organization)
    labels = field_labels(actor.organization)
    return [{"path": path, "type": kind, "operators": list(OPERATORS_BY_TYPE[kind]),
             "label": labels.get(path, path)}
            for path, kind in sorted(catalog.items())]


@router.get("/segments/values", response=ValuesOut)
def segment_values(request, query: Query[ValuesQuery]):
    """The values a text or list field has in the shop's latest responses."""
    actor = require(request, Permission.VIEW_REPORTS)
    known = known_values(actor.organization, query.field, query.q, query.limit)
    return {"field": query.field, "responses": known.responses, "values": known.values,
            "matches": known.matches, "near": known.near}


@router.post("/segments/preview", response=PreviewOut)
def preview_unsaved(request, payload: UnsavedPreviewIn):
    actor = require(request, Permission.VIEW_REPORTS)
    services.check_rule(actor.organization, payload.conditions)
    result = services.preview(actor.organization, payload.conditions, payload.questionnaire_id,
                              payload.date_from, payload.date_to)
    return preview_out(result, actor)


def own_segment(actor, segment_id):
    return get_object_or_404(Segment, pk=segment_id, organization=actor.organization)


@router.get("/segments/{segment_id}", response=SegmentOut)
def get_segment(request, segment_id: Id):
    return own_segment(require(request, Permission.VIEW_REPORTS), segment_id)


@router.get("/segments/{segment_id}/preview", response=PreviewOut)
def preview_segment(request, segment_id: Id, period: Query[PreviewRange]):
    actor = require(request, Permission.VIEW_REPORTS)
    segment = own_segment(actor, segment_id)
    result = services.preview(actor.organization, segment.conditions, segment.questionnaire_id,
                              period.date_from, period.date_to)
    return preview_out(result, actor)


@router.patch("/segments/{segment_id}", response=SegmentOut)
def update_segment(request, segment_id: Id, payload: SegmentPatch):
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    segment = own_segment(actor, segment_id)
    return services.update_segment(segment, payload.model_dump(exclude_unset=True))


@router.delete("/segments/{segment_id}", response={204: None})
def delete_segment(request, segment_id: Id):
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    services.delete_segment(own_segment(actor, segment_id))
    return Status(204, None)
