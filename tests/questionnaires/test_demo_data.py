"""The demo shop's sample responses: realistic, valid, and never piled up twice."""

import datetime
import re
import zoneinfo
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from kairos.accounts.models import Organization
from kairos.demo import DEMO_SHOP_NAME
from kairos.questionnaires.demo_data import seed_demo_responses
from kairos.questionnaires.models import Response

COUNT = 600
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")  # the fixtures' shops


@pytest.fixture
def seeded(alice):
    result = seed_demo_responses(alice.organization, count=COUNT, days=90, seed=7)
    return result, Response.objects.filter(organization=alice.organization)


def test_it_creates_the_requested_number_across_both_stages(seeded):
    result, responses = seeded
    assert (result.created, result.total) == (COUNT, COUNT)
    assert responses.count() == COUNT
    stages = Counter(responses.values_list("stage", flat=True))
    assert set(stages) == {"checkout", "after_sales"} and stages["checkout"] > stages[
        "after_sales"]


def test_the_nps_mix_is_realistic(seeded):
    _result, responses = seeded
    scores = list(responses.values_list("nps", flat=True))
    promoters = sum(score >= 9 for score in scores) / len(scores)
    detractors = sum(score <= 6 for score in scores) / len(scores)
    assert 0.40 <= promoters <= 0.70 and 0.10 <= detractors <= 0.30


def test_ratings_follow_nps(seeded):
    _result, responses = seeded
    pairs = responses.exclude(rating=None).values_list("nps", "rating")
    assert all(rating >= 8 for nps, rating in pairs if nps >= 9)
    assert all(rating <= 6 for nps, rating in pairs if nps <= 6)


def test_responses_are_spread_over_the_last_days_in_greek_and_english(seeded):
    _result, responses = seeded
    now = timezone.now()
    moments = list(responses.values_list("submitted_at", flat=True))
    assert all(now - datetime.timedelta(days=91) <= moment <= now for moment in moments)
    assert (now - min(moments)).days >= 60
    locales = Counter(responses.values_list("locale", flat=True))
    assert 0.55 <= locales["el"] / COUNT <= 0.85 and locales["en"] > 0


def test_metadata_is_normalised_and_consistent(seeded):
    _result, responses = seeded
    for response in responses:
        assert response.phone_number is None or re.fullmatch(r"\+3069\d{8}",
                                                             response.phone_number)
        assert response.email is None or response.email == response.email.lower()
        assert 10 <= response.amount <= 400
        assert response.transaction_date == response.submitted_at.astimezone(ATHENS).date()
        assert response.store_id in {"athens", "thessaloniki", "patra", "heraklion", "online"}
    names = " ".join(responses.values_list("responder_metadata__name", flat=True))
    assert re.search("[α-ωΑ-Ω]", names) and re.search("[A-Za-z]", names)
    assert responses.exclude(answers__comment=None).exists()


def test_some_customers_come_back(seeded):
    _result, responses = seeded
    returning = (responses.exclude(email=None).values("email").annotate(n=Count("id"))
                 .filter(n__gte=3))
    assert returning.count() >= 5


def test_it_only_tops_up(seeded, alice):
    again = seed_demo_responses(alice.organization, count=COUNT, seed=7)
    assert (again.created, again.total) == (0, COUNT)
    bigger = seed_demo_responses(alice.organization, count=COUNT + 50, seed=7)
    assert (bigger.created, bigger.total) == (50, COUNT + 50)
    assert Response.objects.filter(organization=alice.organization).count() == COUNT + 50


def test_the_demo_command_seeds_once(db, capsys):
    call_command("demo", site_url="http://127.0.0.1:8000")
    shop = Organization.objects.get(name=DEMO_SHOP_NAME)
    first = shop.responses.count()
    call_command("demo", site_url="http://127.0.0.1:8000")
    # 3,000 samples, then the later orders of the campaign with a holdout (its lift).
    assert first == shop.responses.count() > 3000
    output = capsys.readouterr().out
    assert "3,000 sample responses (3,000 added now)" in output
    assert f"{first:,} sample responses (0 added now)" in output
