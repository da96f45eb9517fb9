"""The segment rule engine: operators, groups, validation, safety and explanations.

Every operator case runs through both the compiled predicate and the reference
interpreter, which must agree.
"""

from __future__ import annotations

import ast
import os
from datetime import date, datetime, timedelta

import pytest

from kairos.engine.rules import (
    METADATA_FIELD_TYPES,
    OPERATORS_BY_TYPE,
    InvalidRule,
    Problem,
    compile_rule,
    condition_count,
    evaluate_reference,
    explain,
    fields_used,
    validate,
)

TODAY = date(2026, 11, 27)
MISSING = object()  # the response has no such key at all


def decide(rule, values, field_types=None) -> bool:
    """The compiled predicate's answer, after checking the reference agrees."""
    compiled = compile_rule(rule, field_types)(values, TODAY)
    reference = evaluate_reference(rule, values, TODAY, field_types)
    assert type(compiled) is bool
    assert compiled is reference
    return compiled


def decide_condition(field_type, op, constant, value) -> bool:
    condition = {"field": "answers.x", "op": op}
    if constant is not MISSING:
        condition["value"] = constant
    values = {} if value is MISSING else {"answers.x": value}
    return decide(condition, values, {"answers.x": field_type})


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


NUMBER_CASES = [
    ("eq", 6, 6, True), ("eq", 6, 6.0, True), ("eq", 6, 7, False),
    ("eq", 1, True, False), ("eq", 6, "6", False), ("eq", 6, MISSING, False),
    ("eq", 6, None, False),
    ("neq", 6, 7, True), ("neq", 6, 6, False), ("neq", 6, MISSING, True),
    ("neq", 6, "6", True),
    ("gt", 6, 7, True), ("gt", 6, 6, False), ("gt", 6, 6.5, True), ("gt", 6, "7", False),
    ("gt", 6, MISSING, False),
    ("gte", 6, 6, True), ("gte", 6, 5.99, False), ("gte", 6, [7], False),
    ("lt", 6, 5, True), ("lt", 6, 6, False), ("lt", 6, None, False),
    ("lte", 6, 6, True), ("lte", 6, 7, False), ("lte", 6, MISSING, False),
    ("lte", 6, True, False), ("lte", 6.5, 6.5, True),
    ("between", [1, 5], 1, True), ("between", [1, 5], 5, True),
    ("between", [1, 5], 5.01, False), ("between", [1, 5], 0, False),
    ("between", [1, 5], "3", False), ("between", [1, 5], MISSING, False),
    ("between", [3, 3], 3, True),
    ("in", [1, 2], 2, True), ("in", [1, 2], 2.0, True), ("in", [1, 2], 3, False),
    ("in", [1, 2], "2", False), ("in", [1, 2], [2], False), ("in", [1, 2], MISSING, False),
    ("in", [1, 0], False, False), ("in", [0, 2], 0, True), ("in", [0, 2], -0.0, True),
    ("not_in", [1, 2], 3, True), ("not_in", [1, 2], 2, False), ("not_in", [1, 2], MISSING, True),
    ("not_in", [1, 2], "2", True),
    ("empty", MISSING, MISSING, True), ("empty", MISSING, None, True),
    ("empty", MISSING, 0, False), ("empty", None, "", True),
    ("not_empty", MISSING, 0, True), ("not_empty", MISSING, MISSING, False),
]

