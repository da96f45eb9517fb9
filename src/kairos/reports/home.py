"""Home: where the shop stands over a period, beside the period before it.

A handful of aggregate queries whatever the shop's size: responses and NPS (now and
before), NPS per week or month, by stage and by store, the callback queue, the live
campaigns' figures, and what needs attention. Nothing here loops over campaigns with a
query inside. The responses' figures add up the daily rollup for sealed days and count
only the rest (normally today) from the responses (questionnaires/rollup.py): exact, at any size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kairos.campaigns import reporting, services
from kairos.campaigns.models import Campaign, CouponCode
from kairos.integrations.models import Subscription
from kairos.questionnaires import rollup
from kairos.questionnaires.models import Stage
from kairos.questionnaires.reports import ResponseSummary
from kairos.questionnaires.rollup import Tally
from kairos.reports.closing_the_loop import closing_the_loop, waiting

WEEKLY_UP_TO_DAYS = 120  # longer periods are charted per month: a dozen points, not fifty
TOP_STORES = 20
LOW_POOL_SHARE = 0.1  # a coupon pool with a tenth of its codes or fewer left runs out


def ranked(tallies, limit=None):
    """[(group value, ResponseSummary)], most responses first."""
    order = sorted(tallies.items(), key=lambda item: (-item[1].responses, item[0]))
    return [(value, tally.summary()) for value, tally in order[:limit]]


# ---- NPS over time ----------------------------------------------------------------------

@dataclass(frozen=True)
class Bucket:
    start: datetime.date
    summary: ResponseSummary


def trend_unit(period):
    return "week" if period.days <= WEEKLY_UP_TO_DAYS else "month"


def bucket_starts(period, unit):
    if unit == "week":
        day = period.start - datetime.timedelta(days=period.start.weekday())
        return [day + datetime.timedelta(weeks=n)
                for n in range((period.end - day).days // 7 + 1)]
    starts, day = [], period.start.replace(day=1)
    while day <= period.end:
        starts.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return starts


def period_figures(organization, period):
    """(summary, trend unit, trend, by stage, by store) of the period from one grouped
    count by trend bucket, stage and store: the daily rollup for sealed days, the covering
    index of responses (organization, submitted_at, …) for the rest (see rollup.py)."""
    unit = trend_unit(period)
    starts = bucket_starts(period, unit)
    rows = rollup.counted(organization, period.start, period.end, ("stage", "store_id"),
                          buckets=starts)
    total, buckets = Tally(), defaultdict(Tally)
    stages, stores = defaultdict(Tally), defaultdict(Tally)
    for row in rows:
        total.add(row)
        buckets[row["bucket"]].add(row)
        stages[row["stage"]].add(row)
        if row["store_id"]:
            stores[row["store_id"]].add(row)
    trend = [Bucket(start, buckets[number].summary()) for number, start in enumerate(starts)]
    return total.summary(), unit, trend, ranked(stages), ranked(stores, TOP_STORES)


# ---- campaigns --------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveCampaign:
    campaign: Campaign
    figures: reporting.Figures
    previous: reporting.Figures


@dataclass(frozen=True)
class Attention:
    kind: str  # never_shown | silenced | coupons_running_out | webhook_failing
    message: str
    campaign: Campaign | None = None
    webhook: Subscription | None = None


def campaign_standing(organization):
    """[(campaign, status)] of the shop's current campaigns, in three queries."""
    campaigns = list(Campaign.objects.current().filter(organization=organization)
                     .prefetch_related("segments"))
    today, never_shown = services.standing(organization)
    return [(c, services.status(c, today, never_shown)) for c in campaigns], never_shown


def live_campaigns(organization, statuses, period):
    live = [c for c, status in statuses if status == "live"]
    ids = [c.pk for c in live]
    now = reporting.campaign_figures(ids, period.span(organization))
    before = reporting.campaign_figures(ids, period.previous().span(organization))
    return [LiveCampaign(c, now[c.pk], before[c.pk]) for c in live]


def needs_attention(organization, statuses, never_shown):
    found = []
    for campaign, status in statuses:
        if status == "never_shown":
            found.append(Attention(status, services.never_shown_reason(never_shown[campaign.pk]),
                                   campaign=campaign))
        elif status == "silenced":
            found.append(Attention(status, _("Active, but every segment it targets is "
                                             "inactive: never shown."), campaign=campaign))
    running = [c for c, status in statuses if c.active and status != "ended"]
    return found + coupons_running_out(running) + failing_webhooks(organization)


def coupons_running_out(campaigns):
    pooled = {c.pk: c for c in campaigns if c.content.get("coupon_mode") == "pool"}
    pools = (CouponCode.objects.filter(campaign_id__in=pooled).values("campaign_id")
             .annotate(total=Count("pk"), left=Count("pk", filter=Q(impression__isnull=True))))
    counts = {row["campaign_id"]: (row["total"], row["left"]) for row in pools}
    found = []
    for pk, campaign in pooled.items():
        total, left = counts.get(pk, (0, 0))
        if left <= total * LOW_POOL_SHARE:  # an empty pool too
            found.append(Attention("coupons_running_out", _(
                "%(left)s of %(total)s coupon codes left: import more before the pool runs "
                "out.") % {"left": left, "total": total}, campaign=campaign))
    return found


def failing_webhooks(organization):
    hooks = Subscription.objects.filter(
        Q(active=True, failing_since__isnull=False) | Q(active=False, disabled_reason__gt=""),
        organization=organization)
    return [Attention("webhook_failing", failing_message(hook), webhook=hook) for hook in hooks]


def failing_message(hook):
    if not hook.active:
        return _("Switched off after its deliveries kept failing: %(url)s") % {"url": hook.url}
    return _("Every delivery has failed since %(since)s: %(url)s") % {
        "since": date_format(timezone.localtime(hook.failing_since), "SHORT_DATETIME_FORMAT"),
        "url": hook.url}


def stage_name(stage):
    return Stage(stage).label if stage in Stage.values else stage


# ---- the page ---------------------------------------------------------------------------

def home_figures(organization, period, now=None):
    """Everything Home shows, for a view to render and a test to check."""
    span, previous_span = period.span(organization), period.previous().span(organization)
    statuses, never_shown = campaign_standing(organization)
    summary, unit, trend, by_stage, by_store = period_figures(organization, period)
    open_requests, overdue = waiting(organization, now)
    return {
        "period": period, "previous_period": period.previous(),
        "summary": summary,
        "previous_summary": rollup.summary(organization, period.previous().start,
                                           period.previous().end),
        "trend_unit": unit, "trend": trend,
        "by_stage": [(stage_name(stage), figures) for stage, figures in by_stage],
        "by_store": by_store,
        "callbacks_waiting": open_requests, "callbacks_overdue": overdue,
        "closing_the_loop": closing_the_loop(organization, span, now),
        "previous_closing_the_loop": closing_the_loop(organization, previous_span, now),
        "live_campaigns": live_campaigns(organization, statuses, period),
        "attention": needs_attention(organization, statuses, never_shown),
    }
