"""The dashboard speaks Greek everywhere: no message left untranslated or fuzzy."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src/kairos/locale/el/LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.*?)"\n((?:".*"\n)*)msgstr "(.*?)"\n((?:".*"\n)*)', re.M)


def catalogue():
    return (LOCALE / "django.po").read_text(encoding="utf-8")


def test_every_message_has_a_greek_translation():
    text = catalogue()
    untranslated = [
        first + "".join(rest.split('"')[1::2])
        for first, rest, translation, more in ENTRY.findall(text)
        if (first or rest) and not (translation or more.strip())
    ]
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for first, rest, translation, more in ENTRY.findall(catalogue()):
        if first and not rest and "%" not in first and translation and not more:
            assert compiled.gettext(unescaped(first)) == unescaped(translation), first


def unescaped(text):
    r"""A .po string as the program sees it: \" is ", \\ is \, \n a new line."""
    return re.sub(r"\\(.)", lambda escape: {"n": "\n", "t": "\t"}.get(escape[1], escape[1]),
                  text)
