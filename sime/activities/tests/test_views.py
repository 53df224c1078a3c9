import pytest
from django.test import Client
from django.urls import reverse

from sime.activities.models import Activity, Consultancy, Project
from sime.activities.tests.factories import make_project
from sime.core.models import AuditEvent
from sime.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _activity(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "kind": "public_event",
        "title": "Lanzamiento",
        "start_date": "2024-03-05",
        "attendance_total": "120",
        "attendance_government": "80",
        "cost": "11,710.50",
        "purpose": "socialization",
    }
    data.update(overrides)
    return data


def test_analyst_records_an_event_with_es_gt_amount(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    response = _client(cast.analyst).post(reverse("activities:activity-create", kwargs={"pk": project.pk}), _activity())
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (str(activity.cost), activity.attendance_government) == ("11710.50", 80)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"cost": "-5"}, "cost", "Asegúrese de que este valor es mayor o igual a 0."),
        ({"cost": "10.505"}, "cost", "Asegúrese de que no haya más de 2 dígitos decimales."),
        ({"attendance_government": "200"}, "attendance_total", "La asistencia por sector (200) supera el total (120)."),
        ({"end_date": "2024-03-01"}, "end_date", "La fecha de finalización no puede ser anterior a la de inicio."),
    ],
)
def test_bad_events_keep_the_form_and_save_nothing(cast, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    response = _client(cast.analyst).post(
        reverse("activities:activity-create", kwargs={"pk": project.pk}), _activity(**overrides)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.created").exists()


def test_consultancy_with_assignments_from_the_text_box(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    response = _client(cast.analyst).post(
        reverse("activities:consultancy-create", kwargs={"pk": project.pk}),
        {
            "title": "Consultoría M&E",
            "start_month": "2024-05",
            "end_month": "2024-08",
            "amount": "23,421.00",
            "assignments_text": "\n".join(
                ["Asistencia Técnica 1", "- Diseñar instrumentos", "- Red causal", "Asistencia Técnica 2", "- Informe"]
            ),
        },
    )
    assert response.status_code == 302
    consultancy = Consultancy.objects.get()
    assert [(a.name, a.duties) for a in consultancy.assignments.all()] == [
        ("Asistencia Técnica 1", ["Diseñar instrumentos", "Red causal"]),
        ("Asistencia Técnica 2", ["Informe"]),
    ]


def test_cooperant_sees_only_its_agencys_projects(cast) -> None:  # type: ignore[no-untyped-def]
    own = make_project(cast.agency, title="Proyecto OIM")
    other_agency = InstitutionFactory(acronym="UE", name="Unión Europea", sector="international_cooperation")
    foreign = make_project(other_agency, title="Proyecto UE")
    client = _client(cast.cooperant)
    listing = client.get(reverse("activities:project-list"))
    assert [p.title for p in listing.context["projects"]] == ["Proyecto OIM"]
    assert client.get(reverse("activities:project-detail", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("activities:project-detail", kwargs={"pk": foreign.pk})).status_code == 404
    assert client.get(reverse("documents:project-report-pdf", kwargs={"pk": foreign.pk})).status_code == 404
    assert Project.objects.count() == 2
