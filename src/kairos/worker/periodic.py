"""Periodic jobs: work the worker does every so often, not because a task was enqueued.

A job is a function of `now` named by its dotted path in settings.PERIODIC_JOBS with how
often it runs, e.g. ("kairos.notifications.periodic.warn_before_breach", 60). Add a line
there to add a job. However many workers run, a job runs at most once per interval: the
worker that moves its `PeriodicRun.last_run_at` forward (one conditional UPDATE) runs it,
the others skip it. Jobs must still be idempotent (a worker may die mid-job; the next
interval runs it again), and should only enqueue tasks for slow work such as e-mail.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from kairos.worker.models import PeriodicRun

logger = logging.getLogger("kairos.worker")


@dataclass(frozen=True)
class PeriodicJob:
    path: str  # dotted path of a function taking `now`
    every: datetime.timedelta

    def run(self, now):
        return import_string(self.path)(now)


def periodic_jobs():
    return [PeriodicJob(path, datetime.timedelta(seconds=seconds))
            for path, seconds in getattr(settings, "PERIODIC_JOBS", ())]


class PeriodicJobs:
    """One worker's view of the jobs: it asks the database about a job at most once per
    interval (a worker's loop turns every second; most turns must not write)."""

    def __init__(self):
        self.jobs = periodic_jobs()
        self.asked_at = {}

    def run_due(self, now=None):
        """Run every job whose interval has passed and that no other worker claimed first;
        returns how many ran. A failing job is logged and tried again next interval."""
        now = now or timezone.now()
        ran = 0
        for job in self.jobs:
            asked = self.asked_at.get(job.path)
            if asked is not None and asked <= now < asked + job.every:
                continue
            self.asked_at[job.path] = now
            if claim(job, now):
                run(job, now)
                ran += 1
        return ran


def run(job, now):
    try:
        job.run(now)
    except Exception:
        logger.exception("periodic job %s failed", job.path)


def claim(job, now):
    """True for exactly one of the workers asking once `job.every` has passed."""
    # A last run "in the future" means the clock was set back: run rather than wait it out.
    due = (Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.every)
           | Q(last_run_at__gt=now))
    if PeriodicRun.objects.filter(due, name=job.path).update(last_run_at=now):
        return True
    if PeriodicRun.objects.filter(name=job.path).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=job.path, last_run_at=now)
        return True
    except IntegrityError:  # another worker created it first: it runs the job
        return False
