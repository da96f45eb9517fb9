"""The shop's contact budget end to end: set at /api/v1/shop or in the dashboard, decided on
the customer's identities in the shop's calendar, explained and previewable."""

import datetime
import json

import time_machine
from campaigns.helpers import campaign, segment, shown_campaign_id, submit

from kairos.accounts.roles import Role
from kairos.campaigns.models import Impression

# Friday 27 November 2026, 12:00 in Athens.
NOON = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
MARIA = {"email": "maria@example.com"}


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def budget(client, **fields):
    answer = patch(client, "/api/v1/shop", {"contact_budget": fields})
    assert answer.status_code == 200, answer.content
    return answer.json()


def two_campaigns(shop):
    detractors = segment(shop)
    first = campaign(shop, [detractors], title="Callback", priority=0)
    second = campaign(shop, [detractors], title="Coupon", type="onscreen_incentive",
                      priority=1)
    return first, second


def test_the_shop_reads_and_sets_its_budget(alice, alice_api):
    shop = alice_api.get("/api/v1/shop").json()
    assert shop["contact_budget"] is None and shop["time_zone"] == "Europe/Athens"
    answer = budget(alice_api, campaigns=2, days=7, exempt_types=["image_display"])
    assert answer["contact_budget"] == {"campaigns": 2, "days": 7, "hours": 0,
                                        "exempt_types": ["image_display"]}
    assert patch(alice_api, "/api/v1/shop", {"contact_budget": None}).json()[
        "contact_budget"] is None


