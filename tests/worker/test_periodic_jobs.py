"""Periodic jobs (worker/periodic.py): each runs once per interval however many workers
run, a failing one stops nothing, and real `kairos worker` processes run them."""

import datetime
import time

import pytest
from notifications.notify_helpers import ask_for_a_call, join, two_campaigns
from smtp_receiver import smtp_server
from worker.test_worker_processes import worker_process

from kairos.accounts.roles import Role
from kairos.callbacks.models import CallbackRequest
from kairos.notifications.models import BreachWarning
from kairos.worker.periodic import PeriodicJobs

runs = []
T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def record(now):
    runs.append(now)


def fail(now):
    raise RuntimeError("a bug in a job")


@pytest.fixture
def jobs(settings):
    runs.clear()
    settings.PERIODIC_JOBS = [(f"{__name__}.fail", 60), (f"{__name__}.record", 60)]


def test_two_workers_run_a_job_once_per_interval(db, jobs, caplog):
    first, second = PeriodicJobs(), PeriodicJobs()
    assert first.run_due(T0) == 2 and second.run_due(T0) == 0
    assert runs == [T0]  # the failing job did not stop the next one...
    assert "periodic job" in caplog.text and "a bug in a job" in caplog.text  # ...and is logged
    assert second.run_due(T0 + datetime.timedelta(seconds=30)) == 0
    assert second.run_due(T0 + datetime.timedelta(seconds=61)) == 2
    assert first.run_due(T0 + datetime.timedelta(seconds=62)) == 0
    assert runs == [T0, T0 + datetime.timedelta(seconds=61)]


def test_a_clock_set_back_does_not_stop_the_jobs(db, jobs):
    PeriodicJobs().run_due(T0)
    earlier = T0 - datetime.timedelta(hours=1)
    assert PeriodicJobs().run_due(earlier) == 2
    assert runs == [T0, earlier]


def test_a_worker_asks_the_database_once_per_interval(db, jobs, django_assert_num_queries):
    worker = PeriodicJobs()
    worker.run_due(T0)
    with django_assert_num_queries(0):
        worker.run_due(T0 + datetime.timedelta(seconds=1))


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_a_breach_warning_once_over_real_smtp(alice):
    shop = alice.organization
    join(shop, "ann@example.com", Role.AGENT)
    two_campaigns(shop)
    callback = ask_for_a_call(shop)
    # Due within the shop's warning time (4 hours), now, on the real clock.
    soon = callback.created_at + datetime.timedelta(hours=1)
    CallbackRequest.objects.filter(pk=callback.pk).update(due_at=soon)
    with smtp_server() as (server, port):
        environment = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                       "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        with worker_process(**environment), worker_process(**environment):
            deadline = time.monotonic() + 60
            while len(server.messages) < 4:  # 2 new-request e-mails, 2 warnings
                assert time.monotonic() < deadline, server.messages
                time.sleep(0.1)
            time.sleep(2)  # time enough for a second warning, were there one
    subjects = sorted((to[0], message["subject"]) for to, message in server.messages)
    warnings = [(to, subject) for to, subject in subjects if "λήγει σύντομα" in subject]
    assert [to for to, _subject in warnings] == ["alice@example.com", "ann@example.com"]
    assert len(server.messages) == 4
    assert BreachWarning.objects.filter(callback=callback).count() == 1
