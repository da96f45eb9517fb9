"""Creating and changing campaigns: one set of rules for the dashboard and the API."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kairos.accounts.shop_time import shop_today
from kairos.campaigns.configuration import shop_configuration
from kairos.campaigns.models import AuditEntry, Campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.engine.business_hours import BusinessHours, InvalidHours
from kairos.errors import Problems
from kairos.languages import CODES as LANGUAGES
from kairos.segments.models import Segment

EDITABLE = ("title", "active", "start_date", "end_date", "frequency_cap_minutes", "priority",
            "languages", "content", "holdout_percent", "max_open_callbacks", "callback_hours",
            "budget_exempt", "retention_months")
MAX_CAP_MINUTES = 366 * 24 * 60
MAX_PRIORITY = 1_000_000
# A control group larger than the treated one would cost more than the answer is worth.
MAX_HOLDOUT_PERCENT = 50
MAX_OPEN_CALLBACKS = 100_000


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
    if not 0 <= campaign.priority <= MAX_PRIORITY:
        problems.append(("priority", _("must be a whole number from 0 to %(max)s")
                         % {"max": MAX_PRIORITY}))
    problems += limit_problems(campaign)
    if campaign.type in CAMPAIGN_TYPES:
        campaign.content, content_problems = campaign.campaign_type.clean_content(
            campaign.content)
        problems += content_problems
    if problems:
        raise Problems(problems)


def limit_problems(campaign):
    """The holdout and, for a callback campaign, its hours and capacity; a campaign of
    another type may have neither."""
    problems = []
    if not whole(campaign.holdout_percent, 0, MAX_HOLDOUT_PERCENT):
        problems.append(("holdout_percent", _("must be a whole number from 0 to %(max)s")
                         % {"max": MAX_HOLDOUT_PERCENT}))
    offers_callbacks = campaign.type in CAMPAIGN_TYPES and (
        campaign.campaign_type.offers_callbacks)
    for name in ("max_open_callbacks", "callback_hours"):
        if getattr(campaign, name) is not None and not offers_callbacks:
            problems.append((name, _("only a callback campaign has one")))
    limit = campaign.max_open_callbacks
    if limit is not None and not whole(limit, 1, MAX_OPEN_CALLBACKS):
        problems.append(("max_open_callbacks", _("must be a whole number from 1 to %(max)s, "
                                                 "or empty for no limit")
                         % {"max": MAX_OPEN_CALLBACKS}))
    if campaign.callback_hours is not None:
        campaign.callback_hours = clean_hours(campaign.callback_hours, problems)
    return problems


def whole(value, low, high):
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def clean_hours(week, problems):
    """The hours as stored ({"mon": ["09:00", "17:00"], …, "sun": None})."""
    try:
        return BusinessHours.from_dict(week).as_dict()
    except InvalidHours as invalid:
        name = f"callback_hours.{invalid.field}" if invalid.field else "callback_hours"
        problems.append((name, invalid.words.render(_)))
        return week


def default_priority(organization, segment_ids):
    """After the shop's current campaigns for any of these segments (0 when none), so a
    new campaign never silently jumps ahead of them."""
    top = (Campaign.objects.current().filter(organization=organization,
                                             segments__in=segment_ids)
           .aggregate(top=Max("priority"))["top"])
    return 0 if top is None else min(top + 1, MAX_PRIORITY)


def snapshot(campaign, segment_ids):
    values = {name: getattr(campaign, name) for name in EDITABLE}
    values["segment_ids"] = sorted(segment_ids)
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items()}


def create_campaign(organization, fields, segment_ids, user=None, via="dashboard"):
    """`fields` without a priority (or None) ranks it after the shop's campaigns for the
    same segments."""
    if fields.get("priority") is None:
        fields = {**fields, "priority": default_priority(organization, segment_ids)}
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


def status(campaign, today, never_shown=()):
    """live | scheduled | ended | inactive | silenced (every segment inactive) | archived
    | never_shown (live, but better-ranked campaigns are always shown first: its id is
    in `never_shown`, from ShopConfiguration.never_shown)."""
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
    if campaign.pk in never_shown:
        return "never_shown"
    return "live"


def standing(organization):
    """(the shop's date, {campaign id: the campaigns always shown first}): what status()
    and never_shown_reason() need, for any number of campaigns of the shop."""
    # The caller's copy of the shop may predate a change it just made (a campaign saved
    # in this request): judge the configuration as it is now.
    organization.refresh_from_db(fields=["config_version"])
    today = shop_today(organization)
    return today, shop_configuration(organization).never_shown(today)


def always_first(ahead):
    """The campaigns that are always shown first, as a sentence."""
    names = ", ".join(_("“%(title)s” (priority %(priority)s)")
                      % {"title": c.title, "priority": c.priority} for c in ahead)
    return ngettext("%(campaigns)s is always shown first to every customer of its segments.",
                    "%(campaigns)s are always shown first to every customer of its segments.",
                    len(ahead)) % {"campaigns": names}


def never_shown_reason(ahead):
    """Why a campaign is never shown, naming the campaigns that always come first."""
    return _("Never shown: %(why)s") % {"why": always_first(ahead)}
