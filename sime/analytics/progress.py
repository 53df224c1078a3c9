"""The progress of a policy's results framework, built from approved facts in a fixed number of
queries: every node's roll-up, every indicator against its targets, the lines of action, budget,
beneficiaries, reporting compliance and the alignment groupings.

One builder for every reader: the dashboards, the API, the IPTT exports and the monitoring report
take their figures from `framework_progress()`, and the rules come from `aggregation`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from sime.analytics import aggregation as agg
from sime.analytics.aggregation import Aggregate, Observation, Progress, ProgressStatus, Reported
from sime.analytics.figures import (
    ZERO,
    AlignmentGroup,
    FrameworkProgress,
    IndicatorProgress,
    InstitutionActionReport,
    NodeProgress,
    PeriodInfo,
    PeriodPoint,
    ReportingRate,
)
from sime.policy.models import Action, Indicator, IndicatorTarget, Policy, PolicyNode
from sime.reporting.models import ActionProgress, ApprovedFact, FactKind, ReportingPeriod, Submission
from sime.reporting.periods import FREQUENCY_MONTHS
from sime.reporting.workflow import Status


def _period_info(period: ReportingPeriod) -> PeriodInfo:
    return PeriodInfo(period.pk, period.code, period.name, period.year, period.ends_on, period.closes_on)


def default_until(periods: Iterable[ReportingPeriod], year: int) -> dt.date:
    """The date figures are read at: the end of the year's latest period with an approved
    instrument (so that months not yet reported are not counted as behind), else the year's end.
    `periods` come from `periods_with_approval` (they carry `has_approved`)."""
    ends = [p.ends_on for p in periods if p.year == year and p.has_approved]  # type: ignore[attr-defined]
    return max(ends, default=dt.date(year, 12, 31))


def periods_with_approval(policy: Policy, submissions: QuerySet[Submission] | None = None) -> list[ReportingPeriod]:
    """The policy's periods in order, each knowing whether it holds an approved instrument (among
    `submissions`, when given): the one query `framework_progress` needs for its periods and for
    `default_until`."""
    approved = Submission.objects.filter(period=OuterRef("pk"), status=Status.APPROVED)
    if submissions is not None:
        approved = approved.filter(pk__in=submissions)
    periods = ReportingPeriod.objects.filter(policy=policy).annotate(has_approved=Exists(approved))
    return list(periods.order_by("ends_on", "code"))


def thresholds_of(policy: Policy) -> agg.Thresholds:
    return agg.Thresholds(policy.on_track_threshold, policy.at_risk_threshold, policy.maintain_tolerance)


# --- Indicators ------------------------------------------------------------------------------


# Counts that are added or averaged (aggregation.combines_by_sum): the database adds the
# institutions up. The same condition as a query filter, on the indicator joined to the facts.
BY_SUM = Q(indicator__measure_type=agg.COUNT) & ~Q(indicator__aggregation=agg.MAX)

Parts = dict[tuple[str, str], Decimal]


def _combines_by_sum(indicator: Any) -> bool:
    return agg.combines_by_sum(aggregation=indicator.aggregation, measure_type=indicator.measure_type)


def _summed_observations(rows: Iterable[tuple[Any, ...]], parts: dict[Any, Parts], indicator: Any) -> list[Observation]:
    """Rows (period_id, period_end, Σ value, institutions) of an indicator that combines by sum."""
    return sorted(
        (
            agg.combine_sums(
                period_end,
                total=total,
                count=count,
                parts=parts.get((indicator.pk, period_id)),
                aggregation=indicator.aggregation,
            )
            for period_id, period_end, total, count in rows
        ),
        key=lambda o: o.period_end,
    )


def _observations(rows: Iterable[tuple[Any, ...]], parts: dict[Any, Parts], indicator: Any) -> list[Observation]:
    """Per-institution rows (period_id, period_end, institution_id, value, num, den) → observations."""
    by_period: dict[tuple[int, dt.date], list[Reported]] = defaultdict(list)
    for period_id, period_end, institution_id, value, numerator, denominator in rows:
        by_period[(period_id, period_end)].append(
            Reported(value, numerator, denominator, parts.get((indicator.pk, period_id, institution_id), {}))
        )
    return [
        agg.combine_institutions(
            period_end, reported, aggregation=indicator.aggregation, measure_type=indicator.measure_type
        )
        for (_pk, period_end), reported in sorted(by_period.items(), key=lambda kv: kv[0][1])
    ]


def _reports_with_deciding_parts(
    single: dict[int, list[tuple[Any, ...]]], indicators: dict[int, Any]
) -> set[tuple[int, int, int]]:
    """(indicator, period, institution) of the per-institution totals whose parts can change the
    combined observation; the rows are those `_observations` reads."""
    wanted: set[tuple[int, int, int]] = set()
    for indicator_id, rows in single.items():
        indicator = indicators[indicator_id]
        by_period: dict[int, list[tuple[int, Reported]]] = defaultdict(list)
        for period_id, _end, institution_id, value, numerator, denominator in rows:
            by_period[period_id].append((institution_id, Reported(value, numerator, denominator)))
        for period_id, reports in by_period.items():
            for index in agg.reports_whose_parts_count(
                [r for _i, r in reports], aggregation=indicator.aggregation, measure_type=indicator.measure_type
            ):
                wanted.add((indicator_id, period_id, reports[index][0]))
    return wanted


def _fraction(indicator: Any, until: dt.date) -> Decimal:
    """Share of the year expected by the end of the indicator's last cycle due by `until` (0: none due yet)."""
    return _fraction_of(indicator.frequency, indicator.aggregation, indicator.measure_type, until)


