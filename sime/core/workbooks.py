"""The one reader of uploaded .xlsx workbooks (instrument, results framework, attendance lists).

An .xlsx is a zip of XML that anybody can write by hand, so before a cell is read the file must be
a workbook by its content, weigh at most UPLOAD_MAX_BYTES, unpack to a bounded size, and every
sheet must *declare* (its <dimension> element) at most `Limits` rows, columns and cells: a sheet
declaring A1:XFD1048576 is refused at once. The declaration can lie or be missing, so rows are
also read with explicit bounds (openpyxl's read-only mode streams them) and a row past the limit is
refused too. Whatever the file does wrong, the caller gets a WorkbookError with a Spanish message,
never an exception from openpyxl, zipfile or the XML parser.

Formulas are never evaluated: a formula cell arrives as a `Formula` (its text) for the caller to
refuse at its cell. Text cells arrive without the control characters no export could write back.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sime.core.formatting import format_number
from sime.core.spreadsheets import looks_like_workbook
from sime.core.text import strip_control_characters

# Unpacked XML of a 20 MB upload is rarely above 10 times its size; a zip bomb is far above.
MAX_UNPACKED_RATIO = 10


@dataclass(frozen=True)
class Limits:
    """What one sheet may declare and hold. The defaults fit every workbook SIME-PM reads."""

    rows: int = 5000
    columns: int = 200
    cells: int = 250_000


class WorkbookError(Exception):
    """The workbook was refused; `message` is in Spanish, `sheet` names the sheet when there is one."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet


class Formula(str):
    """A cell holding a formula (its text, "=SUM(A1:A3)"): refused by the readers, never evaluated."""


def _damaged() -> WorkbookError:
    return WorkbookError(_("No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido."))


def _check_file(upload: Any) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise WorkbookError(_("El archivo pesa más de %(limit)s MB.") % {"limit": limit_mb})
    if not looks_like_workbook(upload):
        raise WorkbookError(_("El archivo no es un libro de Excel (.xlsx)."))
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise _damaged() from error
    finally:
        upload.seek(0)
    limit = settings.UPLOAD_MAX_BYTES * MAX_UNPACKED_RATIO
    if unpacked > limit:
        raise WorkbookError(
            _("El libro de Excel ocupa %(size)s MB al descomprimirlo; el máximo es %(limit)s MB.")
            % {"size": format_number(unpacked // (1024 * 1024)), "limit": format_number(limit // (1024 * 1024))}
        )


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if cell.data_type == "f":
        return Formula(value)
    if isinstance(value, str):
        return strip_control_characters(value)
    return value


class UploadedWorkbook:
    """A read-only workbook whose sheets are read as bounded rows of values."""

    def __init__(self, workbook: Any, limits: Limits) -> None:
        self._workbook = workbook
        self.limits = limits

    @property
    def sheetnames(self) -> list[str]:
        return list(self._workbook.sheetnames)

    def _checked_sheet(self, name: str) -> Any:
        sheet = self._workbook[name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet has no cells
            raise WorkbookError(_("La hoja «%(sheet)s» no tiene celdas.") % {"sheet": name}, sheet=name)
        limits = self.limits
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > limits.rows:
            raise WorkbookError(
                _("La hoja «%(sheet)s» declara %(rows)s filas; el máximo es %(limit)s.")
                % {"sheet": name, "rows": format_number(rows), "limit": format_number(limits.rows)},
                sheet=name,
            )
        if columns > limits.columns:
            raise WorkbookError(
                _("La hoja «%(sheet)s» declara %(columns)s columnas; el máximo es %(limit)s.")
                % {"sheet": name, "columns": format_number(columns), "limit": format_number(limits.columns)},
                sheet=name,
            )
        if rows * columns > limits.cells:
            raise WorkbookError(
                _("La hoja «%(sheet)s» declara %(cells)s celdas; el máximo es %(limit)s.")
                % {"sheet": name, "cells": format_number(rows * columns), "limit": format_number(limits.cells)},
                sheet=name,
            )
        return sheet

    def rows(self, name: str, *, max_col: int | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) of every row of sheet `name` from the first, `max_col` values each
        (else the declared width, else each row's own); refuses a sheet past the limits, whether
        declared or found while reading."""
        sheet = self._checked_sheet(name)
        limits = self.limits
        # One row past the limit is read, so a sheet whose declaration lies is refused, not cut short.
        bounded = sheet.iter_rows(min_row=1, max_row=limits.rows + 1, max_col=max_col or sheet.max_column)
        cells_read = 0
        try:
            for number, cells in enumerate(bounded, start=1):
                if number > limits.rows:
                    raise WorkbookError(
                        _("La hoja «%(sheet)s» tiene más de %(limit)s filas.")
                        % {"sheet": name, "limit": format_number(limits.rows)},
                        sheet=name,
                    )
                if len(cells) > max(limits.columns, max_col or 0):
                    raise WorkbookError(
                        _("La hoja «%(sheet)s» tiene más de %(limit)s columnas.")
                        % {"sheet": name, "limit": format_number(limits.columns)},
                        sheet=name,
                    )
                cells_read += len(cells)
                if cells_read > limits.cells:
                    raise WorkbookError(
                        _("La hoja «%(sheet)s» tiene más de %(limit)s celdas.")
                        % {"sheet": name, "limit": format_number(limits.cells)},
                        sheet=name,
                    )
                yield number, [_cell_value(cell) for cell in cells]
        except WorkbookError:
            raise
        except Exception as error:  # the sheet's XML is only parsed here, while streaming
            raise _damaged() from error

    def close(self) -> None:
        self._workbook.close()


@contextmanager
def open_workbook(upload: Any, *, limits: Limits | None = None) -> Iterator[UploadedWorkbook]:
    """Open an uploaded .xlsx read-only after checking its size and content; raises WorkbookError."""
    _check_file(upload)
    try:
        # data_only=False: a formula is read as a formula, so it can be refused instead of trusted.
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as error:  # any parse failure of a user file is a refusal, not a crash
        raise _damaged() from error
    book = UploadedWorkbook(workbook, limits or Limits())
    try:
        if not workbook.sheetnames:
            raise WorkbookError(_("El libro de Excel no tiene hojas."))
        yield book
    finally:
        book.close()
