from django.urls import include, path

from sime.evaluation import report_urls, views

app_name = "evaluation"

RESPONSE = "respuestas/<int:pk>/"

urlpatterns = [
    path("", views.PlanView.as_view(), name="plan"),
    path("nueva/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("seguimiento/", views.BoardView.as_view(), name="board"),
    path("mis-recomendaciones/", views.OwnRecommendationsView.as_view(), name="own-recommendations"),
    path("<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("<int:pk>/editar/", views.EvaluationUpdateView.as_view(), name="evaluation-update"),
    path("<int:pk>/estado/", views.EvaluationStatusView.as_view(), name="evaluation-status"),
    path("<int:pk>/documentos/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("<int:pk>/documentos/<int:document_pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("<int:pk>/documentos/<int:document_pk>/eliminar/", views.DocumentDeleteView.as_view(), name="document-delete"),
    path("<int:pk>/hallazgos/nuevo/", views.FindingFormView.as_view(), name="finding-create"),
    path("<int:pk>/hallazgos/<int:finding_pk>/", views.FindingFormView.as_view(), name="finding-update"),
    path("<int:pk>/hallazgos/<int:finding_pk>/eliminar/", views.FindingDeleteView.as_view(), name="finding-delete"),
    path("<int:pk>/recomendaciones/nueva/", views.RecommendationFormView.as_view(), name="recommendation-create"),
    path(
        "<int:pk>/recomendaciones/<int:recommendation_pk>/",
        views.RecommendationFormView.as_view(),
        name="recommendation-update",
    ),
    path(RESPONSE, views.ResponseView.as_view(), name="response"),
    path(f"{RESPONSE}respuesta/", views.AnswerView.as_view(), name="response-answer"),
    path(f"{RESPONSE}plan/", views.PlanActionView.as_view(), name="plan-action-create"),
    path(f"{RESPONSE}plan/<int:action_pk>/", views.PlanActionView.as_view(), name="plan-action-update"),
    path(f"{RESPONSE}paso/<str:step>/", views.ResponseStepView.as_view(), name="response-step"),
    path(f"{RESPONSE}acciones/<int:action_pk>/avance/", views.ProgressView.as_view(), name="action-progress"),
    path(f"{RESPONSE}acciones/<int:action_pk>/evidencias/", views.ActionEvidenceView.as_view(), name="action-evidence"),
    path(
        f"{RESPONSE}evidencias/<int:evidence_pk>/",
        views.ActionEvidenceDownloadView.as_view(),
        name="action-evidence-download",
    ),
    path(
        f"{RESPONSE}acciones/<int:action_pk>/cierre/<str:verdict>/", views.ClosureView.as_view(), name="action-closure"
    ),
    # The informe de seguimiento (DOCX, PDF) and the board's workbook.
    path("", include(report_urls)),
]
