"""kairos.boundary: the input rules, and the seams that apply them to every entry point."""

import datetime
import importlib
import inspect
import pkgutil
import uuid
from typing import Any

import pytest
from django import forms
from pydantic import ValidationError

import kairos
from kairos.api import admin_api, public_api
from kairos.boundary import rules as boundary
from kairos.boundary.forms import BoundaryForm, JsonField
from kairos.boundary.rules import parse_id, problems
from kairos.boundary.schemas import Input


def found(value):
    return [(".".join(map(str, path)), message) for path, message in problems(value)]


# ---- the rules -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "Η παράδοση άργησε 😠", "\ufffd", "\uffff", "\x01",
                                  "\u202e", "a" * 10_000, "\U0010ffff"])
def test_text_the_databases_keep_passes(text):
    assert boundary.text_problem(text) is None


@pytest.mark.parametrize("text,words", [("a\x00", "NUL"), ("\ud800", "surrogate"),
                                        ("ok\udfff", "U+DFFF")])
def test_text_the_databases_cannot_keep_is_named(text, words):
    assert words in boundary.text_problem(text)


@pytest.mark.parametrize("number,ok", [(2**63 - 1, True), (-(2**63), True), (2**63, False),
                                       (-(2**63) - 1, False), (10**400, False),
                                       (1e308, True), (float("inf"), False),
                                       (float("nan"), False), (True, True)])
def test_numbers_keep_to_64_bits_and_are_finite(number, ok):
    assert (boundary.number_problem(number) is None) is ok


@pytest.mark.parametrize("value,ok", [(datetime.date(1900, 1, 1), True),
                                      (datetime.date(2999, 12, 31), True),
                                      (datetime.date(1899, 12, 31), False),
                                      (datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC),
                                       False)])
def test_dates_keep_to_this_millennium(value, ok):
    assert (boundary.date_problem(value) is None) is ok


def test_the_walk_names_each_problem_by_its_path():
    value = {"a": [1, "x\x00", {"b": 2**64}], "\ud800": "y", "ok": "fine"}
    assert [path for path, _message in found(value)] == ["a.1", "a.2.b", "\ufffd"]


def test_the_walk_stops_at_the_depth_limit():
    deep = "x\x00"
    for _level in range(boundary.MAX_JSON_DEPTH + 5):
        deep = [deep]
    (path, message), = found(deep)
    assert "levels deep" in message and path.count(".") == boundary.MAX_JSON_DEPTH - 1


@pytest.mark.parametrize("text,expected", [("12", 12), ("0", None), ("²", None), ("-1", None),
                                           (str(2**63), None), ("1e3", None), ("", None)])
def test_an_id_in_a_query_string(text, expected):
    assert parse_id(text) == expected


# ---- request schemas -------------------------------------------------------------------

class Sample(Input):
    name: str
    data: dict[str, Any] = {}
    when: datetime.date | None = None


@pytest.mark.parametrize("data,field", [
    ({"name": "\x00"}, ("name",)), ({"name": "x", "data": {"k": ["\ud800"]}}, ("data", "k", 0)),
    ({"name": "x", "when": "0999-01-01"}, ("when",)), ({"name": "x", "extra": 1}, ("extra",)),
    ({"name": "x", "data": {"n": float("nan")}}, ("data", "n"))])
def test_a_schema_refuses_what_breaks_the_rules_and_names_it(data, field):
    with pytest.raises(ValidationError) as refused:
        Sample.model_validate(data)
    assert [error["loc"] for error in refused.value.errors()] == [field]


@pytest.mark.parametrize("data", [[], "x", 5, None])
def test_a_schema_refuses_what_is_not_an_object(data):
    with pytest.raises(ValidationError) as refused:
        Sample.model_validate(data)
    assert refused.value.errors()[0]["msg"] == "must be an object"


def operations():
    for api in (admin_api, public_api):
        for _prefix, router in api._routers:
            for path, path_view in router.path_operations.items():
                for operation in path_view.operations:
                    yield f"{operation.methods} {path}", operation


def bounded_scalar(field):
    if field.annotation is uuid.UUID:
        return True
    limits = {type(m).__name__: m for m in field.metadata}
    if field.annotation is int:
        return "Ge" in limits and limits["Le"].le <= boundary.MAX_INTEGER
    return field.annotation is str and "MaxLen" in limits


def test_every_api_input_passes_the_boundary():
    """Bodies, query strings and headers are Input schemas; path parameters are bounded
    ids, uuids or short names. A new route that forgets fails here."""
    checked = 0
    for label, operation in operations():
        for model in operation.models:
            for name, field in model.model_fields.items():
                checked += 1
                if model.__ninja_param_source__ == "path":
                    assert bounded_scalar(field), (label, name)
                else:
                    assert inspect.isclass(field.annotation), (label, name)
                    assert issubclass(field.annotation, Input), (label, name)
    assert checked > 30


def kairos_forms():
    for module_info in pkgutil.walk_packages(kairos.__path__, "kairos."):
        if ".migrations" in module_info.name or module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__):
                yield value


def test_every_dashboard_form_passes_the_boundary():
    found_forms = list(kairos_forms())
    assert len(found_forms) > 10
    assert [f.__qualname__ for f in found_forms if not issubclass(f, BoundaryForm)] == []
    json_fields = [(form.__qualname__, name) for form in found_forms
                   for name, field in form.base_fields.items()
                   if isinstance(field, forms.JSONField)]
    assert len(json_fields) >= 2
    assert [f for f in json_fields if not isinstance(
        next(form for form in found_forms if form.__qualname__ == f[0]).base_fields[f[1]],
        JsonField)] == []


# ---- forms -----------------------------------------------------------------------------

class SampleForm(BoundaryForm, forms.Form):
    data = JsonField(required=False)
    day = forms.DateField(required=False)
    count = forms.IntegerField(required=False)

    def clean_data(self):
        self.saw = self.cleaned_data["data"]  # never a value the rules refuse
        return self.saw


@pytest.mark.parametrize("data,field", [
    ({"data": '{"a": "\\u0000"}'}, "data"), ({"data": '["\\ud800"]'}, "data"),
    ({"data": "[" * 5000 + "]" * 5000}, "data"), ({"data": "NaN"}, "data"),
    ({"day": "9999-12-31"}, "day"), ({"count": str(2**64)}, "count")])
def test_a_form_refuses_what_breaks_the_rules_before_its_own_clean(data, field):
    form = SampleForm(data)
    assert not form.is_valid() and list(form.errors) == [field]
    assert not hasattr(form, "saw") or field != "data"


def test_a_form_keeps_what_the_rules_allow():
    form = SampleForm({"data": '{"a": "Η παράδοση"}', "day": "2026-11-20", "count": "7"})
    assert form.is_valid() and form.saw == {"a": "Η παράδοση"}
