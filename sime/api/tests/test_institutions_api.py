import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sime.core.models import AuditEvent
from sime.institutions.models import Institution

pytestmark = pytest.mark.django_db
LIST = "/api/v1/institutions/"


def _api(user=None) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_gets_401_in_spanish() -> None:
    response = _api().get(LIST)
    assert response.status_code == 401
    assert response.json() == {"detail": "Las credenciales de autenticación no se proveyeron."}


def test_token_authentication(cast) -> None:  # type: ignore[no-untyped-def]
    call_command("drf_create_token", cast.technical.email, stdout=open("/dev/null", "w"))  # noqa: SIM115
    token = Token.objects.get(user=cast.technical)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": cast.technical.pk,
        "email": cast.technical.email,
        "full_name": "Técnica Minex",
        "phone": "",
        "position": "",
        "role": "focal_technical",
        "role_label": "Enlace técnico",
        "institution": {"id": cast.home.pk, "acronym": "MINEX", "name": "Ministerio de Relaciones Exteriores"},
    }


def test_list_is_paginated_filterable_and_searchable(cast) -> None:  # type: ignore[no-untyped-def]
    client = _api(cast.technical)
    body = client.get(LIST).json()
    assert body["count"] == 3
    # Ordered by name: "Ministerio de Gobernación" before "Ministerio de Relaciones Exteriores".
    assert [row["acronym"] for row in body["results"]] == ["MINGOB", "MINEX", "OIM"]
    assert [r["acronym"] for r in client.get(LIST, {"sector": "international_cooperation"}).json()["results"]] == [
        "OIM"
    ]
    assert [r["acronym"] for r in client.get(LIST, {"search": "gober"}).json()["results"]] == ["MINGOB"]


def test_detail_shows_current_focal_points(cast) -> None:  # type: ignore[no-untyped-def]
    body = _api(cast.outsider).get(f"{LIST}{cast.home.pk}/").json()
    assert body["acronym"] == "MINEX"
    assert [(fp["role"], fp["full_name"]) for fp in body["current_focal_points"]] == [
        ("planning", "Planifica Minex"),
        ("technical", "Técnica Minex"),
    ]


def test_analyst_creates_and_updates_through_the_services(cast) -> None:  # type: ignore[no-untyped-def]
    client = _api(cast.analyst)
    created = client.post(
        LIST, {"name": "Registro Nacional de las Personas", "acronym": "renap", "sector": "autonomous"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["acronym"] == "RENAP"
    pk = created.json()["id"]
    updated = client.patch(f"{LIST}{pk}/", {"phone": "1515"}, format="json")
    assert updated.status_code == 200
    assert Institution.objects.get(pk=pk).phone == "1515"
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "institution.created",
        "institution.updated",
    ]


def test_validation_errors_are_per_field_in_spanish(cast) -> None:  # type: ignore[no-untyped-def]
    response = _api(cast.admin).post(LIST, {"name": "X", "acronym": "MINEX", "sector": "nada"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "acronym": ["Ya existe una institución con estas siglas."],
        "sector": ['"nada" no es una elección válida.'],
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [("technical", 403), ("planning", 403), ("authority", 403), ("cooperant", 404), ("outsider", 404)],
)
def test_writes_are_refused_and_other_institutions_are_not_found(cast, role, status) -> None:  # type: ignore[no-untyped-def]
    client = _api(cast.by_role()[role])
    assert client.patch(f"{LIST}{cast.home.pk}/", {"phone": "666"}, format="json").status_code == status
    assert client.post(LIST, {"name": "X", "acronym": "X", "sector": "executive"}, format="json").status_code == 403
    cast.home.refresh_from_db()
    assert cast.home.phone == ""
    assert not AuditEvent.objects.exists()


def test_delete_is_not_offered(cast) -> None:  # type: ignore[no-untyped-def]
    assert _api(cast.admin).delete(f"{LIST}{cast.home.pk}/").status_code == 405


def test_schema_describes_the_endpoints(cast) -> None:  # type: ignore[no-untyped-def]
    response = _api(cast.analyst).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/institutions/", "/api/v1/institutions/{id}/", "/api/v1/me/"} <= set(paths)
