"""API of the results framework: read for everyone signed in, writes for DEPM through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sime.core.api_errors import call_service
from sime.core.api_query import id_param, query_params
from sime.policy import services
from sime.policy.models import CausalLink, Indicator, IndicatorTarget, Policy, PolicyNode
from sime.policy.selectors import TreeNode, policy_tree

READ = "policy.view_framework"
WRITE = "policy.change_framework"


class PolicySerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "code",
            "name",
            "legal_basis",
            "issued_on",
            "start_year",
            "end_year",
            "general_objective",
            "status",
            "is_illustrative",
            "levels",
        ]

    def get_levels(self, policy: Policy) -> list[dict[str, Any]]:
        return [
            {"depth": lv.depth, "name": lv.name, "is_action_level": lv.is_action_level} for lv in policy.levels.all()
        ]


class ActionSerializer(serializers.Serializer):
    lead_institution = serializers.CharField(source="lead_institution.acronym")
    co_responsible = serializers.SerializerMethodField()
    target_populations = serializers.SerializerMethodField()
    horizon = serializers.CharField()
    start_year = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)
    expected_product = serializers.CharField()
    estimated_budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)

    def get_co_responsible(self, action: Any) -> list[str]:
        items = getattr(action, "co_responsible_list", None)  # prefetched by the tree selector
        return [i.acronym for i in (action.co_responsible.all() if items is None else items)]

    def get_target_populations(self, action: Any) -> list[str]:
        items = getattr(action, "target_population_list", None)
        return [p.code for p in (action.target_populations.all() if items is None else items)]


class NodeSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code", read_only=True)
    level = serializers.IntegerField(source="level.depth", read_only=True)
    level_name = serializers.CharField(source="level.name", read_only=True)
    # allow_null, not default=None: a default is skipped on a partial update, so a PATCH of a top node
    # answered without `parent_code`.
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    action = serializers.SerializerMethodField()

    class Meta:
        model = PolicyNode
        fields = [
            "id",
            "policy",
            "code",
            "title",
            "description",
            "order",
            "level",
            "level_name",
            "parent_code",
            "is_illustrative",
            "action",
        ]
        read_only_fields = ["code"]

    @extend_schema(responses=ActionSerializer)
    def get_action(self, node: PolicyNode) -> dict[str, Any] | None:
        action_ = getattr(node, "action", None)
        return ActionSerializer(action_).data if action_ else None  # type: ignore[return-value]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code", read_only=True)
    node = serializers.CharField(source="node.code", read_only=True)
    responsible_institution = serializers.CharField(source="responsible_institution.acronym", read_only=True)
    dimensions = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True
    )
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "policy", *Indicator.SHEET_FIELDS, "dimensions", "targets"]
        read_only_fields = ["code"]


class CausalLinkSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code", read_only=True)
    source_code = serializers.CharField(source="source.code", read_only=True)
    target_code = serializers.CharField(source="target.code", read_only=True)

    class Meta:
        model = CausalLink
        fields = ["id", "policy", "source", "target", "source_code", "target_code", "evidence_note"]


class TreeNodeSerializer(serializers.Serializer):
    """A node of the policy tree, with its children (the shape of the dicts `PolicyViewSet.tree` builds)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    level = serializers.IntegerField()
    indicator_count = serializers.IntegerField()
    lead_institution = serializers.CharField(allow_null=True, help_text="Siglas de la institución responsable.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # Recursive: the schema's component refers to itself.
        fields["children"] = TreeNodeSerializer(many=True, help_text="Nodos hijos, de la misma forma.")
        return fields


class TreeQuery(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=200, help_text="Texto en el código o el título.")
    institution = id_param("Id de una institución: solo las ramas con sus líneas de acción.")


class NodeQuery(serializers.Serializer):
    policy = serializers.CharField(required=False, max_length=30, help_text="Código de la política.")
    level = serializers.IntegerField(required=False, min_value=1, max_value=32767, help_text="Profundidad del nivel.")
    institution = id_param("Id de una institución, responsable o corresponsable.")


class PolicyViewSet(viewsets.ReadOnlyModelViewSet):
    """Policies; `tree` returns the nested tree of a policy (with the same filters as the page)."""

    permission_map = {"list": READ, "retrieve": READ, "tree": READ}
    lookup_field = "code"
    serializer_class = PolicySerializer
    queryset = Policy.objects.prefetch_related("levels").order_by("-start_year", "code")

    @extend_schema(parameters=[TreeQuery], responses={200: TreeNodeSerializer(many=True)})
    @action(detail=True, pagination_class=None, filter_backends=[])  # the whole tree, narrowed by TreeQuery only
    def tree(self, request: Request, code: str, format: str | None = None) -> Response:
        policy = self.get_object()
        params = query_params(request, TreeQuery)
        tree = policy_tree(policy, text=params.get("search", ""), institution_id=params.get("institution"))

        def shape(item: TreeNode) -> dict[str, Any]:
            node = item.node
            return {
                "id": node.pk,
                "code": node.code,
                "title": node.title,
                "level": node.level.depth,
                "indicator_count": node.indicator_count,  # type: ignore[attr-defined]
                "lead_institution": item.action.lead_institution.acronym if item.action else None,
                "children": [shape(child) for child in item.children],
            }

        return Response([shape(item) for item in tree])


@extend_schema_view(list=extend_schema(parameters=[NodeQuery]))
class NodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Flat list of nodes, filterable by policy code, level depth and institution (lead or co-responsible)."""

    permission_map = {"list": READ, "retrieve": READ, "update": WRITE, "partial_update": WRITE}
    serializer_class = NodeSerializer
    search_fields = ["search_text"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        nodes = (
            PolicyNode.objects.select_related("policy", "level", "parent", "action__lead_institution")
            .prefetch_related("action__co_responsible", "action__target_populations")
            .order_by("policy", "order", "code")
        )
        params = query_params(self.request, NodeQuery)
        if params.get("policy"):
            nodes = nodes.filter(policy__code=params["policy"])
        if params.get("level") is not None:
            nodes = nodes.filter(level__depth=params["level"])
        if params.get("institution") is not None:
            institution = params["institution"]
            nodes = nodes.filter(
                Q(action__lead_institution_id=institution) | Q(action__co_responsible=institution)
            ).distinct()
        return nodes

    def perform_update(self, serializer: Any) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k in services.NODE_FIELDS}
        serializer.instance = call_service(
            services.update_node, by=self.request.user, node=serializer.instance, **fields
        )


class IndicatorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Indicators with their targets; filter by policy code, node id or responsible institution id."""

    permission_map = {"list": READ, "retrieve": READ, "update": WRITE, "partial_update": WRITE}
    serializer_class = IndicatorSerializer
    filterset_fields = ["node", "responsible_institution", "level", "frequency"]
    search_fields = ["code", "name"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        indicators = (
            Indicator.objects.select_related("policy", "node", "responsible_institution")
            .prefetch_related("dimensions", "targets")
            .order_by("policy", "code")
        )
        if self.request.query_params.get("policy"):
            indicators = indicators.filter(policy__code=self.request.query_params["policy"])
        return indicators

    def perform_update(self, serializer: Any) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k in services.INDICATOR_FIELDS}
        serializer.instance = call_service(
            services.save_indicator, by=self.request.user, indicator=serializer.instance, **fields
        )


class CausalLinkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The causal network's edges. Creating one that would close a cycle answers 400 naming the cycle."""

    permission_map = {"list": READ, "retrieve": READ, "create": WRITE, "destroy": WRITE}
    serializer_class = CausalLinkSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        links = CausalLink.objects.select_related("policy", "source", "target").order_by("policy", "pk")
        if self.request.query_params.get("policy"):
            links = links.filter(policy__code=self.request.query_params["policy"])
        return links

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = call_service(
            services.add_causal_link,
            by=self.request.user,
            source=data["source"],
            target=data["target"],
            evidence_note=data.get("evidence_note", ""),
        )

    def perform_destroy(self, instance: CausalLink) -> None:
        services.remove_causal_link(by=self.request.user, link=instance)  # type: ignore[arg-type]
