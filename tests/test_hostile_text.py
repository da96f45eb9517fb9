"""Hostile text through every entry point, then every page and query that shows it.

Text the databases can keep (markup, template syntax, format strings, direction marks,
combining characters, noncharacters, control characters, emoji…) is stored through the
public API, the admin API, the dashboard's forms and the CSV import, and afterwards
every page and API answer that shows it answers 200, shows it escaped, and every segment
that reads it counts it. Text they cannot keep (NUL, lone surrogates) is refused at each
of those entry points, and nothing is written. On SQLite and PostgreSQL alike.
"""

import datetime
import io
import json

import pytest
from campaigns.helpers import campaign
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Campaign
from kairos.questionnaires import importer
from kairos.questionnaires.models import Response
from kairos.segments.models import Segment

TRICKY = ["<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{ request }}",
          "{% csrf_token %}", "%(name)s %s %d", "' OR 1=1; --", "\\", "\\u0000", "a%_b*",
          "\u202eevil\u202c", "e\u0301\u0301", "😠🔥", "\ufeffBOM", "line\u2028break",
          "\x01\x1f\x7f", "\uffff\ufffe", "Ω" * 90, "null", "true", "[1]", "{}", "1e400",
          "Η παράδοση άργησε", "ΑΡΓΗΣΕ", "İstanbul ß"]
STORABLE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r"),
                   min_size=1, max_size=60)
HOSTILE = (st.sampled_from(TRICKY) | STORABLE).map(str.strip).filter(bool)
UNSTORABLE = st.tuples(STORABLE, st.sampled_from(["\x00", "\ud800", "\udfff", "\udc80"]),
                       STORABLE).map("".join)
EXAMPLES = settings(max_examples=12, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def public_submission(organization, text, nps=2):
    return {"site_key": organization.site_keys.get().key, "stage": "checkout", "locale": "en",
            "device_id": text[:100], "answers": {"nps": nps, "comment": text},
            "metadata": {"questionnaire": {"store_id": text[:100], "transaction_id": text[:100],
                                           "coupon": text},
                         "responder": {"name": text, "customer_id": text[:100]}}}


def an_hour_ago():
    """Within the segment preview's last 30 days, whatever day the suite runs."""
    return (timezone.now() - datetime.timedelta(hours=1)).isoformat()


def csv_line(*cells):
    return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells) + "\n"


@pytest.fixture
def shop(alice, alice_key):
    """Alice's shop with a live callback campaign for every detractor."""
    detractors = Segment.objects.create(organization=alice.organization, name="Detractors",
                                        conditions={"all": [{"field": "answers.nps",
                                                             "op": "lte", "value": 6}]})
    campaign(alice.organization, [detractors])
    alice_client = Client()
    alice_client.force_login(alice)
    api = Client(headers={"Authorization": f"Bearer {alice_key}"})
    return alice.organization, detractors, alice_client, api


def store_everywhere(organization, detractors, dashboard, api, text):
    """Stores `text` through each entry point; returns what to look at afterwards."""
    shown = post_json(Client(), "/api/public/v1/responses", public_submission(organization,
                                                                              text))
    assert shown.status_code == 201, shown.content
    response_id, campaign_shown = shown.json()["response_id"], shown.json()["campaign"]
    action = post_json(Client(), f"/api/public/v1/impressions/"
                       f"{campaign_shown['impression_id']}/actions", {
                           "site_key": organization.site_keys.get().key,
                           "type": "callback_request", "phone_number": "6912345678",
                           "consent": True, "note": text[:1000],
                           "preferred_time": text[:100]})
    assert action.status_code == 201, action.content
    rule = {"any": [{"field": "questionnaire.store_id", "op": "eq", "value": text[:100]},
                    {"field": "answers.comment", "op": "contains", "value": text[:1000]},
                    {"field": "questionnaire.coupon", "op": "starts_with", "value": text}]}
    made = post_json(api, "/api/v1/segments", {"name": text[:120], "conditions": rule})
    assert made.status_code == 201, made.content
    created = post_json(api, "/api/v1/campaigns", {
        "type": "onscreen_incentive", "title": text[:200], "segment_ids": [made.json()["id"]],
        "active": True, "priority": 5, "content": {"headline": text, "message": text}})
    assert created.status_code == 201, created.content
    built = dashboard.post("/dashboard/segments/new/", {
        "name": text[:120], "icon": "", "questionnaire": "", "active": "on",
        "conditions": json.dumps(rule)})
    assert built.status_code == 302, built.context and built.context["form"].errors
    report = importer.import_responses(organization, io.StringIO(
        csv_line("submitted_at", "stage", "answers.nps", "answers.comment",
                 "questionnaire.store_id") +
        csv_line(an_hour_ago(), "checkout", "9", text, text[:100])))
    assert (report.imported, report.rejected) == (1, 0), report.first_rejections
    return response_id, made.json()["id"], created.json()["id"]


