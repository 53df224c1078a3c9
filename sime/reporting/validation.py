"""Item validation shared by the web form, the Excel upload and the API.

`check_action` and `check_indicator` take the item with its new values already set and return
{field: [messages]} — empty when valid — plus warnings the user sees but may save with.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

from sime.core.formatting import format_number
from sime.core.numbers import MAX_COUNT, NumberError, parse_decimal
from sime.reporting.models import NEEDS_NARRATIVE, ActionProgress, ActionStatus, IndicatorValue

if TYPE_CHECKING:
    from collections.abc import Iterable

Errors = dict[str, list[str]]
# {dimension code: (dimension name, {category code: category name})}
Dimensions = dict[str, tuple[str, dict[str, str]]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _two_decimals(value: Decimal | None) -> bool:
    return value is None or value.as_tuple().exponent >= -2  # type: ignore[operator]


def _check_parts(
    errors: Errors,
    field: str,
    parts: Any,
    dimensions: Dimensions,
    total: Decimal | int | None,
    *,
    must_add_up: bool,
    integers: bool,
) -> None:
    """Disaggregated parts: known dimensions and categories, numbers ≥ 0, adding up to the total."""
    if not parts:
        return
    if not isinstance(parts, dict):
        _add(errors, field, _("Formato de desagregación no válido."))
        return
    for code, values in parts.items():
        if code not in dimensions:
            _add(errors, field, _("Desagregación desconocida: %(code)s.") % {"code": code})
            continue
        name, categories = dimensions[code]
        if not isinstance(values, dict):
            _add(errors, field, _("Formato de desagregación no válido."))
            continue
        numbers: list[Decimal] = []
        for category, raw in values.items():
            if category not in categories:
                _add(
                    errors,
                    field,
                    _("%(dimension)s: categoría desconocida %(code)s.") % {"dimension": name, "code": category},
                )
                continue
            if raw in (None, ""):
                continue
            try:
                # Parts arrive as JSON from the API too: the same bounded parser as typed numbers.
                number = parse_decimal(raw)
            except NumberError:
                number = Decimal(-1)
            if number < 0 or (integers and number != number.to_integral_value()):
                _add(
                    errors,
                    field,
                    _("%(dimension)s, %(category)s: escriba un número entero mayor o igual a cero.")
                    % {"dimension": name, "category": categories[category]}
                    if integers
                    else _("%(dimension)s, %(category)s: el valor no puede ser negativo.")
                    % {"dimension": name, "category": categories[category]},
                )
                continue
            numbers.append(number)
        if not numbers:
            continue
        if total is None:
            _add(errors, field, _("%(dimension)s: indique primero el total.") % {"dimension": name})
        elif must_add_up and sum(numbers, Decimal(0)) != Decimal(total):
            _add(
                errors,
                field,
                _("%(dimension)s: las partes suman %(sum)s y el total es %(total)s.")
                % {
                    "dimension": name,
                    "sum": format_number(sum(numbers, Decimal(0))),
                    "total": format_number(Decimal(total)),
                },
            )


def _check_fits_columns(errors: Errors, item: ActionProgress | IndicatorValue) -> None:
    """Every number fits its database column, whichever door it came through (page, Excel, API)."""
    for name in type(item).VALUE_FIELDS:
        field = type(item)._meta.get_field(name)
        value = getattr(item, name)
        if value is None or not isinstance(value, int | Decimal) or isinstance(value, bool):
            continue
        if isinstance(field, models.DecimalField):
            digits = field.max_digits - field.decimal_places
            if value and Decimal(value).adjusted() >= digits:
                _add(
                    errors,
                    field.name,
                    _("El número tiene más de %(max)s cifras antes del punto decimal.") % {"max": digits},
                )
        elif isinstance(field, models.PositiveIntegerField) and value > MAX_COUNT:
            _add(errors, field.name, _("El número no puede pasar de %(max)s.") % {"max": format_number(MAX_COUNT)})


def check_action(item: ActionProgress, dimensions: Dimensions) -> tuple[Errors, list[str]]:
    errors: Errors = {}
    warnings: list[str] = []
    _check_fits_columns(errors, item)
    if item.status and item.status not in ActionStatus.values:
        _add(errors, "status", _("Estado no válido."))
    if item.progress_percent is not None:
        if not Decimal(0) <= item.progress_percent <= Decimal(100):
            _add(errors, "progress_percent", _("El porcentaje de avance va de 0 a 100."))
        elif not _two_decimals(item.progress_percent):
            _add(errors, "progress_percent", _("Use como máximo dos decimales."))
    if item.status == ActionStatus.COMPLETED and item.progress_percent is not None and item.progress_percent != 100:
        _add(errors, "progress_percent", _("Una acción completada tiene 100 % de avance."))
    if item.status in NEEDS_NARRATIVE and not item.obstacles.strip():
        _add(errors, "obstacles", _("Explique los obstáculos: la acción está atrasada o suspendida."))
    for field in ("budget_allocated", "budget_executed"):
        value = getattr(item, field)
        if value is None:
            continue
        if value < 0:
            _add(errors, field, _("El monto no puede ser negativo."))
        elif not _two_decimals(value):
            _add(errors, field, _("Use como máximo dos decimales."))
    allocated, executed = item.budget_allocated, item.budget_executed
    if allocated is not None and executed is not None and executed > allocated:
        if item.budget_justification.strip():
            warnings.append(_("El presupuesto ejecutado supera el asignado (justificado)."))
        else:
            _add(
                errors,
                "budget_justification",
                _("El ejecutado supera el asignado: justifique la diferencia."),
            )
    _check_parts(
        errors,
        "beneficiaries_by",
        item.beneficiaries_by,
        dimensions,
        item.beneficiaries_total,
        must_add_up=True,
        integers=True,
    )
    return errors, warnings


def check_indicator(
    item: IndicatorValue, dimensions: Dimensions, milestone_values: Iterable[int] = ()
) -> tuple[Errors, list[str]]:
    errors: Errors = {}
    _check_fits_columns(errors, item)
    indicator = item.indicator
    measure = indicator.measure_type
    numerator, denominator = item.numerator, item.denominator
    if measure == "percentage":
        if (numerator is None) != (denominator is None):
            _add(errors, "denominator" if denominator is None else "numerator", _("Indique numerador y denominador."))
        if denominator is not None and denominator <= 0:
            _add(errors, "denominator", _("El denominador debe ser mayor que cero."))
        if numerator is not None and numerator < 0:
            _add(errors, "numerator", _("El numerador no puede ser negativo."))
        if numerator is not None and denominator is not None and denominator > 0 and numerator > denominator:
            _add(errors, "numerator", _("El numerador no puede ser mayor que el denominador."))
    elif numerator is not None or denominator is not None:
        _add(errors, "numerator", _("Este indicador no usa numerador ni denominador."))
    value = item.value
    if value is not None:
        if measure == "percentage" and not Decimal(0) <= value <= Decimal(100):
            _add(errors, "value", _("Un porcentaje va de 0 a 100."))
        elif measure == "count" and value < 0:
            _add(errors, "value", _("Un conteo no puede ser negativo."))
        elif measure == "yes_no" and value not in (Decimal(0), Decimal(1)):
            _add(errors, "value", _("Responda 1 (sí) o 0 (no)."))
        elif measure == "milestone":
            allowed = sorted(milestone_values)
            if value != value.to_integral_value() or (allowed and int(value) not in allowed):
                _add(
                    errors,
                    "value",
                    _("Elija uno de los hitos de la escala: %(values)s.") % {"values": ", ".join(map(str, allowed))},
                )
    _check_parts(
        errors,
        "disaggregated",
        item.disaggregated,
        dimensions,
        value,
        must_add_up=measure == "count",
        integers=False,
    )
    return errors, []


def missing_for_completion(item: ActionProgress | IndicatorValue) -> list[str]:
    """What an item still lacks to count as complete: the one definition of "complete".

    An action needs its status, its % of progress and the narrative its status requires (the
    obstacles of a delayed or suspended action); an indicator needs its value (for a percentage,
    numerator and denominator, from which the value is computed). The web page, the Excel upload
    and the send check all read this, through `is_complete` and the completion counters.
    """
    missing: list[str] = []
    if isinstance(item, ActionProgress):
        if not item.status:
            missing.append(_("el estado"))
        if item.progress_percent is None:
            missing.append(_("el % de avance"))
        if item.status in NEEDS_NARRATIVE and not item.obstacles.strip():
            missing.append(_("los obstáculos (la acción está atrasada o suspendida)"))
        return missing
    if item.indicator.measure_type == "percentage" and (item.numerator is None or item.denominator is None):
        if item.numerator is None:
            missing.append(_("el numerador"))
        if item.denominator is None:
            missing.append(_("el denominador"))
    elif item.value is None:
        missing.append(_("el valor del periodo"))
    return missing


def is_complete(item: ActionProgress | IndicatorValue) -> bool:
    return not missing_for_completion(item)


def percentage_of(numerator: Decimal, denominator: Decimal) -> Decimal:
    """100 · n / d to the hundredth, rounding half up as monitoring does (1/800 → 0.13)."""
    return (numerator * 100 / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def canonical(number: Decimal) -> str:
    """A disaggregated value as stored in JSON, without needless zeros: 12.50 → "12.5", 100 → "100"."""
    return format(number.normalize(), "f")