TEXT_CASES = [
    # Text comparisons ignore case and the spaces around a text, on both sides.
    ("eq", "Athens", "Athens", True), ("eq", "athens", "Athens", True),
    ("eq", "athens", "ATHENS", True), ("eq", "athens", "athens ", True),
    ("eq", " Athens", "\tATHENS\n", True), ("eq", "athens", "a thens", False),
    ("eq", "athens", "athens!", False), ("eq", "Σοφία", "ΣΟΦΊΑ", True),
    ("eq", "οδός", "ΟΔΌΣ", True), ("eq", "ΟΔΟΣ", "οδοσ", True), ("eq", "σοφια", "σοφία", False),
    ("eq", "straße", "STRASSE", False), ("eq", "kelvin", "\u212aelvin", True),
    ("eq", "Athens", MISSING, False), ("eq", "5", 5, False), ("eq", "", "", True),
    ("eq", "", "  ", True),
    ("neq", "Athens", "athens", False), ("neq", "Athens", "Patras", True),
    ("neq", "Athens", MISSING, True), ("neq", "5", 5, True),
    ("in", ["athens", "thessaloniki"], "athens", True),
    ("in", ["athens", "thessaloniki"], "Athens", True),
    ("in", ["athens ", "Thessaloniki"], " THESSALONIKI ", True),
    ("in", ["athens", "thessaloniki"], "patras", False),
    ("in", ["athens", "thessaloniki"], MISSING, False),
    ("in", ["athens", "thessaloniki"], ["athens"], False),
    ("not_in", ["athens"], "patras", True), ("not_in", ["athens"], "ATHENS ", False),
    ("not_in", ["athens"], MISSING, True), ("not_in", ["athens"], ["athens"], True),
    ("contains", "LATE", "delivery was late", True), ("contains", "late", "on time", False),
    ("contains", "άργησε", "Η ΠΑΡΆΔΟΣΗ ΆΡΓΗΣΕ", True), ("contains", "ης", "ΑΡΓΗΣ", True),
    ("contains", " late ", "late", True),
    ("contains", "late", MISSING, False), ("contains", "5", 5, False),
    ("not_contains", "late", "on time", True), ("not_contains", "late", "Late!", False),
    ("not_contains", "late", MISSING, True),
    ("starts_with", "Great", "great service", True),
    ("starts_with", "great", "not great", False), ("starts_with", "ΓΕΙΑ", "γεια σας", True),
    ("starts_with", "great", MISSING, False),
    ("ends_with", "Thanks", "many thanks", True), ("ends_with", "thanks", "thanks a lot", False),
    ("ends_with", "thanks", "many thanks \n", True), ("starts_with", "great", "  Great!", True),
    ("ends_with", "thanks", None, False),
    ("regex", r"^\+30[0-9]{10}$", "+306912345678", True),
    ("regex", r"^\+30[0-9]{10}$", "6912345678", False),
    ("regex", "late", "so late!", True), ("regex", "Late", "so late!", False),
    ("regex", "(?i)late", "SO LATE", True), ("regex", "late", MISSING, False),
    ("regex", "5", 5, False), ("regex", "late", "\ud800late", False),
    ("empty", MISSING, "", True), ("empty", MISSING, MISSING, True),
    ("empty", MISSING, " ", False),
    ("not_empty", MISSING, "x", True), ("not_empty", MISSING, "", False),
]

DATE_CASES = [
    ("eq", "2026-11-01", date(2026, 11, 1), True), ("eq", "2026-11-01", date(2026, 11, 2), False),
    ("eq", "2026-11-01", "2026-11-01", False),
    ("eq", "2026-11-01", datetime(2026, 11, 1), False),
    ("eq", "2026-11-01", MISSING, False),
    ("neq", "2026-11-01", date(2026, 11, 2), True), ("neq", "2026-11-01", MISSING, True),
    ("neq", "2026-11-01", date(2026, 11, 1), False),
    ("gt", "2026-11-01", date(2026, 11, 2), True), ("gt", "2026-11-01", date(2026, 11, 1), False),
    ("gte", "2026-11-01", date(2026, 11, 1), True), ("gte", "2026-11-01", MISSING, False),
    ("lt", "2026-11-01", date(2026, 10, 31), True), ("lt", "2026-11-01", date(2026, 11, 1), False),
    ("lte", "2026-11-01", date(2026, 11, 1), True), ("lte", "2026-11-01", "2026-01-01", False),
    ("between", ["2026-11-01", "2026-11-30"], date(2026, 11, 1), True),
    ("between", ["2026-11-01", "2026-11-30"], date(2026, 11, 30), True),
    ("between", ["2026-11-01", "2026-11-30"], date(2026, 12, 1), False),
    ("between", ["2026-11-01", "2026-11-30"], MISSING, False),
    ("within_last_days", 30, TODAY, True), ("within_last_days", 30, days_ago(30), True),
    ("within_last_days", 30, days_ago(31), False), ("within_last_days", 30, days_ago(-1), False),
    ("within_last_days", 30, MISSING, False), ("within_last_days", 30, TODAY.isoformat(), False),
    ("within_last_days", 0, TODAY, True), ("within_last_days", 0, days_ago(1), False),
    ("within_last_days", 30, datetime(2026, 11, 27, 10), False),
    ("more_than_days_ago", 30, days_ago(31), True), ("more_than_days_ago", 30, days_ago(30), False),
    ("more_than_days_ago", 0, days_ago(1), True), ("more_than_days_ago", 0, TODAY, False),
    ("more_than_days_ago", 30, MISSING, False), ("more_than_days_ago", 30, date.min, True),
    ("empty", MISSING, MISSING, True), ("empty", MISSING, TODAY, False),
    ("not_empty", MISSING, TODAY, True), ("not_empty", MISSING, None, False),
]