def pages_showing(organization, response_id, segment_id, campaign_id):
    """(url, text that must appear escaped in it or None) for every page that shows it."""
    callback = CallbackRequest.objects.filter(organization=organization).latest("created_at")
    return [
        ("/dashboard/", None), ("/dashboard/responses/", None),
        (f"/dashboard/responses/{response_id}/", "comment"),
        ("/dashboard/segments/", "segment"), (f"/dashboard/segments/{segment_id}/", "segment"),
        ("/dashboard/campaigns/", "campaign"), (f"/dashboard/campaigns/{campaign_id}/",
                                                "campaign"),
        (f"/dashboard/campaigns/why/?response={response_id}", None),
        ("/dashboard/callbacks/", None), (f"/dashboard/responses/?q={callback.note[:100]}",
                                          None),
    ]


API_READS = ["/api/v1/responses", "/api/v1/segments", "/api/v1/campaigns", "/api/v1/callbacks",
             "/api/v1/segments/{segment}/preview", "/api/v1/campaigns/{campaign}/conflicts",
             "/api/v1/campaigns/{campaign}/audit", "/api/v1/campaigns/{campaign}/performance"]


def stored_with_store_id(api, text):
    return api.get("/api/v1/responses", {"store_id": text[:100]}).json()["count"]


def reads_answer_200(organization, dashboard, api, text, ids, already):
    """`already`: responses of earlier examples with this store id (the examples share the
    test's database, and two of them may bring the same text)."""
    response_id, segment_id, campaign_id = ids
    for url, shows in pages_showing(organization, *ids):
        page = dashboard.get(url)
        assert page.status_code == 200, url
        expected = {"comment": text, "segment": text[:120], "campaign": text[:200]}.get(shows)
        if expected is not None:
            assert escape(expected) in page.content.decode(), url
    for url in API_READS:
        answer = api.get(url.format(segment=segment_id, campaign=campaign_id))
        assert answer.status_code == 200, url
    stored = api.get(f"/api/v1/responses/{response_id}").json()
    assert stored["answers"]["comment"] == text
    preview = api.get(f"/api/v1/segments/{segment_id}/preview").json()
    assert preview["responses"] >= 2  # the widget's response and the imported one
    assert stored_with_store_id(api, text) == already + 2
    why = post_json(api, "/api/v1/decisions/preview", {"response_id": response_id})
    assert why.status_code == 200
    questionnaire = Client().get("/api/public/v1/questionnaires/checkout",
                                 {"site_key": organization.site_keys.get().key})
    assert questionnaire.status_code == 200


@EXAMPLES
@given(text=HOSTILE)
def test_hostile_text_is_stored_and_every_page_that_shows_it_works(shop, text):
    organization, detractors, dashboard, api = shop
    already = stored_with_store_id(api, text)
    ids = store_everywhere(organization, detractors, dashboard, api, text)
    reads_answer_200(organization, dashboard, api, text, ids, already)


@EXAMPLES
@given(text=UNSTORABLE)
def test_unstorable_text_is_refused_at_every_entry_point(shop, text):
    organization, _detractors, dashboard, api = shop
    before = (Response.objects.count(), Segment.objects.count(), Campaign.objects.count())
    answer = post_json(Client(), "/api/public/v1/responses",
                       public_submission(organization, text[:100]))
    assert answer.status_code == 422
    rule = {"all": [{"field": "answers.comment", "op": "contains", "value": text[:1000]}]}
    for url, body in [("/api/v1/segments", {"name": text[:120]}),
                      ("/api/v1/segments", {"name": "x", "conditions": rule}),
                      ("/api/v1/segments/preview", {"conditions": rule})]:
        assert post_json(api, url, body).status_code == 422, url
    built = dashboard.post("/dashboard/segments/new/", {
        "name": "x", "active": "on", "conditions": json.dumps(rule)})
    assert built.status_code == 200 and "conditions" in built.context["form"].errors
    report = importer.import_responses(organization, io.StringIO(
        "submitted_at,stage,answers.nps,answers.comment\n" +
        f"2026-11-20,checkout,9,{text.replace(',', ' ').replace(chr(10), ' ')}\n"))
    assert (report.imported, report.rejected) == (0, 1)
    assert (Response.objects.count(), Segment.objects.count(),
            Campaign.objects.count()) == before
