from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from sime.notifications import selectors

if TYPE_CHECKING:
    from sime.accounts.models import User

BADGE_LIMIT = 99


class Bell:
    """The navbar bell of the signed-in person. It counts only when a page draws it, once (one query):
    htmx partials and downloads, which never draw the navbar, cost nothing."""

    def __init__(self, user: User) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return selectors.unread_count(self._user)

    @property
    def badge(self) -> str:
        return f"{BADGE_LIMIT}+" if self.unread > BADGE_LIMIT else str(self.unread)

    @property
    def label(self) -> str:
        """The button's accessible name: the badge is hidden from screen readers, this says it all."""
        if not self.unread:
            return gettext("Notificaciones")
        return ngettext("Notificaciones, %(count)s sin leer", "Notificaciones, %(count)s sin leer", self.unread) % {
            "count": self.unread
        }


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user)}
