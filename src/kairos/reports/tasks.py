"""Sealing on a schedule: a periodic job of the worker (settings.PERIODIC_JOBS, at most
once per interval across every worker) enqueues a task that seals every shop's days up
to its yesterday into the daily rollup (questionnaires/rollup.py)."""

from django_tasks import task

from kairos.questionnaires.rollup import seal_all


@task()
def seal_days():
    return seal_all()


def schedule_sealing(now):
    """Enqueue sealing: quick when every shop is sealed up to its yesterday already."""
    seal_days.enqueue()
    return True