BOOLEAN_CASES = [
    ("eq", True, True, True), ("eq", True, False, False), ("eq", True, 1, False),
    ("eq", True, "true", False), ("eq", True, MISSING, False),
    ("eq", False, False, True), ("eq", False, 0, False), ("eq", False, MISSING, False),
    ("neq", True, False, True), ("neq", True, True, False), ("neq", True, MISSING, True),
    ("neq", True, 1, True),
    ("empty", MISSING, MISSING, True), ("empty", MISSING, False, False),
    ("not_empty", MISSING, False, True), ("not_empty", MISSING, None, False),
]

LIST_CASES = [
    ("contains", "sku1", ["sku1", "sku2"], True), ("contains", "sku1", ["sku2"], False),
    ("contains", "sku1", [], False), ("contains", "sku1", "sku1", False),
    ("contains", "sku1", ["SKU1 "], True), ("contains", "sku1", [["sku1"]], False),
    ("contains", "sku1", ["sku12"], False),
    ("contains", "sku1", MISSING, False),
    ("not_contains", "sku1", ["sku2"], True), ("not_contains", "sku1", ["sku1"], False),
    ("not_contains", "sku1", MISSING, True),
    ("in", ["sku1", "sku9"], ["sku2", "sku9"], True), ("in", ["sku1", "sku9"], ["sku2"], False),
    ("in", ["sku1", "sku9"], [], False), ("in", ["sku1"], [["sku1"], "sku1"], True),
    ("in", ["sku1"], [["sku1"]], False), ("in", ["sku1"], [{"a": 1}, 1, None], False),
    ("in", ["sku1"], "sku1", False), ("in", ["sku1"], MISSING, False),
    ("in", ["Shoes", "bags"], ["BAGS"], True),
    ("not_in", ["sku1"], ["sku2"], True), ("not_in", ["sku1"], ["sku1"], False),
    ("not_in", ["sku1"], MISSING, True), ("not_in", ["sku1"], [["sku1"]], True),
    ("empty", MISSING, [], True), ("empty", MISSING, MISSING, True),
    ("empty", MISSING, ["a"], False),
    ("not_empty", MISSING, ["a"], True), ("not_empty", MISSING, [], False),
]

ALL_CASES = [
    pytest.param(field_type, *case, id=f"{field_type}-{case[0]}-{index}")
    for field_type, cases in [
        ("number", NUMBER_CASES), ("text", TEXT_CASES), ("date", DATE_CASES),
        ("boolean", BOOLEAN_CASES), ("list", LIST_CASES),
    ]
    for index, case in enumerate(cases)
]


@pytest.mark.parametrize(("field_type", "op", "constant", "value", "expected"), ALL_CASES)
def test_it_applies_each_operator(field_type, op, constant, value, expected):
    assert decide_condition(field_type, op, constant, value) is expected


def test_it_covers_every_operator_of_every_type():
    covered = {(param.values[0], param.values[1]) for param in ALL_CASES}
    expected = {(kind, op) for kind, ops in OPERATORS_BY_TYPE.items() for op in ops}
    assert covered == expected


NPS_AND_STORE = {
    "any": [
        {"all": [
            {"field": "answers.nps", "op": "lte", "value": 6},
            {"field": "questionnaire.store_id", "op": "in", "value": ["athens", "thessaloniki"]},
        ]},
        {"all": [
            {"field": "answers.rating", "op": "lte", "value": 2},
            {"any": [
                {"field": "responder.email", "op": "ends_with", "value": "@example.com"},
                {"field": "questionnaire.amount", "op": "gte", "value": 100},
            ]},
        ]},
    ]
}


