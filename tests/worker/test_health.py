"""Worker health: /healthz/worker for monitoring, beside the queue it works through."""

import datetime

from campaigns.helpers import submit
from django.test import Client
from django.utils import timezone

from kairos.worker.models import Heartbeat
from kairos.worker.runner import requeue_orphaned_tasks


def health():
    return Client().get("/healthz/worker")


def test_no_worker_is_a_503(db):
    response = health()
    assert response.status_code == 503 and response.json()["status"] == "down"


def test_a_beating_worker_and_the_work_waiting(alice):
    Heartbeat.objects.create(worker_id="w-1", hostname="box", pid=1)
    submit(alice.organization, nps=10)
    response = health()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["workers"] == 1
    assert body["queue"] == {"due": 0, "scheduled": 0, "running": 0, "events_to_dispatch": 1}


def test_a_worker_silent_for_a_minute_is_down_and_its_tasks_run_again(alice):
    from django_tasks_db.models import DBTaskResult

    from kairos.notifications.tasks import send_notification

    result = send_notification.enqueue(1, 1)
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim("w-gone")
    Heartbeat.objects.create(worker_id="w-gone", hostname="box", pid=1,
                             last_seen_at=timezone.now() - datetime.timedelta(seconds=61))
    assert health().status_code == 503
    assert requeue_orphaned_tasks(timezone.now()) == 1
    task.refresh_from_db()
    assert task.status == "READY" and task.worker_ids == ["w-gone"]


def test_a_live_workers_task_is_left_alone(alice):
    from django_tasks_db.models import DBTaskResult

    from kairos.notifications.tasks import send_notification

    result = send_notification.enqueue(1, 1)
    DBTaskResult.objects.get(pk=result.id).claim("w-busy")
    Heartbeat.objects.create(worker_id="w-busy", hostname="box", pid=1)
    assert requeue_orphaned_tasks(timezone.now()) == 0
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
