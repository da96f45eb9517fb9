"""One date format in both languages: the day, the month in letters, the year ("1 Dec 2026",
"1 Δεκ 2026"), never 12/01/2026, which reads as 12 January in Greece. Templates keep
naming Django's formats (SHORT_DATE_FORMAT, DATETIME_FORMAT...); these modules decide
what they look like (settings.FORMAT_MODULE_PATH)."""

DATE = "j M Y"
DATETIME = "j M Y, H:i"
