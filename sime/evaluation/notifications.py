"""E-mails and in-app notifications of the evaluation follow-up: who hears of each step, and the
Spanish text they get.

Called from tasks (sime.evaluation.tasks), never from a request. Each e-mail's recipients get the
same step as a notification (sime.notifications), written first and keyed by the step, so a retried
task neither loses nor repeats it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES, Role
from sime.core.site import site_url
from sime.evaluation.models import Evaluation, FollowUpReminderKind, ImprovementAction, Response
from sime.notifications.models import NotificationKind
from sime.notifications.services import notify

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

# The bell's kind and short text of each step (the e-mail templates say the same at length).
STEP_NOTICES: dict[str, tuple[str, Promise]] = {
    "concluded": (
        NotificationKind.ACTION_REQUIRED,
        _("%(code)s R%(number)s: la evaluación concluyó; registre la respuesta de %(institution)s."),
    ),
    "submit": (
        NotificationKind.ACTION_REQUIRED,
        _("%(code)s R%(number)s: la respuesta de %(institution)s espera su visto bueno."),
    ),
    "send_back": (
        NotificationKind.RETURNED,
        _("%(code)s R%(number)s: la respuesta de %(institution)s volvió al enlace técnico para corregirla."),
    ),
    "sign_off": (
        NotificationKind.ACTION_REQUIRED,
        _("%(code)s R%(number)s: %(institution)s envió su respuesta; valídela o devuélvala."),
    ),
    "validate": (
        NotificationKind.APPROVED,
        _("%(code)s R%(number)s: DEPM validó la respuesta y el plan de mejora de %(institution)s."),
    ),
    "return": (
        NotificationKind.RETURNED,
        _("%(code)s R%(number)s: DEPM devolvió la respuesta de %(institution)s con observaciones."),
    ),
    "closure_reported": (
        NotificationKind.ACTION_REQUIRED,
        _("%(code)s R%(number)s: %(institution)s reportó el cierre de la acción A%(action)s; valídelo."),
    ),
    "closure_validated": (
        NotificationKind.APPROVED,
        _("%(code)s R%(number)s: DEPM validó el cierre de la acción A%(action)s."),
    ),
    "closure_returned": (
        NotificationKind.RETURNED,
        _("%(code)s R%(number)s: DEPM devolvió el cierre de la acción A%(action)s con una observación."),
    ),
}
REMINDER_NOTICES: dict[str, Promise] = {
    FollowUpReminderKind.RESPONSE_PENDING: _(
        "Recordatorio: respuesta pendiente de %(institution)s a %(code)s R%(number)s."
    ),
    FollowUpReminderKind.SIGNOFF_PENDING: _(
        "Recordatorio: la respuesta de %(institution)s a %(code)s R%(number)s espera su visto bueno."
    ),
    FollowUpReminderKind.ACTION_DUE: _("Recordatorio: la acción A%(action)s de %(code)s R%(number)s vence el %(due)s."),
    FollowUpReminderKind.ACTION_OVERDUE: _("La acción de mejora A%(action)s de %(code)s R%(number)s está vencida."),
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


def _notify(
    people: list[User],
    kind: str,
    template: Promise,
    response: Response,
    *,
    key: str,
    action: ImprovementAction | None = None,
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = str(template) % {
            "code": response.recommendation.evaluation.code,
            "number": response.recommendation.number,
            "institution": response.institution.acronym or response.institution.name,
            "action": action.number if action else "",
            "due": formats.date_format(action.due_on, "SHORT_DATE_FORMAT") if action else "",
        }
    path = reverse("evaluation:response", kwargs={"pk": response.pk})
    notify(recipients=people, kind=kind, text=text, url=path, key=key)


def _message(template: str, context: Mapping[str, object], to: list[User]) -> tuple[str, str, None, list[str]]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"evaluation/email/{template}_subject.txt", context).split())
        body = render_to_string(f"evaluation/email/{template}_body.txt", context)
    return subject, body, None, [user.email for user in to]


def _response(response_id: int) -> Response:
    return Response.objects.select_related("recommendation__evaluation", "institution").get(pk=response_id)


def send_concluded(evaluation_id: int, response_ids: list[int] | None = None) -> int:
    """Each addressed institution's focal points learn that a recommendation awaits their answer:
    every response when the evaluation concludes, or only `response_ids` when institutions are
    addressed after it concluded (a new recommendation or a new addressee)."""
    evaluation = Evaluation.objects.get(pk=evaluation_id)
    responses = Response.objects.filter(recommendation__evaluation=evaluation).select_related(
        "recommendation__evaluation", "institution"
    )
    if response_ids is not None:
        responses = responses.filter(pk__in=response_ids)
    messages = []
    kind, text = STEP_NOTICES["concluded"]
    for response in responses.order_by("institution_id", "recommendation__number"):
        people = focal_points(response.institution_id)
        if people:
            # An evaluation concludes once (EVALUATION_TRANSITIONS): the response names the fact.
            _notify(people, kind, text, response, key=f"response:{response.pk}:concluded")
            context = {"response": response, "step": "concluded", "url": _url("evaluation:response", response.pk)}
            messages.append(_message("step", context, people))
    return send_mass_mail(messages) if messages else 0


def send_response_step(response_id: int, step: str) -> int:
    response = _response(response_id)
    people = recipients(response.institution_id, step)
    if not people:
        return 0
    last = response.events.select_related("actor").order_by("-occurred_at", "-pk").first()
    kind, text = STEP_NOTICES[step]
    _notify(people, kind, text, response, key=f"response:{response.pk}:{step}:event:{last.pk if last else 0}")
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
    kind, text = STEP_NOTICES[step]
    key = f"action:{action.pk}:{step}:event:{last.pk if last else 0}"
    _notify(people, kind, text, action.response, key=key, action=action)
    context = {
        "response": action.response,
        "action": action,
        "step": step,
        "event": last,
        "url": _url("evaluation:response", action.response_id),
    }
    return send_mass_mail([_message("step", context, people)])


def send_reminder(
    user_ids: list[int], kind: str, response_id: int, action_id: int | None, sent_on: str | None = None
) -> int:
    """E-mail and notify one reminder; `sent_on` (ISO date) is the reminder's day, today if not given."""
    response = _response(response_id)
    people = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    if not people:
        return 0
    action = ImprovementAction.objects.filter(pk=action_id).first() if action_id else None
    key = f"response:{response.pk}:reminder:{kind}:{action_id or 0}:{sent_on or timezone.localdate().isoformat()}"
    _notify(people, NotificationKind.REMINDER, REMINDER_NOTICES[kind], response, key=key, action=action)
    context = {
        "response": response,
        "action": action,
        "kind": kind,
        "url": _url("evaluation:response", response.pk),
    }
    return send_mass_mail([_message("reminder", context, people)])
