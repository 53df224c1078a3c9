"""The evaluation's *informe de seguimiento* (DOCX, PDF) and the follow-up board's workbook."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import View

from sime.core.access import RuleRequiredMixin
from sime.evaluation import forms, selectors
from sime.evaluation.exports import board_xlsx
from sime.evaluation.followup_report import build_followup_report
from sime.evaluation.models import Evaluation
from sime.evaluation.report_docx import render_followup_report_docx
from sime.evaluation.report_pdf import render_followup_report_pdf

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _attachment(content: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


class FollowUpReportView(RuleRequiredMixin, View):
    """Generated from the follow-up as it stands when it is asked for."""

    permission_required = "evaluation.view_evaluations"
    report_format = "pdf"

    def get(self, request: Any, pk: int) -> HttpResponse:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        report = build_followup_report(evaluation)
        if self.report_format == "docx":
            content = render_followup_report_docx(report)
        else:
            content = render_followup_report_pdf(report)
        return _attachment(content, self.report_format, report.filename)


class BoardXlsxView(RuleRequiredMixin, View):
    """The board with the page's filters (`evaluation`, `institution`, `status`)."""

    permission_required = "evaluation.view_followup_board"

    def get(self, request: Any) -> HttpResponse:
        filters = forms.BoardFilterForm(request.GET or None).cleaned()
        board = selectors.followup_board(**filters)
        return _attachment(board_xlsx(board), "xlsx", f"seguimiento-{timezone.localdate().isoformat()}")


followup_report_docx = FollowUpReportView.as_view(report_format="docx")
followup_report_pdf = FollowUpReportView.as_view(report_format="pdf")
board_xlsx_view = BoardXlsxView.as_view()
