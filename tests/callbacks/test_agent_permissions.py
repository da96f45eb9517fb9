"""An Agent works callbacks and sees the customer card, and nothing else: every other page
of the dashboard and settings, and every other resource of the admin API, answers 403.

The walk reads the URL configuration, so a page added later is checked too: it must be
listed in AGENT_MAY below to be open to Agents."""

import json
import re

import pytest
from callbacks.workspace_helpers import callback_campaign, request_callback
from django.urls import URLResolver, get_resolver
from webhook_helpers import subscribe

from kairos.accounts.roles import Role
from kairos.questionnaires.models import Questionnaire

# What an Agent may reach: its queue, a request and its buttons, the CSV of its queue, the
# statuses a request can have (read), Home (which sends it to its queue).
AGENT_MAY = {"dashboard/", "dashboard/callbacks/", "dashboard/callbacks/export.csv",
             "api/v1/callbacks", "api/v1/callbacks.csv", "api/v1/callback-statuses",
             # Not the shop's data: the fixed catalogue of event names, and moving between
             # the shops one is a member of.
             "api/v1/event-types", "settings/switch/<int:organization_id>/",
             # Their own e-mail preferences, and watching the campaigns whose calls they make.
             "dashboard/notifications/",
             "dashboard/notifications/watch/<int:campaign_id>/"}
NOT_SHOP_PAGES = ("accounts/", "admin/", "i18n/", "api/public/", "widget.js", "demo/",
                  "healthz")
SCHEMA = ("openapi.json", "docs", "api/v1/")
# What a resource needs before it asks who is calling (its query's schema comes first).
QUERIES = {"api/v1/segments/values": "?field=nps"}
BODIES = {"api/v1/segments/preview": {"conditions": {"nps": {"lte": 6}}}}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def shop_paths():
    """Every dashboard, settings and admin API path, its parameters filled with ids of
    Alice's own rows (filled in by the test)."""
    found = []
    for path in walk(get_resolver().url_patterns):
        if not path or path.startswith(NOT_SHOP_PAGES) or path.endswith(SCHEMA):
            continue
        if path.startswith(("dashboard/", "settings/", "api/v1/")) and path not in found:
            found.append(path)
    return found


@pytest.fixture
def shop(alice, alice_key, settings):
    """One of every kind of row an Agent might try to reach."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the webhook's URL is a loopback one
    campaign = callback_campaign(alice.organization)
    callback = request_callback(alice.organization)
    webhook = subscribe(alice.organization, "http://127.0.0.1:9/hook", ["callback.updated"])
    return {
        "pk": campaign.pk, "campaign_id": campaign.pk, "callback_id": callback.pk,
        "segment_id": campaign.segments.get().pk, "response_id": str(callback.response_id),
        "identity": "maria@example.com", "webhook_id": webhook.pk,
        "delivery_pk": 1, "key_id": alice.organization.api_keys.get().pk,
        "membership_id": alice.memberships.get().pk, "key": "new",
        "organization_id": alice.organization.pk,
        "questionnaire_id": Questionnaire.objects.filter(
            organization=alice.organization).values_list("pk", flat=True).first() or 1,
        "callback": callback,
    }


def filled(path, ids, callback):
    """The path with its <converter:name> parameters replaced by real ids."""

    def value(match):
        name = match.group(1)
        if path.startswith("dashboard/callbacks/"):
            return str(callback.pk)
        if path.startswith("dashboard/segments/"):
            return str(ids["segment_id"])
        if path.startswith("dashboard/responses/questionnaires/"):
            return str(ids["questionnaire_id"])
        if path.startswith("settings/webhooks/"):
            return str(ids["webhook_id"] if name == "pk" else ids["delivery_pk"])
        return str(ids.get(name, ids["pk"]))

    return re.sub(r"<(?:\w+:)?(\w+)>", value, path)


def press(client, path, url):
    if not path.startswith("api/"):
        return client.post(url, {})
    body = json.dumps(BODIES.get(path, {}))
    response = client.post(url, body, content_type="application/json")
    if response.status_code == 405:  # changed, not created
        response = client.patch(url, body, content_type="application/json")
    return response


def test_an_agent_reaches_its_queue_the_request_and_the_card(shop, member_client):
    agent = member_client(Role.AGENT)
    callback = shop["callback"]
    assert agent.get("/dashboard/").url == "/dashboard/callbacks/"
    assert agent.get("/dashboard/callbacks/").status_code == 200
    page = agent.get(f"/dashboard/callbacks/{callback.pk}/")
    assert page.status_code == 200 and page.context["card"].customer["phone_number"]
    item = agent.get(f"/api/v1/callbacks/{callback.pk}").json()
    assert item["customer"]["phone_number"] == "+306912345678" and "order" in item
    for path in ("attempts", "comments", "history"):
        assert agent.get(f"/api/v1/callbacks/{callback.pk}/{path}").status_code == 200
    assert agent.get("/dashboard/callbacks/export.csv").status_code == 200
    assert agent.get("/api/v1/callbacks.csv").status_code == 200


def test_every_other_page_and_resource_answers_403(shop, member_client):
    agent = member_client(Role.AGENT)
    callback = shop["callback"]
    checked, reached = [], []
    for path in shop_paths():
        if path in AGENT_MAY or path.startswith(("dashboard/callbacks/", "api/v1/callbacks/")):
            continue
        url = "/" + filled(path, shop, callback) + QUERIES.get(path, "")
        response = agent.get(url)
        if response.status_code == 405:  # a button: pressing it is what must be refused
            response = press(agent, path, url)
        checked.append(url)
        if response.status_code != 403:
            reached.append((url, response.status_code))
    assert reached == [], "\n".join(map(str, reached))
    assert len(checked) > 40
    assert {"/dashboard/campaigns/", "/settings/callbacks/", "/api/v1/shop",
            "/dashboard/reports/callbacks/", "/api/v1/responses"} <= set(checked)


def test_an_agent_changes_nothing_but_callbacks_through_the_api(shop, member_client):
    agent = member_client(Role.AGENT)
    for path, body in [
        ("/api/v1/campaigns", {"type": "callback_request", "title": "x",
                               "segment_ids": [shop["segment_id"]]}),
        ("/api/v1/segments", {"name": "x", "conditions": {"all": [
            {"field": "answers.nps", "op": "lte", "value": 6}]}}),
        ("/api/v1/callback-statuses", {"key": "x", "title": "x"}),
        ("/api/v1/webhooks", {"url": "https://hooks.example.com/x", "events": []}),
    ]:
        assert agent.post(path, json.dumps(body),
                          content_type="application/json").status_code == 403, path
    assert agent.patch("/api/v1/shop", json.dumps({"sla": {"first_contact_hours": 1}}),
                       content_type="application/json").status_code == 403
    assert agent.delete(f"/api/v1/campaigns/{shop['pk']}").status_code == 403
