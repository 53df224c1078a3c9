"""Evidence files (medios de verificación): attach to an item, remove, while the instrument is editable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sime.core.audit import record_event
from sime.core.file_types import validate_evidence
from sime.core.numbers import parse_id
from sime.reporting.models import ActionProgress, Evidence, IndicatorValue, Submission
from sime.reporting.services import require_editable

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sime.accounts.models import User


def find_item(submission: Submission, key: str) -> ActionProgress | IndicatorValue:
    """«a12» is action progress 12 and «i7» indicator value 7, of this instrument only."""
    model: Any = {"a": ActionProgress, "i": IndicatorValue}.get(key[:1])
    pk = parse_id(key[1:])
    if model is None or pk is None:
        raise ValidationError({"item": _("Ítem no válido.")})
    try:
        return model.objects.get(pk=pk, submission=submission)
    except model.DoesNotExist as error:
        raise ValidationError({"item": _("Ítem no válido.")}) from error


@transaction.atomic
def add_evidence(
    *, by: User, submission: Submission, item: ActionProgress | IndicatorValue, upload: UploadedFile
) -> Evidence:
    submission = Submission.objects.select_related("period", "institution").get(pk=submission.pk)
    require_editable(by, submission)
    if item.submission_id != submission.pk:
        raise ValidationError({"item": _("Ítem no válido.")})
    original = upload.name or ""
    try:
        kind = validate_evidence(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    evidence = Evidence(
        submission=submission,
        action_progress=item if isinstance(item, ActionProgress) else None,
        indicator_value=item if isinstance(item, IndicatorValue) else None,
        original_name=(upload.name or original)[:200],
        kind=kind,
        size=upload.size or 0,
        uploaded_by=by,
    )
    evidence.file.save(upload.name or "evidencia", upload, save=False)
    evidence.save()
    record_event(
        evidence,
        "submission.evidence_added",
        by=by,
        institution=submission.institution,
        data={"submission": submission.pk, "item": str(item), "kind": kind, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def remove_evidence(*, by: User, evidence: Evidence) -> None:
    submission = Submission.objects.select_related("period", "institution").get(pk=evidence.submission_id)
    require_editable(by, submission)
    name, stored = evidence.original_name, evidence.file.name or ""
    record_event(
        evidence, "submission.evidence_removed", by=by, institution=submission.institution, data={"name": name}
    )
    evidence.delete()
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(stored))
