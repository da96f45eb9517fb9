"""A campaign's basic information: edit it, its live preview per language, its coupon
pool, the conflict check, its performance and its audit log."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.campaigns import budget, charts, coupons, insights, services
from kairos.campaigns.audit_log import audit_rows
from kairos.campaigns.forms import (
    CAMPAIGN_ALIASES,
    LOCALE_NAMES,
    LOCALES_SIDE_BY_SIDE,
    CampaignForm,
    call_reporting_problems,
)
from kairos.campaigns.views import own_campaign
from kairos.campaigns.views.conflicts import conflict_check
from kairos.campaigns.views.lift import lift_section
from kairos.campaigns.views.my_campaigns import status_badge
from kairos.campaigns.views.segment_picker import segment_picker
from kairos.errors import Problems

PERFORMANCE_DAYS = 30
SAMPLE_COUPON = "SAMPLE-10"  # what the preview shows where a customer would see their code


# ---- basic information -----------------------------------------------------------------

@member_required(Permission.VIEW_REPORTS)
def campaign_edit(request, pk):
    """GET shows everything (read-only without MANAGE_CAMPAIGNS); POST saves it."""
    campaign = own_campaign(request, pk)
    may_edit = request.actor.can(Permission.MANAGE_CAMPAIGNS)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    if request.method == "POST" and campaign.archived_at:
        messages.error(request, _("An archived campaign cannot be changed; duplicate it to "
                                  "run it again."))
        return redirect("campaigns:edit", pk=pk)
    data = request.POST if request.method == "POST" else None
    editable = may_edit and not campaign.archived_at
    form = CampaignForm(data, campaign=campaign, read_only=not editable)
    if form.is_bound and form.is_valid() and save_changes(request, campaign, form):
        messages.success(request, _("Saved “%(title)s”.") % {"title": campaign.title})
        return redirect("campaigns:edit", pk=campaign.pk)
    if form.is_bound:
        # A refused update leaves the posted values on the instance: show what is stored.
        campaign = own_campaign(request, pk)
    return render(request, "campaigns/edit.html", edit_context(campaign, form, editable))


def first_tab_with_errors(form):
    """The tab a refused form opens on: where its first problem is."""
    if not form.errors:
        return ""
    content = {bound.name for _spec, fields in form.content_fields for bound in fields}
    return "texts" if set(form.errors) <= content else "settings"


def save_changes(request, campaign, form):
    saved = call_reporting_problems(form, services.update_campaign, campaign, form.changes(),
                                    form.segment_ids(), request.user, aliases=CAMPAIGN_ALIASES)
    return saved is not None


@require_POST
@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_coupons(request, pk):
    """Import coupon codes into the campaign's pool: pasted, or a CSV/text file."""
    campaign = own_campaign(request, pk)
    upload = request.FILES.get("file")
    text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
    try:
        codes = coupons.parse_codes(text + "\n" + request.POST.get("codes", ""))
    except Problems as problems:
        messages.error(request, str(problems))
        return redirect("campaigns:edit", pk=pk)
    added = coupons.add_codes(campaign, codes)
    messages.success(request, _("%(added)s new coupon codes added to the pool.")
                     % {"added": added})
    return redirect(f"{reverse('campaigns:edit', args=[pk])}#coupons")


def edit_context(campaign, form, may_edit):
    standing = services.standing(campaign.organization)
    today = standing[0]
    return {
        "pool": coupons.pool_status(campaign) if coupons.uses_pool(campaign) else None,
        "campaign": campaign, "form": form, "may_edit": may_edit,
        "badge": status_badge(campaign, standing),
        "budget": {"set": bool(campaign.organization.contact_budget),
                   "words": budget.describe(campaign.organization.contact_budget),
                   "exempt": budget.is_exempt(campaign)},
        "open_tab": first_tab_with_errors(form),
        "picker": segment_picker(form),
        "previews": previews(campaign),
        "conflicts": None if campaign.archived_at else conflict_check(campaign),
        "performance": performance(campaign, today),
        "lift": lift_section(campaign, today),
        "audit": audit_rows(campaign),
    }


# ---- the live preview ------------------------------------------------------------------

@dataclass(frozen=True)
class Preview:
    locale: str
    language: str
    html: str


def previews(campaign):
    """The campaign as the widget renders it, per language, from the type's render()."""
    template = select_template([f"campaigns/preview_{campaign.type}.html",
                                "campaigns/preview_generic.html"])
    context = preview_context(campaign)
    return [Preview(locale, LOCALE_NAMES[locale], template.render({
        "view": campaign.campaign_type.render(campaign, locale, context),
        "locale": locale, "sample_coupon": context["coupon_code"] or ""}))
        for locale in LOCALES_SIDE_BY_SIDE]


def preview_context(campaign):
    mode = campaign.content.get("coupon_mode")
    code = campaign.content.get("coupon_code") if mode == "single" else None
    return {"coupon_code": (code or SAMPLE_COUPON) if mode in ("single", "pool") else None,
            "impression_id": None, "phone_number": "", "store_id": None}


# ---- performance ------------------------------------------------------------------------

def performance(campaign, today):
    start = today - datetime.timedelta(days=PERFORMANCE_DAYS - 1)
    result = insights.performance(campaign, start, today)
    result["chart"] = charts.daily_chart(result["days"])
    result["period_days"] = PERFORMANCE_DAYS
    result["engagement_percent"] = result["engagement_rate"] * 100
    for day in result["days"]:
        day["engagement_percent"] = day["engagement_rate"] * 100
    return result
