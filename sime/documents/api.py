from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from sime.activities.selectors import projects_visible_to
from sime.documents.views import project_report_response


class ProjectReportApiView(APIView):
    """The Informe de proyecto as DOCX or PDF (token or session authentication)."""

    permission_map = {"get": "activities.view_project"}
    rules_on_parent = True  # judged on the project in get()
    report_format = "pdf"

    @extend_schema(responses={200: OpenApiResponse(description="DOCX o PDF")})
    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        project = get_object_or_404(projects_visible_to(request.user), pk=pk)
        self.check_object_permissions(request, project)
        return project_report_response(project, self.report_format)
