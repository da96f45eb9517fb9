"""What the admin API answers about campaign types, campaigns and decisions (OpenAPI)."""

import datetime
from typing import Any

from ninja import Field, Schema


class FrequencyCapOut(Schema):
    days: int
    hours: int
    minutes: int


class CampaignOut(Schema):
    id: int
    type: str
    title: str
    segment_ids: list[int]
    active: bool
    start_date: datetime.date
    end_date: datetime.date | None
    frequency_cap: FrequencyCapOut
    priority: int
    languages: list[str]
    content: dict[str, Any]
    status: str = Field(description="live, scheduled, ended, inactive, silenced or archived")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ContentFieldOut(Schema):
    name: str
    label: str
    kind: str
    localized: bool
    required: bool
    default: Any
    choices: list[str]
    help: str


class CampaignTypeOut(Schema):
    id: str
    name: str
    description: str
    icon: str
    actions: list[str]
    fields: list[ContentFieldOut]


class DayOut(Schema):
    date: datetime.date
    impressions: int
    actions: int
    engagement_rate: float


class PerformanceOut(Schema):
    date_from: datetime.date = Field(alias="from")
    date_to: datetime.date = Field(alias="to")
    impressions: int
    actions: int
    engagement_rate: float
    days: list[DayOut]


class ConflictOut(Schema):
    campaign_id: int
    title: str
    priority: int
    kind: str = Field(description="outranked_always, tie, overlap or outranks")
    shared_customers: int
    message: str


class ConflictsOut(Schema):
    recent_customers: int
    conflicts: list[ConflictOut]


class AuditEntryOut(Schema):
    at: datetime.datetime
    action: str
    via: str
    changes: dict[str, Any]
    user: str | None


class CouponPoolOut(Schema):
    total: int
    left: int
    exhausted: bool
    in_use: bool


class CouponsAddedOut(CouponPoolOut):
    added: int


class ChosenCampaignOut(Schema):
    campaign_id: int
    title: str
    type: str
    priority: int


class CandidateOut(Schema):
    campaign_id: int
    title: str
    outcome: str
    reason: str
    detail: dict[str, Any]


class DecisionPreviewOut(Schema):
    at: datetime.datetime
    locale: str
    response_id: str | None
    campaign: ChosenCampaignOut | None
    trace: list[CandidateOut]
