"""Rendered documents kept for the next reader (see `report_store`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


class RenderedReport(models.Model):
    """A project's informe as last rendered, with the fingerprint of what it was rendered from.

    Served again while a freshly built report has the same fingerprint; one row per project and
    format, replaced when the content changes. Derived data: no audit, nothing edits it."""

    project = models.ForeignKey(
        "activities.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("proyecto")
    )
    format = models.CharField(_("formato"), max_length=4, choices=ReportFormat.choices)
    fingerprint = models.CharField(_("huella del contenido"), max_length=64)
    content = models.BinaryField(_("documento"))
    rendered_at = models.DateTimeField(_("generado"), auto_now=True)

    class Meta:
        verbose_name = _("informe generado")
        verbose_name_plural = _("informes generados")
        constraints = [
            models.UniqueConstraint(fields=["project", "format"], name="one_rendered_report_per_format"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}.{self.format}"
