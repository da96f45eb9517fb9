import datetime
import json

import time_machine
from campaigns.helpers import PROMOTERS, campaign, segment, submit

from kairos.campaigns.insights import OVERLAP_KEPT_SECONDS
from kairos.campaigns.models import AuditEntry, Campaign


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_catalogue_lists_the_types_and_their_content_fields(alice_api):
    types = {t["id"]: t for t in alice_api.get("/api/v1/campaign-types").json()}
    assert set(types) == {"callback_request", "refer_friend", "onscreen_incentive",
                          "image_display"}
    callback = types["callback_request"]
    assert "callback" in callback["id"]
    assert {"headline", "consent_text"} <= {f["name"] for f in callback["fields"]}


def test_it_creates_a_campaign_with_defaults(alice, alice_api):
    detractors = segment(alice.organization)
    response = post(alice_api, "/api/v1/campaigns", {
        "type": "callback_request", "title": "Detractors — checkout",
        "segment_ids": [detractors.pk], "active": True})
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "live" and data["end_date"] is None and data["priority"] == 0
    assert data["frequency_cap"] == {"days": 0, "hours": 0, "minutes": 0}
    assert data["content"]["headline"]["el"]  # default texts in Greek and English
    assert AuditEntry.objects.filter(campaign_id=data["id"], action="created").exists()


def test_it_names_every_problem(alice, alice_api):
    detractors = segment(alice.organization)
    response = post(alice_api, "/api/v1/campaigns", {
        "type": "callback_request", "title": "x", "segment_ids": [detractors.pk],
        "start_date": "2026-12-10", "end_date": "2026-12-01", "languages": ["fr"],
        "content": {"headline": 5}})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"end_date", "languages", "content.headline"}
    assert Campaign.objects.count() == 0


def test_it_refuses_an_unknown_type_and_a_negative_priority(alice, alice_api):
    detractors = segment(alice.organization)
    unknown = post(alice_api, "/api/v1/campaigns", {
        "type": "popup", "title": "x", "segment_ids": [detractors.pk]})
    assert unknown.status_code == 422 and "type" in unknown.json()["detail"]
    negative = post(alice_api, "/api/v1/campaigns", {
        "type": "callback_request", "title": "x", "segment_ids": [detractors.pk],
        "priority": -1})
    assert negative.status_code == 422 and "priority" in negative.json()["detail"]


def test_it_refuses_another_shops_segment(alice, bob, alice_api):
    bobs = segment(bob.organization)
    response = post(alice_api, "/api/v1/campaigns", {
        "type": "callback_request", "title": "x", "segment_ids": [bobs.pk]})
    assert response.status_code == 422 and "segment_ids" in response.json()["detail"]


def test_patch_changes_only_what_it_is_given_and_is_audited(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    response = patch(alice_api, f"/api/v1/campaigns/{chosen.pk}", {
        "priority": 3, "frequency_cap": {"days": 1, "hours": 2, "minutes": 30},
        "content": {"headline": {"en": "Sorry!"}}})
    data = response.json()
    assert data["priority"] == 3 and data["title"] == "Call me"
    assert data["frequency_cap"] == {"days": 1, "hours": 2, "minutes": 30}
    assert data["content"]["headline"] == {"en": "Sorry!",
                                           "el": "Λυπούμαστε που σας απογοητεύσαμε"}
    change = AuditEntry.objects.get(campaign=chosen, action="changed")
    assert change.changes["priority"] == [0, 3]


def test_delete_archives_and_the_campaign_is_no_longer_shown(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    assert alice_api.delete(f"/api/v1/campaigns/{chosen.pk}").status_code == 204
    assert alice_api.get(f"/api/v1/campaigns/{chosen.pk}").json()["status"] == "archived"
    assert alice_api.get("/api/v1/campaigns").json()["count"] == 0
    assert submit(alice.organization, nps=1)["campaign"] is None


def test_performance_counts_impressions_actions_and_engagement(alice, alice_api):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)])
    site_key = shop.site_keys.get().key
    for n in range(4):
        shown = submit(shop, nps=1, device=f"d{n}")["campaign"]
        if n < 1:
            post(alice_api, f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                 {"site_key": site_key, "type": "callback_request",
                  "phone_number": "6912345678", "consent": True})
        if n == 1:  # dismissing is not engaging
            post(alice_api, f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                 {"site_key": site_key, "type": "dismiss"})
    data = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/performance").json()
    assert (data["impressions"], data["actions"], data["engagement_rate"]) == (4, 1, 0.25)
    assert sum(day["impressions"] for day in data["days"]) == 4 and len(data["days"]) == 30


