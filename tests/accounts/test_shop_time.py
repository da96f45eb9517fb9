"""One place for a shop's day (accounts/shop_time.py) and one for its languages
(kairos/languages.py): everything that counts days or names languages reads them."""

import datetime

from django.conf import settings
from django.test import Client

from kairos.accounts.models import Organization
from kairos.accounts.shop_time import days_span, shop_today
from kairos.campaigns.forms import LANGUAGE_CHOICES
from kairos.languages import CODES
from kairos.questionnaires import reports
from kairos.questionnaires.models import Response
from kairos.questionnaires.schemas import SubmissionIn
from kairos.questionnaires.services import published_version, record_response
from kairos.segments.services import window

UTC = datetime.UTC


def test_the_shops_today_turns_at_its_own_midnight(alice):
    shop = alice.organization  # Europe/Athens, UTC+2 in November
    assert shop_today(shop, datetime.datetime(2026, 11, 27, 21, 59, tzinfo=UTC)) == \
        datetime.date(2026, 11, 27)
    assert shop_today(shop, datetime.datetime(2026, 11, 27, 22, 0, tzinfo=UTC)) == \
        datetime.date(2026, 11, 28)


def test_a_day_is_whole_in_the_shop_even_when_the_clocks_change(alice):
    # Athens leaves summer time on 2026-10-25: that day lasts 25 hours.
    start, end = days_span(alice.organization, datetime.date(2026, 10, 25),
                           datetime.date(2026, 10, 25))
    assert start == datetime.datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
    assert end - start == datetime.timedelta(hours=25)


def test_reports_and_segments_count_a_late_evening_on_its_own_day(alice):
    shop = alice.organization
    version = published_version(shop, "checkout")
    late = datetime.datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 23:30 in Athens
    response = record_response(shop, version, {"answers": {"nps": 3}}, locale="el",
                               submitted_at=late)
    day, next_day = datetime.date(2026, 11, 27), datetime.date(2026, 11, 28)
    on_the_day = reports.filtered_responses(shop, {"from": day, "to": day})
    assert list(on_the_day) == [response]
    assert not reports.filtered_responses(shop, {"from": next_day}).exists()
    assert list(window(shop, day, day)) == [response]
    assert not window(shop, next_day, next_day).exists()
    assert Response.objects.count() == 1


def test_there_is_one_list_of_languages():
    assert {code for code, _name in settings.LANGUAGES} == set(CODES)
    assert {code for code, _name in LANGUAGE_CHOICES} == set(CODES)
    field = Organization._meta.get_field("default_language")
    assert {code for code, _name in field.choices} == set(CODES)
    locale = SubmissionIn.model_json_schema()["properties"]["locale"]
    assert set(locale["anyOf"][0]["enum"]) == set(CODES)


def test_an_unknown_language_is_refused_naming_the_known_ones(alice):
    key = alice.organization.site_keys.get().key
    answer = Client().get(f"/api/public/v1/questionnaires/checkout?site_key={key}&locale=fr")
    assert answer.status_code == 422
    assert answer.json()["detail"] == "locale: must be one of el, en"
