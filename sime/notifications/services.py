"""Writes of in-app notifications: tell the people a step concerns, mark what they opened, forget old ones.

`notify` is called by the tasks that send the workflow e-mails (sime.reporting.notifications,
sime.evaluation.notifications) with the same recipients. Notifications are not audited: they are
not domain data, and the step they tell of already has its audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from sime.accounts.permissions import require
from sime.notifications.models import Notification, NotificationKind, is_local_path

if TYPE_CHECKING:
    from sime.accounts.models import User

TEXT_LENGTH = Notification._meta.get_field("text").max_length or 300


@transaction.atomic
def notify(*, recipients: Iterable[User], kind: str, text: str, url: str, key: str) -> None:
    """One unread notification per person; a key already given to a person adds nothing (retried tasks)."""
    if not is_local_path(url):
        raise ValueError(f"A notification links to a path of this site, not to {url!r}.")
    kind = NotificationKind(kind)
    now = timezone.now()
    text = Truncator(text).chars(TEXT_LENGTH)
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind=kind, text=text, url=url, key=key, created_at=now)
            for person in recipients
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def mark_read(*, by: User, notification: Notification) -> Notification:
    """The person opened their notification: it is read from now on (a second opening changes nothing)."""
    require(by, "notifications.open_notification", notification)
    if notification.read_at is None:
        now = timezone.now()
        # Conditional, so that two openings at once keep the first time.
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
    return notification


@transaction.atomic
def mark_all_read(*, by: User) -> int:
    """Every unread notification of the person is read now; returns how many were unread."""
    require(by, "notifications.mark_notifications_read")
    return Notification.objects.for_recipient(by).unread().update(read_at=timezone.now())


@transaction.atomic
def delete_read_notifications(*, created_before: dt.datetime) -> int:
    """Retention: read notifications created before the date are deleted; unread ones are kept."""
    deleted, _by_model = Notification.objects.filter(read_at__isnull=False, created_at__lt=created_before).delete()
    return deleted
