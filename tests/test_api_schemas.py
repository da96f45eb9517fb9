"""Every answer of the admin API is a declared schema, so its OpenAPI document tells
integrators each field they get (no free-form objects)."""

import datetime
import typing
from collections import defaultdict

import pydantic

from kairos.api import admin_api, public_api


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


def schema_classes(annotation):
    """The pydantic classes an annotation names, and the ones their fields name."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from schema_classes(field.annotation)
    for argument in typing.get_args(annotation):
        yield from schema_classes(argument)


def test_no_two_schemas_of_an_api_share_a_name():
    """OpenAPI components are keyed by class name: a second class of the same name
    silently replaces the first in the document (a call attempt once described the
    webhook delivery's attempt), so integrators would read the wrong fields."""
    for api in (admin_api, public_api):
        named = defaultdict(set)
        for _prefix, router in api._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    answers = [model.model_fields["response"].annotation
                               for model in (operation.response_models or {}).values()
                               if model is not None]
                    for annotation in [*answers, *operation.models]:
                        for found in schema_classes(annotation):
                            if found.__module__.startswith("kairos."):  # not ninja's
                                named[found.__name__].add(found)
        assert {name: classes for name, classes in named.items() if len(classes) > 1} == {}
