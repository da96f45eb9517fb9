"""The countries and time zones a shop picks from, named in the user's language.

Country names come from phonenumbers' region data (already a dependency, names in many
languages), so no second copy of the world's names lives in this project. Time zones
are the IANA zones of the tzdata Kairos ships, grouped by their region.
"""

import functools
import unicodedata
import zoneinfo

from phonenumbers import SUPPORTED_REGIONS
from phonenumbers.geodata.locale import LOCALE_DATA

# Canonical zones only: no "US/Eastern", "Etc/GMT+3" or "posixrules" aliases.
ZONE_REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic",
                "Australia", "Europe", "Indian", "Pacific")


# Countries and territories younger than phonenumbers' Greek names: theirs, so that a
# Greek list is Greek throughout.
MISSING_NAMES = {"el": {
    "BL": "Άγιος Βαρθολομαίος", "BQ": "Ολλανδία Καραϊβικής", "CW": "Κουρασάο",
    "GG": "Γκέρνζι", "IM": "Νήσος του Μαν", "JE": "Τζέρζι", "ME": "Μαυροβούνιο",
    "MF": "Άγιος Μαρτίνος (Γαλλικό τμήμα)", "RS": "Σερβία", "SS": "Νότιο Σουδάν",
    "SX": "Άγιος Μαρτίνος (Ολλανδικό τμήμα)",
}}


def country_name(code, language):
    """The country's name in `language` (English when that language has none)."""
    names = {**LOCALE_DATA.get(code, {}), **{
        lang: table[code] for lang, table in MISSING_NAMES.items() if code in table}}
    for wanted in (language, "en"):
        name = names.get(wanted, "")
        if name.startswith("*"):  # "*en": the name is held under that other language
            name = names.get(name[1:], "")
        if name:
            return name
    return code


def is_country(code):
    return code in countries()


@functools.cache
def countries():
    """ISO 3166 codes of the countries and territories phone numbers are known for (and
    have a name: not AC or TA, which phone numbering has but ISO 3166 does not)."""
    return frozenset(code for code in SUPPORTED_REGIONS
                     if code.isalpha() and len(code) == 2 and country_name(code, "en") != code)


def country_choices(language):
    """[(code, name)], sorted by name as its reader would look it up (accents aside)."""
    named = [(code, country_name(code, language)) for code in countries()]
    return sorted(named, key=lambda choice: sort_key(choice[1]))


def sort_key(name):
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


@functools.cache
def time_zones():
    return sorted(zone for zone in zoneinfo.available_timezones()
                  if zone.split("/", 1)[0] in ZONE_REGIONS and "/" in zone)


def time_zone_choices(current=None):
    """Grouped by region for a <select>, with UTC first; a valid zone the shop already
    has keeps its place even if it is an alias."""
    groups = {}
    for zone in time_zones():
        region, place = zone.split("/", 1)
        groups.setdefault(region, []).append((zone, place.replace("_", " ")))
    choices = [("UTC", "UTC"), *groups.items()]
    if current and current != "UTC" and current not in time_zones():
        choices.insert(0, (current, current))
    return choices
