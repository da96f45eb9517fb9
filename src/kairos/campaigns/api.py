"""Admin REST API: campaign types, campaigns, performance, conflicts, decision previews."""

import datetime
import uuid
from dataclasses import asdict
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from kairos.accounts import periods
from kairos.accounts.api_auth import require
from kairos.accounts.models import MAX_RETENTION_MONTHS
from kairos.accounts.roles import Permission
from kairos.accounts.shop_time import shop_today
from kairos.boundary.schemas import Id, Input, Pagination, PathName, omittable
from kairos.campaigns import coupons, insights, lift, reporting, services
from kairos.campaigns.models import Campaign
from kairos.campaigns.preview import preview_decision
from kairos.campaigns.schemas import (
    AuditEntryOut,
    CampaignOut,
    CampaignTypeOut,
    ConflictsOut,
    CouponPoolOut,
    CouponsAddedOut,
    DecisionPreviewOut,
    LiftOut,
    PerformanceOut,
)
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.errors import NotFound, Problems
from kairos.questionnaires.schemas import SubmissionIn

router = Router(tags=["campaigns"])


class FrequencyCap(Input):
    days: int = Field(0, ge=0, le=366)
    hours: int = Field(0, ge=0, le=23 * 366)
    minutes: int = Field(0, ge=0, le=59 * 24 * 366)


Clock = Annotated[str, Field(max_length=5, description="HH:MM, 00:00 to 24:00")]
CallbackHours = dict[str, Annotated[list[Clock], Field(min_length=2, max_length=2)] | None]
HOURS_HELP = ("Callback campaigns: the shop's hours in which it is offered, by weekday "
              "(mon … sun) as [opens, closes] in the shop's time zone, a day left out or "
              "null closed; null: always.")
CAPACITY_HELP = ("Callback campaigns: not offered while the shop has this many callback "
                 "requests open (new or in progress); null: no limit.")
HOLDOUT_HELP = ("The share of the customers who would see it that are held out as a "
                "control group: they see nothing, and a control impression is recorded.")
EXEMPT_HELP = "Neither counted nor stopped by the shop's contact budget."
RETENTION_HELP = ("What the campaign collects (impressions, actions, callback requests) is "
                  "pseudonymised after this many months; null: the shop's retention_months.")


class CampaignIn(Input):
    type: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=200)
    segment_ids: list[Id] = Field(min_length=1, max_length=1000)
    active: bool = False
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    frequency_cap: FrequencyCap = Field(default_factory=FrequencyCap)
    priority: int | None = Field(
        None, ge=0, le=services.MAX_PRIORITY,
        description="0 is the highest; absent: after the shop's campaigns for the same "
                    "segments")
    languages: list[str] = Field(default_factory=list, max_length=2)
    content: dict[str, Any] = Field(default_factory=dict)
    holdout_percent: int = Field(0, ge=0, le=services.MAX_HOLDOUT_PERCENT,
                                 description=HOLDOUT_HELP)
    max_open_callbacks: int | None = Field(None, ge=1, le=services.MAX_OPEN_CALLBACKS,
                                           description=CAPACITY_HELP)
    callback_hours: CallbackHours | None = Field(None, description=HOURS_HELP)
    budget_exempt: bool = Field(False, description=EXEMPT_HELP)
    retention_months: int | None = Field(None, ge=1, le=MAX_RETENTION_MONTHS,
                                         description=RETENTION_HELP)


class CampaignPatch(Input):
    """Only the fields given change; only the fields that mean "none" may be null."""

    title: str = omittable(min_length=1, max_length=200)
    segment_ids: list[Id] = omittable(min_length=1, max_length=1000)
    active: bool = omittable()
    start_date: datetime.date = omittable()
    end_date: datetime.date | None = omittable()
    frequency_cap: FrequencyCap = omittable()
    priority: int = omittable(ge=0, le=services.MAX_PRIORITY)
    languages: list[str] = omittable(max_length=2)
    content: dict[str, Any] = omittable()
    holdout_percent: int = omittable(ge=0, le=services.MAX_HOLDOUT_PERCENT,
                                     description=HOLDOUT_HELP)
    max_open_callbacks: int | None = omittable(ge=1, le=services.MAX_OPEN_CALLBACKS,
                                               description=CAPACITY_HELP)
    callback_hours: CallbackHours | None = omittable(description=HOURS_HELP)
    budget_exempt: bool = omittable(description=EXEMPT_HELP)
    retention_months: int | None = omittable(ge=1, le=MAX_RETENTION_MONTHS,
                                             description=RETENTION_HELP)


