"""The responses list, its filters and scores, and one response's page."""

import datetime

import pytest

from kairos.accounts.roles import Role
from kairos.questionnaires import reports
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import publish, published_version, record_response

URL = "/dashboard/responses/"
UTC = datetime.UTC


def respond(organization, stage="checkout", order=None, customer=None, submitted_at=None,
            **answers):
    answers.setdefault("nps", 8)
    version = published_version(organization, stage)
    submission = {"answers": answers,
                  "metadata": {"questionnaire": order or {}, "responder": customer or {}}}
    return record_response(organization, version, submission, locale="en",
                           submitted_at=submitted_at)


def listed_emails(page):
    return {response.email for response in page.context["page"].object_list}


def test_it_lists_only_the_shops_own_responses(alice, bob, alice_client):
    respond(alice.organization, customer={"email": "anna@example.com"}, comment="Great shop")
    respond(bob.organization, customer={"email": "bruno@example.com"}, comment="Bob's secret")
    page = alice_client.get(URL)
    assert page.status_code == 200
    assert listed_emails(page) == {"anna@example.com"}
    content = page.content.decode()
    assert "anna@example.com" in content and "Great shop" in content
    assert "bruno@example.com" not in content and "Bob&#x27;s secret" not in content
    assert page.context["summary"].responses == 1


def test_it_links_to_the_questionnaires(alice_client):
    assert 'href="/dashboard/responses/questionnaires/"' in alice_client.get(URL).content.decode()


@pytest.fixture
def three_responses(alice):
    """Athens is UTC+2 in early March: the UTC times below fall on the days noted."""
    organization = alice.organization
    respond(organization, nps=10, order={"store_id": "athens", "transaction_id": "T-100"},
            customer={"email": "a@example.com"},
            submitted_at=datetime.datetime(2025, 3, 9, 23, 30, tzinfo=UTC))  # 10 March
    respond(organization, nps=6, order={"store_id": "thessaloniki", "transaction_id": "T-200"},
            customer={"email": "b@example.com"},
            submitted_at=datetime.datetime(2025, 3, 10, 21, 30, tzinfo=UTC))  # 10 March
    respond(organization, stage="after_sales", nps=8,
            order={"store_id": "athens", "transaction_id": "T-300"},
            customer={"email": "c@example.com"},
            submitted_at=datetime.datetime(2025, 3, 10, 22, 30, tzinfo=UTC))  # 11 March


@pytest.mark.parametrize("query,expected", [
    ({}, {"a", "b", "c"}),
    ({"stage": "after_sales"}, {"c"}),
    ({"from": "2025-03-10", "to": "2025-03-10"}, {"a", "b"}),
    ({"from": "2025-03-11"}, {"c"}),
    ({"to": "2025-03-09"}, set()),
    ({"nps_min": "7", "nps_max": "9"}, {"c"}),
    ({"nps_max": "6"}, {"b"}),
    ({"nps_min": "0", "nps_max": "0"}, set()),
    ({"store": "athens"}, {"a", "c"}),
    ({"q": "B@EXAMPLE"}, {"b"}),
    ({"q": "T-300"}, {"c"}),
    ({"stage": "checkout", "store": "athens", "nps_min": "9"}, {"a"}),
])
def test_each_filter_narrows_the_list(three_responses, alice_client, query, expected):
    page = alice_client.get(URL, query)
    assert page.status_code == 200
    assert listed_emails(page) == {f"{name}@example.com" for name in expected}
    assert page.context["summary"].responses == len(expected)


def test_the_store_filter_offers_the_shops_own_stores(three_responses, bob, alice_client):
    respond(bob.organization, order={"store_id": "bobs-store"})
    choices = dict(alice_client.get(URL).context["filter_form"].fields["store"].choices)
    assert set(choices) == {"", "athens", "thessaloniki"}


def test_nps_and_average_rating_are_exact(alice, alice_client):
    for nps in (9, 10, 10, 7, 0, 6):  # 3 promoters, 1 passive, 2 detractors
        respond(alice.organization, nps=nps)
    respond(alice.organization, nps=7, stage="after_sales", rating=8)
    respond(alice.organization, nps=8, stage="after_sales", rating=7)
    page = alice_client.get(URL, {"stage": "checkout"})
    summary = page.context["summary"]
    assert (summary.promoters, summary.passives, summary.detractors) == (3, 1, 2)
    assert summary.nps == 17  # (3 - 2) / 6 = 16.7 %
    assert '<p class="stat" data-nps>17</p>' in page.content.decode()
    page = alice_client.get(URL, {"stage": "after_sales"})
    assert page.context["summary"].average_rating == 7.5
    assert '<p class="stat" data-average-rating>7.5</p>' in page.content.decode()


def test_nps_is_a_dash_without_scored_responses(alice_client):
    page = alice_client.get(URL)
    assert page.context["summary"].nps is None
    assert '<p class="stat" data-nps>—</p>' in page.content.decode()


