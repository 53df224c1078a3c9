"""What each public page shows, from published data only (the pages' builders)."""

from __future__ import annotations

from typing import Any

from sime.analytics import charts
from sime.analytics.dashboards import status_labels
from sime.analytics.figures import NodeProgress
from sime.analytics.progress import framework_progress
from sime.analytics.selectors import monitored_policy
from sime.evaluation.selectors import RECOMMENDATION_STATUS_LABELS, findings_of, plan_progress, recommendation_status
from sime.policy.models import Indicator, Policy
from sime.public import selectors
from sime.public.models import Publication
from sime.reporting.models import ReportingPeriod


def home_page() -> dict[str, Any]:
    """The policy, its axes and general objective; headline progress of the latest published period."""
    policy = monitored_policy()
    if policy is None:
        return {"policy": None}
    publications = selectors.current_period_publications(policy.pk)
    context: dict[str, Any] = {"policy": policy, "publications": publications, "latest": None}
    if not publications:
        return context
    latest = publications[0]
    period = latest.period
    assert period is not None  # a period's publication names its period (a check constraint)
    progress = framework_progress(
        policy,
        year=period.year,
        until=period.ends_on,
        all_years=False,
        submissions=selectors.published_submissions(),
    )
    labels = status_labels()
    context.update(
        latest=latest,
        progress=progress,
        axes=progress.roots,
        status_rows=[(code, labels[code], count) for code, count in progress.status_counts.items() if count],
        axis_chart=charts.node_progress_chart(progress.roots),
    )
    return context


def _published_reading(policy: Policy) -> tuple[list[Publication], ReportingPeriod | None]:
    publications = selectors.current_period_publications(policy.pk)
    return publications, (publications[0].period if publications else None)


def _walk(items: list[NodeProgress], depth: int = 0) -> list[tuple[int, NodeProgress]]:
    """The tree in reading order, with each node's depth (the page indents by it)."""
    rows: list[tuple[int, NodeProgress]] = []
    for item in items:
        rows.append((depth, item))
        rows += _walk(item.children, depth + 1)
    return rows


def policy_page() -> dict[str, Any]:
    """Axes down to the lines of action, their institutions and published progress, and the
    indicators with their latest published status."""
    policy = monitored_policy()
    if policy is None:
        return {"policy": None}
    publications, latest = _published_reading(policy)
    progress = framework_progress(
        policy,
        year=latest.year if latest else policy.start_year,
        until=latest.ends_on if latest else None,
        all_years=False,
        submissions=selectors.published_submissions(),
    )
    lead_ids = {item.node.action.lead_institution_id for item in progress.nodes.values() if _action(item)}
    names = selectors.institution_names(lead_ids | {i for ids in progress.co_responsible.values() for i in ids})
    rows = []
    for depth, item in _walk(progress.roots):
        action = _action(item)
        institutions = []
        if action is not None:
            co_responsible = progress.co_responsible.get(action.pk, set())
            institutions = [names[action.lead_institution_id], *sorted(names[i] for i in co_responsible if i in names)]
        rows.append({"depth": depth, "item": item, "institutions": institutions})
    return {
        "policy": policy,
        "latest": publications[0] if publications else None,
        "progress": progress if latest else None,
        "rows": rows,
        "labels": status_labels(),
    }


def _action(item: NodeProgress) -> Any:
    return getattr(item.node, "action", None)


def indicator_page(indicator: Indicator) -> dict[str, Any]:
    """The indicator's technical sheet, its yearly targets and published values, per period."""
    policy = indicator.policy
    publications, latest = _published_reading(policy)
    context: dict[str, Any] = {"indicator": indicator, "policy": policy, "latest": publications[0] if latest else None}
    if latest is None:
        return context
    progress = framework_progress(
        policy,
        year=latest.year,
        until=latest.ends_on,
        indicator_ids=[indicator.pk],
        with_points=True,
        submissions=selectors.published_submissions(),
    )
    item = progress.indicators[0]
    yearly = item.yearly_actuals()
    actual_by_year = dict(yearly)
    published = {p.period_id for p in publications}
    context.update(
        item=item,
        yearly_rows=[
            (year, item.targets.get(year), actual_by_year.get(year))
            for year in sorted(set(actual_by_year) | set(item.targets))
        ],
        years_chart=charts.indicator_years_chart(item, yearly),
        points=[point for point in item.points if point.period.pk in published],
    )
    return context


