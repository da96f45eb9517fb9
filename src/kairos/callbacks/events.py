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
        "outcome": callback.outcome, "resolution": callback.resolution,
        "is_open": callback.is_open,
        "due_at": stamp(callback.due_at),
        "first_contact_at": stamp(callback.first_contact_at),
        "resolved_at": stamp(callback.resolved_at),
        "assignee": callback.assignee.email if callback.assignee else None,
        "created_at": timestamp(callback.created_at),
        "updated_at": timestamp(callback.updated_at),
        "url": settings.SITE_URL + reverse("callbacks:list"),
    }


def stamp(moment):
    return timestamp(moment) if moment else None


def callback_updated(callback, changes, kind="status", extra=None):
    """`changes`: {field: [before, after]} of what this update changed; `kind` what was
    done (callbacks.models.CallbackHistory.Kind); `extra` the attempt or comment added."""
    return {**callback_data(callback), "kind": kind, "changes": changes, **(extra or {})}
