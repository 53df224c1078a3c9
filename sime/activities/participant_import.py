"""Attendance lists (listados de asistencia) from .xlsx or .csv, and the template to fill in.

The whole file is read and validated first; every problem is reported with its row, column and a
Spanish message. `services.import_participants` writes nothing unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sime.activities.models import SECTOR_CHOICES, Sex
from sime.core.spreadsheets import is_xlsx, looks_like_workbook, write_table
from sime.core.text import search_key, strip_control_characters
from sime.core.workbooks import Formula, Limits, WorkbookError, open_workbook

# Column headers as people read them; matched without regard to accents or case.
HEADERS: dict[str, str] = {
    "name": "Nombre",
    "institution": "Institución",
    "sector": "Sector",
    "sex": "Sexo",
    "contact": "Contacto",
}
REQUIRED_HEADERS = ("name",)
MAX_ROWS = 5000
MAX_LENGTHS = {"name": 200, "institution": 200, "contact": 200}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"fila {self.row}, columna {self.column}: {self.message}"


class ParticipantImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errores")
        self.errors = errors


def _file_rows(upload: Any) -> list[list[Any]]:
    """The file's rows as lists of values: an .xlsx by its zip content, else UTF-8 text as CSV."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ParticipantImportError(
            [CellError(0, "—", _("El archivo pesa más de %(limit)s MB.") % {"limit": limit_mb})]
        )
    if looks_like_workbook(upload):
        try:
            with open_workbook(upload, limits=Limits(rows=MAX_ROWS + 1)) as book:
                return [values for _number, values in book.rows(book.sheetnames[0])]
        except WorkbookError as error:
            raise ParticipantImportError([CellError(0, "—", error.message)]) from error
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    if is_xlsx(raw[:4]) or b"\x00" in raw:
        raise ParticipantImportError(
            [CellError(0, "—", _("El archivo no es un libro de Excel (.xlsx) ni un CSV en texto UTF-8."))]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParticipantImportError(
            [CellError(0, "—", _("El archivo CSV no está en UTF-8; guárdelo como «CSV UTF-8»."))]
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Control characters go at the door, as for any text typed in a form or read from a workbook.
    text = strip_control_characters(text)
    # Only as many rows as can be accepted are parsed: a file of 20 MB of line breaks costs nothing.
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_ROWS + 2))
    except csv.Error as error:  # a field longer than the csv module allows, a stray NUL…
        raise ParticipantImportError(
            [CellError(0, "—", _("No se pudo leer el archivo CSV: revise que sea texto separado por comas."))]
        ) from error


def _columns(header_row: list[Any], errors: list[CellError]) -> dict[str, int]:
    wanted = {search_key(title): field for field, title in HEADERS.items()}
    columns: dict[str, int] = {}
    for index, value in enumerate(header_row):
        key = search_key(str(value or "").strip())
        if not key:
            continue
        field = wanted.get(key)
        letter = get_column_letter(index + 1)
        if field is None:
            errors.append(
                CellError(
                    1,
                    letter,
                    _("Encabezado desconocido «%(value)s»; use: %(headers)s.")
                    % {"value": value, "headers": ", ".join(HEADERS.values())},
                )
            )
        elif field in columns:
            errors.append(CellError(1, letter, _("El encabezado «%(value)s» está repetido.") % {"value": value}))
        else:
            columns[field] = index
    for field in REQUIRED_HEADERS:
        if field not in columns:
            errors.append(CellError(1, "—", _("Falta la columna «%(header)s».") % {"header": HEADERS[field]}))
    return columns


def _choice(text: str, choices: list[tuple[str, Any]]) -> str | None:
    wanted = search_key(text)
    for value, label in choices:
        if wanted in (search_key(str(label)), search_key(value)):
            return value
    return None


def read_participants(upload: Any) -> list[dict[str, str]]:
    """Read and validate the whole list; raise ParticipantImportError listing every problem."""
    rows = _file_rows(upload)
    errors: list[CellError] = []
    if not rows:
        raise ParticipantImportError([CellError(1, "—", _("El archivo está vacío."))])
    columns = _columns(rows[0], errors)
    if errors:
        raise ParticipantImportError(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise ParticipantImportError(
            [CellError(0, "—", _("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})]
        )
    sector_options = ", ".join(str(label) for _code, label in SECTOR_CHOICES)
    sex_options = ", ".join(str(label) for _code, label in Sex.choices)
    people: list[dict[str, str]] = []
    for number, values in enumerate(rows[1:], start=2):
        if all(str(v if v is not None else "").strip() == "" for v in values):
            continue
        person: dict[str, str] = {}
        for field, index in columns.items():
            value = values[index] if index < len(values) else None
            letter = get_column_letter(index + 1)
            if isinstance(value, Formula):
                errors.append(CellError(number, letter, _("La celda tiene una fórmula; escriba el valor.")))
                continue
            text = str(value if value is not None else "").strip()
            if len(text) > MAX_LENGTHS.get(field, 200):
                errors.append(
                    CellError(
                        number,
                        letter,
                        _("El texto pasa de %(max)s caracteres.") % {"max": MAX_LENGTHS.get(field, 200)},
                    )
                )
                continue
            if field == "name" and not text:
                errors.append(CellError(number, letter, _("El nombre es obligatorio.")))
            elif field == "sector" and text:
                code = _choice(text, SECTOR_CHOICES)
                if code is None:
                    errors.append(
                        CellError(
                            number,
                            letter,
                            _("Sector «%(value)s» no válido; use uno de: %(options)s.")
                            % {"value": text, "options": sector_options},
                        )
                    )
                text = code or ""
            elif field == "sex":
                code = _choice(text, list(Sex.choices)) if text else Sex.NOT_STATED.value
                if code is None:
                    errors.append(
                        CellError(
                            number,
                            letter,
                            _("Sexo «%(value)s» no válido; use uno de: %(options)s.")
                            % {"value": text, "options": sex_options},
                        )
                    )
                text = code or ""
            person[field] = text
        people.append(person)
    if errors:
        raise ParticipantImportError(errors)
    if not people:
        raise ParticipantImportError([CellError(2, "—", _("El archivo no tiene participantes."))])
    return people


def participant_template() -> bytes:
    """An empty attendance list with the expected headers and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Participantes")
    write_table(sheet, list(HEADERS.values()), [["Ana López", "MINEX", "Gubernamental", "Mujer", "ana@example.org"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
