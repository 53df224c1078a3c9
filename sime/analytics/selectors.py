"""Read-side query shapes: each role's home page and the monitoring look-ups, in a fixed number of
queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from sime.accounts.models import User
from sime.accounts.permissions import institution_scope
from sime.accounts.roles import FOCAL_ROLES
from sime.core.models import AuditEvent
from sime.institutions.models import Department, Institution
from sime.institutions.selectors import focal_point_coverage, institution_detail_queryset
from sime.policy.models import Indicator, Policy, PolicyStatus
from sime.reporting.models import (
    ApprovedFact,
    FactKind,
    IndicatorValue,
    PeriodStatus,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
)
from sime.reporting.selectors import all_dimensions, review_queue, submissions_visible_to
from sime.reporting.workflow import Status

REVIEW_QUEUE_SIZE = 8  # the home lists the longest waiting; the instrument list has them all


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
    if user.has_perm("reporting.review_submission"):
        queue = review_queue(user)
        panels["review_queue"] = list(queue[:REVIEW_QUEUE_SIZE])
        panels["review_queue_count"] = queue.count()
        panels["shows_review_queue"] = True
    panels["institution_count"] = Institution.objects.active().count()
    return panels


# --- Monitoring pages ------------------------------------------------------------------------


def monitoring_visible(user: User) -> bool:
    return bool(user.has_perm("analytics.view_monitoring"))


def institutions_in_scope(user: User) -> QuerySet[Institution]:
    """Institutions whose performance page the user may open (others are a 404)."""
    return institution_scope(user, Institution.objects.all(), field="pk")


def approved_values_with_evidence(indicator: Indicator, user: User) -> list[dict[str, Any]]:
    """The indicator page's table: approved values, newest first, with institution, evidence files
    and who approved (the API's lighter list is `approved_values`).

    Three queries whatever the number of values. Evidence is listed only where the user may open
    the instrument (another institution's files stay behind its own rule).
    """
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, submission__status=Status.APPROVED, value__isnull=False)
        .select_related("submission__period", "submission__institution")
        .prefetch_related(
            "evidence",
            Prefetch(
                "submission__events",
                queryset=SubmissionEvent.objects.filter(kind=SubmissionEvent.Kind.APPROVE).select_related("actor"),
                to_attr="approvals",
            ),
        )
        .order_by("-submission__period__ends_on", "submission__institution__name")
    )
    readable = set(
        submissions_visible_to(user).filter(pk__in=[v.submission_id for v in values]).values_list("pk", flat=True)
    )
    rows = []
    for value in values:
        approvals = value.submission.approvals  # type: ignore[attr-defined]
        approval = approvals[-1] if approvals else None
        rows.append(
            {
                "period": value.submission.period,
                "institution": value.submission.institution,
                "value": value.value,
                "numerator": value.numerator,
                "denominator": value.denominator,
                "notes": value.notes,
                "evidence": list(value.evidence.all()) if value.submission_id in readable else [],
                "approved_by": approval.actor if approval else None,
                "approved_at": value.submission.approved_at,
            }
        )
    return rows


def department_categories() -> dict[str, str]:
    return dict(Department.objects.order_by("code").values_list("code", "name"))


def dimension_labels() -> dict[str, tuple[str, dict[str, str]]]:
    return all_dimensions()


def late_submissions(period_ids: list[int], *, institution_id: int | None = None) -> list[Submission]:
    """Instruments of these periods sent after the closing day, or not sent once it has passed
    (one query); newest period first."""
    today = timezone.localdate()
    submissions = Submission.objects.filter(period_id__in=period_ids).filter(
        Q(first_sent_at__date__gt=F("period__closes_on")) | Q(first_sent_at__isnull=True, period__closes_on__lt=today)
    )
    if institution_id is not None:
        submissions = submissions.filter(institution_id=institution_id)
    return list(submissions.select_related("period", "institution").order_by("-period__ends_on", "institution__name"))


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
