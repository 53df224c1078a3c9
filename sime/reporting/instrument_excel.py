"""The instrument as an Excel workbook, and back.

Download: an instructions sheet, «Acciones» and «Indicadores» with the institution and period
in the header, locked structure, unlocked input cells, drop-down lists from the catalogues, and
a hidden sheet naming the instrument. Upload: the whole file is read and validated first; the
result is either a list of {sheet, cell, message} problems or the list of changes to apply.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sime.core.numbers import NumberError
from sime.core.spreadsheets import HEADER_FILL, HEADER_FONT, write_text_safely
from sime.core.workbooks import Formula, UploadedWorkbook, WorkbookError, open_workbook
from sime.reporting.forms import parse_number
from sime.reporting.models import ActionProgress, ActionStatus, IndicatorValue, Submission
from sime.reporting.services import Catalogue, PlannedChange, prepare_item
from sime.reporting.validation import canonical

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

META_SHEET = "_sime"
ACTIONS_SHEET = "Acciones"
INDICATORS_SHEET = "Indicadores"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
FORMAT_VERSION = "1"
LOCKED_FILL = PatternFill("solid", fgColor="E9ECEF")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")

# (header, field) of the fixed columns; parts columns follow, then the hidden version column.
ACTION_COLUMNS = [
    ("Código", None),
    ("Línea de acción", None),
    ("Estado", "status"),
    ("% de avance", "progress_percent"),
    ("Logros", "achievements"),
    ("Obstáculos", "obstacles"),
    ("Próximos pasos", "next_steps"),
    ("Presupuesto asignado (Q)", "budget_allocated"),
    ("Presupuesto ejecutado (Q)", "budget_executed"),
    ("Justificación de la ejecución", "budget_justification"),
    ("Personas beneficiarias", "beneficiaries_total"),
]
INDICATOR_COLUMNS = [
    ("Código", None),
    ("Indicador", None),
    ("Tipo de medida", None),
    ("Unidad", None),
    ("Valor del periodo", "value"),
    ("Numerador", "numerator"),
    ("Denominador", "denominator"),
    ("Observaciones", "notes"),
]
VERSION_HEADER = "versión (no modificar)"
NUMERIC = {
    "progress_percent",
    "budget_allocated",
    "budget_executed",
    "beneficiaries_total",
    "value",
    "numerator",
    "denominator",
}


@dataclass
class Problem:
    sheet: str
    cell: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}


@dataclass
class FieldChange:
    code: str
    field: str
    before: Any
    after: Any


@dataclass
class UploadResult:
    problems: list[Problem] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    preview: list[FieldChange] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _part_columns(dimensions: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(header, dimension code, category code) of every disaggregation column."""
    return [
        (f"{name}: {label}", code, category)
        for code, (name, categories) in dimensions.items()
        for category, label in categories.items()
    ]


def _indicator_part_columns(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    used = {code for codes in catalogue.indicator_dimensions.values() for code in codes}
    return _part_columns({code: value for code, value in catalogue.dimensions.items() if code in used})


def _headers(columns: list[tuple[str, Any]], parts: list[tuple[str, str, str]]) -> list[str]:
    return [title for title, _f in columns] + [title for title, _d, _c in parts] + [VERSION_HEADER]


# --- Download ------------------------------------------------------------------------------


def _header_block(sheet: Worksheet, submission: Submission, title: str) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet["A3"] = "Institución:", "Periodo:"
    write_text_safely(sheet["B2"], submission.institution.name)
    write_text_safely(sheet["B3"], f"{submission.period.code} — {submission.period.name}")
    sheet["A4"] = "Complete solo las celdas blancas. No cambie encabezados, códigos ni nombres de hojas."
    sheet["A4"].font = Font(italic=True, color="555555")


def _write_header(sheet: Worksheet, headers: list[str]) -> None:
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        write_text_safely(cell, title)  # part headers carry catalogue names typed by people
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column > 2 else (12 if column == 1 else 50)
    sheet.column_dimensions[get_column_letter(len(headers))].hidden = True
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=3)


