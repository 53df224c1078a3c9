from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain models: when a row was created and last changed."""

    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One write that went through a service: who, when, which object, what changed.

    Rows are only ever created by `sime.core.audit.record_event`; nothing updates them.
    The institution is kept as a plain id and a name snapshot because `core` sits below
    `institutions` and must not depend on it.
    """

    occurred_at = models.DateTimeField(_("fecha y hora"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.CharField(_("correo del usuario"), max_length=254, blank=True)
    institution_id = models.BigIntegerField(_("institución"), null=True, blank=True, db_index=True)
    institution_name = models.CharField(_("nombre de la institución"), max_length=300, blank=True)
    action = models.CharField(_("acción"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("tipo de objeto"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("id del objeto"), max_length=64)
    object_repr = models.CharField(_("objeto"), max_length=300)
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    data = models.JSONField(_("datos"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """`focal_point.designated` → "Enlace institucional: designación" (in the active language)."""
        model = self.content_type.model_class()
        subject = str(model._meta.verbose_name).capitalize() if model else self.content_type.model
        verb = self.action.rsplit(".", 1)[-1]
        return f"{subject}: {VERB_LABELS.get(verb, verb)}"

    @property
    def labelled_changes(self) -> list[tuple[str, Any, Any]]:
        """(field's verbose name, before, after) for each changed field."""
        model = self.content_type.model_class()
        rows = []
        for name, change in self.changes.items():
            try:
                field = model._meta.get_field(name) if model else None
                label = str(getattr(field, "verbose_name", name))
            except FieldDoesNotExist:
                label = name
            rows.append((label, change.get("before"), change.get("after")))
        return rows


# The verb of every audit event kind the services write (`<subject>.<verb>`); the subject comes from
# the object's model. sime/core/tests/test_audit.py checks that every kind emitted in the code is here.
VERB_LABELS = {
    # generic
    "created": _("creación"),
    "updated": _("modificación"),
    # the public portal
    "published": _("publicación en el portal"),
    "unpublished": _("retiro del portal"),
    "deleted": _("eliminación"),
    "imported": _("importación"),
    "status_changed": _("cambio de estado"),
    # people and institutions
    "designated": _("designación"),
    "ended": _("finalización"),
    "password_changed": _("cambio de contraseña"),
    "created_as_focal_point": _("cuenta creada al designarlo enlace"),
    "deactivated": _("cuenta desactivada al terminar su designación"),
    "reactivated": _("cuenta reactivada al designarlo enlace"),
    "planning_exemption": _("exención del visto bueno de planificación"),
    # policy
    "thresholds_updated": _("cambio de umbrales"),
    # reporting periods and instruments
    "opened": _("apertura"),
    "closed": _("cierre"),
    "item_saved": _("elemento guardado"),
    "bulk_saved": _("elementos guardados en bloque"),
    "technical_signed": _("completado por el enlace técnico"),
    "planning_signed": _("visto bueno de planificación"),
    "signatures_cleared": _("firmas anuladas por un cambio"),
    "send": _("envío"),
    "start_review": _("inicio de la revisión"),
    "approve": _("aprobación"),
    "return": _("devolución con observaciones"),
    "reopen": _("reapertura"),
    # evidence and files
    "evidence_added": _("medio de verificación agregado"),
    "evidence_removed": _("medio de verificación eliminado"),
    "evidence_deleted": _("medio de verificación eliminado"),
    "means_of_verification_added": _("medio de verificación agregado"),
    "means_of_verification_deleted": _("medio de verificación eliminado"),
    "deliverable_file_added": _("archivo de producto agregado"),
    "deliverable_file_deleted": _("archivo de producto eliminado"),
    "document_added": _("documento agregado"),
    "document_removed": _("documento eliminado"),
    # projects
    "assignments_set": _("funciones y productos actualizados"),
    "participant_added": _("participante agregado"),
    "participant_deleted": _("participante eliminado"),
    "participants_imported": _("lista de asistencia importada"),
    # evaluation
    "finding_saved": _("hallazgo guardado"),
    "finding_deleted": _("hallazgo eliminado"),
    "recommendation_saved": _("recomendación guardada"),
    "recommendation_closed": _("recomendación cerrada"),
    "recommendation_reopened": _("recomendación reabierta"),
    "answer_saved": _("respuesta guardada"),
    "plan_action_saved": _("acción del plan de mejora guardada"),
    "plan_action_removed": _("acción del plan de mejora eliminada"),
    "progress_reported": _("avance informado"),
    "closure_validated": _("cierre validado"),
    "closure_returned": _("cierre devuelto"),
    "response_submit": _("respuesta enviada a visto bueno"),
    "response_send_back": _("respuesta regresada al enlace técnico"),
    "response_sign_off": _("visto bueno de la respuesta"),
    "response_validate": _("respuesta validada"),
    "response_return": _("respuesta devuelta con observaciones"),
}
