"""Evaluations of the policy, their findings and recommendations, each addressed institution's
management response with its improvement plan, and the plan's progress until it is closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sime.core.models import TimeStampedModel
from sime.evaluation.workflow import (
    CLOSING_STATUSES,
    OVERDUE,
    OVERDUE_LABEL,
    ActionStatus,
    Closure,
    Decision,
    EvaluationStatus,
    ResponseStatus,
)


class EvaluationKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnóstico")
    DESIGN = "design", _("Diseño")
    PROCESS = "process", _("Proceso / implementación")
    RESULTS = "results", _("Resultados")
    IMPACT = "impact", _("Impacto")
    THEMATIC = "thematic", _("Temática")


class EvaluationMoment(models.TextChoices):
    MIDTERM = "midterm", _("Intermedia")
    FINAL = "final", _("Final")


class EvaluatorKind(models.TextChoices):
    INTERNAL = "internal", _("Interna (DEPM)")
    EXTERNAL = "external", _("Externa")


class Evaluation(TimeStampedModel):
    policy = models.ForeignKey(
        "policy.Policy", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("política")
    )
    code = models.CharField(_("código"), max_length=20, unique=True)
    title = models.CharField(_("título"), max_length=300)
    kind = models.CharField(_("tipo"), max_length=16, choices=EvaluationKind.choices)
    moment = models.CharField(_("momento"), max_length=10, choices=EvaluationMoment.choices, blank=True)
    whole_policy = models.BooleanField(_("abarca toda la política"), default=True)
    nodes = models.ManyToManyField(
        "policy.PolicyNode", blank=True, related_name="evaluations", verbose_name=_("ejes o nodos evaluados")
    )
    indicators = models.ManyToManyField(
        "policy.Indicator", blank=True, related_name="evaluations", verbose_name=_("indicadores evaluados")
    )
    projects = models.ManyToManyField(
        "activities.Project", blank=True, related_name="evaluations", verbose_name=_("proyectos de cooperación")
    )
    evaluator_kind = models.CharField(_("quién evalúa"), max_length=10, choices=EvaluatorKind.choices)
    evaluator_name = models.CharField(_("equipo o firma evaluadora"), max_length=300, blank=True)
    consultancy = models.ForeignKey(
        "activities.Consultancy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
        verbose_name=_("consultoría de cooperación"),
    )
    plan_year = models.PositiveSmallIntegerField(
        _("año del plan"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_start = models.DateField(_("inicio previsto"))
    planned_end = models.DateField(_("fin previsto"))
    actual_start = models.DateField(_("inicio real"), null=True, blank=True)
    actual_end = models.DateField(_("fin real"), null=True, blank=True)
    responses_due_on = models.DateField(
        _("plazo de las respuestas"),
        null=True,
        blank=True,
        help_text=_("Fecha en que las instituciones deben haber enviado su respuesta y plan de mejora."),
    )
    terms_of_reference = models.TextField(_("términos de referencia"), blank=True)
    methodology = models.TextField(_("metodología"), blank=True)
    questions = models.TextField(_("preguntas de evaluación"), blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.PLANNED
    )
    concluded_at = models.DateTimeField(_("concluida el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True)
    # The monitoring reading frozen at conclusion (FrozenFigure rows): its year and cut-off date.
    snapshot_year = models.PositiveSmallIntegerField(_("año de las cifras congeladas"), null=True, blank=True)
    snapshot_until = models.DateField(_("cifras congeladas al"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        ordering = ["-plan_year", "planned_start", "code"]
        constraints = [
            models.CheckConstraint(
                name="evaluation_planned_dates_in_order",
                condition=Q(planned_end__gte=F("planned_start")),
                violation_error_message=_("El fin previsto no puede ser anterior al inicio previsto."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, Any] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("El fin previsto no puede ser anterior al inicio previsto.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("El fin real no puede ser anterior al inicio real.")
        if self.consultancy_id and self.evaluator_kind != EvaluatorKind.EXTERNAL:
            errors["consultancy"] = _("Solo una evaluación externa se vincula a una consultoría.")
        if errors:
            raise ValidationError(errors)


class DocumentRole(models.TextChoices):
    TERMS = "terms", _("Términos de referencia")
    REPORT = "report", _("Informe de evaluación")
    ANNEX = "annex", _("Anexo")


def document_path(instance: EvaluationDocument, filename: str) -> str:
    return f"evaluations/{instance.evaluation_id}/{filename}"


def action_evidence_path(instance: ActionEvidence, filename: str) -> str:
    return f"evaluations/actions/{instance.action_id}/{filename}"


class EvaluationDocument(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="documents")
    role = models.CharField(_("documento"), max_length=8, choices=DocumentRole.choices)
    file = models.FileField(_("archivo"), upload_to=document_path)
    original_name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=8)
    size = models.PositiveIntegerField(_("tamaño"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("documento de evaluación")
        verbose_name_plural = _("documentos de evaluación")
        ordering = ["role", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FindingKind(models.TextChoices):
    FINDING = "finding", _("Hallazgo")
    CONCLUSION = "conclusion", _("Conclusión")


class Finding(TimeStampedModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("tipo"), max_length=12, choices=FindingKind.choices, default=FindingKind.FINDING)
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("texto"))
    nodes = models.ManyToManyField("policy.PolicyNode", blank=True, related_name="+", verbose_name=_("nodos"))
    indicators = models.ManyToManyField("policy.Indicator", blank=True, related_name="+", verbose_name=_("indicadores"))

    class Meta:
        verbose_name = _("hallazgo o conclusión")
        verbose_name_plural = _("hallazgos y conclusiones")
        ordering = ["evaluation", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "kind", "number"], name="finding_number_unique"),
        ]

    def __str__(self) -> str:
        prefix = "H" if self.kind == FindingKind.FINDING else "C"
        return f"{prefix}{self.number}"


class FrozenFigure(models.Model):
    """A node's or an indicator's monitoring figures as they were when the evaluation concluded."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="frozen_figures")
    node = models.ForeignKey("policy.PolicyNode", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("policy.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actual = models.DecimalField(_("valor"), max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("meta"), max_digits=20, decimal_places=4, null=True, blank=True)
    percent = models.DecimalField(_("avance %"), max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("estado"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("cifra congelada")
        verbose_name_plural = _("cifras congeladas")
        constraints = [
            models.CheckConstraint(
                name="frozen_figure_of_one_thing",
                condition=Q(node__isnull=False, indicator__isnull=True) | Q(node__isnull=True, indicator__isnull=False),
            ),
            models.UniqueConstraint(fields=["evaluation", "node"], name="frozen_node_unique"),
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="frozen_indicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.node_id or self.indicator_id}"


class Priority(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja")


class ActionScope(models.TextChoices):
    """CONEVAL's classification: who must act on the recommendation."""

    ONE_INSTITUTION = "one", _("Una institución")
    SEVERAL_INSTITUTIONS = "several", _("Varias instituciones")
    WHOLE_SYSTEM = "system", _("Todo el sistema")


class Recommendation(TimeStampedModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("recomendación"))
    priority = models.CharField(_("prioridad"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    scope = models.CharField(_("tipo de acción"), max_length=8, choices=ActionScope.choices)
    nodes = models.ManyToManyField(
        "policy.PolicyNode", blank=True, related_name="recommendations", verbose_name=_("nodos")
    )
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations", verbose_name=_("hallazgos"))
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("recomendación")
        verbose_name_plural = _("recomendaciones")
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="recommendation_number_unique"),
        ]

    def __str__(self) -> str:
        return f"R{self.number}"


class Response(TimeStampedModel):
    """One addressed institution's management response to a recommendation, with its plan."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="evaluation_responses"
    )
    status = models.CharField(
        _("estado"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.PENDING
    )
    decision = models.CharField(_("respuesta"), max_length=20, choices=Decision.choices, blank=True)
    justification = models.TextField(_("justificación"), blank=True)
    technical_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    technical_signed_at = models.DateTimeField(null=True, blank=True)
    planning_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planning_signed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(_("validada el"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("respuesta de la gerencia")
        verbose_name_plural = _("respuestas de la gerencia")
        ordering = ["recommendation", "institution__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "institution"], name="one_response_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.institution.acronym}"


class ImprovementAction(TimeStampedModel):
    """One action of an institution's improvement plan (an *aspecto susceptible de mejora*)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("número"))
    description = models.TextField(_("acción"))
    responsible_area = models.CharField(_("área responsable"), max_length=200)
    starts_on = models.DateField(_("inicio"))
    due_on = models.DateField(_("fecha límite"))
    expected_result = models.TextField(_("resultado esperado"))
    verification_means = models.TextField(_("medio de verificación"))
    status = models.CharField(
        _("estado"), max_length=24, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    percent = models.DecimalField(
        _("% de avance"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    status_reason = models.TextField(_("motivo"), blank=True)
    progress_note = models.TextField(_("descripción del avance"), blank=True)
    closure = models.CharField(_("cierre"), max_length=10, choices=Closure.choices, default=Closure.NONE, blank=True)
    closure_reported_at = models.DateTimeField(null=True, blank=True)
    closure_validated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("acción de mejora")
        verbose_name_plural = _("acciones de mejora")
        ordering = ["response", "number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="improvement_action_number_unique"),
            models.CheckConstraint(
                name="improvement_action_dates_in_order",
                condition=Q(due_on__gte=F("starts_on")),
                violation_error_message=_("La fecha límite no puede ser anterior al inicio."),
            ),
            models.CheckConstraint(
                name="improvement_action_percent_range", condition=Q(percent__gte=0, percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} · A{self.number}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Vencida: past its due date and not closed. Computed, never typed."""
        today = today or timezone.localdate()
        return self.status not in CLOSING_STATUSES and self.due_on < today

    def shown_status(self, today: dt.date | None = None) -> str:
        return OVERDUE if self.is_overdue(today) else self.status

    def shown_status_label(self, today: dt.date | None = None) -> str:
        return str(OVERDUE_LABEL) if self.is_overdue(today) else str(ActionStatus(self.status).label)


class ActionEvidence(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("archivo"), upload_to=action_evidence_path)
    original_name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=8)
    size = models.PositiveIntegerField(_("tamaño"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidencia de acción de mejora")
        verbose_name_plural = _("evidencias de acciones de mejora")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FollowUpComment(models.Model):
    """DEPM's observation when it returns a response (general or on one action) or a closure."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    action = models.ForeignKey(
        ImprovementAction, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("observación"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUpEvent(models.Model):
    """One step of the follow-up, for the timeline (the audit trail records it too)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Evaluación registrada")
        STATUS = "status", _("Cambio de estado de la evaluación")
        RECOMMENDATION = "recommendation", _("Recomendación registrada")
        ADDRESSEES = "addressees", _("Instituciones destinatarias cambiadas")
        SUBMIT = "submit", _("Respuesta enviada a visto bueno")
        SEND_BACK = "send_back", _("Respuesta regresada al enlace técnico")
        SIGN_OFF = "sign_off", _("Visto bueno dado y respuesta enviada")
        VALIDATE = "validate", _("Respuesta validada")
        RETURN = "return", _("Respuesta devuelta con observaciones")
        PROGRESS = "progress", _("Avance de acción reportado")
        CLOSURE_REPORTED = "closure_reported", _("Cierre de acción reportado")
        CLOSURE_VALIDATED = "closure_validated", _("Cierre de acción validado")
        CLOSURE_RETURNED = "closure_returned", _("Cierre de acción devuelto")
        CLOSED = "closed", _("Recomendación cerrada")
        REOPENED = "reopened", _("Recomendación reabierta")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.ForeignKey(
        ImprovementAction, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return str(self.Kind(self.kind).label)


class FollowUpReminderKind(models.TextChoices):
    RESPONSE_PENDING = "response", _("Respuesta pendiente")
    SIGNOFF_PENDING = "signoff", _("Visto bueno pendiente")
    ACTION_DUE = "action_due", _("Acción de mejora por vencer")
    ACTION_OVERDUE = "action_overdue", _("Acción de mejora vencida")


class FollowUpReminderLog(models.Model):
    """One reminder e-mail to one person about one response or action on one day: at most once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(ImprovementAction, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FollowUpReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "response", "kind", "sent_on"],
                condition=Q(action__isnull=True),
                name="response_reminder_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "action", "kind", "sent_on"],
                condition=Q(action__isnull=False),
                name="action_reminder_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_on}"
