from django.urls import path

from sime.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.PeriodListView.as_view(), name="period-list"),
    path("periodos/nuevo/", views.PeriodCreateView.as_view(), name="period-create"),
    path("periodos/<id:pk>/", views.CompletenessView.as_view(), name="period-detail"),
    path("periodos/<id:pk>/completitud.xlsx", views.CompletenessExportView.as_view(), name="completeness-xlsx"),
    path("periodos/<id:pk>/abrir/", views.PeriodOpenView.as_view(), name="period-open"),
    path("periodos/<id:pk>/cerrar/", views.PeriodCloseView.as_view(), name="period-close"),
    path("instrumentos/", views.SubmissionListView.as_view(), name="submission-list"),
    path("instrumentos/<id:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("instrumentos/<id:pk>/acciones/<id:item_pk>/", views.ActionSaveView.as_view(), name="action-save"),
    path("instrumentos/<id:pk>/indicadores/<id:item_pk>/", views.IndicatorSaveView.as_view(), name="indicator-save"),
    path("instrumentos/<id:pk>/completar/", views.SignTechnicalView.as_view(), name="sign-technical"),
    path("instrumentos/<id:pk>/visto-bueno/", views.SignPlanningView.as_view(), name="sign-planning"),
    path("instrumentos/<id:pk>/enviar/", views.SendView.as_view(), name="send"),
    path("instrumentos/<id:pk>/iniciar-revision/", views.StartReviewView.as_view(), name="start-review"),
    path("instrumentos/<id:pk>/aprobar/", views.ApproveView.as_view(), name="approve"),
    path("instrumentos/<id:pk>/devolver/", views.ReturnView.as_view(), name="return"),
    path("instrumentos/<id:pk>/reabrir/", views.ReopenView.as_view(), name="reopen"),
    path("instrumentos/<id:pk>/instrumento.xlsx", views.InstrumentXlsxView.as_view(), name="instrument-xlsx"),
    path("instrumentos/<id:pk>/cargar/", views.InstrumentUploadView.as_view(), name="instrument-upload"),
    path(
        "instrumentos/<id:pk>/cargar/confirmar/",
        views.InstrumentUploadConfirmView.as_view(),
        name="instrument-upload-confirm",
    ),
    path("instrumentos/<id:pk>/evidencias/", views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path(
        "instrumentos/<id:pk>/evidencias/<id:evidence_pk>/quitar/",
        views.EvidenceDeleteView.as_view(),
        name="evidence-delete",
    ),
    path("evidencias/<id:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
]
