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
    status: str = Field(description="live, scheduled, ended, inactive, silenced, never_shown "
                                    "(better-ranked campaigns are always shown first) or "
                                    "archived")
    status_reason: str | None = Field(description="why a never_shown campaign never is")
    holdout_percent: int
    max_open_callbacks: int | None
    callback_hours: dict[str, list[str] | None] | None
    budget_exempt: bool
    retention_months: int | None = Field(description="what the campaign collected "
                                         "(impressions, actions, callback requests) is "
                                         "pseudonymised after this many months; null: the "
                                         "shop's retention_months")
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
    control_impressions: int
    actions: int
    engagement_rate: float


class PeriodTotalsOut(Schema):
    date_from: datetime.date = Field(alias="from")
    date_to: datetime.date = Field(alias="to")
    impressions: int
    actions: int
    engagement_rate: float


class BreakdownOut(Schema):
    key: str | int | None = Field(description="the segment id, store id (\"\" for responses "
                                              "without one) or language")
    name: str
    impressions: int
    actions: int
    engagement_rate: float


class PerformanceOut(Schema):
    date_from: datetime.date = Field(alias="from")
    date_to: datetime.date = Field(alias="to")
    impressions: int
    control_impressions: int = Field(description="customers held out (its holdout group): "
                                                 "not counted in impressions")
    actions: int
    engagement_rate: float
    days: list[DayOut]
    previous: PeriodTotalsOut = Field(description="the period of equal length just before")
    by_segment: list[BreakdownOut] = Field(description="impressions whose response is in "
                                                       "each targeted segment (by its rules "
                                                       "today; may overlap)")
    by_store: list[BreakdownOut]
    by_language: list[BreakdownOut]


class ConflictOut(Schema):
    campaign_id: int
    title: str
    priority: int
    kind: str = Field(description="never_wins (the other is always shown first, whatever "
                                  "the customer), outranked_always (it took every recent "
                                  "customer of this one), tie, overlap or outranks")
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
    outcome: str = Field(description="chosen, held_out, inactive, not_started, ended, "
                                     "language, silenced, segment_not_matched, capped, "
                                     "outside_hours, at_capacity, budget_spent or outranked")
    reason: str
    detail: dict[str, Any]


class DecisionPreviewOut(Schema):
    at: datetime.datetime
    locale: str
    response_id: str | None
    campaign: ChosenCampaignOut | None
    held_out: ChosenCampaignOut | None = Field(
        description="the campaign this customer is held out of (its control group): "
                    "nothing is shown, a control impression would be recorded")
    trace: list[CandidateOut]


class ReorderOut(Schema):
    days: int = Field(description="the window: a later order within this many days")
    customers: int = Field(description="customers followed for the whole window")
    reordered: int
    rate: float | None = Field(description="reordered ÷ customers; null without customers")


class NextResponseNpsOut(Schema):
    responses: int = Field(description="customers with a later response answering NPS")
    nps: float | None = Field(description="NPS of those next responses, -100 to 100")


class CallbacksResolvedOut(Schema):
    requested: int = Field(description="customers who asked to be called back")
    resolved: int = Field(description="customers whose callback request is resolved")
    share: float | None = Field(description="resolved ÷ customers of the group")


class LiftGroupOut(Schema):
    customers: int = Field(description="customers first exposed in the period")
    reorder: list[ReorderOut]
    next_response_nps: NextResponseNpsOut
    callbacks: CallbacksResolvedOut | None = Field(description="callback campaigns only")


class ReorderLiftOut(Schema):
    days: int
    absolute: float = Field(description="treatment rate − control rate (0.05: 5 points)")
    absolute_low: float
    absolute_high: float
    relative: float | None = Field(description="treatment rate ÷ control rate − 1; null "
                                               "while either group has no re-order")
    relative_low: float | None
    relative_high: float | None


class NpsLiftOut(Schema):
    absolute: float = Field(description="treatment NPS − control NPS, in NPS points")
    absolute_low: float
    absolute_high: float


class LiftsOut(Schema):
    reorder: list[ReorderLiftOut] = Field(description="per window both groups can judge")
    nps: NpsLiftOut | None = Field(description="null below 2 next responses a group")


class VerdictOut(Schema):
    outcome: str = Field(description="no_control_group, not_enough_data, raised, lowered "
                                     "or no_difference")
    text: str = Field(description="the verdict in words, in the caller's language")
    days: int | None = Field(description="the re-order window it judges")
    customers_needed: int | None = Field(description="not_enough_data: about how many more "
                                                     "customers a verdict needs")
    points: float | None = Field(description="raised or lowered: the lift in re-orders, "
                                             "in percentage points")


class HoldoutPeriodOut(Schema):
    since: datetime.datetime
    until: datetime.datetime
    percent: int


class LiftOut(Schema):
    campaign_id: int
    date_from: datetime.date = Field(alias="from")
    date_to: datetime.date = Field(alias="to")
    holdout_percent: int
    confidence: float = Field(description="of every interval: 0.95")
    holdout_periods: list[HoldoutPeriodOut] = Field(
        description="the holdout shares in force in the period, each clipped to it")
    treatment: LiftGroupOut
    control: LiftGroupOut
    lift: LiftsOut
    verdict: VerdictOut
