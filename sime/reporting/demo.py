"""Demo data of the reporting cycle: approved periods of the demo policy (the year 2025 and the
first two cuatrimestres of 2026, so that monitoring has something to show), and the current
cuatrimestre as a planned period, ready to be opened.

The approved periods go through the same services as people do — open, fill, sign, send, review,
approve — so their numbers reach monitoring through the one door (approval). Institutions without
demo focal points get demo enlaces (accounts without a usable password). Only the timestamps are
moved back afterwards, so that timeliness looks like a real year's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.institutions.models import FocalPoint, FocalPointRole, Institution
from sime.institutions.services import NewPerson, designate_focal_point
from sime.policy.models import Indicator, Policy
from sime.reporting import services
from sime.reporting.models import (
    ActionProgress,
    ActionStatus,
    IndicatorValue,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
)
from sime.reporting.periods import period_code, period_dates, period_name
from sime.reporting.selectors import all_dimensions, beneficiary_dimensions

DEMO_KIND = "four_month"
# (kind, year, number, days after the period's end that reception closes)
HISTORY = [("year", 2025, 1, 31), ("four_month", 2026, 1, 20), ("four_month", 2026, 2, 20)]
# Instruments sent late, and one never sent (so reporting compliance has something to say).
LATE = {"MINTRAB", "SEGEPLAN", "RENAP"}
NEVER_SENT = {("2026-C2", "INTECAP")}
# Values reported for named indicators (code, period) → value; the rest follow the pattern below.
NAMED_VALUES = {("IND-3.3", "2025"): Decimal(21), ("IND-2.1", "2026-C2"): Decimal(17900)}
# How each indicator performs against what is expected: a deterministic mix of statuses.
PERFORMANCE = [Decimal("1.05"), Decimal("0.95"), Decimal("0.8"), Decimal("0.5"), Decimal("1.2"), Decimal("0.9")]


def _seed(*parts: Any) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _split(total: int, categories: list[str], seed: int) -> dict[str, str]:
    """`total` people split over categories, exactly (largest remainder), deterministic."""
    if not categories:
        return {}
    weights = [1 + (seed >> (i % 24)) % 7 for i in range(len(categories))]
    shares = [total * w // sum(weights) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return {code: str(share) for code, share in zip(categories, shares, strict=True) if share}


def load_reporting(today: dt.date | None = None) -> ReportingPeriod | None:
    """The current cuatrimestre as a planned period, receiving for 30 days from today (idempotent)."""
    policy = Policy.objects.order_by("pk").first()
    if policy is None:
        return None
    today = today or timezone.localdate()
    number = (today.month - 1) // 4 + 1
    starts_on, ends_on = period_dates(DEMO_KIND, today.year, number)
    period, _created = ReportingPeriod.objects.get_or_create(
        policy=policy,
        code=period_code(DEMO_KIND, today.year, number),
        defaults={
            "name": period_name(DEMO_KIND, today.year, number),
            "kind": DEMO_KIND,
            "year": today.year,
            "number": number,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=30),
        },
    )
    return period


def _focal_points(institution: Institution) -> tuple[User, User]:
    """The institution's current técnico and planificación; demo ones where it has none."""
    found: dict[str, User] = {
        fp.role: fp.user for fp in FocalPoint.objects.current().filter(institution=institution).select_related("user")
    }
    for role, label in ((FocalPointRole.TECHNICAL, "tecnico"), (FocalPointRole.PLANNING, "planificacion")):
        if role not in found:
            slug = (institution.acronym or str(institution.pk)).lower()
            focal_point = designate_focal_point(
                by=None,
                institution=institution,
                role=role,
                designated_on=dt.date(2024, 3, 5),
                new_person=NewPerson(
                    full_name=f"Enlace {'técnico' if label == 'tecnico' else 'de planificación'} {institution.acronym}",
                    email=f"enlace.{label}.{slug}@demo.sime.gt",
                ),
                designation_reference="Oficio de demostración",
            )
            found[role] = focal_point.user
    return found[FocalPointRole.TECHNICAL], found[FocalPointRole.PLANNING]


def _indicator_value(item: IndicatorValue, period: ReportingPeriod, dims: dict[str, Any]) -> dict[str, Any]:
    indicator: Indicator = item.indicator
    seed = _seed(indicator.code, period.code)
    factor = PERFORMANCE[_seed(indicator.code) % len(PERFORMANCE)]
    target = next((t.value for t in indicator.targets.all() if t.year == period.year), None)
    months = (period.ends_on.month - period.starts_on.month) + 1
    if indicator.measure_type == "percentage":
        denominator = Decimal(200 + seed % 300)
        rate = (target or Decimal(10)) * factor / 100
        numerator = min(denominator, (denominator * rate).quantize(Decimal(1)))
        return {"numerator": numerator, "denominator": denominator, "notes": "Dato de demostración."}
    if indicator.measure_type == "yes_no":
        return {"value": Decimal(1 if factor >= 1 else 0), "notes": "Dato de demostración."}
    if indicator.measure_type == "milestone":
        steps = sorted(s.value for s in indicator.milestone_steps.all())
        return {"value": Decimal(steps[min(len(steps) - 1, 1 + seed % len(steps))] if steps else 0)}
    value = NAMED_VALUES.get((indicator.code, period.code))
    if value is None:
        base = target if target is not None else (indicator.baseline_value or Decimal(100))
        if indicator.aggregation in ("sum", "cumulative"):
            base = base * months / 12  # a flow: the months the period covers
        value = (base * factor).quantize(Decimal(1))
    values: dict[str, Any] = {"value": value, "notes": "Dato de demostración."}
    wanted = {d.code for d in indicator.dimensions.all()}
    if wanted:
        values["disaggregated"] = {
            code: _split(int(value), list(dims[code][1]), _seed(seed, code)) for code in sorted(wanted) if code in dims
        }
    return values


