"""What the callbacks app does when a customer acts on a campaign, and when a request
comes or changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from kairos.callbacks.events import callback_data
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.sla import due_time
from kairos.campaigns.capacity import forget_open_callbacks
from kairos.campaigns.signals import action_recorded
from kairos.events.outbox import emit


@receiver(action_recorded, dispatch_uid="callbacks.open_callback_request")
def open_callback_request(sender, action, data, announce=True, **kwargs):
    """A callback request lands in the inbox in the transaction that stores the action,
    due when the shop's SLA says."""
    if action.type != "callback_request":
        return
    now = timezone.now()
    callback = CallbackRequest.objects.create(
        created_at=now, due_at=due_time(action.organization, now),
        organization=action.organization, action=action, campaign=action.campaign,
        response=action.impression.response, phone_number=data["phone_number"],
        preferred_time=data["preferred_time"], note=data["note"],
        consent_text=data["consent_text"], consent_at=data["consent_at"],
    )
    if announce:
        emit(action.organization, "callback.created", callback_data(callback))


@receiver(post_save, sender=CallbackRequest, dispatch_uid="callbacks.count_open_again")
@receiver(post_delete, sender=CallbackRequest, dispatch_uid="callbacks.count_open_again")
def count_open_again(sender, instance, **kwargs):
    """A request came or changed: capacity-limited campaigns see the shop's new queue. Once
    more on commit, so a count taken in between cannot keep the old one."""
    forget_open_callbacks(instance.organization_id)
    transaction.on_commit(lambda: forget_open_callbacks(instance.organization_id))
