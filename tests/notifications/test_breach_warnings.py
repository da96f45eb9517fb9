"""A request about to miss its SLA is mailed once to who answers for it, however many
workers look at once; the shop's `warn_before_hours` says how early."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
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
from kairos.notifications.models import BreachWarning
from kairos.notifications.periodic import warn_before_breach

# Monday 2 March 2026, 10:00 in Athens (UTC+2): due at 14:00 there (4 business hours),
# warned from 12:00 (2 hours before).
ASKED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WARN_FROM = DUE - timedelta(hours=2)


def short_sla(shop, warn_before_hours=2):
    shop.sla = {**shop.sla, "first_contact_hours": 4, "warn_before_hours": warn_before_hours}
    shop.save()


@pytest.fixture
def shop(alice):
    """Alice's shop, an agent, and a request that came on Monday at 10:00."""
    shop = alice.organization
    short_sla(shop)
    join(shop, "ann@example.com", Role.AGENT)
    with_campaigns(shop)
    return shop


def with_campaigns(shop):
    with time_machine.travel(ASKED - timedelta(days=7), tick=False):
        two_campaigns(shop)


def asked(shop, **kwargs):
    with time_machine.travel(ASKED, tick=False):
        callback = ask_for_a_call(shop, **kwargs)
        work()
        mail.outbox.clear()  # the new request's e-mails
    assert callback.due_at == DUE
    return callback


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        warned = warn_before_breach(moment)
        work()
    return warned


def test_an_unassigned_request_is_warned_of_once_to_all_who_work_callbacks(shop):
    callback = asked(shop, note="broken zip")
    assert run_at(WARN_FROM - timedelta(minutes=1)) == 0 and mail.outbox == []
    assert run_at(WARN_FROM) == 1
    assert recipients(mail.outbox) == ["alice@example.com", "ann@example.com"]
    greek = next(email for email in mail.outbox if email.to == ["alice@example.com"])
    assert greek.subject == "Alice Shop: η κλήση στο +306912345678 λήγει σύντομα"
    assert "14:00" in greek.body  # the shop's time, not UTC's 12:00
    assert f"http://127.0.0.1:8000/dashboard/callbacks/{callback.pk}/" in greek.body
    assert "broken zip" in greek.body
    mail.outbox.clear()
    assert run_at(WARN_FROM + timedelta(minutes=30)) == 0
    assert run_at(DUE + timedelta(hours=1)) == 0  # overdue now, and already warned
    assert mail.outbox == []


def test_the_assignee_alone_is_warned_and_their_choice_counts(shop, alice):
    callback = asked(shop)
    ann = shop.memberships.get(user__email="ann@example.com")
    callback.assignee = ann.user
    callback.save()
    run_at(WARN_FROM)
    assert recipients(mail.outbox) == ["ann@example.com"]

    other = asked(shop, device="d-2")
    other.assignee = ann.user
    other.save()
    prefer(ann, breach_warnings=False)
    mail.outbox.clear()
    run_at(WARN_FROM)
    assert mail.outbox == []  # she chose not to be warned
    assert BreachWarning.objects.filter(callback=other).exists()


def test_watchers_are_warned_of_their_campaigns_unassigned_requests(shop):
    unhappy = shop.campaigns.get(title="Unhappy")
    watch(join(shop, "bill@example.com", Role.AGENT), unhappy)
    prefer(shop.memberships.get(user__email="bill@example.com"), new_requests=False)
    asked(shop)
    run_at(WARN_FROM)
    assert recipients(mail.outbox) == ["bill@example.com"]  # only breach e-mails for him


def test_members_who_switched_breach_warnings_off_are_not_warned(shop, alice):
    prefer(shop.memberships.get(user=alice), breach_warnings=False)
    asked(shop)
    run_at(WARN_FROM)
    assert recipients(mail.outbox) == ["ann@example.com"]


def test_a_resolved_request_is_not_warned_of(shop, alice):
    callback = asked(shop)
    services.resolve(callback, shop.memberships.get(user=alice), "called at once")
    assert run_at(WARN_FROM) == 0 and mail.outbox == []


def test_a_request_resolved_before_its_e_mail_left_is_not_mailed(shop, alice):
    callback = asked(shop)
    with time_machine.travel(WARN_FROM, tick=False):
        assert warn_before_breach(WARN_FROM) == 1  # the e-mails are queued...
        services.resolve(callback, shop.memberships.get(user=alice), "called")
        work()  # ...and find it handled
    assert mail.outbox == []


def test_a_shop_that_wants_no_warnings_gets_none(shop):
    short_sla(shop, warn_before_hours=0)
    asked(shop)
    assert run_at(DUE - timedelta(minutes=1)) == 0 and mail.outbox == []


def test_a_worker_that_was_down_warns_late_but_not_of_ancient_requests(shop):
    asked(shop)
    assert run_at(DUE + timedelta(hours=3)) == 1
    assert mail.outbox[0].subject == "Alice Shop: η κλήση στο +306912345678 έχει καθυστερήσει"
    mail.outbox.clear()
    asked(shop, device="d-2")
    assert run_at(DUE + timedelta(days=2)) == 0 and mail.outbox == []


def test_another_shops_requests_and_members_stay_apart(shop, bob):
    short_sla(bob.organization)
    join(bob.organization, "bobs-agent@example.com", Role.AGENT)
    with_campaigns(bob.organization)
    asked(shop)
    asked(bob.organization)
    assert run_at(WARN_FROM) == 2
    by_address = {email.to[0]: email.subject for email in mail.outbox}
    assert sorted(by_address) == ["alice@example.com", "ann@example.com", "bob@example.com",
                                  "bobs-agent@example.com"]
    assert by_address["bobs-agent@example.com"].startswith("Bob Shop:")
    assert by_address["ann@example.com"].startswith("Alice Shop:")


def test_the_worker_warns_on_its_own(shop):
    asked(shop)
    with time_machine.travel(WARN_FROM + timedelta(minutes=5), tick=False):
        work()  # its periodic jobs run: the warning is claimed and mailed
    assert recipients(mail.outbox) == ["alice@example.com", "ann@example.com"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_warn_once(shop):
    asked(shop)
    start = threading.Barrier(2)
    results = []

    def look():
        start.wait()
        try:
            results.append(warn_before_breach(WARN_FROM))
        finally:
            from django.db import connection
            connection.close()

    with time_machine.travel(WARN_FROM, tick=False):
        workers = [threading.Thread(target=look) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        work()
    assert sorted(results) == [0, 1]
    assert BreachWarning.objects.count() == 1
    assert recipients(mail.outbox) == ["alice@example.com", "ann@example.com"]
