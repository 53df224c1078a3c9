"""Builders for notification tests: notifications written through the one service, as tasks do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sime.notifications.models import Notification
from sime.notifications.services import notify


def make_notifications(
    user: Any,
    count: int = 1,
    *,
    url: str = "/reportes/instrumentos/1/",
    kind: str = "returned",
    prefix: str = "n",
    created_at: dt.datetime | None = None,
) -> list[Notification]:
    """`count` unread notifications of `user`, the last one the newest."""
    for number in range(count):
        notify(recipients=[user], kind=kind, text=f"Aviso {number + 1}.", url=url, key=f"{prefix}:{number}")
    made = list(Notification.objects.filter(recipient=user, key__startswith=f"{prefix}:").order_by("pk"))
    if created_at is not None:
        Notification.objects.filter(pk__in=[n.pk for n in made]).update(created_at=created_at)
    return made
