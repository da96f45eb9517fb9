"""The e-mail of one event to one member, rendered in the shop's language."""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from kairos.accounts.models import Membership
from kairos.events.models import Event
from kairos.notifications.rules import RULES, recipients

ATTEMPTS = 5
FIRST_RETRY = datetime.timedelta(minutes=1)


def fan_out(events):
    """Event consumer: one e-mail task per recipient of each event a rule covers."""
    for event in events:
        rule = RULES.get(event.type)
        if rule is not None:
            for user_id in recipients(event.organization_id, rule):
                send_notification.enqueue(event.pk, user_id)


@task()
def send_notification(event_id, user_id, attempt=1):
    """Send it; a mail server that is down is tried again, 1, 2, 4 and 8 minutes later."""
    event = Event.objects.select_related("organization").filter(pk=event_id).first()
    membership = (Membership.objects.select_related("user")
                  .filter(organization_id=getattr(event, "organization_id", None),
                          user_id=user_id).first())
    if event is None or membership is None or not membership.user.email:
        return "no longer a member"
    message = notification(event, membership.user)
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        if attempt >= ATTEMPTS:
            raise
        later = timezone.now() + FIRST_RETRY * 2 ** (attempt - 1)
        send_notification.using(run_after=later).enqueue(event_id, user_id, attempt + 1)
        return "retrying"
    return "sent"


def notification(event, user):
    rule = RULES[event.type]
    organization = event.organization
    context = {"data": event.data, "organization": organization, "user": user,
               "link": settings.SITE_URL + rule.link(event.data)}
    with translation.override(organization.default_language):
        subject = render_to_string(f"notifications/{rule.template}_subject.txt", context)
        body = render_to_string(f"notifications/{rule.template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])
