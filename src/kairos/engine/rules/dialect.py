r"""The regular expressions a rule may use: the part of re2's syntax that PostgreSQL can
evaluate exactly as re2 does, once it is written out explicitly.

The engine and SQLite match with re2 itself; PostgreSQL has its own regex engine, whose
`.`, `\d`, `\w`, `\s`, `\b`, POSIX classes and case-insensitivity differ from re2's (and
depend on the database's locale), and which gives up on patterns re2 takes in its stride.
So a pattern is parsed here into explicit parts: every character class becomes the exact
set of code points re2 matches (with (?i) already applied), and kairos.segments prints
those parts as a PostgreSQL pattern. Whatever this parser refuses is refused by rule
validation, with a reason a marketer can act on.

The dialect (everything else is refused):
  - characters, and `\` before any ASCII punctuation (`\.`, `\(`, `\{`, `\\` ...);
    `\n \t \r \f \v \a`, `\x41`, `\x{3B1}`; `\Q...\E` quotes literal text;
  - `.` (any character but a newline), `\d \w \s \D \W \S` as re2 means them (ASCII
    only: \d is [0-9], \w is [0-9A-Za-z_]), classes `[...]` and `[^...]` of characters,
    ranges `a-z` and those escapes, with `-` first, last or escaped when not a range;
  - `^`, `$`, `\A`, `\z`: the start and end of the whole text, never inside a repetition;
  - groups `(...)`, `(?:...)`, `(?P<name>...)`, alternatives `a|b`;
  - repetitions `* + ? {n} {n,} {n,m}`, lazy or not (whether a text matches does not
    depend on it), as long as counted repetitions add at most MAX_REPEATED characters;
  - the flags i (ignore case the way re2 does: σ, ς and Σ are one letter), s (`.` takes
    newlines too) and U, as `(?i)`, `(?i:...)` or `(?-i)`.
Refused: `\b \B` (re2's word boundaries know only Latin letters, and PostgreSQL gives up
on the lookarounds that would imitate them), `\p{...}` and POSIX `[[:alpha:]]` classes,
octal escapes, `\C`, the flag m, a `{` that is not a repetition.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..words import gettext_noop
from .text import cased_between, orbit

LAST_CODE_POINT = 0x10FFFF
# Counted repetitions are copied out by PostgreSQL's regex compiler; past a few hundred
# copies it slows down sharply or gives up ("regular expression is too complex").
MAX_REPEATED = 200


class Refused(ValueError):
    """A pattern outside the dialect. `template % params` is the reason in English;
    callers that speak other languages translate `template` first."""

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params
        super().__init__(template % params)


# ---- the parts of a parsed pattern -----------------------------------------------------

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges


@dataclass(frozen=True)
class CharacterSet:
    """One character out of these ranges."""

    ranges: Ranges


@dataclass(frozen=True)
class Anchor:
    """The start ("start") or the end ("end") of the whole text."""

    at: str


@dataclass(frozen=True)
class Sequence:
    items: tuple


@dataclass(frozen=True)
class Alternation:
    options: tuple


@dataclass(frozen=True)
class Repeat:
    item: object
    low: int
    high: int | None  # None: no upper bound


# ---- character sets --------------------------------------------------------------------

def merged(ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if result and low <= result[-1][1] + 1:
            result[-1] = (result[-1][0], max(result[-1][1], high))
        else:
            result.append((low, high))
    return tuple(result)


def complement(ranges: Ranges) -> Ranges:
    result, start = [], 0
    for low, high in ranges:
        if low > start:
            result.append((start, low - 1))
        start = high + 1
    if start <= LAST_CODE_POINT:
        result.append((start, LAST_CODE_POINT))
    return tuple(result)


def case_closed(ranges: Ranges) -> Ranges:
    """The ranges with every other case of their letters, as re2's (?i) adds them."""
    extra = [(ord(other), ord(other))
             for low, high in ranges for char in cased_between(low, high)
             for other in orbit(char)]
    return merged([*ranges, *extra])


def _single(char: str) -> Ranges:
    return ((ord(char), ord(char)),)


