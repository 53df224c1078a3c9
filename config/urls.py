from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from sime.public.views import RobotsView, RootView, SitemapView

urlpatterns = [
    # The public portal's home for visitors, each person's own home once signed in.
    path("", login_not_required(RootView.as_view()), name="home"),
    path("", include("sime.analytics.urls")),
    path("publicacion/", include("sime.public.urls")),
    path("portal/", include("sime.public.portal_urls")),
    path("sitemap.xml", login_not_required(SitemapView.as_view()), name="sitemap"),
    path("robots.txt", login_not_required(RobotsView.as_view()), name="robots"),
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
    path("datos/", include("sime.public.open_data_urls")),
    path("admin/", admin.site.urls),
]

# Uploaded files are never served from MEDIA_URL: each has a download view that checks the rules.
