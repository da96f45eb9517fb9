"""“Why did this customer see…?” starts from what a person has at hand: the customer's
e-mail, phone number or order id, as typed. The customer's latest response in the shop
is the one replayed."""

import contextlib
from dataclasses import dataclass

from django.db.models import Q

from kairos.questionnaires.models import Response
from kairos.questionnaires.validation import normalize_phone


@dataclass(frozen=True)
class Found:
    response: Response  # the latest
    count: int  # the customer's responses in the shop, this one included


def customer_responses(organization, typed):
    """The shop's responses matching the typed e-mail, phone number or order id, newest
    first. E-mails are stored lower-cased and phones in E.164, so the typed text is
    normalised the same way (a Greek mobile typed as 694 123 4567 finds +306941234567)."""
    text = typed.strip()
    matches = Q(transaction_id=text)
    if "@" in text:
        matches |= Q(email=text.lower())
    with contextlib.suppress(ValueError):  # not a phone number: an e-mail or an order id
        matches |= Q(phone_number=normalize_phone(text, organization.country))
    return (Response.objects.filter(matches, organization=organization)
            .order_by("-submitted_at", "-id"))


def latest_response(organization, typed):
    """Found, or None when no response of the shop matches."""
    responses = customer_responses(organization, typed)
    latest = responses.first()
    return None if latest is None else Found(latest, responses.count())
