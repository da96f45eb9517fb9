"""The daily rollup: figures read through it are identical to counting every response,
across the shop's midnights (Athens, 23:30 and 00:30 local), a 25-hour DST day, and after
every way a past day's responses change (import, API, demo data, erasure, retention, a
new time zone)."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from reports.shop_data import at
from webhook_helpers import work

from kairos.accounts.periods import Period
from kairos.privacy.retention import anonymise_past_retention
from kairos.questionnaires import rollup, services
from kairos.questionnaires.demo_data import seed_demo_responses
from kairos.questionnaires.models import DailyResponses, RollupWatermark
from kairos.reports.home import period_figures
from kairos.worker.periodic import PeriodicJobs

NOW = at("2026-12-01 10:00")  # 12:00 in Athens: 30 November is the last whole day
DAY = datetime.date.fromisoformat
PERIODS = [
    Period(DAY("2026-11-01"), DAY("2026-11-30")),  # ends on the last sealed day
    Period(DAY("2026-10-01"), DAY("2026-10-31")),  # the 25-hour day of 25 October
    Period(DAY("2026-11-16"), DAY("2026-12-01")),  # sealed days and today, live
    Period(DAY("2026-12-01"), DAY("2026-12-01")),  # today alone: all live
    Period(DAY("2026-06-01"), DAY("2026-12-01")),  # per month
    Period(DAY("2026-10-25"), DAY("2026-10-25")),  # the DST day alone
]
FILTERS = [{}, {"from": DAY("2026-10-25"), "to": DAY("2026-11-30")},
           {"from": DAY("2026-11-30")}, {"to": DAY("2026-10-31")}, {"stage": "after_sales"},
           {"store": "athens", "from": DAY("2026-11-01")}, {"stage": "checkout", "nps_min": 9},
           {"q": "maria"}]


def answer(shop, when, nps, rating=None, store=None, stage="checkout", email=None):
    """A completed questionnaire at `when`, through the public endpoint."""
    answers = {"nps": nps} if rating is None else {"nps": nps, "rating": rating}
    body = {"site_key": shop.site_keys.first().key, "stage": stage, "locale": "en",
            "device_id": f"d-{when.isoformat()}", "answers": answers,
            "metadata": {"questionnaire": {"store_id": store} if store else {},
                         "responder": {"email": email} if email else {}}}
    with time_machine.travel(when, tick=False):
        reply = Client().post("/api/public/v1/responses", json.dumps(body),
                              content_type="application/json")
    assert reply.status_code == 201, reply.content


@pytest.fixture
def shop(alice):
    organization = alice.organization  # Europe/Athens
    answer(organization, at("2026-10-24 20:59"), 10, 9, store="athens")  # 24 Oct, 23:59 EEST
    answer(organization, at("2026-10-24 21:00"), 6, 3, store="athens")  # 25 Oct, 00:00
    answer(organization, at("2026-10-25 21:30"), 8, store="patras")  # 25 Oct, 23:30 EET
    answer(organization, at("2026-10-25 22:30"), 9, 10)  # 26 Oct, 00:30
    answer(organization, at("2026-10-31 21:30"), 2, 1, store="athens")  # 31 Oct, 23:30
    answer(organization, at("2026-10-31 22:30"), 10, 8, store="athens")  # 1 Nov, 00:30
    answer(organization, at("2026-11-10 09:00"), 7, 6, store="patras", stage="after_sales")
    answer(organization, at("2026-11-20 12:00"), 3, store="athens", email="maria@example.com")
    answer(organization, at("2026-11-30 21:30"), 9, 9, store="patras")  # 30 Nov, 23:30
    answer(organization, at("2026-11-30 22:30"), 0, 2, store="athens")  # 1 Dec, 00:30: today
    answer(organization, at("2026-12-01 09:00"), 10, stage="after_sales")
    return organization


def figures(shop):
    """Every figure the rollup serves: Home's for each period and the period before it,
    the responses list's for each of its filters."""
    with time_machine.travel(NOW, tick=False):
        home = [(period_figures(shop, period),
                 rollup.summary(shop, period.previous().start, period.previous().end))
                for period in PERIODS]
        listed = [rollup.filtered_summary(shop, filters) for filters in FILTERS]
    return home, listed


