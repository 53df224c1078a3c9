from __future__ import annotations

import calendar
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth

from sime.activities.models import (
    SECTORS,
    Activity,
    ActivityKind,
    Agreement,
    Assignment,
    Consultancy,
    Participant,
    Project,
)


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """DEPM and Autoridad see every project; a Cooperante only those its agency funds."""
    from sime.accounts.permissions import institution_scope

    return institution_scope(user, Project.objects.select_related("agency"), field="agency")


def project_detail_queryset() -> QuerySet[Project]:
    return Project.objects.select_related("agency").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("department")
            .annotate(participant_count=Count("participants"))
            .prefetch_related("evidence")
            .order_by("start_date", "pk"),
        ),
        Prefetch(
            "consultancies",
            queryset=Consultancy.objects.order_by("start_month", "pk").prefetch_related(
                Prefetch("assignments", queryset=Assignment.objects.prefetch_related("deliverables"))
            ),
        ),
        Prefetch("agreements", queryset=Agreement.objects.select_related("responsible_institution", "activity")),
        "means_of_verification",
        "policy_nodes",
    )


def project_summary(project: Project) -> dict[str, Any]:
    """Totals exact to the centavo (Decimal sums in the database), attendance by sector, kind and month."""
    activities = list(project.activities.all())
    consultancies = list(project.consultancies.all())
    activity_total = sum((a.cost for a in activities), Decimal("0.00"))
    consultancy_total = sum((c.amount for c in consultancies), Decimal("0.00"))
    by_sector = dict.fromkeys(SECTORS, 0)
    by_kind: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"activities": 0, "attendance": 0, "amount": Decimal("0.00")}
    )
    by_month: dict[str, dict[str, Any]] = defaultdict(lambda: {"attendance": 0, "amount": Decimal("0.00")})
    for activity in activities:
        for code, count in activity.attendance_by_sector().items():
            by_sector[code] += count
        kind = by_kind[activity.kind]
        kind["activities"] += 1
        kind["attendance"] += activity.attendance_total
        kind["amount"] += activity.cost
        month = by_month[activity.start_date.strftime("%Y-%m")]
        month["attendance"] += activity.attendance_total
        month["amount"] += activity.cost
    for consultancy in consultancies:
        by_month[consultancy.start_month.strftime("%Y-%m")]["amount"] += consultancy.amount
    return {
        "amount_total": activity_total + consultancy_total,
        "activities_amount": activity_total,
        "consultancies_amount": consultancy_total,
        "attendance_total": sum(a.attendance_total for a in activities),
        "activity_count": len(activities),
        "consultancy_count": len(consultancies),
        "attendance_by_sector": by_sector,
        "by_kind": {code: dict(by_kind[code]) for code in ActivityKind.values if code in by_kind},
        "by_month": {month: dict(values) for month, values in sorted(by_month.items())},
    }


def amount_in_database(project: Project) -> Decimal:
    """The same total computed by the database, to cross-check the Python sum in tests."""
    activities = project.activities.aggregate(total=Sum("cost"))["total"] or Decimal("0")
    consultancies = project.consultancies.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return activities + consultancies


def project_schedule(project: Project) -> list[dict[str, Any]]:
    """Gantt rows (cronograma): events and consultancies with their start and end dates."""
    rows = [
        {
            "id": f"a{a.pk}",
            "name": a.title,
            "start": a.start_date,
            "end": a.end_date or a.start_date,
            "kind": "activity",
        }
        for a in project.activities.all()
    ]
    for c in project.consultancies.all():
        last_day = calendar.monthrange(c.end_month.year, c.end_month.month)[1]
        rows.append(
            {
                "id": f"c{c.pk}",
                "name": c.title,
                "start": c.start_month,
                "end": c.end_month.replace(day=last_day),
                "kind": "consultancy",
            }
        )
    return sorted(rows, key=lambda row: (row["start"], row["name"]))


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """Activities of the projects the user may see (a Cooperante: its agency's projects only)."""
    from sime.accounts.permissions import institution_scope

    return institution_scope(user, Activity.objects.all(), field="project__agency")


def reach_filter_options(user: Any) -> dict[str, Any]:
    """The years and projects a reach page can be filtered by (two queries)."""
    activities = activities_visible_to(user)
    return {
        "years": sorted({d.year for d in activities.dates("start_date", "year")}, reverse=True),
        "projects": list(projects_visible_to(user).order_by("title").values_list("pk", "title")),
    }


def socialization_reach(
    user: Any, *, year: int | None = None, project_id: int | None = None, purpose: str = ""
) -> dict[str, Any]:
    """People reached by the activities the user may see: by sector, by kind, by month and by
    department. Four aggregate queries, whatever the number of activities."""
    activities = activities_visible_to(user)
    if year:
        activities = activities.filter(start_date__year=year)
    if project_id:
        activities = activities.filter(project_id=project_id)
    if purpose:
        activities = activities.filter(purpose=purpose)
    return reach_of(activities)


def reach_of(activities: QuerySet[Activity]) -> dict[str, Any]:
    """The reach of a set of activities: events, people by sector, kind, month and department, and
    their cost (exact Decimal sum in the database). Four aggregate queries."""
    totals = activities.aggregate(
        events=Count("pk"),
        attendance=Sum("attendance_total"),
        cost=Sum("cost"),
        **{code: Sum(field) for code, (field, _label) in SECTORS.items()},
    )
    by_sector = [
        {"code": code, "label": label, "attendance": totals[code] or 0} for code, (_field, label) in SECTORS.items()
    ]
    kind_labels = dict(ActivityKind.choices)
    by_kind = [
        {"code": row["kind"], "label": kind_labels.get(row["kind"], row["kind"]), **_counts(row)}
        for row in activities.order_by().values("kind").annotate(events=Count("pk"), attendance=Sum("attendance_total"))
    ]
    by_kind.sort(key=lambda row: list(kind_labels).index(row["code"]) if row["code"] in kind_labels else 99)
    by_month = [
        {"month": row["month"], **_counts(row)}
        for row in activities.order_by()
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(events=Count("pk"), attendance=Sum("attendance_total"))
        .order_by("month")
    ]
    by_department = [
        {"code": row["department__code"], "name": row["department__name"], **_counts(row)}
        for row in activities.order_by()
        .values("department__code", "department__name")
        .annotate(events=Count("pk"), attendance=Sum("attendance_total"))
        .order_by("department__code")
    ]
    # Events without a department go last.
    by_department.sort(key=lambda row: (row["code"] is None, row["code"] or ""))
    return {
        "events": totals["events"] or 0,
        "attendance": totals["attendance"] or 0,
        "cost": totals["cost"] or Decimal("0.00"),
        "sector_attendance": sum(row["attendance"] for row in by_sector),
        "by_sector": by_sector,
        "by_kind": by_kind,
        "by_month": by_month,
        "by_department": by_department,
    }


def _counts(row: Any) -> dict[str, int]:
    return {"events": row["events"] or 0, "attendance": row["attendance"] or 0}


def participants_of(activity: Activity) -> QuerySet[Participant]:
    return activity.participants.order_by("name", "pk")
