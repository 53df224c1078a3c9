from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sime.conftest import Cast
from sime.policy.models import DisaggregationCategory, DisaggregationDimension
from sime.reporting import services
from sime.reporting.models import ActionProgress, IndicatorValue, Submission

GOOD_ACTION = {"status": "in_progress", "progress_percent": Decimal("40")}


def save(cast: Cast, item, values, user=None):  # type: ignore[no-untyped-def]
    item.refresh_from_db()
    return services.save_item(by=user or cast.technical, item=item, values=values, version=item.version)


def errors_of(call) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_saving_an_action_counts_it_complete_and_bumps_its_version(reporting: Cast) -> None:
    result = save(reporting, reporting.action_item, {**GOOD_ACTION, "achievements": "  Protocolo validado "})
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    assert item.achievements == "Protocolo validado"
    assert item.is_complete and item.version == 2 and item.updated_by == reporting.technical
    assert result.changed
    assert Submission.objects.get(pk=reporting.submission.pk).completed_items == 1


def test_saving_the_same_values_twice_changes_nothing(reporting: Cast) -> None:
    save(reporting, reporting.action_item, GOOD_ACTION)
    result = save(reporting, reporting.action_item, GOOD_ACTION)
    assert not result.changed
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 2
    assert Submission.objects.get(pk=reporting.submission.pk).completed_items == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"progress_percent": Decimal("101")}, "progress_percent"),
        ({"progress_percent": Decimal("-1")}, "progress_percent"),
        ({"progress_percent": Decimal("10.555")}, "progress_percent"),
        ({"status": "delayed", "progress_percent": Decimal("10")}, "obstacles"),
        ({"status": "suspended"}, "obstacles"),
        ({"status": "completed", "progress_percent": Decimal("90")}, "progress_percent"),
        ({"budget_allocated": Decimal("-5")}, "budget_allocated"),
        ({"budget_allocated": Decimal("1.234")}, "budget_allocated"),
        ({"budget_allocated": Decimal("100"), "budget_executed": Decimal("150")}, "budget_justification"),
        ({"status": "bogus"}, "status"),
    ],
)
def test_action_validation_speaks_spanish_at_the_field(reporting: Cast, values: dict, field: str) -> None:
    errors = errors_of(lambda: save(reporting, reporting.action_item, values))
    assert field in errors
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1  # nothing saved


def test_executed_over_allocated_with_a_justification_is_a_warning(reporting: Cast) -> None:
    result = save(
        reporting,
        reporting.action_item,
        {
            "budget_allocated": Decimal("100.00"),
            "budget_executed": Decimal("150.50"),
            "budget_justification": "Ampliación",
        },
    )
    assert result.warnings and "supera" in result.warnings[0]
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).budget_executed == Decimal("150.50")


def test_delayed_with_obstacles_is_accepted(reporting: Cast) -> None:
    save(
        reporting,
        reporting.action_item,
        {"status": "delayed", "progress_percent": Decimal("5"), "obstacles": "Sin fondos"},
    )
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).status == "delayed"


@pytest.fixture
def sex(db: None) -> DisaggregationDimension:
    dimension = DisaggregationDimension.objects.create(code="sexo", name="Sexo", for_beneficiaries=True)
    DisaggregationCategory.objects.create(dimension=dimension, code="M", name="Mujer")
    DisaggregationCategory.objects.create(dimension=dimension, code="H", name="Hombre")
    return dimension


def test_beneficiaries_by_sex_must_add_up_to_the_total(reporting: Cast, sex: DisaggregationDimension) -> None:
    errors = errors_of(
        lambda: save(
            reporting,
            reporting.action_item,
            {"beneficiaries_total": 10, "beneficiaries_by": {"sexo": {"M": 4, "H": 5}}},
        )
    )
    assert "suman 9" in errors["beneficiaries_by"][0]
    save(reporting, reporting.action_item, {"beneficiaries_total": 10, "beneficiaries_by": {"sexo": {"M": 4, "H": 6}}})
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).beneficiaries_by == {"sexo": {"M": 4, "H": 6}}


def test_unknown_disaggregation_category_is_refused(reporting: Cast, sex: DisaggregationDimension) -> None:
    errors = errors_of(
        lambda: save(
            reporting, reporting.action_item, {"beneficiaries_total": 1, "beneficiaries_by": {"sexo": {"X": 1}}}
        )
    )
    assert "categoría desconocida" in errors["beneficiaries_by"][0]


