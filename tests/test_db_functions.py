"""kairos.db.functions compute in the database what Django would compute per row in
Python, with the same result on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db.models import F

from kairos.accounts.models import Organization
from kairos.db.functions import SecondsBetween

UTC = datetime.UTC
START = datetime.datetime(2026, 10, 24, 23, 59, 59, 250_000, tzinfo=UTC)
LATER = [
    START + datetime.timedelta(milliseconds=500),  # under a second
    START + datetime.timedelta(hours=26, minutes=3, seconds=7),  # over a night
    # across the end of summer time in Athens (25 October 2026, 04:00 → 03:00 local)
    START + datetime.timedelta(days=2, hours=5, milliseconds=125),
    START - datetime.timedelta(minutes=90),  # before: negative
]


@pytest.mark.django_db
def test_seconds_between_two_datetimes_to_the_millisecond():
    shop = Organization.objects.create(name="Clock", time_zone="Europe/Athens")
    found = []
    for later in LATER:
        Organization.objects.filter(pk=shop.pk).update(created_at=START)
        seconds = (Organization.objects.filter(pk=shop.pk)
                   .annotate(later=F("created_at") + (later - START))
                   .annotate(seconds=SecondsBetween("later", "created_at"))
                   .values_list("seconds", flat=True).get())
        found.append(round(seconds, 3))
    assert found == [round((later - START).total_seconds(), 3) for later in LATER]
