"""The dashboard's forms and query strings: what breaks the input rules is a form error
on the field (the page still answers 200), never a 500 and never a write."""

import json

import pytest
from campaigns.helpers import campaign, segment
from campaigns.test_dashboard_campaigns import edit_data

from kairos.campaigns.models import Campaign, CouponCode
from kairos.segments.models import Segment

BEYOND_64_BITS = str(2**64)


def field_errors(page):
    assert page.status_code == 200
    return set(page.context["form"].errors)


@pytest.mark.parametrize("query", [f"&segment={BEYOND_64_BITS}", "&segment=%C2%B2",
                                   "&segment=0&segment=-3", "&segment=1e3"])
def test_the_campaign_form_ignores_segments_that_cannot_exist(alice_client, query):
    page = alice_client.get(f"/dashboard/campaigns/new/?type=callback_request{query}")
    assert page.status_code == 200 and page.context["form"].initial["segments"] == []


def test_choosing_a_segment_by_an_impossible_id_is_a_form_error(alice, alice_client):
    page = alice_client.post("/dashboard/campaigns/new/?type=callback_request",
                             {"segments": [BEYOND_64_BITS], "title": "x"})
    assert "segments" in field_errors(page)
    chosen = campaign(alice.organization, [segment(alice.organization)])
    page = alice_client.post(f"/dashboard/campaigns/{chosen.pk}/",
                             edit_data(chosen, segments=[BEYOND_64_BITS]))
    assert "segments" in field_errors(page)
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("changes,field", [({"cap_hours": str(2**63)}, "cap_hours"),
                                           ({"end_date": "9999-12-31"}, "end_date"),
                                           ({"start_date": "0001-01-01"}, "start_date")])
def test_campaign_numbers_and_dates_out_of_range_are_form_errors(alice, alice_client,
                                                                 changes, field):
    chosen = campaign(alice.organization, [segment(alice.organization)])
    page = alice_client.post(f"/dashboard/campaigns/{chosen.pk}/", edit_data(chosen, **changes))
    assert field in field_errors(page)
    assert chosen.audit.count() == 1  # only "created"


@pytest.mark.parametrize("query,field", [("from=9999-12-31", "from"), ("to=0001-01-02", "to"),
                                         ("nps_min=99999999999999999999", "nps_min")])
def test_response_filters_out_of_range_are_form_errors(alice_client, query, field):
    page = alice_client.get(f"/dashboard/responses/?{query}")
    assert field in page.context["filter_form"].errors


@pytest.mark.parametrize("query,field", [
    ("at=9999-12-31T23:59", "at"), ("amount=1e300", "amount"),
    ("answers=%7B%22comment%22%3A%22%5Cu0000%22%7D", "answers"),  # {"comment":"\u0000"}
    ("answers=" + "%5B" * 3000, "answers")])
def test_a_why_question_out_of_range_is_a_form_error(alice_client, query, field):
    page = alice_client.get(f"/dashboard/campaigns/why/?stage=checkout&nps=3&{query}")
    assert field in field_errors(page)


@pytest.mark.parametrize("rule", [
    {"all": [{"field": "answers.comment", "op": "contains", "value": "late\u0000"}]},
    {"all": [{"field": "answers.comment", "op": "eq", "value": "\udc80"}]}])
def test_the_segment_builder_refuses_unstorable_text_in_a_rule(alice_client, rule):
    page = alice_client.post("/dashboard/segments/new/", {
        "name": "Hostile", "icon": "", "questionnaire": "", "active": "on",
        "conditions": json.dumps(rule)})
    assert "conditions" in field_errors(page)
    assert not Segment.objects.exists()


def test_the_segment_builder_refuses_json_nested_past_pythons_stack(alice_client):
    page = alice_client.post("/dashboard/segments/new/", {
        "name": "Deep", "active": "on", "conditions": "[" * 5000 + "]" * 5000})
    assert "conditions" in field_errors(page)


def test_the_segment_builder_refuses_a_questionnaire_id_beyond_64_bits(alice_client):
    page = alice_client.post("/dashboard/segments/new/", {
        "name": "x", "questionnaire": BEYOND_64_BITS, "active": "on",
        "conditions": json.dumps({"all": []})})
    assert "questionnaire" in field_errors(page)


def test_coupon_codes_with_a_nul_are_refused_whole(alice, alice_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chosen = campaign(alice.organization, [segment(alice.organization)],
                      type="onscreen_incentive", content={"coupon_mode": "pool"})
    upload = SimpleUploadedFile("codes.csv", b"code\nGOOD-1\nBAD\x00-2\n")
    response = alice_client.post(f"/dashboard/campaigns/{chosen.pk}/coupons/",
                                 {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "line 3" in response.content.decode() and not CouponCode.objects.exists()
