"""The filtered queue as CSV, from the dashboard and GET /api/v1/callbacks.csv: streamed,
the queue's filters and order, the customer card's fields, one shop's requests only."""

import csv
import io
import json

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from django.http import StreamingHttpResponse

from kairos.accounts.roles import Role
from kairos.callbacks import export
from kairos.callbacks.models import CallbackRequest

MARIA = {"name": "=Μαρία Παπαδοπούλου", "email": "maria@example.com", "customer_id": "c-42"}
ORDER = {"transaction_id": "A-1001", "transaction_date": "2026-11-20", "store_id": "athens",
         "amount": 120.5, "products": ["shoes", "socks"]}


def rows(response):
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="callbacks-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def requests(alice, bob):
    callback_campaign(alice.organization)
    callback_campaign(bob.organization)
    maria = request_callback(alice.organization, responder=MARIA, order=ORDER,
                             answers={"nps": 2, "comment": "late"}, preferred_time="morning",
                             note="After 10")
    done = request_callback(alice.organization, phone="6911111111")
    CallbackRequest.objects.filter(pk=done.pk).update(status="resolved", is_open=False,
                                                      resolution="-refund", assignee=alice)
    request_callback(bob.organization, phone="6922222222")
    return maria, done


def test_the_api_exports_the_open_queue_with_the_customer_card(alice_api, requests):
    maria, _done = requests
    found = rows(alice_api.get("/api/v1/callbacks.csv"))
    assert [int(row["id"]) for row in found] == [maria.pk]
    row = found[0]
    assert list(row) == export.HEADER
    assert row["name"] == "'=Μαρία Παπαδοπούλου"  # a formula is kept as text
    assert (row["email"], row["customer_id"], row["phone_number"]) == (
        "maria@example.com", "c-42", "+306912345678")
    assert (row["transaction_id"], row["transaction_date"], row["amount"], row["store_id"],
            row["products"]) == ("A-1001", "2026-11-20", "120.5", "athens", "shoes, socks")
    assert row["nps"] == "2" and json.loads(row["answers"])["comment"] == "late"
    assert (row["preferred_time"], row["note"], row["status"], row["status_title"]) == (
        "morning", "After 10", "new", "New")
    assert row["consent_text"] == "I agree to be called about my order."
    assert row["created_at"].endswith(("+02:00", "+03:00"))  # the shop's time zone
    assert row["due_at"] and row["attempts"] == "0" and row["is_open"] == "True"


def test_the_api_export_takes_the_lists_filters(alice_api, requests):
    maria, done = requests
    every = rows(alice_api.get("/api/v1/callbacks.csv?status=all"))
    assert {int(row["id"]) for row in every} == {maria.pk, done.pk}
    resolved = rows(alice_api.get("/api/v1/callbacks.csv?status=resolved"))
    assert [row["resolution"] for row in resolved] == ["'-refund"]
    assert resolved[0]["assignee"] == "alice@example.com"
    assert rows(alice_api.get("/api/v1/callbacks.csv?status=all&q=A-1001"))[0]["id"] == str(
        maria.pk)
    bad = alice_api.get("/api/v1/callbacks.csv?status=lost")
    assert bad.status_code == 422 and "status" in bad.json()["detail"]
    assert alice_api.get("/api/v1/callbacks.csv?from=2026-12-02&to=2026-12-01").status_code \
        == 422


def test_the_dashboard_exports_what_the_queue_shows(alice_client, requests):
    maria, done = requests
    queue = alice_client.get("/dashboard/callbacks/?status=all&assignee=me")
    assert 'href="/dashboard/callbacks/export.csv?status=all&amp;assignee=me"' in (
        queue.content.decode())
    found = rows(alice_client.get("/dashboard/callbacks/export.csv",
                                  {"status": "all", "assignee": "me"}))
    assert [int(row["id"]) for row in found] == [done.pk]
    wrong = alice_client.get("/dashboard/callbacks/export.csv", {"status": "lost"})
    assert wrong.status_code == 302 and wrong.url == "/dashboard/callbacks/?status=lost"


def test_an_agent_exports_a_reporting_user_does_not(requests, member_client):
    assert len(rows(member_client(Role.AGENT).get("/api/v1/callbacks.csv"))) == 1
    reporter = member_client(Role.REPORTING)
    assert reporter.get("/api/v1/callbacks.csv").status_code == 403
    assert reporter.get("/dashboard/callbacks/export.csv").status_code == 403


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/callbacks.csv").status_code == 401


def test_the_export_reads_a_fixed_number_of_queries(alice, alice_api,
                                                   django_assert_max_num_queries):
    callback_campaign(alice.organization)
    for _ in range(6):
        request_callback(alice.organization, responder=MARIA, order=ORDER)
    with django_assert_max_num_queries(8):
        assert len(rows(alice_api.get("/api/v1/callbacks.csv"))) == 6


def test_every_row_is_built_by_one_function_that_can_be_wrapped(alice, requests,
                                                                 monkeypatch):
    """The privacy helper masks personal fields by wrapping export_row."""
    seen = []

    def masked(callback, context):
        seen.append(callback.pk)
        return ["*"] * len(export.HEADER)

    matching = CallbackRequest.objects.filter(organization=alice.organization)
    written = list(export.export_rows(matching, alice.organization, row=masked))
    assert written == [["*"] * len(export.HEADER)] * 2 and len(seen) == 2
