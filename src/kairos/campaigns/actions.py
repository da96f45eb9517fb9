"""Recording what a customer did with the campaign they were shown."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kairos.campaigns.events import action_created
from kairos.campaigns.models import Action, Impression
from kairos.campaigns.signals import action_recorded
from kairos.errors import Conflict, NotFound, Problems
from kairos.events.outbox import emit


def find_impression(organization, impression_id):
    # A control impression was never shown: nobody can act on it.
    impression = (Impression.objects.select_related("campaign", "response")
                  .filter(pk=impression_id, organization=organization, control=False).first())
    if impression is None:
        raise NotFound("impression_id", _("no such impression for this site key"))
    return impression


def record_action(organization, impression, action_type, payload, idempotency_key=None):
    """Store the action (and what other apps add to it: a callback request); a retried
    submission is not doubled."""
    if idempotency_key:
        earlier = impression.actions.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    campaign_type = impression.campaign.campaign_type
    if action_type not in campaign_type.actions:
        raise Problems([("type", _("'%(action)s' is not an action of a %(type)s campaign")
                         % {"action": action_type, "type": impression.campaign.type})])
    refuse_second(impression, action_type)
    context = {"country": organization.country,
               "consent_text": campaign_type.text(impression.campaign.content, "consent_text",
                                                  impression.locale)}
    data = campaign_type.clean_action(action_type, payload, context)
    try:
        with transaction.atomic():
            return store(organization, impression, action_type, data, idempotency_key)
    except IntegrityError:
        # Two submissions raced past the checks above: the first one won.
        raise already_recorded(action_type) from None


def refuse_second(impression, action_type):
    """An action of a kind counts once per impression: a second click, say, would let
    anyone holding the public site key inflate a campaign's engagement."""
    if impression.actions.filter(type=action_type).exists():
        raise already_recorded(action_type)


def already_recorded(action_type):
    return Conflict("type", _("a %(action)s was already recorded for this impression")
                    % {"action": action_type})


def store(organization, impression, action_type, data, idempotency_key, announce=True):
    """Store the action; `announce` emits its events (the demo's sample history does not:
    it is not news)."""
    action = Action.objects.create(
        organization=organization, impression=impression, campaign=impression.campaign,
        type=action_type, data=data, idempotency_key=idempotency_key or None,
    )
    if announce:
        emit(organization, "action.created", action_created(action))
    # e.g. the callbacks inbox (which announces the callback request it opens)
    action_recorded.send(sender=Action, action=action, data=data, announce=announce)
    return action

