"""The project report is rendered once per content: served again while nothing it shows has changed,
rendered anew from the moment a change commits, whichever write made it."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sime.activities import services
from sime.activities.models import Agreement, Deliverable, MeansOfVerification, Participant
from sime.activities.tests.factories import make_activity, make_consultancy, make_project
from sime.documents import pdf_report, render_docx, report_store
from sime.documents.models import RenderedReport
from sime.institutions import services as institution_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 memoria"


def _pdf_url(project: Any) -> str:
    return reverse("documents:project-report-pdf", kwargs={"pk": project.pk})


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(cast):  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    make_activity(project, "11710.50")
    make_consultancy(project, "23421.00")
    services.save_agreement(
        by=None, project=project, text="Enviar la memoria.", responsible_institution=cast.home, due_date=None
    )
    return project


def test_the_second_download_is_the_stored_rendering(project, cast) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    with mock.patch.object(
        pdf_report, "render_project_report_pdf", wraps=pdf_report.render_project_report_pdf
    ) as renderer:
        first = client.get(_pdf_url(project))
        second = client.get(_pdf_url(project))
        # The API serves the same stored document.
        api = APIClient()
        api.force_authenticate(cast.analyst)
        third = api.get(f"/api/v1/projects/{project.pk}/report.pdf")
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    assert renderer.call_count == 1
    assert first.content.startswith(b"%PDF-")
    assert second.content == first.content == third.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    stored = RenderedReport.objects.get(project=project, format="pdf")
    assert bytes(stored.content) == first.content


def test_formats_are_stored_apart(project, cast) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    with mock.patch.object(render_docx, "render_project_report_docx", return_value=b"DOCX") as docx:
        assert client.get(reverse("documents:project-report-docx", kwargs={"pk": project.pk})).content == b"DOCX"
        assert client.get(reverse("documents:project-report-docx", kwargs={"pk": project.pk})).content == b"DOCX"
    with mock.patch.object(pdf_report, "render_project_report_pdf", return_value=b"PDF") as pdf:
        assert client.get(_pdf_url(project)).content == b"PDF"
    assert (docx.call_count, pdf.call_count) == (1, 1)
    assert sorted(RenderedReport.objects.values_list("format", flat=True)) == ["docx", "pdf"]


# --- Every write path ----------------------------------------------------------------------


@pytest.fixture
def fake_renderer() -> Iterator[mock.MagicMock]:
    """A PDF "renderer" that writes the report's data as it is: fast, and its bytes show the content."""
    with mock.patch.object(
        pdf_report, "render_project_report_pdf", side_effect=lambda report: repr(report).encode()
    ) as renderer:
        yield renderer


def _first_activity(project: Any) -> Any:
    return project.activities.order_by("pk").first()


