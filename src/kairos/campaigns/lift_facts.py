"""The kept facts of the lift column: each customer's first exposure to each campaign with
a holdout, with its next NPS, how soon it re-ordered and whether it asked to be called
back (campaigns.ExposureFact).

Why kept: counting them live looks every customer up again (the next NPS answer and a
re-order by any identity) on every view, seconds for My campaigns and the comparison at a
few hundred thousand impressions, growing with them. A periodic job
(settings.PERIODIC_JOBS) counts them with lift.py's own expressions and writes only what
changed, off the hot path; the two pages count the facts with one grouped query and say
when they were kept. A campaign's own Lift tab and the API still count live.
"""

from django.db.models import Case, Q, SmallIntegerField, Value, When
from django.db.models.functions import Coalesce

from kairos.accounts.models import Organization
from kairos.campaigns.lift import (
    WINDOWS,
    callbacks,
    first_exposures,
    next_nps,
    reordered_within,
    with_holdout,
)
from kairos.campaigns.models import Campaign, ExposureFact, ExposureFactsKept
from kairos.db.kept_facts import BATCH, keep_facts

FACTS = ("campaign_id", "shown_at", "control", "next_nps", "reordered_within", "requested",
         "resolved")


def shops_to_keep():
    """The shops whose lift facts the periodic job keeps (campaigns/tasks.py)."""
    return Organization.objects.filter(campaigns__isnull=False).distinct()


def keep_facts_of(organization, now):
    """Brings the shop's facts to what the database says now: adds the new first
    exposures, rewrites the ones whose facts changed, drops the ones gone (an impression
    deleted, an earlier one found); returns how many rows it wrote."""
    held = with_holdout(list(Campaign.objects.filter(organization=organization)))
    found = exposure_facts(organization.pk, [c.pk for c in held]) if held else {}
    return keep_facts(ExposureFact, ExposureFactsKept, organization, found, FACTS, now)


def exposure_facts(organization_id, campaign_ids):
    """{impression id: FACTS} of every first exposure to these campaigns, counted now."""
    reordered = Case(*(When(reordered_within(organization_id, days), then=Value(days))
                       for days in WINDOWS), output_field=SmallIntegerField())
    cohort = first_exposures(Q(organization_id=organization_id,
                               campaign_id__in=campaign_ids)).annotate(
        order=Coalesce("response__transaction_id", Value("")),
        next_nps=next_nps(organization_id), reordered_within=reordered,
        requested=callbacks(), resolved=callbacks(callback__status="resolved"))
    return {row[0]: row[1:] for row in cohort.values_list("pk", *FACTS)
            .iterator(chunk_size=BATCH)}


def kept_at(organization):
    """When the shop's facts were last kept; None before the first time."""
    return (ExposureFactsKept.objects.filter(organization=organization)
            .values_list("kept_at", flat=True).first())
