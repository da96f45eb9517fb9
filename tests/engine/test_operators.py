"""One meaning per operator: schema.OPERATORS says what each takes and what it negates, and
every table that gives an operator its meaning in the engine covers exactly the schema.
(The SQL builders and the builder's words are checked in tests/segments.)"""

import importlib
from datetime import date

import pytest
from rule_samples import EVERY_PAIR, sample_condition

from kairos.engine.rules import (
    OPERATORS_BY_TYPE,
    compile_rule,
    compiler,
    evaluate_reference,
    explain,
    reference,
    validate,
    validation,
)
from kairos.engine.rules.schema import (
    OPERATORS,
    POSITIVE_OF_NEGATED,
    POSITIVE_PAIRS,
    VALUE_KINDS,
)

TODAY = date(2026, 11, 27)
# The package exports the function explain() under the module's name.
explain_module = importlib.import_module("kairos.engine.rules.explain")


def test_every_operator_is_described_once_and_offered_for_some_type():
    offered = {op for ops in OPERATORS_BY_TYPE.values() for op in ops}
    assert offered == set(OPERATORS)
    assert all(operator.value in VALUE_KINDS for operator in OPERATORS.values())


@pytest.mark.parametrize(("negated", "positive"), sorted(POSITIVE_OF_NEGATED.items()))
def test_a_negated_operator_has_its_twin_wherever_it_is_offered(negated, positive):
    for ops in OPERATORS_BY_TYPE.values():
        assert (negated in ops) is (positive in ops)
    assert OPERATORS[negated].value == OPERATORS[positive].value


def test_the_compiler_and_the_reference_define_every_positive_pair():
    assert set(compiler._TEMPLATES) == set(POSITIVE_PAIRS)
    assert set(reference._POSITIVE_TESTS) == set(POSITIVE_PAIRS)


def test_validation_checks_every_kind_of_value():
    assert set(validation._VALUE_CHECKS) == set(VALUE_KINDS) - {"none"}


def test_explain_has_words_for_every_operator():
    symbols, phrases = set(explain_module._SYMBOLS), set(explain_module._PHRASES)
    assert symbols.isdisjoint(phrases)
    assert symbols | phrases == set(OPERATORS)


@pytest.mark.parametrize(("field_type", "op"), EVERY_PAIR)
def test_every_pair_validates_compiles_and_explains(field_type, op):
    condition = sample_condition("answers.x", field_type, op)
    field_types = {"answers.x": field_type}
    assert validate(condition, field_types) == []
    for values in ({}, {"answers.x": "a value of some other type" if field_type != "text"
                        else 12}):
        matched = compile_rule(condition, field_types)(values, TODAY)
        assert matched is evaluate_reference(condition, values, TODAY, field_types)
        reasons = explain(condition, values, TODAY, field_types)
        assert (reasons == []) is matched
        assert all(reason.startswith("answers.x ") for reason in reasons)
