"""Is background work being done? For Settings and for the operator's monitoring."""

from django.db.models import Max
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kairos.events.dispatch import pending
from kairos.worker.models import Heartbeat
from kairos.worker.runner import DEAD_AFTER


def worker_health(now=None):
    """Live workers, when one last beat and ran a task, and the work waiting."""
    now = now or timezone.now()
    beats = Heartbeat.objects.aggregate(last_seen_at=Max("last_seen_at"),
                                        last_task_at=Max("last_task_at"))
    alive = Heartbeat.objects.filter(last_seen_at__gte=now - DEAD_AFTER).count()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    due = DBTaskResult.objects.ready().count()
    return {
        "status": "ok" if alive else "down",
        "workers": alive,
        "last_seen_at": beats["last_seen_at"],
        "last_task_at": beats["last_task_at"],
        "queue": {"due": due, "scheduled": waiting.count() - due,
                  "running": DBTaskResult.objects.running().count(),
                  "events_to_dispatch": pending().count()},
    }
