"""E-mails and in-app notifications of the reporting cycle: who is concerned by each step, and the
Spanish text they get.

Called from tasks (sime.reporting.tasks), never from a request: sending may be slow. Each e-mail's
recipients get the same step as a notification (sime.notifications), written first and keyed by the
step, so a retried task neither loses nor repeats it.
"""

from __future__ import annotations

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
from sime.notifications.models import NotificationKind
from sime.notifications.services import notify
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

# The bell's kind and short text of each step (the e-mail templates say the same at length).
STEP_NOTICES: dict[str, tuple[str, Promise]] = {
    "opened": (
        NotificationKind.ACTION_REQUIRED,
        _("Nuevo instrumento %(institution)s del periodo %(period)s: complételo antes del %(closes)s."),
    ),
    "technical_signed": (
        NotificationKind.ACTION_REQUIRED,
        _("El instrumento %(institution)s %(period)s espera su visto bueno."),
    ),
    "send": (NotificationKind.ACTION_REQUIRED, _("%(institution)s envió el instrumento %(period)s: revíselo.")),
    "start_review": (NotificationKind.STATUS_CHANGED, _("El instrumento %(institution)s %(period)s está en revisión.")),
    "approve": (NotificationKind.APPROVED, _("El instrumento %(institution)s %(period)s fue aprobado.")),
    "return": (
        NotificationKind.RETURNED,
        _("El instrumento %(institution)s %(period)s fue devuelto con observaciones: corríjalo y envíelo de nuevo."),
    ),
    "reopen": (
        NotificationKind.REOPENED,
        _("El instrumento %(institution)s %(period)s fue reabierto: corríjalo y envíelo de nuevo."),
    ),
}
REMINDER_NOTICES: dict[str, Promise] = {
    ReminderKind.BEFORE: _(
        "Recordatorio: el periodo %(period)s cierra el %(closes)s y el instrumento %(institution)s no se ha enviado."
    ),
    ReminderKind.CLOSING_DAY: _("Hoy cierra el periodo %(period)s: envíe el instrumento %(institution)s."),
    ReminderKind.OVERDUE: _("El instrumento %(institution)s %(period)s está vencido: envíelo lo antes posible."),
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


def _path(submission: Submission) -> str:
    return reverse("reporting:submission-detail", kwargs={"pk": submission.pk})


def _context(submission: Submission, **extra: object) -> dict[str, object]:
    return {"submission": submission, "url": site_url() + _path(submission), **extra}


def _notice_text(template: Promise, submission: Submission) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(template) % {
            "institution": submission.institution.acronym or submission.institution.name,
            "period": submission.period.code,
            "closes": formats.date_format(submission.period.closes_on, "SHORT_DATE_FORMAT"),
        }


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
    kind, text = STEP_NOTICES[step]
    notify(
        recipients=people,
        kind=kind,
        text=_notice_text(text, submission),
        url=_path(submission),
        key=f"submission:{submission.pk}:{step}:event:{last.pk if last else 0}",
    )
    message = _message("step", _context(submission, step=step, event=last), people)
    return send_mass_mail([message])


def send_reminder(submission_id: int, user_ids: list[int], kind: str, sent_on: str | None = None) -> int:
    """E-mail and notify one reminder; `sent_on` (ISO date) is the reminder's day, today if not given."""
    submission = Submission.objects.select_related("period", "institution").get(pk=submission_id)
    people = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    if not people:
        return 0
    notify(
        recipients=people,
        kind=NotificationKind.REMINDER,
        text=_notice_text(REMINDER_NOTICES[kind], submission),
        url=_path(submission),
        key=f"submission:{submission.pk}:reminder:{kind}:{sent_on or timezone.localdate().isoformat()}",
    )
    context = _context(submission, kind=kind, kinds=ReminderKind)
    return send_mass_mail([_message("reminder", context, people)])
