"""Builders for evaluation tests: an evaluation with recommendations, concluded, and a response
moved to any status or an action to any closure through the services (as people do)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sime.evaluation import services
from sime.evaluation.models import Evaluation, ImprovementAction, Response
from sime.evaluation.workflow import Closure, EvaluationStatus, ResponseStatus

VALUES: dict[str, Any] = {
    "title": "Evaluación de proceso del eje 1",
    "kind": "process",
    "moment": "midterm",
    "plan_year": 2026,
    "evaluator_kind": "internal",
    "planned_start": dt.date(2026, 3, 1),
    "planned_end": dt.date(2026, 9, 30),
}

PLAN_ACTION: dict[str, Any] = {
    "description": "Capacitar al personal consular.",
    "responsible_area": "Dirección de Asuntos Consulares",
    "starts_on": dt.date(2026, 10, 1),
    "due_on": dt.date(2026, 11, 30),
    "expected_result": "Personal capacitado.",
    "verification_means": "Listas de asistencia.",
}


def make_evaluation(
    cast: Any, *, institutions: list[Any] | None = None, recommendations: int = 1, **values: Any
) -> Evaluation:
    evaluation = services.create_evaluation(by=cast.analyst, policy=cast.policy, values={**VALUES, **values})
    targets = institutions or [cast.home]
    for number in range(recommendations):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text=f"Acelerar el protocolo ({number + 1}).",
            priority="high",
            scope="one" if len(targets) == 1 else "several",
            institution_ids=[i.pk for i in targets],
            node_ids=[cast.action_node.pk],
        )
    return evaluation


def conclude(cast: Any, evaluation: Evaluation, today: dt.date | None = None) -> Evaluation:
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.IN_PROGRESS)
    return services.change_evaluation_status(
        by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.CONCLUDED, today=today
    )


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def answer(cast: Any, response: Response, decision: str = "accepted", *, actions: int = 1, **action: Any) -> Response:
    response = fresh(response)
    justification = "" if decision == "accepted" else "Falta presupuesto."
    response = services.save_answer(
        by=cast.technical, response=response, decision=decision, justification=justification, version=response.version
    )
    for _ in range(actions if decision != "rejected" else 0):
        services.save_plan_action(by=cast.technical, response=response, values={**PLAN_ACTION, **action})
    return fresh(response)


def response_in(
    cast: Any, status: str, *, response: Response | None = None, answered: bool = True, **action: Any
) -> Response:
    """MINEX's response moved to `status` through the services (a concluded evaluation made if needed);
    a pending one is answered (accepted with one plan action) unless `answered` is False."""
    if response is None:
        evaluation = conclude(cast, make_evaluation(cast))
        response = Response.objects.get(recommendation__evaluation=evaluation, institution=cast.home)
    if status == ResponseStatus.PENDING and not answered:
        return response
    response = answer(cast, response, **action)
    if status == ResponseStatus.PENDING:
        return response
    services.submit_response(by=cast.technical, response=response)
    if status == ResponseStatus.AWAITING_SIGNOFF:
        return fresh(response)
    services.sign_off_response(by=cast.planning, response=response)
    if status == ResponseStatus.SENT:
        return fresh(response)
    if status == ResponseStatus.VALIDATED:
        services.validate_response(by=cast.analyst, response=response)
    else:
        services.return_response(by=cast.analyst, response=response, general_comment="Precise las metas.")
    return fresh(response)


def pdf(name: str = "listas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 listas", "application/pdf")


def action_in(cast: Any, closure: str, *, response: Response | None = None, **action: Any) -> ImprovementAction:
    """A validated response's action with evidence, moved to `closure` (completed when reported)."""
    response = response_in(cast, ResponseStatus.VALIDATED, response=response, **action)
    item = response.actions.get()
    services.add_action_evidence(by=cast.technical, action=item, upload=pdf())
    if closure == Closure.NONE:
        return fresh(item)
    report_completed(cast, item)
    if closure == Closure.VALIDATED:
        services.validate_closure(by=cast.analyst, action=item)
    elif closure == Closure.RETURNED:
        services.return_closure(by=cast.analyst, action=item, comment="La lista no está firmada.")
    return fresh(item)


def report_completed(cast: Any, action: ImprovementAction, by: Any = None) -> ImprovementAction:
    action = fresh(action)
    return services.report_progress(
        by=by or cast.technical,
        action=action,
        values={"status": "completed", "percent": 100, "progress_note": "Hecho."},
        version=action.version,
    )
