r"""A pattern of the rule dialect (kairos.engine.rules.dialect) written out as a PostgreSQL
regular expression that matches exactly the texts re2 matches.

Nothing is left to PostgreSQL's own reading of classes, case or locale: every character
set is printed as an explicit bracket of code points (re2's \d, \w, \s, `.` and (?i)
already resolved by the parser), groups are non-capturing and lazy repetitions greedy
(whether a text matches does not depend on either). PostgreSQL is not asked for newline-
sensitive matching, so `^` and `$` are the start and end of the text, as in re2.
"""

from kairos.engine.rules import dialect

# PostgreSQL text never holds NUL or a surrogate, so sets are printed without them; a set
# left with nothing matches only NUL, which is to say nothing.
_SURROGATES = (0xD800, 0xDFFF)
_NOTHING = "[^\\u0001-\\U0010FFFF]"


def postgres_pattern(pattern: str) -> str:
    """The PostgreSQL equivalent of a valid rule pattern (raises dialect.Refused else)."""
    return _written(dialect.parse(pattern))


def _written(node) -> str:
    if isinstance(node, dialect.CharacterSet):
        return _bracket(node.ranges)
    if isinstance(node, dialect.Anchor):
        return "^" if node.at == "start" else "$"
    if isinstance(node, dialect.Sequence):
        return "".join(_written(item) for item in node.items) or "(?:)"
    if isinstance(node, dialect.Alternation):
        return "(?:" + "|".join(_written(option) for option in node.options) + ")"
    high = "" if node.high is None else node.high
    return f"(?:{_written(node.item)}){{{node.low},{high}}}"


def _bracket(ranges) -> str:
    wanted = _storable(ranges)
    unwanted = _storable(dialect.complement(ranges))
    if not wanted:
        return _NOTHING
    if len(wanted) == 1 and wanted[0][0] == wanted[0][1]:
        return _character(wanted[0][0])
    if unwanted and len(unwanted) < len(wanted):
        return "[^" + _ranges(unwanted) + "]"
    return "[" + _ranges(wanted) + "]"


def _storable(ranges) -> list[tuple[int, int]]:
    pieces = []
    for low, high in ranges:
        for start, end in ((low, min(high, _SURROGATES[0] - 1)),
                           (max(low, _SURROGATES[1] + 1), high)):
            start = max(start, 1)
            if start <= end:
                pieces.append((start, end))
    return pieces


def _ranges(ranges) -> str:
    return "".join(_character(low) if low == high else f"{_character(low)}-{_character(high)}"
                   for low, high in ranges)


def _character(code_point: int) -> str:
    """A letter or digit of ASCII as itself, anything else as an escape, so that no
    character can be read as syntax, inside brackets or out."""
    char = chr(code_point)
    if char.isascii() and char.isalnum():
        return char
    return f"\\u{code_point:04X}" if code_point <= 0xFFFF else f"\\U{code_point:08X}"
