"""A shop's customer asks for a call: the real public API end to end."""

import json

from campaigns.helpers import campaign, segment, submit
from django.test import Client

from kairos.callbacks.models import CallbackRequest


def request_callback(organization, device="d-1", with_campaign=True):
    """Returns the CallbackRequest the customer's request opened."""
    if with_campaign:
        campaign(organization, [segment(organization)])
    shown = submit(organization, nps=1, device=device)["campaign"]
    response = Client().post(
        f"/api/public/v1/impressions/{shown['impression_id']}/actions", json.dumps({
            "site_key": organization.site_keys.get().key, "type": "callback_request",
            "phone_number": "6912345678", "consent": True}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    return CallbackRequest.objects.filter(organization=organization).latest("id")
