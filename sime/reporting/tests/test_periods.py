import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sime.conftest import Cast
from sime.reporting import services
from sime.reporting.models import PeriodStatus, Submission, SubmissionEvent
from sime.reporting.periods import indicator_due, period_code, period_dates, period_name


@pytest.mark.parametrize(
    ("kind", "number", "code", "name", "start", "end"),
    [
        ("month", 3, "2025-M03", "Marzo 2025", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        ("quarter", 1, "2025-T1", "Primer trimestre 2025", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("four_month", 2, "2025-C2", "Segundo cuatrimestre 2025", dt.date(2025, 5, 1), dt.date(2025, 8, 31)),
        ("semester", 2, "2025-S2", "Segundo semestre 2025", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("year", 1, "2025", "Año 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_period_codes_names_and_dates(
    kind: str, number: int, code: str, name: str, start: dt.date, end: dt.date
) -> None:
    assert period_code(kind, 2025, number) == code
    assert period_name(kind, 2025, number) == name
    assert period_dates(kind, 2025, number) == (start, end)


def test_february_of_a_leap_year_ends_on_the_29th() -> None:
    assert period_dates("month", 2024, 2)[1] == dt.date(2024, 2, 29)


def test_indicators_are_due_when_one_of_their_cycles_ends_in_the_period() -> None:
    q1_end = dt.date(2025, 3, 31)
    assert indicator_due("monthly", q1_end)
    assert indicator_due("quarterly", q1_end)
    assert not indicator_due("four_monthly", q1_end)
    assert not indicator_due("annual", q1_end)
    assert indicator_due("annual", dt.date(2025, 12, 31))
    assert indicator_due("four_monthly", dt.date(2025, 8, 31))


def test_period_number_out_of_range_is_refused_at_the_field(framework: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_period(
            by=framework.admin,
            policy=framework.policy,
            kind="semester",
            year=2025,
            number=3,
            opens_on=dt.date(2025, 7, 1),
            closes_on=dt.date(2025, 7, 31),
        )
    assert "number" in error.value.message_dict


def test_closing_before_opening_is_refused(framework: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_period(
            by=framework.admin,
            policy=framework.policy,
            kind="year",
            year=2025,
            number=1,
            opens_on=dt.date(2025, 7, 1),
            closes_on=dt.date(2025, 6, 1),
        )
    assert "closes_on" in error.value.message_dict


def test_focal_points_cannot_create_periods(framework: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_period(
            by=framework.technical,
            policy=framework.policy,
            kind="year",
            year=2025,
            number=1,
            opens_on=dt.date(2025, 1, 1),
            closes_on=dt.date(2025, 1, 31),
        )


def test_opening_generates_one_instrument_per_institution_from_its_actions_and_indicators(reporting: Cast) -> None:
    cast = reporting
    assert cast.period.status == PeriodStatus.OPEN
    home = cast.submission
    # MINEX leads 1.1.1 and is responsible for IND-1.
    assert [i.action.node.code for i in home.actionprogress_items.all()] == ["1.1.1"]
    assert [i.indicator.code for i in home.indicatorvalue_items.all()] == ["IND-1"]
    assert home.total_items == 2 and home.completed_items == 0
    # MINGOB co-responsible for 1.1.1 and lead of 1.1.2, no indicator.
    other = cast.other_submission
    assert sorted(i.action.node.code for i in other.actionprogress_items.all()) == ["1.1.1", "1.1.2"]
    assert other.indicatorvalue_items.count() == 0
    # Every item is shown under its axis (the level-1 ancestor).
    assert home.actionprogress_items.get().axis.code == "1"
    assert SubmissionEvent.objects.filter(submission=home, kind="opened").count() == 1


def test_a_period_opens_only_once(reporting: Cast) -> None:
    with pytest.raises(ValidationError):
        services.open_period(by=reporting.admin, period=reporting.period)
    assert Submission.objects.filter(period=reporting.period).count() == 2


def test_indicators_not_due_are_left_out(framework: Cast) -> None:
    framework.indicator.frequency = "annual"
    framework.indicator.save()
    period = services.create_period(
        by=framework.admin,
        policy=framework.policy,
        kind="quarter",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 4, 1),
        closes_on=dt.date(2026, 4, 30),
    )
    services.open_period(by=framework.admin, period=period)
    home = period.submissions.get(institution=framework.home)
    assert home.indicatorvalue_items.count() == 0
    assert home.total_items == 1


def test_actions_outside_their_years_are_left_out(framework: Cast) -> None:
    from sime.policy.models import Action

    Action.objects.filter(node=framework.action_node).update(start_year=2030)
    period = services.create_period(
        by=framework.admin,
        policy=framework.policy,
        kind="year",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    services.open_period(by=framework.admin, period=period)
    assert not period.submissions.filter(institution=framework.home, actionprogress_items__isnull=False).exists()
