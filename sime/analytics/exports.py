"""The IPTT as a spreadsheet (.xlsx) and as CSV, from the same `IpttTable` as the page and the API.

    iptt_xlsx(table: IpttTable, *, title: str = "", until: datetime.date | None = None) -> bytes
    iptt_csv(table: IpttTable) -> bytes

Build the table with `iptt_table(framework_progress(policy, year=…, with_points=True), year=…)`.
Columns: Código, Indicador, Unidad, Línea base, Año LB, then for each period «<code> valor»,
«<code> acumulado», «<code> meta», «<code> % de la meta», «<code> estado».

Both are formula-safe: text supplied by people (names, units, codes) can never run as a formula —
in the workbook text cells are stored as text; in the CSV a cell starting with = + - @ (or a tab or
carriage return) gets a leading apostrophe, as OWASP recommends. Numbers are es-GT: real numeric
cells with number formats in the workbook, `1,234.5` text in the CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sime.analytics.aggregation import ProgressStatus
from sime.analytics.figures import PeriodPoint
from sime.analytics.iptt import IpttTable
from sime.core.formatting import format_number
from sime.core.spreadsheets import HEADER_FILL, HEADER_FONT, write_text_safely
from sime.documents.spanish import long_date

FIXED_HEADERS = ["Código", "Indicador", "Unidad", "Línea base", "Año LB"]
PERIOD_HEADERS = ["valor", "acumulado", "meta", "% de la meta", "estado"]
FIXED_WIDTHS = [12, 50, 16, 12, 8]
PERIOD_WIDTHS = [12, 12, 12, 12, 14]
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.####"
PERCENT_FORMAT = "0.00 %"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 3  # after the title and the reading date


def headers(table: IpttTable) -> list[str]:
    """The table's column titles, in Spanish."""
    return FIXED_HEADERS + [f"{period.code} {name}" for period in table.periods for name in PERIOD_HEADERS]


def reading_date(table: IpttTable, until: dt.date | None = None) -> str:
    """«Datos aprobados al 31 de agosto de 2026» (the last column's end when `until` is not given)."""
    day = until or (table.periods[-1].ends_on if table.periods else None)
    return f"Datos aprobados al {long_date(day)}" if day else "Datos aprobados"


def _labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in ProgressStatus}


def _cells(point: PeriodPoint | None) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None, str]:
    """(value, year to date, target, % of target, status) of one period; blanks where there is none."""
    if point is None:
        return None, None, None, None, ""
    to_date = point.to_date.value if point.to_date else None
    return point.value, to_date, point.progress.target, point.progress.percent, str(point.progress.status)


def _records(table: IpttTable) -> list[list[Any]]:
    """One list of `(kind, value)` per indicator, in column order. Kinds: "s" text (statuses as their
    Spanish label), "n" a Decimal value, "p" a percentage in % (60 = 60 %), "y" a year."""
    labels = _labels()
    records = []
    for row in table.rows:
        indicator = row.indicator
        record: list[Any] = [
            ("s", indicator.code),
            ("s", indicator.name),
            ("s", indicator.unit),
            ("n", row.baseline),
            ("y", indicator.baseline_year),
        ]
        for point in row.cells:
            value, to_date, target, percent, status = _cells(point)
            record += [("n", value), ("n", to_date), ("n", target), ("p", percent), ("s", labels.get(status, ""))]
        records.append(record)
    return records


def iptt_xlsx(table: IpttTable, *, title: str = "", until: dt.date | None = None) -> bytes:
    """The IPTT workbook: a title row (`title`, e.g. «Política Migratoria — IPTT 2026»), the reading
    date («Datos aprobados al …»: `until`, else the last period's end), then the table with frozen
    headers and indicator columns, column widths and an autofilter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "IPTT"
    write_text_safely(sheet.cell(row=1, column=1), title or "IPTT")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    write_text_safely(sheet.cell(row=2, column=1), reading_date(table, until))
    titles = headers(table)
    widths = FIXED_WIDTHS + PERIOD_WIDTHS * len(table.periods)
    for column, (text, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        write_text_safely(cell, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row_number, record in enumerate(_records(table), start=HEADER_ROW + 1):
        for column, (kind, value) in enumerate(record, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if value is None or value == "":
                continue
            if kind == "s":
                write_text_safely(cell, value)
            elif kind == "y":
                cell.value = int(value)
            elif kind == "p":
                cell.value = value / 100
                cell.number_format = PERCENT_FORMAT
            else:
                cell.value = value
                cell.number_format = INTEGER_FORMAT if value == value.to_integral_value() else DECIMAL_FORMAT
    last_row = HEADER_ROW + max(len(table.rows), 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(titles))}{last_row}"
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_text(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def iptt_csv(table: IpttTable) -> bytes:
    """The IPTT as CSV (UTF-8 with BOM so that Excel reads the accents, comma-separated, one header
    row, no title): numbers as es-GT text (`1,234.5`), percentages as `60.00`, statuses in Spanish."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(table))
    for record in _records(table):
        line = []
        for kind, value in record:
            if value is None:
                line.append("")
            elif kind == "s":
                line.append(_safe_text(str(value)))
            elif kind == "p":
                line.append(f"{value:,.2f}")
            else:
                line.append(format_number(value) if kind == "n" else str(value))
        writer.writerow(line)
    return buffer.getvalue().encode("utf-8-sig")
