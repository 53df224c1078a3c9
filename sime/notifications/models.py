"""In-app notifications: what happened that concerns one person, until they open it.

A notification is written by the same task that sends the workflow e-mail of that step, to the same
people (sime.reporting.notifications, sime.evaluation.notifications), so the bell and the mailbox
always agree. This app sits just above `accounts` so that every domain app may create them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from sime.accounts.models import User


def is_local_path(url: str) -> bool:
    """A path of this site («/reportes/…»), never an address elsewhere («//otro.sitio», «https://…», «/\\x»)."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


class NotificationKind(models.TextChoices):
    ACTION_REQUIRED = "action_required", _("Requiere su acción")
    RETURNED = "returned", _("Devuelto con observaciones")
    APPROVED = "approved", _("Aprobado o validado")
    REOPENED = "reopened", _("Reabierto")
    REMINDER = "reminder", _("Recordatorio")
    STATUS_CHANGED = "status_changed", _("Cambio de estado")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: User) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("texto"), max_length=300)
    # A path inside SIME-PM built with reverse(), never a full address: opening it cannot leave the site.
    url = models.CharField(_("enlace"), max_length=300)
    # What happened, once per person (e.g. «submission:12:return:event:345»): a retried task adds nothing.
    key = models.CharField(_("clave del hecho"), max_length=150)
    created_at = models.DateTimeField(_("fecha y hora"), default=timezone.now)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event"),
            models.CheckConstraint(condition=models.Q(url__startswith="/"), name="notification_url_is_a_path"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
