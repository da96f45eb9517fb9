"""A stored response as the flat mapping the engine's predicates read."""

import datetime
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_date(value):
    """ISO text to a date, as the SQL side reads it; anything else stays (a wrong type)."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def response_values(answers, questionnaire_metadata, responder_metadata, field_types):
    """{"answers.nps": 3, "questionnaire.transaction_date": date(...), ...}."""
    values = {}
    for scope, data in (("answers", answers), ("questionnaire", questionnaire_metadata),
                        ("responder", responder_metadata)):
        for key, value in data.items():
            path = f"{scope}.{key}"
            values[path] = as_date(value) if field_types.get(path) == "date" else value
    return values
