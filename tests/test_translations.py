"""The dashboard speaks Greek everywhere: no message left untranslated or fuzzy, and no
message marked in the code or the templates missing from the Greek catalogue."""

import contextlib
import gettext
import os
import re
import shutil
from pathlib import Path

from django.core.management import call_command

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


def test_every_message_marked_in_the_code_and_templates_has_its_greek(tmp_path, settings):
    """makemessages reads the source as Django would (gettext, gettext_lazy, pgettext,
    ngettext, gettext_noop, {% translate %}, {% blocktranslate %}) and merges what it finds
    into a copy of the catalogue: a message marked anywhere but missing from the Greek
    catalogue comes out untranslated (or as a fuzzy guess), and is named here."""
    source = LOCALE.parent.parent.parent  # src/kairos
    copy = tmp_path / "kairos"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]  # never the real catalogue
    with working_directory(copy):
        call_command("makemessages", locale=["el"], domain="django", verbosity=0,
                     no_location=True)
    merged = (copy / "locale/el/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert [entry["msgid"] for entry in entries(merged)
            if entry["msgid"] and (entry["fuzzy"] or not all(entry["msgstr"]))] == []


def entries(po_text):
    """Each entry of a .po text: msgid, its translations (msgstr, or msgstr[n] of a
    plural) and whether msgmerge only guessed it (fuzzy). Obsolete (#~) entries aside."""
    found = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            keyword, _space, rest = line.partition(" ")
            if line.startswith('"'):
                fields[current] += line[1:-1]
            else:
                current = keyword
                fields[current] = rest[1:-1]
        msgid = fields.get("msgid", "")
        # Fuzzy with the same msgid before: only a format flag differs (xgettext reads
        # "95% interval" as a python-format "% i"), the translation is the catalogue's.
        same_before = f'#| msgid "{msgid}"' in lines
        found.append({"msgid": msgid + fields.get("msgid_plural", ""),
                      "msgstr": [value for key, value in fields.items()
                                 if key.startswith("msgstr")],
                      "fuzzy": not same_before and any(
                          line.startswith("#,") and "fuzzy" in line for line in lines)})
    return found


@contextlib.contextmanager
def working_directory(path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
