"""An instrument item's stored value as a person reads it (choice labels, es-GT numbers and money,
labelled disaggregations): the Excel preview and the changes since a return show values this way."""

from __future__ import annotations

from typing import Any

from django.db import models

from sime.core.formatting import format_amount, format_number
from sime.reporting.models import ActionProgress, IndicatorValue
from sime.reporting.selectors import Dimensions

MONEY_FIELDS = frozenset({"budget_allocated", "budget_executed"})
PARTS_FIELDS = frozenset({"beneficiaries_by", "disaggregated"})
EMPTY = "—"


def _parts(value: Any, dimensions: Dimensions) -> str:
    if not value:
        return EMPTY
    groups = []
    for dimension, categories in sorted(value.items()):
        name, labels = dimensions.get(dimension, (dimension, {}))
        shown = ", ".join(f"{labels.get(code, code)} {format_number(count)}" for code, count in categories.items())
        groups.append(f"{name}: {shown}")
    return "; ".join(groups)


def describe(model: type[models.Model], name: str, value: Any, dimensions: Dimensions) -> str:
    """A stored value as a person reads it: choice labels, es-GT numbers and money, labelled parts."""
    if value is None or value == "":
        return EMPTY
    if name in PARTS_FIELDS:
        return _parts(value, dimensions)
    if name in MONEY_FIELDS:
        return format_amount(value)  # the field's label says «(Q)»
    field = model._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))  # type: ignore[union-attr, arg-type]
    if isinstance(field, models.DecimalField | models.IntegerField):
        return format_number(value)
    return str(value)


def item_model(field_name: str) -> type[ActionProgress] | type[IndicatorValue]:
    """The item model a value field belongs to (their field names do not overlap)."""
    return ActionProgress if field_name in ActionProgress.VALUE_FIELDS else IndicatorValue
