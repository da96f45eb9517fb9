"""Home: hand-counted figures for November in Athens (UTC+2), beside October, with
responses on both sides of the midnights that bound the period."""

import datetime

import pytest
import time_machine
from campaigns.helpers import PROMOTERS, campaign, segment
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reports.shop_data import at, page_at, respond

from kairos.accounts.roles import Role
from kairos.campaigns.models import Campaign, CouponCode
from kairos.integrations.models import Subscription

NOW = at("2026-12-01 10:00")
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def shop(alice):
    organization = alice.organization
    respond(organization, at("2026-10-31 22:30"), 10, store="athens")  # 1 Nov, 00:30 Athens
    respond(organization, at("2026-11-10 09:00"), 9, store="athens")
    respond(organization, at("2026-11-10 12:00"), 7, store="thessaloniki")
    respond(organization, at("2026-11-20 12:00"), 3, store="thessaloniki", stage="after_sales")
    respond(organization, at("2026-11-30 22:30"), 0, store="athens")  # 1 Dec in Athens
    respond(organization, at("2026-10-15 12:00"), 2)  # October: the period before
    respond(organization, at("2026-10-31 21:30"), 10)  # 31 Oct, 23:30 Athens
    return organization


def home(user, query=NOVEMBER):
    return page_at(NOW, user, "/dashboard/", query)


def test_responses_and_nps_beside_the_period_before(shop, alice):
    page = home(alice)
    assert page.status_code == 200
    now, before = page.context["summary"], page.context["previous_summary"]
    assert (now.responses, now.promoters, now.passives, now.detractors) == (4, 2, 1, 1)
    assert now.nps == 25  # (2 − 1) / 4
    assert (before.responses, before.nps) == (2, 0)  # one promoter, one detractor
    assert page.context["nps_change"].delta == 25
    assert page.context["responses_change"].delta == 2


def test_nps_per_week_starts_on_monday_in_the_shops_time_zone(shop, alice):
    page = home(alice)
    assert page.context["trend_unit"] == "week"
    trend = {b.start.isoformat(): (b.summary.responses, b.summary.nps)
             for b in page.context["trend"]}
    assert trend == {"2026-10-26": (1, 100), "2026-11-02": (0, None),
                     "2026-11-09": (2, 50), "2026-11-16": (1, -100),
                     "2026-11-23": (0, None), "2026-11-30": (0, None)}
    assert "NPS per week" in str(page.context["nps_chart"])


def test_a_long_period_is_charted_per_month(shop, alice):
    page = home(alice, {"from": "2026-06-01", "to": "2026-11-30"})
    months = {b.start.isoformat(): b.summary.responses for b in page.context["trend"]}
    assert months == {"2026-06-01": 0, "2026-07-01": 0, "2026-08-01": 0, "2026-09-01": 0,
                      "2026-10-01": 2, "2026-11-01": 4}


def test_by_stage_and_by_store(shop, alice):
    page = home(alice)
    stages = {str(stage): (s.responses, s.nps) for stage, s in page.context["by_stage"]}
    assert stages == {"Checkout": (3, 67), "After sales": (1, -100)}
    stores = {store: (s.responses, s.nps) for store, s in page.context["by_store"]}
    assert stores == {"athens": (2, 100), "thessaloniki": (2, -50)}


def test_live_campaigns_with_their_figures(alice):
    organization = alice.organization
    live = campaign(organization, [segment(organization)], start_date=datetime.date(2026, 1, 1))
    shown = respond(organization, at("2026-11-05 12:00"), 2, email="x@example.com")
    assert shown["campaign"]["campaign_id"] == live.pk
    respond(organization, at("2026-10-05 12:00"), 2, email="y@example.com")
    row, = home(alice).context["live_campaigns"]
    assert (row.campaign, row.figures.impressions, row.previous.impressions) == (live, 1, 1)


def test_what_needs_attention(alice):
    organization = alice.organization
    detractors = segment(organization)
    first = campaign(organization, [detractors], title="first", priority=0,
                     start_date=datetime.date(2026, 1, 1))
    campaign(organization, [detractors], title="never", priority=1,
             start_date=datetime.date(2026, 1, 1))
    campaign(organization, [segment(organization, PROMOTERS, active=False, name="off")],
             title="silenced", start_date=datetime.date(2026, 1, 1))
    for title in ("coupons", "plenty"):
        campaign(organization, [segment(organization, name=title)], title=title,
                 type="onscreen_incentive", start_date=datetime.date(2026, 1, 1),
                 content={"coupon_mode": "pool"})
    plenty = Campaign.objects.get(title="plenty")
    CouponCode.objects.bulk_create([CouponCode(campaign=plenty, code=f"C{n}") for n in range(5)])
    Subscription.objects.create(organization=organization, url="https://hooks.example.com/k",
                                secret="whsec_x", failing_since=at("2026-11-30 08:00"))
    found = {(item.kind, item.campaign and item.campaign.title)
             for item in home(alice).context["attention"]}
    assert found == {("never_shown", "never"), ("silenced", "silenced"),
                     ("coupons_running_out", "coupons"), ("webhook_failing", None)}
    assert first.title not in {title for _kind, title in found}


def test_home_costs_the_same_queries_for_one_campaign_or_many(alice):
    organization = alice.organization

    def queries():
        client = Client()
        with time_machine.travel(NOW, tick=False):
            client.force_login(alice)
            client.get("/dashboard/")  # warm the shop's compiled configuration
            with CaptureQueriesContext(connection) as captured:
                client.get("/dashboard/")
        return len(captured)

    campaign(organization, [segment(organization)], start_date=datetime.date(2026, 1, 1))
    one = queries()
    for n in range(5):
        campaign(organization, [segment(organization, name=f"s{n}")], title=f"c{n}",
                 start_date=datetime.date(2026, 1, 1))
    assert queries() == one
    assert one <= 25  # session, membership, site key, then the figures' aggregates


@pytest.mark.parametrize(("query", "field"), [
    ({"from": "2026-13-01"}, "from"), ({"to": "tomorrow"}, "to"),
    ({"from": "2026-11-30", "to": "2026-11-01"}, "from"),
    ({"from": "2020-01-01", "to": "2026-11-01"}, "from"),
    ({"from": "0001-01-01"}, "from"), ({"period": "forever"}, "period")])
def test_a_bad_period_is_refused_naming_the_field(alice, query, field):
    page = home(alice, query)
    assert page.status_code == 400
    assert page.context["period_form"].errors[field]


def test_presets_choose_the_period(alice):
    page = home(alice, {"period": "7d"})
    assert (page.context["period"].start, page.context["period"].end) == (
        datetime.date(2026, 11, 25), datetime.date(2026, 12, 1))


def test_a_reporting_user_sees_home_an_agent_lands_on_the_queue(member_client):
    assert member_client(Role.REPORTING).get("/dashboard/").status_code == 200
    assert member_client(Role.AGENT).get("/dashboard/").url == "/dashboard/callbacks/"


def test_bob_sees_none_of_alices_figures(shop, bob):
    page = home(bob)
    assert page.context["summary"].responses == 0
    assert page.context["by_store"] == []


def test_home_speaks_greek(shop, alice):
    client = Client(headers={"Accept-Language": "el"})
    with time_machine.travel(NOW, tick=False):
        client.force_login(alice)
        html = client.get("/dashboard/", NOVEMBER).content.decode()
    assert "Κλείσιμο του κύκλου" in html and "NPS ανά εβδομάδα" in html
    assert "Closing the loop" not in html
