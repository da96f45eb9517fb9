"""The campaigns dashboard: Campaign Overview, create, My campaigns, basic information,
and “why did this customer see…?”.

Views build a context and render it; the rules live in services.py, insights.py and
preview.py, shared with the API.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.accounts.shop_time import shop_today, shop_zone
from kairos.campaigns import charts, coupons, insights, services
from kairos.campaigns.forms import (
    CAMPAIGN_ALIASES,
    LOCALE_NAMES,
    LOCALES_SIDE_BY_SIDE,
    STATUS_LABELS,
    WHY_ALIASES,
    CampaignCreateForm,
    CampaignFilterForm,
    CampaignForm,
    DecisionPreviewForm,
    add_problems,
    call_reporting_problems,
)
from kairos.campaigns.models import Campaign
from kairos.campaigns.preview import preview_decision
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.errors import NotFound, Problems
from kairos.segments.models import Segment

PERFORMANCE_DAYS = 30
SAMPLE_COUPON = "SAMPLE-10"  # what the preview shows where a customer would see their code


def url_or(name, args, fallback):
    """reverse(), or a fixed path while the app that owns the page is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def segment_url(segment):
    return url_or("segments:edit", [segment.pk], f"/dashboard/segments/{segment.pk}/")


def own_campaign(request, pk):
    return get_object_or_404(Campaign.objects.prefetch_related("segments"), pk=pk,
                             organization=request.actor.organization)


# ---- Campaign Overview -----------------------------------------------------------------

@member_required(Permission.MANAGE_CAMPAIGNS)
def campaign_types(request):
    return render(request, "campaigns/types.html", {"types": list(CAMPAIGN_TYPES.values())})


# ---- the segment picker (create and basic information) ---------------------------------

@dataclass(frozen=True)
class SegmentOption:
    segment: Segment
    checked: bool
    suggestion: str  # the title this segment suggests: "Detractors — checkout"
    url: str

    @property
    def warning(self):
        return "" if self.segment.active else inactive_warning(self.segment)


def title_suggestion(segment):
    if not segment.questionnaire_id:
        return segment.name
    return f"{segment.name} — {segment.questionnaire.get_stage_display().lower()}"


def segment_picker(form):
    """The shop's segments with their state, the chosen ones, and warnings for those."""
    bound_field = form["segments"]
    chosen = {str(getattr(value, "pk", value)) for value in bound_field.value() or []}
    options = [SegmentOption(segment, str(segment.pk) in chosen, title_suggestion(segment),
                             segment_url(segment))
               for segment in form.fields["segments"].queryset]
    return {"field": bound_field, "options": options,
            "inactive_chosen": [o for o in options if o.checked and not o.segment.active]}


def inactive_warning(segment):
    return format_html(
        _("This campaign will not be displayed until {segment} is activated."),
        segment=format_html('<a href="{}">{}</a>', segment_url(segment), segment.name))


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
               "new_segment_url": url_or("segments:create", [], "/dashboard/segments/new/")}
    return render(request, "campaigns/create.html", context)


def create_initial(request):
    """?segment=<id> (repeatable) preselects segments, e.g. from a segment's page."""
    chosen = [pk for pk in request.GET.getlist("segment") if pk.isdigit()]
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


# ---- My campaigns ----------------------------------------------------------------------

STATUS_BADGES = {"live": "ok", "scheduled": "info", "silenced": "warn"}
STATUS_HELP = {
    "live": gettext_lazy("Shown to the customers of its segments."),
    "scheduled": gettext_lazy("Active, but its start date has not come yet."),
    "ended": gettext_lazy("Its end date has passed."),
    "inactive": gettext_lazy("Switched off: never shown."),
    "silenced": gettext_lazy("Active, but every segment it targets is inactive: never shown."),
    "archived": gettext_lazy("Archived: never shown again; its results stay."),
}


@dataclass(frozen=True)
class StatusBadge:
    status: str

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def css(self):
        return STATUS_BADGES.get(self.status, "")

    @property
    def help(self):
        return STATUS_HELP[self.status]


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    badge: StatusBadge
    impressions: int
    actions: int

    @property
    def engagement_rate(self):
        return insights.engagement(self.impressions, self.actions)

    @property
    def engagement_percent(self):
        return self.engagement_rate * 100


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
    context = {"filter_form": filter_form,
               "rows": campaign_rows(request.actor.organization, filters)}
    return render(request, "campaigns/list.html", context)


