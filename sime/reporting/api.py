"""Reporting API: periods, instruments (submissions), item values, workflow steps, Excel round-trip.

The same services as the pages: the same validation, the same workflow rules, the same audit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sime.core.api_errors import call_service
from sime.core.api_query import id_param, query_params
from sime.core.numbers import MAX_ID
from sime.policy.models import Policy
from sime.reporting import instrument_excel, selectors, services
from sime.reporting.models import ActionProgress, IndicatorValue, ReportingPeriod, Submission
from sime.reporting.periods import PeriodKind


class PeriodSerializer(serializers.ModelSerializer):
    policy = serializers.SlugRelatedField(slug_field="code", queryset=Policy.objects.all())

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "policy",
            "code",
            "name",
            "kind",
            "year",
            "number",
            "starts_on",
            "ends_on",
            "opens_on",
            "closes_on",
            "status",
        ]
        read_only_fields = ["code", "name", "starts_on", "ends_on", "status"]
        # As the page's form: `create_period` needs a number (the model's default of 1 made it optional here).
        extra_kwargs = {
            "number": {"required": True, "min_value": 1, "max_value": 12},
            "year": {"min_value": 2000, "max_value": 2100},
        }


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_map = {
        "list": "reporting.view_periods",
        "retrieve": "reporting.view_periods",
        "create": "reporting.manage_periods",
        "open": "reporting.manage_periods",
        "close": "reporting.manage_periods",
    }
    serializer_class = PeriodSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return ReportingPeriod.objects.select_related("policy").order_by("-starts_on", "code")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        if data["kind"] not in PeriodKind.values:
            raise serializers.ValidationError({"kind": "Tipo de periodo no válido."})
        serializer.instance = call_service(services.create_period, by=self.request.user, **data)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str, format: str | None = None) -> Response:
        period = self.get_object()
        call_service(services.open_period, by=request.user, period=period)
        return Response(PeriodSerializer(ReportingPeriod.objects.get(pk=period.pk)).data)

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str, format: str | None = None) -> Response:
        period = self.get_object()
        call_service(services.close_period, by=request.user, period=period)
        return Response(PeriodSerializer(ReportingPeriod.objects.get(pk=period.pk)).data)


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)


class ActionItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(source="action.node.title", read_only=True)
    progress_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    budget_allocated = _money()
    budget_executed = _money()
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)

    class Meta:
        model = ActionProgress
        fields = ["id", "code", "title", *ActionProgress.VALUE_FIELDS, "is_complete", "version"]
        read_only_fields = ["is_complete"]
        extra_kwargs = {name: {"required": False} for name in ActionProgress.VALUE_FIELDS}


class IndicatorItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    measure_type = serializers.CharField(source="indicator.measure_type", read_only=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    numerator = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    denominator = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)

    class Meta:
        model = IndicatorValue
        fields = ["id", "code", "name", "measure_type", *IndicatorValue.VALUE_FIELDS, "is_complete", "version"]
        read_only_fields = ["is_complete"]
        extra_kwargs = {name: {"required": False} for name in IndicatorValue.VALUE_FIELDS}


class SubmissionSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.code", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    percent_complete = serializers.IntegerField(read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "period",
            "institution",
            "institution_name",
            "status",
            "total_items",
            "completed_items",
            "percent_complete",
            "is_late",
            "technical_signed_at",
            "planning_signed_at",
            "first_sent_at",
            "sent_at",
            "approved_at",
            "last_activity_at",
        ]
        read_only_fields = fields


class SubmissionDetailSerializer(SubmissionSerializer):
    actions = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "actions", "indicators"]
        read_only_fields = fields

    def get_actions(self, submission: Submission) -> list[dict[str, Any]]:
        items = ActionProgress.objects.filter(submission=submission).select_related("action__node").order_by("position")
        return list(ActionItemSerializer(items, many=True).data)

    def get_indicators(self, submission: Submission) -> list[dict[str, Any]]:
        items = IndicatorValue.objects.filter(submission=submission).select_related("indicator").order_by("position")
        return list(IndicatorItemSerializer(items, many=True).data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReturnSerializer(serializers.Serializer):
    general_comment = serializers.CharField(required=False, allow_blank=True, default="")
    action_comments = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    indicator_comments = serializers.DictField(child=serializers.CharField(), required=False, default=dict)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _int_keys(data: dict[str, str], field: str) -> dict[int, str]:
    try:
        return {int(key): value for key, value in data.items()}
    except ValueError as error:
        raise serializers.ValidationError({field: "Las claves son ids de ítems."}) from error


class SubmissionQuery(serializers.Serializer):
    period = serializers.CharField(required=False, max_length=12, help_text="Código del periodo, p. ej. 2025-C1")
    institution = id_param("Id de la institución.")
    status = serializers.CharField(required=False, max_length=20, help_text="Estado del instrumento.")


@extend_schema_view(list=extend_schema(parameters=[SubmissionQuery]))
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_map = {
        "list": "reporting.view_submissions",
        "retrieve": "reporting.view_submission",
        "sign_technical": "reporting.sign_technical",
        "sign_planning": "reporting.sign_planning",
        "send": "reporting.send_submission",
        "start_review": "reporting.review_submission",
        "approve": "reporting.review_submission",
        "return_": "reporting.review_submission",
        "reopen": "reporting.reopen_submission",
    }
    object_rules = True

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return SubmissionDetailSerializer if self.action == "retrieve" else SubmissionSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = selectors.submissions_visible_to(self.request.user).order_by("-period__starts_on", "institution__name")
        params = query_params(self.request, SubmissionQuery)
        if params.get("period"):
            rows = rows.filter(period__code=params["period"])
        if params.get("institution") is not None:
            rows = rows.filter(institution_id=params["institution"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows

    def _step(self, service: Any, **kwargs: Any) -> Response:
        submission = self.get_object()
        call_service(service, by=self.request.user, submission=submission, **kwargs)
        return Response(SubmissionSerializer(Submission.objects.get(pk=submission.pk)).data)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="sign-technical")
    def sign_technical(self, request: Request, pk: str, format: str | None = None) -> Response:
        return self._step(services.sign_technical)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="sign-planning")
    def sign_planning(self, request: Request, pk: str, format: str | None = None) -> Response:
        return self._step(services.sign_planning)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str, format: str | None = None) -> Response:
        return self._step(services.send_submission)

    @extend_schema(request=None, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request: Request, pk: str, format: str | None = None) -> Response:
        return self._step(services.start_review)

    @extend_schema(request=CommentSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str, format: str | None = None) -> Response:
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(services.approve_submission, comment=data.validated_data["comment"])

    @extend_schema(request=ReturnSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str, format: str | None = None) -> Response:
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._step(
            services.return_submission,
            general_comment=values["general_comment"],
            action_comments=_int_keys(values["action_comments"], "action_comments"),
            indicator_comments=_int_keys(values["indicator_comments"], "indicator_comments"),
        )

    @extend_schema(request=ReasonSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str, format: str | None = None) -> Response:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(services.reopen_submission, reason=data.validated_data["reason"])


def _submission_for(request: Request, view: APIView, pk: int) -> Submission:
    submission = get_object_or_404(selectors.submissions_visible_to(request.user), pk=pk)
    view.check_object_permissions(request, submission)
    return submission


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


class _ItemView(APIView):
    """PATCH one item's values; `version` is the one read (a newer save → 409 with what changed)."""

    permission_map = {"get": "reporting.view_submission", "patch": "reporting.fill_submission"}
    rules_on_parent = True
    model: Any = ActionProgress
    serializer_class: Any = ActionItemSerializer

    def get(self, request: Request, pk: int, item_pk: int) -> Response:
        submission = _submission_for(request, self, pk)
        item = get_object_or_404(self.model, pk=item_pk, submission=submission)
        return Response(self.serializer_class(item).data)

    def patch(self, request: Request, pk: int, item_pk: int) -> Response:
        submission = _submission_for(request, self, pk)
        item = get_object_or_404(self.model, pk=item_pk, submission=submission)
        incoming = self.serializer_class(item, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values = {k: v for k, v in incoming.validated_data.items() if k in self.model.VALUE_FIELDS}
        if "version" not in incoming.validated_data:
            raise serializers.ValidationError({"version": "Indique la versión leída del ítem."})
        try:
            result = call_service(
                services.save_item,
                by=request.user,
                item=item,
                values=values,
                version=incoming.validated_data["version"],
            )
        except services.EditConflict as conflict:
            return Response(
                {
                    "detail": conflict.message(),
                    "version": conflict.item.version,
                    "changed": [
                        {"field": label, "saved": _jsonable(saved), "yours": _jsonable(mine)}
                        for label, saved, mine in conflict.changed
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        fresh = self.model.objects.get(pk=item.pk)
        return Response({**self.serializer_class(fresh).data, "warnings": result.warnings})


class ActionItemView(_ItemView):
    model = ActionProgress
    serializer_class = ActionItemSerializer


class IndicatorItemView(_ItemView):
    model = IndicatorValue
    serializer_class = IndicatorItemSerializer


class InstrumentXlsxApiView(APIView):
    """GET the pre-filled instrument; POST it back (`file`), `?dry_run=1` to validate and preview only."""

    permission_map = {"get": "reporting.view_submission", "post": "reporting.fill_submission"}
    rules_on_parent = True
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: OpenApiResponse(description="Libro .xlsx")})
    def get(self, request: Request, pk: int) -> HttpResponse:
        submission = _submission_for(request, self, pk)
        return HttpResponse(
            instrument_excel.build_workbook(submission),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="instrumento-{submission.pk}.xlsx"'},
        )

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL)],
        responses={
            200: OpenApiResponse(description="Cambios"),
            400: OpenApiResponse(description="[{sheet, cell, message}]"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        submission = _submission_for(request, self, pk)
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                [{"sheet": "", "cell": "", "message": "Adjunte el archivo en el campo «file»."}], status=400
            )
        result = instrument_excel.read_upload(submission, upload)
        if not result.ok:
            return Response([problem.as_dict() for problem in result.problems], status=400)
        changes = [
            {"code": c.code, "field": c.field, "before": _jsonable(c.before), "after": _jsonable(c.after)}
            for c in result.preview
        ]
        dry_run = request.query_params.get("dry_run") in ("1", "true", "si")
        if dry_run:
            return Response({"dry_run": True, "rows": result.rows, "changes": changes})
        try:
            count = services.apply_changes(
                by=request.user,  # type: ignore[arg-type]
                submission=submission,
                changes=result.changes,
                source="api",
            )
        except services.EditConflict:
            return Response(
                {"detail": "Alguien modificó el instrumento mientras tanto: vuelva a cargarlo."}, status=409
            )
        except ValidationError as error:
            return Response([{"sheet": "", "cell": "", "message": m} for m in error.messages], status=400)
        return Response({"dry_run": False, "rows": result.rows, "updated": count, "changes": changes})
