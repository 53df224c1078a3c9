"""Mounted at `monitoreo/` in config/urls.py (namespace `monitoring`)."""

from django.urls import path

from sime.analytics import report_views

app_name = "monitoring"

urlpatterns = [
    path("informe.docx", report_views.MonitoringReportView.as_view(report_format="docx"), name="report-docx"),
    path("informe.pdf", report_views.MonitoringReportView.as_view(report_format="pdf"), name="report-pdf"),
]
