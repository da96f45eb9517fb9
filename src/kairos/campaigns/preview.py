"""“Why did (or didn't) this customer see that campaign?” — a decision replayed.

Nothing is recorded: no response, no impression.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from kairos.campaigns.capacity import open_callbacks
from kairos.campaigns.configuration import shop_configuration
from kairos.campaigns.display import history, identities, response_values_for
from kairos.engine.decision import decide
from kairos.engine.words import as_is
from kairos.errors import NotFound, Problems
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import build_response, published_version


def subject_response(organization, body):
    """The stored response named by response_id, or the typed one, validated, unsaved."""
    if body.get("response_id"):
        response = Response.objects.filter(organization=organization,
                                           pk=body["response_id"]).first()
        if response is None:
            raise NotFound("response_id", _("no such response in this shop"))
        return response
    version = published_version(organization, body["stage"])
    if version is None:
        raise Problems([("stage", _("no active questionnaire for '%(stage)s'")
                         % {"stage": body["stage"]})])
    return build_response(organization, version, body,
                          locale=body.get("locale") or organization.default_language,
                          device_id=body.get("device_id", ""), source="preview",
                          registered=shop_configuration(organization).catalog)


def preview_decision(organization, body, present=as_is):
    """The decision for a stored or typed response at a moment, with its trace; `present`
    shows the dates in the trace's sentences (the API keeps the engine's ISO text)."""
    response = subject_response(organization, body)
    at = body.get("at") or (response.submitted_at if body.get("response_id") else timezone.now())
    config = shop_configuration(organization)
    values = response_values_for(response, config.catalog)
    stored = response if body.get("response_id") else None
    seen = history(organization, identities(response), config.book.budget_start(at),
                   before=at, other_than=stored)
    # Open callback requests are counted as they are now: their past is not kept.
    decision = decide(config.book, values, response.locale, at, seen.last_seen,
                      explain=True, recent=seen.recent, identity=response.responder_key,
                      open_callbacks=lambda: open_callbacks(organization))
    return {
        "at": at, "locale": response.locale, "response_id": stored and str(stored.pk),
        "campaign": summary(decision.campaign, config),
        "held_out": summary(decision.held_out, config),
        "trace": [{"campaign_id": t.campaign_id, "title": t.title, "outcome": t.outcome,
                   "reason": t.words.render(_, present), "detail": dict(t.detail)}
                  for t in decision.trace],
    }


def summary(engine_campaign, config):
    if engine_campaign is None:
        return None
    campaign = config.campaigns[engine_campaign.id]
    return {"campaign_id": campaign.pk, "title": campaign.title, "type": campaign.type,
            "priority": campaign.priority}
