"""How rules compare texts: normal forms that ignore case and surrounding spaces, folded
exactly as re2's (?i) folds, and reproducible in SQL with translate()."""

from __future__ import annotations

import sys

import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_patterns import TEXT_ALPHABET

from kairos.engine.rules import text
from kairos.engine.rules.text import WHITESPACE, fold, normalise, orbit, translation_for

SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
EVERY_CHARACTER = [chr(point) for point in range(sys.maxunicode + 1)
                   if not 0xD800 <= point <= 0xDFFF]
CHARACTERS = st.one_of(st.sampled_from(TEXT_ALPHABET), st.sampled_from(text.cased_characters()),
                       st.characters(exclude_categories=["Cs"]))
TEXTS = st.text(alphabet=CHARACTERS, max_size=8)


def test_the_listed_white_space_is_every_character_python_strips():
    assert "".join(char for char in EVERY_CHARACTER if char.isspace()) == WHITESPACE


def test_no_character_past_the_last_cased_one_has_another_case():
    assert all(char.lower() == char.upper() == char.casefold() == char
               for char in EVERY_CHARACTER[text._LAST_CASED + 1 - 0x800:])


def test_ascii_letters_fold_to_their_lower_case():
    # fold() takes the quick str.lower() for ASCII texts; this is what makes that right.
    ascii_characters = "".join(map(chr, range(128)))
    assert ascii_characters.translate(text._fold_table()) == ascii_characters.lower()


def test_it_ignores_case_and_surrounding_spaces():
    assert normalise(" Athens\n") == normalise("ATHENS") == normalise("athens") == "athens"
    assert normalise("ΟΔΟΣ") == normalise("οδός".replace("ό", "ο")) == normalise("οδοσ")
    assert normalise("\u212aelvin") == "kelvin"
    assert normalise("a  b") != normalise("a b")
    assert normalise("straße") != normalise("STRASSE")  # folding is one letter to one


@SETTINGS
@given(first=CHARACTERS, second=CHARACTERS)
def test_two_characters_fold_alike_exactly_when_re2_ignoring_case_takes_one_for_the_other(
        first, second):
    same_for_re2 = re2.compile("(?i)" + re2.escape(first)).fullmatch(second) is not None
    assert (fold(first) == fold(second)) is same_for_re2
    assert (second in orbit(first)) is same_for_re2


ASCII_CAPITALS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@SETTINGS
@given(value=TEXTS, constant=TEXTS)
def test_translate_with_the_constants_letters_is_enough_to_compare(value, constant):
    # What PostgreSQL is given: btrim() with WHITESPACE, lower() of the ASCII capitals
    # (the "C" collation), translate() with the other cases of the constant's letters.
    needle = normalise(constant)
    sources, targets = translation_for([needle])
    as_sql = (value.strip(WHITESPACE).translate(ASCII_CAPITALS)
              .translate(str.maketrans(sources, targets)))
    assert (as_sql == needle) is (normalise(value) == needle)
    assert (needle in as_sql) is (needle in normalise(value))
    assert as_sql.startswith(needle) is normalise(value).startswith(needle)
