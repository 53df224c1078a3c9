"""The results framework: policy → levels → node tree (actions at the leaves), indicators,
causal links (red causal) and alignment catalogues. Framework rows keep a full history
(django-simple-history) so a report can show a definition as it was on a date."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sime.core.models import TimeStampedModel
from sime.core.text import search_key


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    ACTIVE = "active", _("Vigente")
    ARCHIVED = "archived", _("Archivada")


class Policy(TimeStampedModel):
    code = models.SlugField(_("código"), max_length=30, unique=True, help_text=_("Por ejemplo: PM-2023."))
    name = models.CharField(_("nombre"), max_length=300)
    legal_basis = models.CharField(_("base legal"), max_length=300, blank=True)
    issued_on = models.DateField(_("fecha de emisión"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("año de inicio"))
    end_year = models.PositiveSmallIntegerField(_("año de fin"))
    general_objective = models.TextField(_("objetivo general"), blank=True)
    status = models.CharField(_("estado"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    is_illustrative = models.BooleanField(
        _("contiene texto ilustrativo"),
        default=False,
        help_text=_("Datos de demostración: parte del texto no es el oficial."),
    )
    # Monitoring thresholds (docs/aggregation.md): progress as a % of what was expected by now.
    on_track_threshold = models.DecimalField(
        _("umbral «en ruta» (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Un indicador va en ruta si alcanza al menos este % de lo esperado a la fecha."),
    )
    at_risk_threshold = models.DecimalField(
        _("umbral «en riesgo» (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Por debajo del umbral «en ruta» y desde este %, en riesgo; por debajo, rezagado."),
    )
    maintain_tolerance = models.DecimalField(
        _("tolerancia para «mantener» (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Un indicador que debe mantenerse cumple si queda a esta distancia de la meta."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("política")
        verbose_name_plural = _("políticas")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                name="policy_years_in_order",
                condition=Q(end_year__gte=F("start_year")),
                violation_error_message=_("El año de fin no puede ser anterior al de inicio."),
            ),
            models.CheckConstraint(
                name="policy_thresholds_in_order",
                condition=Q(at_risk_threshold__lte=F("on_track_threshold")),
                violation_error_message=_("El umbral «en riesgo» no puede superar el umbral «en ruta»."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyLevel(models.Model):
    """A level of a policy's hierarchy (Eje temático, Objetivo específico, …), top = depth 1."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="levels", verbose_name=_("política"))
    depth = models.PositiveSmallIntegerField(_("profundidad"), validators=[MinValueValidator(1)])
    name = models.CharField(_("nombre"), max_length=100)
    name_plural = models.CharField(_("nombre en plural"), max_length=100)
    is_action_level = models.BooleanField(
        _("nivel de líneas de acción"), default=False, help_text=_("Sus nodos son las acciones del Plan de Acción.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nivel")
        verbose_name_plural = _("niveles")
        ordering = ["policy", "depth"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "depth"], name="one_level_per_depth"),
            models.UniqueConstraint(
                fields=["policy"], condition=Q(is_action_level=True), name="one_action_level_per_policy"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyNodeQuerySet(models.QuerySet["PolicyNode"]):
    def actions(self) -> PolicyNodeQuerySet:
        return self.filter(level__is_action_level=True)


class PolicyNode(TimeStampedModel):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("política"))
    level = models.ForeignKey(PolicyLevel, on_delete=models.PROTECT, related_name="nodes", verbose_name=_("nivel"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("superior")
    )
    code = models.CharField(_("código"), max_length=30)
    title = models.CharField(_("título"), max_length=500)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveIntegerField(_("orden"), default=0)
    weight = models.DecimalField(
        _("peso"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Peso del nodo en el avance de su nodo superior (todos pesan 1 por defecto)."),
    )
    is_illustrative = models.BooleanField(_("texto ilustrativo"), default=False)
    search_text = models.CharField(max_length=600, editable=False, default="")
    gcm_objectives: models.ManyToManyField[GcmObjective, Any] = models.ManyToManyField(
        "GcmObjective", blank=True, related_name="nodes", verbose_name=_("objetivos del Pacto Mundial")
    )
    sdg_targets: models.ManyToManyField[SdgTarget, Any] = models.ManyToManyField(
        "SdgTarget", blank=True, related_name="nodes", verbose_name=_("metas ODS")
    )
    katun_priorities: models.ManyToManyField[KatunPriority, Any] = models.ManyToManyField(
        "KatunPriority", blank=True, related_name="nodes", verbose_name=_("prioridades K'atun 2032")
    )
    history = HistoricalRecords(m2m_fields=[gcm_objectives, sdg_targets, katun_priorities])

    objects = PolicyNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("nodo")
        verbose_name_plural = _("nodos")
        ordering = ["policy", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"],
                name="node_code_unique_in_policy",
                violation_error_message=_("Ya existe un nodo con este código en la política."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        self.code = self.code.strip()
        self.search_text = search_key(f"{self.code} {self.title}")
        if self.level_id is None or self.policy_id is None:
            return
        if self.level.policy_id != self.policy_id:
            raise ValidationError({"level": _("El nivel es de otra política.")})
        if self.level.depth == 1:
            if self.parent_id is not None:
                raise ValidationError({"parent": _("Un nodo del primer nivel no tiene superior.")})
        elif self.parent is None:
            raise ValidationError({"parent": _("Indique el nodo superior.")})
        elif self.parent.policy_id != self.policy_id or self.parent.level.depth != self.level.depth - 1:
            raise ValidationError(
                {"parent": _("El superior debe ser un nodo del nivel inmediato superior, en la misma política.")}
            )


class Horizon(models.TextChoices):
    SHORT = "short", _("Corto plazo")
    MEDIUM = "medium", _("Mediano plazo")
    LONG = "long", _("Largo plazo")


class TargetPopulationKind(models.TextChoices):
    SUBPOPULATION = "subpopulation", _("Subpoblación")
    VULNERABLE_GROUP = "vulnerable_group", _("Grupo en situación de vulnerabilidad")


class TargetPopulation(models.Model):
    code = models.CharField(_("código"), max_length=10, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=TargetPopulationKind.choices)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("población objetivo")
        verbose_name_plural = _("poblaciones objetivo")
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


class Action(TimeStampedModel):
    """What the Plan de Acción says of a line of action (a node at the action level)."""

    node = models.OneToOneField(PolicyNode, on_delete=models.CASCADE, related_name="action", verbose_name=_("nodo"))
    lead_institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="led_actions",
        verbose_name=_("institución responsable"),
    )
    co_responsible = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="co_actions",
        verbose_name=_("instituciones corresponsables"),
    )
    horizon = models.CharField(_("plazo"), max_length=10, choices=Horizon.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("año de inicio"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("año de fin"), null=True, blank=True)
    target_populations = models.ManyToManyField(
        TargetPopulation, blank=True, related_name="actions", verbose_name=_("población objetivo")
    )
    expected_product = models.TextField(_("producto esperado"), blank=True)
    estimated_budget = models.DecimalField(
        _("presupuesto estimado (Q)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=14,
        decimal_places=2,
    )
    history = HistoricalRecords(m2m_fields=[co_responsible, target_populations])

    class Meta:
        verbose_name = _("línea de acción")
        verbose_name_plural = _("líneas de acción")
        constraints = [
            models.CheckConstraint(
                name="action_years_in_order",
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                violation_error_message=_("El año de fin no puede ser anterior al de inicio."),
            ),
            models.CheckConstraint(
                name="action_budget_not_negative",
                condition=Q(estimated_budget__isnull=True) | Q(estimated_budget__gte=0),
                violation_error_message=_("El presupuesto no puede ser negativo."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.node)

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("El año de fin no puede ser anterior al de inicio.")})
        if self.estimated_budget is not None and self.estimated_budget.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError({"estimated_budget": _("Use como máximo dos decimales.")})


class CausalLink(TimeStampedModel):
    """«contribuye a»: `source` contributes to `target` (red causal). The network stays acyclic."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="causal_links", verbose_name=_("política")
    )
    source = models.ForeignKey(
        PolicyNode, on_delete=models.CASCADE, related_name="contributes_to", verbose_name=_("nodo que contribuye")
    )
    target = models.ForeignKey(
        PolicyNode, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("nodo al que contribuye")
    )
    evidence_note = models.TextField(_("evidencia o supuesto"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vínculo causal")
        verbose_name_plural = _("vínculos causales")
        ordering = ["policy", "source__code", "target__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="one_link_per_pair",
                violation_error_message=_("Este vínculo ya existe."),
            ),
            models.CheckConstraint(
                name="link_not_to_itself",
                condition=~Q(source=F("target")),
                violation_error_message=_("Un nodo no puede contribuir a sí mismo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"


class GuidingPrinciple(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="principles", verbose_name=_("política"))
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    is_illustrative = models.BooleanField(_("texto ilustrativo"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("principio rector")
        verbose_name_plural = _("principios rectores")
        ordering = ["policy", "order"]

    def __str__(self) -> str:
        return self.name


class GcmObjective(models.Model):
    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    title_es = models.CharField(_("título en español"), max_length=300)
    title_en = models.CharField(_("título en inglés"), max_length=300)

    class Meta:
        verbose_name = _("objetivo del Pacto Mundial para la Migración")
        verbose_name_plural = _("objetivos del Pacto Mundial para la Migración")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_es}"


class SdgTarget(models.Model):
    code = models.CharField(_("meta"), max_length=10, unique=True)
    summary = models.CharField(_("resumen"), max_length=300)

    class Meta:
        verbose_name = _("meta ODS")
        verbose_name_plural = _("metas ODS")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.summary}"


class KatunPriority(models.Model):
    code = models.CharField(_("código"), max_length=10, unique=True)
    name = models.CharField(_("nombre"), max_length=300)

    class Meta:
        verbose_name = _("eje o prioridad del K'atun 2032")
        verbose_name_plural = _("ejes y prioridades del K'atun 2032")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DisaggregationDimension(models.Model):
    code = models.SlugField(_("código"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    for_beneficiaries = models.BooleanField(
        _("desagrega beneficiarios"),
        default=False,
        help_text=_("Los instrumentos piden las personas beneficiarias de cada acción con esta desagregación."),
    )

    class Meta:
        verbose_name = _("dimensión de desagregación")
        verbose_name_plural = _("dimensiones de desagregación")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DisaggregationCategory(models.Model):
    dimension = models.ForeignKey(
        DisaggregationDimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("dimensión")
    )
    code = models.CharField(_("código"), max_length=30)
    name = models.CharField(_("nombre"), max_length=150)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("categoría de desagregación")
        verbose_name_plural = _("categorías de desagregación")
        ordering = ["dimension", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="category_code_unique")]

    def __str__(self) -> str:
        return self.name


class IndicatorLevel(models.TextChoices):
    IMPACT = "impact", _("Impacto")
    OUTCOME = "outcome", _("Resultado")
    OUTPUT = "output", _("Producto")


class MeasureType(models.TextChoices):
    COUNT = "count", _("Conteo")
    PERCENTAGE = "percentage", _("Porcentaje (numerador / denominador)")
    YES_NO = "yes_no", _("Sí / no")
    MILESTONE = "milestone", _("Escala de hitos")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Aumentar")
    DECREASE = "decrease", _("Disminuir")
    MAINTAIN = "maintain", _("Mantener")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensual")
    QUARTERLY = "quarterly", _("Trimestral")
    FOUR_MONTHLY = "four_monthly", _("Cuatrimestral")
    SEMIANNUAL = "semiannual", _("Semestral")
    ANNUAL = "annual", _("Anual")


class Aggregation(models.TextChoices):
    """How values combine over periods and institutions (docs/aggregation.md)."""

    SUM = "sum", _("Suma")
    CUMULATIVE = "cumulative", _("Acumulado")
    AVERAGE = "average", _("Promedio")
    MAX = "max", _("Máximo")
    LATEST = "latest", _("Último valor")


class Indicator(TimeStampedModel):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("política"))
    node = models.ForeignKey(
        PolicyNode, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("nodo que mide")
    )
    code = models.CharField(_("código"), max_length=30)
    name = models.CharField(_("nombre"), max_length=300)
    definition = models.TextField(_("definición"), blank=True)
    level = models.CharField(_("nivel"), max_length=10, choices=IndicatorLevel.choices)
    unit = models.CharField(_("unidad de medida"), max_length=100)
    measure_type = models.CharField(_("tipo de medida"), max_length=12, choices=MeasureType.choices)
    numerator_definition = models.TextField(_("numerador"), blank=True)
    denominator_definition = models.TextField(_("denominador"), blank=True)
    direction = models.CharField(_("sentido esperado"), max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(_("línea base"), null=True, blank=True, max_digits=18, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("año de la línea base"), null=True, blank=True)
    baseline_source = models.CharField(_("fuente de la línea base"), max_length=500, blank=True)
    frequency = models.CharField(_("frecuencia"), max_length=14, choices=Frequency.choices)
    data_source = models.CharField(_("fuente de datos"), max_length=500, blank=True)
    means_of_verification = models.TextField(_("medios de verificación"), blank=True)
    responsible_institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("institución responsable"),
    )
    aggregation = models.CharField(_("agregación"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    dimensions = models.ManyToManyField(
        DisaggregationDimension, blank=True, related_name="indicators", verbose_name=_("desagregaciones")
    )
    is_illustrative = models.BooleanField(_("texto ilustrativo"), default=False)
    history = HistoricalRecords(m2m_fields=[dimensions])

    # The technical sheet's own fields: forms, API, import and services share this list.
    SHEET_FIELDS = (
        "code",
        "name",
        "definition",
        "level",
        "node",
        "unit",
        "measure_type",
        "numerator_definition",
        "denominator_definition",
        "direction",
        "baseline_value",
        "baseline_year",
        "baseline_source",
        "frequency",
        "data_source",
        "means_of_verification",
        "responsible_institution",
        "aggregation",
        "is_illustrative",
    )

    class Meta:
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        ordering = ["policy", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"],
                name="indicator_code_unique_in_policy",
                violation_error_message=_("Ya existe un indicador con este código en la política."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.measure_type == MeasureType.PERCENTAGE and not (
            self.numerator_definition.strip() and self.denominator_definition.strip()
        ):
            raise ValidationError(
                {"denominator_definition": _("Un porcentaje necesita la definición del numerador y del denominador.")}
            )
        if self.node_id and self.policy_id and self.node.policy_id != self.policy_id:
            raise ValidationError({"node": _("El nodo es de otra política.")})
        if (self.baseline_value is None) != (self.baseline_year is None):
            raise ValidationError({"baseline_year": _("La línea base necesita valor y año.")})


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicador")
    )
    year = models.PositiveSmallIntegerField(_("año"))
    value = models.DecimalField(_("meta"), max_digits=18, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meta anual")
        verbose_name_plural = _("metas anuales")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="one_target_per_year",
                violation_error_message=_("Ya hay una meta para este año."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class MilestoneStep(models.Model):
    """A named step of a milestone-scale indicator (e.g. 0 = no iniciado … 3 = aprobado)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="milestone_steps", verbose_name=_("indicador")
    )
    value = models.PositiveSmallIntegerField(_("valor"))
    name = models.CharField(_("nombre"), max_length=150)

    class Meta:
        verbose_name = _("hito de la escala")
        verbose_name_plural = _("hitos de la escala")
        ordering = ["indicator", "value"]
        constraints = [models.UniqueConstraint(fields=["indicator", "value"], name="one_step_per_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.name}"
