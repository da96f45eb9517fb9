"""The demo shop's segments and campaigns, and what its customers did with them.

Campaigns start 90 days back and the demo responses are replayed through the real
decision in the order they came in, so impressions, caps and the performance charts
look like a shop that has been running Kairos for a while.
"""

import datetime
import random

from django.db import transaction

from kairos.accounts.shop_time import shop_today
from kairos.campaigns.actions import store as store_action
from kairos.campaigns.display import show_campaign
from kairos.campaigns.models import Action
from kairos.campaigns.services import create_campaign
from kairos.questionnaires.models import Response
from kairos.segments.models import Segment
from kairos.segments.presets import PRESETS

CAMPAIGNS = [
    # (segment preset, type, title, priority, cap in minutes, content)
    ("detractors", "callback_request", "Detractors — checkout", 0, 24 * 60, {}),
    ("passives", "onscreen_incentive", "Passives — checkout coupon", 1, 7 * 24 * 60,
     {"coupon_mode": "single", "coupon_code": "THANKS10", "coupon_format": "qr"}),
    ("promoters", "refer_friend", "Promoters — refer a friend", 2, 14 * 24 * 60,
     {"coupon_mode": "single", "coupon_code": "FRIEND15"}),
    ("happy", "image_display", "Happy — store review", 3, 30 * 24 * 60, {}),
]
# How often customers act on each type, and what they do.
ACTION_RATES = {"callback_request": ("callback_request", 0.35), "onscreen_incentive": (
    "click", 0.3), "refer_friend": ("referral", 0.18), "image_display": ("click", 0.22)}
NOTES = ["Το δέμα ήρθε ανοιγμένο", "Late delivery, twice", "Λάθος μέγεθος", "",
         "Please call after 5pm", ""]


def seed_demo_campaigns(organization, seed=7):
    """Create the demo segments and campaigns once, then replay the demo history."""
    if Segment.objects.filter(organization=organization).exists():
        return 0
    with transaction.atomic():
        segments = {key: Segment.objects.create(
            organization=organization, name=str(p["name"]), icon=p["icon"],
            conditions=p["conditions"]) for key, p in PRESETS.items()}
        start = shop_today(organization) - datetime.timedelta(days=90)
        for preset, kind, title, priority, cap, content in CAMPAIGNS:
            create_campaign(organization, {
                "type": kind, "title": title, "active": True, "priority": priority,
                "frequency_cap_minutes": cap, "start_date": start, "content": content,
            }, [segments[preset].pk], via="demo")
        organization.refresh_from_db()
        return replay_history(organization, random.Random(seed))


def replay_history(organization, rng):
    shown = 0
    responses = Response.objects.filter(organization=organization).order_by("submitted_at")
    for response in responses.iterator():
        result = show_campaign(organization, response, response.locale)
        if result is not None:
            shown += 1
            maybe_act(organization, result, response, rng)
    return shown


def maybe_act(organization, result, response, rng):
    action_type, rate = ACTION_RATES[result.campaign.type]
    if rng.random() >= rate:
        return
    data = {"callback_request": lambda: callback_data(response, rng),
            "referral": lambda: {"friend_email": f"friend{rng.randint(1, 999)}@example.com"},
            "click": dict}[action_type]()
    action = store_action(organization, result.impression, action_type, data, None,
                          announce=False)  # sample history: no webhooks, no e-mails
    acted_at = result.impression.shown_at + datetime.timedelta(minutes=rng.randint(1, 9))
    Action.objects.filter(pk=action.pk).update(created_at=acted_at)


def callback_data(response, rng):
    return {"phone_number": response.phone_number or "+306900000000",
            "preferred_time": rng.choice(["morning", "midday", "afternoon", "any"]),
            "note": rng.choice(NOTES), "consent": True,
            "consent_text": "I agree to be called about my order.",
            "consent_at": response.submitted_at.isoformat()}
