"""Writes on cooperation projects: permission → validate (whole object) → write → audit."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.accounts.permissions import require
from sime.activities.models import (
    SECTORS,
    Activity,
    ActivityEvidence,
    Agreement,
    Assignment,
    Consultancy,
    Deliverable,
    MeansOfVerification,
    Participant,
    Project,
)
from sime.core.audit import diff, record_event, snapshot
from sime.core.uploads import EVIDENCE_TYPES, validate_document

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
        # Assignments and deliverables are written anew; a deliverable whose assignment name and title are
        # unchanged keeps its file, and a file left without its deliverable goes once the edit is committed.
        files: dict[tuple[str, str], list[str]] = {}
        for key_name, key_title, stored in (
            Deliverable.objects.filter(assignment__consultancy=consultancy)
            .exclude(document="")
            .order_by("assignment__order", "pk")
            .values_list("assignment__name", "title", "document")
        ):
            files.setdefault((key_name, key_title), []).append(stored)
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
                kept = files.get((name, item.title))
                if kept and not item.document:
                    item.document = kept.pop(0)  # type: ignore[assignment]
                item.full_clean()
                item.save()
        dropped = [stored for names in files.values() for stored in names]
        record_event(
            consultancy,
            "consultancy.assignments_set",
            by=by,
            data={"assignments": len(assignments), **({"files_removed": dropped} if dropped else {})},
            institution=project.agency,
        )
        for stored in dropped:
            transaction.on_commit(partial(default_storage.delete, stored))
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


# --- Participants (personal data: DEPM only) ---------------------------------------------

PARTICIPANTS_RULE = "activities.change_participants"


@transaction.atomic
def add_participant(*, by: User | None, activity: Activity, **fields: Any) -> Participant:
    if by is not None:
        require(by, PARTICIPANTS_RULE, activity.project)
    participant = Participant(activity=activity)
    _apply(participant, fields, ("name", "institution", "sector", "sex", "contact"))
    participant.full_clean()
    participant.save()
    # Names and contacts stay out of the audit trail: it records that a list changed, not who is on it.
    record_event(activity, "activity.participant_added", by=by, institution=activity.project.agency)
    return participant


@transaction.atomic
def delete_participant(*, by: User | None, participant: Participant) -> None:
    activity = participant.activity
    if by is not None:
        require(by, PARTICIPANTS_RULE, activity.project)
    participant.delete()
    record_event(activity, "activity.participant_deleted", by=by, institution=activity.project.agency)


@transaction.atomic
def import_participants(*, by: User | None, activity: Activity, upload: Any) -> list[Participant]:
    """Add every person of an attendance list (.xlsx or .csv). The whole file is validated first
    (ParticipantImportError lists every problem); nothing is saved unless all of it is valid."""
    from sime.activities.participant_import import read_participants

    if by is not None:
        require(by, PARTICIPANTS_RULE, activity.project)
    people = read_participants(upload)
    created = []
    for person in people:
        participant = Participant(activity=activity, **person)
        participant.full_clean()
        created.append(participant)
    Participant.objects.bulk_create(created)
    record_event(
        activity,
        "activity.participants_imported",
        by=by,
        data={"count": len(created)},
        institution=activity.project.agency,
    )
    return created


# --- Evidence files and means of verification --------------------------------------------


def _checked_upload(upload: UploadedFile, field: str) -> None:
    try:
        validate_document(upload, EVIDENCE_TYPES)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def add_activity_evidence(
    *, by: User | None, activity: Activity, kind: str, document: UploadedFile, title: str = ""
) -> ActivityEvidence:
    """Attach a file (memoria, attendance list, photo, …) to an activity, judged by its content."""
    if by is not None:
        require(by, RULE, activity.project)
    _checked_upload(document, "document")
    evidence = ActivityEvidence(activity=activity, kind=kind, title=title, document=document, uploaded_by=by)
    evidence.full_clean()
    evidence.save()
    record_event(
        evidence,
        "activity.evidence_added",
        by=by,
        data={"activity": activity.pk, "file": evidence.document.name},
        institution=activity.project.agency,
    )
    return evidence


@transaction.atomic
def delete_activity_evidence(*, by: User | None, evidence: ActivityEvidence) -> None:
    project = evidence.activity.project
    if by is not None:
        require(by, RULE, project)
    name = evidence.document.name or ""
    record_event(
        evidence,
        "activity.evidence_deleted",
        by=by,
        data={"activity": evidence.activity_id, "file": name},
        institution=project.agency,
    )
    evidence.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def add_means_of_verification(
    *, by: User | None, project: Project, title: str, document: UploadedFile | None = None
) -> MeansOfVerification:
    """A line of section 10 of the report, with its file when there is one."""
    if by is not None:
        require(by, RULE, project)
    if document is not None:
        _checked_upload(document, "document")
    order = (project.means_of_verification.aggregate(last=Max("order"))["last"] or 0) + 1
    item = MeansOfVerification(project=project, title=title, order=order, uploaded_by=by)
    if document is not None:
        item.document = document  # type: ignore[assignment]
    item.full_clean()
    item.save()
    record_event(
        item,
        "project.means_of_verification_added",
        by=by,
        data={"file": item.document.name or ""},
        institution=project.agency,
    )
    return item


@transaction.atomic
def delete_means_of_verification(*, by: User | None, item: MeansOfVerification) -> None:
    project = item.project
    if by is not None:
        require(by, RULE, project)
    name = item.document.name or ""
    record_event(item, "project.means_of_verification_deleted", by=by, data={"file": name}, institution=project.agency)
    item.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


# --- The file of a consultancy's deliverable ---------------------------------------------


@transaction.atomic
def attach_deliverable_file(*, by: User | None, deliverable: Deliverable, document: UploadedFile) -> Deliverable:
    """Store the file a consultant handed in for a deliverable, judged by its content; it replaces the
    previous one, whose stored file goes once the change is committed."""
    consultancy = deliverable.assignment.consultancy
    project = consultancy.project
    if by is not None:
        require(by, RULE, project)
    _checked_upload(document, "document")
    previous = deliverable.document.name or ""
    deliverable.document = document  # type: ignore[assignment]
    deliverable.full_clean()
    deliverable.save()
    record_event(
        deliverable,
        "consultancy.deliverable_file_added",
        by=by,
        data={
            "consultancy": consultancy.pk,
            "file": deliverable.document.name,
            **({"replaced": previous} if previous else {}),
        },
        institution=project.agency,
    )
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return deliverable


@transaction.atomic
def remove_deliverable_file(*, by: User | None, deliverable: Deliverable) -> None:
    consultancy = deliverable.assignment.consultancy
    project = consultancy.project
    if by is not None:
        require(by, RULE, project)
    name = deliverable.document.name or ""
    if not name:
        return
    record_event(
        deliverable,
        "consultancy.deliverable_file_deleted",
        by=by,
        data={"consultancy": consultancy.pk, "file": name},
        institution=project.agency,
    )
    deliverable.document = ""  # type: ignore[assignment]
    deliverable.save(update_fields=["document"])
    transaction.on_commit(lambda: default_storage.delete(name))
