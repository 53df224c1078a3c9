from django.urls import path

from sime.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.PeriodListView.as_view(), name="period-list"),
    path("periodos/nuevo/", views.PeriodCreateView.as_view(), name="period-create"),
    path("periodos/<int:pk>/", views.CompletenessView.as_view(), name="period-detail"),
    path("periodos/<int:pk>/completitud.xlsx", views.CompletenessExportView.as_view(), name="completeness-xlsx"),
    path("periodos/<int:pk>/abrir/", views.PeriodOpenView.as_view(), name="period-open"),
    path("periodos/<int:pk>/cerrar/", views.PeriodCloseView.as_view(), name="period-close"),
    path("instrumentos/", views.SubmissionListView.as_view(), name="submission-list"),
    path("instrumentos/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("instrumentos/<int:pk>/acciones/<int:item_pk>/", views.ActionSaveView.as_view(), name="action-save"),
    path("instrumentos/<int:pk>/indicadores/<int:item_pk>/", views.IndicatorSaveView.as_view(), name="indicator-save"),
    path("instrumentos/<int:pk>/completar/", views.SignTechnicalView.as_view(), name="sign-technical"),
    path("instrumentos/<int:pk>/visto-bueno/", views.SignPlanningView.as_view(), name="sign-planning"),
    path("instrumentos/<int:pk>/enviar/", views.SendView.as_view(), name="send"),
    path("instrumentos/<int:pk>/iniciar-revision/", views.StartReviewView.as_view(), name="start-review"),
    path("instrumentos/<int:pk>/aprobar/", views.ApproveView.as_view(), name="approve"),
    path("instrumentos/<int:pk>/devolver/", views.ReturnView.as_view(), name="return"),
    path("instrumentos/<int:pk>/reabrir/", views.ReopenView.as_view(), name="reopen"),
    path("instrumentos/<int:pk>/instrumento.xlsx", views.InstrumentXlsxView.as_view(), name="instrument-xlsx"),
    path("instrumentos/<int:pk>/cargar/", views.InstrumentUploadView.as_view(), name="instrument-upload"),
    path(
        "instrumentos/<int:pk>/cargar/confirmar/",
        views.InstrumentUploadConfirmView.as_view(),
        name="instrument-upload-confirm",
    ),
    path("instrumentos/<int:pk>/evidencias/", views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path(
        "instrumentos/<int:pk>/evidencias/<int:evidence_pk>/quitar/",
        views.EvidenceDeleteView.as_view(),
        name="evidence-delete",
    ),
    path("evidencias/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
]
