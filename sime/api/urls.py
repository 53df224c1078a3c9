from django.contrib.auth.decorators import login_required
from django.urls import path
from rest_framework.routers import DefaultRouter

from sime.accounts.api import MeView
from sime.api.views import ApiDocsView, ApiSchemaView
from sime.institutions.api import InstitutionViewSet
from sime.policy.api import CausalLinkViewSet, IndicatorViewSet, NodeViewSet, PolicyViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("v1/institutions", InstitutionViewSet, basename="institution")
router.register("v1/policies", PolicyViewSet, basename="policy")
router.register("v1/nodes", NodeViewSet, basename="node")
router.register("v1/indicators", IndicatorViewSet, basename="indicator")
router.register("v1/causal-links", CausalLinkViewSet, basename="causallink")

app_name = "api"

# DRF marks its views login_not_required: they authenticate by token or session themselves and
# answer 401/403 as JSON instead of redirecting to the login page.
urlpatterns = [
    *router.urls,
    path("v1/me/", MeView.as_view(), name="me"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    # The browsable docs are a page for people: anonymous visitors go to the login page.
    path("docs/", login_required(ApiDocsView.as_view(url_name="api:schema")), name="docs"),
]
