"""Import a results framework from the Excel layout of framework_excel.py.

The whole workbook is read and validated first; every problem is reported with its sheet, row,
column and a Spanish message, and nothing is written unless the whole file is valid. A policy
code that already exists is refused, so a new version never overwrites an old one's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from sime.accounts.models import User
from sime.accounts.permissions import require
from sime.core.audit import record_event
from sime.core.numbers import NumberError, parse_count, parse_decimal
from sime.core.text import search_key
from sime.core.workbooks import Formula, UploadedWorkbook, WorkbookError, open_workbook
from sime.institutions.models import Institution
from sime.policy import framework_excel as layout
from sime.policy.causal import cycle_closed_by
from sime.policy.models import (
    Action,
    CausalLink,
    DisaggregationCategory,
    DisaggregationDimension,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    IndicatorTarget,
    KatunPriority,
    MilestoneStep,
    Policy,
    PolicyLevel,
    PolicyNode,
    SdgTarget,
    TargetPopulation,
)

# Every whole number of the layout (years, depths, orders) lands in a PositiveSmallIntegerField.
MAX_SMALL_INTEGER = 32_767
# Digits before the point of the decimal columns: budgets (14, 2), values and targets (18, 4).
BUDGET_DIGITS, VALUE_DIGITS = 12, 14


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}, fila {self.row}, columna {self.column}: {self.message}"


class FrameworkImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errores")
        self.errors = errors


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]  # header → cell value
    columns: dict[str, str]  # header → column letter


@dataclass
class Parsed:
    policy: dict[str, Any] = field(default_factory=dict)
    levels: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)  # ordered: parents before children
    indicators: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    principles: list[dict[str, Any]] = field(default_factory=list)
    catalogues: list[dict[str, Any]] = field(default_factory=list)


class Reader:
    """Reads cells into typed values, collecting every error instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[CellError] = []

    def error(self, row: Row, header: str, message: str) -> None:
        column = row.columns.get(header, "A")
        self.errors.append(CellError(row.sheet, row.number, column, message))

    def has_error(self, row: Row, header: str) -> bool:
        column = row.columns[header]
        return any(e.sheet == row.sheet and e.row == row.number and e.column == column for e in self.errors)

    def raw(self, row: Row, header: str) -> Any:
        value = row.values[header]
        if isinstance(value, Formula):
            self.error(row, header, _("La celda contiene una fórmula; escriba el valor."))
            return None
        return value

    def text(self, row: Row, header: str, *, required: bool = False) -> str:
        value = self.raw(row, header)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.error(row, header, _("Este dato es obligatorio."))
        return text

    def integer(self, row: Row, header: str, *, required: bool = False) -> int | None:
        value = self.raw(row, header)
        if value is None or str(value).strip() == "":
            if required:
                self.error(row, header, _("Este dato es obligatorio."))
            return None
        try:
            return parse_count(value, maximum=MAX_SMALL_INTEGER)
        except NumberError as error:
            self.number_error(row, header, value, error, _("«%(value)s» no es un número entero."))
            return None

    def decimal(
        self, row: Row, header: str, *, places: int | None = None, digits: int = VALUE_DIGITS
    ) -> Decimal | None:
        value = self.raw(row, header)
        if value is None or str(value).strip() == "":
            return None
        try:
            number = parse_decimal(value, max_integer_digits=digits)
        except NumberError as error:
            self.number_error(row, header, value, error, _("«%(value)s» no es un número."))
            return None
        if places is not None:
            if number.as_tuple().exponent < -places and number != number.quantize(Decimal(10) ** -places):  # type: ignore[operator]
                self.error(row, header, _("Use como máximo %(places)s decimales.") % {"places": places})
                return None
            number = number.quantize(Decimal(10) ** -places)
        return number

    def number_error(self, row: Row, header: str, value: Any, error: NumberError, not_a_number: str) -> None:
        """The cell's own wording for text that is no number; the parser's reason for any other refusal."""
        if error.code == "invalid":
            self.error(row, header, not_a_number % {"value": _shown(value)})
        else:
            self.error(row, header, str(error))

    def yes_no(self, row: Row, header: str) -> bool:
        text = search_key(self.text(row, header))
        if text in ("", "no"):
            return False
        if text in ("si", "yes", "x", "1", "true", "verdadero"):
            return True
        self.error(row, header, _("Escriba «Sí» o «No»."))
        return False

    def choice(self, row: Row, header: str, choices: Any, *, required: bool = True) -> str:
        text = self.text(row, header)
        if not text:
            if required:
                self.error(row, header, _("Este dato es obligatorio."))
            return ""
        wanted = search_key(text)
        for value, title in choices.choices:
            if wanted in (search_key(str(title)), search_key(value)):
                return str(value)
        options = ", ".join(str(title) for _value, title in choices.choices)
        self.error(
            row, header, _("«%(value)s» no es válido; use uno de: %(options)s.") % {"value": text, "options": options}
        )
        return ""

    def codes(self, row: Row, header: str) -> list[str]:
        return [code.strip() for code in self.text(row, header).replace(";", ",").split(",") if code.strip()]

    def date(self, row: Row, header: str) -> dt.date | None:
        value = self.raw(row, header)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
        except ValueError:
            self.error(row, header, _("«%(value)s» no es una fecha dd/mm/aaaa.") % {"value": value})
            return None


