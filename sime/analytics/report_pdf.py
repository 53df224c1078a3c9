"""MonitoringReport → PDF (WeasyPrint), the charts embedded as base64 PNG data: URIs."""

from __future__ import annotations

import base64

from sime.analytics.monitoring_report import MonitoringReport
from sime.analytics.report_charts import report_charts
from sime.core.pdf import render_pdf


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_monitoring_report_pdf(report: MonitoringReport) -> bytes:
    charts = report_charts(report)
    context = {
        "report": report,
        "status_chart": _data_uri(charts.status),
        # Each axis section with its chart (None when it has nothing to draw).
        "axes": [
            (axis, _data_uri(chart) if chart else None) for axis, chart in zip(report.axes, charts.axes, strict=True)
        ],
    }
    return render_pdf("analytics/report/monitoring_report.html", context)
