"""The public portal's pages: open to everyone (each view is marked login_not_required)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sime.public import views

app_name = "portal"

urlpatterns = [
    path("politica/", login_not_required(views.PortalPolicyView.as_view()), name="policy"),
    path("instituciones/", login_not_required(views.PortalInstitutionListView.as_view()), name="institution-list"),
    path("instituciones/<id:pk>/", login_not_required(views.PortalInstitutionView.as_view()), name="institution"),
    path("evaluaciones/", login_not_required(views.PortalEvaluationListView.as_view()), name="evaluation-list"),
    path("evaluaciones/<id:pk>/", login_not_required(views.PortalEvaluationView.as_view()), name="evaluation"),
    path(
        "evaluaciones/documentos/<id:pk>/",
        login_not_required(views.PortalEvaluationDocumentView.as_view()),
        name="evaluation-document",
    ),
    path("cooperacion/", login_not_required(views.PortalCooperationView.as_view()), name="cooperation"),
    path("buscar/", login_not_required(views.PortalSearchView.as_view()), name="search"),
    path("indicadores/<id:pk>/", login_not_required(views.PortalIndicatorView.as_view()), name="indicator"),
]
