"""Excel layout of the results framework, shared by the export and the import.

One sheet for the policy, one for its levels, one per level with its nodes (the action level
with the Plan de Acción columns), one for indicators with their yearly targets, one for causal
links, one for guiding principles and one for catalogues. Headers are Spanish.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from sime.core.spreadsheets import write_table
from sime.policy.models import (
    Aggregation,
    CausalLink,
    Direction,
    DisaggregationCategory,
    DisaggregationDimension,
    Frequency,
    GcmObjective,
    Horizon,
    Indicator,
    IndicatorLevel,
    KatunPriority,
    MeasureType,
    Policy,
    PolicyNode,
    PolicyStatus,
    SdgTarget,
    TargetPopulation,
    TargetPopulationKind,
)

POLICY_SHEET = "Política"
LEVELS_SHEET = "Niveles"
INDICATORS_SHEET = "Indicadores"
LINKS_SHEET = "Vínculos causales"
PRINCIPLES_SHEET = "Principios"
CATALOGUES_SHEET = "Catálogos"

POLICY_FIELDS = [
    ("code", "Código"),
    ("name", "Nombre"),
    ("legal_basis", "Base legal"),
    ("issued_on", "Fecha de emisión"),
    ("start_year", "Año de inicio"),
    ("end_year", "Año de fin"),
    ("general_objective", "Objetivo general"),
    ("status", "Estado"),
    ("is_illustrative", "Contiene texto ilustrativo"),
]
LEVEL_HEADERS = ["Profundidad", "Nombre", "Nombre en plural", "Nivel de líneas de acción"]
NODE_HEADERS = [
    "Código",
    "Código superior",
    "Título",
    "Descripción",
    "Orden",
    "Texto ilustrativo",
    "Objetivos Pacto Mundial",
    "Metas ODS",
    "K'atun 2032",
]
ACTION_HEADERS = [
    "Institución responsable",
    "Corresponsables",
    "Plazo",
    "Año de inicio de la acción",
    "Año de fin de la acción",
    "Población objetivo",
    "Producto esperado",
    "Presupuesto estimado (Q)",
]
INDICATOR_HEADERS = [
    "Código",
    "Nombre",
    "Definición",
    "Nivel",
    "Código del nodo",
    "Unidad de medida",
    "Tipo de medida",
    "Numerador",
    "Denominador",
    "Sentido esperado",
    "Línea base",
    "Año de la línea base",
    "Fuente de la línea base",
    "Frecuencia",
    "Fuente de datos",
    "Medios de verificación",
    "Institución responsable",
    "Agregación",
    "Desagregaciones",
    "Escala de hitos",
    "Texto ilustrativo",
]
LINK_HEADERS = ["Código del nodo que contribuye", "Código del nodo al que contribuye", "Evidencia o supuesto"]
PRINCIPLE_HEADERS = ["Orden", "Nombre", "Descripción", "Texto ilustrativo"]
CATALOGUE_HEADERS = ["Catálogo", "Código", "Nombre", "Tipo o dimensión"]

CATALOGUE_POPULATION = "Población objetivo"
CATALOGUE_GCM = "Pacto Mundial"
CATALOGUE_SDG = "ODS"
CATALOGUE_KATUN = "K'atun 2032"
CATALOGUE_DIMENSION = "Desagregación"
CATALOGUE_CATEGORY = "Categoría de desagregación"

YES, NO = "Sí", "No"
# Choice fields are written with their Spanish labels (Django's source language).
CHOICES = {
    "status": PolicyStatus,
    "horizon": Horizon,
    "level": IndicatorLevel,
    "measure_type": MeasureType,
    "direction": Direction,
    "frequency": Frequency,
    "aggregation": Aggregation,
    "kind": TargetPopulationKind,
}


def label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def target_header(year: int) -> str:
    return f"Meta {year}"


def sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _join(values: list[str]) -> str:
    return ", ".join(values)


def _amount(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _value(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def export_framework(policy: Policy) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = POLICY_SHEET
    values = {
        "issued_on": policy.issued_on.strftime("%d/%m/%Y") if policy.issued_on else "",
        "status": label(PolicyStatus, policy.status),
        "is_illustrative": _yes(policy.is_illustrative),
    }
    write_table(
        sheet, ["Campo", "Valor"], [[title, values.get(name, getattr(policy, name))] for name, title in POLICY_FIELDS]
    )

    levels = list(policy.levels.order_by("depth"))
    write_table(
        workbook.create_sheet(LEVELS_SHEET),
        LEVEL_HEADERS,
        [[lv.depth, lv.name, lv.name_plural, _yes(lv.is_action_level)] for lv in levels],
    )
    nodes = (
        PolicyNode.objects.filter(policy=policy)
        .select_related("parent", "action__lead_institution")
        .prefetch_related(
            "gcm_objectives", "sdg_targets", "katun_priorities", "action__co_responsible", "action__target_populations"
        )
        .order_by("order", "code")
    )
    by_level: dict[int, list[PolicyNode]] = {lv.pk: [] for lv in levels}
    for node in nodes:
        by_level[node.level_id].append(node)
    for level in levels:
        rows = []
        for node in by_level[level.pk]:
            row: list[Any] = [
                node.code,
                node.parent.code if node.parent else "",
                node.title,
                node.description,
                node.order,
                _yes(node.is_illustrative),
                _join([str(g.number) for g in node.gcm_objectives.all()]),
                _join([s.code for s in node.sdg_targets.all()]),
                _join([k.code for k in node.katun_priorities.all()]),
            ]
            if level.is_action_level:
                action = getattr(node, "action", None)
                row += (
                    [
                        action.lead_institution.acronym,
                        _join([i.acronym for i in action.co_responsible.all()]),
                        label(Horizon, action.horizon),
                        action.start_year,
                        action.end_year,
                        _join([p.code for p in action.target_populations.all()]),
                        action.expected_product,
                        _amount(action.estimated_budget),
                    ]
                    if action
                    else [""] * len(ACTION_HEADERS)
                )
            rows.append(row)
        headers = NODE_HEADERS + (ACTION_HEADERS if level.is_action_level else [])
        write_table(workbook.create_sheet(sheet_title(level.name_plural)), headers, rows)

    years = list(range(policy.start_year, policy.end_year + 1))
    indicators = (
        Indicator.objects.filter(policy=policy)
        .select_related("node", "responsible_institution")
        .prefetch_related("dimensions", "targets", "milestone_steps")
        .order_by("code")
    )
    indicator_rows = []
    for indicator in indicators:
        targets = {t.year: _value(t.value) for t in indicator.targets.all()}
        indicator_rows.append(
            [
                indicator.code,
                indicator.name,
                indicator.definition,
                label(IndicatorLevel, indicator.level),
                indicator.node.code,
                indicator.unit,
                label(MeasureType, indicator.measure_type),
                indicator.numerator_definition,
                indicator.denominator_definition,
                label(Direction, indicator.direction),
                _value(indicator.baseline_value),
                indicator.baseline_year,
                indicator.baseline_source,
                label(Frequency, indicator.frequency),
                indicator.data_source,
                indicator.means_of_verification,
                indicator.responsible_institution.acronym,
                label(Aggregation, indicator.aggregation),
                _join([d.code for d in indicator.dimensions.all()]),
                "; ".join(f"{s.value}={s.name}" for s in indicator.milestone_steps.all()),
                _yes(indicator.is_illustrative),
                *[targets.get(year) for year in years],
            ]
        )
    write_table(
        workbook.create_sheet(INDICATORS_SHEET),
        INDICATOR_HEADERS + [target_header(year) for year in years],
        indicator_rows,
    )
    links = (
        CausalLink.objects.filter(policy=policy)
        .select_related("source", "target")
        .order_by("source__code", "target__code")
    )
    write_table(
        workbook.create_sheet(LINKS_SHEET),
        LINK_HEADERS,
        [[link.source.code, link.target.code, link.evidence_note] for link in links],
    )
    write_table(
        workbook.create_sheet(PRINCIPLES_SHEET),
        PRINCIPLE_HEADERS,
        [[p.order, p.name, p.description, _yes(p.is_illustrative)] for p in policy.principles.order_by("order")],
    )
    catalogue_rows: list[list[Any]] = []
    catalogue_rows += [
        [CATALOGUE_POPULATION, p.code, p.name, label(TargetPopulationKind, p.kind)]
        for p in TargetPopulation.objects.order_by("kind", "order", "code")
    ]
    catalogue_rows += [[CATALOGUE_GCM, str(g.number), g.title_es, ""] for g in GcmObjective.objects.order_by("number")]
    catalogue_rows += [[CATALOGUE_SDG, s.code, s.summary, ""] for s in SdgTarget.objects.order_by("code")]
    catalogue_rows += [[CATALOGUE_KATUN, k.code, k.name, ""] for k in KatunPriority.objects.order_by("code")]
    for dimension in DisaggregationDimension.objects.order_by("order", "code"):
        catalogue_rows.append([CATALOGUE_DIMENSION, dimension.code, dimension.name, ""])
    catalogue_rows += [
        [CATALOGUE_CATEGORY, c.code, c.name, c.dimension.code]
        for c in DisaggregationCategory.objects.select_related("dimension").order_by(
            "dimension__order", "dimension__code", "order", "code"
        )
    ]
    write_table(workbook.create_sheet(CATALOGUES_SHEET), CATALOGUE_HEADERS, catalogue_rows)
    return workbook
