"""Settings → Callbacks in the dashboard: the SLA's target and business hours with pickers,
and the shop's own statuses; the same checks as the API, only for who manages settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback

from kairos.accounts.roles import Role
from kairos.callbacks.models import CallbackRequest, CallbackStatus
from kairos.callbacks.sla import due_time

URL = "/settings/callbacks/"
ATHENS = ZoneInfo("Europe/Athens")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def sla_post(first=48, warn=4, **days):
    """days: mon=("08:00", "20:00"); the days not given are closed."""
    data = {"first_contact_hours": first, "warn_before_hours": warn}
    for day, (opens, closes) in days.items():
        data.update({f"{day}_open": "on", f"{day}_opens": opens, f"{day}_closes": closes})
    return data


def test_the_page_shows_the_sla_with_pickers(alice_client):
    page = alice_client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="time"' in html and 'name="mon_opens"' in html and 'value="09:00"' in html
    assert 'type="number"' in html and 'name="first_contact_hours"' in html
    assert 'type="color"' in html  # the new status' colour
    assert 'href="/settings/callbacks/" aria-current="page"' in html
    form = page.context["sla_form"]
    assert form["first_contact_hours"].value() == 48
    assert form["mon_open"].value() is True and form["sat_open"].value() is False


def test_saving_the_sla_changes_when_new_requests_are_due(alice, alice_client):
    response = alice_client.post(URL, sla_post(first=2, mon=("08:00", "20:00"),
                                               fri=("09:00", "00:00")))
    assert response.status_code == 302
    alice.organization.refresh_from_db()
    assert alice.organization.sla == {
        "first_contact_hours": 2, "warn_before_hours": 4,
        "business_hours": {"mon": ["08:00", "20:00"], "tue": None, "wed": None, "thu": None,
                           "fri": ["09:00", "24:00"], "sat": None, "sun": None}}
    page = alice_client.get(URL)
    assert page.context["sla_form"]["fri_closes"].value() == "00:00"  # midnight, as chosen
    friday_late = datetime(2026, 11, 27, 23, 0, tzinfo=ATHENS)  # one hour left on Friday
    assert due_time(alice.organization, friday_late) == datetime(2026, 11, 30, 9, 0,
                                                                 tzinfo=ATHENS)


@pytest.mark.parametrize(("data", "field"), [
    (sla_post(first=0, mon=("09:00", "17:00")), "first_contact_hours"),
    (sla_post(warn=500, mon=("09:00", "17:00")), "warn_before_hours"),
    (sla_post(mon=("17:00", "09:00")), "mon_closes"),
    (sla_post(mon=("9am", "17:00")), "mon_opens"),
    ({**sla_post(), "tue_open": "on", "tue_opens": "09:00"}, "tue_closes"),
])
def test_bad_values_are_shown_beside_their_field_and_nothing_is_saved(alice, alice_client,
                                                                       data, field):
    response = alice_client.post(URL, data)
    assert response.status_code == 422
    assert field in response.context["sla_form"].errors, response.context["sla_form"].errors
    alice.organization.refresh_from_db()
    assert alice.organization.sla["first_contact_hours"] == 48


def test_a_week_with_no_open_day_is_refused(alice, alice_client):
    response = alice_client.post(URL, sla_post())
    assert response.status_code == 422
    assert response.context["sla_form"].non_field_errors()


def test_the_shop_adds_changes_and_deletes_its_own_statuses(alice, alice_client):
    added = alice_client.post(f"{URL}statuses/", {
        "new-key": "waiting", "new-title": "Waiting for the customer", "new-colour": "#aa00ff",
        "new-counts_as_open": "on", "new-position": "1"})
    assert added.status_code == 302
    status = CallbackStatus.objects.get(organization=alice.organization)
    assert (status.key, status.title, status.colour, status.counts_as_open) == (
        "waiting", "Waiting for the customer", "#aa00ff", True)
    html = alice_client.get(URL).content.decode()
    assert 'data-status="waiting"' in html and 'value="Waiting for the customer"' in html
    # The queue and the request's status picker offer it.
    assert "Waiting for the customer" in alice_client.get("/dashboard/callbacks/").content.decode()

    callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    alice_client.post(f"/dashboard/callbacks/{callback.pk}/status/", {"status": "waiting"})
    changed = alice_client.post(f"{URL}statuses/waiting/", {
        "waiting-title": "On hold", "waiting-colour": "#000000", "waiting-position": "2"})
    assert changed.status_code == 302
    status.refresh_from_db()
    assert (status.title, status.counts_as_open) == ("On hold", False)
    assert not CallbackRequest.objects.get(pk=callback.pk).is_open  # closed: out of the queue

    refused = alice_client.post(f"{URL}statuses/waiting/", {"delete": ""}, follow=True)
    assert "1 requests have this status" in refused.content.decode()
    CallbackRequest.objects.filter(pk=callback.pk).update(status="resolved")
    alice_client.post(f"{URL}statuses/waiting/", {"delete": ""})
    assert not CallbackStatus.objects.exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"new-key": "new", "new-title": "x", "new-colour": "#000000", "new-position": "0"}, "key"),
    ({"new-key": "Bad Key", "new-title": "x", "new-colour": "#000000", "new-position": "0"},
     "key"),
    ({"new-key": "ok", "new-title": "x", "new-colour": "red", "new-position": "0"}, "colour"),
    ({"new-key": "ok", "new-title": "", "new-colour": "#000000", "new-position": "0"}, "title"),
])
def test_a_bad_status_is_refused_beside_its_field(alice_client, data, field):
    response = alice_client.post(f"{URL}statuses/", data)
    assert response.status_code == 422
    assert field in response.context["new_status"].errors
    assert not CallbackStatus.objects.exists()


def test_the_system_statuses_cannot_be_changed_here(alice_client):
    response = alice_client.post(f"{URL}statuses/new/", {
        "new-title": "x", "new-colour": "#000000", "new-position": "0"}, follow=True)
    assert "system status" in response.content.decode()


def test_bob_never_changes_alices_statuses(alice, bob_client):
    CallbackStatus.objects.create(organization=alice.organization, key="waiting", title="W")
    bob_client.post(f"{URL}statuses/waiting/", {"delete": ""})
    bob_client.post(f"{URL}statuses/waiting/", {"waiting-title": "mine",
                                                "waiting-colour": "#000000",
                                                "waiting-position": "0"})
    assert CallbackStatus.objects.get().title == "W"


@pytest.mark.parametrize("role", [Role.AGENT, Role.CAMPAIGN_MANAGER, Role.REPORTING])
def test_only_owners_and_admins_reach_it(member_client, role):
    client = member_client(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, sla_post(mon=("09:00", "17:00"))).status_code == 403
    assert client.post(f"{URL}statuses/", {"new-key": "x"}).status_code == 403


def test_an_admin_reaches_it(member_client):
    assert member_client(Role.ADMIN).get(URL).status_code == 200
