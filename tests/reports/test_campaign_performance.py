"""Campaign performance over any period: the page, its CSV, the API and the comparison of
campaigns, against hand-counted impressions around November's midnights in Athens."""

import csv
import datetime
import io

import pytest
import time_machine
from campaigns.helpers import campaign, segment
from django.test import Client
from reports.shop_data import act, at, page_at, respond

from kairos.accounts.roles import Role

NOW = at("2026-12-01 10:00")
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def shown(alice):
    """Two impressions in November (one acted on, one dismissed), one the day after in
    Athens, one in October (the period before)."""
    organization = alice.organization
    chosen = campaign(organization, [segment(organization)], start_date=datetime.date(2026, 1, 1))
    first = respond(organization, at("2026-10-31 22:30"), 2, email="a@example.com",
                    store="athens", locale="el")["campaign"]  # 1 Nov, 00:30 Athens
    act(organization, at("2026-10-31 22:40"), first)
    second = respond(organization, at("2026-11-15 12:00"), 3, email="b@example.com",
                     store="patras")["campaign"]
    act(organization, at("2026-11-15 12:01"), second, "dismiss")  # no engagement
    respond(organization, at("2026-11-30 22:30"), 1, email="c@example.com")  # 1 Dec, Athens
    respond(organization, at("2026-10-20 12:00"), 1, email="d@example.com")  # October
    return chosen


def url(chosen, tail="performance/"):
    return f"/dashboard/campaigns/{chosen.pk}/{tail}"


def test_the_page_counts_the_period_and_the_one_before(shown, alice):
    page = page_at(NOW, alice, url(shown), NOVEMBER)
    assert page.status_code == 200
    current = page.context["current"]
    assert (current["impressions"], current["actions"], current["engagement_rate"]) == (2, 1, 0.5)
    assert len(current["days"]) == 30
    assert current["days"][0] == {**current["days"][0], "impressions": 1, "actions": 1}
    previous = page.context["previous"]
    assert (previous.impressions, previous.actions) == (1, 0)
    assert page.context["previous_period"].start == datetime.date(2026, 10, 2)


def test_the_breakdowns_by_segment_store_and_language(shown, alice):
    page = page_at(NOW, alice, url(shown), NOVEMBER)

    def table(name):
        return {str(getattr(key, "name", key)): (f.impressions, f.actions)
                for key, f in page.context[name].items()}

    assert table("by_segment") == {"Detractors": (2, 1)}
    assert table("by_store") == {"athens": (1, 1), "patras": (1, 0)}
    assert table("by_language") == {"el": (1, 1), "en": (1, 0)}
    html = page.content.decode()
    assert 'data-table="by-store"' in html and "patras" in html


def test_the_csv_streams_one_row_per_day(shown, alice):
    answer = page_at(NOW, alice, url(shown, "performance.csv"), NOVEMBER)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0] == ["date", "impressions", "control_impressions", "actions",
                       "engagement_rate"]
    assert len(rows) == 31 and rows[1] == ["2026-11-01", "1", "0", "1", "1.0"]
    assert rows[15] == ["2026-11-15", "1", "0", "0", "0.0"]


def test_the_api_answers_the_same_numbers_and_the_period_before(shown, alice_api):
    with time_machine.travel(NOW, tick=False):
        data = alice_api.get(f"/api/v1/campaigns/{shown.pk}/performance", NOVEMBER).json()
    assert (data["from"], data["to"], data["impressions"], data["actions"]) == (
        "2026-11-01", "2026-11-30", 2, 1)
    assert data["previous"] == {"from": "2026-10-02", "to": "2026-10-31", "impressions": 1,
                                "actions": 0, "engagement_rate": 0.0}
    assert {row["key"]: row["impressions"] for row in data["by_store"]} == {
        "athens": 1, "patras": 1}
    assert {row["key"]: row["actions"] for row in data["by_language"]} == {"el": 1, "en": 0}
    assert data["by_segment"][0]["name"] == "Detractors"


