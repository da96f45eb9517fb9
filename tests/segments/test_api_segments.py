import json

from kairos.questionnaires.services import published_version, record_response
from kairos.segments.models import Segment


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def respond(user, nps, email=None):
    version = published_version(user.organization, "checkout")
    responder = {"email": email} if email else {}
    record_response(user.organization, version,
                    {"answers": {"nps": nps}, "metadata": {"responder": responder}},
                    locale="en")


def test_templates_can_be_posted_back_as_they_are(alice, alice_api):
    templates = alice_api.get("/api/v1/segments/templates").json()
    assert {t["key"] for t in templates} == {"promoters", "passives", "detractors", "happy",
                                             "unhappy"}
    for body in templates:
        assert post(alice_api, "/api/v1/segments", body).status_code == 201
    assert Segment.objects.filter(organization=alice.organization).count() == 5


def test_it_reports_every_rule_problem_with_its_path(alice, alice_api):
    response = post(alice_api, "/api/v1/segments", {"name": "bad", "conditions": {"any": [
        {"field": "answers.nps", "op": "lte", "value": "six"},
        {"all": [{"field": "answers.nope", "op": "eq", "value": 1}]}]}})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"conditions.any[0].value", "conditions.any[1].all[0].field"}
    assert not Segment.objects.exists()


def test_preview_counts_responses_and_distinct_customers(alice, alice_api):
    for nps, email in [(1, "a@x.gr"), (2, "a@x.gr"), (3, "b@x.gr"), (9, "c@x.gr")]:
        respond(alice, nps, email)
    detractors = post(alice_api, "/api/v1/segments", {"name": "d", "conditions": {
        "all": [{"field": "answers.nps", "op": "lte", "value": 6}]}}).json()
    data = alice_api.get(f"/api/v1/segments/{detractors['id']}/preview").json()
    assert (data["responses"], data["responders"], data["total"]) == (3, 2, 4)
    assert len(data["sample"]) == 3


def test_an_unsaved_rule_can_be_previewed(alice, alice_api):
    respond(alice, 9)
    respond(alice, 10)
    data = post(alice_api, "/api/v1/segments/preview", {"conditions": {
        "all": [{"field": "answers.nps", "op": "gte", "value": 10}]}}).json()
    assert data["responses"] == 1


def test_the_field_catalogue_offers_operators_by_type(alice, alice_api):
    fields = {f["path"]: f for f in alice_api.get("/api/v1/segments/fields").json()}
    assert fields["answers.nps"]["type"] == "number"
    assert "between" in fields["answers.nps"]["operators"]
    assert "contains" in fields["answers.comment"]["operators"]
    assert fields["questionnaire.transaction_date"]["type"] == "date"


def test_patch_deactivates_and_bob_cannot_see_it(alice, alice_api, bob_api):
    created = post(alice_api, "/api/v1/segments", {"name": "d"}).json()
    response = alice_api.patch(f"/api/v1/segments/{created['id']}",
                               json.dumps({"active": False}), content_type="application/json")
    assert response.json()["active"] is False and response.json()["name"] == "d"
    assert bob_api.get(f"/api/v1/segments/{created['id']}").status_code == 404
    assert bob_api.delete(f"/api/v1/segments/{created['id']}").status_code == 404


def test_a_reporting_key_reads_but_cannot_write(alice):
    from django.test import Client

    from kairos.accounts.models import ApiKey

    _key, secret = ApiKey.issue(alice.organization, "r", role="reporting")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/segments").status_code == 200
    assert post(client, "/api/v1/segments", {"name": "x"}).status_code == 403


def test_deactivating_a_segment_names_the_campaigns_it_silences(alice, alice_api):
    from campaigns.helpers import campaign, segment

    shop = alice.organization
    only = segment(shop, name="only")
    backup = segment(shop, name="backup")
    silenced = campaign(shop, [only], title="silenced")
    campaign(shop, [only, backup], title="still shown")
    response = alice_api.patch(f"/api/v1/segments/{only.pk}", json.dumps({"active": False}),
                               content_type="application/json")
    data = response.json()
    assert [c["title"] for c in data["silenced_campaigns"]] == [silenced.title]
    assert {c["title"] for c in data["campaigns"]} == {"silenced", "still shown"}
