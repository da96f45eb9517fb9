"""Every role × every dashboard page and admin API operation against one permission table
(issue 13).

The tables below are the single statement of who may open what. The walk fails when a
route or an operation exists that is not in them, so a new page cannot ship without
someone deciding who may open it. Objects are addressed by ids that do not exist: a role
that may pass gets past the permission check to a 404 (or a form), a role that may not is
refused with 403 before anything is looked up.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from kairos.accounts.models import ApiKey
from kairos.accounts.roles import Permission, Role, can
from kairos.api import admin_api

ANY_MEMBER = None
VIEW, MANAGE, CALLBACKS, SETTINGS = (Permission.VIEW_REPORTS, Permission.MANAGE_CAMPAIGNS,
                                     Permission.WORK_CALLBACKS, Permission.MANAGE_SETTINGS)
PERSONAL_DATA = Permission.MANAGE_PERSONAL_DATA

PAGES = {
    "home": ANY_MEMBER,
    "dashboard:home": ANY_MEMBER,
    "questionnaires:responses": VIEW,
    "questionnaires:response": VIEW,
    "questionnaires:questionnaires": VIEW,
    "questionnaires:questionnaire": VIEW,
    "segments:list": VIEW,
    "segments:create": VIEW,  # a read-only builder: saving needs MANAGE (the API's rule)
    "segments:from_template": MANAGE,
    "segments:edit": VIEW,
    "segments:delete": MANAGE,
    "campaigns:list": VIEW,
    "campaigns:types": MANAGE,
    "campaigns:create": MANAGE,
    "campaigns:create_check": MANAGE,
    "campaigns:budget": VIEW,
    "campaigns:why": VIEW,
    "campaigns:compare": VIEW,
    "campaigns:compare_csv": VIEW,
    "campaigns:performance": VIEW,
    "campaigns:performance_csv": VIEW,
    "campaigns:edit": VIEW,
    "campaigns:duplicate": MANAGE,
    "campaigns:archive": MANAGE,
    "campaigns:coupons": MANAGE,
    "callbacks:list": CALLBACKS,
    "callbacks:status": CALLBACKS,
    "callbacks:export": CALLBACKS,
    "callbacks:detail": CALLBACKS,
    "callbacks:assign": CALLBACKS,
    "callbacks:attempt": CALLBACKS,
    "callbacks:comment": CALLBACKS,
    "callbacks:resolve": CALLBACKS,
    "callbacks:reopen": CALLBACKS,
    "callbacks:undo": CALLBACKS,
    "reports:callbacks": VIEW,
    "notifications:preferences": CALLBACKS,  # the e-mails about callbacks one works on
    "notifications:watch": CALLBACKS,
    "privacy:settings": PERSONAL_DATA,
    "privacy:customer": PERSONAL_DATA,
    "shop:callbacks": SETTINGS,
    "shop:add_status": SETTINGS,
    "shop:status": SETTINGS,
    "webhooks:list": SETTINGS,
    "webhooks:detail": SETTINGS,
    "webhooks:test": SETTINGS,
    "webhooks:rotate": SETTINGS,
    "webhooks:delete": SETTINGS,
    "webhooks:replay": SETTINGS,
    "settings:organization": SETTINGS,
    "settings:keys": SETTINGS,
    "settings:site_key": SETTINGS,
    "settings:revoke_api_key": SETTINGS,
    "settings:users": SETTINGS,
    "settings:member": SETTINGS,
    "settings:switch": ANY_MEMBER,
}

OPERATIONS = {
    "GET /api/v1/responses": VIEW,
    "POST /api/v1/responses": MANAGE,
    "GET /api/v1/responses/{response_id}": VIEW,
    "GET /api/v1/segments": VIEW,
    "POST /api/v1/segments": MANAGE,
    "GET /api/v1/segments/templates": VIEW,
    "GET /api/v1/segments/fields": VIEW,
    "GET /api/v1/segments/values": VIEW,
    "POST /api/v1/segments/preview": VIEW,
    "GET /api/v1/segments/{segment_id}": VIEW,
    "PATCH /api/v1/segments/{segment_id}": MANAGE,
    "DELETE /api/v1/segments/{segment_id}": MANAGE,
    "GET /api/v1/segments/{segment_id}/preview": VIEW,
    "GET /api/v1/campaign-types": VIEW,
    "GET /api/v1/campaign-types/{type_id}": VIEW,
    "GET /api/v1/campaigns": VIEW,
    "POST /api/v1/campaigns": MANAGE,
    "GET /api/v1/campaigns/{campaign_id}": VIEW,
    "PATCH /api/v1/campaigns/{campaign_id}": MANAGE,
    "DELETE /api/v1/campaigns/{campaign_id}": MANAGE,
    "GET /api/v1/campaigns/{campaign_id}/performance": VIEW,
    "GET /api/v1/campaigns/{campaign_id}/lift": VIEW,
    "GET /api/v1/campaigns/{campaign_id}/conflicts": VIEW,
    "GET /api/v1/campaigns/{campaign_id}/audit": VIEW,
    "GET /api/v1/campaigns/{campaign_id}/coupons": VIEW,
    "POST /api/v1/campaigns/{campaign_id}/coupons": MANAGE,
    "POST /api/v1/decisions/preview": VIEW,
    "GET /api/v1/callbacks": CALLBACKS,
    "GET /api/v1/callbacks/{callback_id}": CALLBACKS,
    "PATCH /api/v1/callbacks/{callback_id}": CALLBACKS,
    "GET /api/v1/callbacks.csv": CALLBACKS,
    "POST /api/v1/callbacks/{callback_id}/undo": CALLBACKS,
    "GET /api/v1/callbacks/{callback_id}/attempts": CALLBACKS,
    "POST /api/v1/callbacks/{callback_id}/attempts": CALLBACKS,
    "GET /api/v1/callbacks/{callback_id}/comments": CALLBACKS,
    "POST /api/v1/callbacks/{callback_id}/comments": CALLBACKS,
    "GET /api/v1/callbacks/{callback_id}/history": CALLBACKS,
    "GET /api/v1/callback-statuses": CALLBACKS,
    "POST /api/v1/callback-statuses": SETTINGS,
    "PATCH /api/v1/callback-statuses/{key}": SETTINGS,
    "DELETE /api/v1/callback-statuses/{key}": SETTINGS,
    "GET /api/v1/responders/{identity}": PERSONAL_DATA,
    "DELETE /api/v1/responders/{identity}": PERSONAL_DATA,
    "GET /api/v1/webhooks": SETTINGS,
    "POST /api/v1/webhooks": SETTINGS,
    "GET /api/v1/webhooks/{webhook_id}": SETTINGS,
    "PATCH /api/v1/webhooks/{webhook_id}": SETTINGS,
    "DELETE /api/v1/webhooks/{webhook_id}": SETTINGS,
    "POST /api/v1/webhooks/{webhook_id}/rotate-secret": SETTINGS,
    "GET /api/v1/webhooks/{webhook_id}/deliveries": SETTINGS,
    "POST /api/v1/webhooks/{webhook_id}/test": SETTINGS,
    "POST /api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay": SETTINGS,
    "GET /api/v1/events": VIEW,
    "GET /api/v1/event-types": ANY_MEMBER,  # the catalogue of event types: no shop's data
    "GET /api/v1/shop": VIEW,
    # To call it; each setting changed then needs its own (shop/services.py, SECTIONS).
    "PATCH /api/v1/shop": VIEW,
}

MISSING_ID = 987654


def allowed(role, permission):
    return permission is ANY_MEMBER or can(role, permission)


def dashboard_routes(patterns=None, namespace=None, prefix=""):
    """(name, path pattern) of every page under /dashboard/ and /settings/, and the root."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from dashboard_routes(pattern.url_patterns, pattern.namespace or namespace,
                                        prefix + str(pattern.pattern))
        elif (prefix + str(pattern.pattern)).startswith(("dashboard/", "settings/")) or (
                prefix + str(pattern.pattern)) == "":
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def url_of(name, pattern):
    kwargs = {key: uuid.uuid4() if "uuid" in str(converter).lower() else MISSING_ID
              for key, converter in pattern.pattern.converters.items()}
    return reverse(name, kwargs=kwargs)


