"""What a focal point changed after an instrument was returned, item by item (before → after), for
the Analista who reviews it again. The values at the return are kept on the return's timeline
event (`SubmissionEvent.values`); the comparison is with the items as they are now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sime.core.audit import snapshot
from sime.reporting.item_display import describe
from sime.reporting.models import ActionProgress, IndicatorValue, Submission, SubmissionEvent
from sime.reporting.selectors import all_dimensions


def item_values(submission: Submission) -> dict[str, dict[str, Any]]:
    """Every item's filled-in values as plain JSON, keyed "a<pk>" (lines of action) / "i<pk>" (indicators)."""
    values: dict[str, dict[str, Any]] = {}
    for prefix, model in (("a", ActionProgress), ("i", IndicatorValue)):
        for item in model.objects.filter(submission=submission).order_by("pk"):
            values[f"{prefix}{item.pk}"] = snapshot(item, list(model.VALUE_FIELDS))
    return values


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    code: str
    title: str
    anchor: str  # the item's id on the instrument page
    fields: list[FieldChange]


def latest_return(submission: Submission) -> SubmissionEvent | None:
    """The latest step that sent the instrument back to the focal points (a return or a reopening)."""
    kinds = [SubmissionEvent.Kind.RETURN, SubmissionEvent.Kind.REOPEN]
    return submission.events.filter(kind__in=kinds).order_by("-occurred_at", "-pk").first()


def changes_since_return(submission: Submission) -> tuple[SubmissionEvent | None, list[ItemChange]]:
    """The latest return and the items changed since, in the instrument's order; nothing when the
    instrument was never returned (or was returned before the values were kept)."""
    returned = latest_return(submission)
    if returned is None or not returned.values:
        return returned, []
    dimensions = all_dimensions()
    changes = []
    for prefix, model in (("a", ActionProgress), ("i", IndicatorValue)):
        related = "action__node" if model is ActionProgress else "indicator"
        for item in model.objects.filter(submission=submission).select_related(related).order_by("position", "pk"):
            before = returned.values.get(f"{prefix}{item.pk}", {})
            after = snapshot(item, list(model.VALUE_FIELDS))  # the same shape `item_values` kept
            fields = [
                FieldChange(
                    str(model._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                    describe(model, name, before.get(name), dimensions),
                    describe(model, name, after.get(name), dimensions),
                )
                for name in model.VALUE_FIELDS  # type: ignore[attr-defined]
                if before.get(name) != after.get(name)
            ]
            if fields:
                title = item.action.node.title if isinstance(item, ActionProgress) else item.indicator.name
                changes.append(ItemChange(item.code, title, f"item-{prefix}{item.pk}", fields))
    return returned, changes
