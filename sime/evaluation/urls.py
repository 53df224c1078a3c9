from django.urls import include, path

from sime.evaluation import report_urls, views

app_name = "evaluation"

RESPONSE = "respuestas/<id:pk>/"

urlpatterns = [
    path("", views.PlanView.as_view(), name="plan"),
    path("nueva/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("seguimiento/", views.BoardView.as_view(), name="board"),
    path("mis-recomendaciones/", views.OwnRecommendationsView.as_view(), name="own-recommendations"),
    path("<id:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("<id:pk>/editar/", views.EvaluationUpdateView.as_view(), name="evaluation-update"),
    path("<id:pk>/estado/", views.EvaluationStatusView.as_view(), name="evaluation-status"),
    path("<id:pk>/documentos/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("<id:pk>/documentos/<id:document_pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("<id:pk>/documentos/<id:document_pk>/eliminar/", views.DocumentDeleteView.as_view(), name="document-delete"),
    path("<id:pk>/hallazgos/nuevo/", views.FindingFormView.as_view(), name="finding-create"),
    path("<id:pk>/hallazgos/<id:finding_pk>/", views.FindingFormView.as_view(), name="finding-update"),
    path("<id:pk>/hallazgos/<id:finding_pk>/eliminar/", views.FindingDeleteView.as_view(), name="finding-delete"),
    path("<id:pk>/recomendaciones/nueva/", views.RecommendationFormView.as_view(), name="recommendation-create"),
    path(
        "<id:pk>/recomendaciones/<id:recommendation_pk>/",
        views.RecommendationFormView.as_view(),
        name="recommendation-update",
    ),
    path(RESPONSE, views.ResponseView.as_view(), name="response"),
    path(f"{RESPONSE}respuesta/", views.AnswerView.as_view(), name="response-answer"),
    path(f"{RESPONSE}plan/", views.PlanActionView.as_view(), name="plan-action-create"),
    path(f"{RESPONSE}plan/<id:action_pk>/", views.PlanActionView.as_view(), name="plan-action-update"),
    path(f"{RESPONSE}paso/<str:step>/", views.ResponseStepView.as_view(), name="response-step"),
    path(f"{RESPONSE}acciones/<id:action_pk>/avance/", views.ProgressView.as_view(), name="action-progress"),
    path(f"{RESPONSE}acciones/<id:action_pk>/evidencias/", views.ActionEvidenceView.as_view(), name="action-evidence"),
    path(
        f"{RESPONSE}evidencias/<id:evidence_pk>/",
        views.ActionEvidenceDownloadView.as_view(),
        name="action-evidence-download",
    ),
    path(
        f"{RESPONSE}acciones/<id:action_pk>/cierre/<str:verdict>/", views.ClosureView.as_view(), name="action-closure"
    ),
    # The informe de seguimiento (DOCX, PDF) and the board's workbook.
    path("", include(report_urls)),
]
