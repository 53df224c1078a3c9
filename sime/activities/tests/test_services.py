import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sime.activities import services
from sime.activities.models import Activity, Consultancy, Project
from sime.activities.selectors import amount_in_database, project_summary
from sime.activities.tests.factories import make_activity, make_consultancy, make_project
from sime.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_summary_adds_activities_and_consultancies_exactly(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    make_activity(project, "11710.50")
    make_activity(project, "0.50", title="Reunión", kind="informative_meeting", start_date=dt.date(2024, 4, 2))
    make_consultancy(project, "23421.00")
    summary = project_summary(project)
    assert summary["amount_total"] == Decimal("35132.00")
    assert summary["amount_total"] == amount_in_database(project)
    assert summary["attendance_total"] == 240
    assert summary["attendance_by_sector"]["government"] == 160
    assert summary["by_kind"]["informative_meeting"] == {"activities": 1, "attendance": 120, "amount": Decimal("0.50")}
    assert summary["by_month"]["2024-05"] == {"attendance": 0, "amount": Decimal("23421.00")}


# The fixture's institutions are only read; each example deletes the project it made.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=30))
def test_many_half_quetzal_amounts_add_up_exactly(cast, centavos) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency, title=f"P{len(centavos)}")
    for index, value in enumerate(centavos):
        make_activity(project, f"{value // 100}.{value % 100:02d}", title=f"A{index}", attendance_by_sector={})
    expected = sum(Decimal(v) / 100 for v in centavos)
    assert project_summary(project)["amount_total"] == expected == amount_in_database(project)
    project.delete()


def test_a_float_never_enters(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    with pytest.raises(TypeError):
        services.save_activity(
            by=None, project=project, kind="other", title="X", start_date=dt.date(2024, 4, 1), cost=0.1
        )
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "by_sector", "field", "message"),
    [
        ({"cost": Decimal("-1.00")}, {}, "cost", "Asegúrese de que este valor es mayor o igual a 0."),
        ({"cost": Decimal("10.005")}, {}, "cost", "Use como máximo dos decimales."),
        (
            {"attendance_total": 10},
            {"government": 8, "academia": 5},
            "attendance_total",
            "La asistencia por sector (13) supera el total (10).",
        ),
        (
            {"end_date": dt.date(2024, 3, 1)},
            {},
            "end_date",
            "La fecha de finalización no puede ser anterior a la de inicio.",
        ),
    ],
)
def test_bad_activities_are_refused_and_nothing_saved(cast, fields, by_sector, field, message) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    base = {
        "kind": "workshop",
        "title": "Taller",
        "start_date": dt.date(2024, 3, 5),
        "attendance_total": 20,
        "cost": Decimal("100.00"),
    }
    base.update(fields)
    with pytest.raises(ValidationError) as error:
        services.save_activity(by=None, project=project, attendance_by_sector=by_sector, **base)
    assert message in error.value.message_dict[field]
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.created").exists()


def test_all_sectors_given_must_add_up_to_the_total(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    all_sectors = {
        "government": 1,
        "civil_society": 1,
        "academia": 1,
        "private_sector": 1,
        "international": 1,
        "other": 1,
    }
    with pytest.raises(ValidationError) as error:
        make_activity(project, attendance_total=10, attendance_by_sector=all_sectors)
    assert error.value.message_dict["attendance_total"] == [
        "Con todos los sectores indicados, su suma (6) debe ser igual al total (10)."
    ]
    assert make_activity(project, attendance_total=6, attendance_by_sector=all_sectors).attendance_total == 6


def test_consultancy_with_assignments_in_one_step(cast) -> None:  # type: ignore[no-untyped-def]
    consultancy = make_consultancy(make_project(cast.agency))
    assignment = consultancy.assignments.get()
    assert assignment.duties == ["Diseñar los instrumentos", "Construir la red causal"]
    assert assignment.deliverables.get().title == "Informe de instrumentos"


def test_bad_consultancy_leaves_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    with pytest.raises(ValidationError):
        make_consultancy(project, assignments=[{"name": "", "duties": []}])
    with pytest.raises(ValidationError):
        make_consultancy(project, start_month=dt.date(2024, 9, 1), end_month=dt.date(2024, 5, 1))
    assert not Consultancy.objects.exists()


def test_agency_must_be_international_cooperation(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        make_project(cast.home)
    assert error.value.message_dict == {"agency": ["La agencia debe ser una institución de cooperación internacional."]}
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", ["technical", "authority", "cooperant"])
def test_only_depm_writes(cast, role) -> None:  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    with pytest.raises(PermissionDenied):
        services.save_activity(
            by=cast.by_role()[role],
            project=project,
            kind="other",
            title="X",
            start_date=dt.date(2024, 4, 1),
            cost=Decimal("1"),
        )
    assert not Activity.objects.exists()


def test_activity_outside_the_project_period_is_a_warning(cast) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(make_project(cast.agency), start_date=dt.date(2025, 2, 1))
    assert activity.warnings() == ["La actividad queda fuera del periodo del proyecto."]
