"""Forms of the reporting pages. Item values arrive as plain inputs (one small form per item,
autosaved with htmx); `parse_item` turns them into typed values with Spanish messages per field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sime.core.forms import CleanForm
from sime.core.numbers import NumberError, parse_count, parse_decimal
from sime.core.text import strip_control_characters
from sime.core.widgets import DateInput
from sime.policy.models import MeasureType, Policy
from sime.reporting.models import ActionProgress, ActionStatus, IndicatorValue
from sime.reporting.periods import PeriodKind
from sime.reporting.validation import canonical

DECIMAL_FIELDS = {"progress_percent", "budget_allocated", "budget_executed", "value", "numerator", "denominator"}
INTEGER_FIELDS = {"beneficiaries_total"}
TEXT_FIELDS = {"achievements", "obstacles", "next_steps", "budget_justification", "notes"}
# Input name prefixes of disaggregated parts: «ben__sexo__M», «dis__edad__0-12».
PARTS_PREFIX = {"beneficiaries_by": "ben", "disaggregated": "dis"}


class MalformedPost(ValueError):
    """A POST our pages never send (a part input without its category): the view answers 400."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_number(raw: Any, *, integer: bool = False) -> Decimal | int | None:
    """A typed value («1,234.50», «1234.5») or an Excel cell: None when empty; raises NumberError.

    Integers are counts of people (0 up to what the column holds); every number goes through the
    bounded parser of sime.core.numbers before any Decimal arithmetic."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise NumberError(_("Escriba un número, no una fecha ni un valor lógico."), "invalid")
    if integer:
        return parse_count(raw)
    return parse_decimal(raw)


def _part_key(key: str, field: str) -> tuple[str, str]:
    """(dimension, category) of an input named «ben__sexo__M»; MalformedPost for anything else."""
    _prefix, *rest = key.split("__", 2)
    if len(rest) != 2 or not all(rest) or len(key) > 200:
        raise MalformedPost(
            field,
            _("Casilla de desagregación no válida: «%(key)s» (se espera desagregación y categoría).")
            % {"key": key[:60]},
        )
    return rest[0], rest[1]


def parse_item(item: ActionProgress | IndicatorValue, data: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Typed values from a POST (only the fields present) and per-field parse errors.

    Raises MalformedPost for inputs no page of ours sends."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in type(item).VALUE_FIELDS:
        if name in PARTS_PREFIX:
            prefix = PARTS_PREFIX[name] + "__"
            keys = [key for key in data if key.startswith(prefix)]
            if not keys:
                continue
            parts: dict[str, dict[str, Any]] = {}
            for key in keys:
                dimension, category = _part_key(key, name)
                try:
                    number = parse_number(data.get(key, ""), integer=name == "beneficiaries_by")
                except NumberError as error:
                    errors.setdefault(name, []).append(str(error))
                    continue
                if number is not None:
                    parts.setdefault(dimension, {})[category] = number if isinstance(number, int) else canonical(number)
            values[name] = parts
            continue
        if name not in data:
            continue
        raw = data.get(name, "")
        if name in DECIMAL_FIELDS or name in INTEGER_FIELDS:
            try:
                values[name] = parse_number(raw, integer=name in INTEGER_FIELDS)
            except NumberError as error:
                errors.setdefault(name, []).append(str(error))
        elif name in TEXT_FIELDS:
            values[name] = strip_control_characters(raw).strip()
        elif name == "status":
            if raw and raw not in ActionStatus.values:
                errors.setdefault(name, []).append(_("Estado no válido."))
            else:
                values[name] = raw
    return values, errors


def error_fields(item: ActionProgress | IndicatorValue) -> list[str]:
    """Fields that have an error slot on the page (cleared or filled after each autosave).

    Numerator and denominator are on the page only for a percentage indicator: naming them for another
    indicator would send htmx an out-of-band swap without a target (`oobErrorNoTarget`).
    """
    fields = list(type(item).VALUE_FIELDS)
    if isinstance(item, IndicatorValue) and item.indicator.measure_type != MeasureType.PERCENTAGE:
        fields = [name for name in fields if name not in {"numerator", "denominator"}]
    return [*fields, "__all__"]


class PeriodForm(CleanForm):
    policy = forms.ModelChoiceField(label=gettext_lazy("Política"), queryset=Policy.objects.all(), empty_label=None)
    kind = forms.ChoiceField(label=gettext_lazy("Tipo de periodo"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Año"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=gettext_lazy("Número"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=gettext_lazy(
            "1 a 12 para meses, 1 a 4 trimestres, 1 a 3 cuatrimestres, 1 a 2 semestres; 1 para el año."
        ),
    )
    opens_on = forms.DateField(
        label=gettext_lazy("Apertura de la recepción"),
        widget=DateInput(),
    )
    closes_on = forms.DateField(label=gettext_lazy("Cierre de la recepción"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + dt.timedelta(days=30)


class ReasonForm(CleanForm):
    reason = forms.CharField(
        label=gettext_lazy("Motivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, strip=True
    )


class ApproveForm(CleanForm):
    comment = forms.CharField(
        label=gettext_lazy("Comentario (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(CleanForm):
    file = forms.FileField(label=gettext_lazy("Archivo"))


class UploadForm(CleanForm):
    file = forms.FileField(
        label=gettext_lazy("Instrumento en Excel (.xlsx)"),
        help_text=gettext_lazy("El archivo descargado de este instrumento, completado sin cambiar su estructura."),
    )
