from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from sime.core.models import TimeStampedModel
from sime.core.text import search_key


class Sector(models.TextChoices):
    """Stable sector codes of shared/domain/institutions.csv."""

    EXECUTIVE = "executive", _("Organismo Ejecutivo")
    DECENTRALIZED = "decentralized", _("Entidad descentralizada")
    AUTONOMOUS = "autonomous", _("Entidad autónoma")
    JUDICIAL = "judicial", _("Organismo Judicial")
    LEGISLATIVE = "legislative", _("Organismo Legislativo")
    CONTROL_BODY = "control_body", _("Órgano de control")
    LOCAL_GOVERNMENT = "local_government", _("Gobierno local")
    COORDINATION_BODY = "coordination_body", _("Instancia de coordinación")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("Cooperación internacional")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Sector privado organizado")


class Department(models.Model):
    """One of Guatemala's 22 departments (ISO 3166-2:GT)."""

    code = models.CharField(_("código ISO 3166-2"), max_length=5, unique=True)
    name = models.CharField(_("nombre"), max_length=100, unique=True)
    ine_code = models.CharField(_("código INE"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class InstitutionQuerySet(models.QuerySet["Institution"]):
    def active(self) -> InstitutionQuerySet:
        return self.filter(is_active=True)

    def linked(self) -> InstitutionQuerySet:
        return self.filter(is_linked=True)


class Institution(TimeStampedModel):
    name = models.CharField(_("nombre"), max_length=300, unique=True)
    acronym = models.CharField(_("siglas"), max_length=30)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    is_active = models.BooleanField(_("activa"), default=True)
    is_linked = models.BooleanField(
        _("vinculada a la Política Migratoria"),
        default=False,
        help_text=_("Institución del Estado vinculada al Plan de Acción de la Política."),
    )
    planning_signoff_exempt = models.BooleanField(
        _("sin visto bueno de planificación"),
        default=False,
        help_text=_("Excepción: la institución no tiene enlace de planificación y envía sin su visto bueno."),
    )
    # Contact data: the institution's own focal points keep these current.
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("departamento"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo institucional"), blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    # Provenance of the directory entry (shared/domain keeps a public source per body).
    is_role_confirmed = models.BooleanField(
        _("rol confirmado"),
        default=False,
        help_text=_("Una fuente pública documenta su papel en la gobernanza migratoria."),
    )
    source = models.TextField(_("fuente"), blank=True)
    notes = models.TextField(_("notas"), blank=True)
    # Name and acronym without accents or case, kept by clean(): accent-insensitive search.
    search_text = models.CharField(max_length=400, editable=False, default="", db_index=True)

    objects = InstitutionQuerySet.as_manager()

    CONTACT_FIELDS = ("address", "department", "phone", "email", "website")
    # What DEPM edits (pages, API and services share this list).
    EDITABLE_FIELDS = (
        "name",
        "acronym",
        "sector",
        "is_linked",
        "is_active",
        *CONTACT_FIELDS,
        "is_role_confirmed",
        "source",
        "notes",
    )

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("acronym"),
                name="institution_acronym_unique_ci",
                violation_error_message=_("Ya existe una institución con estas siglas."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.acronym = self.acronym.strip().upper()
        self.name = self.name.strip()
        self.search_text = search_key(f"{self.name} {self.acronym}")


class FocalPointRole(models.TextChoices):
    TECHNICAL = "technical", _("Técnico")
    PLANNING = "planning", _("Planificación")


class FocalPointQuerySet(models.QuerySet["FocalPoint"]):
    def current(self) -> FocalPointQuerySet:
        return self.filter(ended_on__isnull=True)

    def past(self) -> FocalPointQuerySet:
        return self.filter(ended_on__isnull=False)


class FocalPoint(TimeStampedModel):
    """A person designated as an institution's enlace; ending one keeps it as history."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.PROTECT, related_name="focal_points"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="focal_point_designations",
    )
    role = models.CharField(_("tipo de enlace"), max_length=16, choices=FocalPointRole.choices)
    designated_on = models.DateField(_("fecha de designación"))
    designation_reference = models.CharField(
        _("documento de designación"), max_length=200, blank=True, help_text=_("Por ejemplo: Oficio 123-2025.")
    )
    designation_document = models.FileField(_("archivo del documento"), upload_to="focal_points/%Y/", blank=True)
    ended_on = models.DateField(_("fecha de finalización"), null=True, blank=True)

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("enlace institucional")
        verbose_name_plural = _("enlaces institucionales")
        ordering = ["institution__name", "role", "-designated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_current_focal_point_per_role",
                violation_error_message=_("La institución ya tiene un enlace vigente de este tipo."),
            ),
            models.CheckConstraint(
                name="focal_point_ends_after_designation",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("designated_on")),
                violation_error_message=_("La fecha de finalización no puede ser anterior a la designación."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.institution.acronym})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        if self.ended_on and self.designated_on and self.ended_on < self.designated_on:
            raise ValidationError({"ended_on": _("La fecha de finalización no puede ser anterior a la designación.")})
