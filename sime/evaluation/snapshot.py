"""Freeze what monitoring said when an evaluation concluded, and read it back beside today's figures.

The evaluators judged the figures of their day: later approvals must not rewrite them. At
conclusion every node's and indicator's figures are copied into FrozenFigure rows; the page shows
them beside the same year's figures as they are now (from the one progress builder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sime.analytics.figures import FrameworkProgress
from sime.analytics.progress import framework_progress
from sime.analytics.selectors import default_reading
from sime.evaluation.models import Evaluation, FrozenFigure


@dataclass(frozen=True)
class Figure:
    actual: Decimal | None
    target: Decimal | None
    percent: Decimal | None
    status: str


def _node_figure(progress: FrameworkProgress, node_id: int) -> Figure | None:
    item = progress.nodes.get(node_id)
    if item is None:
        return None
    return Figure(None, None, item.percent, item.worst_indicator_status or "")


def _indicator_figures(progress: FrameworkProgress) -> dict[int, Figure]:
    return {
        item.indicator.pk: Figure(item.progress.actual, item.progress.target, item.progress.percent, item.status)
        for item in progress.indicators
    }


def freeze(evaluation: Evaluation, today: dt.date) -> int:
    """Replace the evaluation's frozen figures with today's reading; returns how many rows."""
    year, until = default_reading(evaluation.policy, today)
    progress = framework_progress(evaluation.policy, year=year, until=until, all_years=False)
    FrozenFigure.objects.filter(evaluation=evaluation).delete()
    rows = [
        FrozenFigure(evaluation=evaluation, node_id=pk, percent=item.percent, status=item.worst_indicator_status or "")
        for pk, item in progress.nodes.items()
    ] + [
        FrozenFigure(
            evaluation=evaluation,
            indicator_id=pk,
            actual=figure.actual,
            target=figure.target,
            percent=figure.percent,
            status=figure.status,
        )
        for pk, figure in _indicator_figures(progress).items()
    ]
    FrozenFigure.objects.bulk_create(rows)
    evaluation.snapshot_year, evaluation.snapshot_until = year, progress.until
    return len(rows)


@dataclass(frozen=True)
class ThenAndNow:
    then: Figure | None
    now: Figure | None


@dataclass(frozen=True)
class Comparison:
    """Frozen and current figures of the nodes and indicators an evaluation's findings concern."""

    year: int | None
    until: dt.date | None
    nodes: dict[int, ThenAndNow]
    indicators: dict[int, ThenAndNow]


def compare(evaluation: Evaluation, node_ids: set[int], indicator_ids: set[int]) -> Comparison:
    """Then (frozen at conclusion) and now (the same year, read today) for the given ids."""
    frozen = FrozenFigure.objects.filter(evaluation=evaluation)
    then_nodes = {
        row.node_id: Figure(None, None, row.percent, row.status)
        for row in frozen.filter(node_id__in=node_ids)
        if row.node_id is not None
    }
    then_indicators = {
        row.indicator_id: Figure(row.actual, row.target, row.percent, row.status)
        for row in frozen.filter(indicator_id__in=indicator_ids)
        if row.indicator_id is not None
    }
    year = evaluation.snapshot_year or default_reading(evaluation.policy)[0]
    progress = framework_progress(evaluation.policy, year=year, all_years=False)
    now_indicators = _indicator_figures(progress)
    return Comparison(
        year=year,
        until=evaluation.snapshot_until,
        nodes={pk: ThenAndNow(then_nodes.get(pk), _node_figure(progress, pk)) for pk in node_ids},
        indicators={pk: ThenAndNow(then_indicators.get(pk), now_indicators.get(pk)) for pk in indicator_ids},
    )
