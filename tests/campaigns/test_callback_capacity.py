"""Capacity-aware callback campaigns end to end: offered only within the call centre's hours
and while fewer than a number of requests are open; otherwise the next-best campaign shows
and the trace says why."""

import datetime
import json

import time_machine
from campaigns.helpers import campaign, edit_data, segment, shown_campaign_id, submit
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kairos.callbacks.models import CallbackRequest

OFFICE = {day: ["09:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
# Saturday 28 November 2026, 12:00 in Athens; Monday 30 November, 10:00 in Athens.
SATURDAY = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC)
MONDAY = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def callback_and_coupon(shop, **limits):
    detractors = segment(shop)
    callback = campaign(shop, [detractors], title="Call me", priority=0, **limits)
    coupon = campaign(shop, [detractors], title="Coupon", type="onscreen_incentive",
                      priority=1)
    return callback, coupon


def request_callback(shop, device):
    shown = submit(shop, nps=1, device=device)["campaign"]
    answer = Client().post(
        f"/api/public/v1/impressions/{shown['impression_id']}/actions",
        json.dumps({"site_key": shop.site_keys.get().key, "type": "callback_request",
                    "phone_number": "6912345678", "consent": True}),
        content_type="application/json")
    assert answer.status_code == 201


def preview(client, at):
    return post(client, "/api/v1/decisions/preview",
                {"answers": {"nps": 2}, "at": at.isoformat()}).json()


def test_outside_its_hours_the_next_best_campaign_shows(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(SATURDAY - datetime.timedelta(days=7), tick=False):
        callback, coupon = callback_and_coupon(shop, callback_hours=OFFICE)
    with time_machine.travel(SATURDAY, tick=False):
        assert shown_campaign_id(shop, device="d-1") == coupon.pk
        trace = {row["campaign_id"]: row for row in preview(alice_api, SATURDAY)["trace"]}
    assert trace[callback.pk]["outcome"] == "outside_hours"
    assert trace[callback.pk]["reason"] == (
        "outside its callback hours: offered again from 2026-11-30 09:00 Europe/Athens")
    with time_machine.travel(MONDAY, tick=False):
        assert shown_campaign_id(shop, device="d-2") == callback.pk


def test_at_capacity_the_next_best_campaign_shows_until_a_request_is_worked(alice, alice_api):
    shop = alice.organization
    callback, coupon = callback_and_coupon(shop, max_open_callbacks=2)
    request_callback(shop, "d-1")
    assert shown_campaign_id(shop, device="d-2") == callback.pk  # one open: room for more
    request_callback(shop, "d-3")
    assert shown_campaign_id(shop, device="d-4") == coupon.pk
    row = {r["campaign_id"]: r for r in post(alice_api, "/api/v1/decisions/preview", {
        "answers": {"nps": 2}}).json()["trace"]}[callback.pk]
    assert row["outcome"] == "at_capacity" and row["detail"]["open_callbacks"] == 2
    # Worked to the end, a request no longer counts: the callback is offered again.
    worked = CallbackRequest.objects.filter(organization=shop).first()
    assert post(alice_api, f"/api/v1/callbacks/{worked.pk}", {"status": "resolved"},
                method="patch").status_code == 200
    assert shown_campaign_id(shop, device="d-5") == callback.pk


def test_each_process_counts_the_queue_again_after_a_few_seconds(alice):
    from kairos.campaigns import capacity

    shop = alice.organization
    callback, coupon = callback_and_coupon(shop, max_open_callbacks=1)
    assert shown_campaign_id(shop, device="d-1") == callback.pk  # counted: none open
    request_callback(shop, "d-2")  # (in this process: counted again at once)
    assert shown_campaign_id(shop, device="d-3") == coupon.pk
    # A request resolved by another process, unseen here: known once the count ages out.
    CallbackRequest.objects.filter(organization=shop).update(
        status=CallbackRequest.Status.RESOLVED, is_open=False)
    assert shown_campaign_id(shop, device="d-4") == coupon.pk
    aged = {pk: (at - capacity.FRESH_FOR_SECONDS - 1, n) for pk, (at, n) in
            capacity._counted.items()}
    capacity._counted.update(aged)
    assert shown_campaign_id(shop, device="d-5") == callback.pk


def test_one_shop_s_queue_never_limits_another(alice, bob):
    callback_and_coupon(bob.organization, max_open_callbacks=1)
    request_callback(bob.organization, "d-1")
    callback, _coupon = callback_and_coupon(alice.organization, max_open_callbacks=1)
    assert shown_campaign_id(alice.organization, device="d-9") == callback.pk


def test_the_open_requests_are_counted_only_when_a_limited_campaign_could_show(alice):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="Unlimited", priority=0)
    campaign(shop, [detractors], title="Limited", priority=1, max_open_callbacks=5)
    submit(shop, nps=1, device="warm-up")  # compiles the shop's campaigns
    with CaptureQueriesContext(connection) as queries:
        submit(shop, nps=1, device="d-2")
    assert not [q for q in queries if "callbacks_callbackrequest" in q["sql"]]


def test_hours_and_capacity_are_set_checked_and_read_back_through_the_api(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    url = f"/api/v1/campaigns/{chosen.pk}"
    answer = post(alice_api, url, {"callback_hours": {"mon": ["09:00", "17:30"],
                                                      "sat": None},
                                   "max_open_callbacks": 20}, method="patch")
    assert answer.status_code == 200, answer.content
    assert answer.json()["callback_hours"] == {"mon": ["09:00", "17:30"], "tue": None,
                                               "wed": None, "thu": None, "fri": None,
                                               "sat": None, "sun": None}
    assert answer.json()["max_open_callbacks"] == 20
    refused = post(alice_api, url, {"callback_hours": {"mon": ["17:00", "09:00"]}},
                   method="patch")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "callback_hours.mon: must close after it opens"
    refused = post(alice_api, url, {"callback_hours": {"mon": ["9am", "17:00"]}},
                   method="patch")
    assert "callback_hours.mon: '9am' is not a time like 09:30" in refused.json()["detail"]
    refused = post(alice_api, url, {"max_open_callbacks": 0}, method="patch")
    assert refused.status_code == 422 and "max_open_callbacks" in refused.json()["detail"]
    cleared = post(alice_api, url, {"callback_hours": None, "max_open_callbacks": None},
                   method="patch").json()
    assert (cleared["callback_hours"], cleared["max_open_callbacks"]) == (None, None)


def test_only_a_callback_campaign_has_hours_or_capacity(alice, alice_api):
    shop = alice.organization
    answer = post(alice_api, "/api/v1/campaigns", {
        "type": "onscreen_incentive", "title": "Coupon", "segment_ids": [segment(shop).pk],
        "max_open_callbacks": 3, "callback_hours": OFFICE})
    assert answer.status_code == 422
    assert answer.json()["detail"] == ("max_open_callbacks: only a callback campaign has one; "
                                       "callback_hours: only a callback campaign has one")


def test_the_dashboard_sets_hours_and_capacity(alice, alice_client):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    url = f"/dashboard/campaigns/{chosen.pk}/"
    answer = alice_client.post(url, edit_data(
        chosen, max_open_callbacks="15", hours_mon_opens="09:00", hours_mon_closes="17:00",
        hours_sat_opens="10:00", hours_sat_closes="00:00"))
    assert answer.status_code == 302, answer.context and answer.context["form"].errors
    chosen.refresh_from_db()
    assert chosen.max_open_callbacks == 15
    assert chosen.callback_hours["mon"] == ["09:00", "17:00"]
    assert chosen.callback_hours["sat"] == ["10:00", "24:00"]  # "to 00:00": until midnight
    page = alice_client.get(url)
    assert page.context["form"]["hours_sat_closes"].value() == "00:00"
    refused = alice_client.post(url, edit_data(chosen, hours_tue_opens="18:00",
                                               hours_tue_closes="08:00"))
    assert refused.status_code == 200
    assert refused.context["form"].errors["hours_tue_opens"] == ["Must close after it opens"]
    assert refused.context["open_tab"] == "settings"
    audit = alice_client.get(url).content.decode()
    assert "Callback hours" in audit and "Monday 09:00–17:00" in audit