def all_live(shop):
    """The same figures counted from every response, as if nothing were sealed."""
    with transaction.atomic():
        RollupWatermark.objects.filter(organization=shop).delete()
        counted = figures(shop)
        transaction.set_rollback(True)
    return counted


def seal(shop, now=NOW):
    assert rollup.seal(shop, now)
    assert rollup.sealed_until(shop) == DAY("2026-12-01")


def test_sealed_figures_are_identical_to_counting_every_response(shop):
    unsealed = figures(shop)
    seal(shop)
    assert figures(shop) == unsealed == all_live(shop)
    (summary, unit, trend, stages, stores), before = figures(shop)[0][0]
    # Hand-counted November: 1 Nov 00:30 to 30 Nov 23:30, not the 31 Oct nor 1 Dec ones
    assert (summary.responses, summary.promoters, summary.passives, summary.detractors) == (
        4, 2, 1, 1)
    assert summary.average_rating == (8 + 6 + 9) / 3
    assert (before.responses, before.promoters, before.detractors) == (5, 2, 2)
    assert dict((store, s.responses) for store, s in stores) == {"athens": 2, "patras": 2}
    assert dict((stage, s.responses) for stage, s in stages) == {"checkout": 3, "after_sales": 1}


def test_the_rollup_holds_the_shops_days_and_nothing_of_today(shop):
    seal(shop)
    days = {(row.day.isoformat(), row.store_id): row.responses
            for row in DailyResponses.objects.filter(organization=shop)}
    assert days == {("2026-10-24", "athens"): 1, ("2026-10-25", "athens"): 1,
                    ("2026-10-25", "patras"): 1, ("2026-10-26", ""): 1,
                    ("2026-10-31", "athens"): 1, ("2026-11-01", "athens"): 1,
                    ("2026-11-10", "patras"): 1, ("2026-11-20", "athens"): 1,
                    ("2026-11-30", "patras"): 1}


def test_sealing_is_idempotent_and_waits_for_the_grace_after_midnight(shop):
    seal(shop)
    rows = list(DailyResponses.objects.filter(organization=shop).values())
    assert not rollup.seal(shop, NOW)
    assert list(DailyResponses.objects.filter(organization=shop).values()) == rows
    # 00:05 in Athens on 2 December: 1 December's last submissions may still be writing
    assert not rollup.seal(shop, at("2026-12-01 22:05"))
    assert rollup.seal(shop, at("2026-12-01 22:20"))
    assert rollup.sealed_until(shop) == DAY("2026-12-02")
    assert figures(shop) == all_live(shop)


def test_reports_on_a_shop_never_sealed_count_every_response(shop):
    assert rollup.sealed_until(shop) is None
    (summary, *_rest), _before = figures(shop)[0][0]
    assert summary.responses == 4


def test_another_shops_rollup_is_never_read(shop, bob):
    seal(shop)
    answer(bob.organization, at("2026-11-10 09:00"), 10, store="athens")
    rollup.seal(bob.organization, NOW)
    assert figures(shop) == all_live(shop)
    assert rollup.summary(bob.organization).responses == 1


# ---- past days that change ---------------------------------------------------------------

def november(shop):
    with time_machine.travel(NOW, tick=False):
        return rollup.summary(shop, DAY("2026-11-01"), DAY("2026-11-30")).responses


def test_an_import_into_sealed_days_is_counted_at_once(shop, tmp_path):
    seal(shop)
    path = tmp_path / "old.csv"
    path.write_text("submitted_at,stage,answers.nps,answers.rating,questionnaire.store_id\n"
                    "2026-11-30 23:30,checkout,10,7,patras\n"  # Athens time
                    "2026-10-25 03:30,after_sales,4,,\n"  # the hour that came twice
                    "2026-12-01 00:10,checkout,9,,athens\n", encoding="utf-8")
    with time_machine.travel(NOW, tick=False):
        call_command("import", "responses", str(path), organization=shop.name, quiet=True,
                     stdout=io.StringIO())
    assert november(shop) == 5
    assert figures(shop) == all_live(shop)


