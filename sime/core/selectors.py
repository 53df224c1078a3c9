from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from sime.core.models import AuditEvent, AuditEventQuerySet


def audit_events(
    *,
    actor_id: int | None = None,
    institution_id: int | None = None,
    content_type_id: int | None = None,
    object_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    text: str = "",
) -> AuditEventQuerySet:
    """Audit entries newest first, filtered by whatever the reader chose."""
    events = AuditEvent.objects.select_related("actor", "content_type")
    filters: dict[str, Any] = {}
    if actor_id:
        filters["actor_id"] = actor_id
    if institution_id:
        filters["institution_id"] = institution_id
    if content_type_id:
        filters["content_type_id"] = content_type_id
    if object_id:
        filters["object_id"] = object_id
    if action:
        filters["action"] = action
    if date_from:
        filters["occurred_at__date__gte"] = date_from
    if date_to:
        filters["occurred_at__date__lte"] = date_to
    events = events.filter(**filters)
    if text:
        events = events.filter(
            Q(object_repr__icontains=text) | Q(actor_email__icontains=text) | Q(action__icontains=text)
        )
    return events


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
