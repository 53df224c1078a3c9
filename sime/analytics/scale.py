"""Generated monitoring data at scale, for benchmarks (`manage.py generate_monitoring_scale`).

A deterministic policy of realistic shape: 4 axes → objectives → strategic lines → lines of action,
41 institutions, 600 indicators with yearly targets, 10 years of closed cuatrimestres, one approved
instrument per institution and period with its items (ActionProgress, IndicatorValue) and the
approved facts those items give (totals and disaggregated parts that add up to them), up to a
requested number of fact rows.

**This is the one place that bypasses the reporting workflow.** The rows are generated data and
are written directly in bulk (PostgreSQL COPY, SQLite executemany): no services, no audit events,
no e-mails, no SubmissionEvent timeline. The facts are exactly what `reporting.facts.facts_of()`
would publish for each generated instrument (tested), so the monitoring builder reads what an
approval would have written. Never run it on a production database.

How many facts: the generator computes, before writing anything, a *plan* that fits the budget
(`--facts`), from sparse to rich: totals only; beneficiaries of the lead institutions; indicators
disaggregated by sex; by sex and age; beneficiaries of every responsible institution; the full
catalogue (rotating sets of sex, age, department, nationality, migrant condition); then more
institutions reporting each indicator (up to all of them). The remainder goes to one more
reporting institution for the first indicators that still fit. The plan is arithmetic, so the same
options always give the same rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction

from sime.core.text import search_key
from sime.institutions.models import Department, Institution, Sector
from sime.policy.models import (
    Action,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    IndicatorTarget,
    Policy,
    PolicyLevel,
    PolicyNode,
    PolicyStatus,
)
from sime.reporting.models import (
    ActionProgress,
    ActionStatus,
    ApprovedFact,
    IndicatorValue,
    ReportingPeriod,
    Submission,
)
from sime.reporting.models import PeriodStatus as PeriodState
from sime.reporting.periods import period_code, period_dates, period_name
from sime.reporting.workflow import Status

LEVELS = [
    ("Eje temático", "Ejes temáticos"),
    ("Objetivo específico", "Objetivos específicos"),
    ("Línea estratégica", "Líneas estratégicas"),
    ("Línea de acción", "Líneas de acción"),
]
AXES, OBJECTIVES_PER_AXIS, STRATEGIC_PER_OBJECTIVE = 4, 3, 3
# The catalogue the generated indicators use (the demo's codes; created when absent).
DIMENSION_CODES = ("sexo", "edad", "departamento", "nacionalidad", "condicion")
BENEFICIARY_CODES = ("sexo", "edad")
# ISO 3166-2:GT, used for `departamento` when the departments catalogue is not loaded.
GT_DEPARTMENTS = [
    *("GT-AV", "GT-BV", "GT-CM", "GT-CQ", "GT-ES", "GT-GU", "GT-HU", "GT-IZ", "GT-JA", "GT-JU", "GT-PE"),
    *("GT-PR", "GT-QC", "GT-QZ", "GT-RE", "GT-SA", "GT-SM", "GT-SO", "GT-SR", "GT-SU", "GT-TO", "GT-ZA"),
]
# Full-catalogue disaggregation sets, rotating over the count indicators.
ROTATING_SETS = (
    ("sexo",),
    ("sexo", "edad"),
    ("sexo", "edad", "departamento"),
    ("sexo", "edad", "nacionalidad", "condicion"),
    DIMENSION_CODES,
)
# How indicators perform against what is expected (so every status appears).
PERFORMANCE = (1.05, 0.95, 0.8, 0.5, 1.2, 0.9, 1.0, 0.65)
FOUR_MONTH = "four_month"
FACT_COLUMNS = (
    "submission_id",
    "period_id",
    "institution_id",
    "kind",
    "indicator_id",
    "action_id",
    "year",
    "period_end",
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
)
PERCENT_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Shape:
    """The framework's size. Defaults are the issue's: 10 years, 41 institutions, 150 lines, 600 indicators."""

    years: int = 10
    start_year: int = 2016
    institutions: int = 41
    lines: int = 150
    indicators: int = 600


@dataclass
class IndicatorSpec:
    index: int
    measure_type: str
    aggregation: str
    direction: str
    frequency: str
    base: int
    dims: tuple[str, ...] = ()
    reporters: int = 0

    @property
    def due_per_year(self) -> int:
        return 3 if self.frequency == "four_monthly" else 1

    def cost(self, categories: dict[str, list[str]]) -> int:
        """Fact rows one institution's value gives: the total and one row per category."""
        return 1 + sum(len(categories[code]) for code in self.dims)


