"""In-app notifications of the reporting cycle: the people of each step's e-mail, and nobody else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from sime.conftest import Cast
from sime.notifications.models import Notification, NotificationKind
from sime.reporting import notifications, services
from sime.reporting.reminders import send_reminders

CLOSES = dt.date(2027, 1, 31)  # the `reporting` fixture's closing day


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the steps' on-commit tasks (e-mail and notification) as a committed request would."""
    return django_capture_on_commit_callbacks


def _fill_and_send(cast: Cast) -> None:
    for item, values in (
        (cast.action_item, {"status": "in_progress", "progress_percent": Decimal("50")}),
        (cast.indicator_item, {"value": Decimal("12")}),
    ):
        item.refresh_from_db()
        services.save_item(by=cast.technical, item=item, values=values, version=item.version)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)
    services.start_review(by=cast.analyst, submission=cast.submission)


def _received(kind: str) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__email", "text", "url")  # type: ignore[arg-type]
    )


def _instrument(cast: Cast) -> str:
    return reverse("reporting:submission-detail", kwargs={"pk": cast.submission.pk})


def test_returned_instrument_notifies_the_e_mails_recipients_only(reporting: Cast, capture: Any) -> None:
    cast = reporting
    _fill_and_send(cast)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with capture(execute=True):
        services.return_submission(by=cast.analyst, submission=cast.submission, general_comment="Falta evidencia.")
    text = "El instrumento MINEX 2026 fue devuelto con observaciones: corríjalo y envíelo de nuevo."
    assert _received(NotificationKind.RETURNED) == sorted(
        [(cast.technical.email, text, _instrument(cast)), (cast.planning.email, text, _instrument(cast))]
    )
    assert sorted(mail.outbox[-1].to) == sorted([cast.technical.email, cast.planning.email])
    assert Notification.objects.count() == 2  # nobody else: not the outsider, not DEPM


def test_a_retried_task_repeats_the_e_mail_but_not_the_notification(reporting: Cast, capture: Any) -> None:
    cast = reporting
    _fill_and_send(cast)
    with capture(execute=True):
        services.return_submission(by=cast.analyst, submission=cast.submission, general_comment="Falta evidencia.")
    before = Notification.objects.count()
    mail.outbox.clear()
    assert notifications.send_step(cast.submission.pk, "return") == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == before


def test_approved_and_reopened_instruments_notify_the_focal_points(reporting: Cast, capture: Any) -> None:
    cast = reporting
    _fill_and_send(cast)
    with capture(execute=True):
        services.approve_submission(by=cast.analyst, submission=cast.submission)
    approved = "El instrumento MINEX 2026 fue aprobado."
    assert _received(NotificationKind.APPROVED) == sorted(
        [(cast.technical.email, approved, _instrument(cast)), (cast.planning.email, approved, _instrument(cast))]
    )
    with capture(execute=True):
        services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Corregir el indicador.")
    assert [r[0] for r in _received(NotificationKind.REOPENED)] == sorted([cast.technical.email, cast.planning.email])


def test_each_step_reaches_its_audience(reporting: Cast, capture: Any) -> None:
    cast = reporting
    with capture(execute=True):
        _fill_and_send(cast)
    people = (cast.technical, cast.planning, cast.analyst, cast.admin, cast.outsider, cast.authority)
    by_person = {user.email: sorted(user.notifications.values_list("kind", flat=True)) for user in people}
    assert by_person == {
        cast.technical.email: [NotificationKind.STATUS_CHANGED],  # review started
        cast.planning.email: [NotificationKind.ACTION_REQUIRED, NotificationKind.STATUS_CHANGED],  # visto bueno
        cast.analyst.email: [NotificationKind.ACTION_REQUIRED],  # sent: to review
        cast.admin.email: [],
        cast.outsider.email: [],
        cast.authority.email: [],
    }
    assert cast.analyst.notifications.get().text == "MINEX envió el instrumento 2026: revíselo."


def test_period_opened_asks_every_institution_to_fill_in(framework: Cast, capture: Any) -> None:
    cast = framework
    period = services.create_period(
        by=cast.admin,
        policy=cast.policy,
        kind="year",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 12, 1),
        closes_on=CLOSES,
    )
    with capture(execute=True):
        services.open_period(by=cast.admin, period=period)
    texts = dict(Notification.objects.values_list("recipient__email", "text"))  # type: ignore[arg-type]
    assert texts == {
        cast.technical.email: "Nuevo instrumento MINEX del periodo 2026: complételo antes del 31/01/2027.",
        cast.planning.email: "Nuevo instrumento MINEX del periodo 2026: complételo antes del 31/01/2027.",
        cast.outsider.email: "Nuevo instrumento MINGOB del periodo 2026: complételo antes del 31/01/2027.",
    }


def test_reminders_notify_the_pending_instruments_focal_points_once_a_day(reporting: Any, settings: Any) -> None:
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    cast = reporting
    assert send_reminders(CLOSES - dt.timedelta(days=7)) == 3
    assert _received(NotificationKind.REMINDER) == sorted(
        [
            (
                person.email,
                f"Recordatorio: el periodo 2026 cierra el 31/01/2027 y el instrumento {acronym} no se ha enviado.",
                reverse("reporting:submission-detail", kwargs={"pk": submission.pk}),
            )
            for person, acronym, submission in (
                (cast.technical, "MINEX", cast.submission),
                (cast.planning, "MINEX", cast.submission),
                (cast.outsider, "MINGOB", cast.other_submission),
            )
        ]
    )
    assert send_reminders(CLOSES - dt.timedelta(days=7)) == 0
    # Another reminder day of the same kind is a new notification (its own key).
    assert send_reminders(CLOSES - dt.timedelta(days=2)) == 3
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 6
    send_reminders(CLOSES + dt.timedelta(days=1))
    assert Notification.objects.filter(
        text="El instrumento MINGOB 2026 está vencido: envíelo lo antes posible."
    ).exists()
