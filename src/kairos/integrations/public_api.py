"""The public API the widget calls from the shop's page (no login; a site key)."""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from kairos.accounts.client_address import client_address
from kairos.boundary.schemas import ErrorOut, PathName
from kairos.campaigns.actions import find_impression, record_action
from kairos.campaigns.configuration import shop_configuration
from kairos.campaigns.display import campaign_payload, submit_response
from kairos.errors import NotFound, PermissionDenied, Problems
from kairos.integrations.rate_limits import enforce_public_limits
from kairos.integrations.schemas import (
    ActionHeaders,
    ActionIn,
    ActionOut,
    PublicSubmissionIn,
    QuestionnaireOut,
    QuestionnaireQuery,
    SubmissionOut,
)
from kairos.integrations.site_keys import ResolvedKey, resolve_site_key
from kairos.languages import CODES as LANGUAGES
from kairos.questionnaires.models import Stage
from kairos.questionnaires.services import localized_questionnaire

router = Router(tags=["public"])
# The answers only these routes give; kairos.api_errors declares the rest (400, 413, 422).
SITE_KEY_ERRORS = {403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def site_key_for(request: HttpRequest, key: str) -> ResolvedKey:
    """The active site key, refusing callers from origins the shop did not allow."""
    origin = request.headers.get("Origin")
    site_key = checked_site_key(key, origin, client_address(request))
    if origin:
        request.cors_origin = origin
    return site_key


def checked_site_key(key, origin, address):
    """The active site key, once the rate limits of its address and of the key allow it.

    A request without an Origin header is not a browser's (browsers send it on every
    cross-origin POST): it is accepted, as from a shop's own server, since any other
    client could claim any Origin anyway; the rate limits bound what it can send.
    """
    site_key = resolve_site_key(key)
    # Counted after the (indexed, in-memory-cached) lookup, so each shop's own limit
    # applies; an unknown key counts against its address only, leaving no row behind.
    shop_limit = site_key.organization.public_rate_limit if site_key else None
    enforce_public_limits(address, key if site_key else None, site_key_limit=shop_limit)
    if site_key is None:
        raise PermissionDenied("site_key", _("unknown or inactive site key"))
    if origin and not site_key.allows_origin(origin):
        raise PermissionDenied("Origin", _("%(origin)s is not allowed for this site key")
                               % {"origin": origin})
    return site_key


def stage_version(organization, stage):
    if stage not in Stage.values:
        raise NotFound("stage", _("unknown stage '%(stage)s' (use %(stages)s)")
                       % {"stage": stage, "stages": ", ".join(Stage.values)})
    version = shop_configuration(organization).published_version(stage)
    if version is None:
        raise NotFound("stage", _("no active questionnaire for '%(stage)s'") % {"stage": stage})
    return version


@router.get("/questionnaires/{stage}", response={200: QuestionnaireOut, **SITE_KEY_ERRORS})
def questionnaire(request, stage: PathName, query: Query[QuestionnaireQuery]):
    key = site_key_for(request, query.site_key)
    if query.locale is not None and query.locale not in LANGUAGES:
        raise Problems([("locale", _("must be one of %(codes)s")
                         % {"codes": ", ".join(LANGUAGES)})])
    version = stage_version(key.organization, stage)
    return localized_questionnaire(version, query.locale or key.organization.default_language)


@router.post("/responses", response={201: SubmissionOut, **SITE_KEY_ERRORS})
def post_response(request, payload: PublicSubmissionIn):
    """Documented here; in production served by kairos.integrations.hot_path (same code)."""
    key = site_key_for(request, payload.site_key)
    return Status(201, accept_submission(key, payload))


def accept_submission(site_key, payload):
    """Store a completed questionnaire; the body of the 201 answer (raises a KairosError
    for a 4xx)."""
    organization = site_key.organization
    version = stage_version(organization, payload.stage)
    response, shown = submit_response(
        organization, version, payload.model_dump(),
        locale=payload.locale or organization.default_language,
        device_id=payload.device_id, source="widget", idempotency_key=payload.idempotency_key,
        campaign_types=payload.campaign_types,
    )
    return {"response_id": str(response.id), "campaign": campaign_payload(shown)}


@router.post("/impressions/{impression_id}/actions",
             response={201: ActionOut, 409: ErrorOut, **SITE_KEY_ERRORS})
def submit_action(request, impression_id: uuid.UUID, payload: ActionIn,
                  headers: Header[ActionHeaders]):
    key = site_key_for(request, payload.site_key)
    impression = find_impression(key.organization, impression_id)
    idempotency_key = headers.idempotency_key or payload.idempotency_key
    action = record_action(key.organization, impression, payload.type,
                           payload.model_dump(exclude={"site_key", "type"}), idempotency_key)
    return Status(201, {"action_id": str(action.pk)})


@router.get("/impressions/{impression_id}/coupon.svg", response={200: None, 429: ErrorOut},
            summary="The coupon of an impression as a Code 128 barcode or QR code (SVG)")
def coupon_image(request, impression_id: uuid.UUID):
    # An <img> sends no site key: the impression's random id is what the widget was given.
    enforce_public_limits(client_address(request))
    from kairos.integrations.views import coupon_svg_response

    return coupon_svg_response(impression_id)
