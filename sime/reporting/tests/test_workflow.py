from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sime.conftest import Cast
from sime.reporting import services
from sime.reporting.models import ActionProgress, ReviewComment, Submission, SubmissionEvent
from sime.reporting.workflow import Status


def fill(cast: Cast) -> None:
    for item, values in (
        (cast.action_item, {"status": "in_progress", "progress_percent": Decimal("50")}),
        (cast.indicator_item, {"value": Decimal("12")}),
    ):
        item.refresh_from_db()
        services.save_item(by=cast.technical, item=item, values=values, version=item.version)


def fresh(cast: Cast) -> Submission:
    return Submission.objects.get(pk=cast.submission.pk)


def sign_and_send(cast: Cast) -> Submission:
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    return services.send_submission(by=cast.technical, submission=cast.submission)


def test_the_whole_cycle_with_its_timeline_and_emails(reporting: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cast = reporting
    fill(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_technical(by=cast.technical, submission=cast.submission)
    assert [m.to for m in mail.outbox] == [[cast.planning.email]]  # the planning one is asked for the visto bueno
    services.sign_planning(by=cast.planning, submission=cast.submission)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_submission(by=cast.planning, submission=cast.submission)
    assert fresh(cast).status == Status.SENT
    assert mail.outbox and cast.analyst.email in mail.outbox[0].to
    assert "Enviado" in mail.outbox[0].subject

    services.start_review(by=cast.analyst, submission=cast.submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(
            by=cast.analyst,
            submission=cast.submission,
            action_comments={cast.action_item.pk: "Explique el avance"},
        )
    submission = fresh(cast)
    assert submission.status == Status.RETURNED
    assert submission.technical_signed_at is None and submission.planning_signed_at is None
    assert ReviewComment.objects.get(action_progress=cast.action_item).text == "Explique el avance"
    assert sorted(mail.outbox[-1].to) == sorted([cast.technical.email, cast.planning.email])

    fill_again = ActionProgress.objects.get(pk=cast.action_item.pk)
    services.save_item(
        by=cast.technical, item=fill_again, values={"achievements": "Avance explicado"}, version=fill_again.version
    )
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    services.approve_submission(by=cast.analyst, submission=cast.submission)
    assert fresh(cast).status == Status.APPROVED
    kinds = list(SubmissionEvent.objects.filter(submission=cast.submission).values_list("kind", flat=True))
    assert kinds == [
        "opened",
        "technical_signed",
        "planning_signed",
        "send",
        "start_review",
        "return",
        "technical_signed",
        "planning_signed",
        "send",
        "start_review",
        "approve",
    ]


def test_approved_data_is_locked(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    services.approve_submission(by=cast.analyst, submission=cast.submission)
    item = ActionProgress.objects.get(pk=cast.action_item.pk)
    with pytest.raises(ValidationError) as error:
        services.save_item(
            by=cast.technical, item=item, values={"progress_percent": Decimal("1")}, version=item.version
        )
    assert "Aprobado" in str(error.value)


def test_only_an_administrador_reopens_and_must_say_why(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    services.approve_submission(by=cast.analyst, submission=cast.submission)
    with pytest.raises(PermissionDenied):
        services.reopen_submission(by=cast.analyst, submission=cast.submission, reason="x")
    with pytest.raises(ValidationError):
        services.reopen_submission(by=cast.admin, submission=cast.submission, reason="  ")
    services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Error en el presupuesto")
    assert fresh(cast).status == Status.RETURNED
    event = SubmissionEvent.objects.filter(submission=cast.submission).last()
    assert event is not None and event.kind == "reopen" and event.reason == "Error en el presupuesto"


def test_sending_needs_both_signatures(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    with pytest.raises(ValidationError, match="enlace técnico"):
        services.send_submission(by=cast.technical, submission=cast.submission)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    with pytest.raises(ValidationError, match="visto bueno"):
        services.send_submission(by=cast.technical, submission=cast.submission)


def test_an_exempt_institution_sends_without_the_visto_bueno(reporting: Cast) -> None:
    cast = reporting
    cast.home.planning_signoff_exempt = True
    cast.home.save()
    fill(cast)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)
    assert fresh(cast).status == Status.SENT


def test_the_technical_one_completes_only_a_complete_instrument(reporting: Cast) -> None:
    with pytest.raises(ValidationError, match="Faltan 2"):
        services.sign_technical(by=reporting.technical, submission=reporting.submission)


def test_roles_sign_only_their_part(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    with pytest.raises(PermissionDenied):
        services.sign_technical(by=cast.planning, submission=cast.submission)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    with pytest.raises(PermissionDenied):
        services.sign_planning(by=cast.technical, submission=cast.submission)


def test_an_edit_after_signing_clears_the_signatures(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    item = ActionProgress.objects.get(pk=cast.action_item.pk)
    result = services.save_item(by=cast.technical, item=item, values={"next_steps": "Validar"}, version=item.version)
    assert result.signatures_cleared
    assert fresh(cast).technical_signed_at is None


def test_returning_needs_an_observation(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    with pytest.raises(ValidationError):
        services.return_submission(by=cast.analyst, submission=cast.submission)


def test_a_comment_on_another_instruments_item_is_refused(reporting: Cast) -> None:
    cast = reporting
    fill(cast)
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    foreign = cast.other_submission.actionprogress_items.first()
    with pytest.raises(ValidationError):
        services.return_submission(by=cast.analyst, submission=cast.submission, action_comments={foreign.pk: "x"})


def test_transitions_out_of_order_are_refused_in_spanish(reporting: Cast) -> None:
    with pytest.raises(ValidationError, match="No se puede"):
        services.approve_submission(by=reporting.analyst, submission=reporting.submission)


def test_the_administrador_grants_the_exemption_from_the_institution_page(reporting: Cast) -> None:
    from django.test import Client
    from django.urls import reverse

    url = reverse("institutions:planning-exemption", kwargs={"pk": reporting.home.pk})
    analyst = Client()
    analyst.force_login(reporting.analyst)
    assert analyst.post(url, {"exempt": "1"}).status_code == 403
    admin = Client()
    admin.force_login(reporting.admin)
    assert admin.post(url, {"exempt": "1", "reason": "Sin unidad de planificación"}).status_code == 302
    reporting.home.refresh_from_db()
    assert reporting.home.planning_signoff_exempt
