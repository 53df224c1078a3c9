from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from sime.accounts.permissions import institution_scope
from sime.core.text import search_key
from sime.institutions.models import FocalPoint, FocalPointRole, Institution, InstitutionQuerySet


def _current_focal_point(role: str) -> Exists:
    return Exists(FocalPoint.objects.current().filter(institution=OuterRef("pk"), role=role))


def institution_list(
    *, text: str = "", sector: str = "", linked: bool | None = None, active: bool | None = True
) -> InstitutionQuerySet:
    """The directory, with whether each institution has its two current focal points."""
    institutions = Institution.objects.select_related("department").annotate(
        has_technical=_current_focal_point(FocalPointRole.TECHNICAL),
        has_planning=_current_focal_point(FocalPointRole.PLANNING),
    )
    if text:
        institutions = institutions.filter(search_text__contains=search_key(text))
    if sector:
        institutions = institutions.filter(sector=sector)
    if linked is not None:
        institutions = institutions.filter(is_linked=linked)
    if active is not None:
        institutions = institutions.filter(is_active=active)
    return institutions.order_by("name")


def institution_detail_queryset() -> InstitutionQuerySet:
    """Institution with department and every focal point designation (current and past)."""
    designations = FocalPoint.objects.select_related("user").order_by("role", "-designated_on", "-pk")
    return Institution.objects.select_related("department").prefetch_related(
        Prefetch("focal_points", queryset=designations)
    )


def editable_institutions(user: Any) -> QuerySet[Institution]:
    """What a user's edit pages may look up: others' institutions are simply not found."""
    return institution_scope(user, Institution.objects.select_related("department"), field="pk")


def focal_point_coverage() -> dict[str, int]:
    """How many active linked institutions lack a current technical or planning focal point."""
    linked = (
        Institution.objects.active()
        .linked()
        .annotate(
            has_technical=_current_focal_point(FocalPointRole.TECHNICAL),
            has_planning=_current_focal_point(FocalPointRole.PLANNING),
        )
    )
    return linked.aggregate(
        linked=Count("pk"),
        without_technical=Count("pk", filter=Q(has_technical=False)),
        without_planning=Count("pk", filter=Q(has_planning=False)),
        complete=Count("pk", filter=Q(has_technical=True, has_planning=True)),
    )


def current_focal_points(institution: Institution) -> list[FocalPoint]:
    return list(FocalPoint.objects.current().filter(institution=institution).select_related("user"))
