"""How rules compare texts: ignoring upper and lower case and the spaces around a text.

    normalise(text) = fold(text.strip())

`fold` maps every character to one representative of its case orbit: the characters
re2's (?i) takes for the same letter (a, A; σ, ς, Σ; k, K and the Kelvin sign K). The
orbits are built from Python's case mappings and kept only where re2 agrees, so an
"equals" and a regular expression with (?i) ignore case in exactly the same way.

Folding is per character, never locale-dependent, and never changes a text's length, so
SQL can reproduce it exactly: kairos.segments lower()s ASCII and asks `translation_for`
for the few other characters a comparison needs, for PostgreSQL's translate(); SQLite
calls `normalise` itself.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right

import re2

# Every character str.isspace() accepts, which is what str.strip() removes; all of them
# are at most U+3000 (a test checks the whole of Unicode).
WHITESPACE = "".join(char for char in map(chr, range(0x3001)) if char.isspace())

# No character beyond the Adlam letters has a case (a test checks the whole of Unicode).
_LAST_CASED = 0x1E943
_SURROGATES = range(0xD800, 0xE000)


def fold(text: str) -> str:
    """The text with every character replaced by its orbit's representative."""
    if text.isascii():
        # ASCII letters' representatives are their lower case (a test checks it), and
        # lower() is ten times quicker than translate().
        return text.lower()
    return text.translate(_fold_table())


def normalise(text: str) -> str:
    """The text as text comparisons see it: without surrounding spaces, case folded."""
    return fold(text.strip())


def orbit(char: str) -> str:
    """The characters re2's (?i) takes for `char`, `char` itself included."""
    return _orbit_of().get(char, char)


def cased_characters() -> list[str]:
    """Every character whose orbit has more than itself, in code point order."""
    return _cased()


def cased_between(low: int, high: int) -> list[str]:
    """The cased characters with a code point from low to high."""
    cased = _cased_code_points()
    return [chr(point) for point in cased[bisect_left(cased, low):bisect_right(cased, high)]]


def translation_for(normalised_texts) -> tuple[str, str]:
    """(from, to) for SQL's translate(): each other case of the characters in these
    normalised texts, mapped to its representative, but for the ASCII capitals A-Z,
    which the caller lower()s first (their representatives are their lower case).

    A text lower()ed and translated this way equals (or contains) a normalised constant
    exactly when its normalised form does: a character outside these orbits stays as it
    is and so can never equal one of the constant's characters.
    """
    sources, targets = [], []
    for representative in sorted(set("".join(normalised_texts))):
        for char in orbit(representative):
            if char != representative and not char.isascii():
                sources.append(char)
                targets.append(representative)
    return "".join(sources), "".join(targets)


@functools.cache
def _orbits() -> tuple[str, ...]:
    """Every orbit of more than one character, each in code point order.

    Candidates are the characters Python's lower(), upper(), casefold() and title()
    connect one to one; each group is then split the way re2's (?i) sees it (re2 does not
    take the dotless ı for I, although Python upper-cases it so).
    """
    orbits = []
    for group in _connected_by_python():
        remaining = set(group)
        while remaining:
            first = min(remaining)
            same = re2.compile("(?i)" + re2.escape(first))
            members = {char for char in remaining if same.fullmatch(char)} | {first}
            orbits.append("".join(sorted(members)))
            remaining -= members
    return tuple(orbit for orbit in orbits if len(orbit) > 1)


def _connected_by_python() -> list[set[str]]:
    neighbours: dict[str, set[str]] = {}
    for point in range(_LAST_CASED + 1):
        if point in _SURROGATES:
            continue
        char = chr(point)
        for other in (char.lower(), char.upper(), char.casefold(), char.title()):
            if len(other) == 1 and other != char:
                neighbours.setdefault(char, set()).add(other)
                neighbours.setdefault(other, set()).add(char)
    groups, seen = [], set()
    for start in neighbours:
        if start in seen:
            continue
        group, pending = set(), [start]
        while pending:
            char = pending.pop()
            if char not in group:
                group.add(char)
                pending.extend(neighbours[char])
        seen |= group
        groups.append(group)
    return groups


def _representative(orbit: str) -> str:
    # Prefer the character that is its own case fold and lower case (a for A, σ for ς).
    return min(orbit, key=lambda char: (char.casefold() != char, char.lower() != char, char))


@functools.cache
def _orbit_of() -> dict[str, str]:
    return {char: orbit for orbit in _orbits() for char in orbit}


@functools.cache
def _fold_table() -> dict[int, str]:
    table = {}
    for orbit in _orbits():
        representative = _representative(orbit)
        table.update({ord(char): representative for char in orbit if char != representative})
    return table


@functools.cache
def _cased() -> list[str]:
    return sorted(_orbit_of())


@functools.cache
def _cased_code_points() -> list[int]:
    return [ord(char) for char in _cased()]
