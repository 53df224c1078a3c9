from django.urls import path

from sime.activities import file_views, views

app_name = "activities"

ACTIVITY = "<id:pk>/actividades/<id:activity_pk>/"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("alcance/", views.SocializationReachView.as_view(), name="socialization-reach"),
    path("nuevo/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<id:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<id:pk>/editar/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<id:pk>/actividades/nueva/", views.ActivityFormView.as_view(), name="activity-create"),
    path(f"{ACTIVITY}editar/", views.ActivityFormView.as_view(), name="activity-update"),
    path(f"{ACTIVITY}participantes/", file_views.ParticipantListView.as_view(), name="participant-list"),
    path(f"{ACTIVITY}participantes/importar/", file_views.ParticipantImportView.as_view(), name="participant-import"),
    path(
        f"{ACTIVITY}participantes/<id:participant_pk>/eliminar/",
        file_views.ParticipantDeleteView.as_view(),
        name="participant-delete",
    ),
    path("participantes/plantilla.xlsx", file_views.ParticipantTemplateView.as_view(), name="participant-template"),
    path(f"{ACTIVITY}evidencias/nueva/", file_views.ActivityEvidenceCreateView.as_view(), name="evidence-create"),
    path(
        "<id:pk>/evidencias/<id:evidence_pk>/",
        file_views.ActivityEvidenceDownloadView.as_view(),
        name="evidence-file",
    ),
    path(
        "<id:pk>/evidencias/<id:evidence_pk>/eliminar/",
        file_views.ActivityEvidenceDeleteView.as_view(),
        name="evidence-delete",
    ),
    path("<id:pk>/medios/nuevo/", file_views.MeansOfVerificationCreateView.as_view(), name="verification-create"),
    path(
        "<id:pk>/medios/<id:item_pk>/archivo/",
        file_views.MeansOfVerificationDownloadView.as_view(),
        name="verification-file",
    ),
    path(
        "<id:pk>/medios/<id:item_pk>/eliminar/",
        file_views.MeansOfVerificationDeleteView.as_view(),
        name="verification-delete",
    ),
    path(
        "<id:pk>/entregables/<id:deliverable_pk>/archivo/nuevo/",
        file_views.DeliverableFileUploadView.as_view(),
        name="deliverable-file-upload",
    ),
    path(
        "<id:pk>/entregables/<id:deliverable_pk>/archivo/",
        file_views.DeliverableFileDownloadView.as_view(),
        name="deliverable-file",
    ),
    path(
        "<id:pk>/entregables/<id:deliverable_pk>/archivo/eliminar/",
        file_views.DeliverableFileDeleteView.as_view(),
        name="deliverable-file-delete",
    ),
    path("<id:pk>/consultorias/nueva/", views.ConsultancyFormView.as_view(), name="consultancy-create"),
    path(
        "<id:pk>/consultorias/<id:consultancy_pk>/editar/",
        views.ConsultancyFormView.as_view(),
        name="consultancy-update",
    ),
    path("<id:pk>/acuerdos/nuevo/", views.AgreementFormView.as_view(), name="agreement-create"),
    path("<id:pk>/acuerdos/<id:agreement_pk>/editar/", views.AgreementFormView.as_view(), name="agreement-update"),
]
