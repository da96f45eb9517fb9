"""403, 404 and 500 in Kairos' look, in both languages, with a way back; the APIs keep
answering JSON {"detail"} (issue 13)."""

import json

import pytest
from django.test import Client
from django.urls import path

from kairos.accounts.roles import Role
from kairos.urls import urlpatterns as kairos_urls


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *kairos_urls]


def test_a_missing_page_is_a_kairos_page_with_a_way_back(alice_client):
    page = alice_client.get("/dashboard/no-such-page/")
    text = page.content.decode()
    assert page.status_code == 404 and "Not found" in text
    assert 'href="/dashboard/"' in text and 'class="topbar"' in text


def test_in_greek_too(alice_client):
    page = alice_client.get("/dashboard/no-such-page/", headers={"Accept-Language": "el"})
    assert "Δεν βρέθηκε" in page.content.decode() or "Δεν υπάρχει σελίδα" in page.content.decode()


def test_a_stranger_is_offered_to_log_in(db):
    text = Client().get("/nowhere/").content.decode()
    assert 'href="/accounts/login/"' in text


def test_a_refused_page_says_why(alice, member_client):
    page = member_client(Role.AGENT).get("/settings/keys/")
    assert page.status_code == 403 and "Your role may not open this page." in page.content.decode()
    assert 'href="/dashboard/"' in page.content.decode()


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_kairos_page_with_a_way_back(db):
    client = Client(raise_request_exception=False)
    page = client.get("/broken/", headers={"Accept-Language": "el"})
    text = page.content.decode()
    assert page.status_code == 500 and "Κάτι πήγε στραβά" in text and 'href="/dashboard/"' in text
    assert "RuntimeError" not in text


def test_the_apis_still_answer_json(alice_api):
    missing = alice_api.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404 and "detail" in missing.json()
    public = Client().get("/api/public/v1/no-such-endpoint")
    assert public.status_code == 404 and "detail" in public.json()


def test_a_form_without_its_csrf_token_gets_a_kairos_page_with_a_way_back(db):
    browser = Client(enforce_csrf_checks=True)
    page = browser.post("/accounts/login/", {"username": "a@example.com", "password": "x"},
                        headers={"Accept-Language": "el"})
    text = page.content.decode()
    assert page.status_code == 403 and 'class="topbar"' in text
    assert "Δεν επιτρέπεται" in text and "ξαναφορτώστε τη σελίδα" in text
    assert 'href="/accounts/login/"' in text and "CSRF" not in text


def test_a_csrf_refusal_under_the_apis_is_json(rf):
    from django.middleware.csrf import _get_failure_view

    answer = _get_failure_view()(rf.post("/api/v1/segments"), reason="CSRF cookie not set.")
    assert answer.status_code == 403 and "CSRF" in json.loads(answer.content)["detail"]
