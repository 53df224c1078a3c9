"""Editing after creation: consultancies (assignments, duties, deliverables), agreements, and the
project's links to lines of action."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sime.activities import services
from sime.activities.models import Agreement, Consultancy, Deliverable
from sime.activities.tests.factories import make_consultancy, make_project
from sime.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_consultancy_form_starts_from_what_is_saved_and_keeps_deliverables(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    consultancy = make_consultancy(project)
    url = reverse("activities:consultancy-update", kwargs={"pk": project.pk, "consultancy_pk": consultancy.pk})
    client = _client(cast.analyst)
    form = client.get(url).context["form"]
    assert form["assignments_text"].initial == (
        "Asistencia Técnica 1\n- Diseñar los instrumentos\n- Construir la red causal\n"
        "* Informe de instrumentos | 30/06/2024 | Pendiente"
    )
    response = client.post(
        url,
        {
            "title": "Consultoría M&E (ampliada)",
            "start_month": "2024-05",
            "end_month": "2024-09",
            "amount": "25,000.50",
            "assignments_text": form["assignments_text"].initial.replace("Pendiente", "Entregado")
            + "\nAsistencia Técnica 2\n- Validar indicadores\n* Informe final | 30/09/2024",
        },
    )
    assert response.status_code == 302
    consultancy = Consultancy.objects.get()
    assert (consultancy.title, str(consultancy.amount), consultancy.end_month) == (
        "Consultoría M&E (ampliada)",
        "25000.50",
        dt.date(2024, 9, 1),
    )
    assert [(a.name, a.duties) for a in consultancy.assignments.all()] == [
        ("Asistencia Técnica 1", ["Diseñar los instrumentos", "Construir la red causal"]),
        ("Asistencia Técnica 2", ["Validar indicadores"]),
    ]
    assert list(Deliverable.objects.order_by("due_date").values_list("title", "due_date", "status")) == [
        ("Informe de instrumentos", dt.date(2024, 6, 30), "delivered"),
        ("Informe final", dt.date(2024, 9, 30), "pending"),
    ]
    event = AuditEvent.objects.get(action="consultancy.updated")
    assert event.changes["amount"] == {"before": "23421.00", "after": "25000.50"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("* Informe | 31/02/2024", "«31/02/2024» no es una fecha dd/mm/aaaa."),
        ("* Informe | | Listo", "Estado «Listo» no válido; use uno de: Pendiente, Entregado, Aprobado."),
    ],
)
def test_bad_deliverable_lines_change_nothing(cast, line, message) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    consultancy = make_consultancy(project)
    url = reverse("activities:consultancy-update", kwargs={"pk": project.pk, "consultancy_pk": consultancy.pk})
    response = _client(cast.analyst).post(
        url,
        {
            "title": "Otro título",
            "start_month": "2024-05",
            "end_month": "2024-08",
            "amount": "1.00",
            "assignments_text": f"Asistencia Técnica 1\n{line}",
        },
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["assignments_text"]
    assert Consultancy.objects.get().title == "Consultoría de monitoreo y evaluación"
    assert Deliverable.objects.get().title == "Informe de instrumentos"


def test_consultancy_of_another_project_is_404(cast) -> None:  # type: ignore[no-untyped-def]
    first, second = make_project(cast.agency), make_project(cast.agency, title="Otro")
    consultancy = make_consultancy(first)
    url = reverse("activities:consultancy-update", kwargs={"pk": second.pk, "consultancy_pk": consultancy.pk})
    assert _client(cast.analyst).get(url).status_code == 404


def test_agreement_is_edited_and_audited(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    agreement = services.save_agreement(
        by=None, project=project, text="Enviar la memoria", due_date=dt.date(2024, 5, 1)
    )
    url = reverse("activities:agreement-update", kwargs={"pk": project.pk, "agreement_pk": agreement.pk})
    client = _client(cast.analyst)
    assert client.get(url).context["form"]["text"].value() == "Enviar la memoria"
    response = client.post(
        url,
        {"text": "Enviar la memoria a la OIM", "due_date": "2024-05-15", "status": "done", "responsible_person": ""},
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.text, agreement.status, agreement.due_date) == (
        "Enviar la memoria a la OIM",
        "done",
        dt.date(2024, 5, 15),
    )
    assert AuditEvent.objects.get(action="agreement.updated").changes["status"] == {
        "before": "pending",
        "after": "done",
    }
    assert _client(cast.cooperant).post(url, {"text": "x", "status": "pending"}).status_code == 403
    assert Agreement.objects.get().text == "Enviar la memoria a la OIM"


def test_project_links_to_lines_of_action(framework) -> None:  # type: ignore[no-untyped-def]
    cast = framework
    project = cast.project
    client = _client(cast.analyst)
    url = reverse("activities:project-update", kwargs={"pk": project.pk})
    form = client.get(url).context["form"]
    # Only lines of action are offered, not axes or objectives.
    assert [node.code for node in form.fields["policy_nodes"].queryset] == ["1.1.1", "1.1.2"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "policy_nodes"}
    data.update(
        start_date="2024-03-01",
        end_date="2024-12-31",
        agency=cast.agency.pk,
        specific_objectives_text="Presentar la Política",
        policy_nodes=[cast.action_node.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(project.policy_nodes.values_list("code", flat=True)) == ["1.1.1"]
    page = _client(cast.cooperant).get(reverse("activities:project-detail", kwargs={"pk": project.pk})).content.decode()
    node_url = reverse("policy:node-detail", kwargs={"pk": cast.action_node.pk})
    assert f'<a href="{node_url}">1.1.1 Protocolo de recepción de NNA</a>' in page
