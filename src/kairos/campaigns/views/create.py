"""Campaign Overview (the catalogue of types) and creating a campaign of one type."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.boundary.rules import parse_id
from kairos.campaigns import services
from kairos.campaigns.forms import CAMPAIGN_ALIASES, CampaignCreateForm, call_reporting_problems
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.campaigns.views.segment_picker import (
    inactive_warning,
    segment_picker,
    title_suggestion,
)
from kairos.segments.models import Segment

# ---- Campaign Overview -----------------------------------------------------------------

@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_types(request):
    return render(request, "campaigns/types.html", {"types": list(CAMPAIGN_TYPES.values())})


# ---- create ----------------------------------------------------------------------------

@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_create(request):
    campaign_type = CAMPAIGN_TYPES.get(request.GET.get("type", ""))
    if campaign_type is None:
        messages.error(request, _("Choose a campaign type first."))
        return redirect("campaigns:types")
    data = request.POST if request.method == "POST" else None
    form = CampaignCreateForm(data, organization=request.actor.organization,
                              initial=create_initial(request))
    if form.is_bound and form.is_valid():
        campaign = call_reporting_problems(form, create, request, campaign_type, form,
                                           aliases=CAMPAIGN_ALIASES)
        if campaign:
            announce_created(request, campaign)
            return redirect("campaigns:list")
    context = {"form": form, "campaign_type": campaign_type, "picker": segment_picker(form),
               "new_segment_url": reverse("segments:create")}
    return render(request, "campaigns/create.html", context)


def create_initial(request):
    """?segment=<id> (repeatable) preselects segments, e.g. from a segment's page."""
    chosen = [pk for pk in request.GET.getlist("segment") if parse_id(pk)]
    first = (Segment.objects.filter(organization=request.actor.organization, pk=chosen[0])
             .select_related("questionnaire").first() if chosen else None)
    return {"segments": chosen, "title": title_suggestion(first) if first else ""}


def create(request, campaign_type, form):
    # start_date None: services starts it today in the shop's time zone.
    fields = {"type": campaign_type.id, "title": form.cleaned_data["title"],
              "active": form.cleaned_data["active"], "start_date": None}
    return services.create_campaign(request.actor.organization, fields, form.segment_ids(),
                                    user=request.user)


def announce_created(request, campaign):
    messages.success(request, _("Created “%(title)s”.") % {"title": campaign.title})
    for segment in campaign.segments.all():
        if not segment.active:
            messages.warning(request, inactive_warning(segment))
