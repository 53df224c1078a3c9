"""Bulk builders for reporting tests and benchmarks: many actions, indicators and institutions fast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sime.institutions.models import Institution
from sime.policy.models import Action, Indicator, PolicyNode
from sime.reporting import services
from sime.reporting.models import ReportingPeriod


def add_actions(strategic: PolicyNode, institutions: list[Institution], count: int, *, prefix: str = "X") -> None:
    """`count` lines of action under `strategic`, led in turn by each institution."""
    level = strategic.level.policy.levels.get(is_action_level=True)
    nodes = PolicyNode.objects.bulk_create(
        [
            PolicyNode(
                policy=strategic.policy,
                level=level,
                parent=strategic,
                code=f"{prefix}.{n}",
                title=f"Acción {prefix}.{n}",
                order=1000 + n,
            )
            for n in range(count)
        ]
    )
    if any(node.pk is None for node in nodes):
        nodes = list(PolicyNode.objects.filter(code__startswith=f"{prefix}.", policy=strategic.policy))
    Action.objects.bulk_create(
        [Action(node=node, lead_institution=institutions[n % len(institutions)]) for n, node in enumerate(nodes)]
    )


def add_indicators(node: PolicyNode, institutions: list[Institution], count: int, *, prefix: str = "IX") -> None:
    Indicator.objects.bulk_create(
        [
            Indicator(
                policy=node.policy,
                node=node,
                code=f"{prefix}-{n}",
                name=f"Indicador {n}",
                level="output",
                unit="personas",
                measure_type="count",
                direction="increase",
                frequency="annual",
                responsible_institution=institutions[n % len(institutions)],
            )
            for n in range(count)
        ]
    )


def plan_year(by: Any, policy: Any, year: int = 2026, **dates: dt.date) -> ReportingPeriod:
    """A planned annual period, receiving from 1 December to 31 January unless told otherwise."""
    return services.create_period(
        by=by,
        policy=policy,
        kind="year",
        year=year,
        number=1,
        opens_on=dates.get("opens_on", dt.date(year, 12, 1)),
        closes_on=dates.get("closes_on", dt.date(year + 1, 1, 31)),
    )


def open_year(by: Any, policy: Any, year: int = 2026, **dates: dt.date) -> ReportingPeriod:
    period = plan_year(by, policy, year, **dates)
    services.open_period(by=by, period=period)
    return period
