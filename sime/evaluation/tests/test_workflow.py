"""The follow-up's workflow tables, exhaustively: every status × every transition × every role.
Allowed moves reach the right status and e-mail the right people; every denial changes nothing and
sends nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from sime.core.models import AuditEvent
from sime.evaluation import services, workflow
from sime.evaluation.models import (
    Evaluation,
    FollowUpComment,
    FollowUpEvent,
    ImprovementAction,
    Recommendation,
    Response,
)
from sime.evaluation.notifications import AUDIENCE
from sime.evaluation.tests.factories import action_in, fresh, make_evaluation, response_in
from sime.evaluation.workflow import Closure, EvaluationStatus, ResponseStatus, ResponseTransition
from sime.notifications.models import Notification

pytestmark = pytest.mark.django_db

ROLES = ["admin", "analyst", "technical", "planning", "authority", "cooperant", "outsider"]
DEPM = {"admin", "analyst"}
ALLOWED_ROLES = {
    ResponseTransition.SUBMIT: {"technical"},
    ResponseTransition.SEND_BACK: {"technical", "planning"},
    ResponseTransition.SIGN_OFF: {"planning"},
    ResponseTransition.VALIDATE: DEPM,
    ResponseTransition.RETURN: DEPM,
}


def state(cast: Any) -> dict[str, Any]:
    """Everything a follow-up step could touch."""
    return {
        "evaluations": [model_to_dict(e) for e in Evaluation.objects.order_by("pk")],
        "recommendations": [model_to_dict(r, exclude=["nodes", "findings"]) for r in Recommendation.objects.all()],
        "responses": [model_to_dict(r) for r in Response.objects.order_by("pk")],
        "actions": [model_to_dict(a) for a in ImprovementAction.objects.order_by("pk")],
        "comments": list(FollowUpComment.objects.values_list("pk", "text")),
        "events": FollowUpEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def expected_recipients(cast: Any, step: str) -> list[str]:
    audience = AUDIENCE[step]
    if audience == "depm":
        return [cast.analyst.email]
    if audience == "planning":
        return [cast.planning.email]
    return sorted([cast.technical.email, cast.planning.email])


def test_the_pure_tables() -> None:
    for transition, (sources, target) in workflow.RESPONSE_TRANSITIONS.items():
        for status in ResponseStatus.values:
            if status in sources:
                assert workflow.response_target(transition, status) == target
            else:
                with pytest.raises(workflow.InvalidTransition):
                    workflow.response_target(transition, status)
    assert workflow.response_moves_from(ResponseStatus.PENDING) == ["submit"]
    assert workflow.response_moves_from(ResponseStatus.AWAITING_SIGNOFF) == ["send_back", "sign_off"]
    assert workflow.response_moves_from(ResponseStatus.SENT) == ["validate", "return"]
    assert workflow.response_moves_from(ResponseStatus.VALIDATED) == []
    assert workflow.response_moves_from(ResponseStatus.RETURNED) == ["submit"]
    order = ["planned", "in_progress", "concluded", "published"]
    for before in order:
        for target in order:
            if order.index(target) == order.index(before) + 1:
                assert workflow.evaluation_target(before, target) == target
            else:
                with pytest.raises(workflow.InvalidTransition):
                    workflow.evaluation_target(before, target)


def _run_response_step(cast: Any, transition: str, by: Any, response: Any) -> Any:
    if transition == ResponseTransition.SUBMIT:
        return services.submit_response(by=by, response=response)
    if transition == ResponseTransition.SEND_BACK:
        return services.send_back_response(by=by, response=response, reason="Corregir fechas.")
    if transition == ResponseTransition.SIGN_OFF:
        return services.sign_off_response(by=by, response=response)
    if transition == ResponseTransition.VALIDATE:
        return services.validate_response(by=by, response=response)
    return services.return_response(by=by, response=response, general_comment="Precise las metas.")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", ResponseTransition.values)
@pytest.mark.parametrize("status", ResponseStatus.values)
def test_every_response_move_by_every_role(
    framework: Any, django_capture_on_commit_callbacks: Any, status: str, transition: str, role: str
) -> None:
    cast = framework
    response = response_in(cast, status)
    by = getattr(cast, role)
    sources, target = workflow.RESPONSE_TRANSITIONS[transition]
    before = state(cast)
    before_events = FollowUpEvent.objects.count()
    mail.outbox.clear()
    if role in ALLOWED_ROLES[transition] and status in sources:
        with django_capture_on_commit_callbacks(execute=True):
            _run_response_step(cast, transition, by, response)
        assert fresh(response).status == target
        event = FollowUpEvent.objects.order_by("-pk").first()
        assert FollowUpEvent.objects.count() == before_events + 1
        assert event is not None and event.kind == transition
        assert AuditEvent.objects.filter(action=f"evaluation.response_{transition}").exists()
        assert [sorted(m.to) for m in mail.outbox] == [expected_recipients(cast, transition)]
        assert f"/evaluacion/respuestas/{response.pk}/" in mail.outbox[0].body
        return
    expected = PermissionDenied if role not in ALLOWED_ROLES[transition] else ValidationError
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(expected):
        _run_response_step(cast, transition, by, response)
    assert state(cast) == before
    assert mail.outbox == []


def test_an_exempt_institution_goes_straight_to_enviada(
    framework: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = framework
    cast.home.planning_signoff_exempt = True
    cast.home.save()
    response = response_in(cast, ResponseStatus.PENDING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_response(by=cast.technical, response=response)
    response = fresh(response)
    assert response.status == ResponseStatus.SENT
    assert response.sent_at is not None and response.technical_signed_by == cast.technical
    assert response.planning_signed_by is None
    # DEPM must hear that a response awaits its validation; nobody is asked for a visto bueno.
    assert [m.to for m in mail.outbox] == [[cast.analyst.email]]
    services.validate_response(by=cast.analyst, response=response)
    assert fresh(response).status == ResponseStatus.VALIDATED


EVALUATION_ORDER = ["planned", "in_progress", "concluded", "published"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", EvaluationStatus.values)
@pytest.mark.parametrize("status", EvaluationStatus.values)
def test_every_evaluation_status_change_by_every_role(
    framework: Any, django_capture_on_commit_callbacks: Any, status: str, target: str, role: str
) -> None:
    cast = framework
    evaluation = make_evaluation(cast)
    for step in EVALUATION_ORDER[1 : EVALUATION_ORDER.index(status) + 1]:
        services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=step)
    by = getattr(cast, role)
    before = state(cast)
    mail.outbox.clear()
    allowed = EVALUATION_ORDER.index(target) == EVALUATION_ORDER.index(status) + 1
    if role in DEPM and allowed:
        with django_capture_on_commit_callbacks(execute=True):
            services.change_evaluation_status(by=by, evaluation=evaluation, to=target)
        evaluation = fresh(evaluation)
        assert evaluation.status == target
        assert AuditEvent.objects.filter(action="evaluation.status_changed").count() == EVALUATION_ORDER.index(target)
        if target == EvaluationStatus.CONCLUDED:
            assert evaluation.concluded_at is not None and evaluation.snapshot_year == 2026
            assert [sorted(m.to) for m in mail.outbox] == [sorted([cast.technical.email, cast.planning.email])]
        else:
            assert mail.outbox == []
        return
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied if role not in DEPM else ValidationError),
    ):
        services.change_evaluation_status(by=by, evaluation=evaluation, to=target)
    assert state(cast) == before
    assert mail.outbox == []


def test_an_evaluation_without_recommendations_does_not_conclude(framework: Any) -> None:
    cast = framework
    evaluation = make_evaluation(cast, recommendations=0)
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="in_progress")
    before = state(cast)
    with pytest.raises(ValidationError, match="al menos una recomendación"):
        services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="concluded")
    assert state(cast) == before


CLOSURE_STEPS = ["report_completed", "report_in_progress", "validate_closure", "return_closure"]
CLOSURE_ALLOWED = {
    "report_completed": ({"technical", "planning"}, {Closure.NONE, Closure.RETURNED}, Closure.REPORTED),
    "report_in_progress": ({"technical", "planning"}, {Closure.NONE, Closure.RETURNED}, None),
    "validate_closure": (DEPM, {Closure.REPORTED}, Closure.VALIDATED),
    "return_closure": (DEPM, {Closure.REPORTED}, Closure.RETURNED),
}


def _run_closure_step(step: str, by: Any, action: ImprovementAction) -> Any:
    if step == "report_completed":
        return services.report_progress(
            by=by, action=action, values={"status": "completed", "percent": 100}, version=action.version
        )
    if step == "report_in_progress":
        return services.report_progress(
            by=by, action=action, values={"status": "in_progress", "percent": 50}, version=action.version
        )
    if step == "validate_closure":
        return services.validate_closure(by=by, action=action)
    return services.return_closure(by=by, action=action, comment="Falta la firma.")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", CLOSURE_STEPS)
@pytest.mark.parametrize("closure", Closure.values)
def test_every_closure_step_by_every_role(
    framework: Any, django_capture_on_commit_callbacks: Any, closure: str, step: str, role: str
) -> None:
    cast = framework
    action = action_in(cast, closure)
    by = getattr(cast, role)
    roles, sources, target = CLOSURE_ALLOWED[step]
    before = state(cast)
    mail.outbox.clear()
    if role in roles and closure in sources:
        with django_capture_on_commit_callbacks(execute=True):
            _run_closure_step(step, by, action)
        action = fresh(action)
        assert action.closure == (target if target is not None else closure)
        if step == "report_in_progress":
            assert action.status == "in_progress" and action.percent == 50
            assert mail.outbox == []
        else:
            kind = {"report_completed": "closure_reported"}.get(step, step.replace("_closure", ""))
            kind = {"validate": "closure_validated", "return": "closure_returned"}.get(kind, kind)
            assert [sorted(m.to) for m in mail.outbox] == [expected_recipients(cast, kind)]
        if step == "return_closure":
            assert action.status == "in_progress" and action.comments.get().text == "Falta la firma."
        if step == "validate_closure":
            # The only action of the only response: the recommendation closes.
            assert action.response.recommendation.closed_at is not None
        return
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied if role not in roles else ValidationError),
    ):
        _run_closure_step(step, by, action)
    assert state(cast) == before
    assert mail.outbox == []


@pytest.mark.parametrize("status", [s for s in ResponseStatus.values if s != ResponseStatus.VALIDATED])
def test_no_progress_before_the_response_is_validated(framework: Any, status: str) -> None:
    cast = framework
    response = response_in(cast, status)
    action = response.actions.get()
    before = state(cast)
    with pytest.raises(ValidationError, match="validado la respuesta"):
        services.report_progress(
            by=cast.technical, action=action, values={"status": "in_progress", "percent": 10}, version=action.version
        )
    assert state(cast) == before
