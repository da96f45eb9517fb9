"""The kept facts of closing the loop's outcomes (loop_facts.py), on the hand-counted shop
of test_closing_the_loop: they give the live figures as of each keep, only what changed
is written, and one shop's keep never touches another's."""

import datetime

import time_machine
from campaigns.helpers import campaign, segment
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from reports.shop_data import at, callback, page_at, respond
from reports.test_closing_the_loop import NOVEMBER, NOW, shop  # noqa: F401 - a fixture
from webhook_helpers import work

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.views.lift import counted_at
from kairos.questionnaires.models import Response
from kairos.reports.closing_the_loop import Share, closing_the_loop
from kairos.reports.loop_facts import keep_facts_of
from kairos.reports.models import CallbackFact
from kairos.worker.periodic import PeriodicJobs

LATER = NOW + datetime.timedelta(minutes=15)


def facts(organization):
    return {f.callback.response.email: (f.next_nps, f.reordered_within)
            for f in CallbackFact.objects.filter(organization=organization)
            .select_related("callback__response")}


def outcomes(figures):
    return figures.rescued, figures.reordered


def november(organization, now=NOW):
    return closing_the_loop(organization, NOVEMBER.span(organization), now=now)


def test_each_request_keeps_its_customers_next_score_and_reorder(shop):  # noqa: F811
    assert keep_facts_of(shop, NOW) == 5
    assert facts(shop) == {"a@example.com": (9, 30),  # 2 → 9 after 18 days
                           "b@example.com": (1, 60),  # 3 → 1 after 35 days
                           "c@example.com": (None, None), "d@example.com": (None, None),
                           "e@example.com": (None, None)}


def test_the_kept_outcomes_are_the_live_ones_as_of_the_keep(shop):  # noqa: F811
    live = november(shop)
    october = closing_the_loop(shop, NOVEMBER.previous().span(shop), now=NOW)
    keep_facts_of(shop, NOW)
    kept = november(shop)
    assert live.outcomes_counted_at is None and kept.outcomes_counted_at == NOW
    assert outcomes(kept) == outcomes(live)
    assert kept.rescued == Share(1, 2) and kept.reordered[30] == Share(1, 2)
    assert outcomes(closing_the_loop(shop, NOVEMBER.previous().span(shop), now=NOW)) \
        == outcomes(october)
    assert kept.in_time == live.in_time and kept.to_first_contact == live.to_first_contact


def test_before_the_first_keep_the_outcomes_are_counted_now(shop):  # noqa: F811
    CallbackRequest.objects.filter(response__email="c@example.com").update(
        first_contact_at=at("2026-11-11 10:00"))
    respond(shop, at("2026-11-15 10:00"), 10, email="c@example.com")
    figures = november(shop)
    assert figures.outcomes_counted_at is None
    assert figures.rescued == Share(2, 3) and figures.reordered[30] == Share(2, 3)


def test_what_happens_after_a_keep_is_counted_at_the_next(shop):  # noqa: F811
    keep_facts_of(shop, NOW)
    assert keep_facts_of(shop, NOW) == 0  # nothing changed, nothing written
    CallbackRequest.objects.filter(response__email="c@example.com").update(
        first_contact_at=at("2026-11-11 10:00"))  # the clock is counted now
    respond(shop, at("2026-11-15 10:00"), 10, email="c@example.com")
    figures = november(shop)
    assert figures.rescued == Share(1, 2)  # C's next score is not kept yet
    assert figures.reordered[30] == Share(1, 3)  # C contacted; their re-order not kept yet
    assert keep_facts_of(shop, LATER) == 1  # C's facts alone
    figures = november(shop)
    assert figures.rescued == Share(2, 3) and figures.reordered[30] == Share(2, 3)
    assert outcomes(figures) == outcomes(november(shop, now=LATER))
    assert figures.outcomes_counted_at == LATER


def test_an_erased_response_or_request_disappears_from_the_facts(shop):  # noqa: F811
    keep_facts_of(shop, NOW)
    Response.objects.filter(organization=shop, email="b@example.com",
                            submitted_at__gt=at("2026-12-01 00:00")).delete()
    Response.objects.filter(organization=shop, email="a@example.com",
                            callback_requests__isnull=False).delete()  # its request goes too
    assert "a@example.com" not in facts(shop)
    assert facts(shop)["b@example.com"] == (1, 60)  # kept as it was until the next keep
    assert keep_facts_of(shop, LATER) == 1
    assert facts(shop)["b@example.com"] == (None, None)
    assert november(shop).rescued == Share(0, 0)


def test_the_periodic_job_keeps_every_shop_and_only_its_own(shop, bob):  # noqa: F811
    job = ("kairos.reports.tasks.schedule_callback_facts", 15 * 60)
    assert job in settings.PERIODIC_JOBS
    theirs = bob.organization
    campaign(theirs, [segment(theirs)], start_date=datetime.date(2026, 1, 1))
    callback(theirs, at("2026-11-02 10:00"), 5, "a@example.com",
             first_contact_at=at("2026-11-02 12:00"))
    respond(theirs, at("2026-11-04 10:00"), 7, email="a@example.com")
    with time_machine.travel(NOW, tick=False), override_settings(PERIODIC_JOBS=[job]):
        assert PeriodicJobs().run_due(NOW) == 1  # it enqueues a task per shop…
        work()  # …which the worker's next rounds run
    assert facts(theirs) == {"a@example.com": (7, 30)}
    assert facts(shop)["a@example.com"] == (9, 30)
    respond(theirs, at("2026-11-03 10:00"), 0, email="a@example.com")
    assert keep_facts_of(theirs, LATER) == 1
    assert CallbackFact.objects.filter(organization=shop).count() == 5
    assert november(shop).outcomes_counted_at == NOW  # Alice's facts are as they were
    assert november(theirs).rescued == Share(0, 1)


def test_the_pages_say_when_the_outcomes_were_counted(shop, alice):  # noqa: F811
    november_query = {"from": "2026-11-01", "to": "2026-11-30"}
    before = page_at(NOW, alice, "/dashboard/reports/callbacks/", november_query)
    assert "Counted at" not in before.content.decode()
    keep_facts_of(shop, NOW)
    with translation.override("en"):
        said = counted_at(shop, NOW)
    for url in ("/dashboard/reports/callbacks/", "/dashboard/"):
        page = page_at(LATER, alice, url, november_query)
        assert page.context["closing_the_loop"].rescued == Share(1, 2)
        assert said in page.content.decode()
