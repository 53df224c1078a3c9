"""Builders for small and large policy trees in tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sime.institutions.models import Institution
from sime.policy.models import (
    Action,
    CausalLink,
    Indicator,
    Policy,
    PolicyLevel,
    PolicyNode,
)

LEVEL_NAMES = ["Eje temático", "Objetivo específico", "Línea estratégica", "Línea de acción"]


def make_policy(
    code: str = "PM-T", *, start_year: int = 2023, end_year: int = 2032
) -> tuple[Policy, list[PolicyLevel]]:
    policy = Policy.objects.create(code=code, name=f"Política {code}", start_year=start_year, end_year=end_year)
    levels = [
        PolicyLevel.objects.create(
            policy=policy, depth=depth, name=name, name_plural=name + "s", is_action_level=depth == len(LEVEL_NAMES)
        )
        for depth, name in enumerate(LEVEL_NAMES, start=1)
    ]
    return policy, levels


def make_node(
    policy: Policy, level: PolicyLevel, code: str, parent: PolicyNode | None = None, **extra: Any
) -> PolicyNode:
    node = PolicyNode(
        policy=policy,
        level=level,
        parent=parent,
        code=code,
        title=extra.pop("title", f"Nodo {code}"),
        order=extra.pop("order", 0),
        **extra,
    )
    node.full_clean()
    node.save()
    return node


def make_tree(
    policy: Policy,
    levels: list[PolicyLevel],
    *,
    counts: list[int],
    lead: Institution,
    co: list[Institution] | None = None,
) -> list[PolicyNode]:
    """A full tree: counts[0] roots, counts[d] children per node at depth d; leaves get actions.
    Built level by level with bulk_create, so thousands of nodes take seconds."""
    from sime.core.text import search_key

    created: list[PolicyNode] = []
    parents: list[PolicyNode | None] = [None]
    order = 0
    for depth, count in enumerate(counts):
        batch = []
        for parent in parents:
            for index in range(1, count + 1):
                order += 1
                code = f"{parent.code}.{index}" if parent else str(index)
                batch.append(
                    PolicyNode(
                        policy=policy,
                        level=levels[depth],
                        parent=parent,
                        code=code,
                        title=f"Nodo {code}",
                        order=order,
                        search_text=search_key(f"{code} Nodo {code}"),
                    )
                )
        parents = list(PolicyNode.objects.bulk_create(batch))
        created += parents
    actions = Action.objects.bulk_create(
        Action(node=node, lead_institution=lead, estimated_budget=Decimal("1000.00")) for node in parents
    )
    if co:
        through = Action.co_responsible.through
        through.objects.bulk_create(
            through(action_id=action.pk, institution_id=institution.pk) for action in actions for institution in co
        )
    return created


def make_indicator(node: PolicyNode, code: str, institution: Institution, **extra: Any) -> Indicator:
    fields: dict[str, Any] = {
        "policy": node.policy,
        "node": node,
        "code": code,
        "name": f"Indicador {code}",
        "level": "output",
        "unit": "personas",
        "measure_type": "count",
        "direction": "increase",
        "frequency": "annual",
        "responsible_institution": institution,
    }
    fields.update(extra)
    indicator = Indicator(**fields)
    indicator.full_clean()
    indicator.save()
    return indicator


def link(source: PolicyNode, target: PolicyNode) -> CausalLink:
    return CausalLink.objects.create(policy=source.policy, source=source, target=target)
