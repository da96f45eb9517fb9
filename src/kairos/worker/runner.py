"""The worker loop: run due tasks, dispatch the outbox, run the periodic jobs that are
due (worker/periodic.py), recover what dead workers left.

Tasks are claimed as django-tasks-db claims them (SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL, an exclusive transaction on SQLite), so several workers never run one task
at once. A worker killed mid-task leaves it RUNNING; when its heartbeat stops, another
worker (or the same one restarted) runs it again — at least once, never lost.
"""

import datetime
import logging
import os
import signal
import socket
import threading

from django.db import OperationalError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from kairos.events.dispatch import dispatch
from kairos.worker.models import Heartbeat
from kairos.worker.periodic import PeriodicJobs

logger = logging.getLogger("kairos.worker")
BEAT_EVERY = 5  # seconds
# No beat for this long: the worker is gone and its running tasks run again. Far above
# BEAT_EVERY, so a busy database never makes a live worker look dead.
DEAD_AFTER = datetime.timedelta(seconds=60)
RECOVER_EVERY = datetime.timedelta(seconds=30)
KEEP_FINISHED_TASKS = datetime.timedelta(days=7)
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


def new_worker_id():
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Worker:
    def __init__(self, interval=1.0, worker_id=None, backend="default"):
        self.worker_id = worker_id or new_worker_id()
        self.interval = interval
        self.backend = backend
        self.running = True
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.recovered_at = None
        self.periodic = PeriodicJobs()
        self.runner = TaskRunner(queue_names=["*"], interval=interval, batch=True,
                                 backend_name=backend, startup_delay=False, max_tasks=None,
                                 worker_id=self.worker_id, excluded_queue_names=[])

    def run(self):
        """Work until SIGTERM or SIGINT (the task under way finishes first)."""
        self.handle_signals()
        self.register()
        beat = threading.Thread(target=self.beat_until_stopped, name="heartbeat", daemon=True)
        beat.start()
        logger.info("worker %s started", self.worker_id)
        try:
            while self.running:
                close_old_connections()
                if not self.step():
                    self.wake.wait(self.interval)
        finally:
            self.stopped.set()
            beat.join()
            Heartbeat.objects.filter(pk=self.worker_id).delete()
            logger.info("worker %s stopped", self.worker_id)

    def run_until_idle(self):
        """Do everything that is due now, then return (`kairos worker --once`, tests)."""
        self.register()
        try:
            while self.step():
                pass
        finally:
            Heartbeat.objects.filter(pk=self.worker_id).delete()

    def step(self):
        """One round; True when it did something, so the next round follows at once."""
        self.recover_now_and_then()
        periodic = self.periodic.run_due()
        dispatched = dispatch()
        ran = self.run_one_task()
        return bool(periodic or dispatched or ran)

    def run_one_task(self):
        task_result = self.claim()
        if task_result is None:
            return False
        self.runner.run_task(task_result)  # records success or failure on the task
        Heartbeat.objects.filter(pk=self.worker_id).update(
            last_task_at=timezone.now(), tasks_run=F("tasks_run") + 1)
        return True

    def claim(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # another writer holds SQLite for now: try again next round
            raise

    def recover_now_and_then(self):
        now = timezone.now()
        if self.recovered_at is None or now - self.recovered_at >= RECOVER_EVERY:
            requeue_orphaned_tasks(now)
            forget_old_results(now)
            self.recovered_at = now

    def register(self):
        now = timezone.now()
        Heartbeat.objects.update_or_create(pk=self.worker_id, defaults={
            "hostname": socket.gethostname()[:255], "pid": os.getpid(),
            "started_at": now, "last_seen_at": now})

    def beat_until_stopped(self):
        try:
            while not self.stopped.wait(BEAT_EVERY):
                try:
                    Heartbeat.objects.filter(pk=self.worker_id).update(
                        last_seen_at=timezone.now())
                except Exception:  # a database hiccup must not stop the beat for good
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connection.close()  # this thread's own connection

    def handle_signals(self):
        signal.signal(signal.SIGTERM, self.shutdown)
        signal.signal(signal.SIGINT, self.shutdown)

    def shutdown(self, signum, frame):
        if not self.running:
            # Asked twice: leave at once. The task under way stays RUNNING and runs
            # again once this worker's heartbeat is missed, instead of being lost.
            os._exit(1)
        logger.warning("worker %s: %s, stopping after the task under way",
                       self.worker_id, signal.strsignal(signum))
        self.running = False
        self.wake.set()


def requeue_orphaned_tasks(now):
    """Tasks left RUNNING by a worker whose heartbeat stopped run again; returns how many."""
    alive = set(Heartbeat.objects.filter(last_seen_at__gte=now - DEAD_AFTER)
                .values_list("worker_id", flat=True))
    running = DBTaskResult.objects.running().values_list("id", "worker_ids")
    orphaned = [pk for pk, workers in running if not workers or workers[-1] not in alive]
    if orphaned:
        DBTaskResult.objects.filter(id__in=orphaned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None)
        logger.warning("requeued %d task(s) of workers that stopped beating", len(orphaned))
    return len(orphaned)


def forget_old_results(now):
    """Finished tasks are kept a week for inspection; workers gone a day are forgotten."""
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_FINISHED_TASKS).delete()
    Heartbeat.objects.filter(last_seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
