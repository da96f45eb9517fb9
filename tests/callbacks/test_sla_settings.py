"""The shop's SLA at /api/v1/shop, and the due time each new request gets from it."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from callbacks.helpers import request_callback

from kairos.accounts.roles import Role

ATHENS = ZoneInfo("Europe/Athens")


def patch(client, body):
    return client.patch("/api/v1/shop", json.dumps(body), content_type="application/json")


def test_every_shop_starts_with_48_office_hours(alice_api):
    sla = alice_api.get("/api/v1/shop").json()["sla"]
    assert sla["first_contact_hours"] == 48 and sla["warn_before_hours"] == 4
    assert sla["business_hours"]["mon"] == ["09:00", "17:00"]
    assert sla["business_hours"]["sun"] is None


def test_the_shop_sets_its_own_and_the_days_left_out_are_closed(alice, alice_api):
    response = patch(alice_api, {"sla": {"first_contact_hours": 8, "business_hours": {
        "mon": ["08:00", "20:00"], "sat": ["10:00", "14:00"]}}})
    assert response.status_code == 200, response.content
    sla = response.json()["sla"]
    assert sla["first_contact_hours"] == 8 and sla["warn_before_hours"] == 4
    assert sla["business_hours"]["sat"] == ["10:00", "14:00"]
    assert sla["business_hours"]["tue"] is None
    alice.organization.refresh_from_db()
    assert alice.organization.sla["business_hours"]["mon"] == ["08:00", "20:00"]


def test_bad_values_are_refused_naming_the_field_and_nothing_is_saved(alice, alice_api):
    for body, field in [
        ({"first_contact_hours": 0}, "sla.first_contact_hours"),
        ({"warn_before_hours": 1000}, "sla.warn_before_hours"),
        ({"business_hours": {"mon": ["17:00", "09:00"]}}, "sla.business_hours.mon"),
        ({"business_hours": {"mon": ["9am", "17:00"]}}, "sla.business_hours.mon"),
        ({"business_hours": {}}, "sla.business_hours"),
        ({"business_hours": {"funday": ["09:00", "17:00"]}}, "sla.business_hours.funday"),
        ({"first_contact_hours": 8, "extra": 1}, "sla.extra"),
        ("48", "sla"),
    ]:
        response = patch(alice_api, {"sla": body})
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["detail"], (body, response.json())
    alice.organization.refresh_from_db()
    assert alice.organization.sla["first_contact_hours"] == 48


def test_only_owners_and_admins_change_it(alice, member_client):
    for role, status in [(Role.AGENT, 403), (Role.CAMPAIGN_MANAGER, 403), (Role.ADMIN, 200)]:
        response = patch(member_client(role), {"sla": {"first_contact_hours": 24}})
        assert response.status_code == status, role


def test_a_new_request_is_due_in_business_hours_skipping_the_weekend(alice, alice_api):
    patch(alice_api, {"sla": {"first_contact_hours": 2}})
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=ATHENS)
    with time_machine.travel(friday, tick=False):
        callback = request_callback(alice.organization)
    assert callback.due_at == datetime(2026, 11, 30, 10, 0, tzinfo=ATHENS)
    with time_machine.travel(datetime(2026, 11, 30, 10, 1, tzinfo=ATHENS), tick=False):
        assert callback.overdue()
        item = alice_api.get(f"/api/v1/callbacks/{callback.pk}").json()
        assert item["overdue"] is True


def test_a_greek_holiday_does_not_count(alice, alice_api):
    patch(alice_api, {"sla": {"first_contact_hours": 2}})
    christmas_eve = datetime(2026, 12, 24, 16, 0, tzinfo=ATHENS)  # 25 and 26 Dec: holidays
    with time_machine.travel(christmas_eve, tick=False):
        callback = request_callback(alice.organization)
    assert callback.due_at == datetime(2026, 12, 28, 10, 0, tzinfo=ATHENS)
