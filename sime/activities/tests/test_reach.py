"""The socialisation reach page: aggregates across projects, scoped by agency, in constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sime.activities.selectors import socialization_reach
from sime.activities.tests.factories import make_activity, make_project
from sime.institutions.models import Department
from sime.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(cast):  # type: ignore[no-untyped-def]
    guatemala = Department.objects.create(code="GT-01", name="Guatemala")
    quiche = Department.objects.create(code="GT-14", name="Quiché")
    own = make_project(cast.agency, title="Proyecto OIM")
    eu = InstitutionFactory(acronym="UE", name="Unión Europea", sector="international_cooperation")
    foreign = make_project(eu, title="Proyecto UE")
    make_activity(own, title="Lanzamiento", department=guatemala)  # 120: 80 gov, 25 civil society; March 2024
    make_activity(
        own,
        title="Reunión con enlaces",
        kind="informative_meeting",
        start_date=dt.date(2024, 4, 10),
        attendance_total=45,
        attendance_by_sector={"government": 45},
        department=quiche,
        purpose="implementation",
    )
    make_activity(
        foreign,
        title="Diálogo",
        kind="intersectoral_dialogue",
        start_date=dt.date(2025, 4, 2),
        attendance_total=70,
        attendance_by_sector={"academia": 30},
    )
    return own, foreign


def test_reach_adds_up_by_sector_kind_month_and_department(cast, two_agencies) -> None:  # type: ignore[no-untyped-def]
    reach = socialization_reach(cast.analyst)
    assert (reach["events"], reach["attendance"]) == (3, 235)
    assert reach["cost"] == Decimal("35131.50")  # 3 × 11,710.50, summed by the database
    assert {row["code"]: row["attendance"] for row in reach["by_sector"]} == {
        "government": 125,
        "civil_society": 25,
        "academia": 30,
        "private_sector": 0,
        "international": 0,
        "other": 0,
    }
    assert [(row["code"], row["events"], row["attendance"]) for row in reach["by_kind"]] == [
        ("public_event", 1, 120),
        ("informative_meeting", 1, 45),
        ("intersectoral_dialogue", 1, 70),
    ]
    assert [(row["month"], row["attendance"]) for row in reach["by_month"]] == [
        (dt.date(2024, 3, 1), 120),
        (dt.date(2024, 4, 1), 45),
        (dt.date(2025, 4, 1), 70),
    ]
    assert [(row["name"], row["events"], row["attendance"]) for row in reach["by_department"]] == [
        ("Guatemala", 1, 120),
        ("Quiché", 1, 45),
        (None, 1, 70),
    ]


def test_filters_by_year_project_and_purpose(cast, two_agencies) -> None:  # type: ignore[no-untyped-def]
    own, _foreign = two_agencies
    assert socialization_reach(cast.analyst, year=2025)["attendance"] == 70
    assert socialization_reach(cast.analyst, project_id=own.pk)["attendance"] == 165
    assert socialization_reach(cast.analyst, purpose="implementation")["attendance"] == 45
    assert socialization_reach(cast.analyst, year=2024, purpose="socialization")["events"] == 1


def test_a_cooperant_counts_only_its_agencys_projects(cast, two_agencies) -> None:  # type: ignore[no-untyped-def]
    _own, foreign = two_agencies
    assert socialization_reach(cast.cooperant)["attendance"] == 165
    # Asking for another agency's project gives nothing, not its figures.
    assert socialization_reach(cast.cooperant, project_id=foreign.pk)["events"] == 0
    client = Client()
    client.force_login(cast.cooperant)
    response = client.get(reverse("activities:socialization-reach"), {"project": foreign.pk})
    assert response.context["reach"]["attendance"] == 165  # the unknown choice is ignored
    assert [title for _pk, title in response.context["form"].fields["project"].choices[1:]] == ["Proyecto OIM"]
    assert "Proyecto UE" not in response.content.decode()


def test_page_shows_es_gt_numbers_and_filters(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    make_activity(project, attendance_total=1500, attendance_by_sector={"government": 1200})
    client = Client()
    client.force_login(cast.authority)
    page = client.get(reverse("activities:socialization-reach"), {"year": "2024"}).content.decode()
    assert 'data-testid="reach-attendance">1,500<' in page
    assert "1,200" in page
    assert "Sin departamento" in page


@pytest.mark.parametrize("count", [2, 30])
def test_query_count_does_not_grow_with_activities(cast, count, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    department = Department.objects.create(code="GT-01", name="Guatemala")
    for number in range(count):
        project = make_project(cast.agency, title=f"Proyecto {number}")
        make_activity(
            project, department=department if number % 2 else None, start_date=dt.date(2024, 3, 1 + number % 28)
        )
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("activities:socialization-reach")
    client.get(url)  # warm the session and content-type caches
    # session + user, the navbar bell's unread count, 2 filter options, 4 aggregates, and the sliding
    # session's save (3)
    with django_assert_num_queries(12):
        response = client.get(url, {"year": "2024"})
    assert response.context["reach"]["events"] == count
