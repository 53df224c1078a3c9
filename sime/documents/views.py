from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import View

from sime.activities.selectors import projects_visible_to
from sime.core.access import RuleRequiredMixin
from sime.documents.report_store import rendered_project_report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def project_report_response(project: Any, report_format: str) -> HttpResponse:
    content = rendered_project_report(project, report_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[report_format])
    name = slugify(project.title)[:60] or "proyecto"
    response["Content-Disposition"] = f'attachment; filename="informe-{name}.{report_format}"'
    return response


class ProjectReportView(RuleRequiredMixin, View):
    """The Informe de proyecto, built from the recorded data at the moment it is asked for (rendered
    again only when what it shows has changed: see `report_store`)."""

    permission_required = "activities.view_project"
    report_format = "pdf"

    def get_permission_object(self) -> Any:
        if not hasattr(self, "project"):
            self.project = get_object_or_404(projects_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self.project

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return project_report_response(self.get_permission_object(), self.report_format)
