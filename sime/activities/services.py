"""Writes on cooperation projects: permission → validate (whole object) → write → audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.accounts.permissions import require
from sime.activities.models import (
    SECTORS,
    Activity,
    Agreement,
    Assignment,
    Consultancy,
    Deliverable,
    Project,
)
from sime.core.audit import diff, record_event, snapshot

RULE = "activities.change_project"
PROJECT_FIELDS = (
    "title",
    "agency",
    "modality",
    "area",
    "responsible_name",
    "responsible_position",
    "start_date",
    "end_date",
    "introduction",
    "justification",
    "general_objective",
    "specific_objectives",
    "location",
    "direct_beneficiaries",
    "indirect_beneficiaries",
    "signatory_name",
    "signatory_position",
)
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "start_date",
    "end_date",
    "department",
    "municipality",
    "venue",
    "attendance_total",
    "attendance_women",
    "attendance_men",
    "cost",
    "purpose",
)


def _apply(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _money(value: Any) -> Decimal:
    """Decimal from a Decimal, int or text: a float never enters."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(str(value))


def _write(obj: Any, action: str, *, by: User | None, before: dict[str, Any], institution: Any) -> None:
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if changes:
        record_event(obj, action, by=by, changes=changes, institution=institution)


@transaction.atomic
def save_project(
    *, by: User | None, project: Project | None = None, policy_nodes: Any = None, **fields: Any
) -> Project:
    if by is not None:
        require(by, RULE, project)
    is_new = project is None
    project = project or Project()
    before = {} if is_new else snapshot(project)
    _apply(project, fields, PROJECT_FIELDS)
    if project.agency_id and project.agency.sector != "international_cooperation":
        raise ValidationError({"agency": _("La agencia debe ser una institución de cooperación internacional.")})
    _write(
        project, "project.created" if is_new else "project.updated", by=by, before=before, institution=project.agency
    )
    if policy_nodes is not None:
        project.policy_nodes.set(policy_nodes)
    return project


@transaction.atomic
def save_activity(
    *,
    by: User | None,
    project: Project,
    activity: Activity | None = None,
    attendance_by_sector: dict[str, int | None] | None = None,
    **fields: Any,
) -> Activity:
    """Create or edit an event. `attendance_by_sector` maps sector codes (government, …) to counts."""
    if by is not None:
        require(by, RULE, project)
    is_new = activity is None
    activity = activity or Activity(project=project)
    before = {} if is_new else snapshot(activity)
    if "cost" in fields:
        fields["cost"] = _money(fields["cost"])
    _apply(activity, fields, ACTIVITY_FIELDS)
    unknown = set(attendance_by_sector or {}) - set(SECTORS)
    if unknown:
        raise ValidationError(
            {"attendance_by_sector": _("Sector desconocido: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    if attendance_by_sector is not None:
        for code, (field, _label) in SECTORS.items():
            setattr(activity, field, attendance_by_sector.get(code))
    _write(
        activity, "activity.created" if is_new else "activity.updated", by=by, before=before, institution=project.agency
    )
    return activity


@transaction.atomic
def save_consultancy(
    *,
    by: User | None,
    project: Project,
    consultancy: Consultancy | None = None,
    assignments: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Consultancy:
    """Create or edit a consultancy with its assignments (name, duties, deliverables) in one step."""
    if by is not None:
        require(by, RULE, project)
    is_new = consultancy is None
    consultancy = consultancy or Consultancy(project=project)
    before = {} if is_new else snapshot(consultancy)
    if "amount" in fields:
        fields["amount"] = _money(fields["amount"])
    _apply(consultancy, fields, ("title", "description", "start_month", "end_month", "amount"))
    _write(
        consultancy,
        "consultancy.created" if is_new else "consultancy.updated",
        by=by,
        before=before,
        institution=project.agency,
    )
    if assignments is not None:
        consultancy.assignments.all().delete()
        for order, data in enumerate(assignments, start=1):
            name = str(data.get("name", "")).strip()
            if not name:
                raise ValidationError({"assignments": _("Cada asignación necesita un nombre.")})
            assignment = Assignment.objects.create(
                consultancy=consultancy,
                order=order,
                name=name,
                duties=[str(d).strip() for d in data.get("duties", []) if str(d).strip()],
            )
            for deliverable in data.get("deliverables", []):
                item = Deliverable(assignment=assignment, **deliverable)
                item.full_clean()
                item.save()
        record_event(
            consultancy,
            "consultancy.assignments_set",
            by=by,
            data={"assignments": len(assignments)},
            institution=project.agency,
        )
    return consultancy


@transaction.atomic
def save_agreement(
    *, by: User | None, project: Project, agreement: Agreement | None = None, **fields: Any
) -> Agreement:
    if by is not None:
        require(by, RULE, project)
    is_new = agreement is None
    agreement = agreement or Agreement(project=project)
    before = {} if is_new else snapshot(agreement)
    _apply(
        agreement, fields, ("text", "activity", "responsible_institution", "responsible_person", "due_date", "status")
    )
    if agreement.activity is not None and agreement.activity.project_id != project.pk:
        raise ValidationError({"activity": _("La actividad es de otro proyecto.")})
    _write(
        agreement,
        "agreement.created" if is_new else "agreement.updated",
        by=by,
        before=before,
        institution=project.agency,
    )
    return agreement
