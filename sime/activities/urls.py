from django.urls import path

from sime.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("nuevo/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/editar/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<int:pk>/actividades/nueva/", views.ActivityFormView.as_view(), name="activity-create"),
    path("<int:pk>/actividades/<int:activity_pk>/editar/", views.ActivityFormView.as_view(), name="activity-update"),
    path("<int:pk>/consultorias/nueva/", views.ConsultancyCreateView.as_view(), name="consultancy-create"),
    path("<int:pk>/acuerdos/nuevo/", views.AgreementCreateView.as_view(), name="agreement-create"),
]
