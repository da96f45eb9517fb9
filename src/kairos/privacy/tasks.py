"""Retention on a schedule: the worker asks now and then (settings.PERIODIC_WORK) and a
task runs it, at most once per RETENTION_EVERY across every worker."""

import datetime

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from kairos.privacy.retention import anonymise_past_retention, shops_with_retention

RETENTION_EVERY = datetime.timedelta(hours=6)


@task()
def apply_retention():
    report = anonymise_past_retention(actor="kairos worker", via="worker")
    return {organization.pk: counts for organization, counts in report.items()}


def schedule_retention(now):
    """Enqueue a retention run unless no shop has a retention or one was enqueued within
    RETENTION_EVERY: the task table is shared, so several workers enqueue it once."""
    if not shops_with_retention().exists():
        return False
    recent = DBTaskResult.objects.filter(task_path=apply_retention.module_path,
                                         enqueued_at__gte=now - RETENTION_EVERY)
    if recent.exists():
        return False
    apply_retention.enqueue()
    return True
