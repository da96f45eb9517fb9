"""The admin API's boundary: ids, offsets, nulls, text and dates out of bounds are a 422
naming the field on SQLite and PostgreSQL alike, and nothing is written."""

import datetime
import json

import pytest
from callbacks.test_api_callbacks import request_callback
from campaigns.helpers import campaign, segment

from kairos.campaigns.models import Campaign
from kairos.segments.models import Segment

BEYOND_64_BITS = 2**64
LISTS = ["/api/v1/segments", "/api/v1/campaigns", "/api/v1/responses", "/api/v1/callbacks"]


def send(client, method, url, body=None):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def refused(response, field):
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}, response.json()


# ---- class 2: ids and offsets beyond 64 bits -------------------------------------------

@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("name,value", [("offset", 2**63), ("offset", -1),
                                        ("limit", 2**63), ("limit", 0), ("limit", 10**6)])
def test_every_list_bounds_its_pagination(alice_api, url, name, value):
    refused(alice_api.get(url, {name: value}), name)


@pytest.mark.parametrize("url", LISTS)
def test_the_last_offset_a_list_takes_answers_an_empty_page(alice_api, url):
    response = alice_api.get(url, {"offset": 10**9, "limit": 1000})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("method,url", [
    ("get", "/api/v1/segments/{id}"), ("patch", "/api/v1/segments/{id}"),
    ("delete", "/api/v1/segments/{id}"), ("get", "/api/v1/segments/{id}/preview"),
    ("get", "/api/v1/campaigns/{id}"), ("patch", "/api/v1/campaigns/{id}"),
    ("get", "/api/v1/campaigns/{id}/performance"), ("get", "/api/v1/campaigns/{id}/audit"),
    ("get", "/api/v1/callbacks/{id}"), ("patch", "/api/v1/callbacks/{id}")])
@pytest.mark.parametrize("value", [BEYOND_64_BITS, 0])
def test_an_id_beyond_64_bits_is_refused(alice_api, method, url, value):
    response = send(alice_api, method, url.format(id=value), {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("_id")


def test_a_filter_by_an_id_beyond_64_bits_is_refused(alice_api):
    refused(alice_api.get("/api/v1/callbacks", {"campaign": BEYOND_64_BITS}), "campaign")


def test_a_segment_id_beyond_64_bits_is_refused(alice, alice_api):
    response = send(alice_api, "post", "/api/v1/campaigns", {
        "type": "callback_request", "title": "x", "segment_ids": [BEYOND_64_BITS]})
    refused(response, "segment_ids.0")
    refused(send(alice_api, "post", "/api/v1/segments", {
        "name": "x", "questionnaire_id": BEYOND_64_BITS}), "questionnaire_id")


# ---- class 4: nulls --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["name", "icon", "active", "conditions"])
def test_a_segment_field_cannot_be_patched_to_null(alice, alice_api, name):
    detractors = segment(alice.organization)
    refused(send(alice_api, "patch", f"/api/v1/segments/{detractors.pk}", {name: None}), name)
    assert Segment.objects.get(pk=detractors.pk).name == "Detractors"


def test_a_segments_questionnaire_may_be_patched_to_null(alice, alice_api):
    detractors = segment(alice.organization)
    detractors.questionnaire = alice.organization.questionnaires.first()
    detractors.save()
    response = send(alice_api, "patch", f"/api/v1/segments/{detractors.pk}",
                    {"questionnaire_id": None})
    assert response.status_code == 200 and response.json()["questionnaire_id"] is None


@pytest.mark.parametrize("name", ["title", "content", "languages", "active", "priority",
                                  "start_date", "segment_ids", "frequency_cap"])
def test_a_campaign_field_cannot_be_patched_to_null(alice, alice_api, name):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    refused(send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}", {name: None}), name)
    assert Campaign.objects.get(pk=chosen.pk).title == "Call me"


def test_a_campaigns_end_date_may_be_patched_to_null(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)],
                      end_date=datetime.date(2999, 1, 1))
    response = send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}", {"end_date": None})
    assert response.status_code == 200 and response.json()["end_date"] is None


def test_a_callbacks_status_cannot_be_null_but_its_outcome_can(alice, alice_api):
    campaign(alice.organization, [segment(alice.organization)])
    request_callback(alice)
    url = f"/api/v1/callbacks/{alice_api.get('/api/v1/callbacks').json()['items'][0]['id']}"
    refused(send(alice_api, "patch", url, {"status": None}), "status")
    assert send(alice_api, "patch", url, {"outcome": "reached"}).json()["outcome"] == "reached"
    assert send(alice_api, "patch", url, {"outcome": None}).json()["outcome"] == ""
    assert alice_api.get(url).json()["status"] == "new"


def test_an_unknown_field_of_a_patch_is_refused_not_ignored(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    refused(send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}", {"titel": "x"}),
            "titel")


# ---- class 1 on the admin API: text the databases cannot store -------------------------

@pytest.mark.parametrize("text", ["\x00", "ok\udc00"])
def test_unstorable_text_is_refused_wherever_it_is(alice, alice_api, text):
    detractors = segment(alice.organization)
    chosen = campaign(alice.organization, [detractors])
    rule = {"all": [{"field": "answers.comment", "op": "contains", "value": text}]}
    refused(send(alice_api, "post", "/api/v1/segments", {"name": text}), "name")
    refused(send(alice_api, "post", "/api/v1/segments", {"name": "x", "conditions": rule}),
            "conditions.all.0.value")
    refused(send(alice_api, "post", "/api/v1/segments/preview", {"conditions": rule}),
            "conditions.all.0.value")
    refused(send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}", {"title": text}),
            "title")
    refused(send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}",
                 {"content": {"headline": {"en": text}}}), "content.headline.en")
    refused(send(alice_api, "post", f"/api/v1/campaigns/{chosen.pk}/coupons",
                 {"codes": ["A", text]}), "codes.1")
    assert Segment.objects.count() == 1


def test_a_nul_in_a_query_string_is_refused(alice_api):
    # A URL cannot carry a lone surrogate (it arrives as U+FFFD), but it can carry %00.
    refused(alice_api.get("/api/v1/responses", {"store_id": "a\x00"}), "store_id")
    refused(alice_api.get("/api/v1/callbacks", {"assignee": "\x00"}), "assignee")


# ---- dates and times -------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"from": "0001-01-01"}, {"to": "9999-12-31"},
                                   {"from": "2020-01-01", "to": "2026-01-01"}])
def test_a_performance_range_is_bounded(alice, alice_api, query):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    response = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/performance", query)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] in query


def test_dates_beyond_this_millennium_are_refused(alice, alice_api):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    refused(send(alice_api, "patch", f"/api/v1/campaigns/{chosen.pk}",
                 {"end_date": "9999-12-31"}), "end_date")
    refused(send(alice_api, "post", "/api/v1/decisions/preview",
                 {"answers": {"nps": 3}, "at": "9999-12-31T23:59:59-12:00"}), "at")
    refused(alice_api.get(f"/api/v1/segments/{chosen.segments.get().pk}/preview",
                          {"to": "9999-12-31"}), "to")


def test_a_preview_of_a_response_id_that_is_no_uuid_is_refused(alice_api):
    refused(send(alice_api, "post", "/api/v1/decisions/preview", {"response_id": "nope"}),
            "response_id")


def test_the_rules_speak_the_callers_language(alice_api):
    response = alice_api.post("/api/v1/segments", json.dumps({"name": "a\x00"}),
                              content_type="application/json", headers={"Accept-Language": "el"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "δεν πρέπει να περιέχει τον χαρακτήρα NUL (U+0000)"}]
