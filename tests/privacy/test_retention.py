"""`kairos retention`: personal data past retention becomes keyed pseudonyms, and the
figures stay the same."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from privacy.helpers import (
    MARIA,
    MARIAS_WORDS,
    NIKOS,
    callback_campaign,
    customer_story,
    every_text_and_json_value,
    existing_rows,
    nikos_story,
    traces_of,
)
from webhook_helpers import local_receivers, subscribe, work  # noqa: F401 - a fixture
from webhook_receiver import receiving

from kairos.accounts.periods import choose
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Campaign, Impression
from kairos.campaigns.reporting import campaign_figures
from kairos.events.models import Event
from kairos.integrations.models import Attempt
from kairos.privacy.models import PrivacyLog
from kairos.privacy.retention import anonymise_past_retention, months_before
from kairos.questionnaires.models import Response
from kairos.questionnaires.reports import summarize
from kairos.reports.closing_the_loop import closing_the_loop
from kairos.reports.home import home_figures
from kairos.segments.services import preview
from kairos.worker.periodic import PeriodicJobs

NIKOS_TRACES = [NIKOS["email"], NIKOS["name"], "all fine, thanks", "mornings are better"]
MARIAS_TRACES = [MARIA["email"], MARIA["phone_number"], MARIA["name"], "customer-42", MARIAS_WORDS,
                 "d-maria", "call after 6", "A-1001"]
UNHAPPY_WITH_EMAIL = {"all": [{"field": "answers.nps", "op": "lte", "value": 6},
                              {"field": "responder.email", "op": "not_empty"}]}


@pytest.fixture(autouse=True)
def rows_of_other_tests(db):
    """Rows a test elsewhere in this process committed and left (the customers of the
    test helpers share their names): retention here is judged on this test's own rows."""
    LEFT_BEFORE.clear()
    LEFT_BEFORE.update(existing_rows())


LEFT_BEFORE = set()


def marias_traces():
    return traces_of(MARIAS_TRACES, ignoring=LEFT_BEFORE)


def history(shop):
    """Maria answered 14 months ago, Nikos 2 months ago."""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=430), tick=False):
        callback_campaign(shop)
        customer_story(shop)
    with time_machine.travel(now - datetime.timedelta(days=60), tick=False):
        nikos_story(shop)


def figures(shop):
    """What the shop reads: NPS, a segment over answers and identities, campaign figures,
    Home and the closing-the-loop report, over all of the history."""
    now = timezone.now()
    today = now.date()
    segment = preview(shop, UNHAPPY_WITH_EMAIL, date_from=today - datetime.timedelta(days=800),
                      date_to=today)
    period = choose(today, date_from=today - datetime.timedelta(days=800), date_to=today)
    span = period.span(shop)
    campaigns = list(Campaign.objects.filter(organization=shop).values_list("pk", flat=True))
    return (summarize(Response.objects.filter(organization=shop)),
            (segment.responses, segment.responders),
            campaign_figures(campaigns, span), home_figures(shop, period, now=now),
            closing_the_loop(shop, span, now=now))


def snapshot():
    return sorted(every_text_and_json_value())


def test_it_pseudonymises_only_what_is_past_retention(alice):
    shop = alice.organization
    history(shop)
    assert {word for _model, word in marias_traces()} == set(MARIAS_TRACES)
    shop.retention_months = 12
    shop.save()
    anonymise_past_retention()
    assert marias_traces() == set()
    assert {word for _model, word in traces_of(NIKOS_TRACES)} == set(NIKOS_TRACES)
    old = Response.objects.filter(organization=shop, nps=2).exclude(email=NIKOS["email"])
    assert old.count() == 1 and old.get().email.startswith("anon:")
    # the same customer keeps the same pseudonym, in every table
    maria = Response.objects.filter(organization=shop, submitted_at__lt=months_before(
        timezone.now(), 12))
    assert len({r.email for r in maria}) == 1
    assert Impression.objects.get(response__in=maria).email == maria.first().email


def test_statistics_and_segments_are_unchanged(alice):
    shop = alice.organization
    history(shop)
    before = figures(shop)
    shop.retention_months = 12
    shop.save()
    assert anonymise_past_retention()
    assert figures(shop) == before


