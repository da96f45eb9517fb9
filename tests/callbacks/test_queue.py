"""The callbacks queue (kairos.callbacks.queue) through GET /api/v1/callbacks: the default
order, every filter, the search, the counts, and bad filters refused naming the field."""

import datetime

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from django.utils import timezone

from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.queue import QueueFilters, status_counts

URL = "/api/v1/callbacks"
MARIA = {"name": "Μαρία Παπαδοπούλου", "email": "maria@example.com",
         "phone_number": "+306900000001", "customer_id": "c-42"}
ORDER = {"transaction_id": "A-1001", "transaction_date": "2026-11-20", "store_id": "athens",
         "amount": 120.5, "products": ["shoes", "socks"]}


def ids(api, **filters):
    answer = api.get(URL, filters)
    assert answer.status_code == 200, answer.content
    return [item["id"] for item in answer.json()["items"]]


def age(callback, **ago):
    CallbackRequest.objects.filter(pk=callback.pk).update(
        created_at=timezone.now() - datetime.timedelta(**ago))


def test_by_default_the_open_requests_overdue_first_then_oldest(alice, alice_api):
    callback_campaign(alice.organization)
    newest, older, oldest, overdue, done = (request_callback(alice.organization)
                                            for _ in range(5))
    for callback, hours in ((newest, 1), (older, 5), (oldest, 9), (overdue, 2), (done, 20)):
        age(callback, hours=hours)
    CallbackRequest.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=5))
    CallbackRequest.objects.filter(pk=done.pk).update(
        status="resolved", is_open=False, due_at=timezone.now() - datetime.timedelta(hours=3))
    assert ids(alice_api) == [overdue.pk, oldest.pk, older.pk, newest.pk]
    items = alice_api.get(URL).json()["items"]
    assert [item["overdue"] for item in items] == [True, False, False, False]
    assert ids(alice_api, status="resolved") == [done.pk]
    assert set(ids(alice_api, status="all")) == {c.pk for c in (newest, older, oldest,
                                                              overdue, done)}
    assert ids(alice_api, overdue="true") == [overdue.pk]  # a resolved one is never overdue


def test_it_filters_by_campaign_store_and_assignee(alice, alice_api):
    first = callback_campaign(alice.organization)
    athens = request_callback(alice.organization, order={"store_id": "athens"})
    second = callback_campaign(alice.organization, title="Second")
    first.active = False
    first.save()
    patras = request_callback(alice.organization, order={"store_id": "patras"})
    assert patras.campaign_id == second.pk
    CallbackRequest.objects.filter(pk=athens.pk).update(assignee=alice)
    assert ids(alice_api, campaign=first.pk) == [athens.pk]
    assert ids(alice_api, store="patras") == [patras.pk]
    assert ids(alice_api, assignee="alice@example.com") == [athens.pk]
    assert ids(alice_api, assignee="ALICE@example.com ") == [athens.pk]
    assert ids(alice_api, assignee="none") == [patras.pk]


def test_me_is_the_signed_in_member(alice, alice_client, alice_api):
    callback_campaign(alice.organization)
    mine, other = request_callback(alice.organization), request_callback(alice.organization)
    CallbackRequest.objects.filter(pk=mine.pk).update(assignee=alice)
    assert ids(alice_client, assignee="me") == [mine.pk]
    assert other.pk not in ids(alice_client, assignee="me")
    refused = alice_api.get(URL, {"assignee": "me"})  # an API key is nobody
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "assignee"


def test_dates_are_days_in_the_shops_time_zone(alice, alice_api):
    callback_campaign(alice.organization)
    late, early = request_callback(alice.organization), request_callback(alice.organization)
    # 22:30 UTC on 1 December is 00:30 on 2 December in Athens (UTC+2).
    CallbackRequest.objects.filter(pk=late.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 22, 30, tzinfo=datetime.UTC))
    CallbackRequest.objects.filter(pk=early.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 21, 30, tzinfo=datetime.UTC))
    assert ids(alice_api, **{"from": "2026-12-02"}) == [late.pk]
    assert ids(alice_api, to="2026-12-01") == [early.pk]
    assert ids(alice_api, **{"from": "2026-12-01", "to": "2026-12-02"}) == [early.pk, late.pk]


