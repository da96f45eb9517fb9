"""A system check for operators: saved segments whose rules no longer validate.

Such a segment (a pattern saved before the rule dialect, a field a shop no longer has)
matches no one until it is fixed; the shop sees it marked "needs fixing". Rewriting it
in a data migration could silently widen a campaign's audience, so it is left to the
shop, and this check tells the operator, after `kairos migrate` or with
`kairos check --database default`, how many there are and where.
"""

from django.core import checks
from django.db import DatabaseError

from kairos.segments import services
from kairos.segments.fields import field_types
from kairos.segments.models import Segment


@checks.register(checks.Tags.database)
def segments_that_match_no_one(databases=None, **kwargs):
    if not databases:
        return []
    try:
        segments = list(Segment.objects.select_related("organization").order_by("pk"))
    except DatabaseError:  # not migrated yet: nothing saved to check
        return []
    catalogs = {}
    return [warning for segment in segments for warning in _warnings(segment, catalogs)]


def _warnings(segment, catalogs):
    organization = segment.organization
    if organization.pk not in catalogs:
        catalogs[organization.pk] = field_types(organization)
    problems = services.rule_problems(organization, segment.conditions,
                                      catalogs[organization.pk])
    if not problems:
        return []
    reasons = "; ".join(f"{path or 'rule'}: {message}" for path, message in problems)
    return [checks.Warning(
        f"Segment {segment.pk} “{segment.name}” of the shop “{organization.name}” matches "
        f"no one until its conditions are fixed: {reasons}",
        hint="The shop sees it marked “needs fixing” on its Segments page.",
        obj=segment, id="kairos.segments.W001",
    )]
