"""What the public may read: only what a current publication covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from sime.activities.models import Activity, Project
from sime.core.text import search_key
from sime.evaluation.models import Evaluation, EvaluationDocument, ImprovementAction, Recommendation, Response
from sime.evaluation.workflow import EvaluationStatus
from sime.institutions.models import Institution
from sime.policy.models import Action, Indicator, PolicyNode
from sime.public.models import Publication, PublicationKind
from sime.reporting.models import ReportingPeriod, Submission
from sime.reporting.workflow import Status


def published_submissions() -> QuerySet[Submission]:
    """Approved instruments of published periods, approved before the period's publication: an
    instrument reopened and approved again later waits for the period to be published again."""
    covering = Publication.objects.current().filter(
        kind=PublicationKind.PERIOD, period=OuterRef("period"), published_at__gte=OuterRef("approved_at")
    )
    return Submission.objects.filter(status=Status.APPROVED).filter(Exists(covering))


def current_period_publications(policy_id: int) -> list[Publication]:
    """The policy's published periods, latest period first."""
    return list(
        Publication.objects.current()
        .filter(kind=PublicationKind.PERIOD, period__policy_id=policy_id)
        .select_related("period")
        .order_by("-period__ends_on")
    )


@dataclass(frozen=True, slots=True)
class PeriodPublicationState:
    approved: int  # instruments approved now
    published: int  # of those, covered by the current publication
    approved_since: int  # approved after the current publication (waiting to be published again)


def period_publication_state(period: ReportingPeriod, current: Publication | None) -> PeriodPublicationState:
    approved = Q(status=Status.APPROVED)
    if current is None:
        counts = period.submissions.aggregate(approved=Count("pk", filter=approved))
        return PeriodPublicationState(counts["approved"], 0, 0)
    counts = period.submissions.aggregate(
        approved=Count("pk", filter=approved),
        published=Count("pk", filter=approved & Q(approved_at__lte=current.published_at)),
    )
    return PeriodPublicationState(counts["approved"], counts["published"], counts["approved"] - counts["published"])


def periods_for_publication(policy_id: int) -> list[dict[str, Any]]:
    """Each period of the policy with its approved instruments, its current publication and how many
    instruments were approved after it (three queries, whatever the number of periods)."""
    current = {
        p.period_id: p
        for p in Publication.objects.current()
        .filter(kind=PublicationKind.PERIOD, period__policy_id=policy_id)
        .select_related("published_by")
    }
    rows = []
    periods = (
        ReportingPeriod.objects.filter(policy_id=policy_id)
        .annotate(
            approved=Count("submissions", filter=Q(submissions__status=Status.APPROVED)),
            instruments=Count("submissions"),
        )
        .order_by("-ends_on", "code")
    )
    approved_times: dict[int, list[Any]] = {}
    for period_id, approved_at in Submission.objects.filter(
        period__policy_id=policy_id, status=Status.APPROVED
    ).values_list("period_id", "approved_at"):
        approved_times.setdefault(period_id, []).append(approved_at)
    for period in periods:
        publication = current.get(period.pk)
        since = (
            sum(1 for t in approved_times.get(period.pk, []) if t is not None and t > publication.published_at)
            if publication
            else 0
        )
        rows.append({"period": period, "publication": publication, "approved_since": since})
    return rows


def publication_history() -> QuerySet[Publication]:
    return Publication.objects.select_related(
        "period", "project", "activity", "published_by", "unpublished_by"
    ).order_by("-published_at", "-pk")


def institution_names(ids: set[int]) -> dict[int, str]:
    """Acronym (else name) of each institution: institutions are public, their people are not."""
    rows = Institution.objects.filter(pk__in=ids).values_list("pk", "acronym", "name")
    return {pk: acronym or name for pk, acronym, name in rows}


def public_indicators(policy_id: int) -> QuerySet[Indicator]:
    """The indicators whose pages the portal shows: those of the monitored policy."""
    return Indicator.objects.filter(policy_id=policy_id).select_related("policy")


def public_institutions(ids: set[int]) -> QuerySet[Institution]:
    """Institutions among `ids`, by name: their name and acronym are public, their people are not."""
    return Institution.objects.filter(pk__in=ids).only("pk", "name", "acronym").order_by("name")


