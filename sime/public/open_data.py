"""The rows of the open-data datasets (`datasets.DATASETS` says what each column means), from
published data only, and when each dataset last changed.

Every builder reads through the public side's doors: `selectors.published_submissions()` for the
monitoring figures (through `framework_progress`), the current `Publication`s of events for the
events. Counts of people broken down by a dimension go through `disclosure` (docs/aggregation.md
§9). No row holds a personal datum: institutions are named by acronym, and nothing of focal points,
participants, obstacles' narratives or internal files is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, Max, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sime.activities.models import SECTORS, Activity
from sime.analytics.aggregation import COUNT, ProgressStatus
from sime.analytics.figures import FrameworkProgress, IndicatorProgress
from sime.analytics.progress import framework_progress
from sime.analytics.selectors import monitored_policy
from sime.institutions.models import Institution
from sime.policy.models import Action, Indicator, IndicatorTarget, Policy, PolicyNode
from sime.public import disclosure, selectors
from sime.public.models import Publication, PublicationKind
from sime.reporting.models import Submission
from sime.reporting.selectors import Dimensions, all_dimensions

Row = dict[str, Any]

NOT_STATED = "no_indicado"
SEX_CODES = (("mujeres", gettext_lazy("Mujeres")), ("hombres", gettext_lazy("Hombres")))


def attendance_category_codes() -> list[tuple[str, str]]:
    """Sectors, then sexes, then those without the datum (the order of the cells in a group)."""
    return [
        *((code, str(label)) for code, (_field, label) in SECTORS.items()),
        *((code, str(label)) for code, label in SEX_CODES),
        (NOT_STATED, _("No indicado")),
    ]


# --- Monitoring: indicators and lines of action -------------------------------------------------


@dataclass(frozen=True)
class PublishedReading:
    progress: FrameworkProgress
    publications: dict[int, Publication]  # period id → its current publication


def published_reading(*, with_points: bool = False, with_parts: bool = False) -> PublishedReading | None:
    """The monitored policy's figures at the end of its latest published period, from published
    instruments only (`selectors.published_submissions`); None when nothing is published."""
    policy = monitored_policy()
    if policy is None:
        return None
    publications = selectors.current_period_publications(policy.pk)
    if not publications:
        return None
    latest = publications[0].period
    assert latest is not None  # a period's publication names its period (a check constraint)
    progress = framework_progress(
        policy,
        year=latest.year,
        until=latest.ends_on,
        with_points=with_points,
        with_parts=with_parts,
        submissions=selectors.published_submissions(),
    )
    return PublishedReading(progress, {p.period_id: p for p in publications if p.period_id is not None})


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def indicator_value_rows() -> list[Row]:
    reading = published_reading(with_points=True)
    if reading is None:
        return []
    rows = []
    for item in reading.progress.indicators:
        indicator = item.indicator
        for point in item.points:
            publication = reading.publications.get(point.period.pk)
            if publication is None:
                continue
            rows.append(
                {
                    "indicador_codigo": indicator.code,
                    "indicador_nombre": indicator.name,
                    "nodo_codigo": indicator.node.code,
                    "nivel": indicator.get_level_display(),
                    "tipo_medida": indicator.get_measure_type_display(),
                    "unidad": indicator.unit,
                    "sentido": indicator.get_direction_display(),
                    "agregacion": indicator.get_aggregation_display(),
                    "institucion_responsable": _acronym(indicator.responsible_institution),
                    "linea_base": indicator.baseline_value,
                    "anio_linea_base": indicator.baseline_year,
                    "periodo_codigo": point.period.code,
                    "periodo_nombre": point.period.name,
                    "anio": point.period.year,
                    "periodo_fin": point.period.ends_on,
                    "valor_periodo": point.value,
                    "valor_acumulado_anio": point.to_date.value if point.to_date else None,
                    "meta_anio": point.progress.target,
                    "porcentaje_meta": point.progress.percent,
                    "estado": str(ProgressStatus(point.progress.status).label),
                    "fecha_publicacion": _local_date(publication.published_at),
                }
            )
    return rows


def _acronym(institution: Institution) -> str:
    return institution.acronym or institution.name


def _disaggregation_groups(
    item: IndicatorProgress, catalogue: Dimensions, threshold: int
) -> list[tuple[Any, str, disclosure.Protected]]:
    """(observation, dimension, protected cells) of each period of a count indicator."""
    found = []
    for observation in item.observations:
        by_dimension: dict[str, dict[str, Decimal]] = {}
        for (dimension, category), value in observation.parts.items():
            by_dimension.setdefault(dimension, {})[category] = value
        for dimension, parts in sorted(by_dimension.items()):
            categories = list(catalogue.get(dimension, ("", {}))[1])
            cells = disclosure.complete_group(observation.value, parts, categories)
            protected = disclosure.protect_group(
                cells, threshold=threshold, order=[*categories, disclosure.NOT_DISAGGREGATED]
            )
            if not protected.total_withheld:  # one category that is the whole total: nothing to add
                found.append((observation, dimension, protected))
    return found


def indicator_disaggregation_rows() -> list[Row]:
    reading = published_reading(with_points=True, with_parts=True)
    if reading is None:
        return []
    threshold = settings.PUBLIC_SUPPRESSION_THRESHOLD
    catalogue = all_dimensions()
    rows = []
    for item in reading.progress.indicators:
        indicator = item.indicator
        # Only counts: a percentage's parts are rates whose sizes nobody reported, so no threshold
        # can be checked, and yes/no and milestone values have no parts to speak of.
        if indicator.measure_type != COUNT:
            continue
        published = {p.period.ends_on: p.period for p in item.points if p.period.pk in reading.publications}
        for observation, dimension, protected in _disaggregation_groups(item, catalogue, threshold):
            period = published.get(observation.period_end)
            if period is None:
                continue
            name, categories = catalogue.get(dimension, (dimension, {}))
            for category, value in protected.values.items():
                rows.append(
                    {
                        "indicador_codigo": indicator.code,
                        "indicador_nombre": indicator.name,
                        "unidad": indicator.unit,
                        "periodo_codigo": period.code,
                        "anio": period.year,
                        "periodo_fin": period.ends_on,
                        "dimension": dimension,
                        "dimension_nombre": name,
                        "categoria": category,
                        "categoria_nombre": categories.get(category)
                        or (_("Sin desagregar") if category == disclosure.NOT_DISAGGREGATED else category),
                        "valor": value,
                        "reservado": protected.is_suppressed(category),
                    }
                )
    return rows


def _axis_codes(progress: FrameworkProgress) -> dict[int, str]:
    """Node id → the code of its axis (the top-level ancestor)."""
    nodes = {pk: item.node for pk, item in progress.nodes.items()}
    found: dict[int, str] = {}
    for pk, node in nodes.items():
        top = node
        while top.parent_id is not None and top.parent_id in nodes:
            top = nodes[top.parent_id]
        found[pk] = top.code
    return found


def action_progress_rows() -> list[Row]:
    reading = published_reading()
    if reading is None:
        return []
    progress = reading.progress
    axes = _axis_codes(progress)
    actions = [(pk, item) for pk, item in progress.nodes.items() if getattr(item.node, "action", None) is not None]
    ids = {item.node.action.lead_institution_id for _pk, item in actions}
    ids |= {i for members in progress.co_responsible.values() for i in members}
    names = selectors.institution_names(ids)
    rows = []
    for pk, item in sorted(actions, key=lambda pair: (pair[1].node.order, pair[1].node.code)):
        action = item.node.action
        reports = {report.institution_id: report for report in item.reports}
        members = [(action.lead_institution_id, _("Responsable"))] + [
            (i, _("Corresponsable"))
            for i in sorted(progress.co_responsible.get(action.pk, set()), key=lambda i: names.get(i, ""))
        ]
        for institution_id, role in members:
            report = reports.get(institution_id)
            rows.append(
                {
                    "eje_codigo": axes[pk],
                    "linea_codigo": item.node.code,
                    "linea_titulo": item.node.title,
                    "institucion": names.get(institution_id, ""),
                    "rol": role,
                    "periodo_codigo": report.period.code if report else None,
                    "periodo_nombre": report.period.name if report else None,
                    "estado": report.status_label if report else None,
                    "porcentaje_avance": report.percent if report else None,
                    "porcentaje_avance_linea": item.percent,
                }
            )
    return rows


# --- Events -----------------------------------------------------------------------------------


def published_events() -> QuerySet[Publication]:
    """The current publications of events, with their activity and its department."""
    return (
        Publication.objects.current()
        .filter(kind=PublicationKind.EVENT)
        .select_related("activity__department")
        .order_by("activity__start_date", "activity_id")
    )


def event_rows() -> list[Row]:
    rows = []
    for publication in published_events():
        activity = publication.activity
        assert activity is not None
        rows.append(
            {
                "evento_id": activity.pk,
                "titulo": activity.title,
                "tipo": activity.get_kind_display(),
                "proposito": activity.get_purpose_display(),
                "fecha_inicio": activity.start_date,
                "fecha_fin": activity.end_date,
                "departamento_codigo": activity.department.code if activity.department else None,
                "departamento_nombre": activity.department.name if activity.department else None,
                "municipio": activity.municipality or None,
                "lugar": activity.venue or None,
                "descripcion": activity.description or None,
                "asistencia_total": activity.attendance_total,
                "costo": activity.cost,
                "fecha_publicacion": _local_date(publication.published_at),
            }
        )
    return rows


def _attendance_groups(activity: Activity) -> list[tuple[str, dict[str, Decimal]]]:
    """The attendance by sector and by sex as groups adding up to the total. When the given parts
    already add up, the others are zero; otherwise what is missing is «no indicado»."""
    total = Decimal(activity.attendance_total)
    groups = []
    for dimension, given, categories in (
        ("sector", activity.attendance_by_sector(), list(SECTORS)),
        (
            "sexo",
            {
                code: value
                for code, value in (("mujeres", activity.attendance_women), ("hombres", activity.attendance_men))
                if value is not None
            },
            [code for code, _label in SEX_CODES],
        ),
    ):
        if not given:  # nothing said of this dimension: no group
            continue
        parts = {code: Decimal(value) for code, value in given.items()}
        complete = sum(parts.values(), Decimal(0)) == total
        cells = disclosure.complete_group(total, parts, categories if complete else ())
        groups.append(
            (dimension, {(NOT_STATED if k == disclosure.NOT_DISAGGREGATED else k): v for k, v in cells.items()})
        )
    return groups


def event_attendance_rows() -> list[Row]:
    threshold = settings.PUBLIC_SUPPRESSION_THRESHOLD
    labels = dict(attendance_category_codes())
    rows = []
    for publication in published_events():
        activity = publication.activity
        assert activity is not None
        for dimension, cells in _attendance_groups(activity):
            protected = disclosure.protect_group(cells, threshold=threshold, order=list(labels))
            if protected.total_withheld:
                continue
            for category, value in protected.values.items():
                rows.append(
                    {
                        "evento_id": activity.pk,
                        "dimension": dimension,
                        "categoria": category,
                        "categoria_nombre": labels.get(category, category),
                        "personas": value,
                        "reservado": protected.is_suppressed(category),
                    }
                )
    return rows


# --- When each dataset last changed --------------------------------------------------------------


def _latest(queryset: QuerySet[Any], field_name: str) -> Max:
    # The latest value of one column in another table, inside the one aggregate query below.
    return Max(Subquery(queryset.order_by(F(field_name).desc(nulls_last=True)).values(field_name)[:1]))


def changed_at(kind: PublicationKind) -> dt.datetime | None:
    """When the datasets fed by `kind` last changed (their `Last-Modified` and «actualizado»): the
    latest publication or withdrawal of that kind, and for periods also the latest change to an
    instrument of a published period (a reopening takes its figures out) and to the results
    framework or the institutions (names, targets, thresholds); for events, the latest edit of a
    published event. None when nothing of that kind was ever published. One query."""
    publications = Publication.objects.filter(kind=kind)
    later: dict[str, Max] = {}
    if kind == PublicationKind.PERIOD:
        later = {
            "instruments": _latest(Submission.objects.filter(period__publications__kind=kind), "updated_at"),
            "institutions": _latest(Institution.objects.all(), "updated_at"),
            **{
                f"history_{model.__name__}": _latest(model.history.model.objects.all(), "history_date")  # type: ignore[attr-defined]
                for model in (Policy, PolicyNode, Action, Indicator, IndicatorTarget)
            },
        }
    elif kind == PublicationKind.EVENT:
        later = {
            "events": _latest(
                Activity.objects.filter(publications__kind=kind, publications__unpublished_at__isnull=True),
                "updated_at",
            )
        }
    found = publications.aggregate(published=Max("published_at"), unpublished=Max("unpublished_at"), **later)
    if found["published"] is None:
        return None
    return max(value for value in found.values() if value is not None)


def has_published(kind: PublicationKind) -> bool:
    return Publication.objects.current().filter(kind=kind).exists()