DIGITS = merged([(ord("0"), ord("9"))])
WORD = merged([(ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z")),
               (ord("_"), ord("_"))])
SPACE = merged([(ord(char), ord(char)) for char in "\t\n\f\r "])
NOT_NEWLINE = complement(_single("\n"))
EVERYTHING = ((0, LAST_CODE_POINT),)
PERL_CLASSES = {"d": DIGITS, "w": WORD, "s": SPACE}

_ESCAPED_CHARACTERS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_HEX_DIGITS = "0123456789abcdefABCDEF"
_FLAGS = "isU"

# The reasons, in words a marketer can act on (translated through gettext).
WORD_BOUNDARY = gettext_noop(
    "uses “%(construct)s” (a word boundary), which knows only Latin letters and is not "
    "supported: match what surrounds the word instead, e.g. (^| )late( |$)")
UNICODE_CLASS = gettext_noop(
    "uses “%(construct)s” (a Unicode class), which is not supported: list the letters "
    "instead, e.g. (?i)[a-zΐ-ώ] for any Latin or Greek letter")
POSIX_CLASS = gettext_noop(
    "uses “%(construct)s” (a POSIX class), which is not supported: list the characters "
    "instead, e.g. [a-z] or [0-9]")
UNSUPPORTED_ESCAPE = gettext_noop(
    "uses “%(construct)s”, which is not supported: write the character itself")
UNSUPPORTED_FLAG = gettext_noop(
    "uses the flag “%(construct)s”, which is not supported: ^ and $ always mean the start "
    "and the end of the whole text")
LONE_BRACE = gettext_noop(
    "has a “{” that is not a repetition like {2} or {1,3}: write \\{ to match a brace")
LONE_DASH = gettext_noop(
    "has a “-” inside [ ] that is not a range like a-z: put it first or last, or write \\-")
REPEATED_ANCHOR = gettext_noop(
    "repeats “^”, “$”, “\\A” or “\\z”, which mean the start and the end of the text and "
    "cannot be repeated")
TOO_MANY_REPEATS = gettext_noop(
    "repeats too much: counts like {10} may add at most %(limit)s characters in all")
QUOTED_BACKSLASH = gettext_noop(
    "has a “\\” inside \\Q…\\E: end the quoted text with \\E first")
NOT_REGEX = gettext_noop("is not a regular expression Kairos can use: %(reason)s")


@functools.lru_cache(maxsize=512)
def parse(pattern: str):
    """The explicit parts of a pattern re2 has compiled; raises Refused outside the
    dialect. (Syntax errors are re2's to report, so the pattern is compiled first.)"""
    tree = _Parser(pattern).parse()
    repeated = expanded_size(tree) - plain_size(tree)
    if repeated > MAX_REPEATED:
        raise Refused(TOO_MANY_REPEATS, limit=MAX_REPEATED)
    return tree


def expanded_size(node) -> int:
    """How many characters and anchors the pattern has with its repetitions copied out."""
    if isinstance(node, Repeat):
        copies = node.high if node.high is not None else node.low
        return expanded_size(node.item) * max(copies, 1)
    return _size(node, expanded_size)


def plain_size(node) -> int:
    """How many characters and anchors the pattern has as written."""
    if isinstance(node, Repeat):
        return plain_size(node.item)
    return _size(node, plain_size)


def _size(node, measure) -> int:
    if isinstance(node, Sequence):
        return sum(measure(item) for item in node.items)
    if isinstance(node, Alternation):
        return sum(measure(option) for option in node.options)
    return 1


def has_anchor(node) -> bool:
    if isinstance(node, Anchor):
        return True
    if isinstance(node, Repeat):
        return has_anchor(node.item)
    if isinstance(node, Sequence):
        return any(has_anchor(item) for item in node.items)
    if isinstance(node, Alternation):
        return any(has_anchor(option) for option in node.options)
    return False


class _Parser:
    """Recursive descent over re2's grammar for the dialect; `flags` are the flags in
    force, which (?flags) changes up to the end of the enclosing group, as in re2."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.position = 0
        self.flags = frozenset()

    # -- reading ---------------------------------------------------------------------

    def peek(self, length: int = 1) -> str:
        return self.pattern[self.position:self.position + length]

    def take(self, length: int = 1) -> str:
        text = self.peek(length)
        self.position += len(text)
        return text

    def take_one(self) -> str:
        """The next character; the pattern must not end here."""
        if self.at_end():
            raise Refused(NOT_REGEX, reason="it ends too early")
        return self.take()

    def at_end(self) -> bool:
        return self.position >= len(self.pattern)

    # -- structure -------------------------------------------------------------------

    def parse(self):
        tree = self.alternation()
        if not self.at_end():  # an unbalanced ")": re2 refuses it before we get here
            raise Refused(NOT_REGEX, reason="“)” without “(”")
        return tree

    def alternation(self):
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alternation(tuple(options))

    def sequence(self) -> Sequence:
        items: list = []
        while not self.at_end() and self.peek() not in "|)":
            items.extend(self.quantified(self.atoms()))
        return Sequence(tuple(items))

    def quantified(self, atoms: list) -> list:
        """The atoms, the last one wrapped in the repetitions that follow it."""
        repetition = self.repetition()
        if repetition is None:
            return atoms
        if not atoms:
            raise Refused(NOT_REGEX, reason="nothing to repeat")
        low, high = repetition
        item = atoms[-1]
        if has_anchor(item):
            raise Refused(REPEATED_ANCHOR)
        if self.repetition() is not None:
            raise Refused(NOT_REGEX, reason="a repetition of a repetition")
        return [*atoms[:-1], Repeat(item, low, high)]

    def repetition(self) -> tuple[int, int | None] | None:
        symbol = self.peek()
        if symbol in ("*", "+", "?") and symbol:
            self.take()
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[symbol]
        elif symbol == "{":
            bounds = self.counted()
        else:
            return None
        if self.peek() == "?":  # lazy: whether a text matches does not depend on it
            self.take()
        return bounds

    def counted(self) -> tuple[int, int | None]:
        end = self.pattern.find("}", self.position)
        inside = self.pattern[self.position + 1:end] if end != -1 else ""
        low, comma, high = inside.partition(",")
        if not low.isdigit() or not (high.isdigit() or high == "") or not low.isascii() \
                or not high.isascii():
            raise Refused(LONE_BRACE)
        self.position = end + 1
        if not comma:
            return int(low), int(low)
        return int(low), int(high) if high else None

    def atoms(self) -> list:
        """The next atom (a list: \\Q...\\E gives several, a flag group none)."""
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return [self.character_class()]
        if char == ".":
            return [CharacterSet(EVERYTHING if "s" in self.flags else NOT_NEWLINE)]
        if char in "^$":
            return [Anchor("start" if char == "^" else "end")]
        if char == "\\":
            return self.escape()
        if char == "{":
            raise Refused(LONE_BRACE)
        if char in "*+?":
            raise Refused(NOT_REGEX, reason="nothing to repeat")
        return [self.literal(char)]

    def literal(self, char: str) -> CharacterSet:
        ranges = _single(char)
        return CharacterSet(case_closed(ranges) if "i" in self.flags else ranges)

    def group(self) -> list:
        outer = self.flags
        if self.peek() == "?":
            self.take()
            if self.peek() == ":":
                self.take()
            elif self.peek() in ("P", "<"):
                self.named_group_start()
            elif self.flag_group():
                return []  # (?i): the flags hold up to the end of the enclosing group
        tree = self.alternation()
        if self.take() != ")":
            raise Refused(NOT_REGEX, reason="“(” without “)”")
        self.flags = outer
        return [tree]

    def named_group_start(self) -> None:
        end = self.pattern.find(">", self.position)
        if end == -1:
            raise Refused(NOT_REGEX, reason="an unfinished group name")
        self.position = end + 1

    def flag_group(self) -> bool:
        """Reads (?flags) or (?flags: and sets the flags; True for (?flags)."""
        flags, turning_on = set(self.flags), True
        while not self.at_end() and self.peek() not in ":)":
            char = self.take()
            if char == "-":
                turning_on = False
            elif char in _FLAGS:
                (flags.add if turning_on else flags.discard)(char)
            else:
                raise Refused(UNSUPPORTED_FLAG, construct=char)
        self.flags = frozenset(flags)
        return self.take() == ")"

    # -- escapes ---------------------------------------------------------------------

    def escape(self) -> list:
        char = self.take_one()
        if char in ("b", "B"):
            raise Refused(WORD_BOUNDARY, construct="\\" + char)
        if char in ("A", "z"):
            return [Anchor("start" if char == "A" else "end")]
        if char == "Q":
            return [self.literal(quoted) for quoted in self.quoted()]
        if char.lower() in PERL_CLASSES:
            return [CharacterSet(self.perl_class(char))]
        return [self.literal(self.escaped_character(char))]

    def quoted(self) -> str:
        end = self.pattern.find("\\E", self.position)
        end = len(self.pattern) if end == -1 else end
        text = self.pattern[self.position:end]
        if "\\" in text:
            raise Refused(QUOTED_BACKSLASH)
        self.position = end + 2
        return text

    def perl_class(self, char: str) -> Ranges:
        ranges = PERL_CLASSES[char.lower()]
        if "i" in self.flags:
            ranges = case_closed(ranges)
        return complement(ranges) if char.isupper() else ranges

    def escaped_character(self, char: str) -> str:
        """The character an escape stands for; refuses escapes outside the dialect."""
        if char in _ESCAPED_CHARACTERS:
            return _ESCAPED_CHARACTERS[char]
        if char == "x":
            return self.hexadecimal()
        if char in ("p", "P"):
            construct = "\\" + char + (self.pattern[self.position:self.pattern.find(
                "}", self.position) + 1] if self.peek() == "{" else self.peek())
            raise Refused(UNICODE_CLASS, construct=construct)
        if char.isascii() and not char.isalnum():
            return char
        raise Refused(UNSUPPORTED_ESCAPE, construct="\\" + char)

    def hexadecimal(self) -> str:
        if self.peek() == "{":
            end = self.pattern.find("}", self.position)
            if end == -1:
                raise Refused(UNSUPPORTED_ESCAPE, construct="\\x{")
            digits = self.pattern[self.position + 1:end]
            self.position = end + 1
        else:
            digits = self.take(2)
        if not digits or any(digit not in _HEX_DIGITS for digit in digits) \
                or int(digits, 16) > LAST_CODE_POINT:
            raise Refused(UNSUPPORTED_ESCAPE, construct="\\x" + digits)
        return chr(int(digits, 16))

    # -- classes ---------------------------------------------------------------------

    def character_class(self) -> CharacterSet:
        negated = self.peek() == "^"
        if negated:
            self.take()
        parts: list[tuple[int, int]] = []
        first = True
        while first or self.peek() != "]":
            if self.at_end():
                raise Refused(NOT_REGEX, reason="“[” without “]”")
            parts.extend(self.class_item(first))
            first = False
        self.take()
        ranges = merged(parts)
        return CharacterSet(complement(ranges) if negated else ranges)

    def class_item(self, first: bool) -> Ranges:
        """One character, range or class escape of a [...] class."""
        char = self.take_one()
        if char == "-" and not first and self.peek() != "]":
            raise Refused(LONE_DASH)
        if char == "[" and self.peek() == ":":
            end = self.pattern.find(":]", self.position)
            construct = self.pattern[self.position - 1:end + 2] if end != -1 else "[:"
            raise Refused(POSIX_CLASS, construct=construct)
        if char == "\\":
            escape = self.take_one()
            if escape.lower() in PERL_CLASSES:
                if self.starts_range():
                    raise Refused(LONE_DASH)
                return self.perl_class(escape)
            if escape in ("b", "B"):
                raise Refused(UNSUPPORTED_ESCAPE, construct="\\" + escape)
            char = self.escaped_character(escape)
        low = high = ord(char)
        if self.starts_range():
            self.take()
            high = ord(self.range_end())
        ranges = ((low, high),)
        return case_closed(ranges) if "i" in self.flags else ranges

    def starts_range(self) -> bool:
        """A "-" next that is not the last character of the class."""
        return self.peek() == "-" and self.peek(2) not in ("-", "-]")

    def range_end(self) -> str:
        char = self.take_one()
        if char != "\\":
            return char
        escape = self.take_one()
        if escape.lower() in PERL_CLASSES:
            raise Refused(LONE_DASH)
        return self.escaped_character(escape)
