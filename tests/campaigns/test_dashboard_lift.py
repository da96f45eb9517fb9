"""The Lift tab of a campaign's page and the lift column of My campaigns."""

import pytest
import time_machine
from campaigns.helpers import campaign, segment
from campaigns.lift_helpers import DAY, NOW, expose, order

from kairos.accounts.roles import Role
from kairos.campaigns.lift_facts import keep_facts_of


def customers(chosen, size, treated_reorders, control_reorders):
    shop = chosen.organization
    for n in range(size * 2):
        control = n % 2 == 1
        email = f"c{n}@example.com"
        expose(chosen, order(shop, NOW - 100 * DAY, nps=2, email=email), control=control)
        if n // 2 < (control_reorders if control else treated_reorders):
            order(shop, NOW - 90 * DAY, nps=9, email=email)


@pytest.fixture
def chosen(alice):
    with time_machine.travel(NOW - 200 * DAY, tick=False):
        return campaign(alice.organization, [segment(alice.organization)], title="Call me",
                        holdout_percent=50)


def page(client, campaign_id, **headers):
    with time_machine.travel(NOW, tick=False):
        return client.get(f"/dashboard/campaigns/{campaign_id}/", headers=headers)


def test_the_lift_tab_shows_both_groups_the_interval_and_the_verdict(alice_client, chosen):
    customers(chosen, 40, treated_reorders=24, control_reorders=8)
    answer = page(alice_client, chosen.pk)
    lift = answer.context["lift"]
    assert (lift["treatment"]["customers"], lift["control"]["customers"]) == (40, 40)
    assert lift["verdict"].outcome == "raised"
    html = answer.content.decode()
    assert 'href="#lift" data-tab="lift"' in html
    assert "Calling back raised re-orders within 90 days by 40.0 points" in html
    assert '<tr data-window="90"><th scope="row">90 days</th>' in html
    assert "60% <span class=\"muted\">(24/40)</span>" in html
    assert "20% <span class=\"muted\">(8/40)</span>" in html
    assert '<svg class="chart lift-chart"' in html and 'class="estimate"' in html
    assert "+40 points" in html


def test_the_tab_counts_the_kept_facts_once_they_are_kept(alice, alice_client, chosen):
    customers(chosen, 40, treated_reorders=24, control_reorders=8)
    keep_facts_of(alice.organization, NOW - DAY)
    # A held-out customer without a later response answers again: not kept yet.
    order(alice.organization, NOW - DAY / 2, nps=9, email="c17@example.com")

    def control_next_responses():
        answer = page(alice_client, chosen.pk)
        return answer, answer.context["lift"]["control"]["next_response_nps"]["responses"]

    answer, before = control_next_responses()
    assert before == 8 and "Counted at" in answer.content.decode()
    keep_facts_of(alice.organization, NOW)
    assert control_next_responses()[1] == 9


def test_the_tab_speaks_greek(alice_client, chosen):
    customers(chosen, 3, 1, 0)
    html = page(alice_client, chosen.pk, **{"Accept-Language": "el"}).content.decode()
    assert "Δεν υπάρχουν ακόμη αρκετά δεδομένα" in html
    assert "Ομάδα ελέγχου" in html


def test_a_campaign_without_a_holdout_has_no_lift_tab(alice, alice_client):
    plain = campaign(alice.organization, [segment(alice.organization)])
    answer = page(alice_client, plain.pk)
    assert answer.context["lift"] is None and 'data-tab="lift"' not in answer.content.decode()


def test_my_campaigns_shows_the_lift_of_campaigns_with_a_holdout(alice, alice_client, chosen):
    plain = campaign(alice.organization, [segment(alice.organization)], title="Plain")
    customers(chosen, 40, treated_reorders=24, control_reorders=8)
    keep_facts_of(alice.organization, NOW)
    with time_machine.travel(NOW, tick=False):
        rows = {row.campaign.pk: row for row in
                alice_client.get("/dashboard/campaigns/").context["rows"]}
    assert rows[plain.pk].lift is None
    label, verdict = rows[chosen.pk].lift
    assert label == "+40 points" and verdict.startswith("Calling back raised re-orders")


def test_a_reporting_user_sees_the_lift_and_bob_does_not(chosen, member_client, bob_client):
    customers(chosen, 3, 1, 0)
    assert page(member_client(Role.REPORTING), chosen.pk).context["lift"] is not None
    assert page(bob_client, chosen.pk).status_code == 404


def test_the_comparison_shows_the_lift_of_the_customers_first_reached_in_the_period(
        alice, alice_client, chosen):
    plain = campaign(alice.organization, [segment(alice.organization)], title="Plain")
    customers(chosen, 40, treated_reorders=24, control_reorders=8)  # reached 100 days ago
    keep_facts_of(alice.organization, NOW)

    def compared(period):
        with time_machine.travel(NOW, tick=False):
            answer = alice_client.get("/dashboard/campaigns/compare/", period)
        return answer, {row.campaign.pk: row.lift for row in answer.context["rows"]}

    answer, lifts = compared({"from": "2026-08-01", "to": "2026-08-31"})
    assert lifts[plain.pk] is None
    label, verdict = lifts[chosen.pk]
    assert label == "+40 points" and verdict.startswith("Calling back raised re-orders")
    assert f'href="/dashboard/campaigns/{chosen.pk}/#lift" title="{verdict}">+40 points</a>' \
        in answer.content.decode()
    with time_machine.travel(NOW, tick=False):
        csv = b"".join(alice_client.get("/dashboard/campaigns/compare.csv", {
            "from": "2026-08-01", "to": "2026-08-31"}).streaming_content).decode()
    assert csv.splitlines()[0].endswith(",lift") and verdict in csv
    # Nobody was first reached in November: not enough data for that period.
    _answer, lifts = compared({"from": "2026-11-01", "to": "2026-11-27"})
    assert lifts[chosen.pk][0] == "not enough data yet"