def test_the_conflict_check_warns_of_ties_and_of_campaigns_that_never_win(alice, alice_api):
    shop = alice.organization
    detractors = segment(shop)
    promoters = segment(shop, PROMOTERS, name="Promoters")
    first = campaign(shop, [detractors], title="first", priority=0)
    tied = campaign(shop, [detractors, promoters], title="tied", priority=0)
    always_tied = campaign(shop, [detractors], title="always tied", priority=0)
    loser = campaign(shop, [detractors], title="loser", priority=5)
    submit(shop, nps=2)
    submit(shop, nps=10)

    def kinds(checked):
        found = alice_api.get(f"/api/v1/campaigns/{checked.pk}/conflicts").json()
        return {c["campaign_id"]: c["kind"] for c in found["conflicts"]}

    # Promoters still see "tied": a real tie, decided for shared customers by age.
    assert kinds(tied)[first.pk] == "tie"
    # A tie that always loses is no tie: it can never win.
    assert kinds(always_tied)[first.pk] == "never_wins"
    assert kinds(loser)[first.pk] == "never_wins"
    message = alice_api.get(f"/api/v1/campaigns/{loser.pk}/conflicts").json()["conflicts"]
    assert "this campaign can never be shown" in message[0]["message"]


def test_decision_preview_explains_every_candidate_and_records_nothing(alice, alice_api):
    from kairos.campaigns.models import Impression
    from kairos.questionnaires.models import Response

    shop = alice.organization
    detractors = segment(shop)
    chosen = campaign(shop, [detractors], title="winner", priority=0)
    outranked = campaign(shop, [detractors], title="second", priority=1)
    off = campaign(shop, [detractors], title="off", active=False)
    data = post(alice_api, "/api/v1/decisions/preview", {
        "stage": "checkout", "locale": "en", "answers": {"nps": 2}}).json()
    outcomes = {t["campaign_id"]: t for t in data["trace"]}
    assert data["campaign"]["campaign_id"] == chosen.pk
    assert outcomes[outranked.pk]["outcome"] == "outranked"
    assert outcomes[outranked.pk]["detail"]["outranked_by"] == chosen.pk
    assert outcomes[off.pk]["outcome"] == "inactive"
    assert Response.objects.count() == Impression.objects.count() == 0


def test_decision_preview_says_which_condition_failed(alice, alice_api):
    shop = alice.organization
    missed = campaign(shop, [segment(shop)])
    data = post(alice_api, "/api/v1/decisions/preview", {
        "stage": "checkout", "answers": {"nps": 9}}).json()
    trace = data["trace"][0]
    assert trace["campaign_id"] == missed.pk and trace["outcome"] == "segment_not_matched"
    assert "answers.nps" in trace["reason"]


def test_decision_preview_replays_a_stored_response_at_a_later_time(alice, alice_api):
    shop = alice.organization
    capped = campaign(shop, [segment(shop)], frequency_cap_minutes=60)
    first = submit(shop, nps=1, device="same")
    again = submit(shop, nps=1, device="same")
    assert again["campaign"] is None
    why = post(alice_api, "/api/v1/decisions/preview",
               {"response_id": again["response_id"]}).json()
    assert why["trace"][0]["outcome"] == "capped"
    replay = post(alice_api, "/api/v1/decisions/preview",
                  {"response_id": first["response_id"]}).json()
    assert replay["campaign"]["campaign_id"] == capped.pk


def test_bob_cannot_touch_alices_campaign(alice, bob_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    assert bob_api.get(f"/api/v1/campaigns/{chosen.pk}").status_code == 404
    assert patch(bob_api, f"/api/v1/campaigns/{chosen.pk}", {"active": False}).status_code == 404
    assert bob_api.delete(f"/api/v1/campaigns/{chosen.pk}").status_code == 404
    assert bob_api.get("/api/v1/campaigns").json()["count"] == 0


def test_a_campaigns_overlap_is_kept_a_while_and_recounted_when_the_shop_changes(
        alice, alice_api):
    shop = alice.organization
    detractors = segment(shop)
    mine = campaign(shop, [detractors], title="mine", priority=0)
    campaign(shop, [detractors], title="theirs", priority=1)
    submit(shop, nps=2, device="d-1")

    def counted():
        found = alice_api.get(f"/api/v1/campaigns/{mine.pk}/conflicts").json()
        return found["recent_customers"], [c["shared_customers"] for c in found["conflicts"]]

    assert counted() == (1, [1])
    submit(shop, nps=2, device="d-2")
    assert counted() == (1, [1])  # as counted a moment ago: a page reads it at every view
    with time_machine.travel(datetime.timedelta(seconds=OVERLAP_KEPT_SECONDS + 1)):
        assert counted() == (2, [2])
    submit(shop, nps=2, device="d-3")
    campaign(shop, [detractors], title="a third", priority=2)  # the configuration moves
    assert counted() == (3, [3, 3])