def test_it_is_idempotent_and_logged(alice):
    shop = alice.organization
    history(shop)
    shop.retention_months = 12
    shop.save()
    first = anonymise_past_retention()
    after_first = snapshot()
    assert first[shop]["responses"] == 2 and first[shop]["callback_requests"] == 1
    assert anonymise_past_retention() == {}
    assert snapshot() == after_first
    [entry] = PrivacyLog.objects.filter(organization=shop, kind="retention")
    assert entry.counts == first[shop] and entry.cutoff is not None
    assert "maria" not in json.dumps(entry.counts)


def test_a_dry_run_touches_nothing(alice):
    shop = alice.organization
    history(shop)
    shop.retention_months = 12
    shop.save()
    before = snapshot()
    output = io.StringIO()
    call_command("retention", "--dry-run", stdout=output)
    assert "Alice Shop: would pseudonymise responses 2" in output.getvalue()
    assert snapshot() == before
    assert not PrivacyLog.objects.exists()


def test_the_command_pseudonymises_and_says_so(alice):
    shop = alice.organization
    history(shop)
    shop.retention_months = 12
    shop.save()
    output = io.StringIO()
    call_command("retention", stdout=output)
    assert "Alice Shop: pseudonymised responses 2" in output.getvalue()
    assert marias_traces() == set()
    output = io.StringIO()
    call_command("retention", stdout=output)
    assert "Nothing is past retention." in output.getvalue()


def test_a_campaigns_own_retention_covers_what_it_collected(alice):
    shop = alice.organization
    history(shop)
    campaign = shop.campaigns.get()
    campaign.retention_months = 1
    campaign.save()
    anonymise_past_retention()  # the shop keeps responses until erased
    callbacks = CallbackRequest.objects.filter(organization=shop)
    assert all(c.phone_number.startswith("anon:") for c in callbacks)
    assert Response.objects.filter(email=NIKOS["email"]).exists()  # the response stays
    assert not traces_of(["mornings are better"])


def test_nothing_changes_without_a_retention(alice):
    history(alice.organization)
    before = snapshot()
    assert anonymise_past_retention() == {}
    assert snapshot() == before


def test_bobs_retention_never_touches_alices_data(alice, bob):
    history(alice.organization)
    bob.organization.retention_months = 1
    bob.organization.save()
    before = snapshot()
    anonymise_past_retention()
    assert snapshot() == before


def test_months_are_calendar_months():
    moment = datetime.datetime(2026, 3, 31, 10, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 10, tzinfo=datetime.UTC)
    assert months_before(moment, 15) == datetime.datetime(2024, 12, 31, 10, tzinfo=datetime.UTC)


def test_retention_reaches_the_webhooks_outbox_and_delivery_log(alice, local_receivers):  # noqa: F811
    shop = alice.organization
    with receiving() as (_receiver, url):
        subscribe(shop, url, events=["response.completed", "callback.created"])
        history(shop)
        work()  # delivered today, though Maria's events are 14 months old
    # a CRM that echoes what it was sent
    for attempt in Attempt.objects.select_related("delivery__event"):
        attempt.response_body = json.dumps(attempt.delivery.event.data)[:1000]
        attempt.save()
    assert {model for model, _word in marias_traces()} >= {"Event", "Attempt"}
    shop.retention_months = 12
    shop.save()

    counts = anonymise_past_retention()[shop]

    assert marias_traces() == set()
    assert counts["webhook_events"] >= 3 and counts["webhook_attempts"] == 3
    old = Event.objects.filter(organization=shop,
                               created_at__lt=months_before(timezone.now(), 12))
    assert {json.dumps(event.data) for event in old} == {'{"redacted": true}'}
    # Nikos answered within the retention: his events and their log stay as they were
    assert {model for model, _word in traces_of([NIKOS["email"]])} >= {"Event", "Attempt"}


def test_the_worker_applies_retention_on_its_schedule(alice, settings):
    """Retention is one of the worker's periodic jobs: due, it enqueues the run, and the
    worker's next rounds anonymise; within the interval nothing is enqueued again."""
    settings.PERIODIC_JOBS = [("kairos.privacy.tasks.schedule_retention", 6 * 3600)]
    shop = alice.organization
    history(shop)
    shop.retention_months = 12
    shop.save()
    now = timezone.now()
    assert PeriodicJobs().run_due(now) == 1
    work()
    assert marias_traces() == set()
    assert PrivacyLog.objects.filter(organization=shop, kind="retention").count() == 1
    assert PeriodicJobs().run_due(now + datetime.timedelta(hours=1)) == 0
