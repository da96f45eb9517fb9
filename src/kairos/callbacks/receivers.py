"""What the callbacks app does when a customer acts on a campaign."""

from django.dispatch import receiver

from kairos.callbacks.events import callback_data
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.signals import action_recorded
from kairos.events.outbox import emit


@receiver(action_recorded, dispatch_uid="callbacks.open_callback_request")
def open_callback_request(sender, action, data, announce=True, **kwargs):
    """A callback request lands in the inbox in the transaction that stores the action."""
    if action.type != "callback_request":
        return
    callback = CallbackRequest.objects.create(
        organization=action.organization, action=action, campaign=action.campaign,
        response=action.impression.response, phone_number=data["phone_number"],
        preferred_time=data["preferred_time"], note=data["note"],
        consent_text=data["consent_text"], consent_at=data["consent_at"],
    )
    if announce:
        emit(action.organization, "callback.created", callback_data(callback))
