from django.urls import include, path
from rest_framework.routers import DefaultRouter

from sime.accounts.api import MeView
from sime.api.views import ApiDocsView, ApiSchemaView
from sime.institutions.api import InstitutionViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("institutions", InstitutionViewSet, basename="institution")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/me/", MeView.as_view(), name="me"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
]
