"""The institution's open improvement actions, as a section other pages include (the instrument,
the focal points' home). A template tag, so that lower apps' templates show evaluation follow-up
without their Python importing this higher app."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from sime.evaluation.selectors import open_actions_of_institution

register = template.Library()


@register.inclusion_tag("evaluation/_open_actions.html", takes_context=True)
def open_improvement_actions(context: dict[str, Any], institution_id: int | None) -> dict[str, Any]:
    user = context.get("user")
    visible = user is not None and (
        user.has_perm("evaluation.view_evaluations")
        or (user.has_perm("evaluation.view_own_recommendations") and user.institution_id == institution_id)
    )
    actions = open_actions_of_institution(institution_id) if visible and institution_id else []
    return {"actions": actions, "today": timezone.localdate(), "user": user}