def api_operations():
    for path, operations in admin_api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def test_every_page_and_operation_is_in_the_table():
    assert {name for name, _pattern in dashboard_routes()} == set(PAGES)
    assert set(api_operations()) == set(OPERATIONS)


def open_page(client, url):
    answer = client.get(url)
    if answer.status_code == 405:  # an action: it is a POST, and empty here
        answer = client.post(url)
    return answer.status_code


@pytest.mark.parametrize("role", Role.values)
def test_each_role_opens_exactly_the_pages_the_table_allows(alice, member_client, role):
    client = member_client(role)
    wrong = {}
    for name, pattern in dashboard_routes():
        status = open_page(client, url_of(name, pattern))
        expected_refusal = not allowed(role, PAGES[name])
        if (status == 403) != expected_refusal or status >= 500:
            wrong[name] = status
    assert wrong == {}


def test_a_stranger_is_sent_to_log_in_from_every_page(db):
    client = Client()
    for name, pattern in dashboard_routes():
        if name == "home":
            continue  # the root sends everyone to the dashboard, which sends them on
        status = open_page(client, url_of(name, pattern))
        assert status in (302, 405), name


def call(client, operation):
    method, path = operation.split(" ", 1)
    url = path
    for part in path.split("/"):
        if part.startswith("{"):
            value = uuid.uuid4() if part == "{response_id}" else MISSING_ID
            url = url.replace(part, str(value))
    if method in ("GET", "DELETE"):
        return getattr(client, method.lower())(url).status_code
    return getattr(client, method.lower())(url, {}, content_type="application/json").status_code


@pytest.mark.parametrize("role", Role.values)
def test_each_roles_key_may_call_exactly_the_operations_the_table_allows(alice, role):
    _key, secret = ApiKey.issue(alice.organization, f"{role} key", role=role)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    wrong = {}
    for operation in api_operations():
        status = call(client, operation)
        if allowed(role, OPERATIONS[operation]):
            bad = status in (401, 403) or status >= 500
        else:
            # Refused before anything is looked up or done. A body that fails its schema
            # is refused earlier still (422), which reveals nothing either.
            bad = status not in (403, 422)
        if bad:
            wrong[operation] = status
    assert wrong == {}
