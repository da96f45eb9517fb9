"""Segments as the rest of Kairos uses them: validated, sized, compiled."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kairos.engine.rules import compile_rule, explain, validate
from kairos.questionnaires.models import Response
from kairos.segments.fields import field_types
from kairos.segments.query import rule_to_q

EMPTY_RULE = {"all": []}
SAMPLE_SIZE = 5


def shop_today(organization, now=None):
    tz = zoneinfo.ZoneInfo(organization.time_zone)
    return (now or timezone.now()).astimezone(tz).date()


def rule_problems(organization, conditions, catalog=None):
    """[(path, message)] for the rule against this shop's fields; empty when valid."""
    catalog = catalog if catalog is not None else field_types(organization)
    return [(p.path, p.message) for p in validate(conditions or EMPTY_RULE, catalog)]


def segment_filter(conditions, questionnaire_id, catalog, today):
    q = rule_to_q(conditions or EMPTY_RULE, catalog, today)
    if questionnaire_id:
        q &= Q(questionnaire_version__questionnaire_id=questionnaire_id)
    return q


def window(organization, date_from, date_to):
    """Responses submitted from 00:00 of date_from to the end of date_to, shop time."""
    tz = zoneinfo.ZoneInfo(organization.time_zone)
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min,
                                    tzinfo=tz)
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
