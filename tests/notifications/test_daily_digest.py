"""The daily digest: once a day per member who asked for it, from 08:00 in the shop's time
zone, the open requests, overdue first; nothing when nothing is open."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from notifications.notify_helpers import (
    ask_for_a_call,
    join,
    prefer,
    recipients,
    two_campaigns,
    watch,
)
from webhook_helpers import work

from kairos.accounts.roles import Role
from kairos.callbacks import services
from kairos.notifications.periodic import send_daily_digests

# Monday 2 March 2026; Athens is UTC+2, New York UTC-5.
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
ATHENS_8AM = MONDAY + timedelta(hours=6)


def campaigns(shop):
    with time_machine.travel(MONDAY - timedelta(days=30), tick=False):
        return two_campaigns(shop)


def asked_at(moment, shop, **kwargs):
    with time_machine.travel(moment, tick=False):
        callback = ask_for_a_call(shop, **kwargs)
        work()
    mail.outbox.clear()  # the new request's e-mails
    return callback


def digests_at(moment):
    with time_machine.travel(moment, tick=False):
        mail.outbox.clear()
        enqueued = send_daily_digests(moment)
        work()
    return enqueued


@pytest.fixture
def shop(alice):
    shop = alice.organization
    campaigns(shop)
    prefer(join(shop, "ann@example.com", Role.AGENT), daily_digest=True)
    return shop


def test_the_morning_digest_lists_the_open_requests_overdue_first(shop, alice):
    old = asked_at(MONDAY - timedelta(days=20), shop, device="d-1", note="the old one")
    asked_at(MONDAY - timedelta(hours=1), shop, device="d-2", note="the new one")
    done = asked_at(MONDAY - timedelta(hours=2), shop, device="d-3", note="done already")
    services.resolve(done, shop.memberships.get(user=alice), "called")
    assert digests_at(ATHENS_8AM - timedelta(minutes=1)) == 0 and mail.outbox == []
    assert digests_at(ATHENS_8AM) == 1
    [digest] = mail.outbox
    assert digest.to == ["ann@example.com"]  # Alice did not ask for one
    assert digest.subject == "Alice Shop: 2 ανοιχτά αιτήματα επανάκλησης (1 εκπρόθεσμο)"
    body = digest.body
    assert body.index("the old one") < body.index("the new one")
    assert "done already" not in body
    assert f"http://127.0.0.1:8000/dashboard/callbacks/{old.pk}/" in body
    assert "http://127.0.0.1:8000/dashboard/callbacks/\n" in body  # the whole queue
    assert "2 Μάρ 2026" in body  # the shop's day
    assert digests_at(ATHENS_8AM + timedelta(hours=3)) == 0 and mail.outbox == []
    assert digests_at(ATHENS_8AM + timedelta(days=1)) == 1 and len(mail.outbox) == 1


def test_the_day_turns_at_midnight_in_the_shops_time_zone(shop, bob):
    asked_at(MONDAY - timedelta(days=1), shop)
    new_york = bob.organization
    new_york.time_zone = "America/New_York"
    new_york.default_language = "en"
    new_york.save()
    campaigns(new_york)
    prefer(new_york.memberships.get(user=bob), daily_digest=True)
    asked_at(MONDAY - timedelta(days=1), new_york)
    assert digests_at(ATHENS_8AM) == 1  # Athens' morning; 01:00 in New York
    assert recipients(mail.outbox) == ["ann@example.com"]
    assert digests_at(MONDAY + timedelta(hours=13)) == 1  # 08:00 in New York
    assert recipients(mail.outbox) == ["bob@example.com"]
    assert "2 Mar 2026" in mail.outbox[0].body
    # 22:30 UTC is already Tuesday 00:30 in Athens, but not yet morning: nothing yet.
    assert digests_at(MONDAY + timedelta(hours=22, minutes=30)) == 0
    assert digests_at(MONDAY + timedelta(days=1, hours=6)) == 1  # Tuesday 08:00 in Athens
    assert "3 Μάρ 2026" in mail.outbox[0].body


def test_nothing_open_means_no_digest(shop):
    assert digests_at(ATHENS_8AM) == 1  # the day is claimed...
    assert mail.outbox == []  # ...and nothing is sent
    asked_at(ATHENS_8AM + timedelta(hours=1), shop)
    assert digests_at(ATHENS_8AM + timedelta(hours=2)) == 0  # one a day, not a second try


def test_a_watcher_gets_the_campaigns_they_watch(shop):
    unhappy = shop.campaigns.get(title="Unhappy")
    watch(shop.memberships.get(user__email="ann@example.com"), unhappy)
    asked_at(MONDAY - timedelta(hours=3), shop, nps=10, note="a promoter")
    assert digests_at(ATHENS_8AM) == 1 and mail.outbox == []  # nothing of hers is open
    asked_at(ATHENS_8AM, shop, nps=1, device="d-2", note="a detractor")
    digests_at(ATHENS_8AM + timedelta(days=1))
    [digest] = mail.outbox
    assert "a detractor" in digest.body and "a promoter" not in digest.body


def test_another_shops_requests_never_show(shop, bob):
    campaigns(bob.organization)
    asked_at(MONDAY - timedelta(hours=3), bob.organization, note="bob's customer")
    asked_at(MONDAY - timedelta(hours=3), shop, note="alice's customer")
    digests_at(ATHENS_8AM)
    [digest] = mail.outbox
    assert "alice's customer" in digest.body and "bob's customer" not in digest.body


def test_a_member_who_stops_working_callbacks_gets_no_digest(shop):
    asked_at(MONDAY - timedelta(hours=3), shop)
    ann = shop.memberships.get(user__email="ann@example.com")
    ann.role = Role.REPORTING
    ann.save()
    assert digests_at(ATHENS_8AM) == 0 and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest(shop):
    asked_at(MONDAY - timedelta(hours=3), shop)
    start = threading.Barrier(2)
    results = []

    def look():
        start.wait()
        try:
            results.append(send_daily_digests(ATHENS_8AM))
        finally:
            connection.close()

    with time_machine.travel(ATHENS_8AM, tick=False):
        workers = [threading.Thread(target=look) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        work()
    assert sorted(results) == [0, 1]
    assert recipients(mail.outbox) == ["ann@example.com"]