def _upload(name: str = "memoria.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _deliverable(project: Any) -> Deliverable:
    return Deliverable.objects.get(assignment__consultancy__project=project)


# Each public write of sime.activities.services, done as DEPM does it, and a text its change puts in
# the report (None: it changes nothing the report shows, so the stored rendering stays).
Write = Callable[[Any, Any], None]
WRITES: dict[str, tuple[Write, str | None]] = {
    "save_project": (
        lambda cast, p: services.save_project(by=cast.analyst, project=p, title="Informe renovado"),
        "Informe renovado",
    ),
    "save_activity": (
        lambda cast, p: services.save_activity(
            by=cast.analyst, project=p, activity=_first_activity(p), attendance_total=150, cost=Decimal("99.95")
        ),
        "Participaron 150 personas",
    ),
    "save_consultancy": (
        lambda cast, p: services.save_consultancy(
            by=cast.analyst,
            project=p,
            consultancy=p.consultancies.get(),
            assignments=[{"name": "Asistencia Técnica 2", "duties": ["Validar la red causal"]}],
        ),
        "Validar la red causal",
    ),
    "save_agreement": (
        lambda cast, p: services.save_agreement(
            by=cast.analyst, project=p, agreement=Agreement.objects.get(project=p), text="Publicar la memoria."
        ),
        "Publicar la memoria.",
    ),
    "add_means_of_verification": (
        lambda cast, p: services.add_means_of_verification(by=cast.analyst, project=p, title="Listado firmado"),
        "Listado firmado",
    ),
    "delete_means_of_verification": (
        lambda cast, p: services.delete_means_of_verification(
            by=cast.analyst, item=MeansOfVerification.objects.get(project=p)
        ),
        "means_of_verification=()",
    ),
    "add_participant": (
        lambda cast, p: services.add_participant(by=cast.analyst, activity=_first_activity(p), name="Ana"),
        None,
    ),
    "delete_participant": (
        lambda cast, p: services.delete_participant(
            by=cast.analyst, participant=Participant.objects.get(activity__project=p)
        ),
        None,
    ),
    "import_participants": (
        lambda cast, p: services.import_participants(
            by=cast.analyst,
            activity=_first_activity(p),
            upload=SimpleUploadedFile("lista.csv", b"Nombre;Sexo\nLuis;Hombre\n", "text/csv"),
        ),
        None,
    ),
    "add_activity_evidence": (
        lambda cast, p: services.add_activity_evidence(
            by=cast.analyst, activity=_first_activity(p), kind="memoria", document=_upload()
        ),
        None,
    ),
    "delete_activity_evidence": (
        lambda cast, p: services.delete_activity_evidence(by=cast.analyst, evidence=_first_activity(p).evidence.get()),
        None,
    ),
    "attach_deliverable_file": (
        lambda cast, p: services.attach_deliverable_file(
            by=cast.analyst, deliverable=_deliverable(p), document=_upload("informe.pdf")
        ),
        None,
    ),
    "remove_deliverable_file": (
        lambda cast, p: services.remove_deliverable_file(by=cast.analyst, deliverable=_deliverable(p)),
        None,
    ),
}
# What some writes need to find first (a participant to delete, a file to remove, …).
SETUP: dict[str, Write] = {
    "delete_means_of_verification": WRITES["add_means_of_verification"][0],
    "delete_participant": WRITES["add_participant"][0],
    "delete_activity_evidence": WRITES["add_activity_evidence"][0],
    "remove_deliverable_file": WRITES["attach_deliverable_file"][0],
}


def test_every_write_of_the_activities_services_is_listed() -> None:
    public = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__ and not name.startswith("_")
    }
    assert public == set(WRITES), "a new write service: say here whether it changes the report"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_write_path_and_the_next_download(name, project, cast, fake_renderer) -> None:  # type: ignore[no-untyped-def]
    write, shown = WRITES[name]
    if name in SETUP:
        SETUP[name](cast, project)
    client = _client(cast.analyst)
    before = client.get(_pdf_url(project)).content
    assert client.get(_pdf_url(project)).content == before
    assert fake_renderer.call_count == 1
    write(cast, project)
    after = client.get(_pdf_url(project)).content
    if shown is None:
        assert fake_renderer.call_count == 1  # served from the store: nothing the report shows changed
        assert after == before
    else:
        assert fake_renderer.call_count == 2  # rendered anew, with the change in it
        assert shown.encode() in after and shown.encode() not in before
        assert client.get(_pdf_url(project)).content == after
        assert fake_renderer.call_count == 2
    assert RenderedReport.objects.filter(project=project).count() == 1


def test_what_the_report_reads_from_other_apps_and_the_day(project, cast, fake_renderer) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    client.get(_pdf_url(project))
    # An agreement's responsible institution is renamed (institutions knows nothing of reports).
    institution_services.update_institution(by=cast.admin, institution=cast.home, name="Cancillería de Guatemala")
    assert "Responsable: Cancillería de Guatemala.".encode() in client.get(_pdf_url(project)).content
    assert fake_renderer.call_count == 2
    # The cover says the day it is made: the next day's download is rendered for that day.
    with mock.patch("sime.documents.project_report.timezone.localdate", return_value=dt.date(2031, 5, 4)):
        assert b"4 de mayo de 2031" in client.get(_pdf_url(project)).content
    assert fake_renderer.call_count == 3
    # A deployment that changes the templates or the renderers renders again.
    with mock.patch.object(report_store, "rendering_fingerprint", return_value="another template"):
        client.get(_pdf_url(project))
    assert fake_renderer.call_count == 4


def test_a_change_counts_from_its_commit(project, cast, fake_renderer) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.analyst)
    before = client.get(_pdf_url(project)).content

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.save_project(by=cast.analyst, project=project, title="Nunca guardado")
        # Inside the writing transaction the change is already there…
        assert b"Nunca guardado" in report_store.rendered_project_report(project, "pdf")
        raise Undo
    project.refresh_from_db()
    # …and rolled back with it: the stored rendering of the committed content is served again.
    assert client.get(_pdf_url(project)).content == before
    assert fake_renderer.call_count == 2
