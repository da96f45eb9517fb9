"""Closing-the-loop figures against a hand-counted shop (see each figure's comment)."""

import datetime

import pytest
from campaigns.helpers import campaign, segment
from reports.shop_data import at, callback, page_at, respond

from kairos.accounts.periods import Period
from kairos.accounts.roles import Role
from kairos.reports.closing_the_loop import Share, closing_the_loop, waiting

NOW = at("2026-12-20 10:00")
NOVEMBER = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def shop(alice):
    """A: called back in time, resolved, orders again within 30 days and scores higher.
    B: called back late, orders again after 35 days and scores lower.
    C: never called, its due time passed.  D: not due yet.  E: October, another period."""
    organization = alice.organization
    campaign(organization, [segment(organization)], start_date=datetime.date(2026, 1, 1))
    callback(organization, at("2026-11-02 10:00"), 2, "a@example.com", status="resolved",
             due_at=at("2026-11-04 10:00"), first_contact_at=at("2026-11-03 10:00"),
             resolved_at=at("2026-11-05 10:00"))
    callback(organization, at("2026-11-05 10:00"), 3, "b@example.com", status="in_progress",
             due_at=at("2026-11-07 10:00"), first_contact_at=at("2026-11-08 10:00"))
    callback(organization, at("2026-11-10 10:00"), 1, "c@example.com",
             due_at=at("2026-11-12 10:00"))
    callback(organization, at("2026-11-28 10:00"), 4, "d@example.com",
             due_at=at("2026-12-30 10:00"))
    callback(organization, at("2026-10-20 10:00"), 0, "e@example.com", status="resolved",
             due_at=at("2026-10-22 10:00"), first_contact_at=at("2026-10-21 10:00"),
             resolved_at=at("2026-10-21 12:00"))
    respond(organization, at("2026-11-20 10:00"), 9, email="a@example.com")
    respond(organization, at("2026-12-10 10:00"), 1, email="b@example.com")
    return organization


def test_the_figures_match_the_hand_count(shop):
    figures = closing_the_loop(shop, NOVEMBER.span(shop), now=NOW)
    assert figures.requests == 4  # A, B, C, D; E is October's
    assert figures.in_time == Share(1, 3)  # A in time; B late; C past due; D not due yet
    assert figures.to_first_contact == 48 * HOUR  # A 24 h, B 72 h
    assert figures.to_resolution == 72 * HOUR  # A only
    assert figures.rescued == Share(1, 2)  # A 2 → 9; B 3 → 1
    assert figures.reordered[30] == Share(1, 2)  # A after 18 days; B after 35
    assert figures.reordered[60] == Share(0, 0)  # no one's 60 days have passed


def test_the_queue_counts_what_waits_and_what_is_overdue(shop):
    assert waiting(shop, NOW) == (3, 2)  # B, C, D open; B and C past their due time


def test_the_period_before_has_its_own_requests(shop):
    october = NOVEMBER.previous()
    figures = closing_the_loop(shop, october.span(shop), now=NOW)
    assert (figures.requests, figures.in_time, figures.to_resolution) == (
        1, Share(1, 1), 26 * HOUR)  # E: resolved a day and two hours after


def test_the_callbacks_report_shows_the_figures_and_their_definitions(shop, alice):
    page = page_at(NOW, alice, "/dashboard/reports/callbacks/",
                   {"from": "2026-11-01", "to": "2026-11-30"})
    assert page.status_code == 200
    assert page.context["closing_the_loop"].in_time == Share(1, 3)
    assert page.context["previous_closing_the_loop"].requests == 1
    html = page.content.decode()
    assert "33%" in html and "48.0 h" in html and "first contacted by their due time" in html


def test_home_shows_the_closing_the_loop_figures(shop, alice):
    page = page_at(NOW, alice, "/dashboard/", {"from": "2026-11-01", "to": "2026-11-30"})
    assert page.context["closing_the_loop"].rescued == Share(1, 2)
    assert (page.context["callbacks_waiting"], page.context["callbacks_overdue"]) == (3, 2)


def test_a_reporting_user_reads_the_report_an_agent_may_not(member_client):
    assert member_client(Role.REPORTING).get("/dashboard/reports/callbacks/").status_code == 200
    assert member_client(Role.AGENT).get("/dashboard/reports/callbacks/").status_code == 403


def test_bob_sees_none_of_alices_callbacks(shop, bob):
    page = page_at(NOW, bob, "/dashboard/reports/callbacks/",
                   {"from": "2026-11-01", "to": "2026-11-30"})
    assert page.context["closing_the_loop"].requests == 0
