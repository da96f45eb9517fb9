"""The e-mails themselves: one task per e-mail and member, rendered in the member's
language (else the shop's) with times in the shop's time zone, linking to the thing it
is about. A mail server that is down is tried again, 1, 2, 4 and 8 minutes later.
"""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from kairos.accounts.models import Membership
from kairos.accounts.shop_time import shop_zone
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.queue import callback_queue
from kairos.events.models import Event
from kairos.notifications.models import NotificationPreferences
from kairos.notifications.rules import MAY_WATCH, RULES, callback_link

ATTEMPTS = 5
FIRST_RETRY = datetime.timedelta(minutes=1)
DIGEST_MAX = 50  # requests listed in a digest; the rest are a link to the queue away


def fan_out(events):
    """Event consumer: one e-mail task per recipient of each event a rule covers."""
    for event in events:
        rule = RULES.get(event.type)
        if rule is not None:
            for user_id in rule.audience(event.organization_id, event.data):
                send_notification.enqueue(event.pk, user_id)


@task()
def send_notification(event_id, user_id, attempt=1):
    event = Event.objects.select_related("organization").filter(pk=event_id).first()
    membership = member(getattr(event, "organization_id", None), user_id)
    if event is None or membership is None:
        return "no longer a member"
    rule = RULES[event.type]
    message = email(membership, rule.template,
                    {"data": event.data, "link": absolute(rule.link(event.data))})
    return send_or_retry(message, send_notification, (event_id, user_id), attempt)


@task()
def send_breach_warning(callback_id, user_id, attempt=1):
    """One member is told that a request is about to miss (or missed) its SLA."""
    callback = (CallbackRequest.objects.select_related("campaign")
                .filter(pk=callback_id).first())
    membership = member(getattr(callback, "organization_id", None), user_id)
    if membership is None:
        return "no longer a member"
    if not callback.is_open:
        return "handled meanwhile"
    context = {"callback": callback, "overdue": callback.overdue(),
               "link": absolute(callback_link(callback.pk))}
    message = email(membership, "breach_warning", context)
    return send_or_retry(message, send_breach_warning, (callback_id, user_id), attempt)


@task()
def send_digest(organization_id, user_id, day, attempt=1):
    """The morning's open requests for one member (`day`: the shop's date, ISO); nothing
    is sent when nothing is open."""
    membership = member(organization_id, user_id)
    if membership is None or membership.role not in MAY_WATCH:
        return "no longer a member"
    requests = digest_requests(membership)
    total = requests.count()
    if not total:
        return "nothing open"
    now = timezone.now()
    context = {"day": datetime.date.fromisoformat(day), "total": total,
               "overdue": requests.filter(is_overdue=True).count(),
               "items": [(callback, absolute(callback_link(callback.pk)))
                         for callback in requests[:DIGEST_MAX]],
               "more": max(0, total - DIGEST_MAX), "now": now,
               "link": absolute(reverse("callbacks:list"))}
    message = email(membership, "daily_digest", context)
    return send_or_retry(message, send_digest, (organization_id, user_id, day), attempt)


def digest_requests(membership):
    """The shop's open requests in queue order (overdue first): of the campaigns the
    member watches, or all of them when they watch none."""
    requests = callback_queue(membership.organization, membership.user)
    watched = list(membership.watches.values_list("campaign_id", flat=True))
    return requests.filter(campaign_id__in=watched) if watched else requests


def member(organization_id, user_id):
    """The membership an e-mail goes to, or None once they left the shop (or have no
    address)."""
    membership = (Membership.objects.select_related("user", "organization")
                  .filter(organization_id=organization_id, user_id=user_id).first())
    return membership if membership and membership.user.email else None


def preferences(membership):
    """The member's stored preferences, or the defaults (not saved)."""
    stored = NotificationPreferences.objects.filter(membership=membership).first()
    return stored or NotificationPreferences(membership=membership)


def language(membership):
    return preferences(membership).language or membership.organization.default_language


def email(membership, template, context):
    """The e-mail `notifications/<template>.txt` (subject: <template>_subject.txt) to the
    member, in their language, times in the shop's time zone."""
    organization = membership.organization
    context = {**context, "organization": organization, "user": membership.user,
               "preferences_link": absolute(reverse("notifications:preferences"))}
    with translation.override(language(membership)), timezone.override(shop_zone(organization)):
        subject = render_to_string(f"notifications/{template}_subject.txt", context)
        body = render_to_string(f"notifications/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[membership.user.email])


def absolute(path):
    return settings.SITE_URL + path


def send_or_retry(message, again, args, attempt):
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        if attempt >= ATTEMPTS:
            raise
        later = timezone.now() + FIRST_RETRY * 2 ** (attempt - 1)
        again.using(run_after=later).enqueue(*args, attempt + 1)
        return "retrying"
    return "sent"