def campaign_out(campaign, standing=None):
    today, never_shown = standing or services.standing(campaign.organization)
    status = services.status(campaign, today, never_shown)
    reason = services.never_shown_reason(never_shown[campaign.pk]) if (
        status == "never_shown") else None
    return {
        "id": campaign.pk, "type": campaign.type, "title": campaign.title,
        "segment_ids": [s.pk for s in campaign.segments.all()], "active": campaign.active,
        "start_date": campaign.start_date, "end_date": campaign.end_date,
        "frequency_cap": services.cap_parts(campaign.frequency_cap_minutes),
        "priority": campaign.priority, "languages": campaign.languages,
        "content": campaign.content, "status": status, "status_reason": reason,
        "holdout_percent": campaign.holdout_percent,
        "max_open_callbacks": campaign.max_open_callbacks,
        "callback_hours": campaign.callback_hours, "budget_exempt": campaign.budget_exempt,
        "retention_months": campaign.retention_months,
        "created_at": campaign.created_at, "updated_at": campaign.updated_at,
    }


def own_campaign(actor, campaign_id):
    return get_object_or_404(Campaign.objects.prefetch_related("segments"), pk=campaign_id,
                             organization=actor.organization)


def type_out(campaign_type):
    return {
        "id": campaign_type.id, "name": str(campaign_type.name),
        "description": str(campaign_type.description), "icon": campaign_type.icon,
        "actions": list(campaign_type.actions),
        "fields": [{"name": f.name, "label": str(f.label), "kind": f.kind,
                    "localized": f.localized, "required": f.required, "default": f.default,
                    "choices": list(f.choices), "help": str(f.help)}
                   for f in campaign_type.fields],
    }


@router.get("/campaign-types", response=list[CampaignTypeOut], tags=["campaign types"])
def list_types(request):
    require(request, Permission.VIEW_REPORTS)
    return [type_out(t) for t in CAMPAIGN_TYPES.values()]


@router.get("/campaign-types/{type_id}", response=CampaignTypeOut, tags=["campaign types"])
def get_type(request, type_id: PathName):
    require(request, Permission.VIEW_REPORTS)
    if type_id not in CAMPAIGN_TYPES:
        raise NotFound("type_id", _("no such campaign type"))
    return type_out(CAMPAIGN_TYPES[type_id])


class CampaignFilters(Input):
    active: bool | None = None
    type: str | None = Field(None, max_length=32)
    archived: bool = False


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pagination)
def list_campaigns(request, filters: Query[CampaignFilters]):
    actor = require(request, Permission.VIEW_REPORTS)
    campaigns = (Campaign.objects.filter(organization=actor.organization,
                                         archived_at__isnull=not filters.archived)
                 .prefetch_related("segments").order_by("priority", "created_at", "id"))
    if filters.active is not None:
        campaigns = campaigns.filter(active=filters.active)
    if filters.type:
        campaigns = campaigns.filter(type=filters.type)
    standing = services.standing(actor.organization)
    return [campaign_out(c, standing) for c in campaigns]


def fields_from(payload, changes):
    fields = {k: v for k, v in changes.items()
              if k not in ("segment_ids", "frequency_cap", "type")}
    if "frequency_cap" in changes:
        fields["frequency_cap_minutes"] = services.cap_minutes(changes["frequency_cap"])
    return fields


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request, payload: CampaignIn):
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    changes = payload.model_dump()
    fields = fields_from(payload, changes)
    fields["type"] = payload.type
    campaign = services.create_campaign(actor.organization, fields, payload.segment_ids,
                                        user=actor.user, via="api")
    return Status(201, campaign_out(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: Id):
    actor = require(request, Permission.VIEW_REPORTS)
    return campaign_out(own_campaign(actor, campaign_id))


@router.patch("/campaigns/{campaign_id}", response=CampaignOut)
def update_campaign(request, campaign_id: Id, payload: CampaignPatch):
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    campaign = own_campaign(actor, campaign_id)
    changes = payload.model_dump(exclude_unset=True)
    fields = fields_from(payload, changes)
    if "content" in fields:  # PATCH content changes only the fields it names
        fields["content"] = {**campaign.content, **fields["content"]}
    services.update_campaign(campaign, fields, changes.get("segment_ids"), user=actor.user,
                             via="api")
    return campaign_out(own_campaign(actor, campaign_id))


@router.delete("/campaigns/{campaign_id}", response={204: None})
def delete_campaign(request, campaign_id: Id):
    """Archives: impressions, actions and callbacks stay; the campaign is never shown again."""
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    services.archive_campaign(own_campaign(actor, campaign_id), user=actor.user, via="api")
    return Status(204, None)


class PerformanceRange(Input):
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")


@router.get("/campaigns/{campaign_id}/performance", response=PerformanceOut, by_alias=True)
def campaign_performance(request, campaign_id: Id, period: Query[PerformanceRange]):
    """Impressions, actions and engagement per day over `from`–`to` (days in the shop's
    time zone; default the last 30 days), with the period of equal length before it and
    the same figures by segment, store and language."""
    actor = require(request, Permission.VIEW_REPORTS)
    campaign = own_campaign(actor, campaign_id)
    chosen = periods.choose(shop_today(actor.organization), None, period.date_from,
                            period.date_to)
    return performance_out(reporting.campaign_report(campaign, chosen))


def performance_out(report):
    previous = report["previous_period"]
    return {**report["current"],
            "previous": {"from": previous.start, "to": previous.end,
                         **figures_out(report["previous"])},
            "by_segment": [{"key": segment.pk, "name": segment.name, **figures_out(f)}
                           for segment, f in report["by_segment"].items()],
            "by_store": [{"key": store, "name": store, **figures_out(f)}
                         for store, f in report["by_store"].items()],
            "by_language": [{"key": locale, "name": locale, **figures_out(f)}
                            for locale, f in report["by_language"].items()]}


def figures_out(figures):
    return {"impressions": figures.impressions, "actions": figures.actions,
            "engagement_rate": figures.engagement_rate}


EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)


