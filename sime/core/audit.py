"""The audit trail: every service write ends with `record_event()`.

Before/after values are captured with `snapshot()` before the change and compared with
`diff()` afterwards, so a reader sees exactly which fields moved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from sime.core.models import AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a field value (Decimal and dates as text, exact)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> Snapshot:
    """The object's concrete field values; foreign keys as ids."""
    result: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "created_at", "updated_at", "last_login"}:
            continue
        result[field.name] = _plain(getattr(obj, field.attname))
    return result


def diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as {field: {"before": …, "after": …}}."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record_event(
    obj: models.Model,
    action: str,
    *,
    by: Any | None,
    changes: dict[str, dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
    institution: Any | None = None,
) -> AuditEvent:
    """Write one audit entry. `institution` is the institution concerned (default: the actor's)."""
    actor = by if getattr(by, "is_authenticated", False) else None
    concerned = institution if institution is not None else getattr(actor, "institution", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        institution_id=getattr(concerned, "pk", None),
        institution_name=str(concerned) if concerned is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        data={key: _plain(value) for key, value in (data or {}).items()},
    )
