"""Every Spanish string extracted into the English catalogue has an English translation."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header


def test_no_fuzzy_entries() -> None:
    fuzzy = [entry for entry in _entries() if "#, fuzzy" in entry]
    assert fuzzy == []


def test_every_entry_is_translated() -> None:
    untranslated = [
        entry for entry in _entries() if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, flags=re.MULTILINE)
    ]
    assert untranslated == []


def test_catalogue_is_not_trivial() -> None:
    assert len(_entries()) > 250
    assert 'msgid "Instituciones"\nmsgstr "Institutions"' in CATALOGUE.read_text(encoding="utf-8")
