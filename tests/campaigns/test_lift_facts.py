"""The kept facts of the lift column (lift_facts.py): what they hold follows the data at
each keep, only what changed is written, and one shop's keep never touches another's."""

import time_machine
from campaigns.helpers import campaign, segment
from campaigns.lift_helpers import DAY, NOW, ask_callback, expose, order
from django.conf import settings
from django.test import override_settings
from webhook_helpers import work

from kairos.campaigns.lift import count_arms, kept_arms_of
from kairos.campaigns.lift_facts import keep_facts_of
from kairos.campaigns.models import ExposureFact
from kairos.campaigns.views.lift import lift_labels
from kairos.worker.periodic import PeriodicJobs


def held_campaign(shop, **fields):
    with time_machine.travel(NOW - 200 * DAY, tick=False):
        return campaign(shop, [segment(shop)], title="Call me", holdout_percent=50, **fields)


def facts(shop):
    return {(f.impression.response.email, f.control): (f.next_nps, f.reordered_within,
                                                       f.requested, f.resolved)
            for f in ExposureFact.objects.filter(organization=shop)
            .select_related("impression__response")}


def test_each_first_exposure_keeps_its_next_nps_reorder_and_callback(alice):
    shop = alice.organization
    chosen = held_campaign(shop)
    first = expose(chosen, order(shop, NOW - 100 * DAY, nps=2, email="a@example.com",
                                 transaction="T-1"))
    ask_callback(first, status="resolved")
    order(shop, NOW - 99 * DAY, transaction="T-1", email="a@example.com")  # the same order
    expose(chosen, order(shop, NOW - 60 * DAY, nps=3, email="a@example.com",
                         transaction="T-2"))  # a re-order within 60 days, not a first
    order(shop, NOW - 50 * DAY, nps=10, email="a@example.com", transaction="T-3")
    expose(chosen, order(shop, NOW - 100 * DAY, nps=6, email="b@example.com"), control=True)

    assert keep_facts_of(shop, NOW) == 2
    assert facts(shop) == {("a@example.com", False): (3, 60, True, True),
                           ("b@example.com", True): (None, None, False, False)}


def test_a_keep_writes_only_what_changed_and_follows_the_data(alice):
    shop = alice.organization
    chosen = held_campaign(shop)
    expose(chosen, order(shop, NOW - 100 * DAY, nps=2, email="a@example.com"))
    later = expose(chosen, order(shop, NOW - 90 * DAY, nps=2, email="b@example.com"))
    assert keep_facts_of(shop, NOW) == 2
    assert keep_facts_of(shop, NOW) == 0  # nothing changed, nothing written

    order(shop, NOW - 80 * DAY, nps=9, email="a@example.com")  # a came back
    earlier = expose(chosen, order(shop, NOW - 95 * DAY, email="b@example.com"))  # found late
    assert facts(shop)[("a@example.com", False)] == (None, None, False, False)  # not yet kept
    assert keep_facts_of(shop, NOW) == 3  # a rewritten; b's first exposure replaced
    assert facts(shop) == {("a@example.com", False): (9, 30, False, False),
                           ("b@example.com", False): (2, 30, False, False)}
    assert set(ExposureFact.objects.values_list("pk", flat=True)) > {earlier.pk}
    assert not ExposureFact.objects.filter(pk=later.pk).exists()

    earlier.response.delete()  # erased: its impression and fact go
    keep_facts_of(shop, NOW)
    assert ExposureFact.objects.get(impression__response__email="b@example.com").impression \
        == later


def test_the_kept_arms_are_the_live_arms_as_of_the_keep(alice):
    shop = alice.organization
    chosen = held_campaign(shop)
    for n in range(12):
        email = f"c{n}@example.com"
        expose(chosen, order(shop, NOW - (100 - n) * DAY, nps=n % 11, email=email,
                             transaction=f"T-{n}"), control=n % 3 == 0)
        if n % 2:
            order(shop, NOW - (100 - n - 3 * n) * DAY, nps=(n * 5) % 11, email=email)
    keep_facts_of(shop, NOW)
    start, end = NOW - 120 * DAY, NOW + DAY
    live = count_arms(chosen, start, end, NOW)
    kept = kept_arms_of(shop.pk, {chosen.pk: start}, end, NOW)[chosen.pk]
    assert kept == live and live[False].customers == 8 and live[False].reordered[90] > 0


def test_the_kept_arms_are_counted_once_per_keep(alice, django_assert_num_queries):
    shop = alice.organization
    chosen = held_campaign(shop)
    expose(chosen, order(shop, NOW - 100 * DAY, nps=2, email="a@example.com"))
    keep_facts_of(shop, NOW)
    start, end = NOW - 120 * DAY, NOW + DAY

    def customers(kept_at):
        return kept_arms_of(shop.pk, {chosen.pk: start}, end, kept_at)[chosen.pk][False].customers

    assert customers(NOW) == 1
    expose(chosen, order(shop, NOW - 90 * DAY, nps=2, email="b@example.com"))
    with django_assert_num_queries(0):  # the same keep: its counts, from the cache
        assert customers(NOW) == 1
    later = NOW + DAY / 96  # the next keep, 15 minutes on
    keep_facts_of(shop, later)
    assert customers(later) == 2


def test_before_the_first_keep_the_column_says_it_is_being_counted(alice):
    chosen = held_campaign(alice.organization)
    expose(chosen, order(alice.organization, NOW - 100 * DAY, nps=2, email="a@example.com"))
    with time_machine.travel(NOW, tick=False):
        label, text = lift_labels([chosen], NOW.date())[chosen.pk]
    assert label == "being counted" and "not been counted yet" in text


def test_the_periodic_job_keeps_every_shop_and_only_its_own(alice, bob):
    job = ("kairos.campaigns.tasks.schedule_lift_facts", 15 * 60)
    assert job in settings.PERIODIC_JOBS
    mine, theirs = held_campaign(alice.organization), held_campaign(bob.organization)
    expose(mine, order(alice.organization, NOW - 100 * DAY, email="same@example.com"))
    expose(theirs, order(bob.organization, NOW - 100 * DAY, email="same@example.com"))
    order(bob.organization, NOW - 90 * DAY, nps=10, email="same@example.com")
    with time_machine.travel(NOW, tick=False), override_settings(PERIODIC_JOBS=[job]):
        assert PeriodicJobs().run_due(NOW) == 1  # it enqueues a task per shop…
        work()  # …which the worker's next rounds run
    assert facts(alice.organization) == {("same@example.com", False): (None, None, False,
                                                                       False)}
    assert facts(bob.organization) == {("same@example.com", False): (10, 30, False, False)}
    keep_facts_of(alice.organization, NOW)  # one shop's keep leaves the other's facts
    assert ExposureFact.objects.filter(organization=bob.organization).count() == 1
