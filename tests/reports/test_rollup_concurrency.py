"""Sealing and resealing at the same time as other writers stay exact: two sealing workers,
and a past response written while its day is being sealed.

PostgreSQL only: SQLite runs one write transaction at a time (IMMEDIATE), so these
interleavings cannot happen there.
"""

import os
import threading

import pytest
import time_machine
from django.db import connection, transaction
from reports.shop_data import at
from reports.test_rollup import DAY, NOW, all_live, answer, figures

from kairos.questionnaires import rollup
from kairos.questionnaires.models import DailyResponses
from kairos.questionnaires.services import build_response, published_version

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="interleaved writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def in_thread(work):
    """Run `work` on its own connection; answers a function that waits and returns."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def joined():
        thread.join(timeout=30)
        return result.get("value")
    return joined


def test_two_workers_sealing_at_once_seal_once(alice):
    shop = alice.organization
    answer(shop, at("2026-11-20 12:00"), 9, store="athens")
    answer(shop, at("2026-11-29 12:00"), 3)
    start = threading.Barrier(2)

    def seal():
        start.wait()
        return rollup.seal(shop, NOW)

    with time_machine.travel(NOW, tick=False):
        first, second = in_thread(seal), in_thread(seal)
        assert sorted([first(), second()]) == [False, True]
    assert DailyResponses.objects.filter(organization=shop).count() == 2
    assert figures(shop) == all_live(shop)


def test_a_past_response_written_while_its_day_is_sealed_is_counted(alice):
    """The writer's transaction holds its response, unseen by the seal that commits
    meanwhile; its reseal, after the write, finds the day sealed and recounts it."""
    shop = alice.organization
    answer(shop, at("2026-11-29 12:00"), 3)
    written, sealed = threading.Event(), threading.Event()
    version = published_version(shop, "checkout")

    def write_late_response():
        with transaction.atomic():
            late = build_response(shop, version, {"answers": {"nps": 10}}, locale="en",
                                  submitted_at=at("2026-11-30 12:00"))
            late.save()
            written.set()
            assert sealed.wait(timeout=30)
            rollup.reseal(shop, [late.submitted_at])

    with time_machine.travel(NOW, tick=False):
        writer = in_thread(write_late_response)
        assert written.wait(timeout=30)
        assert rollup.seal(shop, NOW)  # does not see the uncommitted response
        sealed.set()
        writer()
        assert rollup.summary(shop, DAY("2026-11-30"), DAY("2026-11-30")).promoters == 1
    assert figures(shop) == all_live(shop)
