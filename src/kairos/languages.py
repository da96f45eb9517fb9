"""The languages Kairos speaks: one list for the dashboard, shops, campaigns, the widget's
API and imports. Adding a language starts here (and in locale/ and widget.js)."""

from typing import Literal

from django.utils.translation import gettext_lazy as _

CODES = ("el", "en")
# English first where both are shown: a marketer usually writes it, then translates.
SIDE_BY_SIDE = ("en", "el")
NATIVE_NAMES = {"en": "English", "el": "Ελληνικά"}  # for pickers that switch language
NAMES = {"en": _("English"), "el": _("Greek")}  # in the dashboard's language
CHOICES = [(code, NAMES[code]) for code in SIDE_BY_SIDE]
NATIVE_CHOICES = [(code, NATIVE_NAMES[code]) for code in SIDE_BY_SIDE]

Locale = Literal[CODES]  # a request's language, as the APIs' schemas type it


def native_choices():
    """Organization.default_language's choices (a callable: no migration per language)."""
    return NATIVE_CHOICES
