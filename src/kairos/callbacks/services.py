"""Changing a callback request: saved and announced (`callback.updated`) together."""

from django.db import transaction

from kairos.callbacks.events import callback_updated
from kairos.events.outbox import emit

TRACKED = ("status", "outcome", "assignee")


def update_callback(callback, **changes):
    """Apply `changes` (status, outcome, assignee) and emit what actually changed."""
    before = snapshot(callback)
    for name, value in changes.items():
        setattr(callback, name, value)
    after = snapshot(callback)
    changed = {name: [before[name], after[name]] for name in TRACKED
               if before[name] != after[name]}
    if not changed:
        return callback
    with transaction.atomic():
        callback.save()
        emit(callback.organization, "callback.updated", callback_updated(callback, changed))
    return callback


def snapshot(callback):
    return {"status": callback.status, "outcome": callback.outcome,
            "assignee": callback.assignee.email if callback.assignee else None}
