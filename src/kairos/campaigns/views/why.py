"""“Why did (or didn't) this customer see that campaign?”: a decision replayed."""

import datetime

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.accounts.shop_time import shop_zone
from kairos.campaigns.forms import WHY_ALIASES, DecisionPreviewForm, add_problems
from kairos.campaigns.preview import preview_decision
from kairos.engine.words import ShopTime
from kairos.errors import NotFound, Problems

OUTCOMES = {
    "chosen": (gettext_lazy("chosen"), "ok"),
    "held_out": (gettext_lazy("held out"), "info"),
    "inactive": (gettext_lazy("inactive"), ""),
    "not_started": (gettext_lazy("not started"), ""),
    "ended": (gettext_lazy("ended"), ""),
    "language": (gettext_lazy("other language"), ""),
    "silenced": (gettext_lazy("silenced"), "warn"),
    "segment_not_matched": (gettext_lazy("segment not matched"), ""),
    "capped": (gettext_lazy("frequency-capped"), "warn"),
    "outside_hours": (gettext_lazy("outside callback hours"), "warn"),
    "at_capacity": (gettext_lazy("call centre at capacity"), "warn"),
    "budget_spent": (gettext_lazy("contact budget spent"), "warn"),
    "outranked": (gettext_lazy("outranked"), "warn"),
}


@member_required(Permission.VIEW_REPORTS)
def why(request):
    organization = request.actor.organization
    asked = any(name in request.GET for name in DecisionPreviewForm.base_fields)
    form = DecisionPreviewForm(request.GET if asked else None, organization=organization)
    # A typed time means the shop's time, whatever the server's zone.
    with timezone.override(shop_zone(organization)):
        decision = explain(form, organization) if asked and form.is_valid() else None
    return render(request, "campaigns/why.html", {"form": form, "decision": decision,
                                                  "found": form.found})


def explain(form, organization):
    try:
        result = preview_decision(organization, form.body(), present=in_dashboard_format)
    except NotFound:
        form.add_error("response", _("There is no such response in this shop."))
        return None
    except Problems as problems:
        add_problems(form, problems.problems, WHY_ALIASES)
        return None
    for row in result["trace"]:
        row["label"], row["css"] = OUTCOMES.get(row["outcome"], (row["outcome"], ""))
        row["url"] = reverse("campaigns:edit", args=[row["campaign_id"]])
    if result["response_id"]:
        result["response_url"] = reverse("questionnaires:response",
                                         args=[result["response_id"]])
    return result


def in_dashboard_format(value):
    """The trace's dates as the dashboard writes dates ("3 Dec 2026, 07:30"), not the
    engine's ISO text."""
    if isinstance(value, ShopTime):
        return f"{date_format(value.local, 'DATETIME_FORMAT')} ({value.zone})"
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return value
