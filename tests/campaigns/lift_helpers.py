"""Building blocks for lift tests: a customer's orders (responses) and the campaign's
impressions of them, written straight to the database at chosen times."""

import datetime

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Action, Impression
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import published_version, responder_key

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def order(shop, at, nps=None, transaction=None, device="", stage="checkout", **identity):
    """A response of a customer at `at`; identity: email, phone_number, customer_id."""
    response = Response(organization=shop, questionnaire_version=published_version(
        shop, "checkout"), stage=stage, submitted_at=at, nps=nps, device_id=device,
        answers={} if nps is None else {"nps": nps}, transaction_id=transaction, **identity)
    response.responder_key = responder_key(response)
    response.save()
    return response


def expose(campaign, response, control=False):
    """The campaign shown (or, held out, not shown) on this response."""
    return Impression.objects.create(
        organization=campaign.organization, campaign=campaign, response=response,
        shown_at=response.submitted_at, locale="en", control=control,
        email=response.email, phone_number=response.phone_number,
        customer_id=response.customer_id, device_id=response.device_id or None)


def ask_callback(impression, status="new"):
    action = Action.objects.create(organization=impression.organization, impression=impression,
                                   campaign=impression.campaign, type="callback_request")
    return CallbackRequest.objects.create(
        organization=impression.organization, action=action, campaign=impression.campaign,
        response=impression.response, phone_number="+306912345678", consent_text="yes",
        consent_at=impression.shown_at, status=status)
