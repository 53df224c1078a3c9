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