@lru_cache(maxsize=4096)
def _fraction_of(frequency: str, aggregation: str, measure_type: str, until: dt.date) -> Decimal:
    # Asked once per indicator and IPTT cell, with few distinct answers: remembered (pure function).
    cycle = FREQUENCY_MONTHS[frequency]
    months_due = (until.month // cycle) * cycle
    if not months_due:
        return ZERO
    return agg.elapsed_fraction(
        aggregation=aggregation,
        measure_type=measure_type,
        frequency=frequency,
        period_end=dt.date(until.year, months_due, 1),
    )


def indicator_progress_at(
    indicator: Any,
    targets: dict[int, Decimal],
    observations: list[Observation],
    *,
    year: int,
    until: dt.date,
    thresholds: agg.Thresholds,
) -> tuple[Aggregate | None, Progress]:
    """The year-to-date aggregate at `until` and its progress against the year's target."""
    return _progress_of_window(
        indicator,
        targets,
        agg.year_window(observations, aggregation=indicator.aggregation, year=year, until=until),
        year=year,
        until=until,
        thresholds=thresholds,
    )


def _progress_of_window(
    indicator: Any,
    targets: dict[int, Decimal],
    window: list[Observation],
    *,
    year: int,
    until: dt.date,
    thresholds: agg.Thresholds,
) -> tuple[Aggregate | None, Progress]:
    aggregate = agg.aggregate_periods(window, aggregation=indicator.aggregation, measure_type=indicator.measure_type)
    return aggregate, _progress_of(indicator, targets, aggregate, year=year, until=until, thresholds=thresholds)


def _progress_of(
    indicator: Any,
    targets: dict[int, Decimal],
    aggregate: Aggregate | None,
    *,
    year: int,
    until: dt.date,
    thresholds: agg.Thresholds,
) -> Progress:
    fraction = _fraction(indicator, until)
    target = targets.get(year)
    if aggregate is None or not fraction:
        return agg.measure_progress(
            actual=None, target=target, baseline=indicator.baseline_value, direction=indicator.direction, aggregation=""
        )
    return agg.measure_progress(
        actual=aggregate.value,
        target=target,
        baseline=indicator.baseline_value,
        direction=indicator.direction,
        aggregation=indicator.aggregation if indicator.measure_type == agg.COUNT else "",
        fraction=fraction,
        previous_target=targets.get(year - 1),
        thresholds=thresholds,
    )


def _points(
    indicator: Any,
    targets: dict[int, Decimal],
    observations: list[Observation],
    periods: list[PeriodInfo],
    *,
    until: dt.date,
    thresholds: agg.Thresholds,
) -> list[PeriodPoint]:
    """One IPTT cell per period up to `until`: the year-to-date figures (everything so far for
    cumulative indicators) come from one pass over the sorted observations (`aggregate_prefixes`)."""
    ends = [o.period_end for o in observations]
    by_end = dict(zip(ends, observations, strict=True))
    cumulative = indicator.aggregation == agg.CUMULATIVE
    prefixes: dict[int, list[Aggregate]] = {}  # first index of a run → its prefix aggregates

    def to_date(start: int, stop: int) -> Aggregate | None:
        if stop <= start:
            return None
        if start not in prefixes:
            run_end = (
                len(observations)
                if cumulative
                else bisect_left(ends, dt.date(observations[start].period_end.year + 1, 1, 1))
            )
            prefixes[start] = agg.aggregate_prefixes(
                observations[start:run_end], aggregation=indicator.aggregation, measure_type=indicator.measure_type
            )
        return prefixes[start][stop - start - 1]

    points = []
    for period in periods:
        if period.ends_on > until:
            continue
        stop = bisect_right(ends, period.ends_on)
        start = 0 if cumulative else bisect_left(ends, dt.date(period.year, 1, 1))
        aggregate = to_date(start, stop)
        progress = _progress_of(
            indicator, targets, aggregate, year=period.year, until=period.ends_on, thresholds=thresholds
        )
        observation = by_end.get(period.ends_on)
        points.append(PeriodPoint(period, observation.value if observation else None, aggregate, progress))
    return points


def _build_indicator(
    indicator: Any,
    observations: list[Observation],
    targets: dict[int, Decimal],
    *,
    year: int,
    until: dt.date,
    periods: list[PeriodInfo],
    thresholds: agg.Thresholds,
    with_points: bool,
    all_years: bool,
) -> IndicatorProgress:
    year_aggregate, progress = indicator_progress_at(
        indicator, targets, observations, year=year, until=until, thresholds=thresholds
    )
    # Without the other years' observations there is no horizon figure to give (never a partial one).
    horizon = (
        agg.aggregate_periods(
            [o for o in observations if o.period_end <= until],
            aggregation=indicator.aggregation,
            measure_type=indicator.measure_type,
        )
        if all_years
        else None
    )
    horizon_target = agg.horizon_target(targets, aggregation=indicator.aggregation, measure_type=indicator.measure_type)
    horizon_progress = agg.measure_progress(
        actual=horizon.value if horizon else None,
        target=horizon_target if all_years else None,
        baseline=indicator.baseline_value,
        direction=indicator.direction,
        aggregation="",
        thresholds=thresholds,
    )
    points = (
        _points(indicator, targets, observations, periods, until=until, thresholds=thresholds) if with_points else []
    )
    return IndicatorProgress(
        indicator, targets, observations, year_aggregate, progress, horizon, horizon_progress, points
    )


# --- Lines of action -------------------------------------------------------------------------


def _latest_reports(
    rows: Iterable[tuple[Any, ...]], periods: dict[int, PeriodInfo], names: dict[int, str]
) -> dict[int, list[InstitutionActionReport]]:
    """action id → each institution's latest approved report (rows already ordered by period end)."""
    latest: dict[tuple[int, int], InstitutionActionReport] = {}
    for action_id, institution_id, period_id, status, percent, obstacles, allocated, executed in rows:
        latest[(action_id, institution_id)] = InstitutionActionReport(
            institution_id,
            names.get(institution_id, ""),
            periods[period_id],
            status,
            percent,
            obstacles,
            allocated,
            executed,
        )
    by_action: dict[int, list[InstitutionActionReport]] = defaultdict(list)
    for (action_id, _institution), report in latest.items():
        by_action[action_id].append(report)
    for reports in by_action.values():
        reports.sort(key=lambda r: r.institution_name)
    return by_action


def _inherited_risk(nodes: dict[int, NodeProgress], links: list[tuple[int, int]]) -> None:
    """Flag each node with the chains from troubled nodes that contribute to it (red causal)."""
    contributors: dict[int, list[int]] = defaultdict(list)
    for source, target in links:
        contributors[target].append(source)
    for pk, item in nodes.items():
        seen = {pk}
        queue: deque[list[int]] = deque([[pk]])
        while queue:
            path = queue.popleft()
            for source in contributors.get(path[0], []):
                if source in seen or source not in nodes:
                    continue
                seen.add(source)
                chain = [source, *path]
                if nodes[source].is_troubled:
                    item.inherited_risk.append([nodes[n].node for n in chain])
                queue.append(chain)


# --- The builder -----------------------------------------------------------------------------


def framework_progress(
    policy: Policy,
    *,
    year: int,
    until: dt.date | None = None,
    institution_id: int | None = None,
    with_points: bool = False,
    with_parts: bool = False,
    indicator_ids: Iterable[int] | None = None,
    all_years: bool = True,
    submissions: QuerySet[Submission] | None = None,
) -> FrameworkProgress:
    """The whole framework's progress at `until` (default: `default_until`), from approved facts only.

    `institution_id` narrows every figure to that institution's approved reports; `with_points`
    adds the per-period IPTT cells, `with_parts` the disaggregations; `indicator_ids` computes only
    those indicators (an indicator's page): the tree, lines of action, compliance and beneficiaries
    are then left empty, and their queries are not run. `all_years=False` reads only the year's
    facts (and the history of cumulative indicators), for pages that show one year: the per-period
    cells are then the year's only and there is no horizon figure. `submissions` narrows every
    approved figure (facts, lines of action, beneficiaries, reporting rates) to those instruments:
    the public portal passes the published ones.
    """
    only_indicators = indicator_ids is not None
    period_rows = periods_with_approval(policy, submissions)
    until = until or default_until(period_rows, year)
    thresholds = thresholds_of(policy)
    periods = [_period_info(p) for p in period_rows]
    period_by_pk = {p.pk: p for p in periods}

    node_rows = (
        []
        if only_indicators
        else list(
            PolicyNode.objects.filter(policy=policy)
            .select_related("level", "action")
            .order_by("level__depth", "order", "code")
        )
    )
    # For the whole framework an indicator's node is attached from the tree's nodes rather than
    # built again for every indicator by a join.
    indicators_qs = (
        Indicator.objects.filter(policy=policy)
        .select_related("responsible_institution", *(["node"] if only_indicators else []))
        .order_by("code")
    )
    facts = ApprovedFact.objects.filter(kind=FactKind.INDICATOR, period_end__lte=until)
    if submissions is not None:
        facts = facts.filter(submission__in=submissions)
    target_rows = IndicatorTarget.objects.filter(indicator__policy=policy)
    if institution_id is not None:
        facts = facts.filter(institution_id=institution_id)
        indicators_qs = indicators_qs.filter(
            Q(responsible_institution_id=institution_id) | Q(approved_facts__institution_id=institution_id)
        ).distinct()
    if indicator_ids is not None:
        ids = list(indicator_ids)
        indicators_qs = indicators_qs.filter(pk__in=ids)
        target_rows = target_rows.filter(indicator_id__in=ids)
    indicator_rows = list(indicators_qs)
    # An indicator's page names its indicators by id (checked against the policy above): its facts
    # are read by id, without joining the indicators.
    if only_indicators:
        facts = facts.filter(indicator_id__in=[i.pk for i in indicator_rows])
        cumulative = Q(indicator_id__in=[i.pk for i in indicator_rows if i.aggregation == agg.CUMULATIVE])
    else:
        facts = facts.filter(indicator__policy=policy)
        cumulative = Q(indicator__aggregation=agg.CUMULATIVE)
    if not all_years:
        facts = facts.filter(Q(year=year) | cumulative)
    if not only_indicators:
        node_by_pk = {node.pk: node for node in node_rows}
        for indicator in indicator_rows:
            Indicator.node.field.set_cached_value(indicator, node_by_pk[indicator.node_id])
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    # Unordered (the model's ordering joins the policy to sort): every reader sorts the years itself.
    for indicator_id, target_year, value in target_rows.order_by().values_list("indicator_id", "year", "value"):
        targets[indicator_id][target_year] = value

    # A query that cannot return a row is not run: an indicator's page asks for one kind only.
    any_summed = any(_combines_by_sum(indicator) for indicator in indicator_rows)
    any_single = any(not _combines_by_sum(indicator) for indicator in indicator_rows)

    def of_kind(rows: Any, *, summed: bool) -> Any:
        if only_indicators:  # by id, without joining the indicators
            return rows.filter(indicator_id__in=[i.pk for i in indicator_rows if _combines_by_sum(i) == summed])
        return rows.filter(BY_SUM) if summed else rows.exclude(BY_SUM)

    totals = facts.filter(dimension="").order_by()
    summed: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for indicator_id, *rest in (
        of_kind(totals, summed=True)
        .values("indicator_id", "period_id", "period_end")
        .annotate(total=Sum("value"), institutions=Count("pk"))
        .values_list("indicator_id", "period_id", "period_end", "total", "institutions")
        if any_summed
        else []
    ):
        summed[indicator_id].append(tuple(rest))
    single: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for indicator_id, *rest in (
        of_kind(totals, summed=False).values_list(
            "indicator_id", "period_id", "period_end", "institution_id", "value", "numerator", "denominator"
        )
        if any_single
        else []
    ):
        single[indicator_id].append(tuple(rest))
    summed_parts: dict[Any, Parts] = defaultdict(dict)
    single_parts: dict[Any, Parts] = defaultdict(dict)
    if with_parts:
        parts = facts.exclude(dimension="").order_by()
        for indicator_id, period_id, dimension, category, total in (
            of_kind(parts, summed=True)
            .values("indicator_id", "period_id", "dimension", "category")
            .annotate(total=Sum("value"))
            .values_list("indicator_id", "period_id", "dimension", "category", "total")
            if any_summed
            else []
        ):
            summed_parts[(indicator_id, period_id)][(dimension, category)] = total
        # Reports combined by picking one: only the parts that can decide are read (`reports_whose_parts_count`).
        wanted = _reports_with_deciding_parts(single, {i.pk: i for i in indicator_rows})
        periods_of: dict[tuple[int, int], list[int]] = defaultdict(list)
        for indicator_id, period_id, institution_id_ in sorted(wanted):
            periods_of[(indicator_id, institution_id_)].append(period_id)
        deciding = Q()
        for (indicator_id, institution_id_), period_ids in periods_of.items():
            deciding |= Q(indicator_id=indicator_id, institution_id=institution_id_, period_id__in=period_ids)
        for indicator_id, period_id, institution_id_, dimension, category, part in (
            of_kind(parts, summed=False)
            .filter(deciding)
            .values_list("indicator_id", "period_id", "institution_id", "dimension", "category", "value")
            if wanted
            else []
        ):
            if part is not None:
                single_parts[(indicator_id, period_id, institution_id_)][(dimension, category)] = part

    def observations_of(indicator: Any) -> list[Observation]:
        if _combines_by_sum(indicator):
            return _summed_observations(summed.get(indicator.pk, []), summed_parts, indicator)
        return _observations(single.get(indicator.pk, []), single_parts, indicator)

    indicators = [
        _build_indicator(
            indicator,
            observations_of(indicator),
            targets.get(indicator.pk, {}),
            year=year,
            until=until,
            periods=periods if all_years else [p for p in periods if p.year == year],
            thresholds=thresholds,
            with_points=with_points,
            all_years=all_years,
        )
        for indicator in indicator_rows
    ]

    # Lines of action: each institution's latest approved report up to `until`, picked by the
    # database (one row per action and institution, not one per period).
    progress_rows = ActionProgress.objects.filter(
        submission__status=Status.APPROVED, action__node__policy=policy, submission__period__ends_on__lte=until
    )
    if institution_id is not None:
        progress_rows = progress_rows.filter(submission__institution_id=institution_id)
    if submissions is not None:
        progress_rows = progress_rows.filter(submission__in=submissions)
    progress_rows = progress_rows.annotate(
        recency=Window(
            RowNumber(),
            partition_by=[F("action_id"), F("submission__institution_id")],
            order_by=[F("submission__period__ends_on").desc(), F("submission__period_id").desc()],
        )
    ).filter(recency=1)
    rows = (
        []
        if only_indicators
        else list(
            progress_rows.order_by("action_id", "submission__institution_id").values_list(
                "action_id",
                "submission__institution_id",
                "submission__period_id",
                "status",
                "progress_percent",
                "obstacles",
                "budget_allocated",
                "budget_executed",
            )
        )
    )
    names = {
        pk: acronym or name
        for pk, acronym, name in (
            []
            if only_indicators
            else Submission.objects.filter(period__policy=policy)
            .values_list("institution_id", "institution__acronym", "institution__name")
            .order_by()  # without it the model's ordering columns join the DISTINCT (a row per submission)
            .distinct()
        )
    }
    reports = _latest_reports(rows, period_by_pk, names)

    nodes = {node.pk: NodeProgress(node) for node in node_rows}
    for indicator_progress in indicators:
        if indicator_progress.indicator.node_id in nodes:
            nodes[indicator_progress.indicator.node_id].indicators.append(indicator_progress)
    roots: list[NodeProgress] = []
    for node in node_rows:
        item = nodes[node.pk]
        if node.parent_id is None:
            roots.append(item)
        elif node.parent_id in nodes:
            nodes[node.parent_id].children.append(item)
    for node in reversed(node_rows):  # deepest first: children are complete before their parent
        item = nodes[node.pk]
        action = getattr(node, "action", None)
        if action is not None:
            item.reports = reports.get(action.pk, [])
            item.percent = agg.weighted_mean((r.percent, Decimal(1)) for r in item.reports)
            for report in item.reports:
                if report.period.year == year:
                    item.budget_allocated += report.budget_allocated or ZERO
                    item.budget_executed += report.budget_executed or ZERO
                if report.is_troubled:
                    item.trouble.append(f"{report.institution_name}: {report.status_label}")
        if item.children:
            item.percent = agg.weighted_mean((child.percent, child.node.weight) for child in item.children)
            item.budget_allocated += sum((c.budget_allocated for c in item.children), ZERO)
            item.budget_executed += sum((c.budget_executed for c in item.children), ZERO)
        for indicator_item in item.indicators:
            if indicator_item.status == ProgressStatus.BEHIND:
                item.trouble.append(f"{indicator_item.indicator.code}: {ProgressStatus.BEHIND.label}")
    co_responsible: dict[int, set[int]] = defaultdict(set)
    if not only_indicators:
        for action_id, institution_id_ in Action.co_responsible.through.objects.filter(
            action__node__policy=policy
        ).values_list("action_id", "institution_id"):
            co_responsible[action_id].add(institution_id_)
    links = [] if only_indicators else list(policy.causal_links.values_list("source_id", "target_id"))
    _inherited_risk(nodes, links)

    instruments = Submission.objects.filter(period__policy=policy)
    if institution_id is not None:
        instruments = instruments.filter(institution_id=institution_id)
    if submissions is not None:
        instruments = instruments.filter(pk__in=submissions)
    rate_rows = instruments.values("period_id").annotate(
        expected=Count("pk"),
        received=Count("pk", filter=Q(first_sent_at__isnull=False)),
        on_time=Count("pk", filter=Q(first_sent_at__date__lte=F("period__closes_on"))),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
    )
    rates = sorted(
        (
            ReportingRate(period_by_pk[r["period_id"]], r["expected"], r["received"], r["on_time"], r["approved"])
            for r in ([] if only_indicators else rate_rows)
        ),
        key=lambda rate: rate.period.ends_on,
    )

    beneficiary_facts = ApprovedFact.objects.filter(
        kind=FactKind.BENEFICIARIES, period__policy=policy, year=year, period_end__lte=until
    )
    if institution_id is not None:
        beneficiary_facts = beneficiary_facts.filter(institution_id=institution_id)
    if submissions is not None:
        beneficiary_facts = beneficiary_facts.filter(submission__in=submissions)
    beneficiaries: dict[str, dict[str, Decimal]] = defaultdict(dict)
    beneficiaries_total = ZERO
    for dimension, category, people in (
        []
        if only_indicators
        else beneficiary_facts.values_list("dimension", "category").annotate(people=Sum("value")).order_by()
    ):
        if dimension:
            beneficiaries[dimension][category] = people
        else:
            beneficiaries_total = people or ZERO

    return FrameworkProgress(
        policy=policy,
        year=year,
        until=until,
        periods=periods,
        roots=roots,
        nodes=nodes,
        indicators=indicators,
        rates=rates,
        beneficiaries=dict(beneficiaries),
        beneficiaries_total=beneficiaries_total,
        thresholds=thresholds,
        institution_id=institution_id,
        co_responsible=dict(co_responsible),
    )


def alignment_groups(progress: FrameworkProgress, kind: str) -> list[AlignmentGroup]:
    """The same progress grouped by GCM objective, SDG target or K'atun priority (`kind`:
    "gcm", "sdg", "katun"): mapped nodes' mean roll-up and the statuses of their subtrees' indicators."""
    relation = {"gcm": "gcm_objectives", "sdg": "sdg_targets", "katun": "katun_priorities"}[kind]
    through = getattr(PolicyNode, relation).through
    target_field = {"gcm": "gcmobjective", "sdg": "sdgtarget", "katun": "katunpriority"}[kind]
    rows = list(
        through.objects.filter(policynode__policy=progress.policy)
        .select_related(target_field)
        .values_list("policynode_id", f"{target_field}_id")
    )
    model = getattr(PolicyNode, relation).field.related_model
    items = {obj.pk: obj for obj in model.objects.filter(pk__in={target for _node, target in rows})}
    by_item: dict[int, list[int]] = defaultdict(list)
    for node_id, item_id in rows:
        if node_id in progress.nodes:
            by_item[item_id].append(node_id)

    def subtree_indicators(item: NodeProgress) -> list[IndicatorProgress]:
        found = list(item.indicators)
        for child in item.children:
            found += subtree_indicators(child)
        return found

    groups = []
    for item_id, node_ids in by_item.items():
        obj = items[item_id]
        mapped = [progress.nodes[pk] for pk in node_ids]
        counts: dict[str, int] = defaultdict(int)
        for node in mapped:
            for indicator in subtree_indicators(node):
                counts[indicator.status] += 1
        code = str(getattr(obj, "number", None) or getattr(obj, "code", ""))
        title = str(getattr(obj, "title_es", None) or getattr(obj, "summary", None) or getattr(obj, "name", ""))
        groups.append(
            AlignmentGroup(
                code,
                title,
                agg.weighted_mean((n.percent, Decimal(1)) for n in mapped),
                tuple(n.node for n in mapped),
                dict(counts),
            )
        )
    return sorted(groups, key=lambda g: (len(g.code), g.code))
