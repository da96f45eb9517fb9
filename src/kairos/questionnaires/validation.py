"""Validation and normalisation of submitted answers and metadata.

Plain functions over plain data (the published questionnaire's schema, the payload's
dicts), so the public endpoint, the admin API and the CSV import share one set of rules.
Each problem names its field the way an integrator wrote it: `answers.nps`,
`metadata.responder.phone_number`. Texts keep kairos.boundary's rules; an extra
metadata field keeps the type the shop registered with its first value.
"""

import contextlib
import datetime
import math
import re
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kairos.boundary.rules import text_problem
from kairos.errors import Problems

MAX_TEXT = 2000
# Metadata numbers (amounts, counts): exact in a double, in JavaScript and in every database.
MAX_NUMBER = 10**15
MAX_METADATA_FIELDS = 50
EXTRA_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SCORE_RANGES = {"nps": (0, 10), "rating": (1, 10)}

# Known metadata fields and their types; anything else is an "extra" field typed by value.
KNOWN_FIELDS = {
    "questionnaire": {
        "transaction_id": "text", "transaction_date": "date", "store_id": "text",
        "amount": "number", "products": "list",
    },
    "responder": {
        "email": "text", "phone_number": "text", "name": "text", "customer_id": "text",
        "gender": "text",
    },
}


@dataclass
class CleanSubmission:
    answers: dict
    questionnaire: dict
    responder: dict
    field_types: dict = field(default_factory=dict)  # "responder.vip" -> "boolean"


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---- answers -------------------------------------------------------------------------

def clean_answers(questions, answers, problems):
    by_key = {q["key"]: q for q in questions}
    for key in answers:
        if key not in by_key:
            problems.append((f"answers.{key}", "unknown question key"))
    clean = {}
    for question in questions:
        value = answers.get(question["key"])
        if value is None or value == "" or value == []:
            if question["required"]:
                problems.append((f"answers.{question['key']}", "an answer is required"))
            continue
        cleaned = clean_answer(question, value, problems)
        if cleaned is not None:
            clean[question["key"]] = cleaned
    return clean


def clean_answer(question, value, problems):
    name = f"answers.{question['key']}"
    kind = question["type"]
    if kind in SCORE_RANGES:
        low, high = SCORE_RANGES[kind]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append((name, f"must be a whole number from {low} to {high}"))
            return None
        return value
    if kind == "choice":
        return clean_choice(question, value, name, problems)
    if not isinstance(value, str):
        problems.append((name, "must be text"))
        return None
    if len(value) > MAX_TEXT:
        problems.append((name, f"must be at most {MAX_TEXT} characters"))
        return None
    problem = text_problem(value)
    if problem:
        problems.append((name, problem))
        return None
    return value.strip()


def clean_choice(question, value, name, problems):
    options = {o["key"] for o in question["options"]}
    chosen = value if isinstance(value, list) else [value]
    if not question["multiple"] and isinstance(value, list):
        problems.append((name, "only one option may be chosen"))
        return None
    unknown = [v for v in chosen if not isinstance(v, str) or v not in options]
    if unknown:
        problems.append((name, f"unknown option(s): {', '.join(map(str, unknown))}"))
        return None
    return sorted(set(chosen)) if question["multiple"] else value


# ---- metadata ------------------------------------------------------------------------

def clean_metadata(scope, metadata, country, problems, field_types, registered):
    if len(metadata) > MAX_METADATA_FIELDS:
        problems.append((f"metadata.{scope}", f"at most {MAX_METADATA_FIELDS} fields"))
        return {}
    clean = {}
    for key, value in metadata.items():
        name = f"metadata.{scope}.{key}"
        if value is None or value == "":
            continue
        known = KNOWN_FIELDS[scope].get(key)
        if known is None and not EXTRA_KEY.match(key):
            problems.append((name, "field names are letters, digits and _ (max 64)"))
            continue
        kind = known or registered.get(f"{scope}.{key}") or infer_type(value)
        cleaned = clean_value(scope, key, kind, value, country, name, problems)
        if cleaned is not None:
            clean[key] = cleaned
            field_types[f"{scope}.{key}"] = kind
    return clean


def infer_type(value):
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str) and ISO_DATE.match(value):
        return "date"
    return "text"


# Known fields copied to typed columns of Response must fit them.
MAX_LENGTHS = {"store_id": 100, "transaction_id": 100, "customer_id": 100, "email": 254}


def clean_value(scope, key, kind, value, country, name, problems):
    try:
        if scope == "responder" and key == "email":
            cleaned = normalize_email(value)
        elif scope == "responder" and key == "phone_number":
            cleaned = normalize_phone(value, country)
        else:
            cleaned = CLEANERS[kind](value)
        return fit(key, cleaned)
    except ValueError as error:
        problems.append((name, str(error)))
        return None


def fit(key, value):
    limit = MAX_LENGTHS.get(key)
    if limit and isinstance(value, str) and len(value) > limit:
        raise ValueError(f"must be at most {limit} characters")
    return value


def clean_text(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("must be text")
    value = str(value).strip()
    if len(value) > 1000:
        raise ValueError("must be at most 1000 characters")
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def clean_number(value):
    """A number, or numeric text ("7", "9.5") as the number it writes."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # not numeric text: refused just below
            value = float(value) if "." in value or "e" in value.lower() else int(value)
    if not is_number(value):
        raise ValueError("must be a number")
    # NaN and infinity are not numbers a shop means, and JSON columns refuse them; a
    # number past MAX_NUMBER is not exact everywhere it is read.
    if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ValueError(_("must be a number from %(low)s to %(high)s") % {
            "low": f"-{MAX_NUMBER:,}", "high": f"{MAX_NUMBER:,}"})
    return value


def clean_date(value):
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    raise ValueError("must be a date as YYYY-MM-DD")


def clean_boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # as a CSV cell writes it
    raise ValueError("must be true or false")


def clean_list(value):
    if not isinstance(value, list) or len(value) > 200:
        raise ValueError("must be a list of at most 200 texts")
    return [clean_text(item) for item in value]


CLEANERS = {"text": clean_text, "number": clean_number, "date": clean_date,
            "boolean": clean_boolean, "list": clean_list}


def normalize_email(value):
    email = clean_text(value).lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValueError("not a valid email address") from None
    return email


def normalize_phone(value, country):
    """E.164, with the shop's country as the default region: +306900000000."""
    try:
        number = phonenumbers.parse(clean_text(value), country or None)
    except phonenumbers.NumberParseException:
        raise ValueError("not a valid phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_submission(questions, answers, metadata, country, registered):
    """Raises Problems listing everything wrong; otherwise the cleaned submission.

    `registered`: {"responder.vip": "boolean"} for the extra fields the shop has sent
    before; their values are read as that type (numeric text as a number) or refused.
    """
    problems = []
    field_types = {}
    clean = CleanSubmission(
        answers=clean_answers(questions, answers, problems),
        questionnaire=clean_metadata("questionnaire", metadata.get("questionnaire") or {},
                                     country, problems, field_types, registered),
        responder=clean_metadata("responder", metadata.get("responder") or {},
                                 country, problems, field_types, registered),
        field_types=field_types,
    )
    if problems:
        raise Problems(problems)
    return clean