def test_a_past_response_sent_through_the_api_is_counted_at_once(shop, alice_api):
    seal(shop)
    body = {"stage": "checkout", "answers": {"nps": 1, "rating": 2},
            "metadata": {"questionnaire": {"store_id": "athens"}},
            "submitted_at": "2026-11-15T12:00:00+02:00"}
    with time_machine.travel(NOW, tick=False):
        reply = alice_api.post("/api/v1/responses", json.dumps(body),
                               content_type="application/json")
    assert reply.status_code == 201, reply.content
    assert november(shop) == 5
    assert figures(shop) == all_live(shop)


def test_demo_data_over_sealed_days_is_counted_at_once(shop):
    seal(shop)
    services._known_fields.clear()
    with time_machine.travel(NOW, tick=False):
        seed_demo_responses(shop, count=60, days=40)
    assert november(shop) > 4
    assert figures(shop) == all_live(shop)


def test_an_erased_customer_leaves_the_sealed_days(shop, alice_api):
    seal(shop)
    with time_machine.travel(NOW, tick=False):
        reply = alice_api.delete("/api/v1/responders/maria@example.com")
    assert reply.status_code == 200, reply.content
    assert november(shop) == 3
    assert figures(shop) == all_live(shop)


def test_retention_changes_nothing_the_rollup_counts(shop):
    seal(shop)
    before = figures(shop)
    shop.retention_months = 1
    shop.save()
    with time_machine.travel(NOW, tick=False):
        anonymise_past_retention(actor="test", via="command")
    assert figures(shop) == before == all_live(shop)


def test_a_new_time_zone_sets_the_rollup_aside_until_sealed_again(shop, alice_api):
    seal(shop)
    with time_machine.travel(NOW, tick=False):
        reply = alice_api.patch("/api/v1/shop", json.dumps({"time_zone": "Europe/London"}),
                                content_type="application/json")
    assert reply.status_code == 200, reply.content
    shop.refresh_from_db()
    assert rollup.sealed_until(shop) is None  # counted live in London's days meanwhile
    # 31 Oct 22:30 UTC is October in London; 30 Nov 22:30 UTC is November
    assert november(shop) == 4
    london = figures(shop)
    assert rollup.seal(shop, NOW)
    assert figures(shop) == london == all_live(shop)


# ---- on schedule, and by hand ------------------------------------------------------------

@override_settings(PERIODIC_JOBS=[("kairos.reports.tasks.schedule_sealing", 3600)])
def test_the_worker_seals_every_hour(shop):
    with time_machine.travel(NOW, tick=False):
        assert PeriodicJobs().run_due(NOW) == 1
        work()
    assert rollup.sealed_until(shop) == DAY("2026-12-01")
    assert figures(shop) == all_live(shop)


def test_the_rollup_command_seals_and_rebuilds(shop):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("rollup", stdout=out)
        DailyResponses.objects.filter(organization=shop).update(responses=99)  # damaged
        call_command("rollup", "--rebuild", stdout=out)
    assert "Alice Shop: sealed up to yesterday" in out.getvalue()
    assert figures(shop) == all_live(shop)
    assert november(shop) == 4


def test_a_summary_is_one_aggregate_over_the_shops_rows_not_a_group_per_response(shop):
    seal(shop)
    with CaptureQueriesContext(connection) as captured, time_machine.travel(NOW, tick=False):
        assert rollup.summary(shop).responses == 11
    reads = [q["sql"] for q in captured.captured_queries if "SUM(" in q["sql"].upper()
             or "COUNT(" in q["sql"].upper()]
    assert len(reads) == 2  # the sealed days, then today
    assert not any("GROUP BY" in sql.upper() for sql in reads)