def _shown(value: Any) -> str:
    """A cell's value as quoted in a message: a few dozen characters, not a whole pasted page."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _sheet_rows(reader: Reader, book: UploadedWorkbook, sheet: str, headers: list[str]) -> list[Row]:
    """The data rows of a sheet whose first row must carry exactly `headers`."""
    letters = [get_column_letter(index) for index in range(1, len(headers) + 1)]
    rows: list[Row] = []
    header_row: list[Any] = [None] * len(headers)  # an empty sheet has no header row at all
    for number, values in book.rows(sheet, max_col=len(headers)):
        if number == 1:
            header_row = values
            continue
        if all(value in (None, "") for value in values):
            continue
        rows.append(
            Row(sheet, number, dict(zip(headers, values, strict=True)), dict(zip(headers, letters, strict=True)))
        )
    for letter, header, found in zip(letters, headers, header_row, strict=True):
        if str(found or "").strip() != header:
            reader.errors.append(
                CellError(sheet, 1, letter, _("Se esperaba el encabezado «%(header)s».") % {"header": header})
            )
            return []
    return rows


def read_framework(upload: Any) -> Parsed:
    """Read and validate the whole workbook; raise FrameworkImportError listing every problem."""
    try:
        with open_workbook(upload) as book:
            return _read_book(book)
    except WorkbookError as error:
        raise FrameworkImportError([CellError(error.sheet or "—", 0, "—", error.message)]) from error


def _read_book(book: UploadedWorkbook) -> Parsed:
    reader = Reader()
    parsed = Parsed()

    def sheet(name: str) -> str | None:
        if name in book.sheetnames:
            return name
        reader.errors.append(CellError(name, 0, "—", _("Falta la hoja «%(name)s».") % {"name": name}))
        return None

    catalogue_sheet = sheet(layout.CATALOGUES_SHEET)
    known = _known_catalogues()
    if catalogue_sheet is not None:
        for row in _sheet_rows(reader, book, catalogue_sheet, layout.CATALOGUE_HEADERS):
            entry = {
                "catalogue": reader.text(row, "Catálogo", required=True),
                "code": reader.text(row, "Código", required=True),
                "name": reader.text(row, "Nombre", required=True),
                "kind": reader.text(row, "Tipo o dimensión"),
            }
            if entry["catalogue"] not in known:
                reader.error(row, "Catálogo", _("Catálogo desconocido: «%(name)s».") % {"name": entry["catalogue"]})
                continue
            if entry["catalogue"] == layout.CATALOGUE_GCM and entry["code"]:
                # A Global Compact objective is a number (1 to 23), stored in a small integer column.
                try:
                    parse_count(entry["code"], maximum=MAX_SMALL_INTEGER)
                except NumberError as error:
                    reader.number_error(row, "Código", entry["code"], error, _("«%(value)s» no es un número entero."))
                    continue
            known[entry["catalogue"]].add(entry["code"])
            parsed.catalogues.append(entry | {"row": row})

    policy_sheet = sheet(layout.POLICY_SHEET)
    if policy_sheet is not None:
        _read_policy(reader, book, policy_sheet, parsed)
    levels_sheet = sheet(layout.LEVELS_SHEET)
    if levels_sheet is not None:
        _read_levels(reader, book, levels_sheet, parsed)

    institutions = {i.acronym.upper(): i.pk for i in Institution.objects.only("pk", "acronym")}
    codes: dict[str, int] = {}  # node code → depth
    for level in parsed.levels:
        level_sheet = sheet(layout.sheet_title(level["name_plural"]))
        if level_sheet is None:
            continue
        headers = layout.NODE_HEADERS + (layout.ACTION_HEADERS if level["is_action_level"] else [])
        for row in _sheet_rows(reader, book, level_sheet, headers):
            node = _read_node(reader, row, level, codes, known, institutions)
            if node:
                codes[node["code"]] = level["depth"]
                parsed.nodes.append(node)

    indicator_sheet = sheet(layout.INDICATORS_SHEET)
    if indicator_sheet is not None and parsed.policy.get("start_year") and parsed.policy.get("end_year"):
        years = range(parsed.policy["start_year"], parsed.policy["end_year"] + 1)
        headers = layout.INDICATOR_HEADERS + [layout.target_header(year) for year in years]
        seen: set[str] = set()
        for row in _sheet_rows(reader, book, indicator_sheet, headers):
            parsed.indicators.append(_read_indicator(reader, row, years, codes, known, institutions, seen))

    links_sheet = sheet(layout.LINKS_SHEET)
    if links_sheet is not None:
        edges: list[tuple[str, str]] = []
        for row in _sheet_rows(reader, book, links_sheet, layout.LINK_HEADERS):
            source = reader.text(row, layout.LINK_HEADERS[0], required=True)
            target = reader.text(row, layout.LINK_HEADERS[1], required=True)
            ok = True
            for header, code in ((layout.LINK_HEADERS[0], source), (layout.LINK_HEADERS[1], target)):
                if code and code not in codes:
                    reader.error(row, header, _("No existe el nodo «%(code)s».") % {"code": code})
                    ok = False
            if not (ok and source and target):
                continue
            if (source, target) in edges:
                reader.error(row, layout.LINK_HEADERS[1], _("Este vínculo está repetido."))
                continue
            cycle = cycle_closed_by(edges, source, target)
            if cycle:
                reader.error(
                    row,
                    layout.LINK_HEADERS[1],
                    _("Este vínculo cerraría un ciclo: %(cycle)s.") % {"cycle": " → ".join(cycle)},
                )
                continue
            edges.append((source, target))
            parsed.links.append(
                {"source": source, "target": target, "evidence_note": reader.text(row, layout.LINK_HEADERS[2])}
            )

    principles_sheet = sheet(layout.PRINCIPLES_SHEET)
    if principles_sheet is not None:
        for row in _sheet_rows(reader, book, principles_sheet, layout.PRINCIPLE_HEADERS):
            parsed.principles.append(
                {
                    "order": reader.integer(row, "Orden") or 0,
                    "name": reader.text(row, "Nombre", required=True),
                    "description": reader.text(row, "Descripción"),
                    "is_illustrative": reader.yes_no(row, "Texto ilustrativo"),
                }
            )

    if reader.errors:
        raise FrameworkImportError(reader.errors)
    return parsed


def _known_catalogues() -> dict[str, set[str]]:
    return {
        layout.CATALOGUE_POPULATION: set(TargetPopulation.objects.values_list("code", flat=True)),
        layout.CATALOGUE_GCM: {str(n) for n in GcmObjective.objects.values_list("number", flat=True)},
        layout.CATALOGUE_SDG: set(SdgTarget.objects.values_list("code", flat=True)),
        layout.CATALOGUE_KATUN: set(KatunPriority.objects.values_list("code", flat=True)),
        layout.CATALOGUE_DIMENSION: set(DisaggregationDimension.objects.values_list("code", flat=True)),
        layout.CATALOGUE_CATEGORY: set(),
    }


def _read_policy(reader: Reader, book: UploadedWorkbook, sheet: str, parsed: Parsed) -> None:
    rows = {str(row.values["Campo"] or "").strip(): row for row in _sheet_rows(reader, book, sheet, ["Campo", "Valor"])}
    values: dict[str, Any] = {}
    for name, title in layout.POLICY_FIELDS:
        row = rows.get(title)
        if row is None:
            reader.errors.append(CellError(sheet, 0, "A", _("Falta el campo «%(field)s».") % {"field": title}))
            continue
        if name in ("start_year", "end_year"):
            values[name] = reader.integer(row, "Valor", required=True)
        elif name == "issued_on":
            values[name] = reader.date(row, "Valor")
        elif name == "status":
            values[name] = reader.choice(row, "Valor", layout.CHOICES["status"])
        elif name == "is_illustrative":
            values[name] = reader.yes_no(row, "Valor")
        else:
            values[name] = reader.text(row, "Valor", required=name in ("code", "name"))
    if values.get("code") and Policy.objects.filter(code=values["code"]).exists():
        row = rows["Código"]
        reader.error(
            row,
            "Valor",
            _("Ya existe una política con el código «%(code)s»; use otro código para una nueva versión.")
            % {"code": values["code"]},
        )
    if values.get("start_year") and values.get("end_year") and values["end_year"] < values["start_year"]:
        reader.error(rows["Año de fin"], "Valor", _("El año de fin no puede ser anterior al de inicio."))
    parsed.policy = values


def _read_levels(reader: Reader, book: UploadedWorkbook, sheet: str, parsed: Parsed) -> None:
    for row in _sheet_rows(reader, book, sheet, layout.LEVEL_HEADERS):
        parsed.levels.append(
            {
                "depth": reader.integer(row, "Profundidad", required=True),
                "name": reader.text(row, "Nombre", required=True),
                "name_plural": reader.text(row, "Nombre en plural", required=True),
                "is_action_level": reader.yes_no(row, "Nivel de líneas de acción"),
                "row": row,
            }
        )
    depths = [level["depth"] for level in parsed.levels]
    if parsed.levels and depths != list(range(1, len(depths) + 1)):
        reader.error(parsed.levels[0]["row"], "Profundidad", _("Las profundidades deben ser 1, 2, 3… en orden."))
    actions = [level for level in parsed.levels if level["is_action_level"]]
    if parsed.levels and (len(actions) != 1 or actions[0] is not parsed.levels[-1]):
        reader.error(
            parsed.levels[-1]["row"],
            "Nivel de líneas de acción",
            _("Exactamente un nivel, el último, debe ser el de líneas de acción."),
        )


def _check_codes(reader: Reader, row: Row, header: str, codes: list[str], known: set[str]) -> list[str]:
    unknown = [code for code in codes if code not in known]
    if unknown:
        reader.error(row, header, _("Código desconocido: %(codes)s.") % {"codes": ", ".join(unknown)})
    return [code for code in codes if code in known]


def _read_node(
    reader: Reader,
    row: Row,
    level: dict[str, Any],
    codes: dict[str, int],
    known: dict[str, set[str]],
    institutions: dict[str, int],
) -> dict[str, Any] | None:
    code = reader.text(row, "Código", required=True)
    parent = reader.text(row, "Código superior")
    if code in codes:
        reader.error(row, "Código", _("El código «%(code)s» está repetido.") % {"code": code})
        return None
    if level["depth"] == 1 and parent:
        reader.error(row, "Código superior", _("Un nodo del primer nivel no tiene superior."))
    if level["depth"] > 1:
        if not parent:
            reader.error(row, "Código superior", _("Indique el código del nodo superior."))
        elif codes.get(parent) != level["depth"] - 1:
            reader.error(
                row,
                "Código superior",
                _("No existe el nodo superior «%(code)s» en el nivel anterior.") % {"code": parent},
            )
    node: dict[str, Any] = {
        "depth": level["depth"],
        "code": code,
        "parent": parent or None,
        "title": reader.text(row, "Título", required=True),
        "description": reader.text(row, "Descripción"),
        "order": reader.integer(row, "Orden") or 0,
        "is_illustrative": reader.yes_no(row, "Texto ilustrativo"),
        "gcm": _check_codes(
            reader,
            row,
            "Objetivos Pacto Mundial",
            reader.codes(row, "Objetivos Pacto Mundial"),
            known[layout.CATALOGUE_GCM],
        ),
        "sdg": _check_codes(reader, row, "Metas ODS", reader.codes(row, "Metas ODS"), known[layout.CATALOGUE_SDG]),
        "katun": _check_codes(
            reader, row, "K'atun 2032", reader.codes(row, "K'atun 2032"), known[layout.CATALOGUE_KATUN]
        ),
        "action": None,
    }
    if level["is_action_level"]:
        lead = reader.text(row, "Institución responsable", required=True).upper()
        if lead and lead not in institutions:
            reader.error(
                row, "Institución responsable", _("Institución desconocida: «%(acronym)s».") % {"acronym": lead}
            )
        co = [code.upper() for code in reader.codes(row, "Corresponsables")]
        unknown = [acronym for acronym in co if acronym not in institutions]
        if unknown:
            reader.error(
                row, "Corresponsables", _("Institución desconocida: %(acronyms)s.") % {"acronyms": ", ".join(unknown)}
            )
        budget = reader.decimal(row, "Presupuesto estimado (Q)", places=2, digits=BUDGET_DIGITS)
        if budget is not None and budget < 0:
            reader.error(row, "Presupuesto estimado (Q)", _("El presupuesto no puede ser negativo."))
        start = reader.integer(row, "Año de inicio de la acción")
        end = reader.integer(row, "Año de fin de la acción")
        if start and end and end < start:
            reader.error(row, "Año de fin de la acción", _("El año de fin no puede ser anterior al de inicio."))
        node["action"] = {
            "lead": institutions.get(lead),
            "co": [institutions[a] for a in co if a in institutions],
            "horizon": reader.choice(row, "Plazo", layout.CHOICES["horizon"], required=False),
            "start_year": start,
            "end_year": end,
            "populations": _check_codes(
                reader,
                row,
                "Población objetivo",
                reader.codes(row, "Población objetivo"),
                known[layout.CATALOGUE_POPULATION],
            ),
            "expected_product": reader.text(row, "Producto esperado"),
            "estimated_budget": budget,
        }
    return node


def _read_indicator(
    reader: Reader,
    row: Row,
    years: range,
    codes: dict[str, int],
    known: dict[str, set[str]],
    institutions: dict[str, int],
    seen: set[str],
) -> dict[str, Any]:
    code = reader.text(row, "Código", required=True)
    if code in seen:
        reader.error(row, "Código", _("El código «%(code)s» está repetido.") % {"code": code})
    seen.add(code)
    node = reader.text(row, "Código del nodo", required=True)
    if node and node not in codes:
        reader.error(row, "Código del nodo", _("No existe el nodo «%(code)s».") % {"code": node})
    responsible = reader.text(row, "Institución responsable", required=True).upper()
    if responsible and responsible not in institutions:
        reader.error(
            row, "Institución responsable", _("Institución desconocida: «%(acronym)s».") % {"acronym": responsible}
        )
    measure = reader.choice(row, "Tipo de medida", layout.CHOICES["measure_type"])
    numerator, denominator = reader.text(row, "Numerador"), reader.text(row, "Denominador")
    if measure == "percentage" and not (numerator and denominator):
        reader.error(row, "Denominador", _("Un porcentaje necesita la definición del numerador y del denominador."))
    baseline, baseline_year = reader.decimal(row, "Línea base"), reader.integer(row, "Año de la línea base")
    already_wrong = reader.has_error(row, "Línea base") or reader.has_error(row, "Año de la línea base")
    if (baseline is None) != (baseline_year is None) and not already_wrong:
        reader.error(row, "Año de la línea base", _("La línea base necesita valor y año."))
    steps = []
    for part in [p.strip() for p in reader.text(row, "Escala de hitos").split(";") if p.strip()]:
        step, _sep, name = part.partition("=")
        try:
            value = parse_count(step.strip(), maximum=MAX_SMALL_INTEGER) if name.strip() else None
        except NumberError:
            value = None
        if value is None:
            reader.error(row, "Escala de hitos", _("Escriba los hitos como «0=No iniciado; 1=En proceso»."))
            break
        steps.append((value, name.strip()))
    targets: dict[int, Decimal] = {}
    for year in years:
        target = reader.decimal(row, layout.target_header(year))
        if target is not None:
            targets[year] = target
    return {
        "code": code,
        "name": reader.text(row, "Nombre", required=True),
        "definition": reader.text(row, "Definición"),
        "level": reader.choice(row, "Nivel", layout.CHOICES["level"]),
        "node": node,
        "unit": reader.text(row, "Unidad de medida", required=True),
        "measure_type": measure,
        "numerator_definition": numerator,
        "denominator_definition": denominator,
        "direction": reader.choice(row, "Sentido esperado", layout.CHOICES["direction"]),
        "baseline_value": baseline,
        "baseline_year": baseline_year,
        "baseline_source": reader.text(row, "Fuente de la línea base"),
        "frequency": reader.choice(row, "Frecuencia", layout.CHOICES["frequency"]),
        "data_source": reader.text(row, "Fuente de datos"),
        "means_of_verification": reader.text(row, "Medios de verificación"),
        "responsible": institutions.get(responsible),
        "aggregation": reader.choice(row, "Agregación", layout.CHOICES["aggregation"]),
        "dimensions": _check_codes(
            reader, row, "Desagregaciones", reader.codes(row, "Desagregaciones"), known[layout.CATALOGUE_DIMENSION]
        ),
        "steps": steps,
        "is_illustrative": reader.yes_no(row, "Texto ilustrativo"),
        "targets": targets,
    }


@transaction.atomic
def import_framework(*, by: User | None, upload: Any) -> Policy:
    """Validate the whole workbook, then create the policy and everything in it in one transaction."""
    if by is not None:
        require(by, "policy.change_framework")
    parsed = read_framework(upload)

    def saved(obj: Any) -> Any:
        obj._history_user = by
        obj.full_clean()
        obj.save()
        return obj

    _write_catalogues(parsed)
    policy = saved(Policy(**parsed.policy))
    levels = {
        level["depth"]: PolicyLevel.objects.create(
            policy=policy,
            depth=level["depth"],
            name=level["name"],
            name_plural=level["name_plural"],
            is_action_level=level["is_action_level"],
        )
        for level in parsed.levels
    }
    gcm = {str(g.number): g for g in GcmObjective.objects.all()}
    sdg = {s.code: s for s in SdgTarget.objects.all()}
    katun = {k.code: k for k in KatunPriority.objects.all()}
    populations = {p.code: p for p in TargetPopulation.objects.all()}
    nodes: dict[str, PolicyNode] = {}
    for row in parsed.nodes:
        node = saved(
            PolicyNode(
                policy=policy,
                level=levels[row["depth"]],
                parent=nodes.get(row["parent"]) if row["parent"] else None,
                code=row["code"],
                title=row["title"],
                description=row["description"],
                order=row["order"],
                is_illustrative=row["is_illustrative"],
            )
        )
        node.gcm_objectives.set([gcm[c] for c in row["gcm"]])
        node.sdg_targets.set([sdg[c] for c in row["sdg"]])
        node.katun_priorities.set([katun[c] for c in row["katun"]])
        nodes[node.code] = node
        if row["action"]:
            data = row["action"]
            action = saved(
                Action(
                    node=node,
                    lead_institution_id=data["lead"],
                    horizon=data["horizon"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    expected_product=data["expected_product"],
                    estimated_budget=data["estimated_budget"],
                )
            )
            action.co_responsible.set(data["co"])
            action.target_populations.set([populations[c] for c in data["populations"]])
    dimensions = {d.code: d for d in DisaggregationDimension.objects.all()}
    for row in parsed.indicators:
        indicator = saved(
            Indicator(
                policy=policy,
                node=nodes[row["node"]],
                responsible_institution_id=row["responsible"],
                **{
                    name: row[name]
                    for name in Indicator.SHEET_FIELDS
                    if name not in ("node", "responsible_institution")
                },
            )
        )
        indicator.dimensions.set([dimensions[c] for c in row["dimensions"]])
        for year, value in row["targets"].items():
            saved(IndicatorTarget(indicator=indicator, year=year, value=value))
        for value, name in row["steps"]:
            MilestoneStep.objects.create(indicator=indicator, value=value, name=name)
    for row in parsed.links:
        saved(
            CausalLink(
                policy=policy,
                source=nodes[row["source"]],
                target=nodes[row["target"]],
                evidence_note=row["evidence_note"],
            )
        )
    for row in parsed.principles:
        GuidingPrinciple.objects.create(policy=policy, **row)
    record_event(
        policy,
        "policy.imported",
        by=by,
        data={"nodes": len(parsed.nodes), "indicators": len(parsed.indicators), "links": len(parsed.links)},
    )
    return policy


def _write_catalogues(parsed: Parsed) -> None:
    """Catalogue entries named in the file that the database lacks are added (existing ones kept)."""
    kinds = {search_key(str(title)): value for value, title in layout.CHOICES["kind"].choices}
    for entry in parsed.catalogues:
        catalogue, code, name = entry["catalogue"], entry["code"], entry["name"]
        if catalogue == layout.CATALOGUE_POPULATION:
            TargetPopulation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kinds.get(search_key(entry["kind"]), "subpopulation")}
            )
        elif catalogue == layout.CATALOGUE_GCM:
            number = parse_count(code, maximum=MAX_SMALL_INTEGER)  # checked when the file was read
            GcmObjective.objects.get_or_create(number=number, defaults={"title_es": name, "title_en": name})
        elif catalogue == layout.CATALOGUE_SDG:
            SdgTarget.objects.get_or_create(code=code, defaults={"summary": name})
        elif catalogue == layout.CATALOGUE_KATUN:
            KatunPriority.objects.get_or_create(code=code, defaults={"name": name})
        elif catalogue == layout.CATALOGUE_DIMENSION:
            DisaggregationDimension.objects.get_or_create(code=code, defaults={"name": name})
        elif catalogue == layout.CATALOGUE_CATEGORY:
            dimension = DisaggregationDimension.objects.filter(code=entry["kind"]).first()
            if dimension is not None:
                DisaggregationCategory.objects.get_or_create(dimension=dimension, code=code, defaults={"name": name})
