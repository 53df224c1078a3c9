"""The monitoring report (*Informe de monitoreo*) as data: frozen dataclasses built once and rendered
to DOCX (report_docx.py) and PDF (report_pdf.py), like the project report.

Every figure comes from the progress builder (`framework_progress`, `alignment_groups`, `iptt_table`),
the same one the monitoring pages read, so the report and the dashboard cannot disagree; the
socialisation summary comes from the activities' reach (`reach_of`). Always in Spanish.

It lives in `analytics`, not `documents`, because the layers put `documents` below `analytics`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone, translation

from sime.activities.models import Activity
from sime.activities.selectors import reach_of
from sime.analytics import aggregation as agg
from sime.analytics.aggregation import ProgressStatus
from sime.analytics.figures import ACTION_STATUS_ORDER, AlignmentGroup, FrameworkProgress, NodeProgress, ReportingRate
from sime.analytics.iptt import iptt_table
from sime.analytics.progress import alignment_groups, framework_progress
from sime.analytics.report_sections import ReportSection, extra_sections
from sime.core.formatting import format_amount, format_money, format_number
from sime.documents.spanish import date_range, long_date
from sime.policy.models import DisaggregationDimension, Policy, PolicyStatus
from sime.reporting.models import ReportingPeriod
from sime.reporting.workflow import Status

TITLE = "Informe de monitoreo de la Política Migratoria"
DEPARTMENT = "Departamento de Estudios y Políticas Migratorias"
INSTITUTION = "Instituto Guatemalteco de Migración"
SECTION_TITLES = [
    "1. Resumen ejecutivo",
    "2. Avance por eje temático",
    "3. Indicadores",
    "4. Cumplimiento de las instituciones",
    "5. Acciones atrasadas o suspendidas y sus obstáculos",
    "6. Beneficiarios",
    "7. Socialización",
    "8. Anexos",
]
ANNEX_TITLES = [
    "8.1 Alineación con el Pacto Mundial para la Migración",
    "8.2 Alineación con las metas de los Objetivos de Desarrollo Sostenible",
    "8.3 Alineación con las prioridades del K'atun 2032",
    "8.4 Riesgo heredado en la red causal",
    "8.5 Valores de los indicadores por periodo",
    "8.6 Nota metodológica",
]
ALIGNMENT_KINDS = ("gcm", "sdg", "katun")
NO_DATA = "—"
NOT_REPORTED = "Sin reporte"
ZERO = Decimal(0)


def percent_text(value: Decimal | None) -> str:
    """`55.96 %`, `60 %`; a dash when there is no figure."""
    return f"{format_number(value)} %" if value is not None else NO_DATA


def number_text(value: Decimal | int | None) -> str:
    return format_number(value) if value is not None else NO_DATA


# --- The report's parts ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str  # a ProgressStatus value
    label: str
    count: int


@dataclass(frozen=True)
class ExecutiveSummary:
    percent: Decimal | None
    indicator_count: int
    status_counts: tuple[StatusCount, ...]
    # Reporting compliance of the selected period, or of the year's periods together.
    expected: int
    received: int
    on_time: int
    approved: int
    budget_allocated: Decimal
    budget_executed: Decimal
    beneficiaries_total: Decimal
    delayed_action_count: int

    @property
    def received_percent(self) -> Decimal | None:
        return agg.percentage(Decimal(self.received), Decimal(self.expected)) if self.expected else None

    @property
    def on_time_percent(self) -> Decimal | None:
        return agg.percentage(Decimal(self.on_time), Decimal(self.expected)) if self.expected else None

    @property
    def budget_executed_percent(self) -> Decimal | None:
        return agg.percentage(self.budget_executed, self.budget_allocated)

    @property
    def lines(self) -> tuple[tuple[str, str], ...]:
        """The summary's figures as (label, text), in the order both renderers show them."""
        return (
            ("Avance general de la política", percent_text(self.percent)),
            ("Indicadores monitoreados", format_number(self.indicator_count)),
            *((f"Indicadores «{s.label}»", format_number(s.count)) for s in self.status_counts),
            (
                "Instrumentos recibidos / esperados",
                f"{self.received} / {self.expected} ({percent_text(self.received_percent)})",
            ),
            ("Recibidos a tiempo", f"{self.on_time} ({percent_text(self.on_time_percent)})"),
            ("Instrumentos aprobados", format_number(self.approved)),
            ("Presupuesto asignado", format_money(self.budget_allocated)),
            (
                "Presupuesto ejecutado",
                f"{format_money(self.budget_executed)} ({percent_text(self.budget_executed_percent)})",
            ),
            ("Personas beneficiarias", format_number(self.beneficiaries_total)),
            ("Líneas de acción atrasadas o suspendidas", format_number(self.delayed_action_count)),
        )