def test_a_spent_budget_stops_the_next_campaign_until_the_shop_day_ends(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        first, second = two_campaigns(shop)
        budget(alice_api, campaigns=1, days=1)
        assert shown_campaign_id(shop, responder=MARIA) == first.pk
        # Without a budget the coupon would show: the callback has no frequency cap… but
        # it would show again itself. The budget stops every campaign that counts.
        assert shown_campaign_id(shop, responder=MARIA, device="d-2") is None
        assert shown_campaign_id(shop, responder={"email": "eleni@example.com"},
                                 device="d-3") == first.pk
    # 23:59 in Athens: still the same shop day.
    with time_machine.travel(datetime.datetime(2026, 11, 27, 21, 59, tzinfo=datetime.UTC)):
        assert shown_campaign_id(shop, responder=MARIA) is None
    # 00:01 on Saturday in Athens (still Friday in UTC): a new day, a new budget.
    with time_machine.travel(datetime.datetime(2026, 11, 27, 22, 1, tzinfo=datetime.UTC)):
        assert shown_campaign_id(shop, responder=MARIA) == first.pk
    assert second.impressions.count() == 0


def test_the_budget_knows_the_customer_by_any_identity(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        first, _second = two_campaigns(shop)
        budget(alice_api, campaigns=1, hours=12)
        submit(shop, responder={"email": "maria@example.com", "phone_number": "+306900000001"})
        assert shown_campaign_id(shop, responder={"phone_number": "+306900000001"},
                                 device="phone-2") is None
    with time_machine.travel(NOON + datetime.timedelta(hours=12, minutes=1), tick=False):
        assert shown_campaign_id(shop, responder={"phone_number": "+306900000001"}) == first.pk


def test_an_exempt_type_or_campaign_neither_counts_nor_is_stopped(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        detractors = segment(shop)
        review = campaign(shop, [detractors], title="Review", type="image_display",
                          priority=0, frequency_cap_minutes=60)
        callback = campaign(shop, [detractors], title="Callback", priority=1,
                            frequency_cap_minutes=60)
        coupon = campaign(shop, [detractors], title="Coupon", type="onscreen_incentive",
                          priority=2, budget_exempt=True)
        budget(alice_api, campaigns=1, days=1, exempt_types=["image_display"])
        assert shown_campaign_id(shop, responder=MARIA) == review.pk  # exempt: not counted
        assert shown_campaign_id(shop, responder=MARIA) == callback.pk  # review capped
        assert shown_campaign_id(shop, responder=MARIA) == coupon.pk  # spent; coupon exempt
        assert shown_campaign_id(shop, responder=MARIA) == coupon.pk


def test_the_preview_says_the_budget_is_spent_and_by_what(alice, alice_api):
    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        first, second = two_campaigns(shop)
        budget(alice_api, campaigns=1, days=7)
        submit(shop, responder=MARIA)
        asked = json.dumps({"answers": {"nps": 2}, "metadata": {"responder": MARIA},
                            "at": (NOON + datetime.timedelta(hours=1)).isoformat()})
        answer = alice_api.post("/api/v1/decisions/preview", asked,
                                content_type="application/json").json()
        greek = alice_api.post("/api/v1/decisions/preview", asked,
                               content_type="application/json",
                               headers={"Accept-Language": "el"}).json()
    trace = {row["campaign_id"]: row for row in answer["trace"]}
    assert answer["campaign"] is None
    assert trace[second.pk]["outcome"] == "budget_spent"
    assert trace[second.pk]["reason"] == (
        f"budget spent: shown #{first.pk} 'Callback' on 2026-11-27 12:00 Europe/Athens — "
        "1 of at most 1 since 2026-11-21 00:00 Europe/Athens")
    assert trace[second.pk]["detail"]["shown"][0]["campaign_id"] == first.pk
    reason = {row["campaign_id"]: row for row in greek["trace"]}[second.pk]["reason"]
    assert reason.startswith("εξαντλημένο όριο επαφών: εμφανίστηκαν")
    assert "στις 2026-11-27 12:00" in reason


def test_a_control_impression_counts_against_the_budget(alice, alice_api):
    from kairos.engine.holdout import is_held_out

    shop = alice.organization
    with time_machine.travel(NOON, tick=False):
        first, second = two_campaigns(shop)
        services_patch = patch(alice_api, f"/api/v1/campaigns/{first.pk}",
                               {"holdout_percent": 50})
        assert services_patch.status_code == 200
        budget(alice_api, campaigns=1, days=1)
        held = next(f"c{n}@example.com" for n in range(200)
                    if is_held_out(first.pk, f"email:c{n}@example.com", 50))
        assert submit(shop, responder={"email": held})["campaign"] is None
        assert submit(shop, responder={"email": held})["campaign"] is None
    assert Impression.objects.filter(control=True, email=held).count() == 1
    assert second.impressions.count() == 0


def test_bad_budgets_are_refused_naming_the_field(alice, alice_api):
    cases = [
        ({"campaigns": 2, "days": 7, "hours": 3}, "contact_budget.days"),
        ({"campaigns": 2}, "contact_budget.days"),
        ({"campaigns": 0, "days": 1}, "contact_budget.campaigns"),
        ({"campaigns": 1, "days": 400}, "contact_budget.days"),
        ({"campaigns": 1, "days": 1, "exempt_types": ["sms"]}, "contact_budget.exempt_types"),
        ("two a week", "contact_budget"),
    ]
    for body, field in cases:
        answer = patch(alice_api, "/api/v1/shop", {"contact_budget": body})
        assert answer.status_code == 422, body
        assert field in answer.json()["detail"], (body, answer.json())
    assert alice.organization.__class__.objects.get(pk=alice.organization.pk).contact_budget is None


def test_the_other_shop_settings_keep_their_rules(alice, alice_api):
    answer = patch(alice_api, "/api/v1/shop", {"time_zone": "Mars/Olympus"})
    assert answer.status_code == 422 and "time_zone" in answer.json()["detail"]
    answer = patch(alice_api, "/api/v1/shop", {"time_zone": None})
    assert answer.status_code == 422 and "time_zone" in answer.json()["detail"]
    answer = patch(alice_api, "/api/v1/shop", {"time_zone": "Europe/Lisbon", "country": "pt"})
    assert (answer.json()["time_zone"], answer.json()["country"]) == ("Europe/Lisbon", "PT")


def test_a_campaign_manager_sets_the_budget_but_not_the_shop(alice, member_client):
    manager = member_client(Role.CAMPAIGN_MANAGER)
    assert patch(manager, "/api/v1/shop", {"contact_budget": {"campaigns": 1, "days": 1}}
                 ).status_code == 200
    answer = patch(manager, "/api/v1/shop", {"time_zone": "Europe/Lisbon"})
    assert answer.status_code == 403 and "time_zone" in answer.json()["detail"]
    reporter = member_client(Role.REPORTING)
    assert reporter.get("/api/v1/shop").status_code == 200
    assert patch(reporter, "/api/v1/shop", {"contact_budget": None}).status_code == 403
    alice.organization.refresh_from_db()
    assert alice.organization.contact_budget["campaigns"] == 1
    assert alice.organization.time_zone == "Europe/Athens"


def test_each_shop_sees_and_sets_only_its_own_settings(alice, alice_api, bob, bob_api):
    budget(bob_api, campaigns=3, days=2)
    assert alice_api.get("/api/v1/shop").json()["contact_budget"] is None
    assert bob_api.get("/api/v1/shop").json()["name"] == "Bob Shop"


def test_the_dashboard_sets_the_budget_in_plain_words(alice, alice_client, member_client):
    page = alice_client.get("/dashboard/campaigns/budget/")
    assert "No contact budget" in page.content.decode()
    answer = alice_client.post("/dashboard/campaigns/budget/", {
        "enabled": "on", "campaigns": "2", "period": "7", "unit": "days",
        "exempt_types": ["image_display"]})
    assert answer.status_code == 302
    alice.organization.refresh_from_db()
    assert alice.organization.contact_budget == {"campaigns": 2, "days": 7, "hours": 0,
                                                 "exempt_types": ["image_display"]}
    html = alice_client.get("/dashboard/campaigns/budget/").content.decode()
    assert ("At most 2 campaigns per customer in 7 calendar days (today and the 6 days "
            "before, from midnight shop time)") in html
    refused = alice_client.post("/dashboard/campaigns/budget/", {
        "enabled": "on", "campaigns": "", "period": "7", "unit": "days"})
    assert refused.status_code == 200 and refused.context["form"].errors["campaigns"]
    reporter = member_client(Role.REPORTING)
    assert reporter.get("/dashboard/campaigns/budget/").status_code == 200
    assert reporter.post("/dashboard/campaigns/budget/", {"enabled": ""}).status_code == 403
    alice.organization.refresh_from_db()
    assert alice.organization.contact_budget["campaigns"] == 2


def test_the_campaign_page_explains_the_two_clocks(alice, alice_client, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    budget(alice_api, campaigns=1, hours=6)
    html = alice_client.get(f"/dashboard/campaigns/{chosen.pk}/").content.decode()
    assert "Two limits, two clocks." in html
    assert "At most 1 campaign per customer in the last 6 hours" in html
    assert "Both apply" in html
    greek = alice_client.get(f"/dashboard/campaigns/{chosen.pk}/",
                             headers={"Accept-Language": "el"}).content.decode()
    assert "Δύο όρια, δύο ρολόγια." in greek


def test_text_the_databases_cannot_store_is_refused(alice, alice_api):
    for name in ("a\x00b", "a\ud800b"):
        answer = alice_api.patch("/api/v1/shop", json.dumps({"name": name}),
                                 content_type="application/json")
        assert answer.status_code == 422 and "name" in answer.json()["detail"], name
    assert alice_api.get("/api/v1/shop").json()["name"] == "Alice Shop"
