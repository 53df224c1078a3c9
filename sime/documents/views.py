from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import View

from sime.activities.selectors import projects_visible_to
from sime.core.access import RuleRequiredMixin
from sime.documents.pdf_report import render_project_report_pdf
from sime.documents.project_report import build_project_report
from sime.documents.render_docx import render_project_report_docx

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def project_report_response(project: Any, report_format: str) -> HttpResponse:
    report = build_project_report(project.pk)
    content = render_project_report_docx(report) if report_format == "docx" else render_project_report_pdf(report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[report_format])
    name = slugify(project.title)[:60] or "proyecto"
    response["Content-Disposition"] = f'attachment; filename="informe-{name}.{report_format}"'
    return response


class ProjectReportView(RuleRequiredMixin, View):
    """The Informe de proyecto, generated from the recorded data at the moment it is asked for."""

    permission_required = "activities.view_project"
    report_format = "pdf"

    def get_permission_object(self) -> Any:
        if not hasattr(self, "project"):
            self.project = get_object_or_404(projects_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self.project

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return project_report_response(self.get_permission_object(), self.report_format)
