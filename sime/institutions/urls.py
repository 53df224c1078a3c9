from django.urls import path

from sime.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="institution-list"),
    path("nueva/", views.InstitutionCreateView.as_view(), name="institution-create"),
    path("mi-institucion/", views.OwnInstitutionView.as_view(), name="institution-mine"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="institution-detail"),
    path("<int:pk>/editar/", views.InstitutionUpdateView.as_view(), name="institution-update"),
    path("<int:pk>/excepcion-visto-bueno/", views.PlanningExemptionView.as_view(), name="planning-exemption"),
    path("<int:pk>/contacto/", views.InstitutionContactUpdateView.as_view(), name="institution-contact"),
    path("<int:pk>/enlaces/designar/", views.FocalPointDesignateView.as_view(), name="focalpoint-create"),
    path("enlaces/<int:pk>/finalizar/", views.FocalPointEndView.as_view(), name="focalpoint-end"),
    path("enlaces/<int:pk>/documento/", views.FocalPointDocumentView.as_view(), name="focalpoint-document"),
]