@dataclass(frozen=True)
class NodeRow:
    code: str
    title: str
    level: str
    depth: int  # 1 = the axis's children
    percent: Decimal | None
    budget_allocated: Decimal
    budget_executed: Decimal

    @property
    def percent_text(self) -> str:
        return percent_text(self.percent)

    @property
    def budget_allocated_text(self) -> str:
        return format_amount(self.budget_allocated)

    @property
    def budget_executed_text(self) -> str:
        return format_amount(self.budget_executed)


@dataclass(frozen=True)
class Bar:
    code: str
    percent: Decimal | None


@dataclass(frozen=True)
class AxisSection:
    number: str  # "2.1"
    code: str
    title: str
    percent: Decimal | None
    budget_allocated: Decimal
    budget_executed: Decimal
    action_count: int
    action_statuses: tuple[tuple[str, int], ...]  # (status label, lines of action), worst first
    rows: tuple[NodeRow, ...]
    chart_title: str
    bars: tuple[Bar, ...]

    @property
    def heading(self) -> str:
        return f"{self.number} Eje {self.code}: {self.title}"

    @property
    def summary_line(self) -> str:
        statuses = " · ".join(f"{label}: {count}" for label, count in self.action_statuses)
        return (
            f"% de avance: {percent_text(self.percent)}. Presupuesto asignado: {format_money(self.budget_allocated)};"
            f" ejecutado: {format_money(self.budget_executed)}. Líneas de acción: {self.action_count}"
            + (f" ({statuses})." if statuses else ".")
        )


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    value: Decimal | None
    percent: Decimal | None
    status: str
    status_label: str

    @property
    def texts(self) -> tuple[str, ...]:
        return (
            self.code,
            self.name,
            number_text(self.baseline),
            number_text(self.target),
            number_text(self.value),
            percent_text(self.percent),
            self.status_label,
        )


@dataclass(frozen=True)
class ComplianceRow:
    period_code: str
    period_name: str
    expected: int
    received: int
    on_time: int
    approved: int
    received_percent: Decimal | None
    on_time_percent: Decimal | None
    approved_percent: Decimal | None

    @property
    def texts(self) -> tuple[str, ...]:
        return (
            self.period_name,
            str(self.expected),
            f"{self.received} ({percent_text(self.received_percent)})",
            f"{self.on_time} ({percent_text(self.on_time_percent)})",
            f"{self.approved} ({percent_text(self.approved_percent)})",
        )


@dataclass(frozen=True)
class DelayedAction:
    code: str
    title: str
    institution: str
    status_label: str
    percent: Decimal | None
    obstacles: str
    period_name: str

    @property
    def texts(self) -> tuple[str, ...]:
        return (
            f"{self.code} {self.title}",
            self.institution,
            self.status_label,
            percent_text(self.percent),
            self.obstacles or NO_DATA,
        )


@dataclass(frozen=True)
class BeneficiaryDimension:
    name: str
    rows: tuple[tuple[str, Decimal], ...]  # (category, people)

    @property
    def total(self) -> Decimal:
        return sum((people for _label, people in self.rows), ZERO)


@dataclass(frozen=True)
class Socialization:
    date_range: str
    events: int
    attendance: int
    cost: Decimal
    by_sector: tuple[tuple[str, int], ...]
    by_kind: tuple[tuple[str, int, int], ...]  # (kind, events, people)

    @property
    def cost_text(self) -> str:
        return format_amount(self.cost)

    @property
    def summary_line(self) -> str:
        return (
            f"Del {self.date_range}: {format_number(self.events)} eventos, {format_number(self.attendance)} "
            f"personas alcanzadas y un costo total de {format_money(self.cost)}."
        )


