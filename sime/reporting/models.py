"""Reporting cycle: periods, one instrument (submission) per institution per period, its items.

Items are a snapshot taken when the period opens: the framework may change later, the
instrument keeps what was asked. Each item carries a `version` for optimistic locking.
"""

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
from sime.reporting.periods import PeriodKind
from sime.reporting.workflow import EDITABLE, Status, Transition


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", _("Planificado")
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")


class ReportingPeriod(TimeStampedModel):
    policy = models.ForeignKey(
        "policy.Policy", on_delete=models.PROTECT, related_name="periods", verbose_name=_("política")
    )
    code = models.CharField(_("código"), max_length=12)
    name = models.CharField(_("nombre"), max_length=100)
    kind = models.CharField(_("tipo"), max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveSmallIntegerField(_("número"), default=1)
    starts_on = models.DateField(_("inicio del periodo"))
    ends_on = models.DateField(_("fin del periodo"))
    opens_on = models.DateField(_("apertura de la recepción"))
    closes_on = models.DateField(_("cierre de la recepción"))
    status = models.CharField(_("estado"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED)
    opened_at = models.DateTimeField(_("abierto el"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodo de reporte")
        verbose_name_plural = _("periodos de reporte")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"],
                name="period_code_unique_in_policy",
                violation_error_message=_("Ya existe un periodo con este código."),
            ),
            models.CheckConstraint(
                name="period_dates_in_order",
                condition=Q(ends_on__gte=F("starts_on")) & Q(closes_on__gte=F("opens_on")),
                violation_error_message=_("Las fechas de fin no pueden ser anteriores a las de inicio."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def is_past_closing(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class Submission(TimeStampedModel):
    """An institution's instrument for one period (instrumento de recolección de información)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("periodo")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("institución")
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    technical_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    technical_signed_at = models.DateTimeField(_("completado por el enlace técnico"), null=True, blank=True)
    planning_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planning_signed_at = models.DateTimeField(_("visto bueno de planificación"), null=True, blank=True)
    first_sent_at = models.DateTimeField(_("primer envío"), null=True, blank=True)
    sent_at = models.DateTimeField(_("último envío"), null=True, blank=True)
    approved_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)
    total_items = models.PositiveIntegerField(_("ítems"), default=0)
    completed_items = models.PositiveIntegerField(_("ítems completos"), default=0)
    last_activity_at = models.DateTimeField(_("última actividad"), null=True, blank=True)

    class Meta:
        verbose_name = _("instrumento")
        verbose_name_plural = _("instrumentos")
        ordering = ["period", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "institution"], name="one_submission_per_institution_period"),
        ]

    def __str__(self) -> str:
        return f"{self.institution.acronym or self.institution.name} · {self.period.code}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def accepts_edits(self) -> bool:
        """Focal points may write: the instrument is theirs and its period is open."""
        return self.is_editable and self.period.status == PeriodStatus.OPEN

    @property
    def percent_complete(self) -> int:
        if not self.total_items:
            return 100
        return int(self.completed_items * 100 // self.total_items)

    @property
    def days_waiting(self) -> int | None:
        """Whole days since the last sending (how long it has waited for DEPM); None if never sent."""
        if self.sent_at is None:
            return None
        return (timezone.localdate() - timezone.localdate(self.sent_at)).days

    @property
    def is_late(self) -> bool:
        """Sent after the closing day, or not sent and the closing day has passed."""
        if self.first_sent_at is not None:
            return timezone.localdate(self.first_sent_at) > self.period.closes_on
        return self.period.is_past_closing()


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("No iniciada")
    IN_PROGRESS = "in_progress", _("En proceso")
    COMPLETED = "completed", _("Completada")
    DELAYED = "delayed", _("Atrasada")
    SUSPENDED = "suspended", _("Suspendida")


# A delayed or suspended action must say why.
NEEDS_NARRATIVE = frozenset({ActionStatus.DELAYED, ActionStatus.SUSPENDED})


class InstrumentItem(TimeStampedModel):
    """What both kinds of item share: place in the form, the axis it is shown under, its version."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="%(class)s_items")
    axis = models.ForeignKey(
        "policy.PolicyNode", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("eje")
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    is_complete = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["position"]


class ActionProgress(InstrumentItem):
    """The institution's progress on one line of action in the period."""

    action = models.ForeignKey("policy.Action", on_delete=models.PROTECT, related_name="progress_reports")
    status = models.CharField(_("estado"), max_length=12, choices=ActionStatus.choices, blank=True)
    progress_percent = models.DecimalField(
        _("% de avance"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    achievements = models.TextField(_("logros"), blank=True)
    obstacles = models.TextField(_("obstáculos"), blank=True)
    next_steps = models.TextField(_("próximos pasos"), blank=True)
    budget_allocated = models.DecimalField(
        _("presupuesto asignado (Q)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_executed = models.DecimalField(
        _("presupuesto ejecutado (Q)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_justification = models.TextField(_("justificación de la ejecución"), blank=True)
    beneficiaries_total = models.PositiveIntegerField(_("personas beneficiarias"), null=True, blank=True)
    # {dimension code: {category code: count}} for the dimensions used for beneficiaries.
    beneficiaries_by = models.JSONField(_("beneficiarios desagregados"), default=dict, blank=True)

    # What a focal point fills in; the form, the Excel sheet, the API and the audit share it.
    VALUE_FIELDS = (
        "status",
        "progress_percent",
        "achievements",
        "obstacles",
        "next_steps",
        "budget_allocated",
        "budget_executed",
        "budget_justification",
        "beneficiaries_total",
        "beneficiaries_by",
    )

    class Meta(InstrumentItem.Meta):
        verbose_name = _("avance de línea de acción")
        verbose_name_plural = _("avances de líneas de acción")
        constraints = [
            models.UniqueConstraint(fields=["submission", "action"], name="one_progress_per_action"),
            models.CheckConstraint(
                name="progress_percent_in_range",
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__gte=0, progress_percent__lte=100),
            ),
            models.CheckConstraint(
                name="budgets_not_negative",
                condition=(Q(budget_allocated__isnull=True) | Q(budget_allocated__gte=0))
                & (Q(budget_executed__isnull=True) | Q(budget_executed__gte=0)),
            ),
        ]

    def __str__(self) -> str:
        return str(self.action.node.code)

    @property
    def code(self) -> str:
        return str(self.action.node.code)

    kind_prefix = "a"


class IndicatorValue(InstrumentItem):
    """The value an institution reports for one indicator in the period."""

    indicator = models.ForeignKey("policy.Indicator", on_delete=models.PROTECT, related_name="reported_values")
    value = models.DecimalField(_("valor"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerador"), max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominador"), max_digits=18, decimal_places=4, null=True, blank=True)
    # {dimension code: {category code: value}} for the indicator's disaggregations.
    disaggregated = models.JSONField(_("valores desagregados"), default=dict, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    VALUE_FIELDS = ("value", "numerator", "denominator", "disaggregated", "notes")

    class Meta(InstrumentItem.Meta):
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="one_value_per_indicator"),
        ]

    def __str__(self) -> str:
        return str(self.indicator.code)

    @property
    def code(self) -> str:
        return str(self.indicator.code)

    kind_prefix = "i"


class ReviewComment(models.Model):
    """An Analista's observation on one item (or the whole instrument) when returning it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    action_progress = models.ForeignKey(
        ActionProgress, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    indicator_value = models.ForeignKey(
        IndicatorValue, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("observación"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The review round it belongs to: focal points see the latest round's comments beside the fields.
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SubmissionEvent(models.Model):
    """One step of the timeline: a transition or a signature, who, when, with what reason."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Instrumento generado")
        TECHNICAL_SIGNED = "technical_signed", _("Completado por el enlace técnico")
        PLANNING_SIGNED = "planning_signed", _("Visto bueno de planificación")
        SIGNATURES_CLEARED = "signatures_cleared", _("Firmas anuladas por un cambio")
        SEND = Transition.SEND.value, _("Enviado")
        START_REVIEW = Transition.START_REVIEW.value, _("Revisión iniciada")
        APPROVE = Transition.APPROVE.value, _("Aprobado")
        RETURN = Transition.RETURN.value, _("Devuelto con observaciones")
        REOPEN = Transition.REOPEN.value, _("Reabierto")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("paso"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("motivo"), blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    # On a return: every item's values at that moment (`return_changes.item_values`), so the next
    # review can show what changed since.
    values = models.JSONField(_("valores al devolver"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


def evidence_path(instance: Any, filename: str) -> str:
    return f"evidence/{instance.submission.period.code}/{instance.submission.institution_id}/{filename}"


class Evidence(models.Model):
    """A medio de verificación attached to an action's progress or an indicator value."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    action_progress = models.ForeignKey(
        ActionProgress, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    indicator_value = models.ForeignKey(
        IndicatorValue, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("archivo"), upload_to=evidence_path)
    original_name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=8)
    size = models.PositiveIntegerField(_("tamaño"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medio de verificación")
        verbose_name_plural = _("medios de verificación")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_on_one_item",
                condition=Q(action_progress__isnull=False, indicator_value__isnull=True)
                | Q(action_progress__isnull=True, indicator_value__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Antes del cierre")
    CLOSING_DAY = "closing_day", _("Día del cierre")
    OVERDUE = "overdue", _("Vencido")


class ReminderLog(models.Model):
    """One reminder e-mail to one person about one instrument on one day: sent at most once."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "recipient", "kind", "sent_on"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_on}"


class FactKind(models.TextChoices):
    INDICATOR = "indicator", _("Valor de indicador")
    BENEFICIARIES = "beneficiaries", _("Personas beneficiarias")


class ApprovedFact(models.Model):
    """One approved number, normalised for GROUP BY: the monitoring pages read only these rows.

    Written and deleted only by `reporting.facts` inside the approval and reopening transactions,
    so what the dashboards read is, by construction, exactly the approved instruments' values.
    A row is a total (empty `dimension` and `category`) or one category of one disaggregation.
    For indicator values, `value` is the reported value (a percentage for percentage indicators,
    whose `numerator` and `denominator` are kept so aggregates recompute the ratio).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="facts")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=FactKind.choices)
    indicator = models.ForeignKey(
        "policy.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_facts"
    )
    action = models.ForeignKey(
        "policy.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_facts"
    )
    # Copied from the period so that time grouping needs no join.
    year = models.PositiveSmallIntegerField()
    period_end = models.DateField()
    dimension = models.CharField(max_length=30, blank=True, default="")
    category = models.CharField(max_length=30, blank=True, default="")
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("dato aprobado")
        verbose_name_plural = _("datos aprobados")
        indexes = [
            # Totals per indicator over time (dashboards, IPTT, indicator pages).
            models.Index(fields=["kind", "dimension", "indicator", "period_end"], name="fact_indicator_series"),
            # Disaggregations of one indicator, and beneficiaries by dimension.
            models.Index(fields=["indicator", "dimension", "category"], name="fact_indicator_parts"),
            models.Index(fields=["kind", "year", "dimension", "category"], name="fact_year_parts"),
        ]
        constraints = [
            models.CheckConstraint(
                name="fact_names_its_subject",
                condition=Q(kind="indicator", indicator__isnull=False, action__isnull=True)
                | Q(kind="beneficiaries", action__isnull=False, indicator__isnull=True),
            ),
            models.CheckConstraint(
                name="fact_category_with_dimension",
                condition=Q(dimension="", category="") | (~Q(dimension="") & ~Q(category="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id} {self.dimension}:{self.category}"
