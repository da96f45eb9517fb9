"""The reports' work on a schedule: periodic jobs of the worker (settings.PERIODIC_JOBS,
at most once per interval across every worker) enqueue tasks — sealing every shop's days
up to its yesterday into the daily rollup (questionnaires/rollup.py), and keeping each
shop's callback facts (loop_facts.py), one task per shop — so slow work never holds the
worker's loop with the outbox waiting behind it."""

from django.utils import timezone
from django_tasks import task

from kairos.accounts.models import Organization
from kairos.questionnaires.rollup import seal_all
from kairos.reports import loop_facts


@task()
def seal_days():
    return seal_all()


def schedule_sealing(now):
    """Enqueue sealing: quick when every shop is sealed up to its yesterday already."""
    seal_days.enqueue()
    return True


@task()
def keep_callback_facts(organization_id):
    shop = Organization.objects.filter(pk=organization_id).first()
    return loop_facts.keep_facts_of(shop, timezone.now()) if shop else 0


def schedule_callback_facts(now):
    """Enqueue the keeping of every shop's callback facts; how many shops."""
    shops = list(loop_facts.shops_to_keep().values_list("pk", flat=True))
    for pk in shops:
        keep_callback_facts.enqueue(pk)
    return len(shops)
