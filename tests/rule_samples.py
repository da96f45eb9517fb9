"""A valid condition for any (field type, operator) of the rule schema, from what the
operator takes: the operator tables' completeness tests run each pair through it."""

from kairos.engine.rules import OPERATORS_BY_TYPE
from kairos.engine.rules.schema import OPERATORS

SCALARS = {"number": 6, "text": "Athens", "date": "2026-11-01", "boolean": True,
           "list": "sku1"}
OTHER_SCALARS = {"number": 9, "text": "Patras", "date": "2026-11-20", "boolean": True,
                 "list": "sku2"}


def sample_condition(field: str, field_type: str, op: str) -> dict:
    kind = OPERATORS[op].value
    low, high = SCALARS[field_type], OTHER_SCALARS[field_type]
    value = {
        "none": None, "scalar": low, "fragment": low, "pattern": "^(?i)ath",
        "pair": [low, high], "items": [low, high], "days": 30,
    }[kind]
    condition = {"field": field, "op": op}
    if value is not None:
        condition["value"] = value
    return condition


EVERY_PAIR = [(field_type, op) for field_type, ops in OPERATORS_BY_TYPE.items() for op in ops]
