"""The notifications' periodic jobs (settings.PERIODIC_JOBS, run by the worker).

Both are safe with several workers at once and with a worker dying half-way: a breach
warning is claimed by inserting its BreachWarning row (unique per request and due time),
a digest by moving the member's `digest_sent_on` to today in a conditional UPDATE; the
e-mail tasks are enqueued in the same transaction as the claim, so a claim is never made
without its e-mails, nor an e-mail sent twice.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from kairos.accounts.models import Organization
from kairos.accounts.shop_time import shop_today, shop_zone
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.sla import LIMITS, warn_before_hours
from kairos.notifications.models import BreachWarning, NotificationPreferences
from kairos.notifications.rules import (
    BREACH_WARNINGS,
    MAY_WATCH,
    members,
    user_ids,
    wanting,
    watchers_or_workers,
)
from kairos.notifications.tasks import send_breach_warning, send_digest

# A request that went overdue while no worker ran is still warned of, late, for this
# long; older ones are the daily digest's business (and a first deployment must not
# mail every request that ever went overdue).
LATE_WARNINGS_FOR = datetime.timedelta(days=1)
LONGEST_WARNING = datetime.timedelta(hours=LIMITS["warn_before_hours"][1])
# The digest goes out once the shop's morning begins: before a call centre's usual 9:00
# start, so the day's calls can be planned from it.
DIGEST_HOUR = 8


def warn_before_breach(now):
    """E-mail who answers for each open request due within the shop's `warn_before_hours`
    (its SLA) that was not warned yet; returns how many requests were warned."""
    warned = 0
    for organization in shops_with_requests_due_by(now + LONGEST_WARNING, now):
        hours = warn_before_hours(organization)
        if hours:
            due_soon = requests_due_by(now + datetime.timedelta(hours=hours), now)
            for callback in due_soon.filter(organization=organization):
                warned += warn(callback)
    return warned


def requests_due_by(moment, now):
    already_warned = BreachWarning.objects.filter(callback=OuterRef("pk"),
                                                  due_at=OuterRef("due_at"))
    return (CallbackRequest.objects.filter(is_open=True, due_at__lte=moment,
                                           due_at__gt=now - LATE_WARNINGS_FOR)
            .filter(~Exists(already_warned)).select_related("assignee").order_by("due_at"))


def shops_with_requests_due_by(moment, now):
    due = requests_due_by(moment, now).filter(organization=OuterRef("pk"))
    return Organization.objects.filter(Exists(due)).order_by("pk")


def warn(callback):
    """Claim the warning of this request and enqueue its e-mails, or leave it to the
    worker that claimed it first. 1 when this call warned it."""
    try:
        with transaction.atomic():
            BreachWarning.objects.create(callback=callback, due_at=callback.due_at)
            for user_id in breach_audience(callback):
                send_breach_warning.enqueue(callback.pk, user_id)
    except IntegrityError:
        return 0
    return 1


def breach_audience(callback):
    """The assignee, when one works it; else the campaign's watchers or all who work
    callbacks. Of them, who wants breach warnings."""
    organization_id = callback.organization_id
    if callback.assignee_id:
        assignee = members(organization_id).filter(user_id=callback.assignee_id,
                                                   role__in=MAY_WATCH)
        if assignee.exists():
            return user_ids(wanting(assignee, BREACH_WARNINGS))
    return user_ids(watchers_or_workers(organization_id, callback.campaign_id,
                                        BREACH_WARNINGS))


def send_daily_digests(now):
    """Each member who asked for it gets the digest once a day, from DIGEST_HOUR in the
    shop's time zone; returns how many were enqueued."""
    sent = 0
    asking = (NotificationPreferences.objects.filter(
        daily_digest=True, membership__role__in=MAY_WATCH)
        .exclude(membership__user__email="").select_related("membership__organization"))
    for preferences in asking:
        organization = preferences.membership.organization
        if now.astimezone(shop_zone(organization)).hour < DIGEST_HOUR:
            continue
        today = shop_today(organization, now)
        if preferences.digest_sent_on is None or preferences.digest_sent_on < today:
            sent += claim_digest(preferences, today)
    return sent


def claim_digest(preferences, today):
    """Move the member's digest day to today and enqueue it, unless another worker did."""
    not_yet = Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today)
    membership = preferences.membership
    with transaction.atomic():
        claimed = (NotificationPreferences.objects.filter(not_yet, pk=preferences.pk)
                   .update(digest_sent_on=today))
        if claimed:
            send_digest.enqueue(membership.organization_id, membership.user_id,
                                today.isoformat())
    return claimed


