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
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sime.core.spreadsheets import HEADER_FILL, HEADER_FONT, looks_like_workbook, write_text_safely
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
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
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


def _read_number(raw: Any, *, integer: bool) -> Any:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool | dt.datetime | dt.date):
        raise ValueError(_("Escriba un número, no una fecha ni un valor lógico."))
    if isinstance(raw, int | float):
        number = Decimal(str(raw))
        if integer:
            if number != number.to_integral_value() or number < 0:
                raise ValueError(_("Escriba un número entero mayor o igual a cero."))
            return int(number)
        return number
    return parse_number(str(raw), integer=integer)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip()


def _check_meta(workbook: Any, submission: Submission, problems: list[Problem]) -> bool:
    if META_SHEET not in workbook.sheetnames:
        problems.append(
            Problem(
                "",
                "",
                _("El archivo no es un instrumento descargado de SIME-PM: descárguelo de la página del instrumento."),
            )
        )
        return False
    meta = {
        str(row[0]): row[1]
        for row in workbook[META_SHEET].iter_rows(min_row=1, max_row=10, max_col=2, values_only=True)
        if row[0]
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


def _check_headers(sheet: Any, expected: list[str], problems: list[Problem]) -> bool:
    ok = True
    for column, title in enumerate(expected, start=1):
        found = sheet.cell(row=HEADER_ROW, column=column).value
        if str(found or "").strip() != title:
            problems.append(
                Problem(
                    sheet.title,
                    _cell_ref(column, HEADER_ROW),
                    _("Encabezado cambiado: se esperaba «%(expected)s» y dice «%(found)s».")
                    % {"expected": title, "found": found or ""},
                )
            )
            ok = False
    extra = sheet.cell(row=HEADER_ROW, column=len(expected) + 1).value
    if extra not in (None, ""):
        problems.append(
            Problem(sheet.title, _cell_ref(len(expected) + 1, HEADER_ROW), _("Columna añadida: no agregue columnas."))
        )
        ok = False
    return ok


def _formula(cell: Any) -> bool:
    # Text that merely starts with "=" was written by us as text (data type "s"): it is not a formula.
    return bool(cell.data_type == "f")


def _read_sheet(
    sheet: Any,
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
    for row_cells in sheet.iter_rows(min_row=FIRST_ROW, max_col=version_column):
        row = row_cells[0].row
        code = _text(row_cells[0].value)
        if not code and all(cell.value in (None, "") for cell in row_cells):
            continue
        result.rows += 1
        item = items.get(code)
        if item is None:
            result.problems.append(
                Problem(
                    sheet.title,
                    _cell_ref(1, row),
                    _("Código «%(code)s» desconocido en este instrumento.") % {"code": code},
                )
            )
            continue
        if code in seen:
            result.problems.append(
                Problem(sheet.title, _cell_ref(1, row), _("El código «%(code)s» está repetido.") % {"code": code})
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
            cell = row_cells[column - 1]
            if _formula(cell):
                result.problems.append(Problem(sheet.title, cell.coordinate, _("Hay una fórmula: escriba el valor.")))
                row_ok = False
                continue
            raw = cell.value
            try:
                if name == "status":
                    text = _text(raw).lower()
                    if text and text not in labels:
                        raise ValueError(_("Estado no válido: elija uno de la lista."))
                    values[name] = labels.get(text, "")
                elif name in NUMERIC:
                    values[name] = _read_number(raw, integer=name == "beneficiaries_total")
                else:
                    values[name] = _text(raw)
            except ValueError as error:
                result.problems.append(Problem(sheet.title, cell.coordinate, str(error)))
                row_ok = False
        part_values: dict[str, dict[str, Any]] = {}
        for offset, (_t, dimension, category) in enumerate(parts):
            cell = row_cells[len(columns) + offset]
            if _formula(cell):
                result.problems.append(Problem(sheet.title, cell.coordinate, _("Hay una fórmula: escriba el valor.")))
                row_ok = False
                continue
            try:
                number = _read_number(cell.value, integer=parts_field == "beneficiaries_by")
            except ValueError as error:
                result.problems.append(Problem(sheet.title, cell.coordinate, str(error)))
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
        version_cell = row_cells[version_column - 1].value
        file_version = int(version_cell) if isinstance(version_cell, int | float) else None
        candidate = copy.copy(item)  # validated in memory; the stored item stays as it is
        try:
            changed, _warnings = prepare_item(candidate, values, catalogue)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = field_column.get(name, 1)
                result.problems.append(Problem(sheet.title, _cell_ref(column, row), " ".join(messages)))
            continue
        if not changed:
            continue
        if file_version is not None and file_version != item.version:
            who = getattr(item.updated_by, "full_name", "") or _("otra persona")
            result.problems.append(
                Problem(
                    sheet.title,
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
    if not looks_like_workbook(upload):
        result.problems.append(Problem("", "", _("El archivo no es un libro de Excel (.xlsx).")))
        return result
    try:
        workbook = load_workbook(upload, data_only=False)
    except Exception:  # any parse failure of a user file is a refusal, not a crash
        result.problems.append(Problem("", "", _("No se pudo leer el archivo de Excel: ¿está dañado?")))
        return result
    if not _check_meta(workbook, submission, result.problems):
        return result
    for name in (ACTIONS_SHEET, INDICATORS_SHEET):
        if name not in workbook.sheetnames:
            result.problems.append(
                Problem(name, "", _("Falta la hoja «%(sheet)s»: no cambie los nombres de las hojas.") % {"sheet": name})
            )
    if result.problems:
        return result
    catalogue = Catalogue.for_submission(submission)
    action_parts = _part_columns(catalogue.beneficiaries)
    indicator_parts = _indicator_part_columns(catalogue)
    headers_ok = _check_headers(workbook[ACTIONS_SHEET], _headers(ACTION_COLUMNS, action_parts), result.problems)
    headers_ok &= _check_headers(
        workbook[INDICATORS_SHEET], _headers(INDICATOR_COLUMNS, indicator_parts), result.problems
    )
    if not headers_ok:
        return result
    actions = {
        item.code: item
        for item in ActionProgress.objects.filter(submission=submission).select_related("action__node", "updated_by")
    }
    indicators = {
        item.code: item
        for item in IndicatorValue.objects.filter(submission=submission).select_related("indicator", "updated_by")
    }
    _read_sheet(workbook[ACTIONS_SHEET], actions, ACTION_COLUMNS, action_parts, "beneficiaries_by", catalogue, result)
    _read_sheet(
        workbook[INDICATORS_SHEET], indicators, INDICATOR_COLUMNS, indicator_parts, "disaggregated", catalogue, result
    )
    if result.problems:
        result.changes, result.preview = [], []
    return result
