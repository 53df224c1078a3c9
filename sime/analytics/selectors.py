"""What each role's home page shows: a fixed number of queries whatever the data size."""

from __future__ import annotations

from typing import Any

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES
from sime.core.models import AuditEvent
from sime.institutions.models import Institution
from sime.institutions.selectors import focal_point_coverage, institution_detail_queryset
from sime.reporting.models import PeriodStatus
from sime.reporting.selectors import submissions_visible_to


def home_panels(user: User) -> dict[str, Any]:
    panels: dict[str, Any] = {}
    if user.has_perm("institutions.view_coverage"):
        panels["coverage"] = focal_point_coverage()
    if user.institution_id is not None:
        panels["own_institution"] = institution_detail_queryset().filter(pk=user.institution_id).first()
    if user.has_perm("core.view_auditevent"):
        panels["recent_events"] = list(AuditEvent.objects.select_related("actor", "content_type")[:8])
    if user.has_perm("reporting.view_submissions") and user.role in FOCAL_ROLES:
        # The focal point's instruments of open periods: what is due, and by when.
        panels["open_instruments"] = list(
            submissions_visible_to(user).filter(period__status=PeriodStatus.OPEN).order_by("period__closes_on")[:3]
        )
    panels["institution_count"] = Institution.objects.active().count()
    return panels