class LiftPeriod(Input):
    date_from: datetime.date | None = Field(None, alias="from", ge=EARLIEST, le=LATEST,
                                            description="default: the campaign's start date")
    date_to: datetime.date | None = Field(None, alias="to", ge=EARLIEST, le=LATEST,
                                          description="default: today, in the shop")


@router.get("/campaigns/{campaign_id}/lift", response=LiftOut, by_alias=True)
def campaign_lift(request, campaign_id: Id, period: Query[LiftPeriod]):
    """Its customers against its control group, for the customers first exposed from
    `from` to `to` (days of the shop's time zone): re-orders, NPS of the next response,
    callbacks resolved, the lifts with their 95% intervals and a verdict in words."""
    actor = require(request, Permission.VIEW_REPORTS)
    campaign = own_campaign(actor, campaign_id)
    date_to = period.date_to or shop_today(actor.organization)
    date_from = period.date_from or min(campaign.start_date, date_to)
    if date_from > date_to:
        raise Problems([("from", _("must be on or before 'to'"))])
    report = lift.lift_report(campaign, date_from, date_to)
    return {**report, "verdict": asdict(report["verdict"])}


@router.get("/campaigns/{campaign_id}/conflicts", response=ConflictsOut)
def campaign_conflicts(request, campaign_id: Id):
    actor = require(request, Permission.VIEW_REPORTS)
    reach, found = insights.conflicts(own_campaign(actor, campaign_id))
    return {"recent_customers": reach, "conflicts": [
        {"campaign_id": c.other.pk, "title": c.other.title, "priority": c.other.priority,
         "kind": c.kind, "shared_customers": c.shared_customers, "message": c.message}
        for c in found]}


@router.get("/campaigns/{campaign_id}/audit", response=list[AuditEntryOut])
def campaign_audit(request, campaign_id: Id):
    actor = require(request, Permission.VIEW_REPORTS)
    campaign = own_campaign(actor, campaign_id)
    return [{"at": e.at, "action": e.action, "via": e.via, "changes": e.changes,
             "user": e.user.email if e.user else None}
            for e in campaign.audit.select_related("user")]


class CouponCodesIn(Input):
    codes: list[str] = Field(min_length=1, max_length=100_000)


def pool_out(campaign):
    pool = coupons.pool_status(campaign)
    return {"total": pool.total, "left": pool.left, "exhausted": pool.exhausted,
            "in_use": coupons.uses_pool(campaign)}


@router.get("/campaigns/{campaign_id}/coupons", response=CouponPoolOut)
def coupon_pool(request, campaign_id: Id):
    """How many codes the campaign's pool holds and how many are left to hand out."""
    actor = require(request, Permission.VIEW_REPORTS)
    return pool_out(own_campaign(actor, campaign_id))


@router.post("/campaigns/{campaign_id}/coupons", response={201: CouponsAddedOut})
def add_coupon_codes(request, campaign_id: Id, payload: CouponCodesIn):
    """Add codes to the pool (repeats are ignored); answers the pool's new state."""
    actor = require(request, Permission.MANAGE_CAMPAIGNS)
    campaign = own_campaign(actor, campaign_id)
    added = coupons.add_codes(campaign, coupons.parse_codes("\n".join(payload.codes)))
    return Status(201, {"added": added, **pool_out(campaign)})


class DecisionPreviewIn(SubmissionIn):
    response_id: uuid.UUID | None = None
    at: datetime.datetime | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    stage: str = Field("checkout", max_length=20)


@router.post("/decisions/preview", response=DecisionPreviewOut, tags=["decisions"])
def decisions_preview(request, payload: DecisionPreviewIn):
    """What this response would see at time `at` (default now), and why; records nothing."""
    actor = require(request, Permission.VIEW_REPORTS)
    return preview_decision(actor.organization, payload.model_dump())
