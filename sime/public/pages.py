"""What each public page shows, from published data only (the pages' builders)."""

from __future__ import annotations

from typing import Any

from sime.analytics import charts
from sime.analytics.dashboards import status_labels
from sime.analytics.progress import framework_progress
from sime.analytics.selectors import monitored_policy
from sime.public import selectors


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
