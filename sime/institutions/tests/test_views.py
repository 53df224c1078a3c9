import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sime.core.models import AuditEvent
from sime.institutions.models import FocalPoint, Institution

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_invalid_institution_form_keeps_input_and_says_why(cast) -> None:  # type: ignore[no-untyped-def]
    response = _client(cast.analyst).post(
        reverse("institutions:institution-create"),
        {
            "name": "Instituto Nuevo",
            "acronym": "minex",
            "sector": "executive",
            "email": "no-es-correo",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["acronym"] == ["Ya existe una institución con estas siglas."]
    assert errors["email"] == ["Introduzca una dirección de correo electrónico válida."]
    assert 'value="Instituto Nuevo"' in response.content.decode()
    assert not Institution.objects.filter(name="Instituto Nuevo").exists()


def test_focal_point_updates_contact_data_from_the_page(cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("institutions:institution-contact", kwargs={"pk": cast.home.pk})
    response = _client(cast.planning).post(url, {"address": "2a. Avenida 4-17, zona 10", "phone": "2410-0000"})
    assert response.status_code == 302
    cast.home.refresh_from_db()
    assert (cast.home.address, cast.home.phone) == ("2a. Avenida 4-17, zona 10", "2410-0000")


def test_outsider_posting_to_another_institution_gets_404_and_nothing_changes(cast) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.outsider)
    for name in ["institution-contact", "institution-update", "focalpoint-create"]:
        url = reverse(f"institutions:{name}", kwargs={"pk": cast.home.pk})
        assert client.post(url, {"phone": "666", "name": "Hackeada"}).status_code == 404
    cast.home.refresh_from_db()
    assert (cast.home.phone, cast.home.name) == ("", "Ministerio de Relaciones Exteriores")
    assert not AuditEvent.objects.exists()


def test_designation_form_requires_a_person(cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("institutions:focalpoint-create", kwargs={"pk": cast.other.pk})
    response = _client(cast.analyst).post(url, {"role": "planning", "designated_on": "2025-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "new_full_name": ["Elija una persona con cuenta o escriba el nombre de la nueva."],
        "new_email": ["Escriba el correo electrónico de la persona nueva."],
    }


def test_designation_page_with_new_person(cast, django_capture_on_commit_callbacks, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    url = reverse("institutions:focalpoint-create", kwargs={"pk": cast.other.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast.analyst).post(
            url,
            {
                "role": "planning",
                "new_full_name": "Pedro Planificador",
                "new_email": "pedro@mingob.gob.gt",
                "designated_on": "01/02/2025",
                "designation_reference": "Oficio 7-2025",
            },
        )
    assert response.status_code == 302
    focal_point = FocalPoint.objects.current().get(institution=cast.other, role="planning")
    assert focal_point.user.full_name == "Pedro Planificador"
    assert focal_point.designated_on.isoformat() == "2025-02-01"
    assert [m.to for m in mailoutbox] == [["pedro@mingob.gob.gt"]]


def test_document_download_is_an_attachment(cast) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    focal_point = FocalPoint.objects.get(user=cast.technical)
    focal_point.designation_document = SimpleUploadedFile("oficio.pdf", b"%PDF-1.4 contenido", "application/pdf")
    focal_point.save()
    response = _client(cast.technical).get(reverse("institutions:focalpoint-document", kwargs={"pk": focal_point.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    # The same sandboxing as every other download of an uploaded file.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenido"


def test_htmx_search_returns_only_the_results(cast) -> None:  # type: ignore[no-untyped-def]
    response = _client(cast.technical).get(
        reverse("institutions:institution-list"), {"text": "gobern"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Ministerio de Gobernación" in html
    assert "Ministerio de Relaciones Exteriores" not in html


def test_focal_point_contacts_are_hidden_from_other_institutions(cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("institutions:institution-detail", kwargs={"pk": cast.home.pk})
    assert cast.technical.email in _client(cast.planning).get(url).content.decode()
    assert cast.technical.email not in _client(cast.outsider).get(url).content.decode()
    assert cast.technical.full_name in _client(cast.outsider).get(url).content.decode()


# --- Contact data: the page and the API answer the same -----------------------------------


def _api(user):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)  # a session, as the browser has it
    return client


def _stale(cast):  # type: ignore[no-untyped-def]
    """A former técnica whose designation ended before accounts followed designations: still active."""
    FocalPoint.objects.filter(user=cast.technical).update(ended_on=dt.date(2025, 1, 15))
    return cast.technical


# Web POST → API PATCH: 302 (saved, back to the institution) ↔ 200; a refusal is the same code.
AGREED = {302: 200, 403: 403, 404: 404}


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("admin", 302),
        ("analyst", 302),
        ("technical", 302),
        ("planning", 302),
        ("authority", 403),
        ("cooperant", 404),
        ("outsider", 404),
        ("stale", 404),
    ],
)
def test_page_and_api_agree_on_who_edits_contact_data(cast, who, page) -> None:  # type: ignore[no-untyped-def]
    user = _stale(cast) if who == "stale" else cast.by_role()[who]
    page_url = reverse("institutions:institution-contact", kwargs={"pk": cast.home.pk})
    api_url = f"/api/v1/institutions/{cast.home.pk}/contact/"
    assert _client(user).get(page_url).status_code == (200 if page == 302 else page)
    assert _client(user).post(page_url, {"phone": "2410-0001"}).status_code == page
    assert _api(user).patch(api_url, {"phone": "2410-0002"}, format="json").status_code == AGREED[page]
    cast.home.refresh_from_db()
    assert cast.home.phone == ("2410-0002" if page == 302 else "")
    assert AuditEvent.objects.filter(action="institution.updated").count() == (2 if page == 302 else 0)


def test_contact_api_changes_only_contact_data_through_the_service(cast) -> None:  # type: ignore[no-untyped-def]
    from sime.institutions.tests.factories import DepartmentFactory

    DepartmentFactory()
    url = f"/api/v1/institutions/{cast.home.pk}/contact/"
    response = _api(cast.planning).patch(url, {"email": "no-es-correo"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": ["Introduzca una dirección de correo electrónico válida."]}
    response = _api(cast.planning).patch(
        url, {"email": "enlace@minex.gob.gt", "department": "GT-01", "name": "Otro nombre"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["email"], response.json()["department"]) == ("enlace@minex.gob.gt", "GT-01")
    cast.home.refresh_from_db()
    assert (cast.home.email, cast.home.name) == ("enlace@minex.gob.gt", "Ministerio de Relaciones Exteriores")
    event = AuditEvent.objects.get(action="institution.updated")
    assert (event.actor, sorted(event.changes)) == (cast.planning, ["department", "email"])


def test_a_replaced_focal_point_is_signed_out_of_the_page_and_the_api(cast) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from sime.accounts.tests.factories import UserFactory
    from sime.institutions import services

    browser = _client(cast.technical)
    token = Token.objects.create(user=cast.technical)
    newcomer = UserFactory(role="focal_technical", institution=cast.home)
    services.designate_focal_point(
        by=cast.analyst, institution=cast.home, role="technical", user=newcomer, designated_on=dt.date(2025, 1, 15)
    )
    page_url = reverse("institutions:institution-contact", kwargs={"pk": cast.home.pk})
    response = browser.post(page_url, {"phone": "666"})
    assert (response.status_code, response["Location"]) == (302, f"/cuentas/ingresar/?next={page_url}")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(f"/api/v1/institutions/{cast.home.pk}/contact/", {"phone": "666"}, format="json")
    assert response.status_code == 401
    cast.home.refresh_from_db()
    assert cast.home.phone == ""
    # Her replacement can, on both.
    assert _client(newcomer).post(page_url, {"phone": "2410-0001"}).status_code == 302
    assert (
        _api(newcomer)
        .patch(f"/api/v1/institutions/{cast.home.pk}/contact/", {"phone": "2410-0002"}, format="json")
        .status_code
        == 200
    )


# --- What DEPM is told when an account closes or reopens ----------------------------------


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def test_ending_page_says_the_account_was_deactivated(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = FocalPoint.objects.get(user=cast.technical)
    url = reverse("institutions:focalpoint-end", kwargs={"pk": focal_point.pk})
    page = _client(cast.analyst).get(url).content.decode()
    assert "Si no tiene otra designación vigente, su cuenta se desactiva" in page
    response = _client(cast.analyst).post(url, {"ended_on": "30/06/2025"}, follow=True)
    assert _messages(response) == [
        "La designación terminó y quedó en el historial.",
        "La cuenta de Técnica Minex quedó desactivada: no tiene otra designación vigente y ya no puede ingresar "
        "al sistema. Su historial se conserva y la cuenta se reactiva si se le designa de nuevo.",
    ]


def test_designation_page_says_who_was_deactivated_and_who_reactivated(cast) -> None:  # type: ignore[no-untyped-def]
    from sime.accounts.models import User
    from sime.accounts.tests.factories import UserFactory

    newcomer = UserFactory(role="focal_technical", institution=cast.home, full_name="Nueva Técnica")
    url = reverse("institutions:focalpoint-create", kwargs={"pk": cast.home.pk})
    client = _client(cast.analyst)
    response = client.post(url, {"role": "technical", "user": newcomer.pk, "designated_on": "15/01/2025"}, follow=True)
    assert _messages(response) == [
        "Enlace designado.",
        "La cuenta de Técnica Minex quedó desactivada: no tiene otra designación vigente y ya no puede ingresar "
        "al sistema. Su historial se conserva y la cuenta se reactiva si se le designa de nuevo.",
    ]
    assert User.objects.get(pk=cast.technical.pk).is_active is False
    # She is still offered, marked, and designating her again reopens her account.
    form = client.get(url).content.decode()
    assert "Técnica Minex (cuenta desactivada: se reactiva al designarla)" in form
    response = client.post(
        url, {"role": "technical", "user": cast.technical.pk, "designated_on": "01/09/2025"}, follow=True
    )
    assert _messages(response) == [
        "Enlace designado. Se reactivó la cuenta de Técnica Minex: puede volver a ingresar con su contraseña.",
        "La cuenta de Nueva Técnica quedó desactivada: no tiene otra designación vigente y ya no puede ingresar "
        "al sistema. Su historial se conserva y la cuenta se reactiva si se le designa de nuevo.",
    ]
    assert User.objects.get(pk=cast.technical.pk).is_active is True
