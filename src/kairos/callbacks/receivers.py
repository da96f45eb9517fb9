"""What the callbacks app does when a customer acts on a campaign."""

from django.dispatch import receiver

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.signals import action_recorded


@receiver(action_recorded, dispatch_uid="callbacks.open_callback_request")
def open_callback_request(sender, action, data, **kwargs):
    """A callback request lands in the inbox in the transaction that stores the action."""
    if action.type != "callback_request":
        return
    CallbackRequest.objects.create(
        organization=action.organization, action=action, campaign=action.campaign,
        response=action.impression.response, phone_number=data["phone_number"],
        preferred_time=data["preferred_time"], note=data["note"],
        consent_text=data["consent_text"], consent_at=data["consent_at"],
    )
