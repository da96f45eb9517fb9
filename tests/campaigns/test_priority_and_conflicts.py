"""Priority a visible choice, conflicts before going live, and "never shown" for a campaign
that can never win: the API and the dashboard (the browser flow: tests/browser)."""

import ast
import json
from pathlib import Path

from campaigns.helpers import PROMOTERS, campaign, segment
from django.utils import translation

import kairos.engine
from kairos.accounts.roles import Role
from kairos.campaigns.models import Campaign

NEW_URL = "/dashboard/campaigns/new/?type=onscreen_incentive"
CHECK_URL = "/dashboard/campaigns/new/check/"


def create(client, **body):
    answer = client.post("/api/v1/campaigns", json.dumps(
        {"type": "callback_request", "title": "New", **body}), content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_new_campaign_goes_after_the_shops_campaigns_for_its_segments(alice, alice_api):
    shop = alice.organization
    detractors, promoters = segment(shop), segment(shop, PROMOTERS, name="Promoters")
    campaign(shop, [detractors], priority=4)
    campaign(shop, [promoters], priority=9)
    archived = campaign(shop, [detractors], priority=20)
    archived.archived_at = archived.created_at
    archived.save()
    assert create(alice_api, segment_ids=[detractors.pk])["priority"] == 5
    assert create(alice_api, segment_ids=[detractors.pk, promoters.pk])["priority"] == 10
    assert create(alice_api, segment_ids=[segment(shop, name="Nobody's").pk])["priority"] == 0
    assert create(alice_api, segment_ids=[detractors.pk], priority=0)["priority"] == 0


def test_the_api_says_a_campaign_is_never_shown_and_why(alice, alice_api):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="Leader", priority=1)
    follower = create(alice_api, segment_ids=[detractors.pk], active=True)
    assert follower["status"] == "never_shown"
    assert follower["status_reason"] == (
        "Never shown: “Leader” (priority 1) is always shown first to every customer of "
        "its segments.")
    moved = alice_api.patch(f"/api/v1/campaigns/{follower['id']}", json.dumps(
        {"priority": 0}), content_type="application/json").json()
    assert (moved["status"], moved["status_reason"]) == ("live", None)
    listed = alice_api.get("/api/v1/campaigns").json()["items"]
    # Now the tables have turned: the leader is the one never shown.
    assert {c["title"]: c["status"] for c in listed} == {"Leader": "never_shown", "New": "live"}


def test_my_campaigns_shows_never_shown_with_its_reason(alice, alice_client):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="Leader", priority=0)
    campaign(shop, [detractors], title="Follower", priority=3)
    page = alice_client.get("/dashboard/campaigns/")
    badges = {row.campaign.title: row.badge for row in page.context["rows"]}
    assert badges["Follower"].status == "never_shown" and badges["Leader"].status == "live"
    assert "“Leader” (priority 0) is always shown first" in badges["Follower"].reason
    assert "data-status-reason" in page.content.decode()
    only = alice_client.get("/dashboard/campaigns/", {"status": "never_shown"})
    assert [row.campaign.title for row in only.context["rows"]] == ["Follower"]
    greek = alice_client.get("/dashboard/campaigns/", headers={"Accept-Language": "el"})
    assert "δεν εμφανίζεται ποτέ" in greek.content.decode()


def test_the_create_form_suggests_a_priority_and_checks_conflicts_before_submit(
        alice, alice_client):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="Callback", priority=2)
    page = alice_client.get("/dashboard/campaigns/new/",
                            {"type": "onscreen_incentive", "segment": detractors.pk})
    assert page.context["form"]["priority"].value() == 3
    html = page.content.decode()
    assert "This campaign would never be shown:" in html
    assert "give it a priority below 2" in html
    # Without JavaScript the Check button asks the same, and creates nothing.
    checked = alice_client.post(NEW_URL, {"segments": [detractors.pk], "title": "Coupon",
                                          "priority": "1", "check": "1"})
    assert checked.status_code == 200 and not Campaign.objects.filter(title="Coupon")
    assert "This campaign would never be shown" not in checked.content.decode()
    created = alice_client.post(NEW_URL, {"segments": [detractors.pk], "title": "Coupon",
                                          "priority": "", "active": "on"})
    assert created.status_code == 302
    assert Campaign.objects.get(title="Coupon").priority == 3
    messages = [str(m) for m in alice_client.get("/dashboard/campaigns/").context["messages"]]
    assert any(m.startswith("Never shown: “Callback”") for m in messages), messages


def test_the_live_check_answers_a_fragment_for_what_is_picked(alice, alice_client):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="Callback", priority=2)
    query = {"type": "onscreen_incentive", "segments": [detractors.pk]}
    answer = alice_client.get(CHECK_URL, query)
    html = answer.content.decode()
    assert answer.status_code == 200 and 'data-suggested-priority="3"' in html
    assert 'data-kind="never_wins"' in html and "<html" not in html
    answer = alice_client.get(CHECK_URL, {**query, "priority": "0"})
    assert 'data-kind="outranks"' in answer.content.decode()
    assert "Choose segments" in alice_client.get(
        CHECK_URL, {"type": "onscreen_incentive"}).content.decode()


def test_the_live_check_refuses_what_it_cannot_read(alice, alice_client, bob, member_client):
    theirs = segment(bob.organization)
    for query in ({"type": "callback_request", "priority": "-1"},
                  {"type": "callback_request", "priority": "x"},
                  {"type": "callback_request", "segments": [theirs.pk]},
                  {"type": "callback_request", "segments": ["1'--"]},
                  {"type": "nope"}):
        answer = alice_client.get(CHECK_URL, query)
        assert answer.status_code == 422, query
        assert 'role="alert"' in answer.content.decode()
    assert member_client(Role.REPORTING).get(CHECK_URL, {"type": "callback_request"}
                                             ).status_code == 403


def test_every_sentence_the_engine_says_has_its_greek():
    engine = Path(kairos.engine.__file__).parent
    marked = [node.args[0].value
              for module in engine.glob("*.py")
              for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop"]
    assert len(marked) >= 25
    with translation.override("el"):
        assert [m for m in marked if translation.gettext(m) == m] == []
