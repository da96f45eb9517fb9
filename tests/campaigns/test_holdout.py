"""Holdouts end to end: held-out customers see nothing and are recorded as control
impressions, stably across devices; caps and reports treat control impressions as they
should; changes of the share are recorded."""

import datetime
import json

import time_machine
from campaigns.helpers import PROMOTERS, campaign, segment, submit
from django.test import Client

from kairos.campaigns.holdout import holdout_periods
from kairos.campaigns.models import Impression
from kairos.engine.holdout import is_held_out

NOON = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def customer(campaign_id, percent, held, start=0):
    """An e-mail the engine puts in (held=True) or out of the campaign's control group."""
    return next(f"c{n}@example.com" for n in range(start, start + 1000)
                if is_held_out(campaign_id, f"email:c{n}@example.com", percent) == held)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_held_out_customers_see_nothing_and_are_recorded_as_control(alice):
    shop = alice.organization
    detractors = segment(shop)
    chosen = campaign(shop, [detractors], title="Call me", holdout_percent=30)
    campaign(shop, [detractors], title="Next best", type="onscreen_incentive", priority=9)
    emails = [f"c{n}@example.com" for n in range(60)]
    answers = {email: submit(shop, responder={"email": email}, device=f"d-{email}")
               for email in emails}
    held = {e for e in emails if is_held_out(chosen.pk, f"email:{e}", 30)}
    assert 5 < len(held) < 35  # 30% of 60, give or take chance
    for email, answer in answers.items():
        if email in held:  # nothing at all: not the next-best campaign either
            assert answer["campaign"] is None
        else:
            assert answer["campaign"]["campaign_id"] == chosen.pk
    control = Impression.objects.filter(campaign=chosen, control=True)
    assert {i.email for i in control} == held
    assert all(i.coupon_code == "" for i in control)
    assert Impression.objects.filter(campaign=chosen, control=False).count() == 60 - len(held)


def test_a_customer_stays_in_their_group_on_every_device(alice):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], holdout_percent=50)
    held, shown = customer(chosen.pk, 50, True), customer(chosen.pk, 50, False)
    for device in ("phone", "laptop", "tablet"):
        assert submit(shop, responder={"email": held}, device=f"{held}-{device}")[
            "campaign"] is None
        assert submit(shop, responder={"email": shown}, device=f"{shown}-{device}")[
            "campaign"]["campaign_id"] == chosen.pk


def test_a_frequency_cap_counts_a_control_impression_as_a_real_one(alice):
    shop = alice.organization
    detractors = segment(shop)
    capped = campaign(shop, [detractors], title="Call me", holdout_percent=50,
                      frequency_cap_minutes=24 * 60)
    later = campaign(shop, [detractors], title="Coupon", type="onscreen_incentive",
                     priority=5)
    for held in (True, False):  # the same second answer, in either group
        email = customer(capped.pk, 50, held)
        first = submit(shop, responder={"email": email}, device=f"{email}-1")["campaign"]
        assert (first is None) is held
        second = submit(shop, responder={"email": email}, device=f"{email}-2")["campaign"]
        assert second["campaign_id"] == later.pk


def test_reports_tell_control_impressions_apart(alice, alice_api, alice_client):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], holdout_percent=50)
    submit(shop, responder={"email": customer(chosen.pk, 50, True)}, device="a")
    submit(shop, responder={"email": customer(chosen.pk, 50, False)}, device="b")
    data = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/performance").json()
    assert (data["impressions"], data["control_impressions"]) == (1, 1)
    assert sum(day["control_impressions"] for day in data["days"]) == 1
    listed = alice_client.get("/dashboard/campaigns/")
    assert [row.impressions for row in listed.context["rows"]] == [1]


def test_nobody_can_act_on_a_control_impression(alice):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], holdout_percent=50)
    submit(shop, responder={"email": customer(chosen.pk, 50, True)})
    control = Impression.objects.get(control=True)
    answer = Client().post(f"/api/public/v1/impressions/{control.pk}/actions", json.dumps({
        "site_key": shop.site_keys.get().key, "type": "callback_request",
        "phone_number": "6912345678", "consent": True}), content_type="application/json")
    assert answer.status_code == 404


def test_a_retried_held_out_submission_still_sees_nothing(alice):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], holdout_percent=50)
    email = customer(chosen.pk, 50, True)
    first = submit(shop, responder={"email": email}, idempotency_key="k-1")
    again = submit(shop, responder={"email": email}, idempotency_key="k-1")
    assert first == again and again["campaign"] is None
    assert Impression.objects.filter(control=True).count() == 1


def test_the_preview_says_who_is_held_out(alice, alice_api, alice_client):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], title="Call me", holdout_percent=50)
    email = customer(chosen.pk, 50, True)
    answer = alice_api.post("/api/v1/decisions/preview", json.dumps({
        "answers": {"nps": 2}, "metadata": {"responder": {"email": email}}}),
        content_type="application/json").json()
    assert answer["campaign"] is None and answer["held_out"]["campaign_id"] == chosen.pk
    assert answer["trace"][0]["outcome"] == "held_out"
    assert answer["trace"][0]["reason"].startswith("held out: control group (50% of its")
    page = alice_client.get("/dashboard/campaigns/why/", {"nps": 2, "email": email})
    assert "this customer is in the control group of “Call me”" in page.content.decode()


def test_changes_of_the_share_are_recorded_with_their_periods(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        chosen = campaign(shop, [segment(shop)])
    with time_machine.travel(NOON + datetime.timedelta(days=3), tick=False):
        assert patch(alice_api, f"/api/v1/campaigns/{chosen.pk}",
                     {"holdout_percent": 10}).status_code == 200
    with time_machine.travel(NOON + datetime.timedelta(days=10), tick=False):
        patch(alice_api, f"/api/v1/campaigns/{chosen.pk}", {"title": "Renamed"})
        patch(alice_api, f"/api/v1/campaigns/{chosen.pk}", {"holdout_percent": 20})
    audit = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/audit").json()
    assert [e["changes"].get("holdout_percent") for e in audit] == [[10, 20], None, [0, 10],
                                                                   0]
    periods = [(p.since - NOON, p.until and p.until - NOON, p.percent)
               for p in holdout_periods(chosen)]
    day = datetime.timedelta(days=1)
    assert periods == [(0 * day, 3 * day, 0), (3 * day, 10 * day, 10), (10 * day, None, 20)]


def test_the_share_is_checked(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    for bad in (-1, 51, "ten", None):
        answer = patch(alice_api, f"/api/v1/campaigns/{chosen.pk}", {"holdout_percent": bad})
        assert answer.status_code == 422, bad
        assert "holdout_percent" in answer.json()["detail"]
    chosen.refresh_from_db()
    assert chosen.holdout_percent == 0


def test_a_held_out_promoter_is_held_out_only_of_the_campaign_that_would_show(alice):
    shop = alice.organization
    detractor_campaign = campaign(shop, [segment(shop)], holdout_percent=50)
    promoter_campaign = campaign(shop, [segment(shop, PROMOTERS, name="Promoters")])
    email = customer(detractor_campaign.pk, 50, True)
    answer = submit(shop, nps=10, responder={"email": email}, device="p")
    assert answer["campaign"]["campaign_id"] == promoter_campaign.pk
