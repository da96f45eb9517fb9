"""The lean WSGI path of POST /api/public/v1/responses answers exactly like the ninja route.

Django's test client goes through Django's handler; these tests call the production WSGI
entry point (kairos.wsgi.application) itself, which routes this endpoint to
kairos.integrations.hot_path.
"""

import io
import json

import pytest
from campaigns.helpers import campaign, segment
from django.test import Client
from integrations.both_paths import hot_path

from kairos.integrations import hot_path as lean_application
from kairos.questionnaires.models import Response

SHOP = "https://shop.example.com"


@pytest.fixture(autouse=True)
def inside_the_test_transaction(monkeypatch):
    # Django's test client unhooks connection closing too: it would end the test's
    # transaction. The production-server tests cover the real thing.
    monkeypatch.setattr(lean_application, "close_old_connections", lambda: None)


@pytest.fixture
def site_key(alice):
    key = alice.organization.site_keys.get()
    key.allowed_origins = SHOP
    key.save()
    return key.key


def call(body, origin=None, host="127.0.0.1:8000", raw=None):
    return hot_path(raw if raw is not None else json.dumps(body).encode(), origin, host)


def body(key, **overrides):
    return {"site_key": key, "stage": "checkout", "locale": "en", "device_id": "d-1",
            "answers": {"nps": 2}, **overrides}


def by_ninja(payload):
    response = Client().post("/api/public/v1/responses", json.dumps(payload),
                             content_type="application/json")
    return response.status_code, response.json()


def test_it_stores_decides_and_answers_like_the_ninja_route(alice, site_key):
    campaign(alice.organization, [segment(alice.organization)])
    status, headers, data = call(body(site_key), origin=SHOP)
    assert status == 201 and headers["Access-Control-Allow-Origin"] == SHOP
    assert Response.objects.filter(pk=data["response_id"]).exists()
    ninja_status, ninja_data = by_ninja(body(site_key, device_id="d-2"))
    assert ninja_status == 201
    assert data["campaign"].keys() == ninja_data["campaign"].keys()
    assert data["campaign"]["content"] == ninja_data["campaign"]["content"]


@pytest.mark.parametrize("payload", [
    {"answers": {"nps": 11, "colour": "red"}},  # our own validation
    {"answers": "not an object"},  # the schema's
    {"locale": "fr"},
    {"stage": "delivery"},
    {"site_key": "pk_unknown"},
])
def test_every_refusal_matches_the_ninja_route(site_key, payload):
    ours = call(body(site_key, **payload))
    status, data = by_ninja(body(site_key, **payload))
    assert (ours[0], ours[2]) == (status, data)
    assert 400 <= status < 500
    assert Response.objects.count() == 0


def by_ninja_raw(raw):
    response = Client().post("/api/public/v1/responses", raw,
                             content_type="application/json")
    return response.status_code, response.json()


def test_missing_fields_are_named(site_key):
    status, _headers, data = call({"site_key": site_key})
    assert status == 422
    assert {e["field"] for e in data["errors"]} == {"stage", "answers"}


def test_a_refused_origin_gets_no_cors_header(site_key):
    status, headers, data = call(body(site_key), origin="https://evil.example")
    assert status == 403 and "not allowed" in data["detail"]
    assert "Access-Control-Allow-Origin" not in headers


def test_an_allowed_origin_can_read_a_refusal(site_key):
    status, headers, _data = call(body(site_key, answers={"nps": 99}), origin=SHOP)
    assert status == 422 and headers["Access-Control-Allow-Origin"] == SHOP


def test_malformed_json_and_oversized_bodies_are_refused(site_key):
    status, _headers, data = call(None, raw=b"{nope")
    assert (status, data) == by_ninja_raw(b"{nope")
    status, _headers, data = call(None, raw=b"x" * 70_000)
    assert status == 413 and data["detail"].startswith("body:")


def test_an_unknown_host_is_refused(site_key):
    assert call(body(site_key), host="evil.example")[0] == 400
    assert Response.objects.count() == 0


SECURITY = ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy",
            "Strict-Transport-Security")


def security_of(headers):
    return {name: headers.get(name) for name in SECURITY}


@pytest.mark.parametrize("configured", [
    {},
    {"SECURE_REFERRER_POLICY": ["no-referrer", "strict-origin"],
     "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin-allow-popups",
     "SECURE_CONTENT_TYPE_NOSNIFF": False, "SECURE_HSTS_SECONDS": 3600,
     "SECURE_HSTS_INCLUDE_SUBDOMAINS": True},
])
def test_its_security_headers_come_from_the_same_settings_as_djangos(
        site_key, settings, configured):
    for name, value in configured.items():
        setattr(settings, name, value)
    # The rest of the public API, through Django's SecurityMiddleware (a fresh client
    # loads the middleware under these settings).
    django_answer = Client().get(f"/api/public/v1/questionnaires/checkout?site_key={site_key}",
                                 secure=True)
    lean = {}
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": lean_application.PATH,
               "HTTP_HOST": "127.0.0.1", "CONTENT_LENGTH": "2",
               "wsgi.input": io.BytesIO(b"{}"), "wsgi.url_scheme": "https"}
    lean_application.application(environ, lambda status, headers: lean.update(headers))
    assert security_of(lean) == security_of(django_answer.headers)
    assert security_of(lean)["Referrer-Policy"]  # the defaults set some
