"""Who hears of what by e-mail. Add a rule here to send a new kind of e-mail for an event.

Callback requests go to the members who watch the request's campaign or, while nobody
watches it, to everyone who works callbacks (CALLBACK_WORKERS); each member's own
preferences (NotificationPreferences) then say whether they want that kind of e-mail.
"""

from dataclasses import dataclass

from django.urls import reverse

from kairos.accounts.models import Membership
from kairos.accounts.roles import GRANTS, Permission, Role

MANAGERS = (Role.OWNER, Role.ADMIN)
# Told of a callback request nobody watches: the agents and those who answer for the shop.
# Campaign Managers may work callbacks too, but hear of them only by watching a campaign:
# building campaigns is their job, not calling customers back.
CALLBACK_WORKERS = (Role.OWNER, Role.ADMIN, Role.AGENT)
# Who may watch a campaign at all (and stays told while watching it).
MAY_WATCH = tuple(role for role, granted in GRANTS.items()
                  if Permission.WORK_CALLBACKS in granted)
# The preference (a NotificationPreferences field, on unless switched off) each kind of
# callback e-mail obeys. The digest, off unless asked for, is periodic.py's own.
NEW_REQUESTS, BREACH_WARNINGS = "new_requests", "breach_warnings"


@dataclass(frozen=True)
class Rule:
    template: str  # notifications/<template>.txt and <template>_subject.txt
    audience: object  # (organization_id, event data) -> members' user ids
    link: object  # event data -> the dashboard path of the thing the e-mail is about


def managers(organization_id, data):
    return user_ids(members(organization_id).filter(role__in=MANAGERS))


def callback_audience(organization_id, data):
    return user_ids(watchers_or_workers(organization_id, data["campaign_id"], NEW_REQUESTS))


def callback_link(callback_id):
    return reverse("callbacks:detail", args=[callback_id])


RULES = {
    # A callback request is a promise: whoever answers for it hears of it at once.
    "callback.created": Rule("callback_created", callback_audience,
                             lambda data: callback_link(data["callback_id"])),
    "webhook.disabled": Rule("webhook_disabled", managers,
                             lambda data: reverse("webhooks:detail",
                                                  args=[data["webhook_id"]])),
}


def members(organization_id):
    """The shop's members an e-mail can reach."""
    return Membership.objects.filter(organization_id=organization_id).exclude(user__email="")


def wanting(memberships, preference):
    """Those who did not switch `preference` off (no preferences stored: the defaults)."""
    return memberships.exclude(**{f"notification_preferences__{preference}": False})


def watchers(organization_id, campaign_ids):
    return members(organization_id).filter(role__in=MAY_WATCH,
                                           watches__campaign_id__in=campaign_ids).distinct()


def watchers_or_workers(organization_id, campaign_id, preference):
    """The campaign's watchers, or everyone who works callbacks while nobody watches it;
    of them, those who want this kind of e-mail."""
    audience = watchers(organization_id, [campaign_id])
    if not audience.exists():
        audience = members(organization_id).filter(role__in=CALLBACK_WORKERS)
    return wanting(audience, preference)


def user_ids(memberships):
    return list(memberships.values_list("user_id", flat=True).order_by("user_id"))