@dataclass
class Plan:
    """What the budget buys: per indicator its disaggregations and reporting institutions."""

    indicators: list[IndicatorSpec]
    beneficiaries: str  # "none", "lead" or "all"
    facts: int
    steps: list[str] = field(default_factory=list)


def indicator_specs(shape: Shape) -> list[IndicatorSpec]:
    specs = []
    for j in range(shape.indicators):
        if j % 20 in (0, 1, 2):
            measure, aggregation = "percentage", ("latest", "average", "sum")[j % 3]
        elif j % 20 == 3:
            measure, aggregation = "yes_no", "latest"
        else:
            measure = "count"
            aggregation = ("sum", "sum", "cumulative", "average", "max", "latest", "sum")[j % 7]
        direction = {6: "maintain", 11: "decrease"}.get(j % 12, "increase")
        if measure != "count":
            direction = "increase"
        frequency = "annual" if j % 10 in (0, 5, 7) else "four_monthly"
        specs.append(IndicatorSpec(j, measure, aggregation, direction, frequency, base=120 + (j * 37) % 880))
    return specs


def _dims_at(spec: IndicatorSpec, richness: int) -> tuple[str, ...]:
    if spec.measure_type != "count":
        return ()  # percentages' parts are rates, yes/no has none: totals only
    return [(), ("sexo",), ("sexo", "edad"), ROTATING_SETS[spec.index % len(ROTATING_SETS)]][richness]


def make_plan(shape: Shape, facts: int, categories: dict[str, list[str]], action_institutions: Sequence[int]) -> Plan:
    """The richest configuration that fits `facts`, then one more reporter for the first indicators that fit."""
    specs = indicator_specs(shape)
    beneficiary_cost = 1 + sum(len(categories[code]) for code in BENEFICIARY_CODES)

    def ben_facts(level: str) -> int:
        per_period = {"none": 0, "lead": len(action_institutions), "all": sum(action_institutions)}[level]
        return per_period * beneficiary_cost * shape.years * 3

    def cost(richness: int, reporters: int, level: str) -> int:
        total = ben_facts(level)
        for spec in specs:
            spec.dims = _dims_at(spec, richness)
            total += min(reporters, shape.institutions) * spec.due_per_year * shape.years * spec.cost(categories)
        return total

    configs = [(0, 1, "none"), (0, 1, "lead"), (1, 1, "lead"), (2, 1, "lead"), (2, 1, "all"), (3, 1, "all")]
    configs += [(3, reporters, "all") for reporters in range(2, shape.institutions + 1)]
    chosen = None
    for config in configs:
        if cost(*config) > facts:
            break
        chosen = config
    steps = []
    if chosen is None:  # below totals for every indicator: the first indicators only
        richness, reporters, level = 0, 0, "none"
        used = 0
    else:
        richness, reporters, level = chosen
        used = cost(*chosen)
        steps.append(f"riqueza {richness}, {reporters} institución(es) por indicador, beneficiarios: {level}")
    for spec in specs:
        spec.dims = _dims_at(spec, richness)
        spec.reporters = reporters
    extra = 0
    if reporters < shape.institutions:
        for spec in specs:
            unit = spec.due_per_year * shape.years * spec.cost(categories)
            if used + unit <= facts:
                spec.reporters += 1
                used += unit
                extra += 1
    if extra:
        steps.append(f"{extra} indicador(es) con una institución más")
    return Plan(specs, level, used, steps)


