"""The shared reader of uploaded workbooks refuses hostile files with a Spanish message, at once."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sime.core.tests import bad_workbooks as bad
from sime.core.workbooks import Formula, Limits, WorkbookError, open_workbook

DAMAGED = "No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido."


def _read_all(data: bytes, limits: Limits | None = None) -> list[list[object]]:
    with open_workbook(SimpleUploadedFile("libro.xlsx", data), limits=limits) as book:
        return [values for name in book.sheetnames for _number, values in book.rows(name)]


def _refusal(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(WorkbookError) as error:
        _read_all(data, limits)
    return error.value.message


def test_a_plain_workbook_reads_as_rows_of_values() -> None:
    assert _read_all(bad.xlsx([["Nombre", "Edad"], ["Ana", 30]])) == [["Nombre", "Edad"], ["Ana", 30]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bad.far_cell(), "La hoja «Sheet» declara 1,048,576 filas; el máximo es 5,000."),
        (bad.declaring(bad.xlsx(), "A1:XFD5001"), "La hoja «Sheet» declara 5,001 filas; el máximo es 5,000."),
        (bad.declaring(bad.xlsx(), "A1:XFD10"), "La hoja «Sheet» declara 16,384 columnas; el máximo es 200."),
        (bad.declaring(bad.xlsx(), "A1:GR2000"), "La hoja «Sheet» declara 400,000 celdas; el máximo es 250,000."),
    ],
    ids=["cell-at-A1048576", "A1:XFD5001", "A1:XFD10", "200x2000"],
)
def test_a_sheet_declaring_too_much_is_refused_before_any_row_is_read(data: bytes, message: str) -> None:
    assert _refusal(data) == message


@pytest.mark.parametrize("lie", [bad.rows_past, lambda limit: bad.without_dimension(bad.rows_past(limit))])
def test_a_lying_or_missing_declaration_is_caught_while_reading(lie) -> None:  # type: ignore[no-untyped-def]
    assert _refusal(lie(50), Limits(rows=50)) == "La hoja «Sheet» tiene más de 50 filas."


def test_an_undeclared_width_is_bounded_while_reading() -> None:
    wide = bad.without_dimension(bad.xlsx([[f"c{n}" for n in range(30)] for _row in range(10)]))
    assert _refusal(wide, Limits(rows=10, columns=20)) == "La hoja «Sheet» tiene más de 20 columnas."
    assert _refusal(wide, Limits(rows=10, columns=100, cells=200)) == "La hoja «Sheet» tiene más de 200 celdas."
    assert len(_read_all(wide, Limits(rows=10, columns=30, cells=300))) == 10


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bad.broken_xml(bad.xlsx()), DAMAGED),
        (bad.with_part(bad.xlsx(), "xl/workbook.xml", lambda xml: b"<workbook"), DAMAGED),
        (bad.without_sheets(bad.xlsx()), "El libro de Excel no tiene hojas."),
        (bad.without_sheet_part(bad.xlsx()), "El libro de Excel no tiene hojas."),
        (b"PK\x03\x04 not a zip at all", "El archivo no es un libro de Excel (.xlsx)."),
        (b"Nombre,Edad\nAna,30\n", "El archivo no es un libro de Excel (.xlsx)."),
    ],
    ids=["bad-sheet-xml", "bad-workbook-xml", "no-sheets", "sheet-part-missing", "not-a-zip", "csv"],
)
def test_a_damaged_file_is_a_refusal_not_a_crash(data: bytes, message: str) -> None:
    assert _refusal(data) == message


def test_size_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    noise = os.urandom(1024 * 1024 + 1)  # random bytes do not compress: the zip itself is over 1 MB
    data = bad.with_part(bad.xlsx(), "docProps/app.xml", lambda xml: noise)
    assert _refusal(data) == "El archivo pesa más de 1 MB."


def test_a_zip_bomb_is_refused_by_its_unpacked_size(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = bad.with_part(bad.xlsx(), "docProps/app.xml", lambda xml: b" " * (11 * 1024 * 1024))
    assert len(data) < 100_000
    assert _refusal(data) == "El libro de Excel ocupa 11 MB al descomprimirlo; el máximo es 10 MB."


def test_formulas_arrive_marked_and_text_that_starts_with_equals_stays_text() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "=SUM(B1:B2)"
    sheet["B1"] = "=no es fórmula"
    sheet["B1"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    [[formula, text]] = _read_all(buffer.getvalue())
    assert isinstance(formula, Formula) and formula == "=SUM(B1:B2)"
    assert not isinstance(text, Formula) and text == "=no es fórmula"


def test_the_workbook_is_closed_after_reading() -> None:
    with open_workbook(SimpleUploadedFile("libro.xlsx", bad.xlsx())) as book:
        archive = book._workbook._archive
    assert archive.fp is None