@pytest.mark.parametrize("typed", ["6900000001", "690 000 0001", "+30 690-000-0001",
                                   "0030 6900000001", "(690) 0000001"])
def test_a_phone_is_found_as_people_type_it(alice, alice_api, typed):
    callback_campaign(alice.organization)
    maria = request_callback(alice.organization, phone="+306900000001")
    request_callback(alice.organization, phone="+306911111111")
    assert ids(alice_api, q=typed) == [maria.pk]


@pytest.mark.parametrize("typed", ["μαρία", "ΠΑΠΑΔΟΠΟΎΛΟΥ", "Maria@Example", "a-1001",
                                   "A-10"])
def test_it_searches_name_email_and_order_id(alice, alice_api, typed):
    callback_campaign(alice.organization)
    maria = request_callback(alice.organization, responder=MARIA, order=ORDER)
    request_callback(alice.organization, responder={"name": "Nikos", "email": "n@example.com"},
                     order={"transaction_id": "B-2002"})
    assert ids(alice_api, q=typed) == [maria.pk]


def test_the_items_carry_the_customer_card(alice, alice_api):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization, phone="6912345678", responder=MARIA,
                                order=ORDER, answers={"nps": 2, "comment": "late delivery"})
    item = alice_api.get(f"{URL}/{callback.pk}").json()
    assert item["customer"] == {"name": MARIA["name"], "email": "maria@example.com",
                                "phone_number": "+306912345678", "customer_id": "c-42"}
    assert item["order"] == {"transaction_id": "A-1001", "transaction_date": "2026-11-20",
                             "amount": 120.5, "store_id": "athens",
                             "products": ["shoes", "socks"]}
    assert item["answers"] == {"nps": 2, "comment": "late delivery"}
    assert item["overdue"] is False and alice_api.get(URL).json()["items"][0] == item


def test_the_counts_per_status_follow_the_other_filters(alice):
    callback_campaign(alice.organization)
    athens = [request_callback(alice.organization, order={"store_id": "athens"})
              for _ in range(3)]
    request_callback(alice.organization, order={"store_id": "patras"})
    CallbackRequest.objects.filter(pk=athens[0].pk).update(status="resolved", is_open=False)
    CallbackRequest.objects.filter(pk=athens[1].pk).update(status="in_progress")
    counts = status_counts(alice.organization, alice, QueueFilters(store="athens"))
    assert counts == {"new": 1, "in_progress": 1, "resolved": 1, "open": 2}
    assert status_counts(alice.organization, alice)["open"] == 3


@pytest.mark.parametrize(("query", "field"), [
    ({"status": "lost"}, "status"), ({"status": ""}, "status"),
    ({"from": "2026-13-01"}, "from"), ({"to": "0001-01-01"}, "to"),
    ({"from": "2026-12-02", "to": "2026-12-01"}, "to"), ({"overdue": "maybe"}, "overdue"),
    ({"campaign": "0"}, "campaign"), ({"campaign": str(2**64)}, "campaign"),
    ({"q": "a\x00b"}, "q"), ({"q": "x" * 101}, "q"), ({"store": "\x00"}, "store"),
    ({"assignee": "x" * 300}, "assignee"),
])
def test_bad_filters_are_refused_naming_the_field(alice, alice_api, query, field):
    answer = alice_api.get(URL, query)
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["field"] == field


def test_the_list_reads_a_fixed_number_of_queries(alice, alice_api,
                                                  django_assert_max_num_queries):
    callback_campaign(alice.organization)
    for _ in range(6):
        request_callback(alice.organization, responder=MARIA, order=ORDER)
    CallbackRequest.objects.update(assignee=alice)
    # key, count, page, the page's campaigns, responses and assignees: not one per request
    with django_assert_max_num_queries(9):
        assert len(alice_api.get(URL).json()["items"]) == 6


def test_bob_never_sees_alices_queue(alice, bob, bob_api):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization, responder=MARIA)
    assert bob_api.get(URL, {"status": "all"}).json()["count"] == 0
    assert bob_api.get(URL, {"q": "Μαρία"}).json()["count"] == 0
    assert bob_api.get(f"{URL}/{callback.pk}").status_code == 404