# --- Writing rows in bulk --------------------------------------------------------------------


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _text(value: Any) -> str:
    """One COPY text-format field (generated values have no tabs, newlines or backslashes)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, chunk: int = 20_000) -> int:
    """Insert rows into `table`: COPY on PostgreSQL, executemany on SQLite. Returns the row count."""
    count = 0
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        statement = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(map(_text, row)))
                buffer.write("\n")
                count += 1
                if count % chunk == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return count
    connection.ensure_connection()
    raw = connection.connection
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(tuple(_sqlite_value(v) for v in row))
        if len(batch) >= chunk:
            raw.executemany(sql, batch)  # type: ignore[union-attr]
            count += len(batch)
            batch = []
    if batch:
        raw.executemany(sql, batch)  # type: ignore[union-attr]
        count += len(batch)
    return count


def _fact_schema() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The facts table's plain indexes and foreign keys, as PostgreSQL defines them (name, definition).

    Not the primary key nor the check constraints: those stay during a load."""
    table = ApprovedFact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)"
            " ORDER BY indexname",
            [table, table],
        )
        indexes = list(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = list(cursor.fetchall())
    return indexes, foreign_keys


# --- The generator ---------------------------------------------------------------------------


@dataclass
class Generated:
    policy: Policy
    facts: int
    plan_steps: list[str]
    indicator_values: int
    action_reports: int
    seconds: dict[str, float]


def _catalogue() -> dict[str, list[str]]:
    """dimension code → category codes (ordered), reusing the demo catalogue when loaded."""
    from sime.policy.demo import BENEFICIARY_DIMENSIONS, DIMENSIONS

    definitions = {code: (name, categories) for code, name, categories in DIMENSIONS}
    result = {}
    for order, code in enumerate(DIMENSION_CODES, start=1):
        name, categories = definitions.get(code, (code.capitalize(), []))
        dimension, created = DisaggregationDimension.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "for_beneficiaries": code in BENEFICIARY_DIMENSIONS}
        )
        if created or not dimension.categories.exists():
            if code == "departamento":
                departments = list(Department.objects.order_by("code").values_list("code", "name"))
                categories = departments or [(c, c) for c in GT_DEPARTMENTS]
            DisaggregationCategory.objects.bulk_create(
                DisaggregationCategory(dimension=dimension, code=c, name=n, order=i)
                for i, (c, n) in enumerate(categories, start=1)
            )
        result[code] = list(dimension.categories.order_by("order", "code").values_list("code", flat=True))
    return result


