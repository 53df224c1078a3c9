"""Reads of evaluation and its follow-up: the annual plan, an evaluation's page, an institution's
recommendations, a response with its plan, and the follow-up board. Query shapes live here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sime.accounts.permissions import institution_scope
from sime.evaluation.models import (
    Evaluation,
    Finding,
    FollowUpComment,
    FollowUpEvent,
    ImprovementAction,
    Recommendation,
    Response,
)
from sime.evaluation.workflow import ANSWERABLE, CLOSING_STATUSES, NEEDS_PLAN, Closure, ResponseStatus
from sime.policy.models import PolicyNode

if TYPE_CHECKING:
    from sime.accounts.models import User

HUNDRED = Decimal(100)


def plan_years() -> list[int]:
    years = set(Evaluation.objects.values_list("plan_year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def evaluation_plan(year: int) -> QuerySet[Evaluation]:
    """The year's evaluations with their recommendation counts (one query)."""
    return (
        Evaluation.objects.filter(plan_year=year)
        .select_related("policy", "consultancy")
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            closed_count=Count("recommendations", filter=Q(recommendations__closed_at__isnull=False), distinct=True),
        )
        .order_by("planned_start", "code")
    )


def evaluation_for_page(pk: int) -> Evaluation:
    return (
        Evaluation.objects.select_related("policy", "consultancy__project", "created_by")
        .prefetch_related("nodes", "indicators", "projects", "documents")
        .get(pk=pk)
    )


def findings_of(evaluation: Evaluation) -> list[Finding]:
    return list(
        Finding.objects.filter(evaluation=evaluation).prefetch_related("nodes", "indicators").order_by("kind", "number")
    )


def recommendations_of(evaluation: Evaluation, user: User | None = None) -> list[Recommendation]:
    """The evaluation's recommendations with their responses; a focal point sees only its own."""
    responses = Response.objects.select_related("institution").order_by("institution__acronym")
    recommendations = Recommendation.objects.filter(evaluation=evaluation)
    if user is not None:
        responses = institution_scope(user, responses)
        recommendations = recommendations.filter(responses__in=institution_scope(user, Response.objects.all()))
    return list(
        recommendations.distinct()
        .prefetch_related(Prefetch("responses", queryset=responses), "nodes", "findings")
        .order_by("number")
    )


def timeline(evaluation: Evaluation, *, response: Response | None = None) -> list[FollowUpEvent]:
    events = FollowUpEvent.objects.filter(evaluation=evaluation)
    if response is not None:
        events = events.filter(response=response)
    return list(
        events.select_related("actor", "recommendation", "response__institution", "action").order_by(
            "occurred_at", "pk"
        )
    )


def responses_in_scope(user: User) -> QuerySet[Response]:
    """The responses a user may open: everything for DEPM and Autoridad, its institution's for focal
    points (and only once the evaluation has concluded: before that there is nothing to answer)."""
    queryset = institution_scope(user, Response.objects.all())
    if getattr(user, "institution_id", None) is not None and queryset.query.where:
        queryset = queryset.filter(recommendation__evaluation__status__in=ANSWERABLE)
    return queryset


def response_for_page(user: User, pk: int) -> Response:
    return (
        responses_in_scope(user)
        .select_related(
            "recommendation__evaluation__policy",
            "institution",
            "technical_signed_by",
            "planning_signed_by",
            "validated_by",
        )
        .prefetch_related("recommendation__nodes", "recommendation__findings")
        .get(pk=pk)
    )


def plan_of(response: Response) -> list[ImprovementAction]:
    return list(
        ImprovementAction.objects.filter(response=response)
        .select_related("updated_by")
        .prefetch_related("evidence", Prefetch("comments", queryset=FollowUpComment.objects.select_related("author")))
        .order_by("number")
    )


def general_comments(response: Response) -> list[FollowUpComment]:
    return list(
        FollowUpComment.objects.filter(response=response, action__isnull=True)
        .select_related("author")
        .order_by("-round", "created_at")
    )


def own_responses(user: User) -> list[Response]:
    """A focal point's institution's responses, open ones first, with plan counts (one query)."""
    return list(
        responses_in_scope(user)
        .select_related("recommendation__evaluation")
        .annotate(
            action_count=Count("actions"),
            closed_actions=Count("actions", filter=Q(actions__closure=Closure.VALIDATED)),
        )
        .order_by("recommendation__closed_at", "recommendation__evaluation__code", "recommendation__number")
    )


