"""One unambiguous date format, in both languages: "1 Dec 2026", "1 Δεκ 2026" (never
12/01/2026, which a Greek reads as 12 January)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

DECEMBER_FIRST = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=datetime.UTC)
FILTERS = ['date', 'date:"DATE_FORMAT"', 'date:"SHORT_DATE_FORMAT"']
TIME_FILTERS = ['date:"DATETIME_FORMAT"', 'date:"SHORT_DATETIME_FORMAT"']


@pytest.mark.parametrize(("language", "day", "moment"), [
    ("en", "1 Dec 2026", "1 Dec 2026, 16:05"), ("el", "1 Δεκ 2026", "1 Δεκ 2026, 16:05")])
def test_every_named_format_says_the_day_the_month_in_letters_and_the_year(language, day,
                                                                            moment):
    with translation.override(language):
        for name in FILTERS:
            assert rendered(name) == day, name
        for name in TIME_FILTERS:
            assert rendered(name) == moment, name  # in Athens, 24-hour clock


def rendered(date_filter):
    template = Template("{% load tz %}{% timezone 'Europe/Athens' %}{{ at|" + date_filter
                       + " }}{% endtimezone %}")
    return template.render(Context({"at": DECEMBER_FIRST}))


def test_no_template_spells_out_a_numeric_date_of_its_own():
    from pathlib import Path

    import kairos
    root = Path(kairos.__file__).parent
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for numeric in ('date:"d/m', 'date:"m/d', 'date:"Y-m-d', 'date:"n/j'):
            assert numeric not in text, template
