"""What each monitoring page shows: one function per page, each reading the progress builder once.

Presentation glue only (which figures, which charts, which labels); the figures themselves come
from `progress.framework_progress` and the rules from `aggregation`. Each page costs a fixed number
of queries whatever the size of the data (tested).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.activities.selectors import socialization_reach
from sime.analytics import charts
from sime.analytics.aggregation import ProgressStatus
from sime.analytics.figures import FrameworkProgress, NodeProgress
from sime.analytics.iptt import IpttTable, iptt_table
from sime.analytics.progress import alignment_groups, framework_progress
from sime.analytics.selectors import (
    approved_values_with_evidence,
    department_categories,
    dimension_labels,
    late_submissions,
)
from sime.institutions.models import Institution
from sime.policy.models import Indicator, Policy, PolicyNode

DEPARTMENT_DIMENSION = "departamento"
RATE_PERIODS = 6  # the last periods shown in compliance charts


def status_labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in ProgressStatus}


def _beneficiaries(progress: FrameworkProgress) -> list[dict[str, Any]]:
    labels = dimension_labels()
    rows = []
    for code, (name, categories) in labels.items():
        counts = progress.beneficiaries.get(code)
        if not counts:
            continue
        rows.append(
            {
                "code": code,
                "name": name,
                "parts": [(categories.get(category, category), counts[category]) for category in counts],
            }
        )
    return rows


def _axes(progress: FrameworkProgress, axis: PolicyNode | None) -> list[NodeProgress]:
    return [root for root in progress.roots if axis is None or root.node.pk == axis.pk]


def national_dashboard(policy: Policy, filters: dict[str, Any]) -> dict[str, Any]:
    institution: Institution | None = filters["institution"]
    progress = framework_progress(
        policy,
        year=filters["year"],
        until=filters["until"],
        institution_id=institution.pk if institution else None,
        all_years=False,
    )
    axes = _axes(progress, filters["axis"])
    axis_ids = {item.node.pk for item in axes}

    def in_axes(item: NodeProgress) -> bool:
        return filters["axis"] is None or _axis_of(progress, item) in axis_ids

    labels = status_labels()
    rates = progress.rates[-RATE_PERIODS:]
    return {
        "progress": progress,
        "axes": axes,
        "labels": labels,
        "status_rows": [(code, labels[code], count) for code, count in progress.status_counts.items()],
        "attention": [i for i in progress.indicators_needing_attention if in_axes(progress.nodes[i.indicator.node_id])],
        "troubled": [(item, report) for item, report in progress.troubled_actions if in_axes(item)],
        "inherited": [item for item in progress.nodes_at_inherited_risk if in_axes(item)],
        "rates": rates,
        "latest_rate": rates[-1] if rates else None,
        "late": late_submissions(
            [rate.period.pk for rate in rates[-3:]], institution_id=institution.pk if institution else None
        ),
        "beneficiaries": _beneficiaries(progress),
        "axis_chart": charts.node_progress_chart(axes),
        "rates_chart": charts.reporting_rates_chart(rates),
        "budget_chart": charts.budget_chart(axes),
        "status_chart": charts.status_chart(progress, labels),
    }


def _axis_of(progress: FrameworkProgress, item: NodeProgress) -> int:
    node = item.node
    while node.parent_id is not None and node.parent_id in progress.nodes:
        node = progress.nodes[node.parent_id].node
    return int(node.pk)


def ancestors(progress: FrameworkProgress, item: NodeProgress) -> list[PolicyNode]:
    chain = []
    node = item.node
    while node.parent_id is not None and node.parent_id in progress.nodes:
        node = progress.nodes[node.parent_id].node
        chain.append(node)
    return list(reversed(chain))


def node_page(node: PolicyNode, filters: dict[str, Any]) -> dict[str, Any]:
    progress = framework_progress(node.policy, year=filters["year"], until=filters["until"], all_years=False)
    item = progress.node(node.pk)
    return {
        "progress": progress,
        "item": item,
        "ancestors": ancestors(progress, item),
        "labels": status_labels(),
        "children_chart": charts.node_progress_chart(item.children) if item.children else None,
    }


def indicator_page(indicator: Indicator, user: User, filters: dict[str, Any]) -> dict[str, Any]:
    progress = framework_progress(
        indicator.policy,
        year=filters["year"],
        until=filters["until"],
        indicator_ids=[indicator.pk],
        with_points=True,
        with_parts=True,
    )
    item = progress.indicators[0]
    catalogue = dimension_labels()
    parts = item.parts_by_dimension()
    disaggregation = [
        {
            "code": code,
            "name": catalogue.get(code, (code, {}))[0],
            "parts": [(catalogue.get(code, (code, {}))[1].get(c, c), value) for c, value in values.items()],
            "total": sum(values.values(), Decimal(0)),
        }
        for code, values in parts.items()
    ]
    department_map = department_rows = None
    if DEPARTMENT_DIMENSION in parts:
        by_department = parts[DEPARTMENT_DIMENSION]
        department_map = {
            "values": {code: float(value) for code, value in by_department.items()},
            "label": indicator.unit,
            "format": "number",
        }
        department_rows = [(code, name, by_department.get(code)) for code, name in department_categories().items()]
    yearly = item.yearly_actuals()
    actual_by_year = dict(yearly)
    yearly_rows = [
        (year, {"target": item.targets.get(year), "actual": actual_by_year.get(year)})
        for year in sorted(set(actual_by_year) | set(item.targets))
    ]
    return {
        "progress": progress,
        "item": item,
        "labels": status_labels(),
        "disaggregation": disaggregation,
        "department_map": department_map,
        "department_rows": department_rows,
        "values": approved_values_with_evidence(indicator, user),
        "years_chart": charts.indicator_years_chart(item, yearly),
        "yearly_rows": yearly_rows,
    }


def institution_page(institution: Institution, policy: Policy, filters: dict[str, Any]) -> dict[str, Any]:
    progress = framework_progress(
        policy, year=filters["year"], until=filters["until"], institution_id=institution.pk, all_years=False
    )
    actions = [item for item in progress.nodes.values() if item.reports]
    actions.sort(key=lambda item: (item.node.order, item.node.code))
    rates = progress.rates
    return {
        "progress": progress,
        "institution": institution,
        "actions": actions,
        "labels": status_labels(),
        "rates": rates,
        "rates_chart": charts.reporting_rates_chart(rates[-RATE_PERIODS:]),
    }


def iptt_page(policy: Policy, filters: dict[str, Any]) -> dict[str, Any]:
    institution: Institution | None = filters["institution"]
    progress = framework_progress(
        policy,
        year=filters["year"],
        until=filters["until"],
        institution_id=institution.pk if institution else None,
        with_points=True,
        all_years=False,
    )
    table = iptt_table(progress, year=filters["year"])
    axis = filters["axis"]
    status = filters.get("status", "")
    rows = tuple(
        row
        for row in table.rows
        if (axis is None or _axis_of(progress, progress.nodes[row.indicator.node_id]) == axis.pk)
        and (not status or row.item.status == status)
    )
    return {"progress": progress, "table": IpttTable(table.periods, rows, table.year), "labels": status_labels()}


def alignment_page(policy: Policy, filters: dict[str, Any]) -> dict[str, Any]:
    progress = framework_progress(policy, year=filters["year"], until=filters["until"], all_years=False)
    labels = status_labels()
    return {
        "progress": progress,
        "labels": labels,
        "groups": [
            (_("Objetivos del Pacto Mundial para la Migración"), alignment_groups(progress, "gcm")),
            (_("Metas de los Objetivos de Desarrollo Sostenible"), alignment_groups(progress, "sdg")),
            (_("Prioridades del K'atun 2032"), alignment_groups(progress, "katun")),
        ],
    }


def map_indicators_queryset(policy: Policy) -> QuerySet[Indicator]:
    """Indicators that can be drawn on the map: those disaggregated by department."""
    return Indicator.objects.filter(policy=policy, dimensions__code=DEPARTMENT_DIMENSION).order_by("code")


def department_map_page(
    user: User, policy: Policy, filters: dict[str, Any], indicator: Indicator | None
) -> dict[str, Any]:
    """A department-disaggregated indicator's year figure by department, or (without one) the
    people reached by the socialisation events of the year."""
    names = department_categories()
    if indicator is not None:
        progress = framework_progress(
            policy,
            year=filters["year"],
            until=filters["until"],
            indicator_ids=[indicator.pk],
            with_parts=True,
            all_years=False,
        )
        values = progress.indicators[0].parts_by_dimension().get(DEPARTMENT_DIMENSION, {})
        label = indicator.unit
        until = progress.until
    else:
        reach = socialization_reach(user, year=filters["year"])
        values = {row["code"]: Decimal(row["attendance"]) for row in reach["by_department"] if row["code"]}
        label = _("personas alcanzadas")
        until = None
    rows = [(code, name, values.get(code)) for code, name in names.items()]
    return {
        "indicator": indicator,
        "indicators": list(map_indicators_queryset(policy)),
        "rows": rows,
        "total": sum((v for v in values.values() if v is not None), Decimal(0)),
        "until": until,
        "map_data": {"values": {code: float(v) for code, v in values.items()}, "label": label, "format": "number"},
        "value_label": label,
    }