@dataclass(frozen=True)
class AlignmentRow:
    code: str
    title: str
    percent: Decimal | None
    node_codes: str
    statuses: str

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.code, self.title, self.node_codes, percent_text(self.percent), self.statuses or NO_DATA)


@dataclass(frozen=True)
class AlignmentTable:
    title: str
    rows: tuple[AlignmentRow, ...]


@dataclass(frozen=True)
class RiskRow:
    code: str
    title: str
    chains: tuple[str, ...]  # "3.1.1 → 1.2"


@dataclass(frozen=True)
class IpttAnnex:
    periods: tuple[str, ...]  # column headings (period codes)
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (indicator code, one cell per period)


@dataclass(frozen=True)
class MonitoringReport:
    title: str
    policy_code: str
    policy_name: str
    period_line: str
    reading_line: str
    date_line: str
    illustrative_note: str
    year: int
    period_code: str
    until: dt.date
    summary: ExecutiveSummary
    axes: tuple[AxisSection, ...]
    indicators: tuple[IndicatorRow, ...]
    compliance: tuple[ComplianceRow, ...]
    delayed_actions: tuple[DelayedAction, ...]
    beneficiaries_total: Decimal
    beneficiaries: tuple[BeneficiaryDimension, ...]
    socialization: Socialization
    alignment: tuple[AlignmentTable, ...]
    inherited_risk: tuple[RiskRow, ...]
    iptt: IpttAnnex
    methodology: tuple[str, ...]
    # Sections of higher apps (settings.MONITORING_REPORT_SECTIONS), between 7 and the annexes.
    extra_sections: tuple[ReportSection, ...] = ()

    department = DEPARTMENT
    institution = INSTITUTION
    indicator_header = ("Código", "Indicador", "Línea base", "Meta del año", "Valor", "% de avance", "Estado")
    compliance_header = ("Periodo", "Esperados", "Recibidos", "A tiempo", "Aprobados")
    delayed_header = ("Línea de acción", "Institución", "Estado", "% de avance", "Obstáculos")
    alignment_header = ("Código", "Descripción", "Nodos", "% de avance", "Indicadores por estado")
    node_header = ("Código", "Nombre", "Nivel", "% de avance", "Asignado (Q.)", "Ejecutado (Q.)")
    no_compliance = "No se generaron instrumentos en los periodos del año."
    no_delayed_actions = (
        "Ninguna institución reportó líneas de acción atrasadas o suspendidas en los instrumentos aprobados."
    )
    no_beneficiaries = "Los instrumentos aprobados no registran personas beneficiarias."
    no_events = "No se registraron eventos de socialización en estas fechas."
    no_alignment = "Ningún nodo de la política está alineado con este marco."
    no_iptt = "Ningún periodo del año tiene instrumentos aprobados a la fecha de lectura."
    no_risk = "Ningún nodo recibe riesgo de los nodos que contribuyen a él en la red causal."

    @property
    def section_titles(self) -> list[str]:
        """The fixed sections' titles; the annexes come after the extra sections."""
        return [*SECTION_TITLES[:-1], f"{self._annex_number}. Anexos"]

    @property
    def annex_titles(self) -> list[str]:
        return [f"{self._annex_number}.{title.split('.', 1)[1]}" for title in ANNEX_TITLES]

    @property
    def numbered_extra_sections(self) -> tuple[tuple[str, ReportSection], ...]:
        first = len(SECTION_TITLES)
        return tuple((f"{first + n}. {section.title}", section) for n, section in enumerate(self.extra_sections))

    @property
    def _annex_number(self) -> int:
        return len(SECTION_TITLES) + len(self.extra_sections)

    @property
    def cover_lines(self) -> tuple[str, ...]:
        return (self.title, self.policy_name, self.period_line, DEPARTMENT, INSTITUTION, self.date_line)

    @property
    def filename(self) -> str:
        """`informe-monitoreo-2026`, `informe-monitoreo-2026-C2` (without the extension)."""
        return f"informe-monitoreo-{self.period_code or self.year}"

    @property
    def beneficiaries_total_text(self) -> str:
        return format_number(self.beneficiaries_total)