def _action_values(item: ActionProgress, period: ReportingPeriod, dims: dict[str, Any]) -> dict[str, Any]:
    seed = _seed(item.action.node.code, period.code, item.submission.institution_id)
    kind = seed % 10
    if kind == 0:
        status, percent = ActionStatus.DELAYED, Decimal(15 + seed % 20)
    elif kind == 1 and period.year == 2026:
        status, percent = ActionStatus.SUSPENDED, Decimal(10)
    elif kind in (2, 3) and period.year == 2026:
        status, percent = ActionStatus.COMPLETED, Decimal(100)
    else:
        status = ActionStatus.IN_PROGRESS
        percent = Decimal(25 + seed % 40 + (15 if period.year == 2026 else 0))
    allocated = Decimal(50_000 + (seed % 40) * 12_500)
    executed = (allocated * Decimal(30 + seed % 60) / 100).quantize(Decimal("0.01"))
    people = 40 + seed % 900
    values: dict[str, Any] = {
        "status": status,
        "progress_percent": percent,
        "achievements": "Avance de demostración: actividades realizadas según el plan operativo.",
        "obstacles": (
            "Retraso en la contratación y en la transferencia presupuestaria."
            if status in (ActionStatus.DELAYED, ActionStatus.SUSPENDED)
            else ""
        ),
        "next_steps": "Continuar con la programación del siguiente periodo.",
        "budget_allocated": allocated,
        "budget_executed": executed,
        "beneficiaries_total": people,
        "beneficiaries_by": {code: _split(people, list(dims[code][1]), _seed(seed, code)) for code in sorted(dims)},
    }
    return values


def _fill_and_approve(
    submission: Submission, *, analyst: User, dims: dict[str, Any], beneficiary_dims: dict[str, Any]
) -> None:
    technical, planning = _focal_points(submission.institution)
    period = submission.period
    for item in submission.actionprogress_items.select_related("action__node", "submission"):
        services.save_item(
            by=technical, item=item, values=_action_values(item, period, beneficiary_dims), version=item.version
        )
    for value in submission.indicatorvalue_items.select_related("indicator").prefetch_related(
        "indicator__targets", "indicator__milestone_steps", "indicator__dimensions"
    ):
        services.save_item(
            by=technical, item=value, values=_indicator_value(value, period, dims), version=value.version
        )
    services.sign_technical(by=technical, submission=submission)
    services.sign_planning(by=planning, submission=submission)
    services.send_submission(by=technical, submission=submission)
    services.start_review(by=analyst, submission=submission)
    services.approve_submission(by=analyst, submission=submission, comment="Revisado (demostración).")


def _backdate(period: ReportingPeriod) -> None:
    """Move the period's timeline to when it would have happened (demo only: timestamps, never states)."""
    zone = timezone.get_current_timezone()
    for submission in period.submissions.select_related("institution"):
        late = submission.institution.acronym in LATE
        sent_on = period.closes_on + dt.timedelta(days=9 if late else -(3 + submission.pk % 12))
        sent = dt.datetime.combine(sent_on, dt.time(10, 30), zone)
        approved = sent + dt.timedelta(days=6)
        if submission.first_sent_at is None:
            continue
        Submission.objects.filter(pk=submission.pk).update(
            first_sent_at=sent, sent_at=sent, approved_at=approved if submission.approved_at else None
        )
        SubmissionEvent.objects.filter(submission=submission).update(occurred_at=sent)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opened_at=dt.datetime.combine(period.opens_on, dt.time(8, 0), zone)
    )


@transaction.atomic
def load_history(admin: User, analyst: User) -> list[ReportingPeriod]:
    """The approved demo periods (idempotent: an existing period is left as it is)."""
    policy = Policy.objects.order_by("pk").first()
    if policy is None:
        return []
    dims, beneficiary_dims = all_dimensions(), beneficiary_dimensions()
    loaded = []
    for kind, year, number, days in HISTORY:
        if ReportingPeriod.objects.filter(policy=policy, code=period_code(kind, year, number)).exists():
            continue
        _starts, ends = period_dates(kind, year, number)
        period = services.create_period(
            by=admin,
            policy=policy,
            kind=kind,
            year=year,
            number=number,
            opens_on=ends + dt.timedelta(days=1),
            closes_on=ends + dt.timedelta(days=days),
        )
        services.open_period(by=admin, period=period)
        for submission in period.submissions.select_related("institution", "period").order_by("institution__name"):
            if (period.code, submission.institution.acronym) in NEVER_SENT:
                continue
            _fill_and_approve(submission, analyst=analyst, dims=dims, beneficiary_dims=beneficiary_dims)
        services.close_period(by=admin, period=period)
        _backdate(period)
        loaded.append(period)
    return loaded


def demo_reviewers() -> tuple[User, User] | None:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    analyst = User.objects.filter(role=Role.ANALYST, is_active=True).order_by("pk").first()
    if admin is None or analyst is None:
        return None
    return admin, analyst
