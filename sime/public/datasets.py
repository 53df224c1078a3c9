"""The open-data datasets and their data dictionaries: what each column is, its type, unit,
description and code list, and which builder in `open_data` gives its rows.

A column has one identifier (Spanish, without accents) used as the CSV and XLSX header and as the
JSON key, and a Spanish title, type (Frictionless Table Schema's: string, integer, number, boolean,
date), unit, description and code list in the dictionary. Values of coded columns (statuses, kinds)
are their Spanish labels; the categories of a disaggregation and the departments carry their code
beside their name. The texts are Spanish whatever the visitor's language: the views build
dictionaries and downloads inside `translation.override("es")`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sime.activities.models import ActivityKind, Purpose
from sime.analytics.aggregation import ProgressStatus
from sime.institutions.models import Department
from sime.policy.models import Aggregation, Direction, IndicatorLevel, MeasureType
from sime.public import disclosure, open_data
from sime.public.models import PublicationKind
from sime.public.open_data import Row, attendance_category_codes
from sime.reporting.models import ActionStatus
from sime.reporting.selectors import all_dimensions

Codes = Sequence[tuple[str | Promise, str | Promise]]

STRING, INTEGER, NUMBER, BOOLEAN, DATE = "string", "integer", "number", "boolean", "date"


@dataclass(frozen=True)
class Column:
    name: str
    title: str | Promise
    type: str
    description: str | Promise
    unit: str | Promise = ""
    # The allowed values and what each means; a callable reads a catalogue when the dictionary is built.
    codes: Codes | Callable[[], Codes] = ()

    def code_list(self) -> list[tuple[str, str]]:
        codes = self.codes() if callable(self.codes) else self.codes
        return [(str(value), str(meaning)) for value, meaning in codes]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    keywords: tuple[str | Promise, ...]
    columns: tuple[Column, ...]
    rows: Callable[[], list[Row]]
    # What publications feed it: its last update is the latest of their changes (`changed_at`).
    kind: PublicationKind
    notes: tuple[str | Promise, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _labels(choices: Any) -> Codes:
    return [(str(label), str(label)) for _value, label in choices.choices]


def _status_codes() -> Codes:
    meaning = {
        ProgressStatus.MET: _("Se alcanzó la meta del año."),
        ProgressStatus.ON_TRACK: _("El avance es al menos el umbral «en ruta» del avance esperado a la fecha."),
        ProgressStatus.AT_RISK: _(
            "El avance es al menos el umbral «en riesgo» del avance esperado, sin llegar a «en ruta»."
        ),
        ProgressStatus.BEHIND: _("El avance está por debajo del umbral «en riesgo»."),
        ProgressStatus.NO_DATA: _("Sin valor publicado, o ningún ciclo del indicador vencido a la fecha."),
        ProgressStatus.NO_TARGET: _("Hay valor pero no meta para el año."),
    }
    return [(str(status.label), str(meaning[status])) for status in ProgressStatus]


def _dimension_codes() -> Codes:
    return [(code, name) for code, (name, _categories) in all_dimensions().items()]


def _category_codes() -> Codes:
    codes = [
        (category, f"{name}: {label}")
        for _code, (name, categories) in all_dimensions().items()
        for category, label in categories.items()
    ]
    return [*codes, (disclosure.NOT_DISAGGREGATED, _("Parte del total que los reportes no desagregaron"))]


def _department_codes() -> Codes:
    return list(Department.objects.order_by("code").values_list("code", "name"))


def _withheld_column() -> Column:
    return Column(
        "reservado",
        gettext_lazy("Valor reservado"),
        BOOLEAN,
        gettext_lazy(
            "true cuando el valor se omite por control de divulgación estadística: cuenta de 1 a umbral − 1 "
            "personas, u otra celda de la misma desagregación que la delataría (supresión secundaria)."
        ),
    )


# --- Shared columns ----------------------------------------------------------------------------

INDICATOR_CODE = Column(
    "indicador_codigo",
    gettext_lazy("Código del indicador"),
    STRING,
    gettext_lazy("Código del indicador en la política."),
)
INDICATOR_NAME = Column("indicador_nombre", gettext_lazy("Indicador"), STRING, gettext_lazy("Nombre del indicador."))
UNIT = Column(
    "unidad",
    gettext_lazy("Unidad de medida"),
    STRING,
    gettext_lazy("Unidad en que se expresan los valores del indicador."),
)
PERIOD_CODE = Column(
    "periodo_codigo",
    gettext_lazy("Código del periodo"),
    STRING,
    gettext_lazy(
        "Periodo de reporte: AAAA (año), AAAA-S1/S2 (semestre),"
        " AAAA-C1…C3 (cuatrimestre), AAAA-T1…T4 (trimestre), AAAA-M01…M12 (mes)."
    ),
)
PERIOD_NAME = Column("periodo_nombre", gettext_lazy("Periodo"), STRING, gettext_lazy("Nombre del periodo de reporte."))
YEAR = Column(
    "anio", gettext_lazy("Año"), INTEGER, gettext_lazy("Año del periodo (el año fiscal es el año calendario).")
)
PERIOD_END = Column(
    "periodo_fin", gettext_lazy("Fin del periodo"), DATE, gettext_lazy("Último día del periodo (AAAA-MM-DD).")
)
PUBLISHED_ON = Column(
    "fecha_publicacion",
    gettext_lazy("Fecha de publicación"),
    DATE,
    gettext_lazy("Día en que el DEPM publicó las cifras aprobadas de este periodo o este evento (AAAA-MM-DD)."),
)


# --- The datasets -----------------------------------------------------------------------------

PERCENT = "%"
PEOPLE = gettext_lazy("personas")

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            slug="valores-indicadores",
            title=gettext_lazy("Valores de los indicadores de la Política Migratoria"),
            description=gettext_lazy(
                "Valor nacional de cada indicador en cada periodo publicado por el DEPM, con el valor "
                "acumulado del año según la regla de agregación del indicador, la meta del año, el "
                "porcentaje de la meta y el estado. Solo cifras de instrumentos aprobados y publicados."
            ),
            keywords=(
                gettext_lazy("política migratoria"),
                gettext_lazy("indicadores"),
                gettext_lazy("monitoreo"),
                gettext_lazy("metas"),
                "Guatemala",
            ),
            kind=PublicationKind.PERIOD,
            rows=open_data.indicator_value_rows,
            columns=(
                INDICATOR_CODE,
                INDICATOR_NAME,
                Column(
                    "nodo_codigo",
                    gettext_lazy("Código del nodo"),
                    STRING,
                    gettext_lazy(
                        "Código del nodo de la política que el indicador mide (p. ej. 1.1.1, una línea de acción)."
                    ),
                ),
                Column(
                    "nivel",
                    gettext_lazy("Nivel"),
                    STRING,
                    gettext_lazy("Nivel del indicador en la cadena de resultados."),
                    codes=lambda: _labels(IndicatorLevel),
                ),
                Column(
                    "tipo_medida",
                    gettext_lazy("Tipo de medida"),
                    STRING,
                    gettext_lazy("Cómo se mide el indicador."),
                    codes=lambda: _labels(MeasureType),
                ),
                UNIT,
                Column(
                    "sentido",
                    gettext_lazy("Sentido esperado"),
                    STRING,
                    gettext_lazy("Hacia dónde debe moverse el valor."),
                    codes=lambda: _labels(Direction),
                ),
                Column(
                    "agregacion",
                    gettext_lazy("Agregación"),
                    STRING,
                    gettext_lazy("Cómo se combinan los periodos del año (documentada en docs/aggregation.md)."),
                    codes=lambda: _labels(Aggregation),
                ),
                Column(
                    "institucion_responsable",
                    gettext_lazy("Institución responsable"),
                    STRING,
                    gettext_lazy("Siglas de la institución responsable del indicador."),
                ),
                Column(
                    "linea_base",
                    gettext_lazy("Línea base"),
                    NUMBER,
                    gettext_lazy("Valor de la línea base, en la unidad del indicador."),
                    unit=gettext_lazy("unidad del indicador"),
                ),
                Column(
                    "anio_linea_base",
                    gettext_lazy("Año de la línea base"),
                    INTEGER,
                    gettext_lazy("Año de la línea base."),
                ),
                PERIOD_CODE,
                PERIOD_NAME,
                YEAR,
                PERIOD_END,
                Column(
                    "valor_periodo",
                    gettext_lazy("Valor del periodo"),
                    NUMBER,
                    gettext_lazy(
                        "Valor nacional del periodo (instituciones combinadas); vacío si no hay valor publicado."
                    ),
                    unit=gettext_lazy("unidad del indicador"),
                ),
                Column(
                    "valor_acumulado_anio",
                    gettext_lazy("Valor del año a la fecha"),
                    NUMBER,
                    gettext_lazy("Valor del año hasta el fin del periodo, según la agregación del indicador."),
                    unit=gettext_lazy("unidad del indicador"),
                ),
                Column(
                    "meta_anio",
                    gettext_lazy("Meta del año"),
                    NUMBER,
                    gettext_lazy("Meta del año del periodo; vacío si no hay meta."),
                    unit=gettext_lazy("unidad del indicador"),
                ),
                Column(
                    "porcentaje_meta",
                    gettext_lazy("Porcentaje de la meta"),
                    NUMBER,
                    gettext_lazy("Avance hacia la meta del año, en %, según el sentido esperado y la línea base."),
                    unit=PERCENT,
                ),
                Column(
                    "estado",
                    gettext_lazy("Estado"),
                    STRING,
                    gettext_lazy("Estado del indicador al fin del periodo."),
                    codes=_status_codes,
                ),
                PUBLISHED_ON,
            ),
        ),
        Dataset(
            slug="desagregaciones-indicadores",
            title=gettext_lazy("Desagregaciones de los indicadores de la Política Migratoria"),
            description=gettext_lazy(
                "Valor de cada indicador de conteo en cada periodo publicado, desagregado por sexo, grupo "
                "de edad, departamento y las demás dimensiones reportadas. Las cuentas pequeñas de "
                "personas se reservan (control de divulgación estadística)."
            ),
            keywords=(
                gettext_lazy("política migratoria"),
                gettext_lazy("indicadores"),
                gettext_lazy("desagregación"),
                gettext_lazy("sexo"),
                gettext_lazy("departamento"),
                "Guatemala",
            ),
            kind=PublicationKind.PERIOD,
            rows=open_data.indicator_disaggregation_rows,
            columns=(
                INDICATOR_CODE,
                INDICATOR_NAME,
                UNIT,
                PERIOD_CODE,
                YEAR,
                PERIOD_END,
                Column(
                    "dimension",
                    gettext_lazy("Dimensión"),
                    STRING,
                    gettext_lazy("Código de la dimensión de desagregación."),
                    codes=_dimension_codes,
                ),
                Column(
                    "dimension_nombre",
                    gettext_lazy("Nombre de la dimensión"),
                    STRING,
                    gettext_lazy("Nombre de la dimensión de desagregación."),
                ),
                Column(
                    "categoria",
                    gettext_lazy("Categoría"),
                    STRING,
                    gettext_lazy("Código de la categoría (los departamentos con su código ISO 3166-2:GT)."),
                    codes=_category_codes,
                ),
                Column(
                    "categoria_nombre",
                    gettext_lazy("Nombre de la categoría"),
                    STRING,
                    gettext_lazy("Nombre de la categoría."),
                ),
                Column(
                    "valor",
                    gettext_lazy("Valor"),
                    NUMBER,
                    gettext_lazy(
                        "Valor de la categoría en el periodo; vacío cuando está reservado. "
                        "Las categorías de una dimensión suman el valor del periodo."
                    ),
                    unit=gettext_lazy("unidad del indicador"),
                ),
                _withheld_column(),
            ),
            notes=(
                gettext_lazy(
                    "Solo indicadores de conteo: las partes de un porcentaje son tasas sin tamaño conocido, y "
                    "los indicadores sí/no y de hitos no se desagregan."
                ),
            ),
        ),
        Dataset(
            slug="avance-lineas-accion",
            title=gettext_lazy("Avance de las líneas de acción por institución"),
            description=gettext_lazy(
                "Para cada línea de acción del Plan de Acción y cada institución responsable o "
                "corresponsable, el último estado y porcentaje de avance aprobados y publicados hasta el "
                "último periodo publicado, y el avance de la línea (promedio de sus instituciones)."
            ),
            keywords=(
                gettext_lazy("política migratoria"),
                gettext_lazy("plan de acción"),
                gettext_lazy("líneas de acción"),
                gettext_lazy("instituciones"),
                "Guatemala",
            ),
            kind=PublicationKind.PERIOD,
            rows=open_data.action_progress_rows,
            columns=(
                Column(
                    "eje_codigo",
                    gettext_lazy("Código del eje"),
                    STRING,
                    gettext_lazy("Eje temático al que pertenece la línea de acción."),
                ),
                Column(
                    "linea_codigo",
                    gettext_lazy("Código de la línea de acción"),
                    STRING,
                    gettext_lazy("Código de la línea de acción (p. ej. 2.1.3)."),
                ),
                Column(
                    "linea_titulo",
                    gettext_lazy("Línea de acción"),
                    STRING,
                    gettext_lazy("Título de la línea de acción."),
                ),
                Column("institucion", gettext_lazy("Institución"), STRING, gettext_lazy("Siglas de la institución.")),
                Column(
                    "rol",
                    gettext_lazy("Rol"),
                    STRING,
                    gettext_lazy("Papel de la institución en la línea."),
                    codes=(
                        (gettext_lazy("Responsable"), gettext_lazy("Institución responsable")),
                        (gettext_lazy("Corresponsable"), gettext_lazy("Institución corresponsable")),
                    ),
                ),
                Column(
                    "periodo_codigo",
                    gettext_lazy("Código del periodo"),
                    STRING,
                    gettext_lazy("Periodo del último reporte publicado de la institución; vacío si no hay ninguno."),
                ),
                Column("periodo_nombre", gettext_lazy("Periodo"), STRING, gettext_lazy("Nombre de ese periodo.")),
                Column(
                    "estado",
                    gettext_lazy("Estado"),
                    STRING,
                    gettext_lazy("Estado de ejecución reportado por la institución."),
                    codes=lambda: _labels(ActionStatus),
                ),
                Column(
                    "porcentaje_avance",
                    gettext_lazy("Porcentaje de avance"),
                    NUMBER,
                    gettext_lazy("Avance reportado por la institución, de 0 a 100."),
                    unit=PERCENT,
                ),
                Column(
                    "porcentaje_avance_linea",
                    gettext_lazy("Avance de la línea"),
                    NUMBER,
                    gettext_lazy("Promedio del último avance de las instituciones de la línea."),
                    unit=PERCENT,
                ),
            ),
        ),
        Dataset(
            slug="eventos",
            title=gettext_lazy("Eventos de socialización de la Política Migratoria"),
            description=gettext_lazy(
                "Eventos publicados por el DEPM: fecha, lugar, departamento, tipo, propósito, asistencia "
                "total y costo. Sin datos de participantes."
            ),
            keywords=(
                gettext_lazy("política migratoria"),
                gettext_lazy("socialización"),
                gettext_lazy("eventos"),
                "Guatemala",
            ),
            kind=PublicationKind.EVENT,
            rows=open_data.event_rows,
            columns=(
                Column(
                    "evento_id",
                    gettext_lazy("Identificador del evento"),
                    INTEGER,
                    gettext_lazy("Identificador estable del evento (une este conjunto con la asistencia)."),
                ),
                Column("titulo", gettext_lazy("Título"), STRING, gettext_lazy("Título del evento.")),
                Column(
                    "tipo",
                    gettext_lazy("Tipo"),
                    STRING,
                    gettext_lazy("Tipo de evento."),
                    codes=lambda: _labels(ActivityKind),
                ),
                Column(
                    "proposito",
                    gettext_lazy("Propósito"),
                    STRING,
                    gettext_lazy("Propósito del evento."),
                    codes=lambda: _labels(Purpose),
                ),
                Column("fecha_inicio", gettext_lazy("Fecha"), DATE, gettext_lazy("Fecha del evento (AAAA-MM-DD).")),
                Column(
                    "fecha_fin",
                    gettext_lazy("Fecha de finalización"),
                    DATE,
                    gettext_lazy("Último día, si duró más de uno."),
                ),
                Column(
                    "departamento_codigo",
                    gettext_lazy("Código del departamento"),
                    STRING,
                    gettext_lazy("Departamento, código ISO 3166-2:GT."),
                    codes=_department_codes,
                ),
                Column(
                    "departamento_nombre",
                    gettext_lazy("Departamento"),
                    STRING,
                    gettext_lazy("Nombre del departamento."),
                ),
                Column("municipio", gettext_lazy("Municipio"), STRING, gettext_lazy("Municipio.")),
                Column("lugar", gettext_lazy("Lugar"), STRING, gettext_lazy("Lugar del evento.")),
                Column(
                    "descripcion",
                    gettext_lazy("Descripción"),
                    STRING,
                    gettext_lazy("Descripción y propósito del evento."),
                ),
                Column(
                    "asistencia_total",
                    gettext_lazy("Asistencia total"),
                    INTEGER,
                    gettext_lazy("Personas que asistieron."),
                    unit=PEOPLE,
                ),
                Column(
                    "costo", gettext_lazy("Costo"), NUMBER, gettext_lazy("Costo del evento en quetzales."), unit="GTQ"
                ),
                PUBLISHED_ON,
            ),
        ),
        Dataset(
            slug="asistencia-eventos",
            title=gettext_lazy("Asistencia a los eventos de socialización, por sector y por sexo"),
            description=gettext_lazy(
                "Personas que asistieron a cada evento publicado, por sector y por sexo. Las cuentas "
                "pequeñas se reservan (control de divulgación estadística)."
            ),
            keywords=(
                gettext_lazy("socialización"),
                gettext_lazy("asistencia"),
                gettext_lazy("sector"),
                gettext_lazy("sexo"),
                "Guatemala",
            ),
            kind=PublicationKind.EVENT,
            rows=open_data.event_attendance_rows,
            columns=(
                Column(
                    "evento_id",
                    gettext_lazy("Identificador del evento"),
                    INTEGER,
                    gettext_lazy("El evento, como en el conjunto «eventos»."),
                ),
                Column(
                    "dimension",
                    gettext_lazy("Dimensión"),
                    STRING,
                    gettext_lazy("sector o sexo."),
                    codes=(("sector", gettext_lazy("Sector")), ("sexo", gettext_lazy("Sexo"))),
                ),
                Column(
                    "categoria",
                    gettext_lazy("Categoría"),
                    STRING,
                    gettext_lazy("Código del sector o del sexo; no_indicado: asistentes sin ese dato."),
                    codes=attendance_category_codes,
                ),
                Column(
                    "categoria_nombre",
                    gettext_lazy("Nombre de la categoría"),
                    STRING,
                    gettext_lazy("Nombre del sector o del sexo."),
                ),
                Column(
                    "personas",
                    gettext_lazy("Personas"),
                    INTEGER,
                    gettext_lazy(
                        "Asistentes de la categoría; vacío cuando está reservado. "
                        "Las categorías de una dimensión suman la asistencia total."
                    ),
                    unit=PEOPLE,
                ),
                _withheld_column(),
            ),
        ),
    )
}
