import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error


def test_500_page_is_spanish_and_self_contained() -> None:
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Error del servidor (500)" in html
    assert "Nada de lo que estaba guardado se perdió." in html


@pytest.mark.django_db
def test_404_page_uses_the_layout(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.technical)
    response = client.get("/no-existe/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Página no encontrada (404)" in html
    assert "Técnica Minex" in html  # the usual header, with the user's name


@pytest.mark.django_db
def test_403_page_explains_in_spanish(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.technical)
    response = client.get("/sistema/auditoria/")
    assert response.status_code == 403
    assert "Su rol no permite ver o hacer esto." in response.content.decode()
