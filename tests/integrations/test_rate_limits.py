"""The public API's rate limits: per client address and per site key, in fixed windows.

Time is passed explicitly (time-machine): a window is 60 s here, and the test walks
through it rather than waiting.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from integrations.both_paths import hot_path

from kairos.integrations import hot_path as lean_application

START = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)  # on a window's first second


@pytest.fixture
def limits(settings):
    settings.PUBLIC_RATE_LIMIT_PER_ADDRESS = 3
    settings.PUBLIC_RATE_LIMIT_PER_SITE_KEY = 5
    settings.PUBLIC_RATE_LIMIT_WINDOW = 60
    return settings


def questionnaire(site_key, address="203.0.113.5", **headers):
    return Client(REMOTE_ADDR=address).get("/api/public/v1/questionnaires/checkout",
                                           {"site_key": site_key}, headers=headers)


def site_key_of(user):
    return user.organization.site_keys.get().key


def test_an_address_over_its_limit_gets_429_with_retry_after_until_the_window_ends(
        alice, limits):
    key = site_key_of(alice)
    with time_machine.travel(START + timedelta(seconds=15), tick=False) as clock:
        assert [questionnaire(key).status_code for _ in range(3)] == [200, 200, 200]
        refused = questionnaire(key)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "45"  # the window ends at 10:01:00
        assert refused.json() == {"detail": "too many requests: try again in 45 s"}
        clock.shift(timedelta(seconds=44))
        assert questionnaire(key).status_code == 429
        clock.shift(timedelta(seconds=1))  # a new window
        assert questionnaire(key).status_code == 200


def test_the_refusal_speaks_greek(alice, limits):
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False), translation.override("el"):
        for _ in range(3):
            questionnaire(key)
        refused = questionnaire(key, **{"Accept-Language": "el"})
    assert refused.json() == {"detail": "πάρα πολλά αιτήματα: δοκιμάστε ξανά σε 60 δευτ."}


def test_one_noisy_address_never_stops_other_customers(alice, limits):
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            questionnaire(key, address="198.51.100.7")
        assert questionnaire(key, address="198.51.100.7").status_code == 429
        assert questionnaire(key, address="203.0.113.9").status_code == 200


def test_a_site_key_over_its_limit_is_refused_from_any_address_other_shops_are_not(
        alice, bob, limits):
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False):
        answers = [questionnaire(key, address=f"192.0.2.{n}").status_code for n in range(6)]
        assert answers == [200] * 5 + [429]
        assert questionnaire(site_key_of(bob), address="192.0.2.200").status_code == 200


def test_the_hot_path_counts_with_the_documented_route_and_answers_alike(
        alice, limits, monkeypatch):
    # As in test_hot_path: closing connections would end the test's transaction.
    monkeypatch.setattr(lean_application, "close_old_connections", lambda: None)
    body = json.dumps({"site_key": site_key_of(alice), "stage": "checkout",
                       "answers": {"nps": 9}}).encode()
    with time_machine.travel(START + timedelta(seconds=50), tick=False):
        assert questionnaire(site_key_of(alice), address="127.0.0.1").status_code == 200
        statuses = [hot_path(body)[0] for _ in range(3)]  # REMOTE_ADDR 127.0.0.1 there too
        status, headers, answer = hot_path(body)
        ninja = Client().post("/api/public/v1/responses", body, content_type="application/json")
    assert statuses == [201, 201, 429]
    assert (status, headers["Retry-After"]) == (429, "10")
    assert answer == {"detail": "too many requests: try again in 10 s"}
    assert (ninja.status_code, ninja["Retry-After"], ninja.json()) == (429, "10", answer)


def test_actions_and_coupons_count_against_the_address_too(alice, limits):
    limits.PUBLIC_RATE_LIMIT_PER_ADDRESS = 1
    client = Client(REMOTE_ADDR="203.0.113.77")
    impression = "00000000-0000-4000-8000-000000000000"
    with time_machine.travel(START, tick=False):
        assert client.get(f"/api/public/v1/impressions/{impression}/coupon.svg").status_code == 404
        assert client.get(f"/api/public/v1/impressions/{impression}/coupon.svg").status_code == 429
        action = client.post(f"/api/public/v1/impressions/{impression}/actions",
                             {"site_key": site_key_of(alice), "type": "click"},
                             content_type="application/json")
    assert action.status_code == 429


def test_a_forwarded_address_counts_only_when_the_operator_trusts_the_proxy(alice, limits):
    limits.PUBLIC_RATE_LIMIT_PER_SITE_KEY = 100
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False):
        # Not trusted: a client inventing X-Forwarded-For is still counted by its own address.
        forged = [questionnaire(key, **{"X-Forwarded-For": f"10.0.0.{n}"}).status_code
                  for n in range(4)]
        assert forged == [200, 200, 200, 429]
        limits.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
        # Trusted: the proxy appends the address it saw; anything before it is the client's.
        behind_proxy = [questionnaire(key, **{"X-Forwarded-For": f"1.2.3.4, 10.0.1.{n}"})
                        .status_code for n in range(4)]
    assert behind_proxy == [200, 200, 200, 200]


def test_zero_means_no_limit(alice, limits):
    limits.PUBLIC_RATE_LIMIT_PER_ADDRESS = 0
    limits.PUBLIC_RATE_LIMIT_PER_SITE_KEY = 0
    with time_machine.travel(START, tick=False):
        assert {questionnaire(site_key_of(alice)).status_code for _ in range(8)} == {200}


def test_each_shop_may_have_its_own_limit(alice, bob, limits):
    from kairos.accounts.models import Organization

    Organization.objects.filter(pk=alice.organization.pk).update(public_rate_limit=2)
    alice.organization.refresh_from_db()
    alice.organization.save()  # as the settings form does: the shop's version moves
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False):
        answers = [questionnaire(key, address=f"192.0.2.{n}").status_code for n in range(3)]
        assert answers == [200, 200, 429]
        bobs = [questionnaire(site_key_of(bob), address=f"192.0.2.{n}").status_code
                for n in range(10, 15)]
    assert bobs == [200] * 5  # the server's default (5 here) for everyone else


def test_an_owner_sets_the_shops_limit_in_settings(alice, alice_client):
    organization = alice.organization
    form = {"name": organization.name, "country": "GR", "time_zone": "Europe/Athens",
            "default_language": "el", "public_rate_limit": "300"}
    assert alice_client.post("/settings/", form).status_code == 302
    organization.refresh_from_db()
    assert organization.public_rate_limit == 300
    refused = alice_client.post("/settings/", {**form, "public_rate_limit": "0"})
    assert refused.status_code == 200 and "public_rate_limit" in refused.context["form"].errors


def test_an_unknown_key_counts_against_its_address_only(db, limits):
    with time_machine.travel(START, tick=False):
        answers = [questionnaire(f"pk_unknown{n}").status_code for n in range(4)]
    assert answers == [403, 403, 403, 429]


def patch_shop(api, changes):
    return api.patch("/api/v1/shop", json.dumps(changes), content_type="application/json")


def test_the_shop_api_reads_and_sets_the_shops_limit(alice, alice_api, limits):
    assert alice_api.get("/api/v1/shop").json()["public_rate_limit"] is None
    answer = patch_shop(alice_api, {"public_rate_limit": 2})
    assert answer.status_code == 200 and answer.json()["public_rate_limit"] == 2
    key = site_key_of(alice)
    with time_machine.travel(START, tick=False):  # the running server follows at once
        answers = [questionnaire(key, address=f"192.0.2.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]
    assert patch_shop(alice_api, {"public_rate_limit": None}).json()["public_rate_limit"] is None


@pytest.mark.parametrize("value", [0, -1, 1_000_001, "many", 2.5])
def test_the_shop_api_refuses_a_bad_limit_naming_the_field(alice, alice_api, value):
    answer = patch_shop(alice_api, {"public_rate_limit": value})
    assert answer.status_code == 422 and "public_rate_limit" in answer.json()["detail"]
    alice.organization.refresh_from_db()
    assert alice.organization.public_rate_limit is None


def test_only_those_who_manage_settings_may_change_the_limit(alice):
    from kairos.accounts.models import ApiKey
    from kairos.accounts.roles import Role

    _key, secret = ApiKey.issue(alice.organization, "marketing", role=Role.CAMPAIGN_MANAGER)
    marketer = Client(headers={"Authorization": f"Bearer {secret}"})
    answer = patch_shop(marketer, {"public_rate_limit": 10})
    assert answer.status_code == 403 and "public_rate_limit" in answer.json()["detail"]


def test_the_dashboard_refuses_an_absurd_limit_too(alice, alice_client):
    organization = alice.organization
    form = {"name": organization.name, "country": "GR", "time_zone": "Europe/Athens",
            "default_language": "el", "public_rate_limit": "99999999999"}
    refused = alice_client.post("/settings/", form)
    assert refused.status_code == 200 and "public_rate_limit" in refused.context["form"].errors


@pytest.mark.parametrize("window,english,greek", [
    (60, "per minute,", "ανά λεπτό,"),
    (300, "per 5 minutes,", "ανά 5 λεπτά,"),
    (90, "per 90 seconds,", "ανά 90 δευτερόλεπτα,"),
    (3600, "per hour,", "ανά ώρα,"),
])
def test_the_settings_page_names_the_configured_window(alice_client, settings, window,
                                                       english, greek):
    settings.PUBLIC_RATE_LIMIT_WINDOW = window
    settings.PUBLIC_RATE_LIMIT_PER_SITE_KEY = 6000
    page = alice_client.get("/settings/", headers={"Accept-Language": "en"})
    assert english in page.content.decode() and "default, 6000." in page.content.decode()
    page = alice_client.get("/settings/", headers={"Accept-Language": "el"})
    assert greek in page.content.decode()
