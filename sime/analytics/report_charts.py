"""The monitoring report's charts, drawn on the server with matplotlib as PNG bytes.

Matplotlib's object API on its Agg (raster) canvas: no pyplot, no global figure state, no GUI, safe in a
web worker. Output is deterministic (fixed size, DejaVu Sans bundled with matplotlib, no date in
the PNG metadata) and the numbers on labels are written as in es-GT (`55.96 %`, `1,400`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sime.analytics.aggregation import ProgressStatus
from sime.analytics.monitoring_report import MonitoringReport
from sime.core.formatting import format_number

WIDTH_INCHES = 6.5
DPI = 150
BAR_COLOR = "#2f5d8a"
NO_DATA_COLOR = "#9aa3ad"
TEXT_COLOR = "#222222"
# Colour per status (worst is red), readable in greyscale too.
STATUS_COLORS = {
    ProgressStatus.BEHIND.value: "#b3261e",
    ProgressStatus.AT_RISK.value: "#d98b00",
    ProgressStatus.ON_TRACK.value: "#2e7d32",
    ProgressStatus.MET.value: "#1b5e20",
    ProgressStatus.NO_DATA.value: "#9aa3ad",
    ProgressStatus.NO_TARGET.value: "#c5cbd3",
}


@dataclass(frozen=True)
class BarValue:
    label: str
    value: Decimal | None
    color: str = BAR_COLOR


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _percent_label(value: Decimal) -> str:
    return f"{format_number(value)} %"


def horizontal_bars(bars: Sequence[BarValue], *, title: str, percent: bool = True, no_data: str = "sin dato") -> bytes:
    """One horizontal bar per item, top to bottom in the given order, its value at the bar's end."""
    count = max(len(bars), 1)
    height = min(max(1.0 + 0.28 * count, 2.0), 9.0)
    values = [float(b.value) if b.value is not None else 0.0 for b in bars]
    top = max([100.0 if percent else 0.0, *values]) or 1.0
    with rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.edgecolor": "#888888",
            "axes.labelcolor": TEXT_COLOR,
            "xtick.color": TEXT_COLOR,
            "ytick.color": TEXT_COLOR,
        }
    ):
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
        axes = figure.add_subplot()
        positions = list(range(len(bars)))
        axes.barh(
            positions,
            values,
            color=[b.color if b.value is not None else NO_DATA_COLOR for b in bars],
            height=0.62,
        )
        axes.set_yticks(positions, [b.label for b in bars])
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.15)
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda x, _pos: format_number(Decimal(str(round(x, 2)))) + (" %" if percent else ""))
        )
        for position, bar in zip(positions, bars, strict=True):
            text = no_data if bar.value is None else _percent_label(bar.value) if percent else format_number(bar.value)
            axes.text(float(bar.value or 0) + top * 0.01, position, text, va="center", fontsize=7.5, color=TEXT_COLOR)
        if percent:
            axes.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
        axes.spines[["top", "right"]].set_visible(False)
        if not percent:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(title, fontsize=9, loc="left", color=TEXT_COLOR)
        # Fixed margins from the longest label (tight_layout costs a second drawing pass).
        longest = max((len(b.label) for b in bars), default=1)
        figure.subplots_adjust(
            left=min((0.25 + 0.07 * longest) / WIDTH_INCHES, 0.45),
            right=0.97,
            top=1 - 0.32 / height,
            bottom=0.3 / height,
        )
        return _png(figure)


def progress_chart(bars: Sequence[tuple[str, Decimal | None]], *, title: str) -> bytes:
    """% de avance per node (an axis's strategic lines)."""
    return horizontal_bars([BarValue(label, value) for label, value in bars], title=title)


def status_chart(counts: Sequence[tuple[str, str, int]], *, title: str) -> bytes:
    """Indicators per status: (status, label, count), in the order given."""
    return horizontal_bars(
        [BarValue(label, Decimal(count), STATUS_COLORS.get(status, BAR_COLOR)) for status, label, count in counts],
        title=title,
        percent=False,
    )


@dataclass(frozen=True)
class ReportCharts:
    status: bytes
    axes: tuple[bytes | None, ...]  # one per axis section (None: nothing to draw)


def report_charts(report: MonitoringReport) -> ReportCharts:
    """The charts both renderers embed: indicators by status, and each axis's % de avance."""
    status = status_chart(
        [(s.status, s.label, s.count) for s in report.summary.status_counts], title="Indicadores por estado"
    )
    axes = tuple(
        progress_chart([(bar.code, bar.percent) for bar in axis.bars], title=axis.chart_title) if axis.bars else None
        for axis in report.axes
    )
    return ReportCharts(status, axes)
