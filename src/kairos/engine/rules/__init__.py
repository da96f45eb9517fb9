"""Segment rules: a tree of conditions over one questionnaire response.

Standard library and re2 only; no Django. The SQL compilation of a rule (in
kairos.segments) must agree with every sentence below.

The tree
--------
A group is {"all": [child, ...]} (AND) or {"any": [child, ...]} (OR), nested at most
5 groups deep, with at most 100 conditions in all. {"all": []} matches everything; an
empty {"any": []} would match nothing, silently zeroing the group it sits in, so it is a
validation problem. A condition is {"field": ..., "op": ..., "value": ...}; the
root may be a group or a single condition.

Fields are "answers.<question key>", "questionnaire.<metadata key>" or
"responder.<metadata key>"; the key is 1 to 64 letters, digits, "_" or "-".

Field types
-----------
A field's type is, in this order: what `field_types` says; for the standard metadata,
METADATA_FIELD_TYPES (transaction_date is a date, amount a number, products a list, the
others text); otherwise a guess from the condition:
  - within_last_days or more_than_days_ago: date;
  - a bool value: boolean; a number (or a list or pair starting with one): number;
  - an ISO "YYYY-MM-DD" string with gt, gte, lt, lte or between: date (with eq, neq, in
    or not_in such a string stays text);
  - no value at all: the first of text, number, date that has the operator (so a
    forgotten value is reported as missing, not as a wrong operator);
  - anything else (strings, lists of strings): text — so a list field needs
    `field_types`.
Pass `field_types` to be exact: with it, a field it does not list is a validation
problem.

Constants
---------
A number constant is a finite int or float (not a bool); a date constant is a strict
"YYYY-MM-DD" string; text constants have at most 1000 characters, and those of
contains, not_contains, starts_with, ends_with and regex are not empty (nor only white
space, but for regex); in and not_in take 1 to 1000 items; between takes [low, high] with
low <= high; N of the relative date operators is an int from 0 to 36500; empty and
not_empty take no value (null is accepted). A regex is a pattern of the dialect
kairos.engine.rules.dialect describes: what re2 and PostgreSQL evaluate the same way.
What each operator takes is schema.OPERATORS.

Values
------
A response is a flat mapping from field path to value. A missing key or None is "no
value". The value of a number field is an int or a float (a bool is not a number; a
Decimal must be converted to float by the caller); of a text field a str; of a date field a
datetime.date, not a datetime (its day depends on the shop's time zone, so the caller
converts); of a boolean field a bool; of a list field a list of strings. Anything else
is a value of the wrong type. Nothing a response contains can make a predicate raise.

Texts
-----
Text comparisons (eq, in, contains, starts_with, ends_with, and the elements of a list)
ignore upper and lower case and the white space around a text, on both sides: each text
is compared in its normal form, normalise(t) = fold(t.strip()) (kairos.engine.rules.text),
where fold maps every letter to one representative of the letters re2's (?i) takes for
it ("Athens", "ATHENS" and "athens " all equal "athens"; σ, ς and Σ are one letter). A
regular expression is the one exception: it sees the text as it is.

Operators
---------
Positive operators are False when there is no value or the value has the wrong type:
  eq, gt, gte, lt, lte     Python comparison; int and float compare numerically, dates
                           by day. eq on text compares normal forms.
  between [low, high]      low <= value <= high, both bounds included.
  in [a, b, ...]           number, text: the value equals one of the items.
                           list: at least one element equals one of the items.
  contains x               text: normalise(x) is a substring of normalise(value).
                           list: one element equals x.
  starts_with, ends_with   text: normalise(value) starts (ends) with normalise(x).
  regex p                  text: re2 search (a match anywhere, case-sensitive unless the
                           pattern says (?i)) in the dialect of kairos.engine.rules.dialect,
                           which every database evaluates the same way. A text re2 cannot
                           encode (a lone surrogate) never matches.
  within_last_days N       date: today - N <= value <= today (N = 0 means today only).
  more_than_days_ago N     date: value < today - N.
  empty                    no value, "" or [] — whatever the field's type (a value of
                           the wrong type is a value, so it is not empty).
Negated operators are exactly `not` their positive twin, so they are True on no value
and on a value of the wrong type: neq (not eq), not_in (not in), not_contains (not
contains), not_empty (not empty).
Elements of a list that are not strings never equal a (string) constant. A float NaN
equals and orders with nothing, as in Python.

`today` is the shop's local date, passed in by the caller, never read from a clock.
"""

from .compiler import Predicate, compile_rule
from .explain import explain
from .reference import evaluate_reference
from .schema import (
    FIELD_TYPES,
    MAX_CONDITIONS,
    MAX_DEPTH,
    METADATA_FIELD_TYPES,
    OPERATORS_BY_TYPE,
)
from .tree import condition_count, fields_used
from .validation import InvalidRule, Problem, validate

__all__ = [
    "FIELD_TYPES",
    "MAX_CONDITIONS",
    "MAX_DEPTH",
    "METADATA_FIELD_TYPES",
    "OPERATORS_BY_TYPE",
    "InvalidRule",
    "Predicate",
    "Problem",
    "compile_rule",
    "condition_count",
    "evaluate_reference",
    "explain",
    "fields_used",
    "validate",
]
