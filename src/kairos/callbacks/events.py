"""Payloads of `callback.created` and `callback.updated` (version 1, documented in README)."""

from django.conf import settings
from django.urls import reverse

from kairos.events.models import timestamp


def callback_data(callback):
    return {
        "callback_id": callback.pk, "campaign_id": callback.campaign_id,
        "response_id": str(callback.response_id), "action_id": str(callback.action_id),
        "phone_number": callback.phone_number, "preferred_time": callback.preferred_time,
        "note": callback.note, "consent_text": callback.consent_text,
        "consent_at": callback.consent_at, "status": callback.status,
        "outcome": callback.outcome,
        "assignee": callback.assignee.email if callback.assignee else None,
        "created_at": timestamp(callback.created_at),
        "updated_at": timestamp(callback.updated_at),
        "url": settings.SITE_URL + reverse("callbacks:list"),
    }


def callback_updated(callback, changes):
    """`changes`: {field: [before, after]} of what this update changed."""
    return {**callback_data(callback), "changes": changes}
