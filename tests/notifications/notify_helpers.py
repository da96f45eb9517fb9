"""Shops with two callback campaigns, members who work them, and their requests."""

import json

from campaigns.helpers import PROMOTERS, campaign, segment, submit
from django.test import Client

from kairos.accounts.services import add_membership, ensure_user
from kairos.callbacks.models import CallbackRequest
from kairos.notifications.models import NotificationPreferences
from kairos.notifications.watching import set_watching


def two_campaigns(shop):
    """Unhappy customers (NPS 0-6) see one callback campaign, happy ones (9-10) another."""
    unhappy = campaign(shop, [segment(shop)], title="Unhappy")
    happy = campaign(shop, [segment(shop, PROMOTERS, name="Promoters")], title="Happy")
    return unhappy, happy


def ask_for_a_call(shop, nps=2, device="d-1", note=""):
    """A customer answers, is offered a call and asks for one; the request it opened."""
    shown = submit(shop, nps=nps, device=device)["campaign"]
    sent = Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                         json.dumps({"site_key": shop.site_keys.get().key,
                                     "type": "callback_request", "consent": True,
                                     "phone_number": "6912345678", "note": note}),
                         content_type="application/json")
    assert sent.status_code == 201, sent.content
    return CallbackRequest.objects.get(action_id=sent.json()["action_id"])


def join(shop, email, role):
    user = ensure_user(email)
    return add_membership(user, shop, role)


def watch(membership, campaign):
    set_watching(membership, campaign, True)


def prefer(membership, **choices):
    NotificationPreferences.objects.update_or_create(membership=membership, defaults=choices)


def recipients(outbox):
    return sorted(address for email in outbox for address in email.to)
