from typing import Any

from django.contrib.auth.decorators import login_required
from django.urls import path
from rest_framework.routers import DefaultRouter

from sime.accounts.api import MeView
from sime.activities.api import ActivityViewSet, AgreementViewSet, ConsultancyViewSet, ProjectViewSet
from sime.analytics.api import (
    IndicatorProgressView,
    InstitutionProgressView,
    IpttView,
    NodeProgressView,
    PolicyProgressView,
)
from sime.api.views import ApiDocsView, ApiSchemaView
from sime.documents.api import ProjectReportApiView
from sime.evaluation.api import (
    EvaluationViewSet,
    ImprovementActionViewSet,
    RecommendationViewSet,
    ResponseViewSet,
)
from sime.institutions.api import InstitutionViewSet
from sime.policy.api import CausalLinkViewSet, IndicatorViewSet, NodeViewSet, PolicyViewSet
from sime.reporting.api import (
    ActionItemView,
    IndicatorItemView,
    InstrumentXlsxApiView,
    PeriodViewSet,
    SubmissionViewSet,
)

# The router also serves every route with a format suffix (`…/open.json`): DRF then passes `format` to
# the handler, so custom actions take `format: str | None = None` (sime/api/tests/test_format_suffixes.py).
router = DefaultRouter()
router.include_root_view = False
router.register("v1/institutions", InstitutionViewSet, basename="institution")
router.register("v1/policies", PolicyViewSet, basename="policy")
router.register("v1/nodes", NodeViewSet, basename="node")
router.register("v1/indicators", IndicatorViewSet, basename="indicator")
router.register("v1/causal-links", CausalLinkViewSet, basename="causallink")
router.register("v1/periods", PeriodViewSet, basename="period")
router.register("v1/submissions", SubmissionViewSet, basename="submission")
router.register("v1/projects", ProjectViewSet, basename="project")
router.register("v1/evaluations", EvaluationViewSet, basename="evaluation")
router.register("v1/recommendations", RecommendationViewSet, basename="recommendation")
router.register("v1/responses", ResponseViewSet, basename="response")
router.register("v1/improvement-actions", ImprovementActionViewSet, basename="improvement-action")


def _project_children() -> list[Any]:
    routes = []
    for prefix, viewset, name in (
        ("activities", ActivityViewSet, "project-activity"),
        ("consultancies", ConsultancyViewSet, "project-consultancy"),
        ("agreements", AgreementViewSet, "project-agreement"),
    ):
        routes += [
            path(
                f"v1/projects/<id:project_pk>/{prefix}/",
                viewset.as_view({"get": "list", "post": "create"}),
                name=f"{name}-list",
            ),
            path(
                f"v1/projects/<id:project_pk>/{prefix}/<id:pk>/",
                viewset.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
                name=f"{name}-detail",
            ),
        ]
    return routes


app_name = "api"

# DRF marks its views login_not_required: they authenticate by token or session themselves and
# answer 401/403 as JSON instead of redirecting to the login page.
urlpatterns = [
    # Monitoring (read side, approved data only): stable paths other tools rely on.
    path("v1/indicators/<id:pk>/progress/", IndicatorProgressView.as_view(), name="indicator-progress"),
    path("v1/policies/<str:code>/progress/", PolicyProgressView.as_view(), name="policy-progress"),
    path("v1/nodes/<id:pk>/progress/", NodeProgressView.as_view(), name="node-progress"),
    path("v1/institutions/<id:pk>/progress/", InstitutionProgressView.as_view(), name="institution-progress"),
    path("v1/iptt/", IpttView.as_view(), name="iptt"),
    *router.urls,
    path("v1/me/", MeView.as_view(), name="me"),
    path("v1/submissions/<id:pk>/actions/<id:item_pk>/", ActionItemView.as_view(), name="submission-action"),
    path("v1/submissions/<id:pk>/indicators/<id:item_pk>/", IndicatorItemView.as_view(), name="submission-indicator"),
    path("v1/submissions/<id:pk>/instrument.xlsx", InstrumentXlsxApiView.as_view(), name="submission-instrument"),
    path("v1/projects/<id:pk>/summary/", ProjectViewSet.as_view({"get": "summary"}), name="project-summary"),
    path(
        "v1/projects/<id:pk>/report.docx",
        ProjectReportApiView.as_view(report_format="docx"),
        name="project-report-docx",
    ),
    path(
        "v1/projects/<id:pk>/report.pdf", ProjectReportApiView.as_view(report_format="pdf"), name="project-report-pdf"
    ),
    *_project_children(),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    # The browsable docs are a page for people: anonymous visitors go to the login page.
    path("docs/", login_required(ApiDocsView.as_view(url_name="api:schema")), name="docs"),
]
