"""Read-side query shapes: each role's home page and the monitoring look-ups, in a fixed number of
queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES
from sime.core.models import AuditEvent
from sime.institutions.models import Institution
from sime.institutions.selectors import focal_point_coverage, institution_detail_queryset
from sime.policy.models import Indicator, Policy, PolicyStatus
from sime.reporting.models import ApprovedFact, FactKind, PeriodStatus, ReportingPeriod, SubmissionEvent
from sime.reporting.selectors import submissions_visible_to
from sime.reporting.workflow import Status


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


# --- Monitoring ------------------------------------------------------------------------------


def monitored_policy() -> Policy | None:
    """The policy monitoring shows when none is asked for: the active one that started last, else
    the latest policy of any status."""
    active_first = Case(When(status=PolicyStatus.ACTIVE, then=Value(0)), default=Value(1))
    return Policy.objects.order_by(active_first, "-start_year", "code").first()


def default_reading(policy: Policy, today: dt.date | None = None) -> tuple[int, dt.date | None]:
    """The year and reading date monitoring shows by default: the end of the latest period with an
    approved instrument (so months nobody has reported yet are not counted as behind); without one,
    the current year kept inside the policy's horizon, read at the builder's default."""
    latest = (
        ReportingPeriod.objects.filter(policy=policy, submissions__status=Status.APPROVED)
        .order_by("-ends_on")
        .values_list("year", "ends_on")
        .first()
    )
    if latest is not None:
        return int(latest[0]), latest[1]
    year = (today or timezone.localdate()).year
    return min(max(year, policy.start_year), policy.end_year), None


@dataclass(frozen=True)
class ApprovedValue:
    """One institution's approved value of an indicator in one period, with who approved it."""

    institution_id: int
    institution_acronym: str
    period_code: str
    period_end: dt.date
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    approved_at: dt.datetime | None
    approved_by: str


def approved_values(indicator: Indicator, *, until: dt.date | None = None) -> list[ApprovedValue]:
    """The approved totals of an indicator per institution and period (oldest first), each with the
    latest approval of its instrument: one query whatever the number of values."""
    approval = SubmissionEvent.objects.filter(
        submission_id=OuterRef("submission_id"), kind=SubmissionEvent.Kind.APPROVE
    ).order_by("-occurred_at", "-pk")
    facts = ApprovedFact.objects.filter(kind=FactKind.INDICATOR, indicator=indicator, dimension="")
    if until is not None:
        facts = facts.filter(period_end__lte=until)
    rows = (
        facts.annotate(
            approved_at=Subquery(approval.values("occurred_at")[:1]),
            approved_by=Subquery(approval.values("actor__full_name")[:1]),
        )
        .order_by("period_end", "institution__acronym", "pk")
        .values_list(
            "institution_id",
            "institution__acronym",
            "period__code",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "approved_at",
            "approved_by",
        )
    )
    return [
        ApprovedValue(pk, acronym, code, end, value, numerator, denominator, approved_at, approved_by or "")
        for pk, acronym, code, end, value, numerator, denominator, approved_at, approved_by in rows
    ]
