"""The callbacks workspace in the dashboard: the queue, its filters and counts, the customer
card, the navigation badge, and who may see what (an Agent works callbacks, nothing else)."""

import datetime

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from django.utils import timezone

from kairos.accounts.roles import Role
from kairos.callbacks import views
from kairos.callbacks.models import CallbackRequest

LIST_URL = "/dashboard/callbacks/"
MARIA = {"name": "Μαρία Παπαδοπούλου", "email": "maria@example.com",
         "phone_number": "+306900000001", "customer_id": "c-42"}
ORDER = {"transaction_id": "A-1001", "transaction_date": "2026-11-20", "store_id": "athens",
         "amount": 120.5, "products": ["shoes", "socks"]}


def detail_url(callback):
    return f"{LIST_URL}{callback.pk}/"


def queue_ids(client, **filters):
    page = client.get(LIST_URL, filters)
    assert page.status_code == 200
    return [item.callback.pk for item in page.context["items"]]


def test_the_queue_shows_the_shops_open_requests_overdue_first(alice, bob, alice_client):
    callback_campaign(alice.organization)
    callback_campaign(bob.organization, title="Bob's campaign")
    older = request_callback(alice.organization, preferred_time="morning",
                             note="After 10, please", responder=MARIA)
    newer = request_callback(alice.organization)
    late = request_callback(alice.organization)
    done = request_callback(alice.organization)
    request_callback(bob.organization)
    now = timezone.now()
    for callback, hours in ((older, 5), (newer, 1), (late, 2)):
        CallbackRequest.objects.filter(pk=callback.pk).update(
            created_at=now - datetime.timedelta(hours=hours))
    CallbackRequest.objects.filter(pk=late.pk).update(due_at=now - datetime.timedelta(hours=1))
    CallbackRequest.objects.filter(pk=done.pk).update(status="resolved", is_open=False)
    page = alice_client.get(LIST_URL)
    assert [item.callback.pk for item in page.context["items"]] == [late.pk, older.pk, newer.pk]
    html = page.content.decode()
    assert 'href="tel:+306912345678"' in html and "After 10, please" in html
    assert "Μαρία Παπαδοπούλου" in html and "Morning (09:00–12:00)" in html
    assert html.count('class="queue-item overdue"') == 1 and "Overdue" in html
    assert "asked 5\xa0hours ago" in html
    assert "Bob&#x27;s campaign" not in html
    counts = {tab.key: tab.count for tab in page.context["tabs"]}
    assert counts == {"": 3, "new": 3, "in_progress": 0, "resolved": 1}


def test_the_queue_filters_and_searches(alice, alice_client):
    callback_campaign(alice.organization)
    maria = request_callback(alice.organization, responder=MARIA, order=ORDER)
    other = request_callback(alice.organization, phone="6911111111")
    CallbackRequest.objects.filter(pk=other.pk).update(assignee=alice, status="resolved",
                                                       is_open=False)
    assert queue_ids(alice_client, q="6900000001") == [maria.pk]  # the phone in her data too
    assert queue_ids(alice_client, q="691 234 5678") == [maria.pk]
    assert queue_ids(alice_client, q="ΜΑΡΊΑ") == [maria.pk]
    assert queue_ids(alice_client, q="A-1001") == [maria.pk]
    assert queue_ids(alice_client, status="resolved") == [other.pk]
    assert queue_ids(alice_client, status="all", assignee="me") == [other.pk]
    assert queue_ids(alice_client, assignee="none") == [maria.pk]
    assert queue_ids(alice_client, store="athens") == [maria.pk]


@pytest.mark.parametrize(("query", "field"), [
    ({"status": "lost"}, "status"), ({"from": "2026-13-01"}, "from"),
    ({"from": "2026-12-02", "to": "2026-12-01"}, "to"), ({"q": "a\x00b"}, "q"),
    ({"campaign": str(2**70)}, "campaign"), ({"assignee": "eve@example.com"}, "assignee"),
])
def test_bad_filters_are_form_errors_and_show_nothing(alice, alice_client, query, field):
    callback_campaign(alice.organization)
    request_callback(alice.organization)
    page = alice_client.get(LIST_URL, query)
    assert page.status_code == 200
    assert field in page.context["filter_form"].errors
    assert page.context["items"] == []


def test_it_pages(alice, alice_client, monkeypatch):
    assert views.CALLBACKS_PER_PAGE == 50
    monkeypatch.setattr(views, "CALLBACKS_PER_PAGE", 2)  # three requests, not fifty-one
    callback_campaign(alice.organization)
    for _ in range(3):
        request_callback(alice.organization)
    page = alice_client.get(LIST_URL)
    assert len(page.context["items"]) == 2 and page.context["page"].has_next()
    assert "Page 1 of 2" in page.content.decode()
    assert len(alice_client.get(LIST_URL, {"page": 2}).context["items"]) == 1


