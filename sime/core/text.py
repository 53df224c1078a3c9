import re
import unicodedata

# Characters XML 1.0 cannot hold: the C0 controls other than tab, line feed and carriage return, lone
# surrogates and the two non-characters U+FFFE/U+FFFF. One of them in a saved text would make
# openpyxl (IllegalCharacterError) and python-docx (ValueError) refuse every export containing it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def search_key(text: str) -> str:
    """Lower case without accents, so "migracion" finds "Migración" on SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def strip_control_characters(text: str) -> str:
    """The text without the characters no .xlsx or .docx can hold (tabs and line breaks stay)."""
    return _NOT_XML.sub("", text)
