"""Reads of in-app notifications: always the signed-in person's own (recipient_scope)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sime.accounts.permissions import recipient_scope
from sime.notifications.models import Notification

if TYPE_CHECKING:
    from sime.accounts.models import User

MENU_SIZE = 8


def own_notifications(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first; anyone else's are not there (a 404 in views)."""
    return recipient_scope(user, Notification.objects.all()).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread: one COUNT over the (recipient, read_at) index."""
    return recipient_scope(user, Notification.objects.unread()).count()


def latest_notifications(user: User, *, limit: int = MENU_SIZE) -> list[Notification]:
    """The bell's menu: the latest notifications, read or not."""
    return list(own_notifications(user)[:limit])


def notification_list(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The notifications page: all of the person's, or the unread ones only."""
    notifications = own_notifications(user)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications
