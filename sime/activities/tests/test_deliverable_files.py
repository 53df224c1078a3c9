"""The file of a consultancy's deliverable: uploaded by DEPM, judged by its content, downloaded only as an
attachment by whoever may see the project, and kept when the consultancy is edited."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sime.activities import services
from sime.activities.models import Deliverable
from sime.activities.tests.factories import make_consultancy, make_project
from sime.core.models import AuditEvent
from sime.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 informe de instrumentos"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, deliverable: Deliverable) -> str:
    project_pk = deliverable.assignment.consultancy.project_id
    return reverse(f"activities:{name}", kwargs={"pk": project_pk, "deliverable_pk": deliverable.pk})


@pytest.fixture
def deliverable(cast) -> Deliverable:  # type: ignore[no-untyped-def]
    make_consultancy(make_project(cast.agency))
    return Deliverable.objects.select_related("assignment__consultancy").get()


def _upload(client, deliverable, name="Informe de instrumentos ñ.pdf", content=PDF):  # type: ignore[no-untyped-def]
    return client.post(_url("deliverable-file-upload", deliverable), {"document": SimpleUploadedFile(name, content)})


def test_analyst_uploads_by_content_and_whoever_sees_the_project_downloads(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    assert client.get(_url("deliverable-file-upload", deliverable)).status_code == 200
    assert _upload(client, deliverable).status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.filename == "Informe_de_instrumentos_n.pdf"
    assert deliverable.document.name.startswith("deliverables/")
    assert default_storage.exists(deliverable.document.name)
    event = AuditEvent.objects.get(action="consultancy.deliverable_file_added")
    assert event.data == {"consultancy": deliverable.assignment.consultancy_id, "file": deliverable.document.name}
    url = _url("deliverable-file", deliverable)
    for user in (cast.analyst, cast.authority, cast.cooperant):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="Informe_de_instrumentos_n.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    assert _client(cast.technical).get(url).status_code == 404


def test_a_png_is_accepted_by_its_content_whatever_its_name(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    assert (
        _upload(_client(cast.analyst), deliverable, name="plano.html", content=b"\x89PNG\r\n\x1a\n0000").status_code
        == 302
    )
    deliverable.refresh_from_db()
    response = _client(cast.analyst).get(_url("deliverable-file", deliverable))
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'attachment; filename="plano.png"',
    )


def test_a_renamed_non_pdf_is_refused_and_nothing_saved(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    response = _upload(_client(cast.analyst), deliverable, name="informe.pdf", content=b"<html><script>x</script>")
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "Tipo de archivo no permitido: se aceptan PDF, PNG, JPG, Word (.docx) o Excel (.xlsx)."
    ]
    deliverable.refresh_from_db()
    assert not deliverable.document
    assert not AuditEvent.objects.filter(action="consultancy.deliverable_file_added").exists()


def test_only_depm_uploads(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    for user in (cast.authority, cast.cooperant):
        assert _upload(_client(user), deliverable).status_code == 403
    deliverable.refresh_from_db()
    assert not deliverable.document


def test_a_cooperant_of_another_agency_gets_404(cast) -> None:  # type: ignore[no-untyped-def]
    eu = InstitutionFactory(acronym="UE", name="Unión Europea", sector="international_cooperation")
    make_consultancy(make_project(eu))
    deliverable = Deliverable.objects.select_related("assignment__consultancy").get()
    _upload(_client(cast.analyst), deliverable)
    deliverable.refresh_from_db()
    assert deliverable.document
    assert _client(cast.cooperant).get(_url("deliverable-file", deliverable)).status_code == 404
    # Nor through a project it may see: the deliverable must belong to the project in the URL.
    own = make_project(cast.agency)
    url = reverse("activities:deliverable-file", kwargs={"pk": own.pk, "deliverable_pk": deliverable.pk})
    assert _client(cast.cooperant).get(url).status_code == 404


def test_a_deliverable_without_file_is_a_404(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    assert _client(cast.analyst).get(_url("deliverable-file", deliverable)).status_code == 404


def test_a_new_file_replaces_the_previous_one(cast, deliverable, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    _upload(client, deliverable, name="borrador.pdf")
    deliverable.refresh_from_db()
    first = deliverable.document.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, deliverable, name="final.pdf")
    deliverable.refresh_from_db()
    assert deliverable.filename == "final.pdf"
    assert not default_storage.exists(first)
    event = AuditEvent.objects.filter(action="consultancy.deliverable_file_added").latest("pk")
    assert event.data["replaced"] == first


def test_only_depm_removes_the_file_it_is_audited_and_the_stored_file_goes(  # type: ignore[no-untyped-def]
    cast, deliverable, django_capture_on_commit_callbacks
) -> None:
    _upload(_client(cast.analyst), deliverable)
    deliverable.refresh_from_db()
    stored = deliverable.document.name
    url = _url("deliverable-file-delete", deliverable)
    assert _client(cast.cooperant).post(url).status_code == 403
    assert _client(cast.authority).post(url).status_code == 403
    assert _client(cast.analyst).get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert _client(cast.analyst).post(url).status_code == 302
    deliverable.refresh_from_db()
    assert not deliverable.document
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()  # the deliverable stays, without file
    assert not default_storage.exists(stored)
    assert AuditEvent.objects.get(action="consultancy.deliverable_file_deleted").data == {
        "consultancy": deliverable.assignment.consultancy_id,
        "file": stored,
    }


def test_editing_the_consultancy_keeps_the_file_of_an_unchanged_deliverable(  # type: ignore[no-untyped-def]
    cast, deliverable, django_capture_on_commit_callbacks
) -> None:
    client = _client(cast.analyst)
    _upload(client, deliverable)
    deliverable.refresh_from_db()
    stored = deliverable.document.name
    consultancy = deliverable.assignment.consultancy
    url = reverse(
        "activities:consultancy-update", kwargs={"pk": consultancy.project_id, "consultancy_pk": consultancy.pk}
    )
    text = client.get(url).context["form"]["assignments_text"].initial
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "title": consultancy.title,
                "start_month": "2024-05",
                "end_month": "2024-09",
                "amount": "23,421.00",
                # The status and the date change, the title does not; a new deliverable comes without a file.
                "assignments_text": text.replace("Pendiente", "Entregado").replace("30/06/2024", "15/07/2024")
                + "\n* Informe final | 30/09/2024",
            },
        )
    assert response.status_code == 302
    kept, new = Deliverable.objects.order_by("due_date")
    assert (kept.title, kept.status, kept.due_date, kept.document.name) == (
        "Informe de instrumentos",
        "delivered",
        dt.date(2024, 7, 15),
        stored,
    )
    assert default_storage.exists(stored)
    assert not new.document
    assert "files_removed" not in AuditEvent.objects.filter(action="consultancy.assignments_set").latest("pk").data
    assert client.get(_url("deliverable-file", kept)).status_code == 200


def test_a_file_left_without_its_deliverable_goes_and_is_audited(  # type: ignore[no-untyped-def]
    cast, deliverable, django_capture_on_commit_callbacks
) -> None:
    services.attach_deliverable_file(by=None, deliverable=deliverable, document=SimpleUploadedFile("informe.pdf", PDF))
    stored = deliverable.document.name
    consultancy = deliverable.assignment.consultancy
    with django_capture_on_commit_callbacks(execute=True):
        services.save_consultancy(
            by=None,
            project=consultancy.project,
            consultancy=consultancy,
            assignments=[{"name": "Asistencia Técnica 1", "deliverables": [{"title": "Informe renombrado"}]}],
        )
    assert not Deliverable.objects.get().document
    assert not default_storage.exists(stored)
    event = AuditEvent.objects.filter(action="consultancy.assignments_set").latest("pk")
    assert event.data == {"assignments": 1, "files_removed": [stored]}


def test_the_project_page_shows_the_file_and_only_depm_gets_the_forms(cast, deliverable) -> None:  # type: ignore[no-untyped-def]
    project_url = reverse("activities:project-detail", kwargs={"pk": deliverable.assignment.consultancy.project_id})
    upload_url = _url("deliverable-file-upload", deliverable)
    assert f'action="{upload_url}"' in _client(cast.analyst).get(project_url).content.decode()
    _upload(_client(cast.analyst), deliverable)
    deliverable.refresh_from_db()
    analyst_page = _client(cast.analyst).get(project_url).content.decode()
    assert f'href="{_url("deliverable-file", deliverable)}"' in analyst_page
    assert f'action="{_url("deliverable-file-delete", deliverable)}"' in analyst_page
    assert "Reemplazar archivo" in analyst_page
    cooperant_page = _client(cast.cooperant).get(project_url).content.decode()
    assert f'href="{_url("deliverable-file", deliverable)}"' in cooperant_page
    assert upload_url not in cooperant_page
    assert "deliverable-file-delete" not in cooperant_page and "/eliminar/" not in cooperant_page
