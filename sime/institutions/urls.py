from django.urls import path

from sime.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="institution-list"),
    path("nueva/", views.InstitutionCreateView.as_view(), name="institution-create"),
    path("mi-institucion/", views.OwnInstitutionView.as_view(), name="institution-mine"),
    path("<id:pk>/", views.InstitutionDetailView.as_view(), name="institution-detail"),
    path("<id:pk>/editar/", views.InstitutionUpdateView.as_view(), name="institution-update"),
    path("<id:pk>/excepcion-visto-bueno/", views.PlanningExemptionView.as_view(), name="planning-exemption"),
    path("<id:pk>/contacto/", views.InstitutionContactUpdateView.as_view(), name="institution-contact"),
    path("<id:pk>/enlaces/designar/", views.FocalPointDesignateView.as_view(), name="focalpoint-create"),
    path("enlaces/<id:pk>/finalizar/", views.FocalPointEndView.as_view(), name="focalpoint-end"),
    path("enlaces/<id:pk>/documento/", views.FocalPointDocumentView.as_view(), name="focalpoint-document"),
]
