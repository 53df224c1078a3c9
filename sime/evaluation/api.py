"""Evaluation API: evaluations, recommendations, management responses and improvement actions.

Serializers do input and output only; every write goes through `sime.evaluation.services` (the
same permission checks, validation, audit and timeline as the pages). Responses and actions are
looked up in the user's scope first, so another institution's is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from sime.core.api_errors import call_service
from sime.core.api_query import id_param, query_params
from sime.core.numbers import MAX_ID
from sime.evaluation import selectors, services
from sime.evaluation.models import Evaluation, ImprovementAction, Recommendation, Response
from sime.evaluation.workflow import ActionStatus, Decision, EvaluationStatus
from sime.policy.models import Policy

if TYPE_CHECKING:
    from sime.accounts.models import User

CONFLICT_MESSAGE = "Alguien guardó cambios mientras tanto: vuelva a cargar y revise la versión actual."


def _user(request: Request) -> User:
    """The signed-in user (RulePermission has already refused anonymous requests)."""
    return cast("User", request.user)


def _conflict(conflict: services.EditConflict) -> ApiResponse:
    return ApiResponse(
        {"detail": CONFLICT_MESSAGE, "version": conflict.current.version}, status=status.HTTP_409_CONFLICT
    )


# --- Evaluations ---------------------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    policy = serializers.SlugRelatedField(slug_field="code", queryset=Policy.objects.all())
    node_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, write_only=True
    )
    indicator_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, write_only=True
    )
    project_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, write_only=True
    )
    nodes: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    projects: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "policy",
            "code",
            *services.EVALUATION_FIELDS,
            "status",
            "concluded_at",
            "published_at",
            "nodes",
            "indicators",
            "projects",
            "node_ids",
            "indicator_ids",
            "project_ids",
        ]
        read_only_fields = ["code", "status", "concluded_at", "published_at"]


class StatusChangeSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=EvaluationStatus.choices)


def _scope_ids(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    names = ("node_ids", "indicator_ids", "project_ids")
    ids: dict[str, Any] = {name: data.pop(name) for name in names if name in data}
    if not partial:
        for name in ("node_ids", "indicator_ids", "project_ids"):
            ids.setdefault(name, [])
    return ids


class EvaluationQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999, help_text="Año del plan.")
    status = serializers.CharField(required=False, max_length=20, help_text="Estado de la evaluación.")


@extend_schema_view(list=extend_schema(parameters=[EvaluationQuery]))
class EvaluationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_map = {
        "list": "evaluation.view_evaluations",
        "retrieve": "evaluation.view_evaluations",
        "create": "evaluation.manage_evaluations",
        "update": "evaluation.manage_evaluations",
        "partial_update": "evaluation.manage_evaluations",
        "change_status": "evaluation.manage_evaluations",
    }
    serializer_class = EvaluationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = Evaluation.objects.select_related("policy").prefetch_related("nodes", "indicators", "projects")
        params = query_params(self.request, EvaluationQuery)
        if params.get("year") is not None:
            rows = rows.filter(plan_year=params["year"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows.order_by("-plan_year", "planned_start", "code")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        policy = data.pop("policy")
        ids = _scope_ids(data, partial=False)
        serializer.instance = call_service(
            services.create_evaluation, by=self.request.user, policy=policy, values=data, **ids
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("policy", None)  # an evaluation stays with its policy
        ids = _scope_ids(data, partial=serializer.partial)
        serializer.instance = call_service(
            services.update_evaluation,
            by=self.request.user,
            evaluation=serializer.instance,
            values=data,
            node_ids=ids.get("node_ids"),
            indicator_ids=ids.get("indicator_ids"),
            project_ids=ids.get("project_ids"),
        )

    @extend_schema(request=StatusChangeSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        evaluation = self.get_object()
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.change_evaluation_status, by=request.user, evaluation=evaluation, to=data.validated_data["to"]
        )
        return ApiResponse(EvaluationSerializer(self.get_queryset().get(pk=evaluation.pk)).data)


# --- Recommendations -----------------------------------------------------------------------------


class RecommendationSerializer(serializers.ModelSerializer):
    evaluation = serializers.PrimaryKeyRelatedField(queryset=Evaluation.objects.all())
    institution_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), write_only=True
    )
    node_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, write_only=True
    )
    finding_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, write_only=True
    )
    institutions = serializers.SerializerMethodField()
    nodes: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    findings: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    follow_up_status = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "evaluation",
            "number",
            "text",
            "priority",
            "scope",
            "institutions",
            "nodes",
            "findings",
            "follow_up_status",
            "closed_at",
            "institution_ids",
            "node_ids",
            "finding_ids",
        ]
        read_only_fields = ["number", "closed_at"]

    def get_institutions(self, recommendation: Recommendation) -> list[dict[str, Any]]:
        return [
            {"id": r.institution_id, "acronym": r.institution.acronym, "response": r.pk, "status": r.status}
            for r in recommendation.responses.all()
        ]

    def get_follow_up_status(self, recommendation: Recommendation) -> str:
        return selectors.recommendation_status(recommendation, list(recommendation.responses.all()))


class RecommendationQuery(serializers.Serializer):
    evaluation = id_param("Id de la evaluación.")


@extend_schema_view(list=extend_schema(parameters=[RecommendationQuery]))
class RecommendationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_map = {
        "list": "evaluation.view_evaluations",
        "retrieve": "evaluation.view_evaluations",
        "create": "evaluation.manage_evaluations",
        "update": "evaluation.manage_evaluations",
        "partial_update": "evaluation.manage_evaluations",
    }
    serializer_class = RecommendationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = Recommendation.objects.select_related("evaluation__policy").prefetch_related(
            "responses__institution", "nodes", "findings"
        )
        params = query_params(self.request, RecommendationQuery)
        if params.get("evaluation") is not None:
            rows = rows.filter(evaluation_id=params["evaluation"])
        return rows.order_by("evaluation__code", "number")

    def _save(self, serializer: Any, recommendation: Recommendation | None) -> None:
        data = serializer.validated_data
        current = recommendation
        saved = call_service(
            services.save_recommendation,
            by=self.request.user,
            evaluation=data.get("evaluation", current.evaluation if current else None),
            text=data.get("text", current.text if current else ""),
            priority=data.get("priority", current.priority if current else "medium"),
            scope=data.get("scope", current.scope if current else ""),
            institution_ids=data.get(
                "institution_ids", [r.institution_id for r in current.responses.all()] if current else []
            ),
            node_ids=data.get("node_ids", [n.pk for n in current.nodes.all()] if current else []),
            finding_ids=data.get("finding_ids", [f.pk for f in current.findings.all()] if current else []),
            recommendation=recommendation,
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)


# --- Management responses ------------------------------------------------------------------------


class ResponseSerializer(serializers.ModelSerializer):
    evaluation = serializers.IntegerField(source="recommendation.evaluation_id", read_only=True)
    recommendation_number = serializers.IntegerField(source="recommendation.number", read_only=True)
    recommendation_text = serializers.CharField(source="recommendation.text", read_only=True)
    institution_acronym = serializers.CharField(source="institution.acronym", read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "evaluation",
            "recommendation",
            "recommendation_number",
            "recommendation_text",
            "institution",
            "institution_acronym",
            "status",
            "decision",
            "justification",
            "technical_signed_at",
            "planning_signed_at",
            "sent_at",
            "validated_at",
            "version",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)


class ResponseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ResponseCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ResponseReturnSerializer(serializers.Serializer):
    general_comment = serializers.CharField(required=False, allow_blank=True, default="")
    action_comments = serializers.DictField(child=serializers.CharField(), required=False, default=dict)


class ResponseQuery(serializers.Serializer):
    evaluation = id_param("Id de la evaluación.")
    status = serializers.CharField(required=False, max_length=20, help_text="Estado de la respuesta.")


@extend_schema_view(list=extend_schema(parameters=[ResponseQuery]))
class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_map = {
        "list": "evaluation.list_responses",
        "retrieve": "evaluation.view_response",
        "answer": "evaluation.fill_response",
        "submit": "evaluation.submit_response",
        "sign_off": "evaluation.sign_off_response",
        "send_back": "evaluation.send_back_response",
        "validate": "evaluation.validate_response",
        "return_": "evaluation.validate_response",
    }
    object_rules = True
    serializer_class = ResponseSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = selectors.responses_in_scope(_user(self.request)).select_related("recommendation", "institution")
        params = query_params(self.request, ResponseQuery)
        if params.get("evaluation") is not None:
            rows = rows.filter(recommendation__evaluation_id=params["evaluation"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows.order_by("recommendation__evaluation__code", "recommendation__number", "institution__acronym")

    def _fresh(self, response: Response) -> ApiResponse:
        return ApiResponse(ResponseSerializer(self.get_queryset().get(pk=response.pk)).data)

    def _step(self, service: Any, **kwargs: Any) -> ApiResponse:
        response = self.get_object()
        call_service(service, by=self.request.user, response=response, **kwargs)
        return self._fresh(response)

    @extend_schema(request=AnswerSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        response = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            call_service(services.save_answer, by=request.user, response=response, **data.validated_data)
        except services.EditConflict as conflict:
            return _conflict(conflict)
        return self._fresh(response)

    @extend_schema(request=None, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        return self._step(services.submit_response)

    @extend_schema(request=None, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="sign-off")
    def sign_off(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        return self._step(services.sign_off_response)

    @extend_schema(request=ResponseReasonSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        data = ResponseReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(services.send_back_response, reason=data.validated_data["reason"])

    @extend_schema(request=ResponseCommentSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        data = ResponseCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(services.validate_response, comment=data.validated_data["comment"])

    @extend_schema(request=ResponseReturnSerializer, responses={200: ResponseSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        data = ResponseReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comments = {int(key): text for key, text in data.validated_data["action_comments"].items()}
        except ValueError as error:
            raise serializers.ValidationError({"action_comments": "Las claves son ids de acciones."}) from error
        return self._step(
            services.return_response, general_comment=data.validated_data["general_comment"], action_comments=comments
        )


# --- Improvement actions -------------------------------------------------------------------------


class ImprovementActionSerializer(serializers.ModelSerializer):
    response = serializers.PrimaryKeyRelatedField(queryset=Response.objects.all())
    shown_status = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "response",
            "number",
            *services.ACTION_FIELDS,
            "status",
            "shown_status",
            "is_overdue",
            "percent",
            "status_reason",
            "progress_note",
            "closure",
            "version",
        ]
        read_only_fields = [
            "number",
            "status",
            "percent",
            "status_reason",
            "progress_note",
            "closure",
            "version",
        ]

    def get_shown_status(self, action: ImprovementAction) -> str:
        return action.shown_status()

    def get_is_overdue(self, action: ImprovementAction) -> bool:
        return action.is_overdue()


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    status_reason = serializers.CharField(required=False, allow_blank=True)
    progress_note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)


class ClosureResponseReturnSerializer(serializers.Serializer):
    comment = serializers.CharField()


class ImprovementActionQuery(serializers.Serializer):
    response = id_param("Id de la respuesta de gerencia.")
    overdue = serializers.BooleanField(required=False, help_text="Solo las vencidas (true) o solo las no vencidas.")


@extend_schema_view(list=extend_schema(parameters=[ImprovementActionQuery]))
class ImprovementActionViewSet(viewsets.ModelViewSet):
    """The rules are judged on the action's response (its institution): see `check_object_permissions`."""

    permission_map = {
        "list": "evaluation.list_responses",
        "retrieve": "evaluation.view_response",
        "create": "evaluation.fill_response",
        "update": "evaluation.fill_response",
        "partial_update": "evaluation.fill_response",
        "destroy": "evaluation.fill_response",
        "progress": "evaluation.report_progress",
        "validate_closure": "evaluation.validate_closure",
        "return_closure": "evaluation.validate_closure",
    }
    rules_on_parent = True
    serializer_class = ImprovementActionSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = ImprovementAction.objects.filter(
            response__in=selectors.responses_in_scope(_user(self.request))
        ).select_related("response__institution", "response__recommendation__evaluation")
        params = query_params(self.request, ImprovementActionQuery)
        if params.get("response") is not None:
            rows = rows.filter(response_id=params["response"])
        if params.get("overdue") is not None:
            overdue = selectors.overdue_q(timezone.localdate())
            rows = rows.filter(overdue) if params["overdue"] else rows.exclude(overdue)
        return rows.order_by("response__recommendation__evaluation__code", "response_id", "number")

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        super().check_object_permissions(request, obj.response if isinstance(obj, ImprovementAction) else obj)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        if not request.user.has_perm("evaluation.list_responses"):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def _response_for(self, response: Response) -> Response:
        found = get_object_or_404(selectors.responses_in_scope(_user(self.request)), pk=response.pk)
        self.check_object_permissions(self.request, found)
        return found

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        response = self._response_for(data.pop("response"))
        serializer.instance = call_service(
            services.save_plan_action, by=self.request.user, response=response, values=data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("response", None)  # an action stays in its plan
        action_ = serializer.instance
        serializer.instance = call_service(
            services.save_plan_action, by=self.request.user, response=action_.response, values=data, action=action_
        )

    def perform_destroy(self, instance: ImprovementAction) -> None:
        call_service(services.remove_plan_action, by=self.request.user, action=instance)

    def _fresh(self, action_: ImprovementAction) -> ApiResponse:
        return ApiResponse(ImprovementActionSerializer(self.get_queryset().get(pk=action_.pk)).data)

    @extend_schema(request=ProgressSerializer, responses={200: ImprovementActionSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        action_ = self.get_object()
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        try:
            call_service(services.report_progress, by=request.user, action=action_, values=values, version=version)
        except services.EditConflict as conflict:
            return _conflict(conflict)
        return self._fresh(action_)

    @extend_schema(request=None, responses={200: ImprovementActionSerializer})
    @action(detail=True, methods=["post"], url_path="validate-closure", url_name="validate-closure")
    def validate_closure(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        action_ = self.get_object()
        call_service(services.validate_closure, by=request.user, action=action_)
        return self._fresh(action_)

    @extend_schema(request=ClosureResponseReturnSerializer, responses={200: ImprovementActionSerializer})
    @action(detail=True, methods=["post"], url_path="return-closure", url_name="return-closure")
    def return_closure(self, request: Request, pk: str, format: str | None = None) -> ApiResponse:
        action_ = self.get_object()
        data = ClosureResponseReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(services.return_closure, by=request.user, action=action_, comment=data.validated_data["comment"])
        return self._fresh(action_)
