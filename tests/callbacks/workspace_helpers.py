"""Callback requests made the way customers make them: the public API, end to end."""

import itertools
import json

from campaigns.helpers import campaign, segment, submit
from django.test import Client

from kairos.callbacks.models import CallbackRequest

devices = itertools.count(1)


def callback_campaign(organization, title="Call unhappy customers"):
    return campaign(organization, [segment(organization)], title=title)


def request_callback(organization, phone="6912345678", responder=None, order=None,
                     nps=2, answers=None, **form):
    """A customer answers, sees the callback form and sends it; the request it made."""
    shown = submit(organization, nps=nps, device=f"d-{next(devices)}", responder=responder,
                   metadata={"responder": responder or {}, "questionnaire": order or {}},
                   **({"answers": answers} if answers else {}))
    impression_id = shown["campaign"]["impression_id"]
    sent = Client().post(f"/api/public/v1/impressions/{impression_id}/actions", json.dumps({
        "site_key": organization.site_keys.get().key, "type": "callback_request",
        "phone_number": phone, "consent": True, **form}), content_type="application/json")
    assert sent.status_code == 201, sent.content
    return CallbackRequest.objects.get(action_id=sent.json()["action_id"])