def test_nps_rounds_halves_away_from_zero():
    summary = reports.ResponseSummary(8, promoters=3, passives=4, detractors=1,
                                      average_rating=None)
    assert summary.nps == 25  # exactly 25
    summary = reports.ResponseSummary(8, promoters=1, passives=7, detractors=0,
                                      average_rating=None)
    assert summary.nps == 13  # 12.5, where round() would say 12
    summary = reports.ResponseSummary(8, promoters=0, passives=7, detractors=1,
                                      average_rating=None)
    assert summary.nps == -13


def test_the_figures_come_from_one_query(alice, django_assert_num_queries):
    for nps in (1, 5, 9, 10):
        respond(alice.organization, nps=nps, rating=nps or 1)
    responses = Response.objects.filter(organization=alice.organization)
    with django_assert_num_queries(1):
        summary = reports.summarize(responses)
    assert summary.responses == 4 and summary.nps == 0


def test_pagination_keeps_the_filters(alice, alice_client):
    for _ in range(51):
        respond(alice.organization, order={"store_id": "athens"})
    respond(alice.organization, order={"store_id": "patras"})
    first = alice_client.get(URL, {"store": "athens"})
    assert len(first.context["page"].object_list) == 50
    assert 'href="?store=athens&amp;page=2"' in first.content.decode()
    second = alice_client.get(URL, {"store": "athens", "page": "2"})
    assert len(second.context["page"].object_list) == 1
    assert 'href="?store=athens&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("query,field", [
    ({"from": "notadate"}, "from"),
    ({"nps_min": "99"}, "nps_min"),
    ({"nps_max": "-1"}, "nps_max"),
    ({"nps_min": "8", "nps_max": "3"}, "nps_max"),
    ({"from": "2025-03-10", "to": "2025-03-01"}, "to"),
    ({"stage": "nowhere"}, "stage"),
    ({"store": "not-a-store"}, "store"),
])
def test_bad_filters_are_form_errors(alice, alice_client, query, field):
    respond(alice.organization)
    page = alice_client.get(URL, query)
    assert page.status_code == 200
    assert field in page.context["filter_form"].errors
    assert list(page.context["page"].object_list) == []
    assert "Correct the filters above" in page.content.decode()


def test_a_bad_page_number_shows_a_page(alice, alice_client):
    respond(alice.organization)
    page = alice_client.get(URL, {"page": "last-one"})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 1


@pytest.mark.parametrize("role,status", [
    (Role.REPORTING, 200), (Role.CAMPAIGN_MANAGER, 200), (Role.AGENT, 403),
])
def test_only_roles_that_view_reports_see_responses(member_client, role, status):
    assert member_client(role).get(URL).status_code == status


# ---- one response ----------------------------------------------------------------------

@pytest.fixture
def detailed_response(alice):
    return respond(
        alice.organization, nps=9, rating=8, comment="Fast delivery",
        order={"transaction_id": "T-777", "store_id": "athens", "amount": 42.5,
               "products": ["mug", "tea"], "gift_wrap": True},
        customer={"email": "anna@example.com", "name": "Anna", "loyalty_tier": "gold"},
        submitted_at=datetime.datetime(2025, 3, 9, 23, 30, tzinfo=UTC),
    )


def test_the_detail_shows_answers_with_labels_and_all_metadata(detailed_response,
                                                               alice_client):
    page = alice_client.get(f"{URL}{detailed_response.id}/")
    assert page.status_code == 200
    content = page.content.decode()
    answers = {answer.key: (answer.label, answer.value) for answer in page.context["answers"]}
    assert answers["nps"] == ("How likely are you to recommend us to a friend?", "9")
    assert answers["comment"] == ("What could we do better?", "Fast delivery")
    for text in ("T-777", "athens", "42.5", "mug, tea", "gift_wrap", "anna@example.com",
                 "Anna", "loyalty_tier", "gold", "Back to responses", "widget"):
        assert text in content, text
    assert "gift_wrap</dt><dd>Yes" in content
    assert "10 Mar 2025, 01:30" in content  # 23:30 UTC is 01:30 the next day in Athens


def test_the_detail_speaks_greek(detailed_response, alice_client):
    page = alice_client.get(f"{URL}{detailed_response.id}/", HTTP_ACCEPT_LANGUAGE="el")
    labels = [answer.label for answer in page.context["answers"]]
    assert "Πόσο πιθανό είναι να μας προτείνετε σε έναν φίλο;" in labels


def test_the_detail_keeps_the_wording_the_customer_saw(alice, detailed_response,
                                                       alice_client):
    questionnaire = detailed_response.questionnaire_version.questionnaire
    questionnaire.questions.filter(key="comment").update(label_en="Anything else?")
    publish(questionnaire)
    page = alice_client.get(f"{URL}{detailed_response.id}/")
    labels = [answer.label for answer in page.context["answers"]]
    assert "What could we do better?" in labels and "Anything else?" not in labels


def test_another_shops_response_is_not_found(bob, alice_client):
    bobs = respond(bob.organization, comment="Bob's secret")
    assert alice_client.get(f"{URL}{bobs.id}/").status_code == 404


def test_an_agent_cannot_open_a_response(detailed_response, member_client):
    page = member_client(Role.AGENT).get(f"{URL}{detailed_response.id}/")
    assert page.status_code == 403
