import datetime
import json

from kairos.questionnaires.models import Response
from kairos.questionnaires.services import published_version, record_response


def submit(user, nps, store="athens", email=None):
    version = published_version(user.organization, "checkout")
    responder = {"email": email} if email else {}
    return record_response(user.organization, version, {
        "answers": {"nps": nps}, "metadata": {"questionnaire": {"store_id": store},
                                             "responder": responder}}, locale="en")


def test_it_lists_only_the_callers_responses(alice, bob, alice_api):
    mine = submit(alice, 3)
    submit(bob, 9)
    data = alice_api.get("/api/v1/responses").json()
    assert data["count"] == 1
    assert data["items"][0]["id"] == str(mine.id)


def test_it_filters_and_paginates(alice, alice_api):
    for nps in range(11):
        submit(alice, nps, store="athens" if nps % 2 else "patra")
    data = alice_api.get("/api/v1/responses", {"nps_max": 6, "store_id": "athens"}).json()
    assert sorted(i["answers"]["nps"] for i in data["items"]) == [1, 3, 5]
    page = alice_api.get("/api/v1/responses", {"limit": 4, "offset": 8}).json()
    assert page["count"] == 11 and len(page["items"]) == 3


def test_it_filters_by_normalised_email(alice, alice_api):
    submit(alice, 4, email="maria@example.com")
    submit(alice, 4)
    data = alice_api.get("/api/v1/responses", {"email": " MARIA@example.com"}).json()
    assert data["count"] == 1


def test_it_names_a_bad_filter(alice, alice_api):
    response = alice_api.get("/api/v1/responses", {"nps_min": 42})
    assert response.status_code == 422 and "nps_min" in response.json()["detail"]


def test_bob_cannot_read_alices_response(alice, bob_api):
    response = bob_api.get(f"/api/v1/responses/{submit(alice, 2).id}")
    assert response.status_code == 404


def test_server_side_submission_validates_like_the_public_endpoint(alice, alice_api):
    ok = alice_api.post("/api/v1/responses", json.dumps({
        "stage": "after_sales", "locale": "en", "answers": {"nps": 8},
        "submitted_at": "2026-01-02T10:00:00Z"}), content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["source"] == "api" and ok.json()["submitted_at"].startswith("2026-01-02")
    bad = alice_api.post("/api/v1/responses", json.dumps({
        "stage": "checkout", "answers": {"nps": 99}}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "answers.nps"


def test_a_submission_time_without_an_offset_is_the_shops_local_time(alice, alice_api):
    naive = alice_api.post("/api/v1/responses", json.dumps({
        "stage": "checkout", "answers": {"nps": 8}, "submitted_at": "2026-01-02T10:00:00"}),
        content_type="application/json")
    assert naive.status_code == 201, naive.content
    assert naive.json()["submitted_at"] == "2026-01-02T10:00:00+02:00"  # Athens in winter
    stored = Response.objects.get(pk=naive.json()["id"]).submitted_at
    assert stored == datetime.datetime(2026, 1, 2, 8, tzinfo=datetime.UTC)


def test_a_reporting_key_cannot_submit(alice):
    from django.test import Client

    from kairos.accounts.models import ApiKey

    _key, secret = ApiKey.issue(alice.organization, "reports", role="reporting")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/responses").status_code == 200
    response = client.post("/api/v1/responses", json.dumps({
        "stage": "checkout", "answers": {"nps": 5}}), content_type="application/json")
    assert response.status_code == 403


def test_anonymous_calls_get_401(db):
    from django.test import Client

    assert Client().get("/api/v1/responses").status_code == 401
