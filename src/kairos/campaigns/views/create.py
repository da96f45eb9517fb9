"""Campaign Overview (the catalogue of types), creating a campaign of one type, and the
create form's live conflict check."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.accounts.shop_time import shop_today
from kairos.boundary.rules import parse_id
from kairos.campaigns import services
from kairos.campaigns.forms import (
    CAMPAIGN_ALIASES,
    CampaignCreateForm,
    ConflictCheckForm,
    call_reporting_problems,
)
from kairos.campaigns.models import Campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.campaigns.views.conflicts import conflict_check
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
    """GET shows the form; POST creates, or with "check" only checks conflicts (the way
    the live check works without JavaScript)."""
    campaign_type = CAMPAIGN_TYPES.get(request.GET.get("type", ""))
    if campaign_type is None:
        messages.error(request, _("Choose a campaign type first."))
        return redirect("campaigns:types")
    organization = request.actor.organization
    data = request.POST if request.method == "POST" else None
    form = CampaignCreateForm(data, organization=organization,
                              initial=create_initial(request))
    valid = form.is_bound and form.is_valid()
    if valid and "check" not in request.POST:
        campaign = call_reporting_problems(form, create, request, campaign_type, form,
                                           aliases=CAMPAIGN_ALIASES)
        if campaign:
            announce_created(request, campaign)
            return redirect("campaigns:list")
    context = {"form": form, "campaign_type": campaign_type, "picker": segment_picker(form),
               "new_segment_url": reverse("segments:create"),
               "check_url": reverse("campaigns:create_check"),
               **draft_check(organization, campaign_type, *drafted(form))}
    return render(request, "campaigns/create.html", context)


def drafted(form):
    """(segments, priority) as the form has them now, valid or not, for the check."""
    if form.is_bound:  # and so validated: cleaned_data holds what was valid
        return list(form.cleaned_data.get("segments") or []), form.cleaned_data.get("priority")
    ids = [pk for pk in form.initial.get("segments", []) if str(pk).isdigit()]
    segments = list(form.fields["segments"].queryset.filter(pk__in=ids))
    return segments, None


@member_required(Permission.MANAGE_CAMPAIGNS)
def create_check(request):
    """The conflict check of a campaign being created, as the form's live panel
    (campaigns.js asks as the marketer picks segments and priority)."""
    campaign_type = CAMPAIGN_TYPES.get(request.GET.get("type", ""))
    organization = request.actor.organization
    form = ConflictCheckForm(request.GET, organization=organization)
    valid = form.is_valid()
    if campaign_type is None:
        form.add_error(None, _("Choose a campaign type first."))
    if not valid or campaign_type is None:
        return render(request, "campaigns/conflict_check.html", {"check_form": form},
                      status=422)
    check = draft_check(organization, campaign_type, list(form.cleaned_data["segments"]),
                        form.cleaned_data["priority"])
    return render(request, "campaigns/conflict_check.html", check)


def draft_check(organization, campaign_type, segments, priority):
    """The check of a campaign not yet created (active, from today, every language) and
    the priority suggested for its segments."""
    suggested = services.default_priority(organization, [segment.pk for segment in segments])
    draft = Campaign(organization=organization, type=campaign_type.id, title="",
                     active=True, start_date=shop_today(organization),
                     priority=suggested if priority is None else priority)
    return {"check": conflict_check(draft, segments) if segments else None, "draft": True,
            "suggested_priority": suggested}


def create_initial(request):
    """?segment=<id> (repeatable) preselects segments, e.g. from a segment's page."""
    chosen = [pk for pk in request.GET.getlist("segment") if parse_id(pk)]
    first = (Segment.objects.filter(organization=request.actor.organization, pk=chosen[0])
             .select_related("questionnaire").first() if chosen else None)
    priority = services.default_priority(request.actor.organization, chosen)
    return {"segments": chosen, "title": title_suggestion(first) if first else "",
            "priority": priority}


def create(request, campaign_type, form):
    # start_date None: services starts it today in the shop's time zone; priority None:
    # after the shop's campaigns for the same segments.
    fields = {"type": campaign_type.id, "title": form.cleaned_data["title"],
              "active": form.cleaned_data["active"], "start_date": None,
              "priority": form.cleaned_data["priority"]}
    return services.create_campaign(request.actor.organization, fields, form.segment_ids(),
                                    user=request.user)


def announce_created(request, campaign):
    messages.success(request, _("Created “%(title)s”.") % {"title": campaign.title})
    for segment in campaign.segments.all():
        if not segment.active:
            messages.warning(request, inactive_warning(segment))
    _today, never_shown = services.standing(campaign.organization)
    if campaign.pk in never_shown:
        messages.warning(request, services.never_shown_reason(never_shown[campaign.pk]))
