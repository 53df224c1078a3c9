from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


class ApiSchemaView(SpectacularAPIView):
    """OpenAPI schema, for signed-in users (it lists what the system holds)."""

    permission_map = {"get": "core.view_api_docs"}


class ApiDocsView(SpectacularSwaggerView):
    permission_map = {"get": "core.view_api_docs"}
    # Our copy of the page: `lang` on <html> and a colour-contrast override.
    template_name = "api/swagger_ui.html"
