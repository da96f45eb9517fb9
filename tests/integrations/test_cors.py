"""The public API answers cross-origin calls only from the site key's allowed origins."""

import json

import pytest
from django.test import Client

SHOP = "https://shop.example.com"


@pytest.fixture
def site_key(alice):
    key = alice.organization.site_keys.get()
    key.allowed_origins = SHOP
    key.save()
    return key.key


def test_an_allowed_origin_gets_the_cors_header(site_key):
    response = Client().get("/api/public/v1/questionnaires/checkout",
                            {"site_key": site_key}, headers={"Origin": SHOP})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_another_origin_is_refused_clearly(site_key):
    response = Client().get("/api/public/v1/questionnaires/checkout",
                            {"site_key": site_key}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "not allowed" in response.json()["detail"]
    assert "Access-Control-Allow-Origin" not in response


def test_a_post_from_another_origin_stores_nothing(site_key):
    from kairos.questionnaires.models import Response

    payload = {"site_key": site_key, "stage": "checkout", "answers": {"nps": 9}}
    response = Client().post("/api/public/v1/responses", json.dumps(payload),
                             content_type="application/json",
                             headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_a_preflight_from_an_allowed_origin_is_answered(site_key):
    response = Client().options("/api/public/v1/responses", headers={
        "Origin": SHOP, "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_a_preflight_from_an_unknown_origin_gets_no_permission(site_key):
    response = Client().options("/api/public/v1/responses", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response


def test_one_shops_origin_does_not_open_another_shops_key(site_key, bob):
    bob_key = bob.organization.site_keys.get().key
    response = Client().get("/api/public/v1/questionnaires/checkout",
                            {"site_key": bob_key}, headers={"Origin": SHOP})
    assert response.status_code == 403