def test_indicator_disaggregated_values_add_up_for_counts(reporting: Cast, sex: DisaggregationDimension) -> None:
    reporting.indicator.dimensions.add(sex)
    errors = errors_of(
        lambda: save(
            reporting, reporting.indicator_item, {"value": Decimal("5"), "disaggregated": {"sexo": {"M": "3"}}}
        )
    )
    assert "disaggregated" in errors
    save(reporting, reporting.indicator_item, {"value": Decimal("5"), "disaggregated": {"sexo": {"M": "3", "H": "2"}}})
    assert IndicatorValue.objects.get(pk=reporting.indicator_item.pk).is_complete


def test_percentage_indicator_computes_its_value_and_checks_numerator(reporting: Cast) -> None:
    indicator = reporting.indicator
    indicator.measure_type = "percentage"
    indicator.numerator_definition, indicator.denominator_definition = "casos atendidos", "casos recibidos"
    indicator.save()
    errors = errors_of(
        lambda: save(reporting, reporting.indicator_item, {"numerator": Decimal("12"), "denominator": Decimal("10")})
    )
    assert "numerator" in errors
    assert "denominator" in errors_of(lambda: save(reporting, reporting.indicator_item, {"numerator": Decimal("1")}))
    save(reporting, reporting.indicator_item, {"numerator": Decimal("1"), "denominator": Decimal("3")})
    assert IndicatorValue.objects.get(pk=reporting.indicator_item.pk).value == Decimal("33.33")


def test_counts_cannot_be_negative(reporting: Cast) -> None:
    assert "value" in errors_of(lambda: save(reporting, reporting.indicator_item, {"value": Decimal("-1")}))


def test_a_float_never_enters(reporting: Cast) -> None:
    with pytest.raises(TypeError):
        save(reporting, reporting.action_item, {"budget_allocated": 10.5})


def test_a_stale_version_that_would_overwrite_is_refused_and_says_what_changed(reporting: Cast) -> None:
    item = reporting.action_item
    services.save_item(by=reporting.technical, item=item, values={"progress_percent": Decimal("40")}, version=1)
    with pytest.raises(services.EditConflict) as conflict:
        services.save_item(by=reporting.planning, item=item, values={"progress_percent": Decimal("60")}, version=1)
    message = conflict.value.message()
    assert "Técnica Minex" in message and "40" in message
    assert ActionProgress.objects.get(pk=item.pk).progress_percent == Decimal("40")


def test_a_stale_version_that_repeats_the_saved_value_is_harmless(reporting: Cast) -> None:
    item = reporting.action_item
    services.save_item(by=reporting.technical, item=item, values={"progress_percent": Decimal("40")}, version=1)
    result = services.save_item(by=reporting.planning, item=item, values={"progress_percent": Decimal("40")}, version=1)
    assert not result.changed


def test_another_institution_cannot_write(reporting: Cast) -> None:
    with pytest.raises(PermissionDenied):
        save(reporting, reporting.action_item, GOOD_ACTION, user=reporting.outsider)
    with pytest.raises(PermissionDenied):
        save(reporting, reporting.action_item, GOOD_ACTION, user=reporting.analyst)


def test_a_percentage_rounds_half_up_like_monitoring() -> None:
    from decimal import Decimal

    from sime.analytics.aggregation import percentage
    from sime.reporting.validation import percentage_of

    # 1/800 = 0.125 %: half-even would give 0.12, the instrument and the dashboards both say 0.13.
    assert percentage_of(Decimal(1), Decimal(800)) == Decimal("0.13") == percentage(Decimal(1), Decimal(800))
    assert percentage_of(Decimal(1), Decimal(3)) == Decimal("33.33")


def test_parts_that_do_not_add_up_are_named_in_es_gt_numbers_not_in_scientific_notation(
    reporting: Cast, sex: DisaggregationDimension
) -> None:
    """«las partes suman 315 y el total es 3.2E+2» was what a focal point read for 320."""
    errors = errors_of(
        lambda: save(
            reporting,
            reporting.action_item,
            {"beneficiaries_total": 1320, "beneficiaries_by": {"sexo": {"M": 180, "H": 135}}},
        )
    )
    assert errors["beneficiaries_by"] == ["Sexo: las partes suman 315 y el total es 1,320."]
    errors = errors_of(
        lambda: save(
            reporting,
            reporting.action_item,
            {"beneficiaries_total": 320, "beneficiaries_by": {"sexo": {"M": 180, "H": 135}}},
        )
    )
    assert errors["beneficiaries_by"] == ["Sexo: las partes suman 315 y el total es 320."]
