"""Hypothesis strategies for regular expressions and the texts they meet, shared by the
engine's dialect tests and the database agreement tests.

Patterns are built from re2's syntax: mostly what the rule dialect accepts (classes,
escapes, flags, groups, repetitions, anchors), sometimes what it refuses, so that tests
filter on validation exactly as the product does. Texts mix Greek (accents, final sigma),
Latin in both cases, digits (also non-ASCII ones), newlines, spaces and the characters
whose case re2 folds unusually (the Kelvin sign, the long s).
"""

from hypothesis import strategies as st

TEXT_ALPHABET = (
    "aAbBlLtTeEkKsSzZ019 _-.\n\t"
    "σςΣάΆαΑωΩΐϊ"
    "\u212a\u017f\u0661\u00a0éÉİı[]{}()\\|*+?^$"
    "\U00010400\U00010428\U0001F600"  # Deseret capital and small long I, an emoji
)

TRICKY_TEXTS = [
    "", "late", "LATE", "Late delivery", "so late!\n", "\nlate", "late\n", "a\nb",
    "Η παράδοση άργησε", "ΑΡΓΗΣΕ ΠΟΛΥ", "οδός", "ΟΔΟΣ", "σοφία ς", "ΐ ϊ Ϊ",
    "+306912345678", "6912345678", "٣٤٥", "12345", "a.b", "a-b_c", "x{2}", "[x]",
    "\u212aelvin", "\u017fun", "straße", "Straße", "  athens  ", "\t", "née", "NÉE",
]

_LITERALS = st.sampled_from(list("aAbBlLtTeEkKsS019 _σςΣάΆαΩ\u212a\u017fé") + [" "])
_ESCAPES = st.sampled_from([
    "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\n", "\\t", "\\.", "\\-", "\\\\", "\\(",
    "\\)", "\\[", "\\]", "\\{", "\\}", "\\*", "\\+", "\\?", "\\|", "\\^", "\\$", "\\ ",
    "\\x41", "\\x{3C3}", "\\x{212A}", "\\_", "\\x{10400}", "\\x{1F600}",
    # refused by the dialect:
    "\\b", "\\B", "\\pL", "\\p{Greek}", "\\PN", "\\101", "\\C",
])
_ANCHORS = st.sampled_from(["^", "$", "\\A", "\\z"])
_CLASS_ITEMS = st.sampled_from([
    "a", "A", "z", "k", "s", "σ", "ς", "Σ", "ά", "0", "9", " ", "_", ".", "\\]", "\\\\",
    "\\-", "\\n", "a-z", "A-Z", "0-9", "α-ω", "Α-Ω", "ά-ώ", "\\x{3B1}-\\x{3C9}", "j-l",
    "\\d", "\\w", "\\s", "\\W", "\\D", "\\S", "[", "^", "Z-a", "!-~", "\\x{100}-\\x{17F}",
    "\\x{10400}-\\x{1044F}",
    # refused by the dialect:
    "[:alpha:]", "\\d-z",
])
_REPETITIONS = st.sampled_from([
    "*", "+", "?", "*?", "+?", "??", "{2}", "{0}", "{1,3}", "{2,}", "{0,2}?", "{3}",
    "{40}", "{150}", "{,2}",
])
_FLAGS = st.sampled_from(["(?i)", "(?s)", "(?-i)", "(?U)", "(?is)", "(?m)"])


@st.composite
def _character_class(draw):
    items = draw(st.lists(_CLASS_ITEMS, min_size=1, max_size=4))
    edges = draw(st.sampled_from(["", "", "-", "]"]))
    first = "-" if edges == "-" and draw(st.booleans()) else ""
    last = "-" if edges == "-" and not first else ""
    opening = "]" if edges == "]" else ""
    negated = draw(st.sampled_from(["", "", "^"]))
    return f"[{negated}{opening}{first}{''.join(items)}{last}]"


def _atoms():
    return st.one_of(
        _LITERALS, _LITERALS, _LITERALS, _ESCAPES, st.just("."), _character_class(),
        st.just("\\Qa.b\\E"), _ANCHORS,
    )


def _extend(children):
    return st.one_of(
        st.tuples(children, children).map("".join),
        st.tuples(children, children).map("|".join),
        st.tuples(st.sampled_from(["(", "(?:", "(?P<g>", "(?i:", "(?s:", "(?-i:"]),
                  children).map(lambda parts: parts[0] + parts[1] + ")"),
        st.tuples(children, _REPETITIONS).map("".join),
        st.tuples(_FLAGS, children).map("".join),
    )


PATTERNS = st.recursive(_atoms(), _extend, max_leaves=10)

TEXTS = st.text(alphabet=TEXT_ALPHABET, max_size=10)
