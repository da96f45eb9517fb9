"""Home and the callbacks report: pages that build their figures' context and render it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from kairos.accounts.membership import member_required
from kairos.accounts.periods import period_from_request
from kairos.accounts.roles import Permission
from kairos.reports import charts
from kairos.reports.closing_the_loop import closing_the_loop
from kairos.reports.home import home_figures

INVALID_PERIOD = 400  # the picker's errors are shown; no figures for a period not chosen


@dataclass(frozen=True)
class Change:
    """A figure beside the same figure of the period before."""

    now: float | None
    before: float | None

    @property
    def delta(self):
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def direction(self):
        delta = self.delta
        return "" if not delta else ("up" if delta > 0 else "down")


@member_required()
def home(request):
    """Where the shop stands; an agent, who works the queue, lands on the queue."""
    actor = request.actor
    if not actor.can(Permission.VIEW_REPORTS):
        if actor.can(Permission.WORK_CALLBACKS):
            return redirect("callbacks:list")
        raise PermissionDenied
    organization = actor.organization
    form, period = period_from_request(request, organization)
    context = {"period_form": form, "site_key": organization.site_keys.filter(
        active=True).order_by("id").first()}
    if period is None:
        return render(request, "reports/home.html", context, status=INVALID_PERIOD)
    figures = home_figures(organization, period)
    context.update(figures, **comparisons(figures), period_query=urlencode(period.query()),
                   nps_chart=charts.nps_chart(figures["trend"], figures["trend_unit"]))
    return render(request, "reports/home.html", context)


def comparisons(figures):
    now, before = figures["summary"], figures["previous_summary"]
    loop, loop_before = figures["closing_the_loop"], figures["previous_closing_the_loop"]
    return {"responses_change": Change(now.responses, before.responses),
            "nps_change": Change(now.nps, before.nps),
            "in_time_change": Change(loop.in_time.percent, loop_before.in_time.percent)}


@member_required(Permission.VIEW_REPORTS)
def callbacks_report(request):
    """The closing-the-loop figures for a period, beside the period before."""
    organization = request.actor.organization
    form, period = period_from_request(request, organization)
    context = {"period_form": form}
    if period is None:
        return render(request, "reports/callbacks.html", context, status=INVALID_PERIOD)
    previous = period.previous()
    context.update(
        period=period, period_query=urlencode(period.query()), previous_period=previous,
        closing_the_loop=closing_the_loop(organization, period.span(organization)),
        previous_closing_the_loop=closing_the_loop(organization,
                                                   previous.span(organization)))
    return render(request, "reports/callbacks.html", context)
