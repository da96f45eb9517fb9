"""The regex dialect: which patterns a rule may use, and that the parser reads them as re2
does (every class resolved into the exact characters re2 matches)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rule_patterns import PATTERNS, TEXTS, TRICKY_TEXTS

from kairos.engine.rules import dialect, validate
from kairos.engine.rules.dialect import Refused, parse
from kairos.engine.rules.schema import compile_pattern, regex_matches

SETTINGS = settings(max_examples=400, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def refusal(pattern: str) -> str | None:
    try:
        parse(pattern)
    except Refused as error:
        return str(error)
    return None


@pytest.mark.parametrize("pattern", [
    "late", "(?i)late", "^\\+30[0-9]{10}$", "a(?i)b", "(?P<x>a)", "(?<x>a)", "a\\z", "\\Aa",
    "\\Qa.b\\E", "[\\d-]", "[-\\w]", "[]a]", "[^]a]", "x|", "(|a)", "(?i:σ)", "(?s).",
    "\\x{3B1}+", "a*?", "(?U)a+", "[α-ωά-ώ]{2,5}", "a{200}", "(a{10}){20}", "(^|\\s)late",
])
def test_it_accepts_what_postgresql_can_evaluate_as_re2_does(pattern):
    compile_pattern(pattern)
    assert refusal(pattern) is None


@pytest.mark.parametrize(("pattern", "reason"), [
    # The patterns of issue 9 that made previews answer 500 or count wrongly on PostgreSQL.
    ("\\pL", "Unicode class"), ("\\p{Greek}", "Unicode class"), ("a{300}", "repeats too much"),
    ("[\\d-z]", "put it first or last"), ("\\bfoo\\b", "word boundary"),
    ("[[:alpha:]]", "POSIX class"), ("x\\B", "word boundary"),
    # What PostgreSQL would give up on or take seconds over.
    ("(?:a?){250}", "repeats too much"), ("((a?){10}){30}", "repeats too much"),
    ("(a?(^|$)){20}", "cannot be repeated"), ("(^a)*", "cannot be repeated"),
    ("\\z+", "cannot be repeated"),
    # Syntax re2 reads in its own way.
    ("a{,3}", "not a repetition"), ("a{2", "not a repetition"), ("[a-z-0]", "first or last"),
    ("(?m)^a$", "the flag “m”"), ("\\101", "write the character itself"),
    ("\\C", "write the character itself"), ("\\Qa\\\\b\\E", "inside \\Q…\\E"),
])
def test_it_refuses_the_rest_with_a_reason(pattern, reason):
    compile_pattern(pattern)  # re2 takes every one of them
    assert reason in (refusal(pattern) or "")
    problems = validate({"field": "answers.comment", "op": "regex", "value": pattern},
                        {"answers.comment": "text"})
    assert [problem.path for problem in problems] == ["value"]
    assert reason in problems[0].message


def test_a_refusal_can_be_translated():
    problem, = validate({"field": "answers.c", "op": "regex", "value": "\\bx"},
                        {"answers.c": "text"})
    assert problem.template == dialect.WORD_BOUNDARY
    assert problem.message == problem.template % problem.params


def test_every_marked_message_of_the_engine_is_a_constant():
    # makemessages and the Greek catalogue can only know messages marked as literals.
    engine = Path(dialect.__file__).parent
    for module in engine.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop":
                assert all(isinstance(arg, ast.Constant) for arg in node.args), module


def test_case_folding_follows_re2():
    assert parse("(?i)σ") == parse("[σςΣ]")
    assert parse("(?i)k") == parse("[kK\u212a]")
    assert parse("(?i)[^k]") == parse("[^kK\u212a]")
    assert parse("(?i)\\W") != parse("\\W")  # re2: the Kelvin sign is a (?i)\w


# ---- the parse agrees with re2 on generated patterns -------------------------------------

def python_regex(node) -> str:
    """The parsed pattern as Python's `re` reads it: explicit sets, text anchors."""
    if isinstance(node, dialect.CharacterSet):
        if not node.ranges:
            return "(?!)"
        return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in node.ranges) + "]"
    if isinstance(node, dialect.Anchor):
        return "\\A" if node.at == "start" else "\\Z"
    if isinstance(node, dialect.Sequence):
        return "".join(python_regex(item) for item in node.items)
    if isinstance(node, dialect.Alternation):
        return "(?:" + "|".join(python_regex(option) for option in node.options) + ")"
    high = "" if node.high is None else node.high
    return f"(?:{python_regex(node.item)}){{{node.low},{high}}}"


def accepted(pattern: str) -> bool:
    try:
        compile_pattern(pattern)
        parse(pattern)
    except ValueError:  # Refused is a ValueError too
        return False
    return True


@SETTINGS
@given(pattern=PATTERNS, texts=st.lists(TEXTS, max_size=6))
def test_the_parse_matches_exactly_what_re2_matches(pattern, texts):
    assume(accepted(pattern))
    explicit = re.compile(python_regex(parse(pattern)))
    by_re2 = compile_pattern(pattern)
    for text in [*TRICKY_TEXTS, *texts]:
        assert (explicit.search(text) is not None) is regex_matches(by_re2, text), (
            pattern, text)


@settings(SETTINGS, max_examples=100)
@given(pattern=PATTERNS)
def test_every_pattern_re2_takes_is_accepted_or_refused_with_a_reason(pattern):
    try:
        compile_pattern(pattern)
    except ValueError:
        return
    try:
        parse(pattern)
    except Refused as error:
        assert error.template and str(error) == error.template % error.params
