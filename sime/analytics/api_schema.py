"""The shapes of the monitoring API's answers, for the OpenAPI schema only.

The views build plain dicts from the progress builder's dataclasses (no serializer instantiated per
row: a framework of hundreds of indicators × periods is answered in milliseconds); these classes
describe those dicts so that docs/api/openapi.yaml is exact. Decimals travel as strings, as in the
rest of the API: values with 4 decimals, percentages and money with 2.
"""

from __future__ import annotations

from rest_framework import serializers

from sime.analytics.aggregation import ProgressStatus
from sime.core.numbers import MAX_ID
from sime.policy.models import Aggregation, Direction, Frequency, MeasureType
from sime.reporting.models import ActionStatus


def _value(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=22, decimal_places=4, allow_null=True, **kwargs)  # type: ignore[arg-type]


def _percent(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, **kwargs)  # type: ignore[arg-type]


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2)


def _status() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=ProgressStatus.choices)


# --- Query parameters ------------------------------------------------------------------------


class ReadingQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999, help_text="Año, dentro del horizonte de la política."
    )
    period = serializers.CharField(
        required=False,
        max_length=12,
        help_text="Código del periodo de la política (p. ej. 2026-T2): las cifras se leen al fin de ese periodo.",
    )


class InstitutionReadingQuery(ReadingQuery):
    institution = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id de una institución: solo sus reportes aprobados (un enlace, solo la suya).",
    )


class PolicyReadingQuery(ReadingQuery):
    policy = serializers.CharField(
        required=False, max_length=30, help_text="Código de la política (por defecto, la vigente)."
    )


class IpttQuery(InstitutionReadingQuery):
    policy = serializers.CharField(
        required=False, max_length=30, help_text="Código de la política (por defecto, la vigente)."
    )
    axis = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Id de un eje: solo los indicadores de su subárbol."
    )
    status = serializers.ChoiceField(
        required=False, choices=ProgressStatus.choices, help_text="Solo los indicadores con este estado."
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=100_000, help_text="Página de indicadores.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=500, help_text="Indicadores por página (50 por defecto)."
    )


# --- Building blocks -------------------------------------------------------------------------


class PolicyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    acronym = serializers.CharField()
    name = serializers.CharField()


class BaselineSerializer(serializers.Serializer):
    value = _value()
    year = serializers.IntegerField(allow_null=True)


class YearTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = _value()


class ProgressFiguresSerializer(serializers.Serializer):
    """An actual against its target (docs/aggregation.md §3–4)."""

    actual = _value(help_text="Valor acumulado a la fecha según la agregación del indicador.")
    target = _value()
    expected = _value(help_text="Valor esperado a la fecha (meta prorrateada dentro del año).")
    percent = _percent(help_text="Avance hacia la meta, en %.")
    expected_percent = _percent(help_text="Avance esperado a la fecha, en %.")
    status = _status()
    status_label = serializers.CharField()


class StatusCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    behind = serializers.IntegerField()
    no_data = serializers.IntegerField()
    no_target = serializers.IntegerField()


class BeneficiariesSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_dimension = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Dimensión → categoría → personas.",
    )


class ReportingRateSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_name = serializers.CharField()
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    approved = serializers.IntegerField()
    received_percent = _percent()
    on_time_percent = _percent()


class ActionReportSerializer(serializers.Serializer):
    """An institution's latest approved report on a line of action."""

    institution_id = serializers.IntegerField()
    institution = serializers.CharField()
    period = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, allow_blank=True)
    status_label = serializers.CharField()
    percent = _percent()
    obstacles = serializers.CharField()
    budget_allocated = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    budget_executed = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class NodeRollupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    level = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    percent = _percent(help_text="% de avance: media ponderada de los hijos (o de las instituciones).")
    weight = serializers.DecimalField(max_digits=8, decimal_places=2)
    budget_allocated = _money()
    budget_executed = _money()
    action_status = serializers.ChoiceField(choices=ActionStatus.choices, allow_null=True)
    trouble = serializers.ListField(child=serializers.CharField(), help_text="Por qué el nodo requiere atención.")
    inherited_risk = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Cadenas de la red causal, del nodo con problemas a este (códigos).",
    )
    indicator_ids = serializers.ListField(child=serializers.IntegerField())


class PeriodColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    ends_on = serializers.DateField()


class IndicatorPointSerializer(serializers.Serializer):
    """One period of an indicator in the framework's progress."""

    code = serializers.CharField()
    value = _value(help_text="Valor del periodo (instituciones combinadas).")
    to_date = _value(help_text="Acumulado del año al fin del periodo.")
    percent = _percent()
    status = _status()


class IndicatorRollupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    node_id = serializers.IntegerField()
    measure_type = serializers.ChoiceField(choices=MeasureType.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices)
    baseline = BaselineSerializer()
    targets = YearTargetSerializer(many=True)
    periods = IndicatorPointSerializer(many=True)
    current = ProgressFiguresSerializer(help_text="El año a la fecha de lectura.")
    horizon = ProgressFiguresSerializer(help_text="El horizonte de la política.")


class ReadingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    until = serializers.DateField(help_text="Fecha de lectura de las cifras.")


# --- Answers ---------------------------------------------------------------------------------


class IndicatorPeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    ends_on = serializers.DateField()
    value = _value(help_text="Valor aprobado del periodo (instituciones combinadas).")
    to_date = _value(help_text="Acumulado del año al fin del periodo.")
    target = _value()
    percent_of_target = _percent()
    expected_percent = _percent()
    status = _status()
    status_label = serializers.CharField()


class ApprovedValueSerializer(serializers.Serializer):
    institution = serializers.CharField()
    period = serializers.CharField()
    value = _value()
    numerator = _value()
    denominator = _value()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField()


class IndicatorProgressSerializer(ReadingSerializer):
    id = serializers.IntegerField()
    policy = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    measure_type = serializers.ChoiceField(choices=MeasureType.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    baseline = BaselineSerializer()
    targets = YearTargetSerializer(many=True)
    periods = IndicatorPeriodSerializer(many=True)
    current = ProgressFiguresSerializer()
    horizon = ProgressFiguresSerializer()
    disaggregation = serializers.DictField(
        child=serializers.DictField(child=serializers.DecimalField(max_digits=22, decimal_places=4)),
        help_text="Dimensión → categoría → valor del acumulado del año.",
    )
    values = ApprovedValueSerializer(many=True)


class PolicyProgressSerializer(ReadingSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    institution = InstitutionRefSerializer(allow_null=True)
    percent = _percent(help_text="% de avance de la política: media ponderada de sus ejes.")
    status_counts = StatusCountsSerializer()
    budget_allocated = _money()
    budget_executed = _money()
    beneficiaries = BeneficiariesSerializer()
    reporting_rates = ReportingRateSerializer(many=True)
    periods = PeriodColumnSerializer(many=True)
    nodes = NodeRollupSerializer(many=True)
    indicators = IndicatorRollupSerializer(many=True)


class NodeProgressSerializer(NodeRollupSerializer):
    policy = serializers.CharField()
    year = serializers.IntegerField()
    until = serializers.DateField()
    level_name = serializers.CharField()
    action_status_label = serializers.CharField()
    children = NodeRollupSerializer(many=True)
    indicators = IndicatorRollupSerializer(many=True)
    reports = ActionReportSerializer(many=True)


class InstitutionActionSerializer(serializers.Serializer):
    node_id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    responsibility = serializers.ChoiceField(
        choices=[("lead", "Responsable"), ("co_responsible", "Corresponsable")],
        help_text="La institución es la responsable o una corresponsable de la línea.",
    )
    report = ActionReportSerializer(allow_null=True)


class InstitutionProgressSerializer(ReadingSerializer):
    institution = InstitutionRefSerializer()
    policy = PolicyRefSerializer()
    percent = _percent()
    status_counts = StatusCountsSerializer()
    budget_allocated = _money()
    budget_executed = _money()
    beneficiaries = BeneficiariesSerializer()
    actions = InstitutionActionSerializer(many=True)
    indicators = IndicatorRollupSerializer(many=True)
    reporting_rates = ReportingRateSerializer(many=True)


class IpttCellSerializer(serializers.Serializer):
    value = _value()
    to_date = _value()
    target = _value()
    percent = _percent()
    expected_percent = _percent()
    status = _status()


class IpttRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    node_id = serializers.IntegerField()
    baseline = BaselineSerializer()
    status = _status()
    cells = serializers.ListField(
        child=IpttCellSerializer(allow_null=True),
        help_text="Una celda por periodo de `periods`, en el mismo orden (null: el periodo no tiene celda).",
    )


class IpttPageSerializer(ReadingSerializer):
    policy = PolicyRefSerializer()
    institution = InstitutionRefSerializer(allow_null=True)
    periods = PeriodColumnSerializer(many=True)
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = IpttRowSerializer(many=True)
