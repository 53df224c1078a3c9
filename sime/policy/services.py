"""Writes on the results framework: permission → validate → write → audit (and history)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.accounts.permissions import require
from sime.core.audit import diff, record_event, snapshot
from sime.policy.causal import cycle_closed_by
from sime.policy.models import Action, CausalLink, Indicator, IndicatorTarget, MilestoneStep, Policy, PolicyNode

RULE = "policy.change_framework"
NODE_FIELDS = ("title", "description", "order", "weight", "is_illustrative")
THRESHOLD_FIELDS = ("on_track_threshold", "at_risk_threshold", "maintain_tolerance")
ACTION_FIELDS = ("lead_institution", "horizon", "start_year", "end_year", "expected_product", "estimated_budget")
INDICATOR_FIELDS = Indicator.SHEET_FIELDS


def _authorise(by: User | None, obj: Any = None) -> None:
    if by is not None:
        require(by, RULE, obj)


def _set_fields(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _ids(objects: Iterable[Any]) -> list[int]:
    return sorted(obj.pk for obj in objects)


def _save(obj: Any, by: User | None) -> None:
    obj.full_clean()
    obj._history_user = by  # django-simple-history: who made this version
    obj.save()


@transaction.atomic
def create_node(
    *,
    by: User | None,
    policy: Any,
    parent: PolicyNode | None,
    code: str,
    title: str,
    description: str = "",
    order: int | None = None,
    is_illustrative: bool = False,
    lead_institution: Any = None,
) -> PolicyNode:
    """Add a node under `parent` (or at the top). A node of the action level needs its lead institution."""
    _authorise(by, parent)
    depth = parent.level.depth + 1 if parent else 1
    level = policy.levels.filter(depth=depth).first()
    if level is None:
        raise ValidationError(
            {
                "parent": _("La política no tiene un nivel debajo de «%(code)s».")
                % {"code": parent.code if parent else ""}
            }
        )
    if order is None:
        siblings = PolicyNode.objects.filter(policy=policy, parent=parent)
        order = max([n.order for n in siblings] + [parent.order if parent else 0]) + 1
    node = PolicyNode(
        policy=policy,
        level=level,
        parent=parent,
        code=code,
        title=title.strip(),
        description=description,
        order=order,
        is_illustrative=is_illustrative,
    )
    _save(node, by)
    if level.is_action_level:
        if lead_institution is None:
            raise ValidationError({"lead_institution": _("Una línea de acción necesita su institución responsable.")})
        _save(Action(node=node, lead_institution=lead_institution), by)
    record_event(node, "node.created", by=by, changes=diff({}, snapshot(node)))
    return node


@transaction.atomic
def update_node(
    *, by: User | None, node: PolicyNode, alignments: dict[str, Iterable[Any]] | None = None, **fields: Any
) -> PolicyNode:
    """Edit a node's text and its alignment (GCM objectives, SDG targets, K'atun priorities)."""
    _authorise(by, node)
    before = snapshot(node)
    before_alignment = {name: _ids(getattr(node, name).all()) for name in (alignments or {})}
    _set_fields(node, fields, NODE_FIELDS)
    _save(node, by)
    changes = diff(before, snapshot(node))
    for name, values in (alignments or {}).items():
        values = list(values)
        getattr(node, name).set(values)
        if before_alignment[name] != _ids(values):
            changes[name] = {"before": before_alignment[name], "after": _ids(values)}
    if changes:
        record_event(node, "node.updated", by=by, changes=changes)
    return node


@transaction.atomic
def update_action(
    *,
    by: User | None,
    action: Action,
    co_responsible: Iterable[Any] | None = None,
    target_populations: Iterable[Any] | None = None,
    **fields: Any,
) -> Action:
    _authorise(by, action)
    before = snapshot(action)
    before_sets = {
        "co_responsible": _ids(action.co_responsible.all()),
        "target_populations": _ids(action.target_populations.all()),
    }
    _set_fields(action, fields, ACTION_FIELDS)
    if action.estimated_budget is not None:
        action.estimated_budget = Decimal(action.estimated_budget)
    _save(action, by)
    changes = diff(before, snapshot(action))
    for name, values in (("co_responsible", co_responsible), ("target_populations", target_populations)):
        if values is None:
            continue
        values = list(values)
        if name == "co_responsible" and any(v.pk == action.lead_institution_id for v in values):
            raise ValidationError(
                {"co_responsible": _("La institución responsable no puede ser también corresponsable.")}
            )
        getattr(action, name).set(values)
        if before_sets[name] != _ids(values):
            changes[name] = {"before": before_sets[name], "after": _ids(values)}
    if changes:
        record_event(action, "action.updated", by=by, changes=changes, institution=action.lead_institution)
    return action


@transaction.atomic
def add_causal_link(*, by: User | None, source: PolicyNode, target: PolicyNode, evidence_note: str = "") -> CausalLink:
    """Add «source contributes to target», refusing any edge that would close a cycle."""
    _authorise(by, source)
    if source.policy_id != target.policy_id:
        raise ValidationError({"target": _("Los dos nodos deben ser de la misma política.")})
    # Lock the policy's links so two concurrent additions cannot close a cycle together.
    existing = CausalLink.objects.select_for_update().filter(policy_id=source.policy_id)
    edges = list(existing.values_list("source_id", "target_id"))
    cycle = cycle_closed_by(edges, source.pk, target.pk)
    if cycle:
        codes = dict(PolicyNode.objects.filter(pk__in=cycle).values_list("pk", "code"))
        raise ValidationError(
            {"target": _("Este vínculo cerraría un ciclo: %(cycle)s.") % {"cycle": " → ".join(codes[n] for n in cycle)}}
        )
    link = CausalLink(policy_id=source.policy_id, source=source, target=target, evidence_note=evidence_note.strip())
    _save(link, by)
    record_event(link, "causal_link.created", by=by, changes=diff({}, snapshot(link)))
    return link


@transaction.atomic
def remove_causal_link(*, by: User | None, link: CausalLink) -> None:
    _authorise(by, link)
    record_event(link, "causal_link.deleted", by=by, changes=diff(snapshot(link), {}))
    link._history_user = by  # type: ignore[attr-defined]
    link.delete()


@transaction.atomic
def save_indicator(
    *,
    by: User | None,
    indicator: Indicator,
    dimensions: Iterable[Any] | None = None,
    targets: dict[int, Decimal] | None = None,
    milestone_steps: list[tuple[int, str]] | None = None,
    **fields: Any,
) -> Indicator:
    """Create or edit an indicator, its disaggregation dimensions and its yearly targets."""
    _authorise(by, indicator)
    is_new = indicator.pk is None
    before = {} if is_new else snapshot(indicator)
    before_targets = {} if is_new else {t.year: str(t.value) for t in indicator.targets.all()}
    _set_fields(indicator, fields, INDICATOR_FIELDS)
    _save(indicator, by)
    changes = diff(before, snapshot(indicator))
    if dimensions is not None:
        indicator.dimensions.set(list(dimensions))
    if targets is not None:
        policy = indicator.policy
        outside = sorted(year for year in targets if not policy.start_year <= year <= policy.end_year)
        if outside:
            raise ValidationError(
                {
                    "targets": _("Año fuera de la vigencia de la política (%(start)s–%(end)s): %(years)s.")
                    % {"start": policy.start_year, "end": policy.end_year, "years": ", ".join(map(str, outside))}
                }
            )
        indicator.targets.exclude(year__in=list(targets)).delete()
        for year, value in sorted(targets.items()):
            target = indicator.targets.filter(year=year).first() or IndicatorTarget(indicator=indicator, year=year)
            target.value = Decimal(value)
            _save(target, by)
        after_targets = {year: str(Decimal(value)) for year, value in targets.items()}
        if after_targets != before_targets:
            changes["targets"] = {"before": before_targets, "after": after_targets}
    if milestone_steps is not None:
        before_steps = [f"{s.value}={s.name}" for s in indicator.milestone_steps.all()]
        indicator.milestone_steps.all().delete()
        for step, name in milestone_steps:
            MilestoneStep.objects.create(indicator=indicator, value=step, name=name)
        after_steps = [f"{step}={name}" for step, name in milestone_steps]
        if after_steps != before_steps:
            changes["milestone_steps"] = {"before": before_steps, "after": after_steps}
    if changes:
        record_event(
            indicator,
            "indicator.created" if is_new else "indicator.updated",
            by=by,
            changes=changes,
            institution=indicator.responsible_institution,
        )
    return indicator


@transaction.atomic
def update_monitoring_thresholds(*, by: User | None, policy: Policy, **fields: Any) -> Policy:
    """Set the policy's status thresholds (docs/aggregation.md): en ruta, en riesgo, tolerance."""
    if by is not None:
        require(by, "policy.change_thresholds", policy)
    before = snapshot(policy, list(THRESHOLD_FIELDS))
    _set_fields(policy, fields, THRESHOLD_FIELDS)
    _save(policy, by)
    changes = diff(before, snapshot(policy, list(THRESHOLD_FIELDS)))
    if changes:
        record_event(policy, "policy.thresholds_updated", by=by, changes=changes)
    return policy
