"""The demo shop's segments and campaigns, and what its customers did with them.

Campaigns start 90 days back and the demo responses are replayed through the real
decision in the order they came in, so impressions, caps and the performance charts
look like a shop that has been running Kairos for a while.

The detractors' callback campaign holds a share of its customers out (25%, then 35% from
day 45: a change recorded in its history, so the lift report names both periods), and
the customers it reached come back to order again more often than its control group: a
known effect the Lift tab measures. Everything is drawn from seeded generators, so every
demo shop tells the same story.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kairos.accounts.shop_time import shop_today, shop_zone, start_of_day
from kairos.campaigns.actions import store as store_action
from kairos.campaigns.display import show_campaign
from kairos.campaigns.lift_facts import keep_facts_of
from kairos.campaigns.models import Action, AuditEntry, Impression
from kairos.campaigns.services import create_campaign, update_campaign
from kairos.questionnaires.demo_data import answers, order_metadata
from kairos.questionnaires.demo_data import store as store_responses
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import build_response
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
HELD_OUT_CAMPAIGN = "Detractors — checkout"
# (days after the campaigns' start, holdout percent from then on)
HOLDOUTS = [(0, 25), (45, 35)]
# The known effect: the chance that a customer of the held-out campaign orders again
# within four weeks, and the NPS group of that next answer, by group (control or not).
COME_BACK = {False: 0.8, True: 0.1}
NEXT_GROUPS = ("promoter", "passive", "detractor")
NEXT_GROUP_WEIGHTS = {False: (50, 30, 20), True: (25, 35, 40)}
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
        campaigns = {title: create_campaign(organization, {
            "type": kind, "title": title, "active": True, "priority": priority,
            "frequency_cap_minutes": cap, "start_date": start, "content": content,
            "holdout_percent": HOLDOUTS[0][1] if title == HELD_OUT_CAMPAIGN else 0,
        }, [segments[preset].pk], via="demo") for preset, kind, title, priority, cap, content
            in CAMPAIGNS}
        # Created when they started, as their history (and the holdout periods) say.
        AuditEntry.objects.filter(campaign__in=campaigns.values()).update(
            at=start_of_day(organization, start))
        rng = random.Random(seed)
        shown = replay_with_holdouts(organization, campaigns[HELD_OUT_CAMPAIGN], start, rng)
        seed_come_backs(organization, campaigns[HELD_OUT_CAMPAIGN], rng)
    # My campaigns' lift column counts the kept facts: the demo shows it from the start.
    keep_facts_of(organization, timezone.now())
    return shown


def replay_with_holdouts(organization, held, start, rng):
    """Replay the history in stretches, changing the holdout between them as a marketer
    would have, on the day it happened."""
    moments = [start_of_day(organization, start + datetime.timedelta(days=days))
               for days, _percent in HOLDOUTS] + [None]
    shown = 0
    for position, (_days, percent) in enumerate(HOLDOUTS):
        if position:
            update_campaign(held, {"holdout_percent": percent}, via="demo")
            held.audit.filter(pk=held.audit.latest("id").pk).update(at=moments[position])
        organization.refresh_from_db()  # the configuration's new version
        since = moments[position] if position else None
        shown += replay_history(organization, rng, since, moments[position + 1])
    return shown


def replay_history(organization, rng, since=None, until=None):
    shown = 0
    responses = Response.objects.filter(organization=organization).order_by("submitted_at")
    if since is not None:
        responses = responses.filter(submitted_at__gte=since)
    if until is not None:
        responses = responses.filter(submitted_at__lt=until)
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


def seed_come_backs(organization, campaign, rng):
    """Later orders of the campaign's customers, more often from those who saw it than
    from its control group, each a week or few after the customer first met it."""
    now, seen, later = timezone.now(), set(), []
    number = Response.objects.filter(organization=organization).count()
    firsts = (Impression.objects.filter(campaign=campaign).exclude(response__responder_key="")
              .select_related("response__questionnaire_version__questionnaire")
              .order_by("shown_at", "id"))
    for impression in firsts:
        response = impression.response
        if response.responder_key in seen:
            continue
        seen.add(response.responder_key)
        at = impression.shown_at + datetime.timedelta(days=rng.randint(3, 27),
                                                      hours=rng.randint(0, 8))
        if rng.random() < COME_BACK[impression.control] and at <= now:
            number += 1
            later.append(come_back(rng, organization, response, at, number,
                                   impression.control))
    store_responses(organization, later)
    return len(later)


def come_back(rng, organization, response, at, number, control):
    """The same customer's next order and answer, validated like any submission."""
    group = rng.choices(NEXT_GROUPS, NEXT_GROUP_WEIGHTS[control])[0]
    local = at.astimezone(shop_zone(organization))
    submission = {"answers": answers(rng, response.locale, group), "metadata": {
        "questionnaire": order_metadata(rng, number, response.store_id or "online", local),
        "responder": response.responder_metadata}}
    return build_response(organization, response.questionnaire_version, submission,
                          locale=response.locale, device_id=response.device_id,
                          submitted_at=at, registered={})
