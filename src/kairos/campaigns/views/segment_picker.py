"""The segment picker of the create and basic-information pages: the shop's segments,
the chosen ones, and a warning for each inactive one chosen."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kairos.segments.models import Segment


def segment_url(segment):
    return reverse("segments:edit", args=[segment.pk])


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
