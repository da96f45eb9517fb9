"""Keeping the lift column's facts on a schedule: a periodic job of the worker (settings.
PERIODIC_JOBS, at most once per interval across every worker) enqueues one task per shop,
so a shop with a long history is one task any worker may take, never a minute of the
worker's loop with the outbox waiting behind it."""

from django.utils import timezone
from django_tasks import task

from kairos.accounts.models import Organization
from kairos.campaigns.lift_facts import keep_facts_of, shops_to_keep


@task()
def keep_lift_facts(organization_id):
    shop = Organization.objects.filter(pk=organization_id).first()
    return keep_facts_of(shop, timezone.now()) if shop else 0


def schedule_lift_facts(now):
    """Enqueue the keeping of every shop's lift facts; how many shops."""
    shops = list(shops_to_keep().values_list("pk", flat=True))
    for pk in shops:
        keep_lift_facts.enqueue(pk)
    return len(shops)
