"""The follow-up documents; included by `sime.evaluation.urls` (namespace `evaluation`)."""

from django.urls import path

from sime.evaluation import report_views

urlpatterns = [
    path("<id:pk>/informe-seguimiento.docx", report_views.followup_report_docx, name="followup-report-docx"),
    path("<id:pk>/informe-seguimiento.pdf", report_views.followup_report_pdf, name="followup-report-pdf"),
    path("seguimiento.xlsx", report_views.board_xlsx_view, name="followup-board-xlsx"),
]
