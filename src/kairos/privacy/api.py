"""Admin REST API: /api/v1/responders/{identity}, one customer's data (GDPR art. 15–17)."""

import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.privacy.services import erase, export

router = Router(tags=["privacy"])
Identity = Annotated[str, Field(max_length=254)]  # an e-mail is at most 254 characters
IDENTITY_HELP = ("An e-mail, a phone number (E.164 or as the shop's customers write it) "
                 "or a customer id; responses carrying an identity found beside it are "
                 "the same customer's.")


Rows = list[dict] | None  # each row: its stored columns, by name


class ExportOut(Schema):
    """One customer's data: the identities looked up, then a section per kind of row
    (personal_data.REGISTRY's `export_as`; a test keeps the two in step)."""

    identity: str
    shop: str
    exported_at: datetime.datetime
    identities: dict[str, list[str]] = Field(description="email, phone_number, customer_id "
                                                         "and device_id found on their "
                                                         "responses")
    responses: Rows = None
    impressions: Rows = None
    actions: Rows = None
    callback_requests: Rows = None
    callback_attempts: Rows = None
    callback_comments: Rows = None
    callback_history: Rows = None
    referrals_naming_you: Rows = Field(None, description="other customers' referrals that "
                                                         "named this customer's e-mail")
    webhook_events: Rows = Field(None, description="the events that carried their data")


class ErasureOut(Schema):
    identity: str
    removed: dict[str, int]


@router.get("/responders/{identity}", response=ExportOut,
            description="Everything stored about one customer, as JSON. " + IDENTITY_HELP)
def export_responder(request, identity: Identity):
    actor = require(request, Permission.MANAGE_PERSONAL_DATA)
    return export(actor.organization, identity, actor, via="api")


@router.delete("/responders/{identity}", response=ErasureOut,
               description="Erase every trace of one customer (their frequency-cap history "
                           "included), in one transaction; answers how many rows of each "
                           "kind went. " + IDENTITY_HELP)
def erase_responder(request, identity: Identity):
    actor = require(request, Permission.MANAGE_PERSONAL_DATA)
    return {"identity": identity, "removed": erase(actor.organization, identity, actor,
                                                   via="api")}
