"""The demo shop's callbacks inbox: older requests resolved, recent ones in every status."""

import random

from kairos.accounts.shop_time import shop_today
from kairos.callbacks.models import CallbackRequest


def work_demo_callbacks(organization, seed=7):
    """As if the shop's team had worked its inbox: requests older than a week resolved."""
    rng = random.Random(seed)
    today = shop_today(organization)
    callbacks = (CallbackRequest.objects.filter(organization=organization)
                 .select_related("action", "response").order_by("id"))
    for callback in callbacks:
        age = today - callback.response.submitted_at.date()
        status = "resolved" if age.days > 7 else rng.choice(["new", "in_progress", "resolved"])
        outcome = rng.choice(["reached", "reached", "no_answer"]) if status == "resolved" else ""
        CallbackRequest.objects.filter(pk=callback.pk).update(
            created_at=callback.action.created_at, status=status, outcome=outcome,
            is_open=status != "resolved")
