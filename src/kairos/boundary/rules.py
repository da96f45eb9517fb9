"""The input rules, as plain functions over parsed values (no web framework here)."""

import datetime
import math
import re

from django.utils.translation import gettext as _

MAX_INTEGER = 2**63 - 1  # what a signed 64-bit column (ids, counts) holds
MAX_JSON_DEPTH = 32
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(text):
    """Why the databases could not store this text and give it back, or None."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("must not contain the NUL character (U+0000)")
    return _("must be valid Unicode text: a lone surrogate (U+%(code)04X) is not a "
             "character") % {"code": ord(found.group())}


def number_problem(number):
    """Why this JSON number is out of range, or None (booleans are not numbers here)."""
    if isinstance(number, bool):
        return None
    if isinstance(number, int):
        if -MAX_INTEGER - 1 <= number <= MAX_INTEGER:
            return None
        return _("must be a whole number between %(low)s and %(high)s") % {
            "low": -MAX_INTEGER - 1, "high": MAX_INTEGER}
    if isinstance(number, float) and not math.isfinite(number):
        return _("must be a finite number")
    return None


def date_problem(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return _("must be a date from %(earliest)s to %(latest)s") % {
        "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}


def problems(value, path=(), depth=1):
    """(path, message) for every part of a value that breaks the rules, walking JSON."""
    if isinstance(value, str):
        message = text_problem(value)
    elif isinstance(value, int | float):
        message = number_problem(value)
    elif isinstance(value, datetime.date):
        message = date_problem(value)
    elif isinstance(value, dict | list | tuple):
        yield from container_problems(value, path, depth)
        return
    else:  # booleans, None, uuids, enums, nested schemas (which check themselves)
        return
    if message:
        yield path, message


def container_problems(container, path, depth):
    if depth > MAX_JSON_DEPTH:
        yield path, too_deep()
        return
    if isinstance(container, dict):
        for key, item in container.items():
            key_problem = text_problem(key) if isinstance(key, str) else None
            if key_problem:
                yield (*path, printable(key)), _("a field name %(problem)s") % {
                    "problem": key_problem}
            else:
                yield from problems(item, (*path, key), depth + 1)
    else:
        for index, item in enumerate(container):
            yield from problems(item, (*path, index), depth + 1)


def within_rules(value, depth=1):
    """Whether nothing in the value breaks the rules: the quick answer, for every request.

    Exact types of parsed JSON are checked inline; anything else (dates, enums, nested
    schemas) takes the walk above. Only a value that fails is walked again, for names.
    """
    kind = type(value)
    if kind is str:
        return "\x00" not in value if value.isascii() else UNSTORABLE.search(value) is None
    if kind is bool or value is None:
        return True
    if kind is int:
        return -MAX_INTEGER - 1 <= value <= MAX_INTEGER
    if kind is float:
        return value - value == 0  # NaN and infinities only give NaN
    if kind is dict:
        return depth <= MAX_JSON_DEPTH and all(
            within_rules(key, depth) and within_rules(item, depth + 1)
            for key, item in value.items())
    if kind is list:
        return depth <= MAX_JSON_DEPTH and all(within_rules(item, depth + 1)
                                               for item in value)
    return next(problems(value, (), depth), None) is None


def printable(text):
    """A refused text as it can be named in an answer (and stored in a log)."""
    return UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", text)


def first_problem(value):
    return next((message for _path, message in problems(value)), None)


def parse_id(text):
    """The id a query string names ("?segment=12"), or None if it names none."""
    if not (text.isascii() and text.isdigit()):  # "²".isdigit() is true as well
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INTEGER else None

def too_deep():
    return _("nests more than %(depth)s levels deep") % {"depth": MAX_JSON_DEPTH}
