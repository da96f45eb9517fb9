"""Hand-counted shops for the reports: responses, impressions and actions made through the
public API at chosen instants (time-machine), callback clocks set as the workspace sets them."""

import datetime
import json

import time_machine
from django.test import Client

from kairos.callbacks.models import CallbackRequest

UTC = datetime.UTC


def at(text):
    """An instant in UTC: '2026-11-10 10:00'."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def respond(organization, when, nps, email=None, store=None, stage="checkout", locale="en"):
    """A completed questionnaire at `when`; answers the campaign shown, if any."""
    body = {"site_key": organization.site_keys.first().key, "stage": stage, "locale": locale,
            "device_id": f"d-{email or when.isoformat()}", "answers": {"nps": nps},
            "metadata": {"questionnaire": {"store_id": store} if store else {},
                         "responder": {"email": email} if email else {}}}
    with time_machine.travel(when, tick=False):
        answer = Client().post("/api/public/v1/responses", json.dumps(body),
                               content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def act(organization, when, shown, action="callback_request"):
    body = {"site_key": organization.site_keys.first().key, "type": action}
    if action == "callback_request":
        body.update(phone_number="6912345678", consent=True)
    with time_machine.travel(when, tick=False):
        answer = Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                               json.dumps(body), content_type="application/json")
    assert answer.status_code == 201, answer.content


def callback(organization, created, nps, email, **clock):
    """A detractor asks to be called back at `created`; then the clock is set as given."""
    shown = respond(organization, created, nps, email=email)["campaign"]
    act(organization, created, shown)
    request = CallbackRequest.objects.get(action__impression_id=shown["impression_id"])
    CallbackRequest.objects.filter(pk=request.pk).update(**clock)
    return request


def page_at(when, user, url, query=None):
    """GET a dashboard page at `when`, signed in then (a session from another day may
    have expired by then)."""
    client = Client()
    with time_machine.travel(when, tick=False):
        client.force_login(user)
        return client.get(url, query or {})
