"""Demo results framework from demo_data/policy_structure.yaml (a copy of the shared domain file).

Axis names, principles, target population and the published figures are confirmed facts; the
specific objectives, strategic lines and lines of action are illustrative placeholders and are
flagged `is_illustrative`, shown with a "texto ilustrativo" badge. Idempotent: a second run
changes nothing.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from sime.institutions.models import Department, Institution
from sime.policy.models import (
    Action,
    CausalLink,
    DisaggregationCategory,
    DisaggregationDimension,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    IndicatorTarget,
    KatunPriority,
    MilestoneStep,
    Policy,
    PolicyLevel,
    PolicyNode,
    PolicyStatus,
    SdgTarget,
    TargetPopulation,
    TargetPopulationKind,
)

DATA = Path(__file__).resolve().parent / "demo_data"
POLICY_CODE = "PM-2023"

LEVELS = [
    (1, "Eje temático", "Ejes temáticos", False),
    (2, "Objetivo específico", "Objetivos específicos", False),
    (3, "Línea estratégica", "Líneas estratégicas", False),
    (4, "Línea de acción", "Líneas de acción", True),
]

# Our Spanish summaries of the SDG targets (the shared file has English ones).
SDG_ES = {
    "5.2": "Eliminar la violencia contra mujeres y niñas, incluidas la trata y la explotación sexual",
    "8.8": "Proteger los derechos laborales y entornos de trabajo seguros, incluidos los trabajadores migrantes",
    "10.7": "Facilitar la migración ordenada, segura, regular y responsable mediante políticas migratorias bien gestionadas",
    "10.c": "Reducir a menos del 3 % el costo de transacción de las remesas",
    "16.2": "Poner fin al maltrato, la explotación, la trata y la violencia contra niñas y niños",
    "16.9": "Proporcionar identidad jurídica para todos, incluido el registro de nacimientos",
    "17.18": "Aumentar la disponibilidad de datos desglosados, incluido el estatus migratorio",
}

# The five axes of the K'atun Nuestra Guatemala 2032 national development plan.
KATUN = [
    ("K1", "Guatemala urbana y rural"),
    ("K2", "Bienestar para la gente"),
    ("K3", "Riqueza para todos y todas"),
    ("K4", "Recursos naturales hoy y para el futuro"),
    ("K5", "El Estado como garante de los derechos humanos y conductor del desarrollo"),
]

# Actions report their beneficiaries by sex and age group (the instruments of the DEPM ask so).
BENEFICIARY_DIMENSIONS = {"sexo", "edad"}
DIMENSIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("sexo", "Sexo", [("M", "Mujer"), ("H", "Hombre")]),
    (
        "edad",
        "Grupo de edad",
        [
            ("0-12", "0 a 12 años"),
            ("13-17", "13 a 17 años"),
            ("18-29", "18 a 29 años"),
            ("30-59", "30 a 59 años"),
            ("60+", "60 años o más"),
        ],
    ),
    ("departamento", "Departamento", []),  # filled from the departments catalogue
    (
        "nacionalidad",
        "Nacionalidad",
        [
            ("GT", "Guatemalteca"),
            ("HN", "Hondureña"),
            ("SV", "Salvadoreña"),
            ("NI", "Nicaragüense"),
            ("MX", "Mexicana"),
            ("VE", "Venezolana"),
            ("CU", "Cubana"),
            ("HT", "Haitiana"),
            ("OTRA", "Otra"),
        ],
    ),
    (
        "condicion",
        "Condición migratoria",
        [
            ("RET", "Retornada"),
            ("TRA", "En tránsito"),
            ("REF", "Refugiada o solicitante de asilo"),
            ("RES", "Extranjera residente"),
            ("EXT", "Guatemalteca en el exterior"),
        ],
    ),
    (
        "pueblo",
        "Pueblo",
        [
            ("MAYA", "Maya"),
            ("GARIFUNA", "Garífuna"),
            ("XINKA", "Xinka"),
            ("LADINO", "Ladino / mestizo"),
            ("OTRO", "Otro"),
        ],
    ),
]

ALIGNMENT = {  # axis code → (GCM objective numbers, SDG targets, K'atun axes)
    "1": ([7, 10, 15, 17], ["5.2", "16.2"], ["K5"]),
    "2": ([16, 18, 21], ["8.8"], ["K2", "K3"]),
    "3": ([4, 11, 14], ["10.7", "16.9"], ["K5"]),
    "4": ([5, 6, 19, 20], ["10.7", "10.c"], ["K3"]),
}

# Keywords of an action's text → target population codes (demo assumption).
POPULATION_HINTS = [
    ("NNA", "NNA"),
    ("trata", "VIC"),
    ("víctimas", "VIC"),
    ("retornad", "RET"),
    ("refugi", "PIN"),
    ("tránsito", "TRA"),
    ("exterior", "EXT"),
    ("diáspora", "EXT"),
    ("consulados", "EXT"),
    ("remesas", "EXT"),
    ("extranjero", "EXT"),
    ("migrantes", "TRA"),
]

# "Contribuye a" links beyond the tree (illustrative reasoning, shown as such).
CAUSAL_LINKS = [
    ("2.1.2", "2.2", "Sin documento de identidad no hay empleo formal."),
    ("2.1.1", "2.5", "El perfilamiento orienta el seguimiento psicosocial."),
    ("3.4.1", "4.4", "Los planes de desarrollo necesitan datos migratorios."),
    ("1.3.1", "3.3", "La formación en derechos es parte de la carrera migratoria."),
    ("3.1.1", "1.2", "El registro biométrico ayuda a detectar posibles víctimas de trata."),
    ("1.5.1", "2.4", "Resolver el refugio a tiempo permite la integración."),
    ("3.2.1", "4.2", "Los consulados móviles acercan el Estado a la diáspora."),
    ("2.2", "OE4", "La reintegración laboral es parte de la migración como desarrollo."),
    ("4.3.1", "2.5", "La inclusión financiera sostiene la reintegración en las comunidades."),
    ("1.1", "OE2", "La protección de la niñez retornada es la base de su reintegración."),
]


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _placeholder(text: str) -> str:
    return text.replace("PLACEHOLDER:", "").strip()


def load_catalogues() -> None:
    for row in _csv("gcm_objectives.csv"):
        GcmObjective.objects.get_or_create(
            number=int(row["number"]), defaults={"title_es": row["title_es"], "title_en": row["title_en"]}
        )
    for row in _csv("sdg_targets.csv"):
        SdgTarget.objects.get_or_create(
            code=row["target"], defaults={"summary": SDG_ES.get(row["target"], row["summary_en"])}
        )
    for code, name in KATUN:
        KatunPriority.objects.get_or_create(code=code, defaults={"name": name})
    for order, (code, name, categories) in enumerate(DIMENSIONS, start=1):
        dimension, _ = DisaggregationDimension.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "for_beneficiaries": code in BENEFICIARY_DIMENSIONS}
        )
        if code == "departamento":
            categories = [(d.code, d.name) for d in Department.objects.order_by("code")]
        for position, (category_code, category_name) in enumerate(categories, start=1):
            DisaggregationCategory.objects.get_or_create(
                dimension=dimension, code=category_code, defaults={"name": category_name, "order": position}
            )


def _load_populations(structure: dict[str, Any]) -> None:
    target = structure["poblacion_objetivo"]
    groups = [
        (TargetPopulationKind.SUBPOPULATION, target["subpoblaciones"]),
        (TargetPopulationKind.VULNERABLE_GROUP, target["grupos_en_situacion_de_vulnerabilidad"]),
    ]
    for kind, rows in groups:
        for order, row in enumerate(rows, start=1):
            TargetPopulation.objects.get_or_create(
                code=row["code"], defaults={"name": row["name_es"], "kind": kind, "order": order}
            )


def _node(
    policy: Policy,
    levels: dict[int, PolicyLevel],
    depth: int,
    code: str,
    title: str,
    order: int,
    parent: PolicyNode | None,
    illustrative: bool,
) -> PolicyNode:
    node = PolicyNode(
        policy=policy,
        level=levels[depth],
        parent=parent,
        code=code,
        title=title,
        order=order,
        is_illustrative=illustrative,
    )
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def load_policy() -> Policy | None:
    """The demo policy, unless a policy with its code already exists."""
    if Policy.objects.filter(code=POLICY_CODE).exists():
        return None
    load_catalogues()
    structure = yaml.safe_load((DATA / "policy_structure.yaml").read_text(encoding="utf-8"))
    _load_populations(structure)
    approval = structure["policy"]["approval"]
    policy = Policy.objects.create(
        code=POLICY_CODE,
        name="Política Migratoria de Guatemala 2023-2032 (demostración)",
        legal_basis=approval["instrument"],
        issued_on=approval["approved_on"],
        start_year=2023,
        end_year=2032,
        general_objective=_placeholder(structure["objetivo_general"]["placeholder_es"]),
        status=PolicyStatus.ACTIVE,
        is_illustrative=True,
    )
    levels = {
        depth: PolicyLevel.objects.create(
            policy=policy, depth=depth, name=name, name_plural=plural, is_action_level=is_action
        )
        for depth, name, plural, is_action in LEVELS
    }
    for order, row in enumerate(p for p in structure["principios_rectores"] if p.get("confirmed")):
        GuidingPrinciple.objects.create(policy=policy, order=order + 1, name=row["name_es"])

    institutions = {i.acronym: i for i in Institution.objects.all()}
    populations = {p.code: p for p in TargetPopulation.objects.all()}
    order = 0
    for axis_number, axis in enumerate(structure["ejes"], start=1):
        order += 1
        axis_node = _node(policy, levels, 1, str(axis_number), axis["name_es"], order, None, False)
        gcm, sdg, katun = ALIGNMENT[str(axis_number)]
        axis_node.gcm_objectives.set(GcmObjective.objects.filter(number__in=gcm))
        axis_node.sdg_targets.set(SdgTarget.objects.filter(code__in=sdg))
        axis_node.katun_priorities.set(KatunPriority.objects.filter(code__in=katun))
        order += 1
        objective = _node(
            policy,
            levels,
            2,
            f"OE{axis_number}",
            _placeholder(axis["objetivo_especifico"]["placeholder_es"]),
            order,
            axis_node,
            True,
        )
        for line in axis["lineas_estrategicas"]:
            order += 1
            strategic = _node(
                policy, levels, 3, line["code"].removeprefix("LE"), line["placeholder_es"], order, objective, True
            )
            for row in line["lineas_de_accion"]:
                order += 1
                node = _node(
                    policy, levels, 4, row["code"].removeprefix("LA"), row["placeholder_es"], order, strategic, True
                )
                action = Action.objects.create(
                    node=node,
                    lead_institution=institutions[row["lead"]],
                    horizon="medium",
                    start_year=2024,
                    end_year=2028,
                    expected_product="Producto ilustrativo: " + row["placeholder_es"].lower(),
                )
                action.co_responsible.set([institutions[code] for code in row.get("co", [])])
                hinted = {code for word, code in POPULATION_HINTS if word.lower() in row["placeholder_es"].lower()}
                action.target_populations.set([populations[code] for code in sorted(hinted)])

    nodes = {node.code: node for node in PolicyNode.objects.filter(policy=policy)}
    for source, target, note in CAUSAL_LINKS:
        CausalLink.objects.create(policy=policy, source=nodes[source], target=nodes[target], evidence_note=note)
    _load_indicators(policy, nodes, institutions)
    return policy


def _targets(start: Decimal, step: Decimal, years: range) -> dict[int, Decimal]:
    """`start` is the target of the year before `years` (2025, which the demo reports on), then a step a year."""
    return {years.start - 1: start} | {year: start + step * (index + 1) for index, year in enumerate(years)}


def _load_indicators(policy: Policy, nodes: dict[str, PolicyNode], institutions: dict[str, Institution]) -> None:
    years = range(2026, 2031)
    dimensions = {d.code: d for d in DisaggregationDimension.objects.all()}
    specs: list[dict[str, Any]] = [
        dict(
            code="IND-1.1",
            node="1.1.1",
            name="Niñas, niños y adolescentes no acompañados retornados recibidos por la SBS",
            level="output",
            unit="personas",
            measure_type="count",
            direction="maintain",
            institution="SBS",
            baseline=("2084", 2023, "SBS, primer trimestre de 2023 (sbs.gob.gt)"),
            targets=_targets(Decimal(2000), Decimal(0), years),
            dims=["sexo", "edad", "departamento"],
            frequency="four_monthly",
            illustrative=False,
        ),
        dict(
            code="IND-1.2",
            node="1.1.1",
            name="Protocolo de recepción de NNA retornados actualizado e implementado",
            level="output",
            unit="etapa",
            measure_type="milestone",
            direction="increase",
            institution="SBS",
            targets={2026: Decimal(1), 2027: Decimal(2), 2028: Decimal(3)},
            steps=["No iniciado", "En elaboración", "Validado", "Aprobado e implementado"],
            frequency="semiannual",
        ),
        dict(
            code="IND-1.3",
            node="1.3.1",
            name="Servidores públicos formados en derechos de las personas migrantes",
            level="output",
            unit="personas",
            measure_type="count",
            direction="increase",
            institution="IGM",
            targets=_targets(Decimal(0), Decimal(250), years),
            dims=["sexo"],
            frequency="four_monthly",
        ),
        dict(
            code="IND-1.4",
            node="1.5.1",
            name="Solicitudes de refugio resueltas dentro del plazo legal",
            level="outcome",
            unit="%",
            measure_type="percentage",
            direction="increase",
            institution="IGM",
            numerator="Solicitudes resueltas dentro del plazo en el periodo",
            denominator="Solicitudes que vencieron su plazo en el periodo",
            targets=_targets(Decimal(40), Decimal(10), years),
            dims=["nacionalidad", "sexo"],
            frequency="annual",
        ),
        dict(
            code="IND-2.1",
            node="2.1.1",
            name="Personas guatemaltecas retornadas atendidas",
            level="output",
            unit="personas",
            measure_type="count",
            direction="maintain",
            institution="IGM",
            baseline=("55181", 2025, "AGN, agn.gt/?p=483622"),
            targets=_targets(Decimal(55000), Decimal(0), years),
            dims=["sexo", "edad", "departamento", "pueblo"],
            frequency="monthly",
            illustrative=False,
        ),
        dict(
            code="IND-2.2",
            node="2.2.1",
            name="Personas retornadas referidas a MINTRAB que obtuvieron empleo",
            level="outcome",
            unit="%",
            measure_type="percentage",
            direction="increase",
            institution="MINTRAB",
            numerator="Personas retornadas referidas que obtuvieron empleo",
            denominator="Personas retornadas referidas a MINTRAB",
            baseline=("9.09", 2025, "Soy502, diciembre de 2025"),
            targets=_targets(Decimal("9.09"), Decimal(3), years),
            dims=["sexo", "edad"],
            frequency="four_monthly",
            illustrative=False,
        ),
        dict(
            code="IND-2.3",
            node="2.2",
            name="Personas retornadas con competencias certificadas",
            level="outcome",
            unit="personas",
            measure_type="count",
            direction="increase",
            institution="INTECAP",
            targets=_targets(Decimal(0), Decimal(300), years),
            dims=["sexo"],
            frequency="semiannual",
        ),
        dict(
            code="IND-3.1",
            node="3.1",
            name="Entradas registradas al país",
            level="outcome",
            unit="entradas",
            measure_type="count",
            direction="increase",
            institution="IGM",
            baseline=("2593790", 2021, "Política Migratoria, diagnóstico (IGM 2023)"),
            targets=_targets(Decimal(2600000), Decimal(50000), years),
            dims=["nacionalidad"],
            frequency="monthly",
            illustrative=False,
        ),
        dict(
            code="IND-3.2",
            node="3.4.1",
            name="Boletín estadístico migratorio interinstitucional publicado",
            level="output",
            unit="sí/no",
            measure_type="yes_no",
            direction="maintain",
            institution="IGM",
            targets={year: Decimal(1) for year in years},
            frequency="annual",
        ),
        dict(
            code="IND-3.3",
            node="3.2.1",
            name="Jornadas de consulado móvil realizadas",
            level="output",
            unit="jornadas",
            measure_type="count",
            direction="increase",
            institution="MINEX",
            targets=_targets(Decimal(20), Decimal(5), years),
            frequency="quarterly",
        ),
        dict(
            code="IND-4.1",
            node="OE4",
            name="Remesas familiares recibidas (millones de USD)",
            level="impact",
            unit="millones de USD",
            measure_type="count",
            direction="increase",
            institution="BANGUAT",
            baseline=("11340", 2020, "OIM, rosanjose.iom.int"),
            aggregation="latest",
            frequency="annual",
            illustrative=False,
        ),
        dict(
            code="IND-4.2",
            node="4.4.1",
            name="Municipios con la variable migratoria en su plan de desarrollo",
            level="outcome",
            unit="municipios",
            measure_type="count",
            direction="increase",
            institution="SEGEPLAN",
            targets=_targets(Decimal(5), Decimal(10), years),
            dims=["departamento"],
            frequency="annual",
        ),
    ]
    for spec in specs:
        baseline = spec.get("baseline")
        indicator = Indicator.objects.create(
            policy=policy,
            node=nodes[spec["node"]],
            code=spec["code"],
            name=spec["name"],
            definition=f"Mide {spec['name'][0].lower()}{spec['name'][1:]} en el periodo de reporte.",
            level=spec["level"],
            unit=spec["unit"],
            measure_type=spec["measure_type"],
            numerator_definition=spec.get("numerator", ""),
            denominator_definition=spec.get("denominator", ""),
            direction=spec["direction"],
            baseline_value=Decimal(baseline[0]) if baseline else None,
            baseline_year=baseline[1] if baseline else None,
            baseline_source=baseline[2] if baseline else "",
            frequency=spec["frequency"],
            data_source=f"Registros administrativos de {spec['institution']}",
            means_of_verification="Reporte institucional con listado de respaldo",
            responsible_institution=institutions[spec["institution"]],
            aggregation=spec.get("aggregation", "sum"),
            is_illustrative=spec.get("illustrative", True),
        )
        indicator.dimensions.set([dimensions[code] for code in spec.get("dims", [])])
        for year, value in spec.get("targets", {}).items():
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
        for value, name in enumerate(spec.get("steps", [])):
            MilestoneStep.objects.create(indicator=indicator, value=value, name=name)
