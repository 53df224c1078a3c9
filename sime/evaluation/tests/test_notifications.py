"""In-app notifications of the evaluation follow-up: the people of each step's e-mail, and nobody else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from sime.conftest import Cast
from sime.evaluation import services
from sime.evaluation.models import Response
from sime.evaluation.reminders import send_followup_reminders
from sime.evaluation.tests.factories import action_in, answer, conclude, make_evaluation, report_completed, response_in
from sime.evaluation.workflow import Closure, ResponseStatus
from sime.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 1, 31)


def _received() -> list[tuple[str, str, str]]:
    return sorted(Notification.objects.values_list("recipient__email", "kind", "text"))  # type: ignore[arg-type]


def _page(response: Response) -> str:
    return reverse("evaluation:response", kwargs={"pk": response.pk})


def test_concluding_asks_the_addressed_institutions_focal_points_to_answer(
    framework: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = framework
    evaluation = make_evaluation(cast)
    with django_capture_on_commit_callbacks(execute=True):
        conclude(cast, evaluation)
    text = "EV-2026-01 R1: la evaluación concluyó; registre la respuesta de MINEX."
    assert _received() == sorted(
        [
            (cast.technical.email, NotificationKind.ACTION_REQUIRED, text),
            (cast.planning.email, NotificationKind.ACTION_REQUIRED, text),
        ]
    )
    response = Response.objects.get(institution=cast.home)
    assert set(Notification.objects.values_list("url", flat=True)) == {_page(response)}


def test_institutions_addressed_after_the_conclusion_are_asked_to_answer(
    framework: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast))
    recommendation = evaluation.recommendations.get()
    Notification.objects.all().delete()
    mail.outbox.clear()
    # MINGOB is added to R1: its focal point is told, MINEX's are not told again.
    with django_capture_on_commit_callbacks(execute=True):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text=recommendation.text,
            priority="high",
            scope="several",
            institution_ids=[cast.home.pk, cast.other.pk],
            recommendation=recommendation,
        )
    mingob = Response.objects.get(recommendation=recommendation, institution=cast.other)
    text = "EV-2026-01 R1: la evaluación concluyó; registre la respuesta de MINGOB."
    assert _received() == [(cast.outsider.email, NotificationKind.ACTION_REQUIRED, text)]
    assert [m.to for m in mail.outbox] == [[cast.outsider.email]]
    assert mail.outbox[0].subject == "SIME-PM · EV-2026-01 R1 · MINGOB"
    assert _page(mingob) in mail.outbox[0].body
    # A recommendation recorded after the conclusion: its addressee is told too.
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text="Publicar el protocolo.",
            priority="low",
            scope="one",
            institution_ids=[cast.home.pk],
        )
    text = "EV-2026-01 R2: la evaluación concluyó; registre la respuesta de MINEX."
    assert _received() == sorted(
        [(p.email, NotificationKind.ACTION_REQUIRED, text) for p in (cast.technical, cast.planning)]
    )
    assert {n.url for n in Notification.objects.all()} == {_page(second.responses.get())}
    # Editing the text alone addresses nobody new: nothing is sent.
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text="Publicar el protocolo consular.",
            priority="low",
            scope="one",
            institution_ids=[cast.home.pk],
            recommendation=second,
        )
    assert _received() == [] and mail.outbox == []


def test_recommendations_before_the_conclusion_send_nothing(
    framework: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = framework
    with django_capture_on_commit_callbacks(execute=True):
        make_evaluation(cast, institutions=[cast.home, cast.other])
    assert _received() == [] and mail.outbox == []


def test_each_response_step_reaches_the_e_mails_recipients(
    framework: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.PENDING, answered=False)
    answer(cast, response)
    steps = [
        (lambda: services.submit_response(by=cast.technical, response=response), [cast.planning]),
        (lambda: services.sign_off_response(by=cast.planning, response=response), [cast.analyst]),
        (
            lambda: services.return_response(by=cast.analyst, response=response, general_comment="Precise."),
            [cast.technical, cast.planning],
        ),
    ]
    expected_kinds = [NotificationKind.ACTION_REQUIRED, NotificationKind.ACTION_REQUIRED, NotificationKind.RETURNED]
    for (step, people), kind in zip(steps, expected_kinds, strict=True):
        Notification.objects.all().delete()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted(
            p.email for p in people
        )
        assert set(Notification.objects.values_list("kind", flat=True)) == {kind}
        assert sorted(mail.outbox[0].to) == sorted(p.email for p in people)
    assert Notification.objects.get(recipient=cast.technical).text == (
        "EV-2026-01 R1: DEPM devolvió la respuesta de MINEX con observaciones."
    )


def test_validation_and_closure_steps(framework: Cast, django_capture_on_commit_callbacks: Any) -> None:
    cast = framework
    action = action_in(cast, Closure.NONE)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_completed(cast, action)
    assert _received() == [
        (
            cast.analyst.email,
            NotificationKind.ACTION_REQUIRED,
            "EV-2026-01 R1: MINEX reportó el cierre de la acción A1; valídelo.",
        )
    ]
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_closure(by=cast.analyst, action=action, comment="Sin firma.")
    text = "EV-2026-01 R1: DEPM devolvió el cierre de la acción A1 con una observación."
    assert _received() == sorted([(p.email, NotificationKind.RETURNED, text) for p in (cast.technical, cast.planning)])


def test_follow_up_reminders_notify_once_a_day(framework: Cast, settings: Any) -> None:
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    cast = framework
    conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other], responses_due_on=DUE))
    assert send_followup_reminders(DUE) == 3
    assert send_followup_reminders(DUE) == 0
    received = _received()
    assert [r[0] for r in received] == sorted([cast.technical.email, cast.planning.email, cast.outsider.email])
    assert {r[1] for r in received} == {NotificationKind.REMINDER}
    assert ("Recordatorio: respuesta pendiente de MINGOB a EV-2026-01 R1.") in {r[2] for r in received}
    assert Notification.objects.exclude(recipient__in=[cast.technical, cast.planning, cast.outsider]).count() == 0
