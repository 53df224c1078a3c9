"""What DEPM has decided the public may see: one row per publication, kept after it ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicationKind(models.TextChoices):
    PERIOD = "period", _("Cifras aprobadas de un periodo")
    PROJECT = "project", _("Resumen de un proyecto de cooperación")
    EVENT = "event", _("Evento de socialización")


# The field that names the published object, per kind.
TARGET_FIELD = {
    PublicationKind.PERIOD: "period",
    PublicationKind.PROJECT: "project",
    PublicationKind.EVENT: "activity",
}


class PublicationQuerySet(models.QuerySet["Publication"]):
    def current(self) -> PublicationQuerySet:
        return self.filter(unpublished_at__isnull=True)


class Publication(models.Model):
    """A publication of one object; unpublishing (with its reason) ends it and keeps the row.

    A period's publication covers the instruments approved when it was made: an instrument
    reopened and approved again afterwards stays out of the public figures until DEPM publishes
    the period again (see `selectors.published_submissions`).
    """

    kind = models.CharField(_("qué se publica"), max_length=10, choices=PublicationKind.choices)
    period = models.ForeignKey(
        "reporting.ReportingPeriod", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    project = models.ForeignKey(
        "activities.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    published_at = models.DateTimeField(_("publicado el"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("publicado por")
    )
    unpublished_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("retirado por"),
    )
    unpublish_reason = models.TextField(_("motivo del retiro"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicación")
        verbose_name_plural = _("publicaciones")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="publication_names_its_object",
                condition=(
                    Q(kind=PublicationKind.PERIOD, period__isnull=False, project__isnull=True, activity__isnull=True)
                    | Q(kind=PublicationKind.PROJECT, period__isnull=True, project__isnull=False, activity__isnull=True)
                    | Q(kind=PublicationKind.EVENT, period__isnull=True, project__isnull=True, activity__isnull=False)
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=[field], condition=Q(unpublished_at__isnull=True), name=f"one_current_publication_{field}"
                )
                for field in TARGET_FIELD.values()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self) -> models.Model:
        return getattr(self, TARGET_FIELD[PublicationKind(self.kind)])

    @property
    def is_current(self) -> bool:
        return self.unpublished_at is None
