from django.urls import path

from sime.analytics import views

app_name = "analytics"

urlpatterns = [
    path("monitoreo/", views.DashboardView.as_view(), name="dashboard"),
    path("monitoreo/nodos/<id:pk>/", views.NodeProgressView.as_view(), name="node-progress"),
    path("monitoreo/indicadores/<id:pk>/", views.IndicatorProgressView.as_view(), name="indicator-progress"),
    path(
        "monitoreo/instituciones/<id:pk>/",
        views.InstitutionPerformanceView.as_view(),
        name="institution-performance",
    ),
    path("monitoreo/iptt/", views.IpttView.as_view(), name="iptt"),
    path("monitoreo/iptt.xlsx", views.IpttExportView.as_view(export_format="xlsx"), name="iptt-xlsx"),
    path("monitoreo/iptt.csv", views.IpttExportView.as_view(export_format="csv"), name="iptt-csv"),
    path("monitoreo/mapa/", views.DepartmentMapView.as_view(), name="department-map"),
    path("monitoreo/alineacion/", views.AlignmentView.as_view(), name="alignment"),
]
