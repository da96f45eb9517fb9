"""Segments as the rest of Kairos uses them: written, validated, sized, compiled.

Each write is one use case here, shared by the dashboard and the API.
"""

import copy
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import days_span, shop_today
from kairos.engine.rules import compile_rule, explain, validate
from kairos.errors import NotFound, Problems
from kairos.questionnaires.models import Questionnaire, Response
from kairos.segments.fields import field_types
from kairos.segments.models import Segment
from kairos.segments.presets import PRESETS
from kairos.segments.query import MATCH_NONE, rule_to_q

EMPTY_RULE = {"all": []}
SAMPLE_SIZE = 5


def rule_problems(organization, conditions, catalog=None):
    """[(path, message)] for the rule against this shop's fields; empty when valid.
    Messages are in the active language where the engine offers a translation."""
    catalog = catalog if catalog is not None else field_types(organization)
    return [(p.path, translated(p)) for p in validate(conditions or EMPTY_RULE, catalog)]


def translated(problem):
    return _(problem.template) % problem.params if problem.template else problem.message


def conditions_path(path):
    """A rule problem's path as a field of a segment: "conditions.any[1].value"."""
    return f"conditions{'.' + path if path else ''}"


def check_rule(organization, conditions):
    """Problems naming each part of the rule that does not fit this shop's fields."""
    problems = rule_problems(organization, conditions)
    if problems:
        raise Problems((conditions_path(path), message) for path, message in problems)


def check_questionnaire(organization, questionnaire_id):
    if questionnaire_id is not None and not Questionnaire.objects.filter(
            pk=questionnaire_id, organization=organization).exists():
        raise Problems([("questionnaire_id", _("no such questionnaire in this shop"))])


def check_fields(organization, fields):
    """The given fields of a segment about to be saved (only those given)."""
    if "conditions" in fields:
        check_rule(organization, fields["conditions"])
    check_questionnaire(organization, fields.get("questionnaire_id"))


# ---- writing segments ------------------------------------------------------------------

def create_segment(organization, fields, user=None):
    """A new segment: name, icon, questionnaire_id, conditions, active (raises Problems)."""
    check_fields(organization, fields)
    return Segment.objects.create(organization=organization, created_by=user, **fields)


def update_segment(segment, changes):
    """Apply only the given fields (raises Problems)."""
    check_fields(segment.organization, changes)
    for name, value in changes.items():
        setattr(segment, name, value)
    segment.save()
    return segment


def delete_segment(segment):
    segment.delete()


def create_segment_from_preset(organization, key, user=None):
    """One of the ready-made segments, as this shop's own (raises NotFound, Problems)."""
    preset = PRESETS.get(key)
    if preset is None:
        raise NotFound("template", _("there is no such template"))
    if rule_problems(organization, preset["conditions"]):
        # A preset reads answers.nps or answers.rating; a shop may have removed them.
        raise Problems([("template", _("this template needs a question your questionnaires "
                                       "do not have (nps or rating)"))])
    fields = {"name": distinct_name(organization, str(preset["name"])), "icon": preset["icon"],
              "active": True, "conditions": copy.deepcopy(preset["conditions"])}
    return create_segment(organization, fields, user)


def distinct_name(organization, name):
    """The name, or "name (2)", "name (3)"… when the shop already has a segment of it:
    a template used twice must not give two segments nobody can tell apart."""
    taken = set(Segment.objects.filter(organization=organization, name__startswith=name)
                .values_list("name", flat=True))
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


# ---- reading segments ------------------------------------------------------------------

def segment_filter(conditions, questionnaire_id, catalog, today):
    rule = conditions or EMPTY_RULE
    if validate(rule, catalog):
        # A saved rule that no longer validates (a field gone, a pattern outside today's
        # dialect) matches no one, as in the engine, rather than breaking every page
        # that counts it; the segment shows its problems where it is edited.
        return MATCH_NONE
    q = rule_to_q(rule, catalog, today)
    if questionnaire_id:
        q &= Q(questionnaire_version__questionnaire_id=questionnaire_id)
    return q


def window(organization, date_from, date_to):
    """Responses submitted from 00:00 of date_from to the end of date_to, shop time."""
    start, end = days_span(organization, date_from, date_to)
    return Response.objects.filter(organization=organization, submitted_at__gte=start,
                                   submitted_at__lt=end)


@dataclass
class Preview:
    responses: int
    responders: int
    total: int
    sample: list


def preview(organization, conditions, questionnaire_id=None, date_from=None, date_to=None):
    """How many responses (and distinct customers) match in the range, with a sample."""
    today = shop_today(organization)
    date_to = date_to or today
    date_from = date_from or date_to - datetime.timedelta(days=29)
    catalog = field_types(organization)
    in_range = window(organization, date_from, date_to)
    matching = in_range.filter(segment_filter(conditions, questionnaire_id, catalog, today))
    counts = matching.aggregate(
        responses=Count("pk"), responders=Count("responder_key", distinct=True))
    sample = list(matching.order_by("-submitted_at")[:SAMPLE_SIZE])
    return Preview(counts["responses"], counts["responders"], in_range.count(), sample)


def sizes(organization, segments, days=30):
    """{segment id: matching responses in the last `days`}, in one scan for all segments."""
    today = shop_today(organization)
    catalog = field_types(organization)
    in_range = window(organization, today - datetime.timedelta(days=days - 1), today)
    counts = {
        f"segment_{s.pk}": Count("pk", filter=segment_filter(
            s.conditions, s.questionnaire_id, catalog, today))
        for s in segments if not rule_problems(organization, s.conditions, catalog)
    }
    if not counts:
        return {}
    totals = in_range.aggregate(**counts)
    return {int(key.removeprefix("segment_")): value for key, value in totals.items()}


def compiled_matcher(segment, catalog):
    """(matches, explain) callables over a response's values, for the decision engine."""
    rule = segment.conditions or EMPTY_RULE
    predicate = compile_rule(rule, catalog)
    stage = segment.stage

    def matches(values, today):
        if stage and values.get("stage") != stage:
            return False
        return predicate(values, today)

    def reasons(values, today):
        if stage and values.get("stage") != stage:
            return [f"answers another questionnaire (segment targets {stage})"]
        return explain(rule, values, today, catalog)

    return matches, reasons


def live_campaigns(segment):
    """The active, unarchived campaigns that target this segment."""
    if segment.pk is None:
        return []
    return list(segment.campaigns.filter(active=True, archived_at__isnull=True)
                .prefetch_related("segments").order_by("priority", "created_at", "id"))


def campaigns_silenced_by(segment):
    """Live campaigns that show nothing because this inactive segment was their last
    active one (a campaign with another active segment still reaches those customers)."""
    if segment.active:
        return []
    return [c for c in live_campaigns(segment) if not any(s.active for s in c.segments.all())]
