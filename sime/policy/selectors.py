"""Read shapes of the results framework. Each page costs a fixed number of queries,
whatever the number of nodes: the tree is fetched flat and assembled in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sime.core.text import search_key
from sime.institutions.models import Institution
from sime.policy.models import (
    Action,
    CausalLink,
    Indicator,
    Policy,
    PolicyLevel,
    PolicyNode,
)


@dataclass
class TreeNode:
    node: PolicyNode
    children: list[TreeNode] = field(default_factory=list)
    is_match: bool = True

    @property
    def action(self) -> Action | None:
        return getattr(self.node, "action", None)


def _flat_nodes(policy: Policy) -> list[PolicyNode]:
    return list(
        PolicyNode.objects.filter(policy=policy)
        .select_related("level", "action__lead_institution")
        # Lists (to_attr), not managers: `.all()` on a prefetched manager still builds a queryset per
        # action, a third of the tree's time at 2,000 nodes.
        .prefetch_related(
            Prefetch(
                "action__co_responsible",
                queryset=Institution.objects.order_by("acronym"),
                to_attr="co_responsible_list",
            ),
            Prefetch("action__target_populations", to_attr="target_population_list"),
        )
        .annotate(indicator_count=Count("indicators"))
        .order_by("level__depth", "order", "code")
    )


def _matches(node: PolicyNode, text: str, institution_id: int | None, population_id: int | None) -> bool:
    if text and text not in node.search_text:
        return False
    if institution_id or population_id:
        action = getattr(node, "action", None)
        if action is None:
            return False
        if (
            institution_id
            and institution_id != action.lead_institution_id
            and not any(inst.pk == institution_id for inst in action.co_responsible_list)
        ):
            return False
        if population_id and not any(pop.pk == population_id for pop in action.target_population_list):
            return False
    return True


def policy_tree(
    policy: Policy,
    *,
    text: str = "",
    institution_id: int | None = None,
    population_id: int | None = None,
    axis_id: int | None = None,
) -> list[TreeNode]:
    """The policy's nodes as a forest. With filters, the matching nodes and their ancestors."""
    nodes = _flat_nodes(policy)
    by_id = {node.pk: TreeNode(node) for node in nodes}
    roots: list[TreeNode] = []
    for node in nodes:  # ordered by depth: parents come first
        item = by_id[node.pk]
        if node.parent_id is None:
            roots.append(item)
        elif node.parent_id in by_id:
            by_id[node.parent_id].children.append(item)
    key = search_key(text.strip())
    if axis_id:
        roots = [root for root in roots if root.node.pk == axis_id]
    if not (key or institution_id or population_id):
        return roots

    def prune(item: TreeNode) -> bool:
        item.is_match = _matches(item.node, key, institution_id, population_id)
        item.children = [child for child in item.children if prune(child)]
        return item.is_match or bool(item.children)

    return [root for root in roots if prune(root)]


def count_tree(items: list[TreeNode]) -> int:
    return sum(1 + count_tree(item.children) for item in items)


def _levels_with_counts() -> Prefetch:
    # Meta.ordering is not applied to GROUP BY queries: order by depth explicitly.
    return Prefetch("levels", queryset=PolicyLevel.objects.annotate(node_count=Count("nodes")).order_by("depth"))


def policies() -> QuerySet[Policy]:
    """Policies with their levels, each annotated with its node count (the list says "4 ejes temáticos · …")."""
    return (
        Policy.objects.annotate(node_count=Count("nodes", distinct=True))
        .prefetch_related(_levels_with_counts())
        .order_by("-start_year", "code")
    )


def policy_detail_queryset() -> QuerySet[Policy]:
    return Policy.objects.prefetch_related("principles", _levels_with_counts())


def node_detail_queryset() -> QuerySet[PolicyNode]:
    return PolicyNode.objects.select_related(
        "policy", "level", "parent__level", "action__lead_institution"
    ).prefetch_related(
        "action__co_responsible",
        "action__target_populations",
        "gcm_objectives",
        "sdg_targets",
        "katun_priorities",
        Prefetch("children", queryset=PolicyNode.objects.select_related("level").order_by("order", "code")),
        Prefetch("indicators", queryset=Indicator.objects.select_related("responsible_institution")),
        Prefetch("contributes_to", queryset=CausalLink.objects.select_related("target__level")),
        Prefetch("contributions", queryset=CausalLink.objects.select_related("source__level")),
    )


def indicator_sheet_queryset() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("policy", "node__level", "responsible_institution").prefetch_related(
        "targets", "milestone_steps", "dimensions__categories"
    )


def causal_network(policy: Policy) -> dict[str, Any]:
    """Nodes and links for the graph and its table (two queries)."""
    nodes = list(PolicyNode.objects.filter(policy=policy).select_related("level").order_by("level__depth", "order"))
    links = list(
        CausalLink.objects.filter(policy=policy)
        .select_related("source__level", "target__level")
        .order_by("source__order", "target__order")
    )
    return {"nodes": nodes, "links": links}


def commitments(institution: Institution) -> dict[str, Any]:
    """Actions where the institution leads or co-leads, and the indicators it answers for."""
    actions = list(
        Action.objects.filter(Q(lead_institution=institution) | Q(co_responsible=institution))
        .distinct()
        .select_related("node__policy", "node__parent", "lead_institution")
        .prefetch_related(
            Prefetch("co_responsible", queryset=Institution.objects.order_by("acronym"), to_attr="co_responsible_list")
        )
        .order_by("node__policy", "node__order", "node__code")
    )
    indicators = list(
        Indicator.objects.filter(responsible_institution=institution)
        .select_related("node", "policy")
        .prefetch_related("targets")
        .order_by("policy", "code")
    )
    return {"actions": actions, "indicators": indicators}
