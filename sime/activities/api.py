"""Projects API. Paths, field names and codes are stable: other clients depend on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from sime.activities import services
from sime.activities.models import SECTORS, Activity, Agreement, Consultancy, Project
from sime.activities.selectors import project_detail_queryset, project_summary, projects_visible_to
from sime.core.api_errors import call_service
from sime.core.numbers import MAX_COUNT
from sime.institutions.models import Department

READ = "activities.view_project"
WRITE = "activities.change_project"


def _money_field() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, coerce_to_string=True)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", *services.PROJECT_FIELDS]


@extend_schema_field({"type": "string", "example": "2024-05", "pattern": "^[0-9]{4}-[0-9]{2}$"})
class MonthField(serializers.Field):
    """A month as "2024-05" (stored as its first day)."""

    def to_representation(self, value: dt.date) -> str:
        return value.strftime("%Y-%m")

    def to_internal_value(self, data: Any) -> dt.date:
        try:
            return dt.datetime.strptime(str(data), "%Y-%m").date()
        except ValueError as error:
            raise serializers.ValidationError("Use el formato AAAA-MM, por ejemplo 2024-05.") from error


class ActivitySerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    attendance_by_sector = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_COUNT), required=False
    )
    cost = _money_field()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "start_date",
            "end_date",
            "department",
            "venue",
            "attendance_total",
            "attendance_by_sector",
            "attendance_women",
            "attendance_men",
            "cost",
            "purpose",
        ]

    def to_representation(self, instance: Activity) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["attendance_by_sector"] = instance.attendance_by_sector()
        return data

    def validate_attendance_by_sector(self, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(SECTORS))
        if unknown:
            raise serializers.ValidationError(f"Sector desconocido: {', '.join(unknown)}.")
        return value


class DeliverableSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=["pending", "delivered", "approved"], default="pending")


class AssignmentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    duties = serializers.ListField(child=serializers.CharField(), default=list)
    deliverables = DeliverableSerializer(many=True, default=list)


class ConsultancySerializer(serializers.ModelSerializer):
    start_month = MonthField()
    end_month = MonthField()
    amount = _money_field()
    assignments = AssignmentSerializer(many=True, default=list)

    class Meta:
        model = Consultancy
        fields = ["id", "title", "description", "start_month", "end_month", "amount", "assignments"]

    def to_representation(self, instance: Consultancy) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["assignments"] = [
            {
                "name": a.name,
                "duties": a.duties,
                "deliverables": [
                    {"title": d.title, "due_date": d.due_date.isoformat() if d.due_date else None, "status": d.status}
                    for d in a.deliverables.all()
                ],
            }
            for a in instance.assignments.all()
        ]
        return data


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "text", "activity", "responsible_institution", "responsible_person", "due_date", "status"]


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cooperation projects. A Cooperante sees only the projects its agency funds."""

    permission_map = {
        "list": "activities.view_projects",
        "retrieve": READ,
        "create": WRITE,
        "update": WRITE,
        "partial_update": WRITE,
        "summary": READ,
    }
    object_rules = True
    serializer_class = ProjectSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return projects_visible_to(self.request.user).order_by("-start_date", "pk")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = call_service(services.save_project, by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = call_service(
            services.save_project, by=self.request.user, project=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses={200: dict})
    def summary(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        summary = project_summary(project_detail_queryset().get(pk=project.pk))
        as_text = {
            k: str(v) for k, v in summary.items() if k in ("amount_total", "activities_amount", "consultancies_amount")
        }
        by_kind = {k: {**v, "amount": str(v["amount"])} for k, v in summary["by_kind"].items()}
        by_month = {k: {**v, "amount": str(v["amount"])} for k, v in summary["by_month"].items()}
        return Response({**summary, **as_text, "by_kind": by_kind, "by_month": by_month})


class _ProjectChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Things inside a project: /api/v1/projects/{project_pk}/…/"""

    permission_map = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "partial_update": WRITE}
    rules_on_parent = True
    model: Any = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            self.project()  # 404 outside the user's projects, then the action's rule on the project

    def project(self) -> Project:
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(projects_visible_to(self.request.user), pk=self.kwargs["project_pk"])
            self.check_object_permissions(self.request, self._project)
        return self._project

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        # Rules speak of projects: an activity is judged by its project.
        super().check_object_permissions(request, getattr(obj, "project", obj))

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # schema generation: no project in the URL
            return self.model.objects.none()
        return self.model.objects.filter(project=self.project()).order_by("pk")


class ActivityViewSet(_ProjectChildViewSet):
    serializer_class = ActivitySerializer
    model = Activity

    def _save(self, serializer: Any, activity: Activity | None) -> None:
        data = dict(serializer.validated_data)
        by_sector = data.pop("attendance_by_sector", None)
        serializer.instance = call_service(
            services.save_activity,
            by=self.request.user,
            project=self.project(),
            activity=activity,
            attendance_by_sector=by_sector,
            **data,
        )

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)


class ConsultancyViewSet(_ProjectChildViewSet):
    serializer_class = ConsultancySerializer
    model = Consultancy

    def _save(self, serializer: Any, consultancy: Consultancy | None) -> None:
        data = dict(serializer.validated_data)
        assignments = [
            dict(a, deliverables=[dict(d) for d in a.get("deliverables", [])]) for a in data.pop("assignments", [])
        ]
        serializer.instance = call_service(
            services.save_consultancy,
            by=self.request.user,
            project=self.project(),
            consultancy=consultancy,
            assignments=assignments,
            **data,
        )

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)


class AgreementViewSet(_ProjectChildViewSet):
    serializer_class = AgreementSerializer
    model = Agreement

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = call_service(
            services.save_agreement, by=self.request.user, project=self.project(), **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = call_service(
            services.save_agreement,
            by=self.request.user,
            project=self.project(),
            agreement=serializer.instance,
            **serializer.validated_data,
        )
