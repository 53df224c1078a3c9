"""E-mails of the evaluation follow-up: who hears of each step, and the Spanish text they get.

Called from tasks (sime.evaluation.tasks), never from a request.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES, Role
from sime.core.site import site_url
from sime.evaluation.models import Evaluation, ImprovementAction, Response

# Who hears of each response step: the institution's focal points, its planning one, or DEPM.
AUDIENCE = {
    "submit": "planning",
    "send_back": "focal",
    "sign_off": "depm",
    "validate": "focal",
    "return": "focal",
    "closure_reported": "depm",
    "closure_validated": "focal",
    "closure_returned": "focal",
}


def focal_points(institution_id: int, roles: frozenset[str] = FOCAL_ROLES) -> list[User]:
    return list(User.objects.filter(institution_id=institution_id, role__in=roles, is_active=True).order_by("pk"))


def recipients(institution_id: int, step: str) -> list[User]:
    audience = AUDIENCE[step]
    if audience == "depm":
        return list(User.objects.filter(role=Role.ANALYST, is_active=True).order_by("pk"))
    if audience == "planning":
        return focal_points(institution_id, frozenset({Role.FOCAL_PLANNING}))
    return focal_points(institution_id)


def _url(name: str, pk: int) -> str:
    return site_url() + reverse(name, kwargs={"pk": pk})


def _message(template: str, context: Mapping[str, object], to: list[User]) -> tuple[str, str, None, list[str]]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"evaluation/email/{template}_subject.txt", context).split())
        body = render_to_string(f"evaluation/email/{template}_body.txt", context)
    return subject, body, None, [user.email for user in to]


def _response(response_id: int) -> Response:
    return Response.objects.select_related("recommendation__evaluation", "institution").get(pk=response_id)


def send_concluded(evaluation_id: int) -> int:
    """Each addressed institution's focal points learn that a recommendation awaits their answer."""
    evaluation = Evaluation.objects.get(pk=evaluation_id)
    responses = Response.objects.filter(recommendation__evaluation=evaluation).select_related(
        "recommendation", "institution"
    )
    messages = []
    for response in responses.order_by("institution_id", "recommendation__number"):
        people = focal_points(response.institution_id)
        if people:
            context = {"response": response, "step": "concluded", "url": _url("evaluation:response", response.pk)}
            messages.append(_message("step", context, people))
    return send_mass_mail(messages) if messages else 0


def send_response_step(response_id: int, step: str) -> int:
    response = _response(response_id)
    people = recipients(response.institution_id, step)
    if not people:
        return 0
    last = response.events.select_related("actor").order_by("-occurred_at", "-pk").first()
    context = {"response": response, "step": step, "event": last, "url": _url("evaluation:response", response.pk)}
    return send_mass_mail([_message("step", context, people)])


def send_closure_step(action_id: int, step: str) -> int:
    action = ImprovementAction.objects.select_related(
        "response__recommendation__evaluation", "response__institution"
    ).get(pk=action_id)
    people = recipients(action.response.institution_id, step)
    if not people:
        return 0
    last = action.events.select_related("actor").order_by("-occurred_at", "-pk").first()
    context = {
        "response": action.response,
        "action": action,
        "step": step,
        "event": last,
        "url": _url("evaluation:response", action.response_id),
    }
    return send_mass_mail([_message("step", context, people)])


def send_reminder(user_ids: list[int], kind: str, response_id: int, action_id: int | None) -> int:
    response = _response(response_id)
    people = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    if not people:
        return 0
    action = ImprovementAction.objects.filter(pk=action_id).first() if action_id else None
    context = {
        "response": response,
        "action": action,
        "kind": kind,
        "url": _url("evaluation:response", response.pk),
    }
    return send_mass_mail([_message("reminder", context, people)])
