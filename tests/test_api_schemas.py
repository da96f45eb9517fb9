"""Every answer of the admin API is a declared schema, so its OpenAPI document tells
integrators each field they get (no free-form objects)."""

import datetime

from kairos.api import admin_api


def resolve(schema, document):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def free_form(schema, document):
    """A bare object (dict[str, Any]) at the top of an answer, or as the items of a list
    (a paginated page included)."""
    schema = resolve(schema, document)
    if schema.get("type") == "array":
        return free_form(schema["items"], document)
    if "items" in schema.get("properties", {}):
        return free_form(schema["properties"]["items"], document)
    return schema.get("type") == "object" and "properties" not in schema


def test_every_admin_api_answer_is_typed():
    document = admin_api.get_openapi_schema()
    untyped = [
        f"{method.upper()} {path} {status}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        if str(status).startswith("2") and free_form(
            answer.get("content", {}).get("application/json", {}).get("schema", {}), document)
    ]
    assert untyped == []


def test_a_typed_answer_keeps_its_public_field_names(alice, alice_api):
    from campaigns.helpers import campaign, segment

    chosen = campaign(alice.organization, [segment(alice.organization)])
    answer = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/performance",
                           {"from": "2026-11-01", "to": "2026-11-02"}).json()
    assert answer["from"] == "2026-11-01" and answer["to"] == "2026-11-02"
    assert [day["date"] for day in answer["days"]] == [
        str(datetime.date(2026, 11, 1)), str(datetime.date(2026, 11, 2))]
    audit = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/audit").json()
    assert audit[0]["action"] == "created" and audit[0]["via"] == "dashboard"
