"""The follow-up services' rules: validation messages, edit conflicts, when a response may be
written, who a recommendation is addressed to, and when it closes or reopens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sime.core.models import AuditEvent
from sime.evaluation import services
from sime.evaluation.models import FollowUpEvent, Recommendation, Response
from sime.evaluation.services import EditConflict
from sime.evaluation.tests.factories import (
    PLAN_ACTION,
    action_in,
    answer,
    conclude,
    fresh,
    make_evaluation,
    pdf,
    report_completed,
    response_in,
)
from sime.evaluation.workflow import Closure, ResponseStatus
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def messages(error: Any) -> dict[str, list[str]]:
    return {key: [str(m) for m in value] for key, value in error.value.message_dict.items()}


@pytest.mark.parametrize("decision", ["partially_accepted", "rejected"])
def test_a_justification_is_required_unless_fully_accepted(framework: Any, decision: str) -> None:
    response = response_in(framework, ResponseStatus.PENDING, answered=False)
    with pytest.raises(ValidationError) as error:
        services.save_answer(by=framework.technical, response=response, decision=decision, justification=" ", version=1)
    assert messages(error) == {"justification": ["Justifique por qué no acepta la recomendación en su totalidad."]}
    assert fresh(response).decision == "" and fresh(response).version == 1


def test_an_unknown_decision_is_refused(framework: Any) -> None:
    response = response_in(framework, ResponseStatus.PENDING, answered=False)
    with pytest.raises(ValidationError) as error:
        services.save_answer(by=framework.technical, response=response, decision="maybe", justification="", version=1)
    assert "decision" in messages(error)


def test_accepting_needs_a_plan_before_submitting(framework: Any) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.PENDING, answered=False)
    response = answer(cast, response, "accepted", actions=0)
    with pytest.raises(ValidationError, match="registre al menos una acción del plan de mejora"):
        services.submit_response(by=cast.technical, response=response)
    with pytest.raises(ValidationError, match="Falta la respuesta"):
        services.submit_response(by=cast.technical, response=response_in(cast, "pending", answered=False))


def test_a_rejection_needs_no_plan(framework: Any) -> None:
    cast = framework
    response = answer(cast, response_in(cast, ResponseStatus.PENDING, answered=False), "rejected")
    services.submit_response(by=cast.technical, response=response)
    assert fresh(response).status == ResponseStatus.AWAITING_SIGNOFF


def test_the_plan_actions_fields_are_required_and_dates_in_order(framework: Any) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.PENDING, answered=False)
    blank = dict.fromkeys(["description", "responsible_area", "expected_result", "verification_means"], "  ")
    with pytest.raises(ValidationError) as error:
        services.save_plan_action(
            by=cast.technical,
            response=response,
            values={**PLAN_ACTION, **blank, "starts_on": dt.date(2026, 10, 1), "due_on": dt.date(2026, 9, 30)},
        )
    assert messages(error) == {
        "description": ["Este campo es obligatorio."],
        "responsible_area": ["Este campo es obligatorio."],
        "expected_result": ["Este campo es obligatorio."],
        "verification_means": ["Este campo es obligatorio."],
        "due_on": ["La fecha límite no puede ser anterior al inicio."],
    }
    assert not fresh(response).actions.exists()


def test_editing_the_plan_clears_the_signatures_and_bumps_the_version(framework: Any) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.RETURNED)
    assert response.technical_signed_by is None
    version = response.version
    services.save_plan_action(
        by=cast.technical, response=response, values={"description": "Otra."}, action=response.actions.get()
    )
    assert fresh(response).version == version + 1


def test_a_stale_answer_is_an_edit_conflict(framework: Any) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.PENDING, answered=False)
    services.save_answer(by=cast.technical, response=response, decision="accepted", justification="", version=1)
    with pytest.raises(EditConflict) as error:
        services.save_answer(by=cast.planning, response=response, decision="rejected", justification="No.", version=1)
    assert error.value.current.decision == "accepted"
    assert fresh(response).decision == "accepted"


def test_stale_progress_is_an_edit_conflict(framework: Any) -> None:
    cast = framework
    action = action_in(cast, Closure.NONE)
    services.report_progress(
        by=cast.technical, action=action, values={"status": "in_progress", "percent": 20}, version=1
    )
    with pytest.raises(EditConflict):
        services.report_progress(
            by=cast.planning, action=action, values={"status": "in_progress", "percent": 30}, version=1
        )
    assert fresh(action).percent == Decimal(20) and fresh(action).version == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"status": "in_progress", "percent": Decimal("100.01")}, {"percent": ["El avance va de 0 a 100 %."]}),
        ({"status": "in_progress", "percent": Decimal(-1)}, {"percent": ["El avance va de 0 a 100 %."]}),
        (
            {"status": "not_started", "percent": Decimal(5)},
            {"percent": ["Una acción no iniciada tiene 0 % de avance."]},
        ),
        (
            {"status": "no_longer_applicable", "percent": 0, "status_reason": " "},
            {"status_reason": ["Explique por qué la acción ya no aplica."]},
        ),
        ({"status": "overdue", "percent": 0}, {"status": ["Estado no válido."]}),
    ],
)
def test_progress_validation(framework: Any, values: dict[str, Any], expected: dict[str, list[str]]) -> None:
    cast = framework
    action = action_in(cast, Closure.NONE)
    audit = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.report_progress(by=cast.technical, action=action, values=values, version=action.version)
    assert messages(error) == expected
    assert fresh(action).status == "not_started" and AuditEvent.objects.count() == audit


def test_completed_needs_evidence_and_becomes_100(framework: Any) -> None:
    cast = framework
    response = response_in(cast, ResponseStatus.VALIDATED)
    action = response.actions.get()
    with pytest.raises(ValidationError) as error:
        services.report_progress(
            by=cast.technical, action=action, values={"status": "completed", "percent": 60}, version=1
        )
    assert messages(error) == {
        "status": ["Adjunte la evidencia (medio de verificación) antes de reportar la acción completada."]
    }
    action = action_in(cast, Closure.NONE)
    services.report_progress(by=cast.technical, action=action, values={"status": "completed", "percent": 60}, version=1)
    action = fresh(action)
    assert action.percent == Decimal(100) and action.closure == Closure.REPORTED


def test_no_longer_applicable_with_a_reason_reports_the_closure(framework: Any) -> None:
    cast = framework
    action = action_in(cast, Closure.NONE)
    services.report_progress(
        by=cast.planning,
        action=action,
        values={"status": "no_longer_applicable", "percent": 0, "status_reason": "La ley cambió."},
        version=1,
    )
    assert fresh(action).closure == Closure.REPORTED


def test_no_answer_before_the_evaluation_concludes(framework: Any) -> None:
    cast = framework
    evaluation = make_evaluation(cast)
    response = Response.objects.get(recommendation__evaluation=evaluation)
    with pytest.raises(ValidationError, match="aún no ha concluido"):
        services.save_answer(by=cast.technical, response=response, decision="accepted", justification="", version=1)
    with pytest.raises(ValidationError, match="aún no ha concluido"):
        services.save_plan_action(by=cast.technical, response=response, values=PLAN_ACTION)
    assert fresh(response).decision == "" and not response.actions.exists()


@pytest.mark.parametrize(
    ("scope", "count", "error"),
    [
        ("one", 0, "al menos una institución"),
        ("one", 2, "un solo destinatario"),
        ("several", 1, "al menos dos"),
        ("system", 0, "al menos una institución"),
        ("one", 1, None),
        ("several", 2, None),
        ("several", 3, None),
        ("system", 1, None),
        ("system", 3, None),
    ],
)
def test_addressees_by_scope(framework: Any, scope: str, count: int, error: str | None) -> None:
    cast = framework
    evaluation = make_evaluation(cast, recommendations=0)
    institutions = [cast.home, cast.other, InstitutionFactory()][:count]
    call = lambda: services.save_recommendation(  # noqa: E731
        by=cast.analyst,
        evaluation=evaluation,
        text="Mejorar.",
        priority="low",
        scope=scope,
        institution_ids=[i.pk for i in institutions],
    )
    if error:
        with pytest.raises(ValidationError, match=error):
            call()
        assert not Recommendation.objects.exists()
    else:
        recommendation = call()
        assert sorted(recommendation.responses.values_list("institution_id", flat=True)) == sorted(
            i.pk for i in institutions
        )


def test_an_institution_that_answered_cannot_be_removed(framework: Any) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    recommendation = evaluation.recommendations.get()
    answer(cast, recommendation.responses.get(institution=cast.home), actions=0)

    def readdress(ids: list[int], scope: str) -> Recommendation:
        return services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text="Mejorar.",
            priority="low",
            scope=scope,
            institution_ids=ids,
            recommendation=fresh(recommendation),
        )

    with pytest.raises(ValidationError, match="MINEX ya respondió"):
        readdress([cast.other.pk], "one")
    assert recommendation.responses.count() == 2
    readdress([cast.home.pk], "one")  # MINGOB had not answered: removing it loses nothing
    assert list(recommendation.responses.values_list("institution__acronym", flat=True)) == ["MINEX"]


def test_a_recommendation_closes_when_every_response_is_settled_and_reopens(framework: Any) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    recommendation = evaluation.recommendations.get()
    # MINGOB rejects: once validated it is settled without a plan.
    mingob = recommendation.responses.get(institution=cast.other)
    services.save_answer(
        by=cast.outsider, response=mingob, decision="rejected", justification="Sin competencia.", version=1
    )
    services.submit_response(by=cast.outsider, response=mingob)
    planner = FocalPointFactory(institution=cast.other, role="planning", user__role="focal_planning").user
    services.sign_off_response(by=planner, response=mingob)
    services.validate_response(by=cast.analyst, response=mingob)
    assert fresh(recommendation).closed_at is None  # MINEX has not answered
    minex = recommendation.responses.get(institution=cast.home)
    minex = response_in(cast, ResponseStatus.VALIDATED, response=minex)
    assert fresh(recommendation).closed_at is None  # its plan action is still open
    action = minex.actions.get()
    services.add_action_evidence(by=cast.technical, action=action, upload=pdf())
    report_completed(cast, action)
    assert fresh(recommendation).closed_at is None  # reported, not validated
    services.validate_closure(by=cast.analyst, action=action)
    assert fresh(recommendation).closed_at is not None
    assert FollowUpEvent.objects.filter(kind="closed", recommendation=recommendation).count() == 1
    assert AuditEvent.objects.filter(action="evaluation.recommendation_closed").count() == 1
    # A new addressee reopens it.
    third = InstitutionFactory(acronym="IGM")
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Mejorar.",
        priority="low",
        scope="several",
        institution_ids=[cast.home.pk, cast.other.pk, third.pk],
        recommendation=fresh(recommendation),
    )
    assert fresh(recommendation).closed_at is None
    assert fresh(recommendation).responses.get(institution=third).status == ResponseStatus.PENDING


def test_a_recommendation_with_two_actions_closes_only_after_both(framework: Any) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast))
    response = evaluation.recommendations.get().responses.get()
    response = response_in(cast, ResponseStatus.VALIDATED, response=response, actions=1)
    assert response.actions.count() == 1
    recommendation = response.recommendation
    first = response.actions.get()
    services.add_action_evidence(by=cast.technical, action=first, upload=pdf())
    report_completed(cast, first)
    services.validate_closure(by=cast.analyst, action=first)
    assert fresh(recommendation).closed_at is not None


@pytest.mark.parametrize(
    ("step", "status", "by", "phrase"),
    [
        ("submit", "pending", "technical", "dé su visto bueno para enviarlos a DEPM"),
        ("sign_off", "awaiting_signoff", "planning", "Valídelos o devuélvalos con observaciones"),
        ("send_back", "awaiting_signoff", "planning", "volvió al enlace técnico"),
        ("validate", "sent", "analyst", "Reporte el avance de cada acción"),
        ("return", "sent", "analyst", "Corríjala y envíela de nuevo"),
    ],
)
def test_each_step_emails_its_audience_in_spanish_with_the_site_link(
    framework: Any, settings: Any, django_capture_on_commit_callbacks: Any, step: str, status: str, by: str, phrase: str
) -> None:
    from django.core import mail

    from sime.evaluation.tests.test_workflow import _run_response_step, expected_recipients

    settings.SITE_URL = "https://sime.igm.gob.gt/"
    cast = framework
    response = response_in(cast, status)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run_response_step(cast, step, getattr(cast, by), response)
    assert [sorted(m.to) for m in mail.outbox] == [expected_recipients(cast, step)]
    message = mail.outbox[0]
    assert message.subject == "SIME-PM · EV-2026-01 R1 · MINEX"
    assert "Evaluación «Evaluación de proceso del eje 1», recomendación R1" in message.body
    assert phrase in message.body
    assert f"Abrir la respuesta: https://sime.igm.gob.gt/evaluacion/respuestas/{response.pk}/" in message.body
