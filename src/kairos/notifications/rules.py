"""Who hears of which event by e-mail. Add a rule here to send a new kind of e-mail."""

from dataclasses import dataclass

from django.urls import reverse

from kairos.accounts.models import Membership
from kairos.accounts.roles import Role


@dataclass(frozen=True)
class Rule:
    template: str  # notifications/<template>.txt and <template>_subject.txt
    roles: tuple  # members with these roles are told
    link: object  # event data -> the dashboard path of the thing the e-mail is about


MANAGERS = (Role.OWNER, Role.ADMIN)
RULES = {
    # A callback request is a promise: whoever answers for the shop hears of it at once.
    "callback.created": Rule("callback_created", MANAGERS,
                             lambda data: reverse("callbacks:list") + "?status=new"),
    "webhook.disabled": Rule("webhook_disabled", MANAGERS,
                             lambda data: reverse("webhooks:detail",
                                                  args=[data["webhook_id"]])),
}


def recipients(organization_id, rule):
    return (Membership.objects.filter(organization_id=organization_id, role__in=rule.roles)
            .exclude(user__email="").values_list("user_id", flat=True).order_by("user_id"))
