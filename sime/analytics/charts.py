"""ECharts options for the monitoring pages, built from the progress builder's figures.

Only presentation: every number comes from `progress.framework_progress`. The options are plain
JSON (no functions); `static/js/monitoring-chart.js` draws them, and `sime_format` tells it how to
write numbers in es-GT. Every chart has a table with the same data beside it on the page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sime.analytics.figures import FrameworkProgress, IndicatorProgress, NodeProgress, ReportingRate

PALETTE = ["#1f5f99", "#7fb3d5", "#d68910", "#2e7d32", "#8e44ad"]


def _number(value: Decimal | None) -> float | None:
    # JSON for the browser only; the pages' tables show the exact Decimal.
    return None if value is None else float(value)


def _base(fmt: str) -> dict[str, Any]:
    return {
        "sime_format": fmt,
        "color": PALETTE,
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
    }


def node_progress_chart(items: list[NodeProgress]) -> dict[str, Any]:
    """Horizontal bars: % de avance of each node (axes on the dashboard, children on a node page)."""
    option = _base("percent")
    labels = [item.node.code for item in items]
    option.update(
        {
            "xAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
            "yAxis": {"type": "category", "data": labels, "inverse": True},
            "series": [
                {
                    "type": "bar",
                    "name": _("% de avance"),
                    "data": [_number(item.percent) for item in items],
                    "label": {"show": True, "position": "right"},
                }
            ],
        }
    )
    return option


def reporting_rates_chart(rates: list[ReportingRate]) -> dict[str, Any]:
    option = _base("number")
    option.update(
        {
            "legend": {"top": 0},
            "xAxis": {"type": "category", "data": [rate.period.code for rate in rates]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "bar", "name": _("Esperados"), "data": [rate.expected for rate in rates]},
                {"type": "bar", "name": _("Recibidos"), "data": [rate.received for rate in rates]},
                {"type": "bar", "name": _("A tiempo"), "data": [rate.on_time for rate in rates]},
            ],
        }
    )
    return option


def budget_chart(items: list[NodeProgress]) -> dict[str, Any]:
    option = _base("money")
    option.update(
        {
            "legend": {"top": 0},
            "xAxis": {"type": "category", "data": [item.node.code for item in items]},
            "yAxis": {"type": "value"},
            "series": [
                {"type": "bar", "name": _("Asignado"), "data": [_number(i.budget_allocated) for i in items]},
                {"type": "bar", "name": _("Ejecutado"), "data": [_number(i.budget_executed) for i in items]},
            ],
        }
    )
    return option


def indicator_years_chart(item: IndicatorProgress, yearly: list[tuple[int, Decimal | None]]) -> dict[str, Any]:
    """Actual per year (bars), yearly targets and the baseline (lines)."""
    years = sorted({year for year, _value in yearly} | set(item.targets))
    actual = dict(yearly)
    baseline = item.indicator.baseline_value
    option = _base("number")
    option.update(
        {
            "legend": {"top": 0},
            "xAxis": {"type": "category", "data": [str(year) for year in years]},
            "yAxis": {"type": "value"},
            "series": [
                {"type": "bar", "name": _("Valor aprobado"), "data": [_number(actual.get(y)) for y in years]},
                {
                    "type": "line",
                    "name": _("Meta"),
                    "data": [_number(item.targets.get(y)) for y in years],
                    "connectNulls": True,
                },
                *(
                    [
                        {
                            "type": "line",
                            "name": _("Línea base"),
                            "data": [_number(baseline)] * len(years),
                            "lineStyle": {"type": "dashed"},
                            "symbol": "none",
                        }
                    ]
                    if baseline is not None
                    else []
                ),
            ],
        }
    )
    return option


def status_chart(progress: FrameworkProgress, labels: dict[str, str]) -> dict[str, Any]:
    counts = progress.status_counts
    option = _base("number")
    option.update(
        {
            "tooltip": {"trigger": "item"},
            "xAxis": {"type": "category", "data": [labels[s] for s in counts], "axisLabel": {"interval": 0}},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": _("Indicadores"), "data": list(counts.values())}],
        }
    )
    return option
