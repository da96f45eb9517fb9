"""Campaign performance over any period: one campaign's page and CSV, and every campaign
side by side. The period comes from accounts/periods.py, the figures from reporting.py."""

import csv
import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import StreamingHttpResponse
from django.shortcuts import render

from kairos.accounts.membership import member_required
from kairos.accounts.periods import period_from_request
from kairos.accounts.roles import Permission
from kairos.campaigns import charts, reporting, services
from kairos.campaigns.models import Campaign
from kairos.campaigns.views import own_campaign
from kairos.campaigns.views.lift import lift_labels
from kairos.campaigns.views.my_campaigns import StatusBadge, status_badge

INVALID_PERIOD = 400  # the picker's errors are shown; no figures for a period not chosen


@member_required(Permission.VIEW_REPORTS)
def campaign_performance(request, pk):
    campaign = own_campaign(request, pk)
    form, period = period_from_request(request, campaign.organization)
    context = {"campaign": campaign, "period_form": form}
    if period is None:
        return render(request, "campaigns/performance.html", context, status=INVALID_PERIOD)
    report = reporting.campaign_report(campaign, period)
    current = report["current"]
    for day in current["days"]:
        day["engagement_percent"] = day["engagement_rate"] * 100
    context.update(report, period_query=urlencode(period.query()),
                   totals=reporting.Figures(current["impressions"], current["actions"]),
                   chart=charts.daily_chart(current["days"]))
    return render(request, "campaigns/performance.html", context)


class Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value):
        return value


def csv_response(filename, header, rows):
    writer = csv.writer(Echo())
    # chain, not [header, *rows]: a list would read every row before the first is sent.
    lines = (writer.writerow(row) for row in itertools.chain([header], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def as_text(cell):
    """A title a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@member_required(Permission.VIEW_REPORTS)
def campaign_performance_csv(request, pk):
    """The campaign's figures per day of the period, as a spreadsheet reads them."""
    campaign = own_campaign(request, pk)
    form, period = period_from_request(request, campaign.organization)
    if period is None:
        return render(request, "campaigns/performance.html",
                      {"campaign": campaign, "period_form": form}, status=INVALID_PERIOD)
    days = reporting.insights.performance(campaign, period.start, period.end)["days"]
    return csv_response(
        f"campaign-{campaign.pk}-{period.start}-{period.end}.csv",
        ["date", "impressions", "control_impressions", "actions", "engagement_rate"],
        ([d["date"].isoformat(), d["impressions"], d["control_impressions"], d["actions"],
          d["engagement_rate"]] for d in days))


# ---- every campaign side by side --------------------------------------------------------

@dataclass(frozen=True)
class ComparedCampaign:
    campaign: Campaign
    badge: StatusBadge
    figures: reporting.Figures
    previous: reporting.Figures
    lift: tuple | None  # (short label, verdict) over the period, with a holdout


def compared_campaigns(organization, period):
    """Every current campaign with its figures now and before (six queries), and the lift
of those with a holdout over the period (one grouped query)."""
    campaigns = list(Campaign.objects.current().filter(organization=organization)
                     .prefetch_related("segments"))
    ids = [c.pk for c in campaigns]
    now = reporting.campaign_figures(ids, period.span(organization))
    before = reporting.campaign_figures(ids,
                                        period.previous().span(organization))
    standing = services.standing(organization)
    lifts = lift_labels(campaigns, period.end, since=period.start)
    rows = [ComparedCampaign(c, status_badge(c, standing), now[c.pk], before[c.pk],
                             lifts.get(c.pk)) for c in campaigns]
    return sorted(rows, key=lambda row: (-row.figures.engagement_rate,
                                         -row.figures.impressions, row.campaign.pk))


@member_required(Permission.VIEW_REPORTS)
def campaign_comparison(request):
    organization = request.actor.organization
    form, period = period_from_request(request, organization)
    context = {"period_form": form}
    if period is None:
        return render(request, "campaigns/compare.html", context, status=INVALID_PERIOD)
    context.update(period=period, previous_period=period.previous(),
                   period_query=urlencode(period.query()),
                   rows=compared_campaigns(organization, period))
    return render(request, "campaigns/compare.html", context)


@member_required(Permission.VIEW_REPORTS)
def campaign_comparison_csv(request):
    organization = request.actor.organization
    form, period = period_from_request(request, organization)
    if period is None:
        return render(request, "campaigns/compare.html", {"period_form": form},
                      status=INVALID_PERIOD)
    rows = compared_campaigns(organization, period)
    return csv_response(
        f"campaigns-{period.start}-{period.end}.csv",
        ["campaign_id", "title", "status", "from", "to", "impressions", "actions",
         "engagement_rate", "previous_impressions", "previous_actions",
         "previous_engagement_rate", "lift"],
        ([r.campaign.pk, as_text(r.campaign.title), r.badge.status, period.start, period.end,
          r.figures.impressions, r.figures.actions, r.figures.engagement_rate,
          r.previous.impressions, r.previous.actions, r.previous.engagement_rate,
          r.lift[1] if r.lift else ""]
         for r in rows))

