from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sime.analytics.urls")),
    path("cuentas/", include("sime.accounts.urls")),
    path("instituciones/", include("sime.institutions.urls")),
    path("politica/", include("sime.policy.urls")),
    path("reportes/", include("sime.reporting.urls")),
    path("proyectos/", include("sime.activities.urls")),
    path("proyectos/", include("sime.documents.urls")),
    path("monitoreo/", include("sime.analytics.report_urls")),
    path("evaluacion/", include("sime.evaluation.urls")),
    path("notificaciones/", include("sime.notifications.urls")),
    path("sistema/", include("sime.core.urls")),
    path("api/", include("sime.api.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded files are never served from MEDIA_URL: each has a download view that checks the rules.