@pytest.mark.parametrize(("values", "expected"), [
    ({"answers.nps": 3, "questionnaire.store_id": "athens"}, True),
    ({"answers.nps": 3, "questionnaire.store_id": "patras"}, False),
    ({"answers.rating": 1, "questionnaire.amount": 150}, True),
    ({"answers.rating": 1, "responder.email": "a@example.com"}, True),
    ({"answers.rating": 1, "responder.email": "a@shop.gr", "questionnaire.amount": 99.5}, False),
    ({"answers.rating": 3, "questionnaire.amount": 150}, False),
    ({}, False),
])
def test_it_combines_nested_all_and_any(values, expected):
    assert decide(NPS_AND_STORE, values) is expected


def test_an_empty_all_matches_everything():
    assert decide({"all": []}, {}) is True
    assert decide({"any": [{"all": []}]}, {}) is True


@pytest.mark.parametrize(("rule", "path"), [
    ({"any": []}, ""),
    ({"all": [{"field": "answers.nps", "op": "lte", "value": 6}, {"any": []}]}, "all[1]"),
    ({"any": [{"field": "answers.nps", "op": "lte", "value": 6}, {"all": [{"any": []}]}]},
     "any[1].all[0]"),
])
def test_an_empty_any_group_is_a_problem_on_that_group(rule, path):
    # It would match no one and silently zero the group it sits in.
    problems = validate(rule)
    assert [problem.path for problem in problems] == [path]
    assert "“any of” group needs at least one condition" in problems[0].message
    with pytest.raises(InvalidRule):
        compile_rule(rule)


def test_a_single_condition_can_be_the_root():
    assert decide({"field": "answers.nps", "op": "gte", "value": 9}, {"answers.nps": 10})


def test_it_infers_types_without_field_types():
    assert decide({"field": "answers.nps", "op": "lte", "value": 6}, {"answers.nps": 6})
    assert decide({"field": "answers.happy", "op": "eq", "value": True}, {"answers.happy": True})
    assert decide({"field": "answers.visit", "op": "gte", "value": "2026-11-01"},
                  {"answers.visit": date(2026, 11, 2)})
    assert decide({"field": "answers.visit", "op": "within_last_days", "value": 3},
                  {"answers.visit": TODAY})
    # A string with eq stays text, so a date value is of the wrong type.
    assert not decide({"field": "answers.code", "op": "eq", "value": "2026-11-01"},
                      {"answers.code": date(2026, 11, 1)})
    assert decide({"field": "answers.city", "op": "in", "value": ["athens"]},
                  {"answers.city": "athens"})


def test_standard_metadata_has_its_types_without_field_types():
    assert METADATA_FIELD_TYPES["questionnaire.products"] == "list"
    rule = {"field": "questionnaire.products", "op": "contains", "value": "sku1"}
    assert decide(rule, {"questionnaire.products": ["sku1"]})
    assert not decide(rule, {"questionnaire.products": "sku10"})


def test_declared_field_types_win_over_guesses():
    rule = {"field": "answers.choices", "op": "contains", "value": "red"}
    assert decide(rule, {"answers.choices": "reddish"})
    assert not decide(rule, {"answers.choices": "reddish"}, {"answers.choices": "list"})
    assert decide(rule, {"answers.choices": ["red"]}, {"answers.choices": "list"})


def test_it_reports_every_problem_with_its_path():
    rule = {
        "any": [
            {"field": "answers.nps", "op": "lte", "value": 6},
            {"all": [
                {"field": "orders.total", "op": "gt", "value": 5},
                {"field": "answers.comment", "op": "regex", "value": "(unclosed"},
            ]},
            {"field": "answers.rating", "op": "between", "value": [5, 1]},
        ]
    }
    problems = validate(rule)
    assert [problem.path for problem in problems] == [
        "any[1].all[0].field", "any[1].all[1].value", "any[2].value",
    ]
    assert "answers., questionnaire., responder." in problems[0].message
    assert "regular expression" in problems[1].message
    assert "low" in problems[2].message


