from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sime.accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    institution = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "phone", "position", "role", "role_label", "institution"]

    def get_institution(self, user: User) -> dict[str, Any] | None:
        if user.institution is None:
            return None
        return {"id": user.institution.pk, "acronym": user.institution.acronym, "name": user.institution.name}


class MeView(APIView):
    """The signed-in user: who they are, their role and institution."""

    permission_map = {"get": "accounts.view_own_profile"}

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