@pytest.mark.parametrize("query", [{"from": "2026-11-30", "to": "2026-11-01"},
                                   {"from": "2026-02-30"}, {"to": "x"}])
def test_the_api_refuses_a_bad_period_naming_the_field(shown, alice_api, query):
    answer = alice_api.get(f"/api/v1/campaigns/{shown.pk}/performance", query)
    assert answer.status_code == 422
    assert set(query) & set(answer.json()["detail"].replace(":", " ").split())


def test_the_comparison_lists_every_campaign_for_the_period(shown, alice):
    other = campaign(alice.organization, [segment(alice.organization, name="Other")],
                     title="Other", priority=5, start_date=datetime.date(2026, 1, 1))
    page = page_at(NOW, alice, "/dashboard/campaigns/compare/", NOVEMBER)
    rows = {row.campaign.pk: (row.figures.impressions, row.figures.actions,
                              row.previous.impressions) for row in page.context["rows"]}
    assert rows == {shown.pk: (2, 1, 1), other.pk: (0, 0, 0)}
    assert "1 Nov" in page.content.decode() or "Nov. 1" in page.content.decode()
    answer = page_at(NOW, alice, "/dashboard/campaigns/compare.csv", NOVEMBER)
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[1][:8] == [str(shown.pk), "Call me", "live", "2026-11-01", "2026-11-30",
                           "2", "1", "0.5"]


def test_a_title_a_spreadsheet_would_run_stays_text(alice):
    campaign(alice.organization, [segment(alice.organization)], title="=HYPERLINK(1)")
    answer = page_at(NOW, alice, "/dashboard/campaigns/compare.csv")
    assert "'=HYPERLINK(1)" in b"".join(answer.streaming_content).decode()


def test_my_campaigns_says_which_period_its_figures_cover(shown, alice):
    page = page_at(NOW, alice, "/dashboard/campaigns/", NOVEMBER)
    row, = page.context["rows"]
    assert (row.impressions, row.actions) == (2, 1)  # not all time: October's is left out
    assert "Impressions, actions and engagement for" in page.content.decode()
    default = page_at(NOW, alice, "/dashboard/campaigns/")
    assert default.context["period"].days == 30
    assert default.context["rows"][0].impressions == 2  # 2 Nov … 1 Dec: 15 Nov and 1 Dec


def test_a_bad_period_on_a_page_is_a_form_error_not_a_crash(shown, alice):
    for path in (url(shown), url(shown, "performance.csv"), "/dashboard/campaigns/compare/",
                 "/dashboard/campaigns/"):
        page = page_at(NOW, alice, path, {"from": "2026-11-30", "to": "2026-11-01"})
        assert page.status_code == 400, path
        assert "on or before" in page.content.decode()


def test_a_reporting_user_reads_performance_an_agent_may_not(shown, member_client):
    reporting, agent = member_client(Role.REPORTING), member_client(Role.AGENT)
    for path in (url(shown), url(shown, "performance.csv"), "/dashboard/campaigns/compare/"):
        assert reporting.get(path).status_code == 200
        assert agent.get(path).status_code == 403


def test_bob_cannot_read_alices_performance(shown, bob_client, bob_api):
    assert bob_client.get(url(shown)).status_code == 404
    assert bob_client.get(url(shown, "performance.csv")).status_code == 404
    assert bob_api.get(f"/api/v1/campaigns/{shown.pk}/performance").status_code == 404
    assert bob_client.get("/dashboard/campaigns/compare/").context["rows"] == []


def test_the_edit_page_links_to_any_period(shown, alice_client):
    html = alice_client.get(f"/dashboard/campaigns/{shown.pk}/").content.decode()
    assert f'href="/dashboard/campaigns/{shown.pk}/performance/"' in html


def test_the_page_speaks_greek(shown, alice):
    client = Client(headers={"Accept-Language": "el"})
    with time_machine.travel(NOW, tick=False):
        client.force_login(alice)
        html = client.get(url(shown), NOVEMBER).content.decode()
    assert "Απόδοση της" in html and "Ανάλυση" in html and "Broken down" not in html