def test_compile_rule_raises_with_every_problem():
    rule = {"all": [{"field": "answers.nps", "op": "lte"}, {"field": "answers.x", "op": "nope"}]}
    with pytest.raises(InvalidRule) as raised:
        compile_rule(rule)
    assert [problem.path for problem in raised.value.problems] == ["all[0].value", "all[1].op"]
    assert "all[0].value" in str(raised.value)


@pytest.mark.parametrize(("rule", "path", "fragment"), [
    ([], "", "must be a group"),
    ({}, "", "neither a group"),
    ({"all": [], "any": []}, "", "both"),
    ({"all": {}}, "all", "must be a list"),
    ({"all": [], "name": "x"}, "name", "not allowed in a group"),
    ({"all": [{"field": "answers.a", "op": "empty", "note": 1}]}, "all[0].note", "not allowed"),
    ({"field": "answers.a", "op": "empty", "value": 1}, "value", "takes no value"),
    ({"op": "empty"}, "field", "missing"),
    ({"field": "answers.", "op": "empty"}, "field", "letters, digits"),
    ({"field": "answers.a b", "op": "empty"}, "field", "letters, digits"),
    ({"field": "answers.a", "op": "lte", "value": True}, "op", "not allowed on a boolean"),
    ({"field": "answers.a", "op": "eq", "value": float("nan")}, "value", "must be a number"),
    ({"field": "answers.a", "op": "in", "value": []}, "value", "non-empty list"),
    ({"field": "answers.a", "op": "in", "value": ["a", 1]}, "value", "each item a text"),
    ({"field": "answers.a", "op": "between", "value": [1]}, "value", "two values"),
    ({"field": "answers.a", "op": "between", "value": ["2026-12-01", "2026-11-01"]},
     "value", "low"),
    ({"field": "answers.a", "op": "gt", "value": "2026-02-30"}, "op", "not allowed on a text"),
    ({"field": "questionnaire.transaction_date", "op": "eq", "value": "2026-02-30"},
     "value", "YYYY-MM-DD"),
    ({"field": "questionnaire.transaction_date", "op": "eq", "value": "20261101"},
     "value", "YYYY-MM-DD"),
    ({"field": "answers.a", "op": "within_last_days", "value": -1}, "value", "whole number"),
    ({"field": "answers.a", "op": "within_last_days", "value": 2.0}, "value", "whole number"),
    ({"field": "answers.a", "op": "more_than_days_ago", "value": True}, "value", "whole number"),
    ({"field": "answers.a", "op": "contains", "value": ""}, "value", "non-empty text"),
    ({"field": "answers.a", "op": "starts_with", "value": " \t"}, "value", "non-empty text"),
    ({"field": "answers.a", "op": "regex", "value": "(?=look)"}, "value", "regular expression"),
    ({"field": "answers.a", "op": "regex", "value": "\ud800"}, "value", "regular expression"),
    ({"field": "answers.a", "op": "drop_table"}, "op", "not an operator"),
])
def test_it_rejects_invalid_rules(rule, path, fragment):
    problems = validate(rule)
    assert any(problem.path == path and fragment in problem.message for problem in problems), (
        problems
    )


def test_it_rejects_unknown_fields_when_field_types_are_given():
    rule = {"field": "answers.nps", "op": "lte", "value": 6}
    assert validate(rule, {"answers.nps": "number"}) == []
    assert validate(rule, {"answers.other": "number"}) == [
        Problem("field", "is not a known field")
    ]
    assert [p.path for p in validate(rule, {"answers.nps": "colour"})] == ["field"]


def test_it_limits_depth_and_size():
    deep = {"field": "answers.a", "op": "empty"}
    for _ in range(6):
        deep = {"all": [deep]}
    assert [p.path for p in validate(deep)] == ["all[0].all[0].all[0].all[0].all[0]"]
    assert validate(deep["all"][0]) == []

    many = {"any": [{"field": "answers.a", "op": "eq", "value": n} for n in range(101)]}
    assert [p.message for p in validate(many)] == [
        "has 101 conditions; at most 100 are allowed"
    ]
    assert validate({"any": many["any"][:100]}) == []


