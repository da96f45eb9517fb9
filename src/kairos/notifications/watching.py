"""Members watching campaigns: who hears of a campaign's callback requests."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from kairos.campaigns.models import Campaign
from kairos.notifications.models import CampaignWatch

CALLBACK_TYPE = "callback_request"  # the only campaigns that bring callback requests


def watchable_campaigns(organization):
    """The shop's callback campaigns that can still bring requests."""
    return (Campaign.objects.filter(organization=organization, type=CALLBACK_TYPE,
                                    archived_at__isnull=True).order_by("title", "pk"))


def campaigns_to_watch(organization, user):
    """The shop's callback campaigns, each with `watched` (by this member): one query, as
    it is drawn on the busy callbacks queue."""
    watch = CampaignWatch.objects.filter(campaign=OuterRef("pk"), membership__user=user,
                                         membership__organization=organization)
    return watchable_campaigns(organization).annotate(watched=Exists(watch))


def watched_campaign_ids(membership):
    return set(CampaignWatch.objects.filter(membership=membership)
               .values_list("campaign_id", flat=True))


def set_watching(membership, campaign, watching):
    """Watch or stop watching; asking twice changes nothing (a double click, two tabs)."""
    if not watching:
        CampaignWatch.objects.filter(membership=membership, campaign=campaign).delete()
        return
    try:
        with transaction.atomic():
            CampaignWatch.objects.get_or_create(membership=membership, campaign=campaign)
    except IntegrityError:  # the other click got there first
        pass
