"""Spreadsheet helpers shared by every Excel export and import (openpyxl)."""

from __future__ import annotations

import zipfile
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sime.core.text import strip_control_characters

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B3D6E")


def write_text_safely(cell: Cell, value: Any) -> None:
    """Write a value; text is always stored as text, so "=HYPERLINK(…)" can never run as a formula,
    and without the control characters openpyxl refuses (IllegalCharacterError), so a text saved
    with one before input was cleaned still exports."""
    if isinstance(value, str):
        value = strip_control_characters(value)
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def write_table(sheet: Worksheet, headers: list[str], rows: list[list[Any]]) -> None:
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        write_text_safely(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(12, len(title) + 4))
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            write_text_safely(sheet.cell(row=row_number, column=column), value)
    sheet.freeze_panes = "A2"


def is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def looks_like_workbook(upload: Any) -> bool:
    """An .xlsx is a zip with a workbook part; anything else (csv, xls, exe renamed) is refused."""
    upload.seek(0)
    if not is_xlsx(upload.read(4)):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
