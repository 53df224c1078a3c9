from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sime.core.api_errors import call_service
from sime.institutions import services
from sime.institutions.models import Department, FocalPoint, Institution
from sime.institutions.selectors import editable_institutions, institution_detail_queryset, institution_list


class FocalPointSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = FocalPoint
        fields = ["id", "role", "role_label", "full_name", "designated_on", "ended_on"]


class InstitutionSerializer(serializers.ModelSerializer):
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Institution
        fields = ["id", *Institution.EDITABLE_FIELDS, "sector_label"]

    def validate_acronym(self, value: str) -> str:
        acronym = value.strip().upper()
        clash = Institution.objects.filter(acronym__iexact=acronym)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("Ya existe una institución con estas siglas.")
        return acronym


class InstitutionContactSerializer(serializers.ModelSerializer):
    """The contact data an institution's own focal points keep current (the page's same fields)."""

    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Institution
        fields = list(Institution.CONTACT_FIELDS)


class InstitutionDetailSerializer(InstitutionSerializer):
    current_focal_points = serializers.SerializerMethodField()

    class Meta(InstitutionSerializer.Meta):
        fields = [*InstitutionSerializer.Meta.fields, "current_focal_points"]

    def get_current_focal_points(self, institution: Institution) -> list[dict[str, Any]]:
        current = [fp for fp in institution.focal_points.all() if fp.is_current]
        return FocalPointSerializer(current, many=True).data  # type: ignore[return-value]


class InstitutionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The institutions directory. Reading: any signed-in user; writing: Administrador and Analista;
    the contact data (`PATCH …/contact/`): also the institution's own focal points, as on the page."""

    permission_map = {
        "list": "institutions.view_institution",
        "retrieve": "institutions.view_institution",
        "create": "institutions.add_institution",
        "update": "institutions.change_institution",
        "partial_update": "institutions.change_institution",
        "contact": "institutions.change_institution_contact",
    }
    object_rules = True
    filterset_fields = ["sector", "is_linked", "is_active"]
    search_fields = ["search_text"]
    ordering_fields = ["name", "acronym", "sector"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if self.action == "list":
            return institution_list(active=None)
        if self.action == "retrieve":
            return institution_detail_queryset()
        # Writes look up only what the user may touch: another institution is a 404.
        return editable_institutions(self.request.user)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return InstitutionDetailSerializer if self.action == "retrieve" else InstitutionSerializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = call_service(
            services.create_institution, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = call_service(
            services.update_institution,
            by=self.request.user,
            institution=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(request=InstitutionContactSerializer, responses={200: InstitutionSerializer})
    @action(detail=True, methods=["patch"])
    def contact(self, request: Request, pk: str, format: str | None = None) -> Response:
        institution = self.get_object()  # in the user's scope (another institution: 404), then the rule
        serializer = InstitutionContactSerializer(institution, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = call_service(
            services.update_institution_contact, by=request.user, institution=institution, **serializer.validated_data
        )
        return Response(InstitutionSerializer(updated).data)