def test_a_hostile_deep_tree_does_not_exhaust_the_stack():
    deep: dict = {"field": "answers.a", "op": "empty"}
    for _ in range(50_000):
        deep = {"any": [deep]}
    assert len(validate(deep)) == 1
    assert condition_count(deep) == 1


INJECTIONS = [
    "'); import os; os.system('x') #",
    '"); import os; os.system("x") #',
    "__import__('os').system('x')",
    "{c}) or (True",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_a_value_is_data_never_code(payload, monkeypatch):
    def forbidden(*args):
        raise AssertionError("a rule's value was executed")

    monkeypatch.setattr(os, "system", forbidden)
    for op in ("eq", "contains", "starts_with", "in"):
        value = [payload] if op == "in" else payload
        predicate = compile_rule({"field": "answers.comment", "op": op, "value": value})
        assert payload not in predicate.source
        assert predicate({"answers.comment": payload}, TODAY) is True
        assert predicate({"answers.comment": "harmless"}, TODAY) is False


@pytest.mark.parametrize("field", [
    "answers.x\") or True or (\"", "answers.x'] or True #", "answers.__import__('os')",
    "answers.x\nimport os",
])
def test_a_field_name_with_code_is_refused(field):
    rule = {"field": field, "op": "eq", "value": "a"}
    assert [p.path for p in validate(rule, {field: "text"})] == ["field"]
    with pytest.raises(InvalidRule):
        compile_rule(rule)


def test_the_generated_source_holds_no_rule_text():
    rule = {"all": [
        {"field": "responder.email", "op": "ends_with", "value": "@Example.com"},
        {"field": "answers.nps", "op": "between", "value": [3, 6]},
        {"field": "answers.visit", "op": "within_last_days", "value": 7},
    ]}
    source = compile_rule(rule).source
    literals = {node.value for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Constant)}
    assert literals <= {0}  # the template's own "0 <= days", nothing from the rule
    assert "email" not in source and "nps" not in source


def test_it_explains_why_a_rule_did_not_match():
    rule = {"all": [
        {"field": "answers.nps", "op": "lte", "value": 6},
        {"field": "questionnaire.store_id", "op": "in", "value": ["athens", "thessaloniki"]},
        {"field": "responder.email", "op": "not_empty"},
    ]}
    values = {"answers.nps": 9, "responder.email": "a@b.gr"}
    assert explain(rule, values, TODAY) == [
        "answers.nps ≤ 6 failed: value is 9",
        "questionnaire.store_id is in [athens, thessaloniki] failed: no value",
    ]


def test_it_explains_nothing_when_the_rule_matches():
    assert explain(NPS_AND_STORE, {"answers.nps": 1, "questionnaire.store_id": "athens"},
                   TODAY) == []


def test_it_explains_every_alternative_of_a_failed_any():
    rule = {"any": [
        {"field": "answers.rating", "op": "eq", "value": 1},
        {"field": "questionnaire.transaction_date", "op": "within_last_days", "value": 7},
        {"field": "answers.comment", "op": "contains", "value": "late"},
    ]}
    values = {"answers.rating": "one", "questionnaire.transaction_date": days_ago(10),
              "answers.comment": ""}
    assert explain(rule, values, TODAY) == [
        "answers.rating = 1 failed: value is \"one\", which is not a number",
        "questionnaire.transaction_date is within the last 7 days failed: "
        "value is 2026-11-17 (10 days ago)",
        "answers.comment contains \"late\" failed: value is \"\"",
    ]


def test_explain_agrees_with_the_match():
    for values in ({}, {"answers.nps": 2}, {"answers.nps": 2, "questionnaire.store_id": "athens"},
                   {"answers.rating": 1, "questionnaire.amount": 500}):
        matched = evaluate_reference(NPS_AND_STORE, values, TODAY)
        assert (explain(NPS_AND_STORE, values, TODAY) == []) is matched


def test_it_counts_conditions_and_lists_fields():
    assert condition_count(NPS_AND_STORE) == 5
    assert condition_count({"all": []}) == 0
    assert fields_used(NPS_AND_STORE) == {
        "answers.nps", "questionnaire.store_id", "answers.rating", "responder.email",
        "questionnaire.amount",
    }
