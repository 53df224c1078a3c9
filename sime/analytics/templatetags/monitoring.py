"""Presentation of monitoring statuses: the badge every page shows for an indicator's status."""

from __future__ import annotations

from typing import Any

from django import template

from sime.analytics.aggregation import ProgressStatus

register = template.Library()


@register.inclusion_tag("analytics/_status.html")
def status_badge(status: str | None) -> dict[str, Any]:
    if not status:
        return {"status": "", "label": ""}
    return {"status": status, "label": ProgressStatus(status).label}
