"""E-mails of the reporting cycle: who is concerned by each step, and the Spanish text they get.

Called from tasks (sime.reporting.tasks), never from a request: sending may be slow.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES, Role
from sime.core.site import site_url
from sime.reporting.models import ReminderKind, Submission

# Which people hear of each step: the institution's focal points, its planning one, or DEPM.
AUDIENCE = {
    "opened": "focal",
    "technical_signed": "planning",
    "send": "depm",
    "start_review": "focal",
    "approve": "focal",
    "return": "focal",
    "reopen": "focal",
}


def focal_points(submission: Submission, roles: frozenset[str] = FOCAL_ROLES) -> list[User]:
    return list(
        User.objects.filter(institution_id=submission.institution_id, role__in=roles, is_active=True).order_by("pk")
    )


def recipients(submission: Submission, step: str) -> list[User]:
    audience = AUDIENCE[step]
    if audience == "depm":
        return list(User.objects.filter(role=Role.ANALYST, is_active=True).order_by("pk"))
    if audience == "planning":
        return focal_points(submission, frozenset({Role.FOCAL_PLANNING}))
    return focal_points(submission)


def _context(submission: Submission, **extra: object) -> dict[str, object]:
    path = reverse("reporting:submission-detail", kwargs={"pk": submission.pk})
    return {"submission": submission, "url": site_url() + path, **extra}


def _message(template: str, context: dict[str, object], to: list[User]) -> tuple[str, str, None, list[str]]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"reporting/email/{template}_subject.txt", context).split())
        body = render_to_string(f"reporting/email/{template}_body.txt", context)
    return subject, body, None, [user.email for user in to]


def send_step(submission_id: int, step: str) -> int:
    """E-mail the people concerned by one step; returns how many messages went out."""
    submission = Submission.objects.select_related("period", "institution").get(pk=submission_id)
    people = recipients(submission, step)
    if not people:
        return 0
    last = submission.events.select_related("actor").order_by("-occurred_at", "-pk").first()
    message = _message("step", _context(submission, step=step, event=last), people)
    return send_mass_mail([message])


def send_reminder(submission_id: int, user_ids: list[int], kind: str) -> int:
    submission = Submission.objects.select_related("period", "institution").get(pk=submission_id)
    people = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if not people:
        return 0
    context = _context(submission, kind=kind, kinds=ReminderKind)
    return send_mass_mail([_message("reminder", context, people)])