def _institutions(count: int) -> list[Institution]:
    """Existing institutions of the State first (by pk); the missing ones are created."""
    found = list(
        Institution.objects.filter(is_active=True)
        .exclude(sector__in=[Sector.INTERNATIONAL_COOPERATION, Sector.CIVIL_SOCIETY])
        .order_by("pk")[:count]
    )
    missing = count - len(found)
    if missing > 0:
        taken = set(Institution.objects.values_list("name", flat=True))
        new: list[Institution] = []
        n = 0
        while len(new) < missing:
            n += 1
            name = f"Institución de escala {n}"
            if name not in taken:
                new.append(
                    Institution(
                        name=name,
                        acronym=f"IE{n}",
                        sector=Sector.EXECUTIVE,
                        is_linked=True,
                        search_text=search_key(f"{name} IE{n}"),
                    )
                )
        Institution.objects.bulk_create(new)
        found += list(Institution.objects.filter(name__in=[i.name for i in new]).order_by("pk"))
    return found


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """`total` over categories by weight, exactly (remainder to the first categories)."""
    scale = sum(weights)
    shares = [total * w // scale for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def _weights(seed: int, index: int, code: str, size: int) -> list[int]:
    rng = random.Random(f"{seed}:{index}:{code}")  # noqa: S311 (generated data)
    return [rng.randint(1, 9) for _ in range(size)]


def _target(spec: IndicatorSpec, t: int) -> Decimal:
    """The yearly target of year index t (0 = the first year)."""
    if spec.measure_type == "percentage":
        return Decimal(min(95, 40 + 3 * t + spec.index % 20))
    if spec.measure_type == "yes_no":
        return Decimal(1)
    if spec.aggregation == "cumulative":
        return Decimal(spec.base * (t + 1))
    if spec.direction == "decrease":
        return Decimal(int(spec.base * (1 - 0.04 * t)))
    return Decimal(int(spec.base * (1 + 0.08 * t)))


def _baseline(spec: IndicatorSpec) -> Decimal:
    if spec.measure_type == "percentage":
        return Decimal(35)
    if spec.measure_type == "yes_no":
        return Decimal(0)
    if spec.aggregation == "cumulative":
        return Decimal(0)
    if spec.direction == "decrease":
        return Decimal(int(spec.base * 1.1))
    return Decimal(int(spec.base * 0.9))


def generate(
    *,
    facts: int,
    seed: int = 1,
    policy_code: str = "PM-ESCALA",
    shape: Shape | None = None,
    drop_fact_indexes: bool = False,
    log: Any = None,
) -> Generated:
    """Write the policy and its approved history (see the module docstring). Refuses an existing code."""
    import time

    shape = shape or Shape()
    say = log or (lambda message: None)
    if Policy.objects.filter(code=policy_code).exists():
        raise ValueError(f"La política {policy_code} ya existe.")
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (generated data, not secrets)
    end_year = shape.start_year + shape.years - 1

    with transaction.atomic():
        categories = _catalogue()
        institutions = _institutions(shape.institutions)
        n_inst = len(institutions)
        policy = Policy.objects.create(
            code=policy_code,
            name=f"Política generada {policy_code} (datos de prueba de escala)",
            start_year=shape.start_year,
            end_year=end_year,
            status=PolicyStatus.ACTIVE,
            is_illustrative=True,
        )
        levels = [
            PolicyLevel.objects.create(
                policy=policy, depth=depth, name=name, name_plural=plural, is_action_level=depth == len(LEVELS)
            )
            for depth, (name, plural) in enumerate(LEVELS, start=1)
        ]
        order = 0

        def nodes(level: PolicyLevel, codes: Sequence[tuple[str, PolicyNode | None]]) -> list[PolicyNode]:
            nonlocal order
            batch = []
            for code, parent in codes:
                order += 1
                title = f"{level.name} {code}"
                batch.append(
                    PolicyNode(
                        policy=policy,
                        level=level,
                        parent=parent,
                        code=code,
                        title=title,
                        order=order,
                        search_text=search_key(f"{code} {title}"),
                    )
                )
            return list(PolicyNode.objects.bulk_create(batch))

        axes = nodes(levels[0], [(str(a), None) for a in range(1, AXES + 1)])
        objectives = nodes(
            levels[1], [(f"{ax.code}.{o}", ax) for ax in axes for o in range(1, OBJECTIVES_PER_AXIS + 1)]
        )
        strategic = nodes(
            levels[2], [(f"{ob.code}.{s}", ob) for ob in objectives for s in range(1, STRATEGIC_PER_OBJECTIVE + 1)]
        )
        per_parent: dict[int, int] = {}
        line_codes = []
        for n in range(shape.lines):
            parent = strategic[n % len(strategic)]
            per_parent[parent.pk] = per_parent.get(parent.pk, 0) + 1
            line_codes.append((f"{parent.code}.{per_parent[parent.pk]}", parent))
        lines = nodes(levels[3], line_codes)
        axis_of: dict[int, int] = {}
        for node in [*axes, *objectives, *strategic, *lines]:
            axis_of[node.pk] = node.pk if node.parent is None else axis_of[node.parent.pk]
        actions = Action.objects.bulk_create(
            Action(
                node=line,
                lead_institution=institutions[n % n_inst],
                horizon=("short", "medium", "long")[n % 3],
                expected_product=f"Producto de la línea {line.code}",
                estimated_budget=Decimal(100_000 + 5_000 * (n % 40)),
            )
            for n, line in enumerate(lines)
        )
        # Lead and two co-responsible institutions per line (fewer when there are fewer institutions).
        action_insts = []
        through = Action.co_responsible.through
        links = []
        for n, action in enumerate(actions):
            insts = [n % n_inst]
            for step in (7, 13):
                other = (n + step) % n_inst
                if other not in insts:
                    insts.append(other)
            action_insts.append(insts)
            links += [through(action_id=action.pk, institution_id=institutions[i].pk) for i in insts[1:]]
        through.objects.bulk_create(links)

        plan = make_plan(shape, facts, categories, [len(i) for i in action_insts])
        say(f"Plan: {plan.facts} datos aprobados ({'; '.join(plan.steps) or 'solo los primeros indicadores'})")

        # Indicators: a few per axis, objective and strategic line; most on the lines of action.
        n = shape.indicators
        placements = (
            [axes[j % len(axes)] for j in range(n * 8 // 600)]
            + [objectives[j % len(objectives)] for j in range(n * 36 // 600)]
            + [strategic[j % len(strategic)] for j in range(n * 72 // 600)]
        )
        placements += [lines[j % len(lines)] for j in range(n - len(placements))]
        level_of = {axes[0].level_id: "impact", objectives[0].level_id: "outcome"}
        resp_of: list[int] = []
        indicator_rows = []
        for spec, node in zip(plan.indicators, placements, strict=True):
            action_index = next((k for k, line in enumerate(lines) if line.pk == node.pk), None)
            resp = action_insts[action_index][0] if action_index is not None else spec.index % n_inst
            resp_of.append(resp)
            baseline = _baseline(spec)
            indicator_rows.append(
                Indicator(
                    policy=policy,
                    node=node,
                    code=f"IND-{spec.index + 1:04d}",
                    name=f"Indicador generado {spec.index + 1}",
                    level=level_of.get(node.level_id, "output"),
                    unit="%" if spec.measure_type == "percentage" else "personas",
                    measure_type=spec.measure_type,
                    numerator_definition="Casos atendidos" if spec.measure_type == "percentage" else "",
                    denominator_definition="Casos registrados" if spec.measure_type == "percentage" else "",
                    direction=spec.direction,
                    baseline_value=baseline,
                    baseline_year=shape.start_year - 1,
                    frequency=spec.frequency,
                    responsible_institution=institutions[resp],
                    aggregation=spec.aggregation,
                )
            )
        indicators = Indicator.objects.bulk_create(indicator_rows)
        targets = {
            (spec.index, t): _target(spec, t) for spec in plan.indicators for t in range(shape.years)
        }  # also used to draw values
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicators[j], year=shape.start_year + t, value=value)
            for (j, t), value in targets.items()
        )
        dimension_pk = dict(DisaggregationDimension.objects.values_list("code", "pk"))
        dim_through = Indicator.dimensions.through
        dim_through.objects.bulk_create(
            dim_through(indicator_id=indicators[spec.index].pk, disaggregationdimension_id=dimension_pk[code])
            for spec in plan.indicators
            for code in spec.dims
        )

        periods = []
        for t in range(shape.years):
            year = shape.start_year + t
            for number in (1, 2, 3):
                starts_on, ends_on = period_dates(FOUR_MONTH, year, number)
                periods.append(
                    ReportingPeriod(
                        policy=policy,
                        code=period_code(FOUR_MONTH, year, number),
                        name=period_name(FOUR_MONTH, year, number),
                        kind=FOUR_MONTH,
                        year=year,
                        number=number,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        opens_on=ends_on + dt.timedelta(days=1),
                        closes_on=ends_on + dt.timedelta(days=20),
                        status=PeriodState.CLOSED,
                        opened_at=dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time(14), dt.UTC),
                    )
                )
        periods = ReportingPeriod.objects.bulk_create(periods)

        # Which indicators each institution reports (rank 0: the responsible one), and its actions.
        reports_of: list[list[int]] = [[] for _ in range(n_inst)]
        for spec in plan.indicators:
            for k in range(spec.reporters):
                reports_of[(resp_of[spec.index] + k) % n_inst].append(spec.index)
        actions_of: list[list[tuple[int, int]]] = [[] for _ in range(n_inst)]
        for a, insts in enumerate(action_insts):
            for rank, i in enumerate(insts):
                actions_of[i].append((a, rank))

        submissions = []
        for p, period in enumerate(periods):
            for i, institution in enumerate(institutions):
                due = [j for j in reports_of[i] if p % 3 == 2 or plan.indicators[j].due_per_year == 3]
                items = len(due) + len(actions_of[i])
                late = (i + p) % 13 == 0
                sent = dt.datetime.combine(period.closes_on + dt.timedelta(days=4 if late else -3), dt.time(15), dt.UTC)
                submissions.append(
                    Submission(
                        period=period,
                        institution=institution,
                        status=Status.APPROVED,
                        first_sent_at=sent,
                        sent_at=sent,
                        approved_at=sent + dt.timedelta(days=7),
                        total_items=items,
                        completed_items=items,
                        last_activity_at=sent + dt.timedelta(days=7),
                    )
                )
        submissions = Submission.objects.bulk_create(submissions, batch_size=2000)
    seconds["framework"] = time.perf_counter() - start
    say(f"Marco, periodos e instrumentos: {seconds['framework']:.1f} s")

    weights = {
        (spec.index, code): _weights(seed, spec.index, code, len(categories[code]))
        for spec in plan.indicators
        for code in spec.dims
    }
    ben_weights = {
        (a, code): _weights(seed, -1 - a, code, len(categories[code]))
        for a in range(len(actions))
        for code in BENEFICIARY_CODES
    }
    iv_columns = [
        "submission_id",
        "axis_id",
        "position",
        "version",
        "is_complete",
        "updated_by_id",
        "created_at",
        "updated_at",
        "indicator_id",
        "value",
        "numerator",
        "denominator",
        "disaggregated",
        "notes",
    ]
    ap_columns = [
        "submission_id",
        "axis_id",
        "position",
        "version",
        "is_complete",
        "updated_by_id",
        "created_at",
        "updated_at",
        "action_id",
        "status",
        "progress_percent",
        "achievements",
        "obstacles",
        "next_steps",
        "budget_allocated",
        "budget_executed",
        "budget_justification",
        "beneficiaries_total",
        "beneficiaries_by",
    ]
    for model, columns in ((IndicatorValue, iv_columns), (ActionProgress, ap_columns)):
        known = {f.column for f in model._meta.concrete_fields if not f.primary_key}
        assert known == set(columns), (model, known ^ set(columns))

    table = connection.ops.quote_name(ApprovedFact._meta.db_table)
    saved_indexes: list[tuple[str, str]] = []
    saved_keys: list[tuple[str, str]] = []
    if drop_fact_indexes and connection.vendor == "postgresql":
        saved_indexes, saved_keys = _fact_schema()
        with connection.cursor() as cursor:
            for name, _definition in saved_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, _definition in saved_indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        say(f"Durante la carga, sin {len(saved_indexes)} índices ni {len(saved_keys)} claves foráneas de {table}")

    total_facts = total_values = total_reports = 0
    load_start = time.perf_counter()
    try:
        for p, period in enumerate(periods):
            t, number = divmod(p, 3)
            year = period.year
            period_end = period.ends_on.isoformat()
            stamp = dt.datetime.combine(period.closes_on, dt.time(12), dt.UTC)
            values: list[tuple[Any, ...]] = []
            reports: list[tuple[Any, ...]] = []
            fact_rows: list[tuple[Any, ...]] = []
            for i, institution in enumerate(institutions):
                submission = submissions[p * n_inst + i]
                position = 0
                for j in reports_of[i]:
                    spec = plan.indicators[j]
                    if spec.due_per_year == 1 and number != 2:
                        continue
                    position += 1
                    indicator = indicators[j]
                    target = float(targets[(j, t)])
                    perf = PERFORMANCE[(j * 7 + t * 3) % len(PERFORMANCE)] * rng.uniform(0.9, 1.1)
                    numerator = denominator = None
                    if spec.measure_type == "percentage":
                        denominator = 100 + rng.randrange(400)
                        numerator = min(denominator, round(denominator * min(100.0, target * perf) / 100))
                        value = (Decimal(numerator * 100) / Decimal(denominator)).quantize(
                            PERCENT_PLACES, rounding=ROUND_HALF_UP
                        )
                    elif spec.measure_type == "yes_no":
                        value = Decimal(1 if perf * (t + 1) / shape.years >= 0.4 else 0)
                    else:
                        per_year = spec.due_per_year * spec.reporters
                        if spec.aggregation == "sum":
                            amount = target / per_year
                        elif spec.aggregation == "cumulative":
                            amount = spec.base / per_year
                        elif spec.aggregation == "latest":
                            amount = target / spec.reporters
                        else:  # average, max: every institution reports a level
                            amount = target
                        value = Decimal(max(0, round(amount * perf)))
                    disaggregated: dict[str, dict[str, str]] = {}
                    common = (
                        submission.pk,
                        period.pk,
                        institution.pk,
                        "indicator",
                        indicator.pk,
                        None,
                        year,
                        period_end,
                    )
                    fact_rows.append((*common, "", "", value, numerator, denominator))
                    for code in spec.dims:
                        shares = _split(int(value), weights[(j, code)])
                        disaggregated[code] = {c: str(s) for c, s in zip(categories[code], shares, strict=True)}
                    for code in sorted(disaggregated):
                        for category, share in sorted(disaggregated[code].items()):
                            fact_rows.append((*common, code, category, share, None, None))
                    values.append(
                        (
                            submission.pk,
                            axis_of[indicator.node_id],
                            position,
                            1,
                            True,
                            None,
                            stamp,
                            stamp,
                            indicator.pk,
                            value,
                            numerator,
                            denominator,
                            disaggregated,
                            "",
                        )
                    )
                for a, rank in actions_of[i]:
                    position += 1
                    action = actions[a]
                    perf = PERFORMANCE[(a * 5 + t) % len(PERFORMANCE)]
                    percent = min(100, round((p + 1) * 100 / len(periods) * perf * rng.uniform(0.9, 1.1)))
                    if (a + p) % 11 == 0:
                        status = ActionStatus.DELAYED
                    elif (a * 3 + p) % 37 == 0:
                        status = ActionStatus.SUSPENDED
                    elif percent >= 100:
                        status = ActionStatus.COMPLETED
                    elif percent == 0:
                        status = ActionStatus.NOT_STARTED
                    else:
                        status = ActionStatus.IN_PROGRESS
                    allocated = Decimal(50_000 + 2_500 * (a % 20))
                    executed = (allocated * Decimal(number + 1) / 3 * Decimal(str(min(perf, 1.0)))).quantize(
                        Decimal("0.01")
                    )
                    ben_total = None
                    by: dict[str, dict[str, str]] = {}
                    if plan.beneficiaries == "all" or (plan.beneficiaries == "lead" and rank == 0):
                        ben_total = 20 + rng.randrange(480)
                        subject = (submission.pk, period.pk, institution.pk, "beneficiaries", None, action.pk)
                        fact_rows.append((*subject, year, period_end, "", "", ben_total, None, None))
                        for code in BENEFICIARY_CODES:
                            shares = _split(ben_total, ben_weights[(a, code)])
                            by[code] = {c: str(s) for c, s in zip(categories[code], shares, strict=True)}
                        for code in sorted(by):
                            for category, share in sorted(by[code].items()):
                                fact_rows.append((*subject, year, period_end, code, category, share, None, None))
                    troubled = status in (ActionStatus.DELAYED, ActionStatus.SUSPENDED)
                    reports.append(
                        (
                            submission.pk,
                            axis_of[action.node_id],
                            position,
                            1,
                            True,
                            None,
                            stamp,
                            stamp,
                            action.pk,
                            status,
                            Decimal(percent),
                            f"Avance del periodo {period.code}",
                            "Retraso en la asignación de recursos" if troubled else "",
                            "",
                            allocated,
                            executed,
                            "",
                            ben_total,
                            by,
                        )
                    )
            with transaction.atomic():
                total_values += write_rows(IndicatorValue._meta.db_table, iv_columns, values)
                total_reports += write_rows(ActionProgress._meta.db_table, ap_columns, reports)
                total_facts += write_rows(ApprovedFact._meta.db_table, FACT_COLUMNS, fact_rows, chunk=50_000)
            if p % 3 == 2:
                elapsed = time.perf_counter() - load_start
                say(f"  {year}: {total_facts} datos aprobados ({elapsed:.0f} s)")
    finally:
        if saved_indexes or saved_keys:
            index_start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for _name, definition in saved_indexes:
                    cursor.execute(definition)
                # Re-adding a foreign key validates every row against the referenced table.
                for name, definition in saved_keys:
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
            seconds["indexes"] = time.perf_counter() - index_start
            say(f"Índices y claves foráneas recreados: {seconds['indexes']:.1f} s")
    seconds["load"] = time.perf_counter() - load_start - seconds.get("indexes", 0.0)
    if connection.vendor == "postgresql":
        analyze_start = time.perf_counter()
        with connection.cursor() as cursor:
            # Planner statistics for every table written (autovacuum would get there, later).
            cursor.execute("ANALYZE")
        seconds["analyze"] = time.perf_counter() - analyze_start
    seconds["total"] = time.perf_counter() - start
    assert total_facts == plan.facts, (total_facts, plan.facts)
    return Generated(policy, total_facts, plan.steps, total_values, total_reports, seconds)


# --- The peer shape (Akvo RSR's results framework) -------------------------------------------


def generate_peer(*, indicators: int, year: int = 2025, policy_code: str | None = None, seed: int = 1) -> Policy:
    """N indicators × 12 monthly periods, one approved value each: one institution, totals only."""
    code = policy_code or f"PM-PAR-{indicators}"
    if Policy.objects.filter(code=code).exists():
        raise ValueError(f"La política {code} ya existe.")
    rng = random.Random(seed)  # noqa: S311 (generated data, not secrets)
    with transaction.atomic():
        institution = _institutions(1)[0]
        policy = Policy.objects.create(
            code=code,
            name=f"Marco de comparación: {indicators} indicadores × 12 meses",
            start_year=year,
            end_year=year,
            status=PolicyStatus.ACTIVE,
            is_illustrative=True,
        )
        levels = [
            PolicyLevel.objects.create(
                policy=policy, depth=depth, name=name, name_plural=plural, is_action_level=depth == len(LEVELS)
            )
            for depth, (name, plural) in enumerate(LEVELS, start=1)
        ]
        parent = None
        chain = []
        for depth, code_ in enumerate(["1", "1.1", "1.1.1"]):
            parent = PolicyNode.objects.create(
                policy=policy, level=levels[depth], parent=parent, code=code_, title=f"Nodo {code_}", order=depth
            )
            chain.append(parent)
        lines = PolicyNode.objects.bulk_create(
            PolicyNode(
                policy=policy, level=levels[3], parent=parent, code=f"1.1.1.{n}", title=f"Línea {n}", order=10 + n
            )
            for n in range(1, 6)
        )
        Action.objects.bulk_create(Action(node=line, lead_institution=institution) for line in lines)
        rows = Indicator.objects.bulk_create(
            Indicator(
                policy=policy,
                node=lines[j % len(lines)],
                code=f"IND-{j + 1:04d}",
                name=f"Indicador {j + 1}",
                level="output",
                unit="personas",
                measure_type="count",
                direction="increase",
                frequency="monthly",
                responsible_institution=institution,
                aggregation="sum",
            )
            for j in range(indicators)
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=row, year=year, value=Decimal(1200 + 10 * j)) for j, row in enumerate(rows)
        )
        periods = []
        for month in range(1, 13):
            starts_on, ends_on = period_dates("month", year, month)
            periods.append(
                ReportingPeriod(
                    policy=policy,
                    code=period_code("month", year, month),
                    name=period_name("month", year, month),
                    kind="month",
                    year=year,
                    number=month,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    opens_on=ends_on + dt.timedelta(days=1),
                    closes_on=ends_on + dt.timedelta(days=10),
                    status=PeriodState.CLOSED,
                )
            )
        periods = ReportingPeriod.objects.bulk_create(periods)
        submissions = Submission.objects.bulk_create(
            Submission(
                period=period,
                institution=institution,
                status=Status.APPROVED,
                first_sent_at=dt.datetime.combine(period.closes_on, dt.time(12), dt.UTC),
                sent_at=dt.datetime.combine(period.closes_on, dt.time(12), dt.UTC),
                approved_at=dt.datetime.combine(period.closes_on + dt.timedelta(days=3), dt.time(12), dt.UTC),
                total_items=indicators,
                completed_items=indicators,
            )
            for period in periods
        )
        values = []
        facts = []
        for period, submission in zip(periods, submissions, strict=True):
            for j, row in enumerate(rows):
                value = Decimal(80 + 10 * j // max(1, indicators) + rng.randrange(40))
                values.append(
                    IndicatorValue(
                        submission=submission,
                        axis=chain[0],
                        position=j + 1,
                        is_complete=True,
                        indicator=row,
                        value=value,
                    )
                )
                facts.append(
                    ApprovedFact(
                        submission=submission,
                        period=period,
                        institution=institution,
                        kind="indicator",
                        indicator=row,
                        year=year,
                        period_end=period.ends_on,
                        value=value,
                    )
                )
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
        ApprovedFact.objects.bulk_create(facts, batch_size=2000)
    return policy


def fact_rows_of(policy: Policy) -> Iterator[tuple[Any, ...]]:
    """The policy's approved facts in a stable order, named by codes (for comparing two generations)."""
    yield from (
        ApprovedFact.objects.filter(period__policy=policy)
        .order_by(
            "period__code",
            "institution__name",
            "kind",
            "indicator__code",
            "action__node__code",
            "dimension",
            "category",
        )
        .values_list(
            "period__code",
            "institution__name",
            "kind",
            "indicator__code",
            "action__node__code",
            "dimension",
            "category",
            "value",
            "numerator",
            "denominator",
        )
        .iterator(chunk_size=5000)
    )
