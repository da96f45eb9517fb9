"""Values in words for people: language names rather than codes, stored ISO dates in the
dashboard's date format, ages in the reader's language.

`{% load kairos_display %}`, then `{{ response.locale|language_name }}`,
`{{ value|as_date }}`, `{{ callback.created_at|age:now }}`.
"""

from django import template
from django.utils.timesince import timesince
from django.utils.translation import ngettext_lazy

from kairos.formats import shown_date
from kairos.languages import NAMES

register = template.Library()

# Django's own Greek catalogue leaves these empty ("1 week", "6 days" on a Greek page):
# the same words, marked here so that Kairos' catalogue carries their Greek.
AGE_UNITS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}


@register.filter
def language_name(code):
    """'el' → 'Greek' (in the dashboard's language); an unknown code stays as it is."""
    return NAMES.get(code, code) if code else ""


@register.filter
def as_date(value):
    """A date, or one stored as ISO text, as "2 Dec 2026"; other values unchanged."""
    return shown_date(value)


@register.filter
def age(value, now=None):
    """How long ago, like Django's timesince, in the reader's language."""
    return timesince(value, now, time_strings=AGE_UNITS)
