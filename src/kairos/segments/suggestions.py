"""The values a text or list field actually has in a shop's recent responses.

The builder offers them while a value is typed, and says when a typed value matches no
one, with the known values nearest to it. Values are grouped as text comparisons see
them (kairos.engine.rules.text.normalise: "Athens", "ATHENS" and "athens " are one
value), each shown as its most frequent spelling. Only the latest RECENT_RESPONSES
responses are read, through the (organization, submitted_at) index, so the cost does
not grow with the shop's history.
"""

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kairos.engine.rules.text import normalise
from kairos.errors import Problems
from kairos.questionnaires.models import Response
from kairos.segments.fields import field_types
from kairos.segments.query import Field

RECENT_RESPONSES = 20_000
SUGGESTED_TYPES = ("text", "list")
NEAR_VALUES = 3
NEAR_CUTOFF = 0.6


@dataclass(frozen=True)
class KnownValue:
    value: str  # the most frequent spelling of the value
    count: int  # recent responses that have it


@dataclass(frozen=True)
class KnownValues:
    responses: int  # how many recent responses were read
    values: list[KnownValue]  # those containing the typed text, most frequent first
    matches: int  # recent responses whose value equals the typed text (as rules compare)
    near: list[KnownValue]  # when nothing matches: the known values nearest to it


def known_values(organization, path, typed="", limit=10):
    """The field's recent values that contain `typed`; raises Problems for a field of
    another type or not of this shop."""
    counts, spellings, responses = recent_values(organization, path)
    wanted = normalise(typed)
    ranked = sorted(counts, key=lambda value: (-counts[value], value))
    shown = [value for value in ranked if wanted in value][:limit]
    matches = counts.get(wanted, 0) if wanted else 0
    near = []
    if wanted and not matches:
        near = difflib.get_close_matches(wanted, ranked, n=NEAR_VALUES, cutoff=NEAR_CUTOFF)

    def known(value):
        return KnownValue(spellings[value].most_common(1)[0][0], counts[value])

    return KnownValues(responses, [known(v) for v in shown], matches, [known(v) for v in near])


def recent_values(organization, path):
    """(responses per normal form, spellings per normal form, responses read)."""
    field_type = field_types(organization).get(path)
    if field_type is None:
        raise Problems([("field", _("this shop has no such field"))])
    if field_type not in SUGGESTED_TYPES:
        raise Problems([("field", _("known values are offered for text and list fields only"))])
    recent = (Response.objects.filter(organization=organization).order_by("-submitted_at")
              .annotate(field_value=Field(path, field_type).expression)
              .values_list("field_value", flat=True)[:RECENT_RESPONSES])
    counts, spellings, responses = Counter(), defaultdict(Counter), 0
    for stored in recent:
        responses += 1
        values = set()  # a response counts once per value, even if a list repeats it
        for text in texts_of(stored):
            value = normalise(text)
            if value:
                spellings[value][text.strip()] += 1
                values.add(value)
        counts.update(values)
    return counts, spellings, responses


def texts_of(stored):
    """The texts of one response's value: itself, or a list's text elements."""
    if isinstance(stored, str):
        return [stored]
    if isinstance(stored, list):
        return [item for item in stored if isinstance(item, str)]
    return []
