"""The kept facts of closing the loop's outcomes: each callback request's customer's next
scored response's NPS and how soon they re-ordered, with the request's own score and
whether its customer is identified (reports.CallbackFact).

Why kept: counting them live looks every contacted customer up again (the next scored
response and later orders) on every view, 125–190 ms a period at a million responses,
and Home and the callbacks report count two periods each. A periodic job
(settings.PERIODIC_JOBS) counts them with closing_the_loop.py's own expressions and
writes only what changed, off the hot path; the pages count the facts with one aggregate
and say when they were kept. The clock (in time, medians) is still counted live.
"""

from django.db.models import BooleanField, Case, F, SmallIntegerField, Value, When

from kairos.accounts.models import Organization
from kairos.callbacks.models import CallbackRequest
from kairos.db.kept_facts import BATCH, keep_facts
from kairos.reports.closing_the_loop import (
    IDENTIFIED,
    REORDER_DAYS,
    next_score,
    reordered_within,
)
from kairos.reports.models import CallbackFact, CallbackFactsKept

FACTS = ("next_nps", "reordered_within", "score", "identified")


def shops_to_keep():
    """The shops whose callback facts the periodic job keeps (reports/tasks.py)."""
    return Organization.objects.filter(callback_requests__isnull=False).distinct()


def keep_facts_of(organization, now):
    """Brings the shop's facts to what the database says now: adds the new requests',
    rewrites the ones whose facts changed, drops the ones gone (their request erased);
    returns how many rows it wrote."""
    found = callback_facts(organization)
    return keep_facts(CallbackFact, CallbackFactsKept, organization, found, FACTS, now)


def identified():
    return Case(When(IDENTIFIED, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def callback_facts(organization):
    """{callback request id: FACTS} of every callback request of the shop, counted now."""
    reordered = Case(*(When(reordered_within(organization, days), then=Value(days))
                       for days in REORDER_DAYS), output_field=SmallIntegerField())
    requests = CallbackRequest.objects.filter(organization=organization).annotate(
        next_nps=next_score(organization), reordered_within=reordered,
        score=F("response__nps"), identified=identified())
    return {row[0]: row[1:] for row in requests.values_list("pk", *FACTS)
            .iterator(chunk_size=BATCH)}

