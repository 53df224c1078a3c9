import pytest
from rest_framework.test import APIClient

from sime.activities.models import Activity, Consultancy, Project
from sime.activities.tests.factories import make_project
from sime.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _project_payload(cast) -> dict:  # type: ignore[no-untyped-def]
    return {
        "title": "Socialización 2024",
        "agency": cast.agency.pk,
        "modality": "in_kind",
        "area": "DEPM",
        "responsible_name": "Ana López",
        "responsible_position": "Jefa",
        "start_date": "2024-03-01",
        "end_date": "2024-12-31",
    }


def test_analyst_builds_a_project_through_the_api(cast) -> None:  # type: ignore[no-untyped-def]
    from sime.institutions.tests.factories import DepartmentFactory

    DepartmentFactory()
    client = _api(cast.analyst)
    created = client.post("/api/v1/projects/", _project_payload(cast), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    activity = client.post(
        f"/api/v1/projects/{pk}/activities/",
        {
            "kind": "public_event",
            "title": "Lanzamiento",
            "start_date": "2024-03-05",
            "department": "GT-01",
            "attendance_total": 120,
            "attendance_by_sector": {"government": 80, "civil_society": 25},
            "cost": "11710.50",
            "purpose": "socialization",
        },
        format="json",
    )
    assert activity.status_code == 201, activity.json()
    assert activity.json()["attendance_by_sector"] == {"government": 80, "civil_society": 25}
    assert activity.json()["cost"] == "11710.50"
    consultancy = client.post(
        f"/api/v1/projects/{pk}/consultancies/",
        {
            "title": "M&E",
            "start_month": "2024-05",
            "end_month": "2024-08",
            "amount": "23421.00",
            "assignments": [
                {
                    "name": "Asistencia Técnica 1",
                    "duties": ["Diseñar instrumentos"],
                    "deliverables": [{"title": "Informe", "due_date": "2024-06-30"}],
                }
            ],
        },
        format="json",
    )
    assert consultancy.status_code == 201, consultancy.json()
    assert consultancy.json()["assignments"][0]["deliverables"][0]["title"] == "Informe"
    summary = client.get(f"/api/v1/projects/{pk}/summary/").json()
    assert (summary["amount_total"], summary["attendance_total"]) == ("35131.50", 120)
    assert (summary["activity_count"], summary["consultancy_count"]) == (1, 1)
    report = client.get(f"/api/v1/projects/{pk}/report.docx")
    assert report.status_code == 200
    assert report.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"cost": "-1.00"}, "cost"),
        ({"cost": "10.005"}, "cost"),
        ({"attendance_by_sector": {"government": 500}}, "attendance_total"),
        ({"end_date": "2024-03-01"}, "end_date"),
        ({"attendance_by_sector": {"martians": 1}}, "attendance_by_sector"),
    ],
)
def test_bad_activity_input_is_400_and_nothing_saved(cast, payload, field) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    body = {
        "kind": "workshop",
        "title": "Taller",
        "start_date": "2024-03-05",
        "attendance_total": 10,
        "cost": "100.00",
        "purpose": "implementation",
    }
    body.update(payload)
    response = _api(cast.analyst).post(f"/api/v1/projects/{project.pk}/activities/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.created").exists()


def test_reversed_months_and_three_decimals_in_consultancy(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    response = _api(cast.admin).post(
        f"/api/v1/projects/{project.pk}/consultancies/",
        {"title": "X", "start_month": "2024-08", "end_month": "2024-05", "amount": "1.005"},
        format="json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    response = _api(cast.admin).post(
        f"/api/v1/projects/{project.pk}/consultancies/",
        {"title": "X", "start_month": "2024-08", "end_month": "2024-05", "amount": "1.00"},
        format="json",
    )
    assert response.json() == {"end_month": ["El mes de finalización no puede ser anterior al de inicio."]}
    assert not Consultancy.objects.exists()


def test_cooperant_reads_only_its_projects_and_writes_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    from sime.institutions.tests.factories import InstitutionFactory

    own = make_project(cast.agency, title="OIM")
    foreign = make_project(InstitutionFactory(acronym="UE", name="UE", sector="international_cooperation"), title="UE")
    client = _api(cast.cooperant)
    assert [p["title"] for p in client.get("/api/v1/projects/").json()["results"]] == ["OIM"]
    assert client.get(f"/api/v1/projects/{foreign.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{foreign.pk}/activities/").status_code == 404
    assert client.patch(f"/api/v1/projects/{own.pk}/", {"title": "Cambiado"}, format="json").status_code == 403
    assert Project.objects.get(pk=own.pk).title == "OIM"
