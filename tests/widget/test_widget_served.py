"""/widget.js and its versioned URL, the demo thank-you page, and the coupon images."""

import gzip
import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from kairos.campaigns.display import submit_response
from kairos.campaigns.services import create_campaign
from kairos.integrations.views import WIDGET_SOURCE, widget_file
from kairos.questionnaires.services import published_version
from kairos.segments.models import Segment

MAX_GZIPPED_BYTES = 15 * 1024


def test_it_serves_the_widget_as_javascript_with_a_short_cache(db):
    response = Client().get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.content == WIDGET_SOURCE.read_bytes()
    assert reverse("integrations:widget") == "/widget.js"


def test_it_serves_the_versioned_url_immutable(db):
    version = widget_file().version
    response = Client().get(f"/widget.{version}.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content == WIDGET_SOURCE.read_bytes()


def test_the_short_url_points_at_the_versioned_one(db):
    link = Client().get("/widget.js")["Link"]
    assert f"</widget.{widget_file().version}.js>" in link


def test_an_unknown_version_is_not_found(db):
    assert Client().get("/widget.0123456789ab.js").status_code == 404


def test_it_sends_gzip_to_browsers_that_accept_it(db):
    response = Client().get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == WIDGET_SOURCE.read_bytes()


def test_it_answers_not_modified_to_a_matching_etag(db):
    etag = Client().get("/widget.js")["ETag"]
    assert Client().get("/widget.js", headers={"If-None-Match": etag}).status_code == 304


def test_the_widget_is_small():
    assert len(gzip.compress(WIDGET_SOURCE.read_bytes())) < MAX_GZIPPED_BYTES


def test_the_widget_never_parses_markup():
    source = WIDGET_SOURCE.read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


def test_the_widget_has_no_global_but_kairos():
    source = WIDGET_SOURCE.read_text()
    assert re.search(r"^\(function \(window, document\) \{$", source, re.M)
    assert source.rstrip().endswith("})(window, document);")
    assert set(re.findall(r"window\.(\w+)\s*=[^=]", source)) == {"Kairos"}


def test_the_widget_uses_no_syntax_newer_than_es2018():
    source = WIDGET_SOURCE.read_text()
    assert "?." not in source and "??" not in source


# ---- the demo page ---------------------------------------------------------------------

@pytest.fixture
def demo_shop(db):
    from kairos.demo import build_demo_shop

    return build_demo_shop(site_url="http://testserver")


def test_the_demo_page_embeds_the_widget_like_a_shop(demo_shop):
    response = Client().get("/demo/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Order A-1001 confirmed" in html
    assert (f'<script src="http://testserver/widget.js" data-site-key="{demo_shop.site_key}"'
            in html)
    assert 'data-container="#kairos-feedback"' in html
    assert 'window.Kairos = window.Kairos || {q: []};' in html


def test_the_demo_page_passes_the_chosen_customer_as_metadata(demo_shop):
    response = Client().get("/demo/", {"name": "Nikos", "email": "nikos@example.com",
                                       "phone": "+306977777777", "customer_id": "c-7",
                                       "store_id": "patra", "amount": "42.10", "lang": "el"})
    assert response.context["metadata"] == {
        "questionnaire": {"transaction_id": "A-1001",
                          "transaction_date": response.context["metadata"]["questionnaire"][
                              "transaction_date"],
                          "store_id": "patra", "amount": 42.1},
        "responder": {"name": "Nikos", "email": "nikos@example.com",
                      "phone_number": "+306977777777", "customer_id": "c-7"},
    }
    html = response.content.decode()
    assert '<html lang="el">' in html
    assert "Η παραγγελία A-1001 επιβεβαιώθηκε" in html


def test_the_greek_demo_page_labels_its_own_controls_in_greek(demo_shop):
    html = Client().get("/demo/", {"lang": "el"}).content.decode()
    for label in ("Όνομα", "Τηλέφωνο", "Id πελάτη", "Id καταστήματος", "Ποσό (€)", "Γλώσσα"):
        assert f">{label}</label>" in html, label
    for english in ("Name", "Phone", "Customer id", "Store id", "Amount (€)", "Language"):
        assert f">{english}</label>" not in html, english


def test_a_bad_demo_value_falls_back_to_the_default(demo_shop):
    response = Client().get("/demo/", {"email": "not-an-email", "amount": "lots"})
    assert response.status_code == 200
    assert response.context["customer"]["email"] == "maria@example.com"
    assert str(response.context["customer"]["amount"]) == "120.50"


def test_the_demo_page_escapes_what_it_is_given(demo_shop):
    response = Client().get("/demo/", {"name": "</script><script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_the_demo_page_can_send_a_strict_content_security_policy(demo_shop):
    response = Client().get("/demo/", {"csp": "1"})
    nonce = response.context["nonce"]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'data-nonce="{nonce}"' in response.content.decode()


def test_the_demo_page_says_how_to_create_the_demo_shop(db):
    response = Client().get("/demo/")
    assert response.status_code == 200
    assert "kairos demo" in response.content.decode()
    assert "data-site-key" not in response.content.decode()


# ---- the public API as the widget calls it ----------------------------------------------

def test_a_text_plain_response_is_accepted(alice):
    """The widget sends text/plain so that browsers need no CORS preflight."""
    site_key = alice.organization.site_keys.get().key
    payload = {"site_key": site_key, "stage": "checkout", "locale": "en", "device_id": "d-1",
               "answers": {"nps": 3}, "metadata": {"responder": {"email": "m@example.com"}}}
    response = Client(enforce_csrf_checks=True).post(
        "/api/public/v1/responses", json.dumps(payload), content_type="text/plain;charset=UTF-8")
    assert response.status_code == 201, response.content
    assert response.json()["campaign"] is None


def detractor_campaign(organization, **content):
    segment = Segment.objects.create(
        organization=organization, name="Detractors",
        conditions={"all": [{"field": "answers.nps", "op": "between", "value": [0, 6]}]})
    return create_campaign(organization, {"type": "onscreen_incentive", "title": "Coupon",
                                          "active": True, "content": content}, [segment.pk])


def shown_impression(organization):
    version = published_version(organization, "checkout")
    _response, shown = submit_response(organization, version, {"answers": {"nps": 2}},
                                       locale="en", device_id="d-1")
    return shown


def test_a_text_plain_action_is_accepted_once_per_idempotency_key(alice):
    organization = alice.organization
    detractor_campaign(organization, coupon_mode="single", coupon_code="SORRY10")
    shown = shown_impression(organization)
    body = json.dumps({"site_key": organization.site_keys.get().key, "type": "click",
                       "idempotency_key": "a-1"})
    url = f"/api/public/v1/impressions/{shown.impression.pk}/actions"
    first = Client().post(url, body, content_type="text/plain;charset=UTF-8")
    again = Client().post(url, body, content_type="text/plain;charset=UTF-8")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert shown.impression.actions.count() == 1


@pytest.mark.parametrize("coupon_format, marker", [("code128", b"<rect"), ("qr", b"<path")])
def test_the_coupon_image_is_an_svg(alice, coupon_format, marker):
    detractor_campaign(alice.organization, coupon_mode="single", coupon_code="SORRY10",
                       coupon_format=coupon_format)
    shown = shown_impression(alice.organization)
    url = shown.content["coupon"]["image_url"]
    assert url == f"/api/public/v1/impressions/{shown.impression.pk}/coupon.svg"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and marker in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_text_coupon_has_no_image(alice):
    detractor_campaign(alice.organization, coupon_mode="single", coupon_code="SORRY10")
    shown = shown_impression(alice.organization)
    assert shown.content["coupon"]["image_url"] is None
    response = Client().get(f"/api/public/v1/impressions/{shown.impression.pk}/coupon.svg")
    assert response.status_code == 404


def test_an_unknown_impression_has_no_coupon(db):
    response = Client().get(f"/api/public/v1/impressions/{uuid.uuid4()}/coupon.svg")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("impression_id:")


def test_a_code_code128_cannot_draw_is_refused_clearly(alice):
    detractor_campaign(alice.organization, coupon_mode="single", coupon_code="ΣΥΓΓΝΩΜΗ",
                       coupon_format="code128")
    shown = shown_impression(alice.organization)
    response = Client().get(shown.content["coupon"]["image_url"])
    assert response.status_code == 422
    assert response.json()["detail"].startswith("coupon_code:")


def widget_views():
    """The campaign types widget.js has a view for: the keys of its VIEWS object."""
    source = WIDGET_SOURCE.read_text()
    block = re.search(r"var VIEWS = \{(.*?)\};", source, re.S).group(1)
    return set(re.findall(r"^\s*(\w+):", block, re.M))


def test_the_widget_has_a_view_for_every_campaign_type():
    from kairos.campaigns.types import CAMPAIGN_TYPES

    assert widget_views() == set(CAMPAIGN_TYPES)