def _input(cell: Any, value: Any, *, editable: bool = True) -> None:
    write_text_safely(cell, value)
    if editable:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
    else:
        cell.fill = LOCKED_FILL


def _plain(value: Any) -> Any:
    """Numbers stay numbers in Excel (openpyxl writes Decimal exactly); JSON parts arrive as text."""
    if isinstance(value, str) and value and value.replace(".", "", 1).isdigit():
        return Decimal(value)
    return value


def build_workbook(submission: Submission) -> bytes:
    catalogue = Catalogue.for_submission(submission)
    workbook = Workbook()
    intro = workbook.active
    intro.title = "Instrucciones"
    intro["A1"] = "Instrumento de recolección de información — SIME-PM"
    intro["A1"].font = Font(bold=True, size=14)
    lines = [
        ("Institución", submission.institution.name),
        ("Periodo", f"{submission.period.code} — {submission.period.name}"),
        ("Cierre de la recepción", submission.period.closes_on.strftime("%d/%m/%Y")),
        ("", ""),
        ("Cómo llenarlo", "Escriba en las celdas blancas de las hojas «Acciones» e «Indicadores»."),
        ("", "Estado: elija de la lista (No iniciada, En proceso, Completada, Atrasada, Suspendida)."),
        ("", "Si la acción está atrasada o suspendida, explique los obstáculos."),
        ("", "Números como 1,234.50 o 1234.5; porcentajes de 0 a 100; montos en quetzales con dos decimales."),
        ("", "Si lo ejecutado supera lo asignado, escriba la justificación."),
        ("", "Los desagregados deben sumar el total."),
        ("", "No escriba fórmulas, no cambie encabezados, códigos ni nombres de las hojas."),
        ("", "Cargue el archivo en SIME-PM: verá los cambios antes de confirmarlos."),
    ]
    for row, (label, text) in enumerate(lines, start=3):
        intro.cell(row=row, column=1, value=label).font = Font(bold=True)
        write_text_safely(intro.cell(row=row, column=2), text)
    intro.column_dimensions["A"].width = 24
    intro.column_dimensions["B"].width = 100

    # Actions
    sheet = workbook.create_sheet(ACTIONS_SHEET)
    _header_block(sheet, submission, "Avance de las líneas de acción")
    parts = _part_columns(catalogue.beneficiaries)
    headers = _headers(ACTION_COLUMNS, parts)
    _write_header(sheet, headers)
    labels = dict(ActionStatus.choices)
    status_list = DataValidation(
        type="list", formula1='"' + ",".join(str(label) for label in labels.values()) + '"', allow_blank=True
    )
    status_list.error, status_list.errorTitle = "Elija un estado de la lista.", "Estado no válido"
    sheet.add_data_validation(status_list)
    items = ActionProgress.objects.filter(submission=submission).select_related("action__node").order_by("position")
    row = FIRST_ROW
    item: Any
    for row, item in enumerate(items, start=FIRST_ROW):
        _input(sheet.cell(row=row, column=1), item.code, editable=False)
        _input(sheet.cell(row=row, column=2), item.action.node.title, editable=False)
        for column, (_title, name) in enumerate(ACTION_COLUMNS[2:], start=3):
            value = getattr(item, name)  # type: ignore[arg-type]
            if name == "status":
                value = str(labels.get(value, "")) if value else None
            _input(sheet.cell(row=row, column=column), _plain(value) if value not in ("", None) else None)
        for offset, (_t, dimension, category) in enumerate(parts):
            value = ((item.beneficiaries_by or {}).get(dimension) or {}).get(category)
            _input(sheet.cell(row=row, column=len(ACTION_COLUMNS) + 1 + offset), value)
        _input(sheet.cell(row=row, column=len(headers)), item.version, editable=False)
    if row >= FIRST_ROW:
        status_list.add(f"C{FIRST_ROW}:C{row}")
    sheet.protection.sheet = True

    # Indicators
    sheet = workbook.create_sheet(INDICATORS_SHEET)
    _header_block(sheet, submission, "Valores de los indicadores")
    parts = _indicator_part_columns(catalogue)
    headers = _headers(INDICATOR_COLUMNS, parts)
    _write_header(sheet, headers)
    values = IndicatorValue.objects.filter(submission=submission).select_related("indicator").order_by("position")
    for row, value_item in enumerate(values, start=FIRST_ROW):
        item = value_item
        indicator = item.indicator
        _input(sheet.cell(row=row, column=1), item.code, editable=False)
        _input(sheet.cell(row=row, column=2), indicator.name, editable=False)
        _input(sheet.cell(row=row, column=3), indicator.get_measure_type_display(), editable=False)
        _input(sheet.cell(row=row, column=4), indicator.unit, editable=False)
        percentage = indicator.measure_type == "percentage"
        for column, (_title, name) in enumerate(INDICATOR_COLUMNS[4:], start=5):
            value = getattr(item, name)  # type: ignore[arg-type]
            editable = (name in ("numerator", "denominator")) == percentage or name == "notes"
            _input(
                sheet.cell(row=row, column=column),
                _plain(value) if value not in ("", None) else None,
                editable=editable,
            )
        wanted = set(catalogue.indicator_dimensions.get(item.indicator_id, []))
        for offset, (_t, dimension, category) in enumerate(parts):
            value = ((item.disaggregated or {}).get(dimension) or {}).get(category)
            _input(
                sheet.cell(row=row, column=len(INDICATOR_COLUMNS) + 1 + offset),
                _plain(value) if value not in (None, "") else None,
                editable=dimension in wanted,
            )
        _input(sheet.cell(row=row, column=len(headers)), item.version, editable=False)
    sheet.protection.sheet = True

    meta = workbook.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        [
            ("formato", FORMAT_VERSION),
            ("instrumento", submission.pk),
            ("institucion", submission.institution_id),
            ("periodo", submission.period.code),
        ],
        start=1,
    ):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.security.lockStructure = True  # type: ignore[union-attr]
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Upload --------------------------------------------------------------------------------