def _published_progress(policy: Policy) -> tuple[Publication | None, Any]:
    publications, latest = _published_reading(policy)
    progress = framework_progress(
        policy,
        year=latest.year if latest else policy.start_year,
        until=latest.ends_on if latest else None,
        all_years=False,
        submissions=selectors.published_submissions(),
    )
    return (publications[0] if publications else None), progress


def _commitments(progress: Any) -> dict[int, list[dict[str, Any]]]:
    """Institution id → its lines of action (as lead or co-responsible) with its published report."""
    found: dict[int, list[dict[str, Any]]] = {}
    for item in progress.nodes.values():
        action = _action(item)
        if action is None:
            continue
        reports = {report.institution_id: report for report in item.reports}
        roles = [(action.lead_institution_id, True)] + [
            (pk, False) for pk in sorted(progress.co_responsible.get(action.pk, set()))
        ]
        for institution_id, is_lead in roles:
            found.setdefault(institution_id, []).append(
                {"item": item, "is_lead": is_lead, "report": reports.get(institution_id)}
            )
    for rows in found.values():
        rows.sort(key=lambda row: (row["item"].node.order, row["item"].node.code))
    return found


def institutions_page() -> dict[str, Any]:
    """The institutions with commitments in the policy: how many lines of action, how many with a
    published report, and the mean of their published % de avance."""
    policy = monitored_policy()
    if policy is None:
        return {"policy": None}
    latest, progress = _published_progress(policy)
    commitments = _commitments(progress)
    institutions = selectors.public_institutions(set(commitments))
    rows = []
    for institution in institutions:
        lines = commitments[institution.pk]
        percents = [row["report"].percent for row in lines if row["report"] and row["report"].percent is not None]
        rows.append(
            {
                "institution": institution,
                "lines": len(lines),
                "reported": sum(1 for row in lines if row["report"]),
                "percent": sum(percents) / len(percents) if percents else None,
            }
        )
    return {"policy": policy, "latest": latest, "rows": rows}


def institution_page(institution: Any) -> dict[str, Any]:
    policy = monitored_policy()
    assert policy is not None  # the view answers 404 without a policy
    latest, progress = _published_progress(policy)
    return {
        "policy": policy,
        "latest": latest,
        "institution": institution,
        "lines": _commitments(progress).get(institution.pk, []),
    }


def evaluations_page() -> dict[str, Any]:
    return {"evaluations": list(selectors.published_evaluations().order_by("-published_at", "code"))}


def evaluation_page(evaluation: Any) -> dict[str, Any]:
    """A published evaluation: what was evaluated and how, its documents, findings, and each
    recommendation's follow-up (status, institutions' decisions, % of their improvement plans)."""
    recommendations = []
    for recommendation in selectors.public_recommendations(evaluation):
        responses = list(recommendation.responses.all())
        status = recommendation_status(recommendation, responses)
        recommendations.append(
            {
                "recommendation": recommendation,
                "status": RECOMMENDATION_STATUS_LABELS[status],
                "responses": [{"response": r, "plan_percent": plan_progress(list(r.actions.all()))} for r in responses],
            }
        )
    return {
        "evaluation": evaluation,
        "documents": selectors.public_evaluation_documents(evaluation),
        "findings": findings_of(evaluation),
        "recommendations": recommendations,
    }


def cooperation_page() -> dict[str, Any]:
    """Published projects with their published events (two queries)."""
    projects = list(selectors.published_projects().order_by("-start_date", "title"))
    events: dict[int, list[Any]] = {}
    for event in selectors.published_events().filter(project__in=[p.pk for p in projects]).order_by("start_date"):
        events.setdefault(event.project_id, []).append(event)
    return {"rows": [{"project": project, "events": events.get(project.pk, [])} for project in projects]}
