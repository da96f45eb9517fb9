"""The customer card of a callback request: who is asking, about which order, what they
answered, what they agreed to, and their story with the shop so far.

The agent who makes the call reads it on the request's page; the API's callback items
carry its `customer`, `order` and `answers`; the CSV export has its fields. Earlier
responses, impressions and callbacks are found by any of the customer's identities
(e-mail, phone, customer id), each an indexed lookup, always within the shop.
"""

from dataclasses import dataclass

from django.db.models import Q

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Impression
from kairos.campaigns.types.callback_request import TIME_WINDOWS
from kairos.questionnaires.labels import labelled_answers, pick, ui_language
from kairos.questionnaires.models import Response

HISTORY_LIMIT = 20  # of each kind: the card is for a call, not an audit


def customer_of(callback):
    """`customer` of the API: the response's identities; the phone the customer asked to be
    called on wins over the one in the order's metadata."""
    response = callback.response
    return {"name": response.responder_metadata.get("name") or "",
            "email": response.email or "", "phone_number": callback.phone_number,
            "customer_id": response.customer_id or ""}


def order_of(response):
    """`order` of the API: the order the response was about."""
    metadata = response.questionnaire_metadata
    return {"transaction_id": response.transaction_id or "",
            "transaction_date": response.transaction_date, "amount": response.amount,
            "store_id": response.store_id or "", "products": products(metadata)}


def products(metadata):
    found = metadata.get("products")
    if found in (None, ""):
        return []
    return [str(item) for item in found] if isinstance(found, list) else [str(found)]


def time_window_label(key):
    """“morning” as the customer saw it, in the dashboard's language; other text as is."""
    labels = TIME_WINDOWS.get(key)
    return pick(labels, ui_language()) if labels else key


@dataclass
class CustomerCard:
    callback: CallbackRequest
    customer: dict
    order: dict
    nps: int | None
    answers: list  # questionnaires.labels.Answer, labelled from the answered version
    preferred_time: str
    consent: dict  # text, at, locale
    earlier_responses: list
    impressions: list
    earlier_callbacks: list


def customer_card(callback):
    """Everything the agent needs on the phone. `callback` with its response and version."""
    response = callback.response
    identities = identities_of(callback)
    callbacks = earlier_callbacks(callback.organization, identities, callback)
    asked_from = [earlier.response_id for earlier in callbacks]
    return CustomerCard(
        callback=callback, customer=customer_of(callback), order=order_of(response),
        nps=response.nps, answers=labelled_answers(response, ui_language()),
        preferred_time=time_window_label(callback.preferred_time),
        consent={"text": callback.consent_text, "at": callback.consent_at,
                 "locale": response.locale},
        earlier_responses=earlier_responses(callback.organization, identities, response,
                                            asked_from),
        impressions=impressions(callback.organization, identities,
                                [*asked_from, response.pk]),
        earlier_callbacks=callbacks,
    )


def identities_of(callback):
    """{identity: values}: the customer's e-mail, phones and customer id, where known."""
    response = callback.response
    phones = {callback.phone_number, response.phone_number} - {None, ""}
    found = {"email": {response.email}, "phone_number": phones,
             "customer_id": {response.customer_id}}
    return {name: values - {None, ""} for name, values in found.items()
            if values - {None, ""}}


def anyone(identities, prefix=""):
    """A condition true for a row carrying any of the identities (an OR of indexed ones);
    never true when none is known."""
    condition = Q(pk__in=[])
    for name, values in identities.items():
        condition |= Q(**{f"{prefix}{name}__in": sorted(values)})
    return condition


def earlier_responses(organization, identities, response, of_callbacks):
    """By identity, and the responses of earlier callbacks (the phone the customer asked
    to be called on may be in no response's metadata)."""
    mine = anyone(identities) | Q(pk__in=of_callbacks)
    return list(Response.objects.filter(mine, organization=organization)
                .exclude(pk=response.pk).order_by("-submitted_at")[:HISTORY_LIMIT])


def impressions(organization, identities, of_responses):
    mine = anyone(identities) | Q(response_id__in=of_responses)
    return list(Impression.objects.filter(mine, organization=organization)
                .select_related("campaign").order_by("-shown_at")[:HISTORY_LIMIT])


def earlier_callbacks(organization, identities, callback):
    phones = identities.get("phone_number", set())
    mine = (anyone(identities, prefix="response__")
            | Q(phone_number__in=sorted(phones)))
    return list(CallbackRequest.objects.filter(mine, organization=organization)
                .exclude(pk=callback.pk).select_related("campaign")
                .order_by("-created_at")[:HISTORY_LIMIT])
