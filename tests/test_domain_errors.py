"""One vocabulary of refusals (kairos.errors): services raise it, and the APIs, the
dashboard and the command line each render it their own way, in the caller's language."""

import logging
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kairos.accounts.models import Organization
from kairos.accounts.roles import Role
from kairos.campaigns.actions import find_impression
from kairos.campaigns.preview import preview_decision
from kairos.errors import NotFound, PermissionDenied, Problems
from kairos.segments import services as segments


def test_services_raise_the_domain_errors_not_http_ones(alice):
    shop = alice.organization
    with pytest.raises(NotFound) as missing:
        find_impression(shop, uuid.uuid4())
    assert missing.value.status == 404 and missing.value.field == "impression_id"
    with pytest.raises(NotFound):
        preview_decision(shop, {"response_id": str(uuid.uuid4())})
    with pytest.raises(Problems) as refused:
        segments.create_segment(shop, {"name": "x", "questionnaire_id": 10**9})
    assert refused.value.problems[0][0] == "questionnaire_id"


def test_the_admin_api_answers_a_refusal_as_json_with_its_status(member_client):
    client = member_client(Role.REPORTING)
    answer = client.post("/api/v1/segments", {"name": "x"}, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json() == {"detail": "Your role may not manage campaigns."}


def test_the_admin_api_speaks_the_callers_language(member_client):
    client = member_client(Role.REPORTING)
    answer = client.post("/api/v1/segments", {"name": "x"}, content_type="application/json",
                         headers={"Accept-Language": "el"})
    assert answer.json() == {"detail": "Ο ρόλος σας δεν επιτρέπει: manage campaigns."}


def test_the_public_api_answers_a_missing_impression_with_404(alice):
    answer = Client().post(f"/api/public/v1/impressions/{uuid.uuid4()}/actions",
                           {"site_key": alice.organization.site_keys.get().key,
                            "type": "dismiss"}, content_type="application/json")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "impression_id: no such impression for this site key"}


def test_the_dashboard_answers_a_refused_page_without_a_traceback(member_client, caplog):
    client = member_client(Role.AGENT)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        page = client.get("/dashboard/segments/", headers={"Accept-Language": "el"})
    assert page.status_code == 403
    assert "Ο ρόλος σας δεν επιτρέπει το άνοιγμα αυτής της σελίδας." in page.content.decode()
    assert caplog.records and not any(record.exc_info for record in caplog.records)


def test_the_dashboard_renders_a_refusal_that_reaches_it_as_a_page(rf, alice):
    from kairos.dashboard.errors import ErrorPageMiddleware

    request = rf.get("/dashboard/anything/")
    request.user = alice
    page = ErrorPageMiddleware(lambda r: None).process_exception(
        request, PermissionDenied("site_key", "not yours"))
    assert page.status_code == 403 and "site_key: not yours" in page.content.decode()


def test_the_command_line_answers_a_refusal_with_a_command_error(db):
    with pytest.raises(CommandError, match="time_zone: Unknown time zone: Mars/Olympus"):
        call_command("createuser", "zoe@example.com", password="pass phrase 123",
                     organization="Zoe Shop", time_zone="Mars/Olympus")
    assert not Organization.objects.filter(name="Zoe Shop").exists()


def test_a_services_problems_come_in_the_callers_language(alice_api):
    answer = alice_api.post("/api/v1/campaigns", {"type": "callback_request", "title": "x",
                                                  "segment_ids": [987654]},
                            content_type="application/json", headers={"Accept-Language": "el"})
    assert answer.status_code == 422
    message = "δεν υπάρχει τέτοιο τμήμα σε αυτό το κατάστημα: 987654"
    assert answer.json()["errors"] == [{"field": "segment_ids", "message": message}]