def committed_institution_ids(policy_id: int) -> set[int]:
    """Institutions leading or co-responsible for a line of action of the policy."""
    actions = Action.objects.filter(node__policy_id=policy_id)
    lead = set(actions.values_list("lead_institution_id", flat=True))
    return (lead | set(actions.values_list("co_responsible", flat=True))) - {None}


def published_evaluations() -> QuerySet[Evaluation]:
    """Evaluations DEPM has published (their own workflow's last step)."""
    return Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED)


def public_evaluation_documents(evaluation: Evaluation) -> list[EvaluationDocument]:
    return list(evaluation.documents.order_by("role", "uploaded_at", "pk"))


def public_recommendations(evaluation: Evaluation) -> list[Recommendation]:
    """The recommendations with each addressed institution's response and plan actions (three
    queries whatever their number)."""
    responses = (
        Response.objects.select_related("institution")
        .order_by("institution__name")
        .prefetch_related(Prefetch("actions", queryset=ImprovementAction.objects.order_by("number")))
    )
    return list(
        Recommendation.objects.filter(evaluation=evaluation)
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("number")
    )


def public_document(pk: int) -> EvaluationDocument | None:
    return EvaluationDocument.objects.filter(pk=pk, evaluation__in=published_evaluations()).first()


SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PublicSearch:
    nodes: list[PolicyNode]
    indicators: list[Indicator]
    institutions: list[Institution]
    evaluations: list[Evaluation]

    @property
    def count(self) -> int:
        return len(self.nodes) + len(self.indicators) + len(self.institutions) + len(self.evaluations)


def search_public(policy_id: int, text: str) -> PublicSearch:
    """The public content matching every word of `text`, without regard to accents or case: the
    policy's nodes, its indicators, the institutions with commitments and published evaluations
    (at most SEARCH_LIMIT of each; six queries)."""
    words = search_key(text).split()
    if not words:
        return PublicSearch([], [], [], [])

    def matches(*texts: str) -> bool:
        key = search_key(" ".join(texts))
        return all(word in key for word in words)

    nodes = PolicyNode.objects.filter(policy_id=policy_id).select_related("level").order_by("order", "code")
    for word in words:
        nodes = nodes.filter(search_text__contains=word)
    institutions = Institution.objects.filter(pk__in=committed_institution_ids(policy_id))
    for word in words:
        institutions = institutions.filter(search_text__contains=word)
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(policy_id=policy_id).only("pk", "code", "name").order_by("code")
        if matches(indicator.code, indicator.name)
    ]
    evaluations = [
        evaluation
        for evaluation in published_evaluations().only("pk", "code", "title").order_by("-published_at")
        if matches(evaluation.code, evaluation.title)
    ]
    return PublicSearch(
        list(nodes[:SEARCH_LIMIT]),
        indicators[:SEARCH_LIMIT],
        list(institutions.order_by("name")[:SEARCH_LIMIT]),
        evaluations[:SEARCH_LIMIT],
    )


def projects_for_publication() -> list[dict[str, Any]]:
    """Every cooperation project with its current publication (two queries)."""
    current = {
        p.project_id: p
        for p in Publication.objects.current().filter(kind=PublicationKind.PROJECT).select_related("published_by")
    }
    projects = Project.objects.select_related("agency").order_by("-start_date", "title")
    return [{"object": project, "publication": current.get(project.pk)} for project in projects]


def events_for_publication() -> QuerySet[Activity]:
    """Every activity, latest first, annotated with its current publication's id (one query a page)."""
    current = Publication.objects.current().filter(kind=PublicationKind.EVENT, activity=OuterRef("pk"))
    return (
        Activity.objects.select_related("project", "department")
        .annotate(publication_id=current.values("pk")[:1], published_at=current.values("published_at")[:1])
        .order_by("-start_date", "-pk")
    )


def published_projects() -> QuerySet[Project]:
    current = Publication.objects.current().filter(kind=PublicationKind.PROJECT, project=OuterRef("pk"))
    return Project.objects.filter(Exists(current)).select_related("agency")


def published_events() -> QuerySet[Activity]:
    current = Publication.objects.current().filter(kind=PublicationKind.EVENT, activity=OuterRef("pk"))
    return Activity.objects.filter(Exists(current)).select_related("project", "department")