def _cell_ref(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _part_error_cells(
    message: str,
    parts: list[tuple[str, str, str]],
    first_column: int,
    row: int,
    total_column: int | None,
) -> str:
    """The cell(s) a disaggregation message is about: the category's cell («Edad, 0 a 12 años: …»),
    else the dimension's cells and the total they must add up to («Edad: las partes suman …»).
    Every parts message starts with the dimension's name (validation._check_parts)."""
    columns_of: dict[str, list[int]] = {}
    for offset, (title, _dimension, _category) in enumerate(parts):
        dimension_name, _sep, category_name = title.partition(": ")
        column = first_column + offset
        if message.startswith(f"{dimension_name}, {category_name}:"):
            return _cell_ref(column, row)
        columns_of.setdefault(dimension_name, []).append(column)
    for dimension_name, columns in columns_of.items():
        if message.startswith(f"{dimension_name}:"):
            span = _cell_ref(columns[0], row)
            if len(columns) > 1:
                span += ":" + _cell_ref(columns[-1], row)
            return f"{span}, {_cell_ref(total_column, row)}" if total_column else span
    return _cell_ref(first_column, row)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip()


Rows = list[tuple[int, list[Any]]]


def _check_meta(book: UploadedWorkbook, submission: Submission, problems: list[Problem]) -> bool:
    if META_SHEET not in book.sheetnames:
        problems.append(
            Problem(
                "",
                "",
                _("El archivo no es un instrumento descargado de SIME-PM: descárguelo de la página del instrumento."),
            )
        )
        return False
    meta = {
        str(values[0]): values[1] for number, values in book.rows(META_SHEET, max_col=2) if number <= 10 and values[0]
    }
    if str(meta.get("instrumento")) != str(submission.pk):
        problems.append(
            Problem(
                "",
                "",
                _(
                    "El archivo es de otro instrumento (institución o periodo distintos): "
                    "este es de %(institution)s, %(period)s."
                )
                % {"institution": submission.institution.name, "period": submission.period.code},
            )
        )
        return False
    if (
        str(meta.get("institucion")) != str(submission.institution_id)
        or str(meta.get("periodo")) != submission.period.code
    ):
        problems.append(Problem("", "", _("El archivo es de otra institución o de otro periodo.")))
        return False
    return True


def _check_headers(sheet: str, rows: Rows, expected: list[str], problems: list[Problem]) -> bool:
    header = next((values for number, values in rows if number == HEADER_ROW), [None] * (len(expected) + 1))
    ok = True
    for column, title in enumerate(expected, start=1):
        found = header[column - 1]
        if str(found or "").strip() != title:
            problems.append(
                Problem(
                    sheet,
                    _cell_ref(column, HEADER_ROW),
                    _("Encabezado cambiado: se esperaba «%(expected)s» y dice «%(found)s».")
                    % {"expected": title, "found": found or ""},
                )
            )
            ok = False
    extra = header[len(expected)]
    if extra not in (None, ""):
        problems.append(
            Problem(sheet, _cell_ref(len(expected) + 1, HEADER_ROW), _("Columna añadida: no agregue columnas."))
        )
        ok = False
    return ok


def _read_sheet(
    sheet: str,
    rows: Rows,
    items: dict[str, Any],
    columns: list[tuple[str, Any]],
    parts: list[tuple[str, str, str]],
    parts_field: str,
    catalogue: Catalogue,
    result: UploadResult,
) -> None:
    labels = {str(label).lower(): value for value, label in ActionStatus.choices}
    labels.update({value: value for value in ActionStatus.values})
    version_column = len(columns) + len(parts) + 1
    seen: set[str] = set()
    for row, row_values in rows:
        if row < FIRST_ROW:
            continue
        code = _text(row_values[0])
        if not code and all(value in (None, "") for value in row_values):
            continue
        result.rows += 1
        item = items.get(code)
        if item is None:
            result.problems.append(
                Problem(
                    sheet,
                    _cell_ref(1, row),
                    _("Código «%(code)s» desconocido en este instrumento.") % {"code": code[:60]},
                )
            )
            continue
        if code in seen:
            result.problems.append(
                Problem(sheet, _cell_ref(1, row), _("El código «%(code)s» está repetido.") % {"code": code})
            )
            continue
        seen.add(code)
        values: dict[str, Any] = {}
        row_ok = True
        field_column: dict[str, int] = {}
        for column, (_title, name) in enumerate(columns, start=1):
            if name is None:
                continue
            field_column[name] = column
            raw = row_values[column - 1]
            if isinstance(raw, Formula):
                result.problems.append(Problem(sheet, _cell_ref(column, row), _("Hay una fórmula: escriba el valor.")))
                row_ok = False
                continue
            try:
                if name == "status":
                    text = _text(raw).lower()
                    if text and text not in labels:
                        raise ValueError(_("Estado no válido: elija uno de la lista."))
                    values[name] = labels.get(text, "")
                elif name in NUMERIC:
                    values[name] = parse_number(raw, integer=name == "beneficiaries_total")
                else:
                    values[name] = _text(raw)
            except ValueError as error:  # NumberError included
                result.problems.append(Problem(sheet, _cell_ref(column, row), str(error)))
                row_ok = False
        part_values: dict[str, dict[str, Any]] = {}
        for offset, (_t, dimension, category) in enumerate(parts):
            column = len(columns) + offset + 1
            raw = row_values[column - 1]
            if isinstance(raw, Formula):
                result.problems.append(Problem(sheet, _cell_ref(column, row), _("Hay una fórmula: escriba el valor.")))
                row_ok = False
                continue
            try:
                number = parse_number(raw, integer=parts_field == "beneficiaries_by")
            except NumberError as error:
                result.problems.append(Problem(sheet, _cell_ref(column, row), str(error)))
                row_ok = False
                continue
            if number is not None:
                part_values.setdefault(dimension, {})[category] = (
                    number if isinstance(number, int) else canonical(number)
                )
        field_column[parts_field] = len(columns) + 1
        values[parts_field] = part_values
        if not row_ok:
            continue
        if isinstance(item, IndicatorValue) and item.indicator.measure_type == "percentage":
            values.pop("value", None)  # computed from numerator and denominator
        version_cell = row_values[version_column - 1]
        # A float such as inf or nan from a hand-edited file is no version at all.
        integral = isinstance(version_cell, int) or (isinstance(version_cell, float) and version_cell.is_integer())
        file_version = int(version_cell) if integral else None
        candidate = copy.copy(item)  # validated in memory; the stored item stays as it is
        try:
            changed, _warnings = prepare_item(candidate, values, catalogue)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name == parts_field:
                    total = "beneficiaries_total" if parts_field == "beneficiaries_by" else "value"
                    for message in messages:
                        cells = _part_error_cells(message, parts, len(columns) + 1, row, field_column.get(total))
                        result.problems.append(Problem(sheet, cells, message))
                    continue
                column = field_column.get(name, 1)
                result.problems.append(Problem(sheet, _cell_ref(column, row), " ".join(messages)))
            continue
        if not changed:
            continue
        if file_version is not None and file_version != item.version:
            who = getattr(item.updated_by, "full_name", "") or _("otra persona")
            result.problems.append(
                Problem(
                    sheet,
                    _cell_ref(1, row),
                    _(
                        "Este ítem fue modificado en SIME-PM por %(who)s después de descargar el archivo: "
                        "descárguelo de nuevo."
                    )
                    % {"who": who},
                )
            )
            continue
        result.changes.append(
            PlannedChange(item=item, values={n: getattr(candidate, n) for n in changed}, version=item.version)
        )
        for name in changed:
            result.preview.append(
                FieldChange(code=code, field=name, before=getattr(item, name), after=getattr(candidate, name))
            )


def read_upload(submission: Submission, upload: Any) -> UploadResult:
    """Validate the whole file; nothing is written here."""
    result = UploadResult()
    try:
        with open_workbook(upload) as book:
            _read_book(book, submission, result)
    except WorkbookError as error:
        result.problems.append(Problem(error.sheet, "", error.message))
    if result.problems:
        result.changes, result.preview = [], []
    return result


def _read_book(book: UploadedWorkbook, submission: Submission, result: UploadResult) -> None:
    if not _check_meta(book, submission, result.problems):
        return
    for name in (ACTIONS_SHEET, INDICATORS_SHEET):
        if name not in book.sheetnames:
            result.problems.append(
                Problem(name, "", _("Falta la hoja «%(sheet)s»: no cambie los nombres de las hojas.") % {"sheet": name})
            )
    if result.problems:
        return
    catalogue = Catalogue.for_submission(submission)
    action_parts = _part_columns(catalogue.beneficiaries)
    indicator_parts = _indicator_part_columns(catalogue)
    action_headers = _headers(ACTION_COLUMNS, action_parts)
    indicator_headers = _headers(INDICATOR_COLUMNS, indicator_parts)
    # One column past the layout, to tell an added column; rows are bounded by the reader's limits.
    action_rows = list(book.rows(ACTIONS_SHEET, max_col=len(action_headers) + 1))
    indicator_rows = list(book.rows(INDICATORS_SHEET, max_col=len(indicator_headers) + 1))
    headers_ok = _check_headers(ACTIONS_SHEET, action_rows, action_headers, result.problems)
    headers_ok &= _check_headers(INDICATORS_SHEET, indicator_rows, indicator_headers, result.problems)
    if not headers_ok:
        return
    actions = {
        item.code: item
        for item in ActionProgress.objects.filter(submission=submission).select_related("action__node", "updated_by")
    }
    indicators = {
        item.code: item
        for item in IndicatorValue.objects.filter(submission=submission).select_related("indicator", "updated_by")
    }
    _read_sheet(
        ACTIONS_SHEET, action_rows, actions, ACTION_COLUMNS, action_parts, "beneficiaries_by", catalogue, result
    )
    _read_sheet(
        INDICATORS_SHEET,
        indicator_rows,
        indicators,
        INDICATOR_COLUMNS,
        indicator_parts,
        "disaggregated",
        catalogue,
        result,
    )
