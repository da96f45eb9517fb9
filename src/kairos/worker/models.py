from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """A running `kairos worker`, alive while it beats. Infrastructure: no shop data."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    last_task_at = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return self.worker_id


class PeriodicRun(models.Model):
    """When a periodic job (worker/periodic.py) last ran, on whichever worker."""

    name = models.CharField(max_length=200, primary_key=True)  # the job's dotted path
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
