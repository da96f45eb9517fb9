"""One date format in both languages: the day, the month in letters, the year ("1 Dec 2026",
"1 Δεκ 2026"), never 12/01/2026, which reads as 12 January in Greece. Templates keep
naming Django's formats (SHORT_DATE_FORMAT, DATETIME_FORMAT...); these modules decide
what they look like (settings.FORMAT_MODULE_PATH)."""

DATE = "j M Y"
DATETIME = "j M Y, H:i"


def shown_date(value):
    """A date or datetime, or one stored as ISO text (metadata, audit logs), in these
    formats ("2 Dec 2026"); anything that is not a date is returned unchanged."""
    import datetime

    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.formats import date_format

    if isinstance(value, str):
        try:
            value = parse_date(value) or parse_datetime(value) or value
        except ValueError:  # shaped like a date but not one (2026-02-31)
            return value
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return value