# --- Which policy and year a report is about --------------------------------------------------


def report_policy(code: str | None = None) -> Policy | None:
    """The policy named by `code`; without one, the first active policy, else the first."""
    policies = Policy.objects.all()
    if code:
        return policies.filter(code=code).first()
    return policies.filter(status=PolicyStatus.ACTIVE).first() or policies.first()


def latest_reported_year(policy: Policy) -> int:
    """The latest year with an approved instrument; this year when nothing is approved yet."""
    year = (
        ReportingPeriod.objects.filter(policy=policy, submissions__status=Status.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or timezone.localdate().year


# --- The builder -------------------------------------------------------------------------------


def build_monitoring_report(policy: Policy, *, year: int, period: ReportingPeriod | None = None) -> MonitoringReport:
    """The report for `year` (read at the end of the year's latest approved period) or for one
    `period` of it (read at its end); always in Spanish, whatever the reader's UI language."""
    with translation.override("es"):
        progress = framework_progress(
            policy, year=year, until=period.ends_on if period else None, with_points=True, all_years=False
        )
        report = _build(progress, period)
        report = replace(report, extra_sections=extra_sections(policy, year=progress.year, until=progress.until))
        # The annexes come after the extra sections: their alignment tables take the new numbers.
        titles = report.annex_titles[: len(ALIGNMENT_KINDS)]
        return replace(
            report, alignment=tuple(replace(t, title=title) for t, title in zip(report.alignment, titles, strict=True))
        )


def _status_label(status: str) -> str:
    return str(ProgressStatus(status).label)


def _year_rates(progress: FrameworkProgress) -> list[ReportingRate]:
    """The compliance of the year's periods up to the reading date."""
    return [r for r in progress.rates if r.period.year == progress.year and r.period.ends_on <= progress.until]


def _subtree(item: NodeProgress, depth: int = 1) -> Iterable[tuple[NodeProgress, int]]:
    for child in item.children:
        yield child, depth
        yield from _subtree(child, depth + 1)


def _axis(number: int, item: NodeProgress, action_depth: int | None) -> AxisSection:
    descendants = list(_subtree(item))
    rows = tuple(
        NodeRow(
            node.node.code,
            node.node.title,
            node.node.level.name,
            depth,
            node.percent,
            node.budget_allocated,
            node.budget_executed,
        )
        for node, depth in descendants
        if not node.node.level.is_action_level
    )
    # The chart shows the strategic lines (the level above the lines of action), else the children.
    bar_nodes = [n for n, _d in descendants if action_depth and n.node.level.depth == action_depth - 1]
    if not bar_nodes or item.node.level.depth >= (action_depth or 0) - 1:
        bar_nodes = list(item.children)
    actions = [n for n, _d in descendants if n.node.level.is_action_level] or (
        [item] if item.node.level.is_action_level else []
    )
    order = [s.value for s in ACTION_STATUS_ORDER]
    by_status: dict[str, int] = {}
    for action in sorted(actions, key=lambda a: order.index(a.action_status) if a.action_status else len(order)):
        label = action.action_status_label or NOT_REPORTED
        by_status[label] = by_status.get(label, 0) + 1
    level_name = bar_nodes[0].node.level.name.lower() if bar_nodes else ""
    return AxisSection(
        number=f"2.{number}",
        code=item.node.code,
        title=item.node.title,
        percent=item.percent,
        budget_allocated=item.budget_allocated,
        budget_executed=item.budget_executed,
        action_count=len(actions),
        action_statuses=tuple(by_status.items()),
        rows=rows,
        chart_title=f"% de avance por {level_name} del eje {item.node.code}" if bar_nodes else "",
        bars=tuple(Bar(n.node.code, n.percent) for n in bar_nodes),
    )


def _statuses_text(counts: dict[str, int]) -> str:
    return " · ".join(f"{_status_label(status)}: {counts[status]}" for status in agg.STATUS_ORDER if counts.get(status))


def _alignment(progress: FrameworkProgress) -> tuple[AlignmentTable, ...]:
    tables = []
    for kind, title in zip(ALIGNMENT_KINDS, ANNEX_TITLES[:3], strict=True):
        groups: list[AlignmentGroup] = alignment_groups(progress, kind)
        rows = tuple(
            AlignmentRow(
                g.code, g.title, g.percent, ", ".join(n.code for n in g.nodes), _statuses_text(g.status_counts)
            )
            for g in groups
        )
        tables.append(AlignmentTable(title, rows))
    return tuple(tables)


def _beneficiaries(progress: FrameworkProgress) -> tuple[BeneficiaryDimension, ...]:
    dimensions = DisaggregationDimension.objects.filter(code__in=progress.beneficiaries).prefetch_related("categories")
    known = {d.code: d for d in dimensions}
    result = []
    for code in sorted(progress.beneficiaries, key=lambda c: (known[c].order, c) if c in known else (999, c)):
        values = progress.beneficiaries[code]
        dimension = known.get(code)
        names = {c.code: c.name for c in dimension.categories.all()} if dimension else {}
        order = list(names)
        categories = sorted(values, key=lambda c: (order.index(c) if c in order else len(order), c))
        result.append(
            BeneficiaryDimension(
                dimension.name if dimension else code, tuple((names.get(c, c), values[c]) for c in categories)
            )
        )
    return tuple(result)


def _socialization(year: int, until: dt.date | None) -> Socialization:
    starts, ends = dt.date(year, 1, 1), until or dt.date(year, 12, 31)
    reach = reach_of(Activity.objects.filter(start_date__gte=starts, start_date__lte=ends))
    return Socialization(
        date_range=date_range(starts, ends),
        events=reach["events"],
        attendance=reach["attendance"],
        cost=reach["cost"],
        by_sector=tuple((str(row["label"]), row["attendance"]) for row in reach["by_sector"]),
        by_kind=tuple((str(row["label"]), row["events"], row["attendance"]) for row in reach["by_kind"]),
    )


def _iptt(progress: FrameworkProgress) -> IpttAnnex:
    table = iptt_table(progress, year=progress.year)
    rows = []
    for row in table.rows:
        cells = tuple(
            "" if cell is None else number_text(cell.value) if cell.value is not None else NO_DATA for cell in row.cells
        )
        rows.append((row.item.indicator.code, cells))
    return IpttAnnex(tuple(p.code for p in table.periods), tuple(rows))


def _methodology(progress: FrameworkProgress, period: ReportingPeriod | None) -> tuple[str, ...]:
    t = progress.thresholds
    reading = (
        f"al cierre del periodo {period.name} ({long_date(progress.until)})"
        if period
        else f"al {long_date(progress.until)}, fin del último periodo de {progress.year} con instrumentos aprobados"
    )
    return (
        "Todas las cifras provienen únicamente de instrumentos aprobados por el DEPM; los borradores, los "
        "instrumentos enviados o en revisión y los devueltos no se cuentan. Son las mismas cifras del tablero "
        "de monitoreo, calculadas por un solo módulo de reglas (docs/aggregation.md).",
        f"Fecha de lectura: {reading}.",
        "Avance de un indicador: (valor − línea base) / (meta − línea base) × 100 cuando debe aumentar; su "
        "simétrico cuando debe disminuir; para «mantener», la distancia a la meta. Dentro del año, los conteos "
        "que se suman o acumulan se comparan con la parte de la meta esperada a la fecha.",
        f"Estado: «Meta cumplida» si se alcanzó la meta del año; «En ruta» si el avance llega al "
        f"{format_number(t.on_track)} % de lo esperado a la fecha; «En riesgo» desde el "
        f"{format_number(t.at_risk)} %; «Rezagado» por debajo; «Sin dato» sin valor aprobado o sin ciclo vencido; "
        f"«Sin meta» sin meta para el año. Tolerancia para «mantener»: ± {format_number(t.maintain_tolerance)} %.",
        "Avance de una línea de acción: el promedio del último % de avance aprobado de cada institución "
        "responsable; los niveles superiores toman el promedio ponderado de sus componentes con datos. "
        "Presupuesto: último reporte aprobado del año de cada institución, sumado hacia arriba.",
        "Cumplimiento: esperados = instrumentos generados; recibidos = enviados al menos una vez; a tiempo = "
        "enviados por primera vez a más tardar el día de cierre; aprobados. El resumen ejecutivo muestra el "
        "periodo del informe o, en el informe anual, la suma de los periodos del año hasta la fecha de lectura.",
        "Riesgo heredado: un nodo recibe riesgo cuando un nodo que contribuye a él en la red causal, directamente "
        "o por una cadena de vínculos, tiene una línea de acción atrasada o suspendida o un indicador rezagado.",
    )


def _build(progress: FrameworkProgress, period: ReportingPeriod | None) -> MonitoringReport:
    policy = progress.policy
    action_depth = next((n.node.level.depth for n in progress.nodes.values() if n.node.level.is_action_level), None)
    counts = progress.status_counts
    status_counts = tuple(StatusCount(s.value, _status_label(s), counts[s.value]) for s in agg.STATUS_ORDER)
    rates = _year_rates(progress)
    # The summary's compliance: the report's period, or the year's periods together.
    summary_rates = [r for r in rates if r.period.pk == period.pk] if period else rates
    troubled = progress.troubled_actions
    summary = ExecutiveSummary(
        percent=progress.percent,
        indicator_count=len(progress.indicators),
        status_counts=status_counts,
        expected=sum(r.expected for r in summary_rates),
        received=sum(r.received for r in summary_rates),
        on_time=sum(r.on_time for r in summary_rates),
        approved=sum(r.approved for r in summary_rates),
        budget_allocated=progress.budget_allocated,
        budget_executed=progress.budget_executed,
        beneficiaries_total=progress.beneficiaries_total,
        delayed_action_count=len(troubled),
    )
    indicators = tuple(
        IndicatorRow(
            code=item.indicator.code,
            name=item.indicator.name,
            unit=item.indicator.unit,
            baseline=item.indicator.baseline_value,
            target=item.target,
            value=item.year_aggregate.value if item.year_aggregate else None,
            percent=item.progress.percent,
            status=str(item.status),
            status_label=_status_label(item.status),
        )
        for item in progress.indicators
    )
    compliance = tuple(
        ComplianceRow(
            r.period.code,
            r.period.name,
            r.expected,
            r.received,
            r.on_time,
            r.approved,
            r.received_percent,
            r.on_time_percent,
            agg.percentage(Decimal(r.approved), Decimal(r.expected)) if r.expected else None,
        )
        for r in rates
    )
    delayed = tuple(
        DelayedAction(
            code=node.node.code,
            title=node.node.title,
            institution=report.institution_name,
            status_label=report.status_label,
            percent=report.percent,
            obstacles=report.obstacles.strip(),
            period_name=report.period.name,
        )
        for node, report in troubled
    )
    risk = tuple(
        RiskRow(
            item.node.code,
            item.node.title,
            tuple(" → ".join(node.code for node in chain) for chain in item.inherited_risk),
        )
        for item in sorted(progress.nodes_at_inherited_risk, key=lambda n: (n.node.order, n.node.code))
    )
    return MonitoringReport(
        title=TITLE,
        policy_code=policy.code,
        policy_name=policy.name,
        period_line=period.name if period else f"Año {progress.year}",
        reading_line=f"Datos aprobados al {long_date(progress.until)}",
        date_line=f"Guatemala, {long_date(timezone.localdate())}",
        illustrative_note=(
            "Datos de demostración: parte del texto no es el oficial." if policy.is_illustrative else ""
        ),
        year=progress.year,
        period_code=period.code if period else "",
        until=progress.until,
        summary=summary,
        axes=tuple(_axis(n, root, action_depth) for n, root in enumerate(progress.roots, start=1)),
        indicators=indicators,
        compliance=compliance,
        delayed_actions=delayed,
        beneficiaries_total=progress.beneficiaries_total,
        beneficiaries=_beneficiaries(progress),
        socialization=_socialization(progress.year, period.ends_on if period else None),
        alignment=_alignment(progress),
        inherited_risk=risk,
        iptt=_iptt(progress),
        methodology=_methodology(progress, period),
    )
