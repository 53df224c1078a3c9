"""The Informe de monitoreo as DOCX or PDF: `?policy=<code>` (default: the active policy),
`?year=` (default: the latest year with approved data) and `?period=<pk>` (one period of it)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import View

from sime.analytics.monitoring_report import build_monitoring_report, latest_reported_year, report_policy
from sime.analytics.report_docx import render_monitoring_report_docx
from sime.analytics.report_pdf import render_monitoring_report_pdf
from sime.core.access import RuleRequiredMixin
from sime.core.numbers import parse_id
from sime.reporting.models import ReportingPeriod

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _number(raw: str, name: str) -> int:
    number = parse_id(raw)
    if number is None:
        raise Http404(f"{name} no válido")
    return number


class MonitoringReportView(RuleRequiredMixin, View):
    """Generated from the approved data at the moment it is asked for."""

    permission_required = "analytics.view_monitoring"
    report_format = "pdf"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        policy = report_policy(request.GET.get("policy") or None)
        if policy is None:
            raise Http404("No hay una política con ese código.")
        period = None
        if request.GET.get("period"):
            period = get_object_or_404(ReportingPeriod, policy=policy, pk=_number(request.GET["period"], "periodo"))
        if period is not None:
            year = period.year
        elif request.GET.get("year"):
            year = _number(request.GET["year"], "año")
            if not policy.start_year <= year <= policy.end_year:  # year 0 or 99999 has no dates: a 500
                raise Http404("año fuera del horizonte de la política")
        else:
            year = latest_reported_year(policy)
        report = build_monitoring_report(policy, year=year, period=period)
        if self.report_format == "docx":
            content = render_monitoring_report_docx(report)
        else:
            content = render_monitoring_report_pdf(report)
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.report_format])
        response["Content-Disposition"] = f'attachment; filename="{report.filename}.{self.report_format}"'
        return response