def campaign_rows(organization, filters):
    wanted = filters.get("status") or ""
    campaigns = (Campaign.objects.filter(organization=organization,
                                         archived_at__isnull=wanted != "archived")
                 .prefetch_related("segments"))
    if filters.get("type"):
        campaigns = campaigns.filter(type=filters["type"])
    campaigns = list(campaigns)
    counts = insights.totals(campaigns)  # two queries for the whole page
    today = shop_today(organization)
    rows = [CampaignRow(c, StatusBadge(services.status(c, today)), *counts[c.pk])
            for c in campaigns]
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
    today = shop_today(campaign.organization)
    return {
        "pool": coupons.pool_status(campaign) if coupons.uses_pool(campaign) else None,
        "campaign": campaign, "form": form, "may_edit": may_edit,
        "badge": StatusBadge(services.status(campaign, today)),
        "picker": segment_picker(form),
        "previews": previews(campaign),
        "conflicts": conflict_check(campaign),
        "performance": performance(campaign, today),
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


# ---- conflict check and performance ----------------------------------------------------

CONFLICT_KINDS = {
    "outranked_always": (gettext_lazy("can never win"), "danger"),
    "tie": (gettext_lazy("tie"), "warn"),
    "overlap": (gettext_lazy("overlap"), "warn"),
    "outranks": (gettext_lazy("wins"), "ok"),
}


@dataclass(frozen=True)
class ConflictRow:
    conflict: insights.Conflict
    label: str
    css: str

    @property
    def url(self):
        return reverse("campaigns:edit", args=[self.conflict.other.pk])


def conflict_check(campaign):
    """{"reach", "rows"}; None for an archived campaign, which meets no one any more."""
    if campaign.archived_at:
        return None
    reach, found = insights.conflicts(campaign)
    return {"reach": reach, "rows": [ConflictRow(c, *CONFLICT_KINDS[c.kind]) for c in found]}


def performance(campaign, today):
    start = today - datetime.timedelta(days=PERFORMANCE_DAYS - 1)
    result = insights.performance(campaign, start, today)
    result["chart"] = charts.daily_chart(result["days"])
    result["period_days"] = PERFORMANCE_DAYS
    result["engagement_percent"] = result["engagement_rate"] * 100
    for day in result["days"]:
        day["engagement_percent"] = day["engagement_rate"] * 100
    return result


# ---- the audit log ---------------------------------------------------------------------

FIELD_LABELS = {
    "title": gettext_lazy("Title"), "active": gettext_lazy("Active"),
    "start_date": gettext_lazy("Start date"), "end_date": gettext_lazy("End date"),
    "frequency_cap_minutes": gettext_lazy("Frequency cap"),
    "priority": gettext_lazy("Priority"), "languages": gettext_lazy("Languages"),
    "segment_ids": gettext_lazy("Segments"), "content": gettext_lazy("Content"),
}
AUDIT_ACTIONS = {
    "created": gettext_lazy("created"), "changed": gettext_lazy("changed"),
    "archived": gettext_lazy("archived"), "duplicated": gettext_lazy("duplicated"),
}


@dataclass(frozen=True)
class AuditChange:
    label: str
    before: str
    after: str


@dataclass
class AuditRow:
    entry: object
    action: str
    changes: list = field(default_factory=list)


def audit_rows(campaign):
    entries = list(campaign.audit.select_related("user"))
    names = segment_names(campaign.organization, entries)
    return [AuditRow(e, AUDIT_ACTIONS.get(e.action, e.action),
                     audit_changes(e, names, campaign.campaign_type)) for e in entries]


def segment_names(organization, entries):
    """{segment id: name} for every segment an entry mentions, in one query."""
    ids = {pk for entry in entries for pk in mentioned_segment_ids(entry)}
    return dict(Segment.objects.filter(organization=organization, pk__in=ids)
                .values_list("pk", "name"))


def mentioned_segment_ids(entry):
    value = entry.changes.get("segment_ids")
    if entry.action == "created":
        return value or []
    before, after = value or ([], [])
    return [*(before or []), *(after or [])]


def audit_changes(entry, names, campaign_type):
    """(field, before, after) lines; a creation lists what it was created with."""
    if entry.action == "created":
        pairs = {name: [None, value] for name, value in entry.changes.items()}
        pairs["content"] = [campaign_type.default_content(), entry.changes.get("content", {})]
    else:
        pairs = entry.changes
    lines = []
    for name, (before, after) in pairs.items():
        if name == "content":
            lines += content_changes(before or {}, after or {}, campaign_type)
        else:
            label = FIELD_LABELS.get(name, name)
            lines.append(AuditChange(label, shown(name, before, names),
                                     shown(name, after, names)))
    return lines


def content_changes(before, after, campaign_type):
    labels = {spec.name: spec.label for spec in campaign_type.fields}
    # The type's order, then anything the type no longer has, so nothing is hidden.
    names = [*labels, *sorted((set(before) | set(after)) - set(labels))]
    lines = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if isinstance(old, dict) or isinstance(new, dict):
            for locale in LOCALES_SIDE_BY_SIDE:
                old_text, new_text = in_locale(old, locale), in_locale(new, locale)
                if old_text != new_text:
                    label = f"{labels.get(name, name)} ({LOCALE_NAMES[locale]})"
                    lines.append(AuditChange(label, old_text or "—", new_text or "—"))
        elif old != new:
            lines.append(AuditChange(labels.get(name, name), old or "—", new or "—"))
    return lines


def in_locale(value, locale):
    return value.get(locale, "") if isinstance(value, dict) else (value or "")


def shown(name, value, names):
    """One audited value in words: segment names, “no cap”, “every language”…"""
    if name == "segment_ids" and value is not None:
        return ", ".join(names.get(pk, f"#{pk}") for pk in value) or "—"
    if name == "frequency_cap_minutes" and value is not None:
        return cap_text(value)
    if name == "languages" and value is not None:
        return ", ".join(value) or _("every language")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "—" if value in (None, "") else str(value)


def cap_text(minutes):
    if not minutes:
        return _("no cap")
    parts = services.cap_parts(minutes)
    return _("%(days)s d %(hours)s h %(minutes)s min") % parts


# ---- why did this customer see…? -------------------------------------------------------

OUTCOMES = {
    "chosen": (gettext_lazy("chosen"), "ok"),
    "inactive": (gettext_lazy("inactive"), ""),
    "not_started": (gettext_lazy("not started"), ""),
    "ended": (gettext_lazy("ended"), ""),
    "language": (gettext_lazy("other language"), ""),
    "silenced": (gettext_lazy("silenced"), "warn"),
    "segment_not_matched": (gettext_lazy("segment not matched"), ""),
    "capped": (gettext_lazy("frequency-capped"), "warn"),
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
    return render(request, "campaigns/why.html", {"form": form, "decision": decision})


def explain(form, organization):
    try:
        result = preview_decision(organization, form.body())
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
        result["response_url"] = url_or("questionnaires:response", [result["response_id"]],
                                        f"/dashboard/responses/{result['response_id']}/")
    return result
