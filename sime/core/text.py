import dataclasses
import re
import unicodedata
from typing import TypeVar

T = TypeVar("T")

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


def xml_safe(value: T) -> T:
    """A copy of a report's data (frozen dataclasses, tuples, lists, dicts) whose texts XML can hold.

    Renderers call it once on the data they receive, so text saved before input was cleaned (or
    written by a script straight to the database) cannot break a document."""
    if isinstance(value, str):
        return strip_control_characters(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: xml_safe(getattr(value, field.name)) for field in dataclasses.fields(value) if field.init
        }
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(xml_safe(item) for item in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [xml_safe(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {xml_safe(key): xml_safe(item) for key, item in value.items()}  # type: ignore[return-value]
    return value