def test_the_queue_reads_a_fixed_number_of_queries(alice, alice_client,
                                                   django_assert_max_num_queries):
    callback_campaign(alice.organization)
    for _ in range(8):
        request_callback(alice.organization, responder=MARIA, order=ORDER)
    CallbackRequest.objects.update(assignee=alice)
    # session, filters' choices, page, its campaigns, responses and assignees, counts, the
    # watch toggles (notifications)
    with django_assert_max_num_queries(20):
        assert len(alice_client.get(LIST_URL).context["items"]) == 8


def test_the_request_page_shows_the_customer_card(alice, alice_client):
    callback_campaign(alice.organization)
    earlier = request_callback(alice.organization, responder={"email": "maria@example.com"},
                               order={"transaction_id": "Z-1"})
    same_phone = request_callback(alice.organization, phone="+306912345678",
                                  order={"transaction_id": "Z-2"})
    by_customer_id = request_callback(alice.organization, phone="6999999999",
                                      responder={"customer_id": "c-42"})
    stranger = request_callback(alice.organization, phone="6988888888",
                                responder={"email": "nikos@example.com"})
    callback = request_callback(
        alice.organization, phone="6912345678", responder=MARIA, order=ORDER,
        answers={"nps": 2, "rating": 3, "comment": "The parcel came late"},
        preferred_time="afternoon", note="About the shoes")
    page = alice_client.get(detail_url(callback))
    assert page.status_code == 200
    html = page.content.decode()
    for shown in ("Μαρία Παπαδοπούλου", 'href="tel:+306912345678"', "mailto:maria@example.com",
                  "c-42", "A-1001", "athens", "120.50", "shoes, socks", "NPS 2",
                  "How likely are you to recommend us to a friend?",
                  "What could we do better?", "The parcel came late", "About the shoes",
                  "Afternoon (15:00–18:00)", "I agree to be called about my order."):
        assert shown in html, shown
    card = page.context["card"]
    assert card.order["transaction_date"] == datetime.date(2026, 11, 20)
    assert card.consent["locale"] == "en" and card.consent["at"] == callback.consent_at
    assert {c.pk for c in card.earlier_callbacks} == {earlier.pk, same_phone.pk,
                                                      by_customer_id.pk}
    assert stranger.pk not in {c.pk for c in card.earlier_callbacks}
    assert {r.pk for r in card.earlier_responses} == {
        earlier.response_id, same_phone.response_id, by_customer_id.response_id}
    assert len(card.impressions) == 4  # the four responses that showed the form, this one too


def test_the_card_never_reaches_into_another_shop(alice, bob, alice_client):
    callback_campaign(alice.organization)
    callback_campaign(bob.organization)
    bobs = request_callback(bob.organization, responder=MARIA)
    callback = request_callback(alice.organization, responder=MARIA)
    card = alice_client.get(detail_url(callback)).context["card"]
    assert card.earlier_callbacks == [] and card.earlier_responses == []
    assert all(i.organization_id == alice.organization.pk for i in card.impressions)
    assert alice_client.get(detail_url(bobs)).status_code == 404


def test_the_navigation_shows_the_open_count(alice, alice_client):
    callback_campaign(alice.organization)
    for _ in range(3):
        request_callback(alice.organization)
    CallbackRequest.objects.filter(pk=CallbackRequest.objects.first().pk).update(
        status="resolved", is_open=False)
    html = alice_client.get("/dashboard/").content.decode()
    assert '<span class="nav-count" title="open">2</span>' in html


def test_an_agent_lands_on_the_queue_and_works_it(alice, member_client):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization, responder=MARIA, order=ORDER)
    client = member_client(Role.AGENT)
    assert client.get("/dashboard/").url == LIST_URL
    queue_page = client.get(LIST_URL)
    assert len(queue_page.context["items"]) == 1
    page = client.get(detail_url(callback))
    assert page.status_code == 200 and "A-1001" in page.content.decode()
    # Neither page leads an Agent to a page that answers 403.
    for html in (queue_page.content.decode(), page.content.decode()):
        assert "/dashboard/responses/" not in html and "/dashboard/campaigns/" not in html


@pytest.mark.parametrize("url", ["/dashboard/campaigns/", "/dashboard/segments/",
                                 "/dashboard/responses/", "/settings/", "/settings/keys/",
                                 "/api/v1/campaigns", "/api/v1/segments"])
def test_an_agent_sees_nothing_else(alice, member_client, url):
    assert member_client(Role.AGENT).get(url).status_code == 403


def test_an_agent_may_not_open_a_response(alice, member_client):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    client = member_client(Role.AGENT)
    assert client.get(f"/dashboard/responses/{callback.response_id}/").status_code == 403


def test_a_campaign_manager_sees_the_response_link(alice, member_client):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    page = member_client(Role.CAMPAIGN_MANAGER).get(detail_url(callback))
    assert f"/dashboard/responses/{callback.response_id}/" in page.content.decode()
    assert member_client(Role.CAMPAIGN_MANAGER).get("/dashboard/").status_code == 200


def test_a_reporting_user_cannot(alice, member_client):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    client = member_client(Role.REPORTING)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(callback)).status_code == 403
    assert "nav-count" not in client.get("/dashboard/").content.decode()
