"""The *informe de seguimiento* of an evaluation, built once as data (frozen dataclasses) and then
rendered to DOCX (`report_docx.py`) and PDF (`report_pdf.py`); always in Spanish.

Its figures come from the follow-up board's selector (`selectors.followup_board`), so the report,
the board and its export cannot disagree. `monitoring_section()` is this app's section of the
yearly *Informe de monitoreo* (see `MONITORING_REPORT_SECTIONS` in the settings).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from sime.analytics.report_sections import ReportSection, SectionTable
from sime.core.formatting import format_number
from sime.documents.spanish import date_range, long_date
from sime.evaluation import selectors
from sime.evaluation.models import (
    Evaluation,
    EvaluationKind,
    EvaluationMoment,
    EvaluatorKind,
    ImprovementAction,
    Priority,
)
from sime.evaluation.selectors import RECOMMENDATION_STATUS_LABELS
from sime.evaluation.workflow import ANSWERABLE, Decision, EvaluationStatus, ResponseStatus
from sime.policy.models import Policy

NO_ANSWER = "Sin respuesta"
DEPARTMENT = "Departamento de Estudios y Políticas Migratorias (DEPM)"


def percent_text(value: Decimal | None) -> str:
    return f"{format_number(value)} %" if value is not None else "—"


@dataclass(frozen=True)
class Cover:
    title: str
    code: str
    kind: str
    evaluator: str
    status: str
    planned: str
    actual: str
    concluded: str
    date_line: str


@dataclass(frozen=True)
class Summary:
    recommendations_by_status: tuple[tuple[str, int], ...]
    responses_by_decision: tuple[tuple[str, int], ...]
    actions: int
    actions_closed: int
    actions_overdue: int

    @property
    def recommendations(self) -> int:
        return sum(count for _label, count in self.recommendations_by_status)

    @property
    def lines(self) -> tuple[tuple[str, str], ...]:
        """The summary as (label, figure) rows for a two-column table."""
        return (
            ("Recomendaciones", format_number(self.recommendations)),
            *((f"Recomendaciones: {label.lower()}", format_number(n)) for label, n in self.recommendations_by_status),
            *((f"Respuestas: {label.lower()}", format_number(n)) for label, n in self.responses_by_decision),
            ("Acciones de mejora en planes validados", format_number(self.actions)),
            ("Acciones con cierre validado", format_number(self.actions_closed)),
            ("Acciones vencidas", format_number(self.actions_overdue)),
        )


@dataclass(frozen=True)
class PlanActionRow:
    number: int
    description: str
    responsible_area: str
    dates: str
    status: str
    percent: str
    verification_means: str

    @property
    def texts(self) -> tuple[str, ...]:
        return (
            f"A{self.number}",
            self.description,
            self.responsible_area,
            self.dates,
            self.status,
            self.percent,
            self.verification_means,
        )


@dataclass(frozen=True)
class ResponseSection:
    institution: str
    status: str
    decision: str
    justification: str
    actions: tuple[PlanActionRow, ...]


@dataclass(frozen=True)
class RecommendationSection:
    heading: str
    text: str
    priority: str
    status: str
    institutions: str
    responses: tuple[ResponseSection, ...]


@dataclass(frozen=True)
class OverdueRow:
    institution: str
    recommendation: str
    action: str
    responsible_area: str
    due_on: str
    days_overdue: int

    @property
    def texts(self) -> tuple[str, ...]:
        return (
            self.institution,
            self.recommendation,
            self.action,
            self.responsible_area,
            self.due_on,
            format_number(self.days_overdue),
        )


@dataclass(frozen=True)
class FollowUpReport:
    cover: Cover
    summary: Summary
    recommendations: tuple[RecommendationSection, ...]
    overdue: tuple[OverdueRow, ...]
    today: dt.date

    title = "Informe de seguimiento de la evaluación"
    department = DEPARTMENT
    section_titles = ("1. Resumen", "2. Recomendaciones, respuestas y planes de mejora", "3. Acciones vencidas")
    action_header = (
        "N.º",
        "Acción",
        "Área responsable",
        "Fechas",
        "Estado",
        "% de avance",
        "Medio de verificación",
    )
    overdue_header = ("Institución", "Recomendación", "Acción", "Área responsable", "Fecha límite", "Días vencida")
    no_recommendations = "La evaluación no tiene recomendaciones registradas."
    no_actions = "Sin plan de mejora registrado."
    no_overdue = "Ninguna acción de mejora de un plan validado está vencida."

    @property
    def cover_lines(self) -> tuple[str, ...]:
        c = self.cover
        return (
            self.title,
            c.title,
            f"Código: {c.code}",
            f"Tipo: {c.kind}",
            f"Evaluación: {c.evaluator}",
            f"Estado: {c.status}",
            f"Fechas previstas: {c.planned}",
            f"Fechas reales: {c.actual}",
            *((f"Concluida el {c.concluded}",) if c.concluded else ()),
            DEPARTMENT,
            c.date_line,
        )

    @property
    def filename(self) -> str:
        return f"informe-seguimiento-{self.cover.code}"


def _cover(evaluation: Evaluation, today: dt.date) -> Cover:
    kind = str(EvaluationKind(evaluation.kind).label)
    if evaluation.moment:
        kind = f"{kind} ({str(EvaluationMoment(evaluation.moment).label).lower()})"
    evaluator = str(EvaluatorKind(evaluation.evaluator_kind).label)
    if evaluation.evaluator_name:
        evaluator = f"{evaluator}: {evaluation.evaluator_name}"
    actual = "—"
    if evaluation.actual_start:
        actual = date_range(evaluation.actual_start, evaluation.actual_end)
    concluded = long_date(timezone.localdate(evaluation.concluded_at)) if evaluation.concluded_at else ""
    return Cover(
        title=evaluation.title,
        code=evaluation.code,
        kind=kind,
        evaluator=evaluator,
        status=str(EvaluationStatus(evaluation.status).label),
        planned=date_range(evaluation.planned_start, evaluation.planned_end),
        actual=actual,
        concluded=concluded,
        date_line=f"Guatemala, {long_date(today)}",
    )


def _action_row(action: ImprovementAction, today: dt.date) -> PlanActionRow:
    return PlanActionRow(
        number=action.number,
        description=action.description,
        responsible_area=action.responsible_area,
        dates=date_range(action.starts_on, action.due_on),
        status=action.shown_status_label(today),
        percent=percent_text(action.percent),
        verification_means=action.verification_means,
    )


def build_followup_report(evaluation: Evaluation, *, today: dt.date | None = None) -> FollowUpReport:
    """The evaluation's recommendations, every response and plan, and what is overdue at `today`."""
    today = today or timezone.localdate()
    with translation.override("es"):
        board = selectors.followup_board(today=today, evaluation_id=evaluation.pk)
        states = {recommendation.pk: state for recommendation, state in board.recommendations}
        actions_by_response: dict[int, list[ImprovementAction]] = defaultdict(list)
        for action in ImprovementAction.objects.filter(response__recommendation__evaluation=evaluation).order_by(
            "response_id", "number"
        ):
            actions_by_response[action.response_id].append(action)
        decisions: dict[str, int] = dict.fromkeys([*Decision.values, ""], 0)
        sections = []
        for recommendation in selectors.recommendations_of(evaluation):
            responses = list(recommendation.responses.all())
            answers = []
            for response in responses:
                decisions[response.decision] += 1
                answers.append(
                    ResponseSection(
                        institution=f"{response.institution.name} ({response.institution.acronym})",
                        status=str(ResponseStatus(response.status).label),
                        decision=str(Decision(response.decision).label) if response.decision else NO_ANSWER,
                        justification=response.justification,
                        actions=tuple(_action_row(a, today) for a in actions_by_response[response.pk]),
                    )
                )
            sections.append(
                RecommendationSection(
                    heading=f"R{recommendation.number}",
                    text=recommendation.text,
                    priority=str(Priority(recommendation.priority).label),
                    status=str(RECOMMENDATION_STATUS_LABELS[states[recommendation.pk]]),
                    institutions=", ".join(r.institution.acronym for r in responses),
                    responses=tuple(answers),
                )
            )
        summary = Summary(
            recommendations_by_status=tuple(
                (str(label), board.by_status[key]) for key, label in RECOMMENDATION_STATUS_LABELS.items()
            ),
            responses_by_decision=(
                *((str(label), decisions[value]) for value, label in Decision.choices),
                (NO_ANSWER, decisions[""]),
            ),
            actions=sum(row.actions for row in board.institutions),
            actions_closed=sum(row.actions_closed for row in board.institutions),
            actions_overdue=sum(row.overdue for row in board.institutions),
        )
        return FollowUpReport(
            cover=_cover(evaluation, today),
            summary=summary,
            recommendations=tuple(sections),
            overdue=tuple(overdue_rows(board.overdue, today)),
            today=today,
        )


