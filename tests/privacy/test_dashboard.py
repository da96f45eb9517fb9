"""The dashboard's privacy pages: Settings → Privacy (retention and the log) and Settings →
Customer data (find, export, erase after a confirmation), for Owners and Admins only."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from privacy.helpers import MARIA, MARIAS_WORDS, NIKOS, callback_campaign, customer_story

from kairos.accounts.roles import Role
from kairos.privacy.models import PrivacyLog
from kairos.privacy.retention import anonymise_shop
from kairos.questionnaires.models import Response

SETTINGS = "/settings/privacy/"
CUSTOMER = "/settings/privacy/customer/"


def two_customers(shop):
    callback_campaign(shop)
    customer_story(shop)
    customer_story(shop, NIKOS, words="all fine, thanks", device="d-nikos",
                   note="mornings are better")


def test_settings_save_the_shops_retention_and_personal_fields(alice, alice_client):
    page = alice_client.get(SETTINGS)
    assert page.status_code == 200 and "retention_months" in page.content.decode()
    saved = alice_client.post(SETTINGS, {"retention_months": "18",
                                         "personal_fields": "responder.address\n\n"})
    assert saved.status_code == 302
    alice.organization.refresh_from_db()
    assert alice.organization.retention_months == 18
    assert alice.organization.personal_fields == ["responder.address"]
    assert alice_client.post(SETTINGS, {"retention_months": ""}).status_code == 302
    alice.organization.refresh_from_db()
    assert alice.organization.retention_months is None


@pytest.mark.parametrize("wrong", [{"retention_months": "0"}, {"retention_months": "999"},
                                   {"personal_fields": "address"},
                                   {"personal_fields": "questionnaire.amount"}])
def test_wrong_settings_are_refused_beside_their_field(alice, alice_client, wrong):
    page = alice_client.post(SETTINGS, wrong)
    assert page.status_code == 200 and 'class="error"' in page.content.decode()
    alice.organization.refresh_from_db()
    assert alice.organization.retention_months is None
    assert alice.organization.personal_fields == []


def test_settings_show_what_was_anonymised_when(alice, alice_client):
    shop = alice.organization
    two_customers(shop)
    alice_client.post(CUSTOMER, {"identity": "customer-77", "step": "export"})
    shop.retention_months = 1
    shop.save()
    anonymise_shop(shop, timezone.now() + datetime.timedelta(days=400), actor="kairos worker",
                   via="worker")
    page = alice_client.get(SETTINGS).content.decode()
    assert 'data-kind="retention"' in page and 'data-kind="export"' in page
    assert "kairos worker" in page and "4 responses" in page
    assert "nikos" not in page and "customer-77" not in page  # the log never says whose


def test_the_customer_page_says_what_is_stored(alice, alice_client):
    two_customers(alice.organization)
    for identity in (MARIA["email"], "6900000001", "customer-42"):
        page = alice_client.post(CUSTOMER, {"identity": identity, "step": "find"})
        text = page.content.decode()
        assert page.status_code == 200 and 'id="customer-found"' in text, identity
        assert "2 responses" in text and "1 callback requests" in text
        assert MARIA["phone_number"] in text and "Erase for good" not in text


def test_the_export_downloads_as_json(alice, alice_client):
    two_customers(alice.organization)
    download = alice_client.post(CUSTOMER, {"identity": "maria@example.com",
                                            "step": "export"})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "maria" not in download["Content-Disposition"]
    export = json.loads(download.content)
    assert len(export["responses"]) == 2 and MARIAS_WORDS in download.content.decode()
    [entry] = PrivacyLog.objects.filter(kind="export")
    assert entry.via == "dashboard" and entry.actor == alice.email


def test_erasure_asks_first_then_erases(alice, alice_client):
    two_customers(alice.organization)
    confirm = alice_client.post(CUSTOMER, {"identity": "maria@example.com",
                                           "step": "confirm"}).content.decode()
    assert "This will permanently remove" in confirm and "Erase for good" in confirm
    assert "2 responses" in confirm and "1 impressions (frequency-cap history)" in confirm
    assert Response.objects.filter(email=MARIA["email"]).count() == 2  # nothing gone yet

    done = alice_client.post(CUSTOMER, {"identity": "maria@example.com", "step": "erase"},
                             follow=True)
    assert "was erased: " in done.content.decode()
    assert not Response.objects.filter(email=MARIA["email"]).exists()
    assert Response.objects.filter(email=NIKOS["email"]).count() == 2
    [entry] = PrivacyLog.objects.filter(kind="erasure")
    assert entry.via == "dashboard" and entry.counts["responses"] == 2


def test_an_unknown_or_wrong_identity_is_said_beside_the_field(alice, alice_client):
    two_customers(alice.organization)
    unknown = alice_client.post(CUSTOMER, {"identity": "nobody@example.com", "step": "erase"})
    assert unknown.status_code == 404 and "nothing is stored" in unknown.content.decode()
    assert alice_client.post(CUSTOMER, {"identity": "a\x00b"}).status_code == 200
    assert alice_client.post(CUSTOMER, {"identity": "x" * 300}).status_code == 200
    assert Response.objects.count() == 4


def test_bob_finds_nothing_of_alices_customers(alice, bob, alice_client):
    two_customers(alice.organization)
    client = Client()
    client.force_login(bob)
    for step in ("find", "export", "erase"):
        assert client.post(CUSTOMER, {"identity": "customer-42", "step": step}).status_code == 404
    assert Response.objects.count() == 4


@pytest.mark.parametrize("role", [Role.CAMPAIGN_MANAGER, Role.REPORTING, Role.AGENT])
def test_only_owners_and_admins_open_the_privacy_pages(alice, member_client, role):
    two_customers(alice.organization)
    client = member_client(role)
    assert client.get(SETTINGS).status_code == 403
    assert client.get(CUSTOMER).status_code == 403
    assert client.post(CUSTOMER, {"identity": "customer-42", "step": "erase"}).status_code == 403
    assert Response.objects.count() == 4


def test_admins_open_them_and_see_the_tabs(alice, member_client):
    client = member_client(Role.ADMIN)
    page = client.get(SETTINGS).content.decode()
    assert CUSTOMER in page and client.get(CUSTOMER).status_code == 200
