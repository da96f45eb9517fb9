"""What a walk through every dashboard page as each role found (2 Dec 2026): people read
words, not codes; dates in the dashboard's one format; Greek everywhere, also in the
ages Django itself leaves in English; the navigation marks the section you are in."""

import datetime
import re

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from campaigns.helpers import campaign, segment, submit
from django.utils import timezone, translation

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.audit_log import shown
from kairos.campaigns.charts import daily_chart
from kairos.questionnaires.models import Response

ORDER = {"transaction_id": "A-1001", "transaction_date": "2026-11-20", "store_id": "athens"}


def in_greek(client):
    client.cookies["django_language"] = "el"
    return client


def main_nav_current(html):
    """The links of the main navigation marked as the current page."""
    nav = html[html.index('id="main-nav"'):]
    nav = nav[:nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page"', nav)


@pytest.mark.parametrize(("path", "current"), [
    ("/dashboard/", "/dashboard/"),
    ("/dashboard/campaigns/", "/dashboard/campaigns/"),
    ("/dashboard/campaigns/types/", "/dashboard/campaigns/types/"),
    ("/dashboard/campaigns/why/", "/dashboard/campaigns/"),
    ("/dashboard/responses/questionnaires/", "/dashboard/responses/"),
    ("/settings/keys/", "/settings/"),
    ("/settings/privacy/", "/settings/"),
    ("/dashboard/notifications/", None),
])
def test_the_navigation_marks_one_section_the_page_is_in(alice_client, path, current):
    page = alice_client.get(path)
    assert page.status_code == 200
    assert main_nav_current(page.content.decode()) == ([current] if current else [])


def test_callback_ages_are_in_greek(alice, alice_client):
    callback_campaign(alice.organization)
    request_callback(alice.organization)
    CallbackRequest.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=9, hours=3))
    html = in_greek(alice_client).get("/dashboard/callbacks/").content.decode()
    html = html.replace("\xa0", " ")  # timesince keeps "1 week" on one line
    assert "ζητήθηκε πριν από 1 εβδομάδα, 2 ημέρες" in html
    assert "week" not in html and "days" not in html


def test_the_key_forms_are_labelled_in_greek(alice_client):
    html = in_greek(alice_client).get("/settings/keys/").content.decode()
    for label in ("Ετικέτα:", "Επιτρεπόμενες προελεύσεις:", "Ενεργή", "Όνομα:", "Ρόλος:"):
        assert label in html, label
    for english in ("Label:", "Allowed origins:", "Name:", "Role:"):
        assert english not in html, english


def test_a_response_names_its_language_and_source_and_dates_the_order(alice, alice_client):
    callback_campaign(alice.organization)
    request_callback(alice.organization, order=ORDER)
    response = Response.objects.get()
    html = alice_client.get(f"/dashboard/responses/{response.pk}/").content.decode()
    assert "20 Nov 2026" in html and "2026-11-20" not in html
    assert "<dd>English</dd>" in html and "<dd>en</dd>" not in html
    assert "<dd>widget</dd>" not in html


def test_the_callback_card_names_the_consents_language(alice, alice_client):
    callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    html = alice_client.get(f"/dashboard/callbacks/{callback.pk}/").content.decode()
    assert "<dd>English</dd>" in html and "<dd>en</dd>" not in html


def test_performance_by_language_names_the_languages(alice, alice_client):
    campaign = callback_campaign(alice.organization)
    request_callback(alice.organization)
    html = alice_client.get(f"/dashboard/campaigns/{campaign.pk}/performance/").content.decode()
    by_language = html[html.index('data-table="by-language"'):]
    by_language = by_language[:by_language.index("</table>")]
    assert "<td>English</td>" in by_language and "<td>en</td>" not in by_language


def test_the_history_shows_dates_and_languages_in_words():
    with translation.override("en"):
        assert shown("start_date", "2026-09-03", {}) == "3 Sep 2026"
        assert shown("end_date", None, {}) == "—"
        assert shown("languages", ["el", "en"], {}) == "Greek, English"
    with translation.override("el"):
        assert shown("start_date", "2026-09-03", {}) == "3 Σεπ 2026"


@pytest.mark.parametrize("highest", [3, 5, 10, 30, 75, 130])
def test_the_performance_chart_grid_is_evenly_labelled(highest):
    start = datetime.date(2026, 11, 1)
    days = [{"date": start + datetime.timedelta(days=i), "impressions": highest if i == 3 else 1,
             "actions": 0} for i in range(10)]
    svg = str(daily_chart(days))
    labels = [int(v) for v in re.findall(r'text-anchor="end" dy="4">(\d+)</text>', svg)]
    steps = {b - a for a, b in zip(labels, labels[1:], strict=False)}
    assert len(labels) == 5 and len(steps) == 1, labels
    assert labels[-1] >= highest


def test_an_empty_re_order_rate_says_why(alice_client):
    html = alice_client.get("/dashboard/reports/callbacks/").content.decode()
    card = html[html.index('data-figure="reorder-30"'):]
    card = card[:card.index("</div>")]
    assert "No contacted request of this period is 30 days old yet" in card
    assert "0 of 0" not in card


def test_the_why_page_writes_the_traces_dates_as_the_dashboard_does(alice, alice_client):
    """The engine's sentences carry "capped until 2026-12-03 07:30 Europe/Athens"; the
    dashboard writes its own dates (the API keeps the engine's text)."""
    shop = alice.organization
    campaign(shop, [segment(shop)], frequency_cap_minutes=1440)
    customer = {"email": "maria@example.com"}
    submit(shop, device="d-1", responder=customer)
    submit(shop, device="d-2", responder=customer)  # the same customer, capped
    html = alice_client.get("/dashboard/campaigns/why/",
                            {"customer": "maria@example.com"}).content.decode()
    assert re.search(r"capped until \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d \(Europe/Athens\)",
                     html), html[html.find("capped"):][:120]
