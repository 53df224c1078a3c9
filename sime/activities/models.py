"""Cooperation projects and what they pay for: events (activities), consultancies with their
assignments, follow-up agreements and means of verification. Money is Decimal (GTQ, 2 places)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sime.core.formatting import format_number
from sime.core.models import TimeStampedModel

CENTAVOS = Decimal("0.01")


def _money_field(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )


def _check_two_decimals(value: Decimal | None, field: str, errors: dict[str, Any]) -> None:
    if value is not None and value != value.quantize(CENTAVOS):
        errors[field] = _("Use como máximo dos decimales.")


class Modality(models.TextChoices):
    IN_KIND = "in_kind", _("Donación en especie")
    FINANCIAL = "financial", _("Donación financiera")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Asistencia técnica")


class Project(TimeStampedModel):
    title = models.CharField(_("título"), max_length=300)
    agency = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="funded_projects",
        verbose_name=_("agencia cooperante"),
    )
    modality = models.CharField(_("modalidad"), max_length=24, choices=Modality.choices)
    area = models.CharField(_("área administrativa a cargo"), max_length=200)
    responsible_name = models.CharField(_("persona responsable"), max_length=200)
    responsible_position = models.CharField(_("cargo de la persona responsable"), max_length=200)
    start_date = models.DateField(_("fecha de inicio"))
    end_date = models.DateField(_("fecha de finalización"))
    introduction = models.TextField(_("introducción"), blank=True)
    justification = models.TextField(_("justificación"), blank=True)
    general_objective = models.TextField(_("objetivo general"), blank=True)
    specific_objectives = models.JSONField(_("objetivos específicos"), default=list, blank=True)
    location = models.TextField(_("localización geográfica y área de influencia"), blank=True)
    direct_beneficiaries = models.TextField(_("beneficiarios directos"), blank=True)
    indirect_beneficiaries = models.TextField(_("beneficiarios indirectos"), blank=True)
    policy_nodes = models.ManyToManyField(
        "policy.PolicyNode", blank=True, related_name="projects", verbose_name=_("contribuye a")
    )
    signatory_name = models.CharField(_("firma: nombre"), max_length=200, blank=True)
    signatory_position = models.CharField(_("firma: cargo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("proyecto de cooperación")
        verbose_name_plural = _("proyectos de cooperación")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                name="project_dates_in_order",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message=_("La fecha de finalización no puede ser anterior a la de inicio."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fecha de finalización no puede ser anterior a la de inicio.")})


class ActivityKind(models.TextChoices):
    PUBLIC_EVENT = "public_event", _("Evento público")
    INFORMATIVE_MEETING = "informative_meeting", _("Reunión informativa")
    INTERSECTORAL_DIALOGUE = "intersectoral_dialogue", _("Diálogo intersectorial")
    WORKSHOP = "workshop", _("Taller o capacitación")
    CAMPAIGN = "campaign", _("Campaña o material de socialización")
    OTHER = "other", _("Otra")


class Purpose(models.TextChoices):
    IMPLEMENTATION = "implementation", _("Implementación")
    SOCIALIZATION = "socialization", _("Socialización")
    MONITORING_EVALUATION = "monitoring_evaluation", _("Monitoreo y evaluación")


# Attendance sectors: API code → (model field, Spanish label).
SECTORS: dict[str, tuple[str, Any]] = {
    "government": ("attendance_government", _("Gubernamental")),
    "civil_society": ("attendance_civil_society", _("Sociedad civil")),
    "academia": ("attendance_academia", _("Academia")),
    "private_sector": ("attendance_private_sector", _("Sector privado organizado")),
    "international": ("attendance_international", _("Organismos internacionales")),
    "other": ("attendance_other", _("Otros")),
}


def _count_field(label: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class Activity(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="activities", verbose_name=_("proyecto")
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=ActivityKind.choices)
    title = models.CharField(_("título"), max_length=300)
    description = models.TextField(_("descripción y propósito"), blank=True)
    start_date = models.DateField(_("fecha"))
    end_date = models.DateField(_("fecha de finalización"), null=True, blank=True)
    department = models.ForeignKey(
        "institutions.Department", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("departamento")
    )
    municipality = models.CharField(_("municipio"), max_length=120, blank=True)
    venue = models.CharField(_("lugar"), max_length=200, blank=True)
    attendance_total = models.PositiveIntegerField(_("asistencia total"), default=0)
    attendance_government = _count_field(_("gubernamental"))
    attendance_civil_society = _count_field(_("sociedad civil"))
    attendance_academia = _count_field(_("academia"))
    attendance_private_sector = _count_field(_("sector privado organizado"))
    attendance_international = _count_field(_("organismos internacionales"))
    attendance_other = _count_field(_("otros"))
    attendance_women = _count_field(_("mujeres"))
    attendance_men = _count_field(_("hombres"))
    cost = _money_field(_("costo (Q)"))
    purpose = models.CharField(_("propósito"), max_length=24, choices=Purpose.choices, default=Purpose.SOCIALIZATION)

    class Meta:
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        ordering = ["project", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="activity_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("La fecha de finalización no puede ser anterior a la de inicio."),
            ),
            models.CheckConstraint(
                name="activity_cost_not_negative",
                condition=Q(cost__gte=0),
                violation_error_message=_("El costo no puede ser negativo."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def attendance_by_sector(self) -> dict[str, int]:
        """Sector code → count, only for the sectors given."""
        return {
            code: getattr(self, field) for code, (field, _label) in SECTORS.items() if getattr(self, field) is not None
        }

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fecha de finalización no puede ser anterior a la de inicio.")
        _check_two_decimals(self.cost, "cost", errors)
        by_sector = self.attendance_by_sector()
        total = self.attendance_total or 0
        if sum(by_sector.values()) > total:
            errors["attendance_total"] = _("La asistencia por sector (%(sum)s) supera el total (%(total)s).") % {
                "sum": format_number(sum(by_sector.values())),
                "total": format_number(total),
            }
        elif len(by_sector) == len(SECTORS) and sum(by_sector.values()) != total:
            errors["attendance_total"] = _(
                "Con todos los sectores indicados, su suma (%(sum)s) debe ser igual al total (%(total)s)."
            ) % {"sum": format_number(sum(by_sector.values())), "total": format_number(total)}
        by_sex = [v for v in (self.attendance_women, self.attendance_men) if v is not None]
        if sum(by_sex) > total:
            errors["attendance_women"] = _("La asistencia por sexo supera el total.")
        if errors:
            raise ValidationError(errors)

    def warnings(self) -> list[str]:
        """Things worth a second look that do not block saving."""
        project = self.project
        end = self.end_date or self.start_date
        if self.start_date and (self.start_date < project.start_date or end > project.end_date):
            return [str(_("La actividad queda fuera del periodo del proyecto."))]
        return []


class Consultancy(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consultancies", verbose_name=_("proyecto")
    )
    title = models.CharField(_("título"), max_length=300)
    description = models.TextField(_("descripción"), blank=True)
    start_month = models.DateField(_("mes de inicio"), help_text=_("Se guarda el primer día del mes."))
    end_month = models.DateField(_("mes de finalización"))
    amount = _money_field(_("monto (Q)"))

    class Meta:
        verbose_name = _("consultoría")
        verbose_name_plural = _("consultorías")
        ordering = ["project", "start_month", "pk"]
        constraints = [
            models.CheckConstraint(
                name="consultancy_months_in_order",
                condition=Q(end_month__gte=F("start_month")),
                violation_error_message=_("El mes de finalización no puede ser anterior al de inicio."),
            ),
            models.CheckConstraint(
                name="consultancy_amount_not_negative",
                condition=Q(amount__gte=0),
                violation_error_message=_("El monto no puede ser negativo."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_month:
            self.start_month = self.start_month.replace(day=1)
        if self.end_month:
            self.end_month = self.end_month.replace(day=1)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            errors["end_month"] = _("El mes de finalización no puede ser anterior al de inicio.")
        _check_two_decimals(self.amount, "amount", errors)
        if errors:
            raise ValidationError(errors)


class Assignment(models.Model):
    """A block of the consultancy's terms (e.g. "Asistencia Técnica 1") with its duties."""

    consultancy = models.ForeignKey(
        Consultancy, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("consultoría")
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    name = models.CharField(_("nombre"), max_length=200)
    duties = models.JSONField(_("funciones"), default=list, blank=True)

    class Meta:
        verbose_name = _("asignación")
        verbose_name_plural = _("asignaciones")
        ordering = ["consultancy", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class DeliverableStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    DELIVERED = "delivered", _("Entregado")
    APPROVED = "approved", _("Aprobado")


class Deliverable(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("asignación")
    )
    title = models.CharField(_("título"), max_length=300)
    due_date = models.DateField(_("fecha de entrega"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=DeliverableStatus.choices, default=DeliverableStatus.PENDING
    )
    document = models.FileField(_("archivo"), upload_to="deliverables/%Y/", blank=True)

    class Meta:
        verbose_name = _("producto entregable")
        verbose_name_plural = _("productos entregables")
        ordering = ["assignment", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.document.name or "").rsplit("/", 1)[-1]


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En proceso")
    DONE = "done", _("Cumplido")


class Agreement(TimeStampedModel):
    """Acuerdo o acción de seguimiento."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("proyecto")
    )
    text = models.TextField(_("acuerdo"))
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("actividad de origen"),
    )
    responsible_institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("institución responsable"),
    )
    responsible_person = models.CharField(_("persona responsable"), max_length=200, blank=True)
    due_date = models.DateField(_("fecha límite"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PENDING
    )

    class Meta:
        verbose_name = _("acuerdo de seguimiento")
        verbose_name_plural = _("acuerdos de seguimiento")
        ordering = ["project", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status != AgreementStatus.DONE and self.due_date < timezone.localdate())


class MeansOfVerification(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="means_of_verification", verbose_name=_("proyecto")
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    title = models.CharField(_("medio de verificación"), max_length=300)
    document = models.FileField(_("archivo"), upload_to="projects/%Y/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("medio de verificación")
        verbose_name_plural = _("medios de verificación")
        ordering = ["project", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.document.name or "").rsplit("/", 1)[-1]


# Participant sectors: the same codes and labels as the attendance by sector.
SECTOR_CHOICES = [(code, label) for code, (_field, label) in SECTORS.items()]


class Sex(models.TextChoices):
    WOMAN = "woman", _("Mujer")
    MAN = "man", _("Hombre")
    OTHER = "other", _("Otro")
    NOT_STATED = "not_stated", _("No indica")


class Participant(TimeStampedModel):
    """A person on an activity's attendance list: personal data, seen by DEPM only, never published."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("actividad")
    )
    name = models.CharField(_("nombre"), max_length=200)
    institution = models.CharField(_("institución"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=SECTOR_CHOICES, blank=True)
    sex = models.CharField(_("sexo"), max_length=12, choices=Sex.choices, default=Sex.NOT_STATED)
    contact = models.CharField(_("contacto"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")
        ordering = ["activity", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.TextChoices):
    MEMORIA = "memoria", _("Memoria")
    ATTENDANCE_LIST = "attendance_list", _("Listado de asistencia")
    PHOTO = "photo", _("Fotografía")
    OTHER = "other", _("Otro")


class ActivityEvidence(TimeStampedModel):
    """A file that shows an activity happened: its memoria, attendance list, photos."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("actividad")
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=EvidenceKind.choices)
    title = models.CharField(_("descripción"), max_length=300, blank=True)
    document = models.FileField(_("archivo"), upload_to="activities/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidencia de actividad")
        verbose_name_plural = _("evidencias de actividades")
        ordering = ["activity", "kind", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def filename(self) -> str:
        return (self.document.name or "").rsplit("/", 1)[-1]
