import pytest
from django.test import Client


@pytest.mark.django_db
def test_api_docs_page_declares_its_language_and_loads_the_contrast_override(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.analyst)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "css/api-docs" in html
    assert "swagger-ui" in html
