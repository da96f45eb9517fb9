"""The demo shop's callbacks inbox, worked as a team would have worked it: older requests
called (most within the SLA, some late) and resolved, recent ones in every state, each
with its due time, call attempts and history, so the queue and the closing-the-loop
figures have something true to show."""

import datetime
import random

from django.utils import timezone

from kairos.accounts.models import Membership
from kairos.accounts.roles import Role
from kairos.accounts.shop_time import shop_today
from kairos.callbacks.models import CallbackAttempt, CallbackHistory, CallbackRequest
from kairos.callbacks.sla import due_time

Outcome = CallbackRequest.Outcome
Kind = CallbackHistory.Kind
RESOLUTIONS = ["Re-sent the missing item, customer happy.",
               "Refunded the delivery fee.",
               "Explained the delay; new delivery date agreed."]


def work_demo_callbacks(organization, seed=7):
    """As if the owner had worked the inbox: requests older than a week resolved."""
    rng = random.Random(seed)
    today = shop_today(organization)
    owner = (Membership.objects.filter(organization=organization, role=Role.OWNER)
             .select_related("user").order_by("id").first())
    callbacks = (CallbackRequest.objects.filter(organization=organization)
                 .select_related("action", "response").order_by("id"))
    for callback in callbacks:
        age = today - callback.response.submitted_at.date()
        state = "resolved" if age.days > 7 else rng.choice(["new", "in_progress", "resolved"])
        work_one(callback, state, owner.user if owner else None, rng)


def work_one(callback, state, agent, rng):
    created = callback.action.created_at
    due = due_time(callback.organization, created)
    fields = {"created_at": created, "due_at": due, "status": state,
              "is_open": state != "resolved"}
    worked = call(callback, created, due, state, agent, rng) if state != "new" else None
    if worked is None:
        fields.update(status="new", is_open=True)
    else:
        fields.update(worked)
    CallbackRequest.objects.filter(pk=callback.pk).update(**fields)


def call(callback, created, due, state, agent, rng):
    """The attempts and history of a worked request and the request's new fields; None
    when its calls would lie in the future (a request that came in minutes ago)."""
    label = agent.email if agent else ""
    # Most first calls come well inside the SLA; one in six comes late.
    late = rng.random() < 1 / 6
    planned = (due - created + datetime.timedelta(hours=rng.randint(1, 20)) if late
               else (due - created) * rng.uniform(0.05, 0.8))
    # A recent request was called sooner, and every call lies in the past.
    available = timezone.now() - created
    if available < datetime.timedelta(minutes=30):
        return None
    first = created + min(planned, available / 2)
    gap = min(datetime.timedelta(hours=4), available / 8)
    outcomes = [Outcome.NO_ANSWER] if rng.random() < 0.3 else []
    outcomes.append(Outcome.REACHED if state == "resolved" else rng.choice(list(Outcome)))
    history = [CallbackHistory(callback=callback, kind=Kind.ASSIGNED, actor=agent,
                               actor_label=label, created_at=first,
                               changes={"assignee": [None, label]})]
    when = first
    for outcome in outcomes:
        attempt = CallbackAttempt.objects.create(callback=callback, outcome=outcome,
                                                 author=agent, author_label=label,
                                                 created_at=when)
        history.append(CallbackHistory(callback=callback, kind=Kind.ATTEMPT, actor=agent,
                                       actor_label=label, attempt=attempt, created_at=when,
                                       changes={"outcome": ["", outcome]}))
        when += gap * rng.uniform(0.5, 1.5)
    fields = {"assignee": agent, "outcome": outcomes[-1], "first_contact_at": first}
    if state == "resolved":
        resolved = when
        fields.update(resolved_at=resolved, resolution=rng.choice(RESOLUTIONS))
        history.append(CallbackHistory(callback=callback, kind=Kind.RESOLVED, actor=agent,
                                       actor_label=label, created_at=resolved,
                                       changes={"status": ["in_progress", "resolved"]}))
    CallbackHistory.objects.bulk_create(history)
    return fields
