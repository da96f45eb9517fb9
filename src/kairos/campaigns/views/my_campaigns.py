"""My campaigns: every campaign with its status and results; duplicate, archive."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.periods import choose, period_from_request
from kairos.accounts.roles import Permission
from kairos.campaigns import reporting, services
from kairos.campaigns.forms import STATUS_LABELS, CampaignFilterForm
from kairos.campaigns.models import Campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.campaigns.views import own_campaign
from kairos.campaigns.views.lift import lift_labels
from kairos.errors import Problems

# ---- My campaigns ----------------------------------------------------------------------

STATUS_BADGES = {"live": "ok", "scheduled": "info", "silenced": "warn", "never_shown": "danger"}
STATUS_HELP = {
    "live": gettext_lazy("Shown to the customers of its segments."),
    "never_shown": gettext_lazy("Active, but better-ranked campaigns are always shown first "
                                "to its customers: never shown."),
    "scheduled": gettext_lazy("Active, but its start date has not come yet."),
    "ended": gettext_lazy("Its end date has passed."),
    "inactive": gettext_lazy("Switched off: never shown."),
    "silenced": gettext_lazy("Active, but every segment it targets is inactive: never shown."),
    "archived": gettext_lazy("Archived: never shown again; its results stay."),
}


@dataclass(frozen=True)
class StatusBadge:
    status: str
    reason: str = ""  # why a never-shown campaign never is

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def css(self):
        return STATUS_BADGES.get(self.status, "")

    @property
    def help(self):
        return self.reason or STATUS_HELP[self.status]


def status_badge(campaign, standing):
    """`standing`: (today, never shown) from services.standing()."""
    today, never_shown = standing
    status = services.status(campaign, today, never_shown)
    reason = services.never_shown_reason(never_shown[campaign.pk]) if (
        status == "never_shown") else ""
    return StatusBadge(status, reason)


@dataclass(frozen=True, kw_only=True)
class CampaignRow(reporting.Figures):
    """A campaign's figures (impressions, actions, engagement) with its status."""

    campaign: Campaign
    badge: StatusBadge
    lift: tuple | None = None  # (short label, verdict) with a holdout (views/lift.py)


SORT_KEYS = {
    "priority": lambda row: (row.campaign.priority, row.campaign.created_at, row.campaign.pk),
    "title": lambda row: (row.campaign.title.casefold(), row.campaign.pk),
    "created": lambda row: (-row.campaign.created_at.timestamp(), -row.campaign.pk),
    "engagement": lambda row: (-row.engagement_rate, -row.impressions, row.campaign.pk),
}


@member_required(Permission.VIEW_REPORTS)
def campaign_list(request):
    filter_form = CampaignFilterForm(request.GET, campaign_types=CAMPAIGN_TYPES.values())
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    organization = request.actor.organization
    period_form, period = period_from_request(request, organization)
    # A period refused: its errors show, and the figures are the default period's.
    shown_period = period or choose(period_form.today)
    context = {"filter_form": filter_form, "period_form": period_form,
               "period": shown_period, "period_query": urlencode(shown_period.query()),
               "rows": campaign_rows(organization, filters, shown_period)}
    return render(request, "campaigns/list.html", context, status=200 if period else 400)


def campaign_rows(organization, filters, period):
    wanted = filters.get("status") or ""
    campaigns = (Campaign.objects.filter(organization=organization,
                                         archived_at__isnull=wanted != "archived")
                 .prefetch_related("segments"))
    if filters.get("type"):
        campaigns = campaigns.filter(type=filters["type"])
    campaigns = list(campaigns)
    counts = reporting.campaign_figures(  # two queries for the whole page
        [c.pk for c in campaigns], period.span(organization))
    standing = services.standing(organization)
    lifts = lift_labels(campaigns, standing[0])
    rows = [CampaignRow(campaign=c, badge=status_badge(c, standing),
                        impressions=counts[c.pk].impressions, actions=counts[c.pk].actions,
                        lift=lifts.get(c.pk)) for c in campaigns]
    rows = [row for row in rows if not wanted or row.badge.status == wanted]
    return sorted(rows, key=SORT_KEYS[filters.get("sort") or "priority"])


@require_POST
@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_duplicate(request, pk):
    original = own_campaign(request, pk)
    try:
        copy = services.duplicate_campaign(original, user=request.user)
    except Problems as problems:
        messages.error(request, _("Could not duplicate “%(title)s”: %(problems)s")
                       % {"title": original.title, "problems": problems})
        return redirect("campaigns:list")
    messages.success(request, _("Created “%(title)s”, an inactive copy: change what you want "
                                "to try, then switch it on.") % {"title": copy.title})
    return redirect("campaigns:edit", pk=copy.pk)


@require_POST
@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_archive(request, pk):
    campaign = own_campaign(request, pk)
    if campaign.archived_at is None:
        services.archive_campaign(campaign, user=request.user)
    messages.success(request, _("Archived “%(title)s”: it is never shown again; its results "
                                "stay.") % {"title": campaign.title})
    return redirect("campaigns:list")
