"""The segments dashboard: the list, the builder, templates, deletion."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.engine.rules import MAX_DEPTH
from kairos.engine.rules.schema import OPERATORS
from kairos.errors import KairosError
from kairos.questionnaires.labels import METADATA_LABELS
from kairos.segments import services
from kairos.segments.forms import ICON_SUGGESTIONS, SegmentForm
from kairos.segments.models import Segment
from kairos.segments.presets import preset_bodies

SIZE_DAYS = 30


@dataclass(frozen=True)
class SegmentRow:
    segment: Segment
    size: int | None  # None: the rule no longer validates, so it cannot be counted


def own_segment(request, pk):
    return get_object_or_404(Segment, pk=pk, organization=request.actor.organization)


@member_required(Permission.VIEW_REPORTS)
def segment_list(request):
    organization = request.actor.organization
    segments = list(Segment.objects.filter(organization=organization)
                    .select_related("questionnaire"))
    sizes = services.sizes(organization, segments, days=SIZE_DAYS)
    context = {
        "rows": [SegmentRow(segment, sizes.get(segment.pk)) for segment in segments],
        "presets": preset_bodies(),
    }
    return render(request, "segments/list.html", context)


@member_required(Permission.MANAGE_CAMPAIGNS)
@require_POST
def segment_from_template(request):
    """Create a segment from one of the presets and open it in the builder."""
    try:
        segment = services.create_segment_from_preset(
            request.actor.organization, request.POST.get("template", ""), request.user)
    except KairosError as refused:
        messages.error(request, sentence(refused.message))
        return redirect("segments:list")
    messages.success(request, _("Created “%(name)s” from a template. Adjust it if you like.")
                     % {"name": segment.name})
    return redirect("segments:edit", pk=segment.pk)


def sentence(message):
    return f"{message[:1].upper()}{message[1:]}."


@member_required(Permission.VIEW_REPORTS)
def segment_create(request):
    segment = Segment(organization=request.actor.organization, created_by=request.user,
                      conditions=dict(services.EMPTY_RULE))
    return builder(request, segment)


@member_required(Permission.VIEW_REPORTS)
def segment_edit(request, pk):
    return builder(request, own_segment(request, pk))


def builder(request, segment):
    """GET shows the builder (read-only without MANAGE_CAMPAIGNS); POST saves it."""
    may_edit = request.actor.can(Permission.MANAGE_CAMPAIGNS)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    # Read before the form copies the posted values onto the instance.
    was_active = segment.pk is not None and segment.active
    data = request.POST if request.method == "POST" else None
    form = SegmentForm(data, instance=segment, organization=request.actor.organization,
                       read_only=not may_edit)
    if data is not None and form.is_valid():
        segment = save(request, form)
        announce_saved(request, segment, was_active)
        return redirect("segments:edit", pk=segment.pk)
    return render(request, "segments/builder.html", builder_context(form, segment, may_edit))


def save(request, form):
    """The builder's form through the segment services (which check it again)."""
    fields = {name: form.cleaned_data[name] for name in ("name", "icon", "active", "conditions")}
    questionnaire = form.cleaned_data["questionnaire"]
    fields["questionnaire_id"] = questionnaire.pk if questionnaire else None
    if form.instance.pk is None:
        return services.create_segment(request.actor.organization, fields, request.user)
    return services.update_segment(form.instance, fields)


def announce_saved(request, segment, was_active):
    silenced = services.campaigns_silenced_by(segment) if was_active else []
    if silenced:
        messages.warning(request, _(
            "Saved. “%(segment)s” is now inactive, so these live campaigns will not be shown "
            "to anyone until you activate it again: %(campaigns)s."
        ) % {"segment": segment.name, "campaigns": ", ".join(str(c) for c in silenced)})
    elif was_active and not segment.active:
        messages.success(request, _("Saved. “%(segment)s” is now inactive; no live campaign "
                                    "uses it.") % {"segment": segment.name})
    else:
        messages.success(request, _("Saved “%(segment)s”.") % {"segment": segment.name})


def builder_context(form, segment, may_edit):
    return {
        "form": form,
        "segment": segment,
        "may_edit": may_edit,
        "rule_problems": form.rule_problems,
        "problem_paths": [{"path": p.path, "message": p.message} for p in form.rule_problems],
        "builder_text": builder_text(),
        "max_depth": MAX_DEPTH,
        "icon_suggestions": ICON_SUGGESTIONS,
        "size_days": SIZE_DAYS,
        "size": saved_size(segment) if not form.is_bound else "",
        "live_campaigns": services.live_campaigns(segment),
    }


def saved_size(segment):
    """The size sentence of the stored rule, so the page says it even without JavaScript."""
    organization = segment.organization
    if services.rule_problems(organization, segment.conditions):
        return ""
    result = services.preview(organization, segment.conditions, segment.questionnaire_id)
    return size_sentence(result.responses, result.responders, result.total)