# --- The follow-up board -------------------------------------------------------------------------


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Vencida, as a query: past its due date and not reported closed."""
    return Q(**{f"{prefix}due_on__lt": today}) & ~Q(**{f"{prefix}status__in": list(CLOSING_STATUSES)})


def recommendation_status(recommendation: Recommendation, responses: list[Response]) -> str:
    if recommendation.closed_at is not None:
        return "closed"
    if not responses or all(r.status in (ResponseStatus.PENDING, ResponseStatus.RETURNED) for r in responses):
        return "unanswered"
    if any(r.status != ResponseStatus.VALIDATED for r in responses):
        return "answering"
    return "executing"


@dataclass
class InstitutionRow:
    institution_id: int
    acronym: str
    name: str
    addressed: int = 0
    accepted: int = 0
    with_plan: int = 0
    actions: int = 0
    actions_closed: int = 0
    overdue: int = 0

    @property
    def percent_closed(self) -> Decimal | None:
        if not self.actions:
            return None
        return (Decimal(self.actions_closed) * HUNDRED / Decimal(self.actions)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class Board:
    today: dt.date
    by_status: dict[str, int]
    institutions: list[InstitutionRow]
    evaluations: list[dict[str, Any]]
    axes: list[dict[str, Any]]
    overdue: list[ImprovementAction]
    recommendations: list[tuple[Recommendation, str]] = field(default_factory=list)


RECOMMENDATION_STATUS_LABELS = {
    "unanswered": _("Sin respuesta"),
    "answering": _("En respuesta"),
    "executing": _("En ejecución"),
    "closed": _("Cerrada"),
}


def _axis_of_nodes() -> dict[int, PolicyNode]:
    nodes = {node.pk: node for node in PolicyNode.objects.only("pk", "parent_id", "code", "title", "policy_id")}
    top: dict[int, PolicyNode] = {}
    for pk, node in nodes.items():
        current = node
        while current.parent_id is not None and current.parent_id in nodes:
            current = nodes[current.parent_id]
        top[pk] = current
    return top


def followup_board(
    *,
    today: dt.date | None = None,
    evaluation_id: int | None = None,
    institution_id: int | None = None,
    status: str | None = None,
) -> Board:
    """Every figure of the follow-up board from a fixed number of queries, whatever the volume."""
    today = today or timezone.localdate()
    recommendations = Recommendation.objects.select_related("evaluation").prefetch_related(
        Prefetch("responses", queryset=Response.objects.select_related("institution").prefetch_related("actions")),
        "nodes",
    )
    if evaluation_id:
        recommendations = recommendations.filter(evaluation_id=evaluation_id)
    if institution_id:
        recommendations = recommendations.filter(responses__institution_id=institution_id).distinct()
    by_status = dict.fromkeys(RECOMMENDATION_STATUS_LABELS, 0)
    institutions: dict[int, InstitutionRow] = {}
    evaluations: dict[int, dict[str, Any]] = {}
    axes: dict[int, dict[str, Any]] = {}
    axis_of = _axis_of_nodes()
    listed: list[tuple[Recommendation, str]] = []
    overdue: list[ImprovementAction] = []
    for recommendation in recommendations.order_by("evaluation__code", "number"):
        responses = list(recommendation.responses.all())
        state = recommendation_status(recommendation, responses)
        if status and state != status:
            continue
        listed.append((recommendation, state))
        by_status[state] += 1
        ev = evaluations.setdefault(
            recommendation.evaluation_id,
            {"evaluation": recommendation.evaluation, **dict.fromkeys(RECOMMENDATION_STATUS_LABELS, 0), "total": 0},
        )
        ev[state] += 1
        ev["total"] += 1
        for axis in {axis_of[n.pk].pk: axis_of[n.pk] for n in recommendation.nodes.all() if n.pk in axis_of}.values():
            row = axes.setdefault(axis.pk, {"node": axis, **dict.fromkeys(RECOMMENDATION_STATUS_LABELS, 0), "total": 0})
            row[state] += 1
            row["total"] += 1
        for response in responses:
            if institution_id and response.institution_id != institution_id:
                continue
            inst = institutions.setdefault(
                response.institution_id,
                InstitutionRow(response.institution_id, response.institution.acronym, response.institution.name),
            )
            inst.addressed += 1
            actions = list(response.actions.all())
            if response.decision in NEEDS_PLAN:
                inst.accepted += 1
            if actions:
                inst.with_plan += 1
            if response.status != ResponseStatus.VALIDATED:
                continue
            for action in actions:
                inst.actions += 1
                inst.actions_closed += action.closure == Closure.VALIDATED
                if action.is_overdue(today):
                    inst.overdue += 1
                    action.response = response
                    overdue.append(action)
    overdue.sort(key=lambda a: (a.due_on, a.response.institution.acronym, a.pk))
    return Board(
        today=today,
        by_status=by_status,
        institutions=sorted(institutions.values(), key=lambda row: row.acronym),
        evaluations=list(evaluations.values()),
        axes=sorted(axes.values(), key=lambda row: row["node"].code),
        overdue=overdue,
        recommendations=listed,
    )


def plan_progress(actions: list[ImprovementAction]) -> Decimal | None:
    """The plan's % de avance: the mean of its actions' % (closed no-longer-applicable ones left out)."""
    counted = [a.percent for a in actions if a.status != "no_longer_applicable"]
    if not counted:
        return None
    return (sum(counted, Decimal(0)) / Decimal(len(counted))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def open_actions_of_institution(institution_id: int) -> list[ImprovementAction]:
    """An institution's validated plan actions still open: for its home and its instrument."""
    return list(
        ImprovementAction.objects.filter(
            response__institution_id=institution_id,
            response__status=ResponseStatus.VALIDATED,
        )
        .exclude(closure=Closure.VALIDATED)
        .select_related("response__recommendation__evaluation")
        .order_by("due_on", "pk")
    )


def node_ids_by_finding(findings: list[Finding]) -> tuple[set[int], set[int]]:
    nodes: set[int] = set()
    indicators: set[int] = set()
    for finding in findings:
        nodes.update(n.pk for n in finding.nodes.all())
        indicators.update(i.pk for i in finding.indicators.all())
    return nodes, indicators
