"""A customer who left everything Kairos can hold: responses, a callback request, events
and webhook deliveries of them."""

import json

from campaigns.helpers import campaign, segment, submit
from django.apps import apps
from django.db import models
from django.test import Client

from kairos.accounts.membership import Actor
from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, ensure_user
from kairos.callbacks import services as callbacks
from kairos.callbacks.models import CallbackRequest

# The scans below look for these words in every stored text: none may occur by chance,
# e.g. "c-42" did inside a UUID ("…fc-42e1-…") once in ~250 and failed a retention test.
MARIA = {"email": "maria@example.com", "phone_number": "+306900000001", "name": "Maria Papa",
         "customer_id": "customer-42"}
NIKOS = {"email": "nikos@example.com", "phone_number": "+306900000002", "name": "Nikos K",
         "customer_id": "customer-77"}
MARIAS_WORDS = "the courier lost my parcel at Kifisias 12"


def callback_campaign(shop, **fields):
    return campaign(shop, [segment(shop)], frequency_cap_minutes=60 * 24 * 30, **fields)


def nikos_story(shop):
    return customer_story(shop, NIKOS, words="all fine, thanks", device="d-nikos",
                          note="mornings are better", order="B-2002")


def answer(shop, responder, comment="", nps=2, device="d-maria", **extra):
    answers = {"nps": nps, **({"comment": comment} if comment else {})}
    return submit(shop, nps=nps, device=device, responder=responder, answers=answers,
                  **extra)


def request_callback(shop, shown, phone="6900000001", note="call after 6, about A-1001"):
    response = Client().post(
        f"/api/public/v1/impressions/{shown['impression_id']}/actions", json.dumps({
            "site_key": shop.site_keys.get().key, "type": "callback_request",
            "phone_number": phone, "preferred_time": "evenings", "note": note,
            "consent": True}), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def customer_story(shop, responder=MARIA, words=MARIAS_WORDS, device="d-maria",
                   note="call after 6, about A-1001", order="A-1001"):
    """Two responses (the first with a callback request), as the widget sends them."""
    first = answer(shop, responder, comment=words, device=device,
                   metadata={"responder": responder,
                             "questionnaire": {"transaction_id": order}})
    if first["campaign"]:
        sent = request_callback(shop, first["campaign"], phone=responder["phone_number"],
                                note=note)
        work_the_callback(shop, CallbackRequest.objects.get(action_id=sent["action_id"]),
                          responder["name"])
    second = answer(shop, {"email": responder["email"]}, nps=9, device=device)
    return first, second


def kairos_models():
    return [model for model in apps.get_models() if model.__module__.startswith("kairos.")]


def existing_rows():
    """(model, pk) of every row already stored: rows a test did not write."""
    return {(model.__name__, pk) for model in kairos_models()
            for pk in model.objects.values_list("pk", flat=True)}


def every_text_and_json_value(ignoring=frozenset()):
    """Every text and JSON column of every Kairos model, as one string per row (but the
    rows in `ignoring`)."""
    for model in kairos_models():
        columns = [f.attname for f in model._meta.concrete_fields
                   if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        for pk, *row in model.objects.values_list("pk", *columns):
            if (model.__name__, pk) not in ignoring:
                yield model.__name__, json.dumps(row, ensure_ascii=False, default=str)


def traces_of(words, ignoring=frozenset()):
    return {(model, word) for model, text in every_text_and_json_value(ignoring)
            for word in words if word in text}


def work_the_callback(shop, callback, name):
    """An agent calls, writes about the customer in a note, a comment and the resolution:
    free text of the callback workspace that names them."""
    agent = ensure_user("agent-of-the-shop@example.com", "a password of the agent")
    if not shop.memberships.filter(user=agent).exists():
        add_membership(agent, shop, Role.AGENT)
    actor = Actor(shop, Role.AGENT, user=agent)
    callbacks.log_attempt(callback, actor, "no_answer", note=f"{name} did not pick up")
    callbacks.add_comment(callback, actor, f"{name} wrote again about it")
    callbacks.resolve(callback, actor, resolution=f"{name} was refunded")
