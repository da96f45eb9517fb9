"""Creating and changing campaigns: one set of rules for the dashboard and the API."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import shop_today
from kairos.campaigns.models import AuditEntry, Campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.errors import Problems
from kairos.languages import CODES as LANGUAGES
from kairos.segments.models import Segment

EDITABLE = ("title", "active", "start_date", "end_date", "frequency_cap_minutes", "priority",
            "languages", "content")
MAX_CAP_MINUTES = 366 * 24 * 60


def cap_minutes(cap):
    """{"days", "hours", "minutes"} -> minutes; raises Problems naming the part."""
    problems = [(f"frequency_cap.{part}", _("must be a whole number ≥ 0"))
                for part in ("days", "hours", "minutes")
                if not isinstance(cap.get(part, 0), int) or cap.get(part, 0) < 0]
    if problems:
        raise Problems(problems)
    minutes = cap.get("days", 0) * 1440 + cap.get("hours", 0) * 60 + cap.get("minutes", 0)
    if minutes > MAX_CAP_MINUTES:
        raise Problems([("frequency_cap", _("may be at most a year"))])
    return minutes


def cap_parts(minutes):
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    return {"days": days, "hours": hours, "minutes": minutes}


def own_segments(organization, segment_ids):
    segments = list(Segment.objects.filter(organization=organization, pk__in=segment_ids))
    missing = set(segment_ids) - {s.pk for s in segments}
    if missing:
        raise Problems([("segment_ids", _("no such segment in this shop: %(ids)s")
                         % {"ids": ", ".join(map(str, sorted(missing)))})])
    return segments


def check(campaign, segments):
    """Every problem of a campaign about to be saved, as Problems."""
    problems = []
    if campaign.type not in CAMPAIGN_TYPES:
        problems.append(("type", _("unknown campaign type; one of %(types)s")
                         % {"types": ", ".join(CAMPAIGN_TYPES)}))
    if not campaign.title.strip():
        problems.append(("title", _("is required")))
    if not segments:
        problems.append(("segment_ids", _("choose at least one segment")))
    if campaign.end_date and campaign.end_date < campaign.start_date:
        problems.append(("end_date", _("must be on or after the start date")))
    if not set(campaign.languages) <= set(LANGUAGES):
        problems.append(("languages", _("only %(codes)s") % {"codes": ", ".join(LANGUAGES)}))
    if campaign.priority < 0:
        problems.append(("priority", _("must be a whole number ≥ 0")))
    if campaign.type in CAMPAIGN_TYPES:
        campaign.content, content_problems = campaign.campaign_type.clean_content(
            campaign.content)
        problems += content_problems
    if problems:
        raise Problems(problems)


def snapshot(campaign, segment_ids):
    values = {name: getattr(campaign, name) for name in EDITABLE}
    values["segment_ids"] = sorted(segment_ids)
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items()}


def create_campaign(organization, fields, segment_ids, user=None, via="dashboard"):
    campaign = Campaign(organization=organization, created_by=user, **fields)
    if campaign.start_date is None:
        campaign.start_date = shop_today(organization)  # the day it was created, shop time
    segments = own_segments(organization, segment_ids)
    check(campaign, segments)
    with transaction.atomic():
        campaign.save()
        campaign.segments.set(segments)
        AuditEntry.objects.create(organization=organization, campaign=campaign, user=user,
                                  via=via, action="created",
                                  changes=snapshot(campaign, segment_ids))
    return campaign


def update_campaign(campaign, changes, segment_ids=None, user=None, via="dashboard"):
    """Apply only the given fields; records who changed what."""
    before = snapshot(campaign, [s.pk for s in campaign.segments.all()])
    for name, value in changes.items():
        setattr(campaign, name, value)
    segment_ids = before["segment_ids"] if segment_ids is None else segment_ids
    segments = own_segments(campaign.organization, segment_ids)
    check(campaign, segments)
    after = snapshot(campaign, segment_ids)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    with transaction.atomic():
        campaign.save()
        campaign.segments.set(segments)
        if diff:
            AuditEntry.objects.create(organization=campaign.organization, campaign=campaign,
                                      user=user, via=via, action="changed", changes=diff)
    return campaign


def archive_campaign(campaign, user=None, via="dashboard"):
    from django.utils import timezone

    with transaction.atomic():
        campaign.archived_at = timezone.now()
        campaign.active = False
        campaign.save(update_fields=["archived_at", "active", "updated_at"])
        AuditEntry.objects.create(organization=campaign.organization, campaign=campaign,
                                  user=user, via=via, action="archived")


def duplicate_campaign(campaign, user=None):
    """An inactive copy, for trying a variation without touching the original."""
    fields = {name: getattr(campaign, name) for name in EDITABLE}
    fields.update(title=f"{campaign.title} (copy)", active=False, type=campaign.type)
    segment_ids = [s.pk for s in campaign.segments.all()]
    return create_campaign(campaign.organization, fields, segment_ids, user=user)


def status(campaign, today):
    """live | scheduled | ended | inactive | silenced (every segment inactive) | archived."""
    if campaign.archived_at:
        return "archived"
    if not campaign.active:
        return "inactive"
    if campaign.end_date and campaign.end_date < today:
        return "ended"
    if campaign.start_date > today:
        return "scheduled"
    if not any(s.active for s in campaign.segments.all()):
        return "silenced"
    return "live"
