"""The open-data files: a dataset's rows as CSV, XLSX and JSON, and its data dictionary as CSV and
JSON (a Frictionless Data Resource descriptor with its Table Schema).

Machine-readable first: one header row of column identifiers, numbers with a decimal point and no
thousands separator in CSV and JSON (the XLSX holds real numbers shown with es-GT formats), dates
ISO 8601, booleans `true`/`false`, an empty cell for no value. Text can never run as a formula: in
the workbook text cells are stored as text (`write_text_safely`); in the CSV a text starting with
= + - @ (or a tab or carriage return) gets a leading apostrophe, as in the IPTT export.

The licence is stated in every file that can hold it: the JSON's `licencia`, the workbook's
«Licencia» sheet, the dictionary; a CSV holds only its table, so its response carries the licence
and the dictionary as `Link` headers (RFC 8288 `license` and `describedby`, the latter as W3C's
CSV on the Web locates a CSV's metadata), and the dictionary beside it states it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sime.analytics.exports import DECIMAL_FORMAT, FORMULA_STARTS, INTEGER_FORMAT
from sime.core.spreadsheets import write_table, write_text_safely
from sime.public.datasets import DATE, NUMBER, STRING, Dataset
from sime.public.open_data import Row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json"
# Format → (media type without parameters, as the catalogue names it; label).
DATA_FORMATS = {"csv": ("text/csv", "CSV"), "xlsx": (XLSX_TYPE, "XLSX"), "json": (JSON_TYPE, "JSON")}
DICTIONARY_FORMATS = {"csv": ("text/csv", "CSV"), "json": (JSON_TYPE, "JSON")}
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class About:
    """What every file says of itself: where it comes from, under which licence, as of when."""

    title: str
    description: str
    publisher: str
    licence_name: str
    licence_url: str
    source_url: str
    dictionary_url: str
    updated: dt.datetime | None


def _text_for_csv(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _plain(value: Any) -> Any:
    """A cell's value as plain data: Decimal → int when whole, else a float holding the same digits
    (values keep 4 decimals and stay far below 10¹¹, inside a float's exact decimal range)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return _text_for_csv(text) if kind == STRING else text


def rows_csv(dataset: Dataset, rows: list[Row]) -> bytes:
    """UTF-8 (no byte-order mark), comma-separated, CRLF line ends (RFC 4180), one header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.column_names)
    kinds = [column.type for column in dataset.columns]
    for row in rows:
        writer.writerow(
            [_csv_cell(row.get(name), kind) for name, kind in zip(dataset.column_names, kinds, strict=True)]
        )
    return buffer.getvalue().encode("utf-8")


def _about_dict(about: About) -> dict[str, Any]:
    return {
        "titulo": about.title,
        "descripcion": about.description,
        "publicador": about.publisher,
        "licencia": {"nombre": about.licence_name, "url": about.licence_url},
        "fuente": about.source_url,
        "diccionario": about.dictionary_url,
        "actualizado": about.updated.isoformat() if about.updated else None,
    }


def rows_json(dataset: Dataset, rows: list[Row], about: About) -> bytes:
    """{"conjunto", "titulo", …, "licencia": {"nombre", "url"}, "datos": [{column: value}]}."""
    document = {
        "conjunto": dataset.slug,
        **_about_dict(about),
        "datos": [{name: _plain(row.get(name)) for name in dataset.column_names} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _about_rows(about: About) -> list[list[Any]]:
    return [
        ["Conjunto de datos", about.title],
        ["Descripción", about.description],
        ["Publicado por", about.publisher],
        ["Licencia", about.licence_name],
        ["Texto de la licencia", about.licence_url],
        ["Fuente", about.source_url],
        ["Diccionario de datos", about.dictionary_url],
        ["Actualizado", about.updated.isoformat(timespec="seconds") if about.updated else "—"],
    ]


def rows_xlsx(dataset: Dataset, rows: list[Row], about: About) -> bytes:
    """Sheets «Datos» (the table, numbers and dates as real cells), «Diccionario» and «Licencia»."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Datos"
    names = dataset.column_names
    write_table(sheet, names, [[row.get(name) for name in names] for row in rows])
    for index, column in enumerate(dataset.columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, Decimal):
                cell.number_format = INTEGER_FORMAT if cell.value == cell.value.to_integral_value() else DECIMAL_FORMAT
            elif column.type == DATE and cell.value is not None:
                cell.number_format = DATE_FORMAT
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    write_table(workbook.create_sheet("Diccionario"), DICTIONARY_HEADERS, dictionary_rows(dataset))
    licence = workbook.create_sheet("Licencia")
    for row_number, (label, value) in enumerate(_about_rows(about), start=1):
        write_text_safely(licence.cell(row=row_number, column=1), label)
        licence.cell(row=row_number, column=1).font = Font(bold=True)
        write_text_safely(licence.cell(row=row_number, column=2), value)
        licence.cell(row=row_number, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    licence.column_dimensions["A"].width = 24
    licence.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Data dictionary ------------------------------------------------------------------------

DICTIONARY_HEADERS = ["columna", "titulo", "tipo", "unidad", "descripcion", "valores"]


def _codes_text(codes: list[tuple[str, str]]) -> str:
    return "; ".join(value if value == meaning else f"{value}: {meaning}" for value, meaning in codes)


def dictionary_rows(dataset: Dataset) -> list[list[str]]:
    return [
        [
            column.name,
            str(column.title),
            column.type,
            str(column.unit),
            str(column.description),
            _codes_text(column.code_list()),
        ]
        for column in dataset.columns
    ]


def dictionary_csv(dataset: Dataset, about: About) -> bytes:
    """One row per column (columna, titulo, tipo, unidad, descripcion, valores), then a blank row and
    the licence, so that the dictionary states it too."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DICTIONARY_HEADERS)
    for row in dictionary_rows(dataset):
        writer.writerow([_text_for_csv(cell) for cell in row])
    writer.writerow([])
    writer.writerow(["licencia", about.licence_name, "", "", about.licence_url, ""])
    return buffer.getvalue().encode("utf-8")


def _field(column: Any) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "title": str(column.title),
        "type": column.type,
        "description": str(column.description),
    }
    if column.type == NUMBER:
        field["decimalChar"] = "."
    if column.unit:
        field["unit"] = str(column.unit)
    codes = column.code_list()
    if codes:
        # Table Schema v2 `categories`: each allowed value with its label.
        field["categories"] = [{"value": value, "label": meaning} for value, meaning in codes]
    return field


def dictionary_document(dataset: Dataset, about: About, *, csv_url: str) -> dict[str, Any]:
    """A Frictionless Data Resource descriptor of the CSV: name, path, licence, Table Schema."""
    descriptor: dict[str, Any] = {
        "name": dataset.slug,
        "title": about.title,
        "description": about.description,
        "path": csv_url,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [{"name": about.licence_name, "path": about.licence_url, "title": about.licence_name}],
        "sources": [{"title": about.publisher, "path": about.source_url}],
        "updated": about.updated.isoformat() if about.updated else None,
        "schema": {
            "fields": [_field(column) for column in dataset.columns],
            "missingValues": [""],
        },
    }
    notes = [str(note) for note in dataset.notes]
    if notes:
        descriptor["notes"] = notes
    return descriptor


def dictionary_json(dataset: Dataset, about: About, *, csv_url: str) -> bytes:
    return json.dumps(dictionary_document(dataset, about, csv_url=csv_url), ensure_ascii=False, indent=1).encode(
        "utf-8"
    )
