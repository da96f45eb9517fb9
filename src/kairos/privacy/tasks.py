"""Retention on a schedule: a periodic job of the worker (settings.PERIODIC_JOBS, at most
once per interval across every worker) enqueues a task that runs it."""

from django_tasks import task

from kairos.privacy.retention import anonymise_past_retention, shops_with_retention


@task()
def apply_retention():
    report = anonymise_past_retention(actor="kairos worker", via="worker")
    return {organization.pk: counts for organization, counts in report.items()}


def schedule_retention(now):
    """Enqueue a retention run when some shop keeps personal data for a limited time."""
    if not shops_with_retention().exists():
        return False
    apply_retention.enqueue()
    return True
