"""Admin REST API: /api/v1/responders/{identity}, one customer's data (GDPR art. 15–17)."""

from typing import Annotated, Any

from ninja import Field, Router, Schema

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.privacy.services import erase, export

router = Router(tags=["privacy"])
Identity = Annotated[str, Field(max_length=254)]  # an e-mail is at most 254 characters
IDENTITY_HELP = ("An e-mail, a phone number (E.164 or as the shop's customers write it) "
                 "or a customer id; responses carrying an identity found beside it are "
                 "the same customer's.")


class ErasureOut(Schema):
    identity: str
    removed: dict[str, int]


@router.get("/responders/{identity}", response=dict[str, Any],
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
