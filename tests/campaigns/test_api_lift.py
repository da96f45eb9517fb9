"""GET /api/v1/campaigns/{id}/lift: the report as JSON, its period checked, one shop's
campaigns only, for every role that may view reports."""

import pytest
import time_machine
from campaigns.helpers import campaign, segment
from campaigns.lift_helpers import DAY, NOW, expose, order
from django.test import Client

from kairos.accounts.models import ApiKey
from kairos.accounts.roles import Role


@pytest.fixture
def chosen(alice):
    shop = alice.organization
    with time_machine.travel(NOW - 200 * DAY, tick=False):
        found = campaign(shop, [segment(shop)], holdout_percent=50)
    for n in range(4):
        control = n % 2 == 1
        expose(found, order(shop, NOW - 100 * DAY, nps=2, email=f"c{n}@example.com"),
               control=control)
    order(shop, NOW - 90 * DAY, nps=10, email="c0@example.com")
    return found


def lift(client, campaign_id, **period):
    with time_machine.travel(NOW, tick=False):
        return client.get(f"/api/v1/campaigns/{campaign_id}/lift", period)


def test_it_works(alice_api, chosen):
    answer = lift(alice_api, chosen.pk, **{"from": "2026-08-01", "to": "2026-11-26"})
    assert answer.status_code == 200
    data = answer.json()
    assert (data["from"], data["to"], data["holdout_percent"]) == ("2026-08-01",
                                                                   "2026-11-26", 50)
    assert (data["treatment"]["customers"], data["control"]["customers"]) == (2, 2)
    assert data["treatment"]["reorder"][0] == {"days": 30, "customers": 2, "reordered": 1,
                                               "rate": 0.5}
    assert data["treatment"]["next_response_nps"] == {"responses": 1, "nps": 100.0}
    assert data["treatment"]["callbacks"] == {"requested": 0, "resolved": 0, "share": 0.0}
    assert data["lift"]["reorder"][0]["absolute"] == 0.5
    assert data["verdict"]["outcome"] == "not_enough_data"
    assert data["verdict"]["customers_needed"] > 0
    assert [p["percent"] for p in data["holdout_periods"]] == [50]


def test_the_period_defaults_to_the_campaign_start_until_today(alice_api, chosen):
    data = lift(alice_api, chosen.pk).json()
    assert (data["from"], data["to"]) == ("2026-05-11", "2026-11-27")
    assert data["treatment"]["customers"] == 2


def test_the_verdict_speaks_the_callers_language(alice_api, chosen):
    with time_machine.travel(NOW, tick=False):
        answer = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/lift",
                               headers={"Accept-Language": "el"})
    assert answer.json()["verdict"]["text"].startswith("Δεν υπάρχουν ακόμη αρκετά δεδομένα")


@pytest.mark.parametrize(("period", "field"), [
    ({"from": "2026-11-20", "to": "2026-11-01"}, "from"),
    ({"from": "yesterday"}, "from"), ({"to": "2026-02-30"}, "to"),
    ({"from": "0001-01-01"}, "from"), ({"to": "9999-12-31"}, "to")])
def test_a_bad_period_is_refused_naming_the_field(alice_api, chosen, period, field):
    answer = lift(alice_api, chosen.pk, **period)
    assert answer.status_code == 422
    assert field in answer.json()["detail"]


def test_bob_cannot_read_alices_lift(bob_api, chosen):
    assert lift(bob_api, chosen.pk).status_code == 404


def test_an_unknown_campaign_is_404(alice_api, chosen):
    assert lift(alice_api, chosen.pk + 1000).status_code == 404


@pytest.mark.parametrize(("role", "status"), [(Role.REPORTING, 200), (Role.AGENT, 403),
                                              (Role.CAMPAIGN_MANAGER, 200)])
def test_roles_that_view_reports_may_read_it(alice, chosen, role, status):
    _key, secret = ApiKey.issue(alice.organization, "key", role=role)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert lift(client, chosen.pk).status_code == status


def test_anonymous_calls_get_401(chosen):
    assert lift(Client(), chosen.pk).status_code == 401