def size_sentence(responses, customers, total):
    return _("%(responses)s · %(customers)s in the last %(days)s days (of %(total)s)") % {
        "responses": ngettext("%(n)s response", "%(n)s responses", responses) % {"n": responses},
        "customers": ngettext("%(n)s customer", "%(n)s customers", customers) % {"n": customers},
        "days": SIZE_DAYS, "total": total,
    }


@member_required(Permission.MANAGE_CAMPAIGNS)
def segment_delete(request, pk):
    segment = own_segment(request, pk)
    if request.method == "POST":
        services.delete_segment(segment)
        messages.success(request, _("Deleted “%(segment)s”.") % {"segment": segment.name})
        return redirect("segments:list")
    context = {"segment": segment, "live_campaigns": services.live_campaigns(segment)}
    return render(request, "segments/delete.html", context)


# ---- words the builder shows (segment-builder.js reads them from the page) -------------

OPERATOR_LABELS = {
    "eq": gettext_lazy("equals"), "neq": gettext_lazy("is not"),
    "gt": gettext_lazy("greater than"), "gte": gettext_lazy("at least"),
    "lt": gettext_lazy("less than"), "lte": gettext_lazy("at most"),
    "between": gettext_lazy("between"), "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is not one of"), "contains": gettext_lazy("contains"),
    "not_contains": gettext_lazy("does not contain"),
    "starts_with": gettext_lazy("starts with"), "ends_with": gettext_lazy("ends with"),
    "regex": gettext_lazy("matches the pattern"),
    "within_last_days": gettext_lazy("within the last N days"),
    "more_than_days_ago": gettext_lazy("more than N days ago"),
    "empty": gettext_lazy("is empty"), "not_empty": gettext_lazy("is not empty"),
}
# Where a type reads better with its own words ("before" a date, not "less than").
OPERATOR_LABELS_BY_TYPE = {
    "date": {"eq": gettext_lazy("is on"), "neq": gettext_lazy("is not on"),
             "gt": gettext_lazy("after"), "gte": gettext_lazy("on or after"),
             "lt": gettext_lazy("before"), "lte": gettext_lazy("on or before")},
    "list": {"contains": gettext_lazy("includes"),
             "not_contains": gettext_lazy("does not include"),
             "in": gettext_lazy("includes one of"),
             "not_in": gettext_lazy("includes none of")},
}
FIELD_GROUP_LABELS = {
    "answers": gettext_lazy("Answers"), "questionnaire": gettext_lazy("Order"),
    "responder": gettext_lazy("Customer"),
}


def as_text(labels):
    return {key: str(value) for key, value in labels.items()}


def builder_text():
    """Every word segment-builder.js puts on screen, translated here (gettext)."""
    return {
        "operators": as_text(OPERATOR_LABELS),
        "operators_by_type": {kind: as_text(labels)
                              for kind, labels in OPERATOR_LABELS_BY_TYPE.items()},
        "field_groups": as_text(FIELD_GROUP_LABELS),
        "field_labels": as_text(METADATA_LABELS),
        "unknown_field": _("%(field)s (not a field of this shop)"),
        "match": _("Match"), "all_of": _("all of"), "any_of": _("any of"),
        "the_following": _("the following"), "and": _("and"), "or": _("or"),
        "root": _("Conditions"), "group": _("Group %(n)s"), "condition": _("Condition %(n)s"),
        "field": _("Field"), "operator": _("Operator"), "value": _("Value"),
        "value_to": _("and"), "days": _("days"), "yes": _("yes"), "no": _("no"),
        "list_hint": _("Separate values with commas, e.g. athens, patra"),
        "pattern_hint": _("A regular expression, e.g. (?i)late|delay or ^[0-9]{5}$ "
                          "((?i) ignores upper and lower case)"),
        "value_kinds": {name: operator.value for name, operator in OPERATORS.items()},
        "add_condition": _("Add condition"), "add_group": _("Add group"),
        "remove": _("Remove"), "remove_condition": _("Remove condition %(n)s"),
        "remove_group": _("Remove group %(n)s"),
        "empty_all": _("No conditions yet: every response matches."),
        "empty_any": _("Add a condition: an “any of” group without conditions matches no "
                       "one and cannot be saved."),
        "problem_in": {"field": _("The field"), "op": _("The operator"),
                       "value": _("The value"), "node": ""},
        "counting": _("Counting…"),
        "size": _("%(responses)s · %(customers)s in the last %(days)s days (of %(total)s)"),
        "responses": [ngettext("%(n)s response", "%(n)s responses", n) for n in (1, 2)],
        "customers": [ngettext("%(n)s customer", "%(n)s customers", n) for n in (1, 2)],
        "days_count": SIZE_DAYS,
        "cannot_count": _("The size can be counted once the problems marked below are fixed."),
        "unavailable": _("The size cannot be counted right now."),
        "fields_failed": _("The builder could not load this shop's fields; edit the "
                           "conditions as JSON below."),
        "unreadable": _("The builder cannot show these conditions; edit them as JSON below."),
    }
