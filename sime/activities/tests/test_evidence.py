"""Evidence files of activities and the project's means of verification: checked by content,
stored through the storage API, downloaded only as attachments by whoever may see the project."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sime.activities.models import ActivityEvidence, MeansOfVerification
from sime.activities.tests.factories import make_activity, make_project
from sime.core.models import AuditEvent
from sime.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 memoria del evento"
# session and user, project, its activities (with evidence and participant counts), consultancies
# (assignments, deliverables), agreements, means of verification, policy nodes, the navbar bell's
# unread count (one COUNT on every page), the sliding session.
QUERIES_ON_DETAIL = 13


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def activity(cast):  # type: ignore[no-untyped-def]
    return make_activity(make_project(cast.agency))


def _upload(client, activity, name="Memoria final ñ.pdf", content=PDF, kind="memoria"):  # type: ignore[no-untyped-def]
    url = reverse("activities:evidence-create", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})
    return client.post(url, {"kind": kind, "title": "Memoria", "document": SimpleUploadedFile(name, content)})


def test_analyst_uploads_and_everyone_who_sees_the_project_downloads(cast, activity) -> None:  # type: ignore[no-untyped-def]
    assert _upload(_client(cast.analyst), activity).status_code == 302
    evidence = ActivityEvidence.objects.get()
    assert evidence.filename == "Memoria_final_n.pdf"
    assert default_storage.exists(evidence.document.name)
    event = AuditEvent.objects.get(action="activity.evidence_added")
    assert event.data == {"activity": activity.pk, "file": evidence.document.name}
    url = reverse("activities:evidence-file", kwargs={"pk": activity.project_id, "evidence_pk": evidence.pk})
    for user in (cast.analyst, cast.authority, cast.cooperant):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="Memoria_final_n.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    assert _client(cast.technical).get(url).status_code == 404


def test_a_cooperant_of_another_agency_gets_404(cast) -> None:  # type: ignore[no-untyped-def]
    eu = InstitutionFactory(acronym="UE", name="Unión Europea", sector="international_cooperation")
    activity = make_activity(make_project(eu))
    _upload(_client(cast.analyst), activity)
    evidence = ActivityEvidence.objects.get()
    url = reverse("activities:evidence-file", kwargs={"pk": activity.project_id, "evidence_pk": evidence.pk})
    assert _client(cast.cooperant).get(url).status_code == 404
    # Nor through a project it may see: the evidence must belong to the project in the URL.
    own = make_project(cast.agency)
    url = reverse("activities:evidence-file", kwargs={"pk": own.pk, "evidence_pk": evidence.pk})
    assert _client(cast.cooperant).get(url).status_code == 404


def test_html_posing_as_pdf_is_refused_and_nothing_saved(cast, activity) -> None:  # type: ignore[no-untyped-def]
    response = _upload(_client(cast.analyst), activity, name="memoria.pdf", content=b"<html><script>x</script>")
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "Tipo de archivo no permitido: se aceptan PDF, PNG, JPG, Word (.docx) o Excel (.xlsx)."
    ]
    assert not ActivityEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.evidence_added").exists()


def test_size_limit_comes_from_the_setting(cast, activity, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = _upload(_client(cast.analyst), activity, content=PDF + b"0" * 1024 * 1024)
    assert response.context["form"].errors["document"] == ["El archivo pesa más de 1 MB."]


def test_png_renamed_html_is_served_as_png_attachment(cast, activity) -> None:  # type: ignore[no-untyped-def]
    _upload(_client(cast.analyst), activity, name="foto.html", content=b"\x89PNG\r\n\x1a\n0000", kind="photo")
    evidence = ActivityEvidence.objects.get()
    response = _client(cast.analyst).get(
        reverse("activities:evidence-file", kwargs={"pk": activity.project_id, "evidence_pk": evidence.pk})
    )
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'attachment; filename="foto.png"',
    )


def test_only_depm_deletes_and_it_is_audited(cast, activity) -> None:  # type: ignore[no-untyped-def]
    _upload(_client(cast.analyst), activity)
    evidence = ActivityEvidence.objects.get()
    name = evidence.document.name
    url = reverse("activities:evidence-delete", kwargs={"pk": activity.project_id, "evidence_pk": evidence.pk})
    assert _client(cast.cooperant).post(url).status_code == 403
    assert _client(cast.authority).post(url).status_code == 403
    assert ActivityEvidence.objects.exists()
    assert _client(cast.analyst).post(url).status_code == 302
    assert not ActivityEvidence.objects.exists()
    assert AuditEvent.objects.get(action="activity.evidence_deleted").data == {"activity": activity.pk, "file": name}


def test_means_of_verification_with_and_without_file(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    client = _client(cast.analyst)
    url = reverse("activities:verification-create", kwargs={"pk": project.pk})
    assert client.post(url, {"title": "Listado de participantes"}).status_code == 302
    assert client.post(url, {"title": "Memoria", "document": SimpleUploadedFile("m.pdf", PDF)}).status_code == 302
    first, second = MeansOfVerification.objects.order_by("order")
    assert [(first.order, first.document.name), (second.order, second.filename)] == [(1, ""), (2, "m.pdf")]
    detail = client.get(reverse("activities:project-detail", kwargs={"pk": project.pk})).content.decode()
    file_url = reverse("activities:verification-file", kwargs={"pk": project.pk, "item_pk": second.pk})
    assert f'href="{file_url}"' in detail
    response = _client(cast.cooperant).get(file_url)
    assert response["Content-Disposition"] == 'attachment; filename="m.pdf"'
    assert (
        client.get(reverse("activities:verification-file", kwargs={"pk": project.pk, "item_pk": first.pk})).status_code
        == 404
    )
    stored = second.document.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:verification-delete", kwargs={"pk": project.pk, "item_pk": second.pk}))
    assert not default_storage.exists(stored)
    assert list(MeansOfVerification.objects.values_list("title", flat=True)) == ["Listado de participantes"]
    assert AuditEvent.objects.filter(action="project.means_of_verification_deleted").count() == 1


def test_detail_page_lists_evidence_per_activity(cast, activity) -> None:  # type: ignore[no-untyped-def]
    _upload(_client(cast.analyst), activity)
    page = _client(cast.cooperant).get(reverse("activities:project-detail", kwargs={"pk": activity.project_id}))
    html = page.content.decode()
    assert "Memoria: Memoria" in html
    assert "Subir evidencia" not in html  # the cooperant reads only
    assert "/participantes/" not in html  # personal data: DEPM only


@pytest.mark.parametrize("count", [1, 12])
def test_detail_page_queries_do_not_grow_with_evidence(cast, count, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from sime.activities import services

    project = make_project(cast.agency)
    for number in range(count):
        activity = make_activity(project, title=f"Evento {number}")
        services.add_activity_evidence(
            by=None, activity=activity, kind="photo", document=SimpleUploadedFile("f.png", b"\x89PNG\r\n\x1a\n0")
        )
        services.add_participant(by=None, activity=activity, name="Ana")
    client = _client(cast.analyst)
    url = reverse("activities:project-detail", kwargs={"pk": project.pk})
    client.get(url)
    with django_assert_num_queries(QUERIES_ON_DETAIL):
        response = client.get(url)
    assert response.content.decode().count("Fotografía") == count
