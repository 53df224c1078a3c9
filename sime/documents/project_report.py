"""The project report (*Informe de proyecto*) as data: frozen dataclasses built once from the
database and rendered to DOCX and PDF. The structure is PRODUCT.md's, section by section."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from sime.activities.models import SECTORS, Activity, Project
from sime.activities.selectors import project_detail_queryset
from sime.core.formatting import format_amount
from sime.documents.spanish import date_range, long_date, month_range

INSTITUTION = "Instituto Guatemalteco de Migración"
SECTION_TITLES = [
    "1. Introducción",
    "2. Justificación",
    "3. Objetivos",
    "4. Localización geográfica y área de influencia",
    "5. Beneficiarios directos e indirectos",
    "6. Actividades desarrolladas",
    "7. Acuerdos y acciones de seguimiento",
    "8. Cronograma de ejecución",
    "9. Información financiera",
    "10. Medios de verificación",
]
NOT_APPLICABLE = "No aplica"


@dataclass(frozen=True)
class MoneyRow:
    period: str
    amount: Decimal

    @property
    def amount_text(self) -> str:
        return format_amount(self.amount)


@dataclass(frozen=True)
class ActivitySection:
    number: str  # "6.1"
    title: str
    kind: str
    description: str
    attendance: str
    duties: tuple[tuple[str, tuple[str, ...]], ...]  # consultancies: (assignment, duties)
    money: MoneyRow


@dataclass(frozen=True)
class ScheduleRow:
    item: str
    period: str


@dataclass(frozen=True)
class ProjectReport:
    title: str
    area: str
    responsible: str
    date_line: str
    introduction: str
    justification: str
    general_objective: str
    specific_objectives: tuple[str, ...]
    location: str
    direct_beneficiaries: str
    indirect_beneficiaries: str
    activities: tuple[ActivitySection, ...]
    agreements: tuple[str, ...]
    schedule: tuple[ScheduleRow, ...]
    finances: tuple[tuple[str, MoneyRow], ...]
    total: Decimal
    means_of_verification: tuple[str, ...]
    signatory_name: str
    signatory_position: str

    section_titles = SECTION_TITLES
    institution = INSTITUTION
    not_applicable = NOT_APPLICABLE

    @property
    def total_text(self) -> str:
        return format_amount(self.total)


def _attendance(activity: Activity) -> str:
    if not activity.attendance_total:
        return ""
    by_sector = activity.attendance_by_sector()
    parts = [
        f"{str(label).lower()}: {by_sector[code]:,}" for code, (_f, label) in SECTORS.items() if by_sector.get(code)
    ]
    parts += [
        f"{word}: {count:,}"
        for count, word in ((activity.attendance_women, "mujeres"), (activity.attendance_men, "hombres"))
        if count
    ]
    text = f"Participaron {activity.attendance_total:,} personas"
    return text + (f" ({'; '.join(parts)})." if parts else ".")


def build_project_report(project_id: int) -> ProjectReport:
    """The report's content, always in Spanish whatever the reader's UI language (an official document)."""
    with translation.override("es"):
        return _build(project_detail_queryset().get(pk=project_id))


def _build(project: Project) -> ProjectReport:
    sections: list[ActivitySection] = []
    schedule: list[ScheduleRow] = []
    finances: list[tuple[str, MoneyRow]] = []
    number = 0
    for activity in project.activities.all():
        number += 1
        period = date_range(activity.start_date, activity.end_date)
        money = MoneyRow(period, activity.cost)
        sections.append(
            ActivitySection(
                f"6.{number}",
                activity.title,
                activity.get_kind_display(),
                activity.description,
                _attendance(activity),
                (),
                money,
            )
        )
        schedule.append(ScheduleRow(activity.title, period))
        finances.append((activity.title, money))
    for consultancy in project.consultancies.all():
        number += 1
        period = month_range(consultancy.start_month, consultancy.end_month)
        money = MoneyRow(period, consultancy.amount)
        duties = tuple((a.name, tuple(a.duties)) for a in consultancy.assignments.all())
        sections.append(
            ActivitySection(f"6.{number}", consultancy.title, "Consultoría", consultancy.description, "", duties, money)
        )
        schedule.append(ScheduleRow(consultancy.title, period))
        finances.append((consultancy.title, money))
    total = sum((money.amount for _title, money in finances), Decimal("0.00"))
    today = timezone.localdate()
    return ProjectReport(
        title=project.title,
        area=project.area,
        responsible=f"{project.responsible_name}, {project.responsible_position}",
        date_line=f"Guatemala, {long_date(today)}",
        introduction=project.introduction,
        justification=project.justification,
        general_objective=project.general_objective,
        specific_objectives=tuple(str(o) for o in project.specific_objectives),
        location=project.location,
        direct_beneficiaries=project.direct_beneficiaries,
        indirect_beneficiaries=project.indirect_beneficiaries,
        activities=tuple(sections),
        agreements=tuple(
            f"{a.text}"
            + (
                f" Responsable: {a.responsible_person or a.responsible_institution}."
                if (a.responsible_person or a.responsible_institution)
                else ""
            )
            + (f" Fecha límite: {long_date(a.due_date)}." if a.due_date else "")
            for a in project.agreements.all()
        ),
        schedule=tuple(schedule),
        finances=tuple(finances),
        total=total,
        means_of_verification=tuple(m.title for m in project.means_of_verification.all()),
        signatory_name=project.signatory_name or project.responsible_name,
        signatory_position=project.signatory_position or project.responsible_position,
    )
