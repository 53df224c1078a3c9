from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class ApiSchemaView(SpectacularAPIView):
    """OpenAPI schema, for signed-in users (it lists what the system holds)."""

    permission_map = {"get": "core.view_api_docs"}


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served as a file (the Content-Security-Policy allows no inline script)."""

    permission_map = {"get": "core.view_api_docs"}
    # Our copy of the page: `lang` on <html> and a colour-contrast override.
    template_name = "api/swagger_ui.html"
