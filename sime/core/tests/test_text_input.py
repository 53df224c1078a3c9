"""Control characters: dropped at the door (every form, the API, imports) and by every writer."""

import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from django import forms
from django.http import QueryDict
from openpyxl import Workbook

import sime
from sime.core.forms import CleanForm, CleanTextMixin, posted_text
from sime.core.spreadsheets import write_text_safely
from sime.core.text import strip_control_characters, xml_safe


def test_only_the_characters_xml_cannot_hold_are_dropped() -> None:
    assert strip_control_characters("Lo\x0bgro\x00 uno\x1f\ufffe") == "Logro uno"
    assert strip_control_characters("línea\tcon\ntab y\r\nsaltos · ñ € 😀") == "línea\tcon\ntab y\r\nsaltos · ñ € 😀"


class _Notes(CleanForm):
    title = forms.CharField()
    body = forms.CharField(widget=forms.Textarea, strip=False)
    secret = forms.CharField(widget=forms.PasswordInput, strip=False)


@pytest.mark.parametrize(
    "data",
    [
        QueryDict("title=Acta%0B1&body=uno%09dos%0Atres%0C&secret=cla%0Bve"),
        {"title": "Acta\x0b1", "body": "uno\tdos\ntres\x0c", "secret": "cla\x0bve"},
    ],
    ids=["querydict", "dict"],
)
def test_a_form_drops_control_characters_but_keeps_tabs_line_breaks_and_passwords(data) -> None:  # type: ignore[no-untyped-def]
    form = _Notes(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "Acta1", "body": "uno\tdos\ntres", "secret": "cla\x0bve"}


def test_a_prefixed_form_keeps_its_password_too() -> None:
    form = _Notes({"n-title": "A\x0b", "n-body": "b", "n-secret": "c\x0b"}, prefix="n")
    assert form.is_valid() and form.cleaned_data["title"] == "A" and form.cleaned_data["secret"] == "c\x0b"


def test_text_a_view_reads_without_a_form_is_cleaned_the_same_way() -> None:
    assert posted_text(QueryDict("comment=Ver%0Bacta"), "comment") == "Veracta"
    assert posted_text(QueryDict(""), "comment") == ""


def _sime_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(sime.__path__, "sime."):
        parts = module.name.split(".")
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        names.append(module.name)
    return names


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_form_of_sime_derives_from_the_cleaning_base() -> None:
    for name in _sime_modules():
        importlib.import_module(name)
    ours = [
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("sime.") and ".tests" not in cls.__module__
    ]
    assert len(ours) > 40
    assert [cls.__qualname__ for cls in ours if not issubclass(cls, CleanTextMixin)] == []


def test_the_spreadsheet_writer_drops_what_openpyxl_refuses() -> None:
    cell = Workbook().active["A1"]  # type: ignore[index]
    write_text_safely(cell, "Logro\x0b uno")
    assert cell.value == "Logro uno" and cell.data_type == "s"


@dataclass(frozen=True)
class _Row:
    title: str
    amount: int


@dataclass(frozen=True)
class _Report:
    title: str
    rows: tuple[_Row, ...]
    notes: list[str]
    by_key: dict[str, str]


def test_report_data_is_copied_with_xml_safe_texts() -> None:
    report = _Report("Informe\x0b", (_Row("Fila\x01", 3),), ["nota\x1f"], {"c\x0b": "v\x0c"})
    assert xml_safe(report) == _Report("Informe", (_Row("Fila", 3),), ["nota"], {"c": "v"})
