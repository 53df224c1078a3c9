"""Follow-up reminders and *vencida* with fixed dates: responses pending before their due date,
plan actions due soon or overdue, only the addressed institution's focal points, once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from sime.evaluation.models import FollowUpReminderLog, ImprovementAction, Response
from sime.evaluation.reminders import send_followup_reminders
from sime.evaluation.selectors import followup_board, overdue_q
from sime.evaluation.tests.factories import action_in, conclude, make_evaluation, response_in
from sime.evaluation.workflow import Closure, ResponseStatus
from sime.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 1, 31)  # the responses' due date, also the `reporting` fixture's closing day
ACTION_DUE = dt.date(2026, 11, 30)  # the factories' plan action


@pytest.fixture
def pending(framework: Any, settings: Any) -> Any:
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    conclude(
        framework, make_evaluation(framework, institutions=[framework.home, framework.other], responses_due_on=DUE)
    )
    mail.outbox.clear()
    return framework


@pytest.mark.parametrize(
    ("days", "sent"),
    [(-8, 0), (-7, 1), (-3, 0), (-2, 1), (0, 1), (1, 1), (2, 0), (7, 0), (8, 1), (15, 1)],
)
def test_response_reminders_before_on_the_day_and_weekly(pending: Any, days: int, sent: int) -> None:
    cast = pending
    today = DUE + dt.timedelta(days=days)
    queued = send_followup_reminders(today)
    # One e-mail per response (MINEX: its two focal points; MINGOB: its one).
    assert queued == 3 * sent
    assert len(mail.outbox) == 2 * sent
    if sent:
        assert sorted(sorted(m.to) for m in mail.outbox) == sorted(
            [sorted([cast.technical.email, cast.planning.email]), [cast.outsider.email]]
        )
        assert mail.outbox[0].subject.startswith("Recordatorio: respuesta pendiente a EV-2026-01 R1")
        assert "El plazo es el 31 de enero de 2027." in mail.outbox[0].body
        assert "http://" in mail.outbox[0].body and "/evaluacion/respuestas/" in mail.outbox[0].body


def test_a_second_run_the_same_day_queues_nothing(pending: Any) -> None:
    assert send_followup_reminders(DUE) == 3
    assert send_followup_reminders(DUE) == 0
    assert len(mail.outbox) == 2
    assert FollowUpReminderLog.objects.count() == 3


def test_sent_responses_are_not_reminded(pending: Any) -> None:
    cast = pending
    minex = Response.objects.get(institution=cast.home)
    response_in(cast, "sent", response=minex)
    mail.outbox.clear()
    assert send_followup_reminders(DUE) == 1
    assert [m.to for m in mail.outbox] == [[cast.outsider.email]]


@pytest.mark.parametrize(
    ("days", "sent"),
    [(-8, 0), (-7, 1), (-3, 0), (-2, 1), (0, 1), (1, 1), (2, 0), (7, 0), (8, 1), (15, 1)],
)
def test_a_response_awaiting_the_visto_bueno_reminds_planificacion_only(pending: Any, days: int, sent: int) -> None:
    cast = pending
    minex = response_in(cast, ResponseStatus.AWAITING_SIGNOFF, response=Response.objects.get(institution=cast.home))
    mingob = Response.objects.get(institution=cast.other)
    mail.outbox.clear()
    queued = send_followup_reminders(DUE + dt.timedelta(days=days))
    # MINEX's response waits on its planning focal point alone; MINGOB's is still to be given.
    assert queued == 2 * sent
    assert sorted(m.to for m in mail.outbox) == sorted([[cast.planning.email], [cast.outsider.email]] * sent)
    assert set(FollowUpReminderLog.objects.values_list("recipient", "response", "kind")) == (
        {(cast.planning.pk, minex.pk, "signoff"), (cast.outsider.pk, mingob.pk, "response")} if sent else set()
    )
    if sent:
        (signoff,) = [m for m in mail.outbox if m.to == [cast.planning.email]]
        assert signoff.subject == "Recordatorio: visto bueno pendiente de la respuesta a EV-2026-01 R1"
        assert signoff.body.splitlines()[:3] == [
            "Evaluación «Evaluación de proceso del eje 1», recomendación R1, dirigida a "
            "Ministerio de Relaciones Exteriores.",
            "",
            "El enlace técnico ya envió la respuesta y el plan de mejora de su institución; falta su visto "
            "bueno para enviarlos a DEPM (o regréselos al enlace técnico para corregirlos). "
            "El plazo es el 31 de enero de 2027.",
        ]
        assert f"/evaluacion/respuestas/{minex.pk}/" in signoff.body
        notice = Notification.objects.get(recipient=cast.planning)
        assert (notice.kind, notice.text, notice.url) == (
            NotificationKind.REMINDER,
            "Recordatorio: la respuesta de MINEX a EV-2026-01 R1 espera su visto bueno.",
            f"/evaluacion/respuestas/{minex.pk}/",
        )
        assert not Notification.objects.filter(recipient=cast.technical).exists()


def test_the_visto_bueno_reminder_is_sent_once_a_day(pending: Any) -> None:
    cast = pending
    response_in(cast, ResponseStatus.AWAITING_SIGNOFF, response=Response.objects.get(institution=cast.home))
    mail.outbox.clear()
    assert send_followup_reminders(DUE) == 2
    assert send_followup_reminders(DUE) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=cast.planning).count() == 1
    # The next reminder day (weekly once the due date has passed) reminds her again.
    assert send_followup_reminders(DUE + dt.timedelta(days=1)) == 2


def test_a_response_pending_then_submitted_the_same_day_gets_both_reminders(pending: Any) -> None:
    cast = pending
    minex = Response.objects.get(institution=cast.home)
    assert send_followup_reminders(DUE) == 3  # both of MINEX's focal points, MINGOB's one
    response_in(cast, ResponseStatus.AWAITING_SIGNOFF, response=minex)
    mail.outbox.clear()
    # Now waiting on planificación: a different reminder, to her only; nothing repeated.
    assert send_followup_reminders(DUE) == 1
    assert [m.to for m in mail.outbox] == [[cast.planning.email]]
    assert list(
        FollowUpReminderLog.objects.filter(response=minex)
        .order_by("kind", "recipient")
        .values_list("kind", "recipient")
    ) == [("response", cast.technical.pk), ("response", cast.planning.pk), ("signoff", cast.planning.pk)]


@pytest.mark.parametrize("status", [ResponseStatus.SENT, ResponseStatus.VALIDATED])
def test_a_response_past_the_visto_bueno_is_not_reminded(pending: Any, status: str) -> None:
    cast = pending
    response_in(cast, status, response=Response.objects.get(institution=cast.home))
    mail.outbox.clear()
    assert send_followup_reminders(DUE) == 1
    assert [m.to for m in mail.outbox] == [[cast.outsider.email]]


def test_no_reminder_before_the_evaluation_concludes(framework: Any) -> None:
    make_evaluation(framework, responses_due_on=DUE)
    assert send_followup_reminders(DUE) == 0


@pytest.mark.parametrize(
    ("days", "kind"),
    [
        (-7, "action_due"),
        (-2, "action_due"),
        (-1, None),
        (0, "action_due"),
        (1, "action_overdue"),
        (3, None),
        (8, "action_overdue"),
    ],
)
def test_action_reminders(framework: Any, settings: Any, days: int, kind: str | None) -> None:
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    cast = framework
    action = action_in(cast, Closure.NONE)
    mail.outbox.clear()
    queued = send_followup_reminders(ACTION_DUE + dt.timedelta(days=days))
    if kind is None:
        assert queued == 0 and mail.outbox == []
        return
    assert queued == 2
    assert [sorted(m.to) for m in mail.outbox] == [sorted([cast.technical.email, cast.planning.email])]
    assert set(FollowUpReminderLog.objects.values_list("kind", "action_id")) == {(kind, action.pk)}
    words = "vence pronto" if kind == "action_due" else "está vencida"
    assert mail.outbox[0].subject == f"Recordatorio: la acción de mejora A1 de EV-2026-01 R1 {words}"
    assert "Fecha límite: 30 de noviembre de 2026" in mail.outbox[0].body
    assert send_followup_reminders(ACTION_DUE + dt.timedelta(days=days)) == 0


@pytest.mark.parametrize("closure", [Closure.REPORTED, Closure.VALIDATED])
def test_closed_actions_are_not_reminded(framework: Any, closure: str) -> None:
    action_in(framework, closure)
    assert send_followup_reminders(ACTION_DUE + dt.timedelta(days=1)) == 0


def test_a_returned_closure_is_reminded_again(framework: Any) -> None:
    action_in(framework, Closure.RETURNED)
    assert send_followup_reminders(ACTION_DUE + dt.timedelta(days=1)) == 2


def test_overdue_agrees_everywhere_on_a_fixed_date(framework: Any) -> None:
    cast = framework
    action = action_in(cast, Closure.NONE)
    for today, overdue in [(ACTION_DUE, False), (ACTION_DUE + dt.timedelta(days=1), True)]:
        assert action.is_overdue(today) is overdue
        assert action.shown_status(today) == ("overdue" if overdue else "not_started")
        assert action.shown_status_label(today) == ("Vencida" if overdue else "No iniciada")
        assert list(ImprovementAction.objects.filter(overdue_q(today)).values_list("pk", flat=True)) == (
            [action.pk] if overdue else []
        )
        board = followup_board(today=today)
        assert [a.pk for a in board.overdue] == ([action.pk] if overdue else [])
        assert board.institutions[0].overdue == int(overdue)
    # Reported complete: no longer vencida anywhere.
    from sime.evaluation.tests.factories import report_completed

    report_completed(cast, action)
    late = ACTION_DUE + dt.timedelta(days=10)
    action.refresh_from_db()
    assert not action.is_overdue(late)
    assert not ImprovementAction.objects.filter(overdue_q(late)).exists()
    assert followup_board(today=late).overdue == []


def test_the_command_sends_both_reporting_and_follow_up_reminders(reporting: Any, settings: Any) -> None:
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    cast = reporting
    conclude(cast, make_evaluation(cast, responses_due_on=DUE))
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", "--fecha", str(DUE), stdout=out)
    assert out.getvalue().splitlines() == [
        "Recordatorios encolados: 5 (periodos: 3, seguimiento: 2)",
        "Notificaciones leídas borradas: 0",
    ]
    assert len(mail.outbox) == 3
    out = StringIO()
    call_command("send_reminders", "--fecha", str(DUE), stdout=out)
    assert out.getvalue().splitlines()[0] == "Recordatorios encolados: 0 (periodos: 0, seguimiento: 0)"
    assert len(mail.outbox) == 3