def overdue_rows(actions: list[ImprovementAction], today: dt.date) -> list[OverdueRow]:
    """The board's overdue actions as rows (its `response` is set by the selector)."""
    return [
        OverdueRow(
            institution=action.response.institution.acronym,
            recommendation=f"{action.response.recommendation.evaluation.code} R{action.response.recommendation.number}",
            action=action.description,
            responsible_area=action.responsible_area,
            due_on=long_date(action.due_on),
            days_overdue=(today - action.due_on).days,
        )
        for action in actions
    ]


def _count(number: int, one: str, many: str) -> str:
    return f"{format_number(number)} {one if number == 1 else many}"


# --- The section of the Informe de monitoreo (settings.MONITORING_REPORT_SECTIONS) ----------------

MONITORING_SECTION_TITLE = "Seguimiento de las evaluaciones"


def monitoring_section(
    policy: Policy, *, year: int, until: dt.date, today: dt.date | None = None
) -> ReportSection | None:
    """The year's evaluations of the policy: their recommendations by follow-up status and the
    improvement actions overdue at `today` (the day the report is generated), from the board.
    None (no section) when the year's plan has no evaluation of the policy."""
    today = today or timezone.localdate()
    del until  # the follow-up is read as it stands today; the approved figures are read at `until`
    evaluations = list(Evaluation.objects.filter(policy=policy, plan_year=year).order_by("planned_start", "code"))
    if not evaluations:
        return None  # a year without evaluations keeps the report as it was
    ids = {evaluation.pk for evaluation in evaluations}
    board = selectors.followup_board(today=today)
    by_evaluation = {row["evaluation"].pk: row for row in board.evaluations if row["evaluation"].pk in ids}
    overdue = [a for a in board.overdue if a.response.recommendation.evaluation_id in ids]
    overdue_by_evaluation: dict[int, int] = defaultdict(int)
    for action in overdue:
        overdue_by_evaluation[action.response.recommendation.evaluation_id] += 1
    keys = list(RECOMMENDATION_STATUS_LABELS)
    rows = []
    for evaluation in evaluations:
        counts = by_evaluation.get(evaluation.pk, {})
        rows.append(
            (
                evaluation.code,
                evaluation.title,
                str(EvaluationStatus(evaluation.status).label),
                format_number(counts.get("total", 0)),
                *(format_number(counts.get(key, 0)) for key in keys),
                format_number(overdue_by_evaluation[evaluation.pk]),
            )
        )
    recommendations = sum(row.get("total", 0) for row in by_evaluation.values())
    closed = sum(row.get("closed", 0) for row in by_evaluation.values())
    answerable = sum(1 for evaluation in evaluations if evaluation.status in ANSWERABLE)
    return ReportSection(
        title=MONITORING_SECTION_TITLE,
        paragraphs=(
            f"En {year} el plan anual registra {_count(len(evaluations), 'evaluación', 'evaluaciones')} de la "
            f"política ({format_number(answerable)} concluidas o publicadas), con "
            f"{_count(recommendations, 'recomendación', 'recomendaciones')}, de las que "
            f"{format_number(closed)} {'está cerrada' if closed == 1 else 'están cerradas'}.",
            f"Acciones de mejora vencidas al {long_date(today)}: {format_number(len(overdue))}.",
        ),
        tables=(
            SectionTable(
                caption="Recomendaciones por estado de seguimiento",
                header=(
                    "Código",
                    "Evaluación",
                    "Estado",
                    "Recomendaciones",
                    *(str(RECOMMENDATION_STATUS_LABELS[key]) for key in keys),
                    "Acciones vencidas",
                ),
                rows=tuple(rows),
                numeric=tuple(range(3, 4 + len(keys) + 1)),
            ),
            SectionTable(
                caption="Acciones de mejora vencidas",
                header=FollowUpReport.overdue_header,
                rows=tuple(row.texts for row in overdue_rows(overdue, today)),
                numeric=(5,),
                empty_text="Ninguna acción de mejora de un plan validado está vencida.",
            ),
        ),
    )
