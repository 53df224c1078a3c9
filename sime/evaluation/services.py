"""Writes of evaluation and its follow-up: evaluations, findings, recommendations, the institutions'
responses and improvement plans, progress on the plans and DEPM's validations.

Every function checks the permission module, validates, writes in one transaction, records the
audit event and the timeline step, and queues e-mails after commit (the reporting cycle's pattern).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sime.accounts.permissions import require
from sime.core.audit import diff, record_event, snapshot
from sime.core.formatting import format_number
from sime.core.uploads import validate_document
from sime.evaluation import snapshot as frozen
from sime.evaluation import tasks, workflow
from sime.evaluation.models import (
    ActionEvidence,
    ActionScope,
    Evaluation,
    EvaluationDocument,
    Finding,
    FollowUpComment,
    FollowUpEvent,
    ImprovementAction,
    Recommendation,
    Response,
)
from sime.evaluation.workflow import (
    ANSWERABLE,
    CLOSING_STATUSES,
    NEEDS_JUSTIFICATION,
    NEEDS_PLAN,
    PROGRESS_EDITABLE,
    RESPONSE_EDITABLE,
    ActionStatus,
    Closure,
    EvaluationStatus,
    ResponseStatus,
    ResponseTransition,
)
from sime.institutions.models import Institution
from sime.policy.models import Indicator, PolicyNode

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sime.accounts.models import User
    from sime.policy.models import Policy

EVALUATION_FIELDS = [
    "title",
    "kind",
    "moment",
    "whole_policy",
    "evaluator_kind",
    "evaluator_name",
    "consultancy",
    "plan_year",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "responses_due_on",
    "terms_of_reference",
    "methodology",
    "questions",
]
DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "png", "jpg")
ACTION_FIELDS = ["description", "responsible_area", "starts_on", "due_on", "expected_result", "verification_means"]
PROGRESS_FIELDS = ["status", "percent", "status_reason", "progress_note"]


class EditConflict(Exception):
    """Somebody saved the same response or action since the page was loaded."""

    def __init__(self, current: Response | ImprovementAction) -> None:
        self.current = current
        super().__init__(str(current))


def _event(
    evaluation: Evaluation,
    kind: str,
    by: User | None,
    *,
    recommendation: Recommendation | None = None,
    response: Response | None = None,
    action: ImprovementAction | None = None,
    text: str = "",
) -> None:
    FollowUpEvent.objects.create(
        evaluation=evaluation,
        recommendation=recommendation,
        response=response,
        action=action,
        kind=kind,
        actor=by,
        text=text,
    )


def _nodes_of(policy: Policy, ids: Iterable[int], field: str) -> list[PolicyNode]:
    ids = set(ids)
    found = list(PolicyNode.objects.filter(policy=policy, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({field: _("Un nodo no pertenece a la política de la evaluación.")})
    return found


def _indicators_of(policy: Policy, ids: Iterable[int], field: str) -> list[Indicator]:
    ids = set(ids)
    found = list(Indicator.objects.filter(policy=policy, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({field: _("Un indicador no pertenece a la política de la evaluación.")})
    return found


# --- Evaluations -----------------------------------------------------------------------------


def _next_code(year: int) -> str:
    prefix = f"EV-{year}-"
    taken = Evaluation.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _set_scope(
    evaluation: Evaluation,
    node_ids: Iterable[int] | None,
    indicator_ids: Iterable[int] | None,
    project_ids: Iterable[int] | None,
) -> None:
    if node_ids is not None:
        evaluation.nodes.set(_nodes_of(evaluation.policy, node_ids, "nodes"))
    if indicator_ids is not None:
        evaluation.indicators.set(_indicators_of(evaluation.policy, indicator_ids, "indicators"))
    if project_ids is not None:
        evaluation.projects.set(list(project_ids))


@transaction.atomic
def create_evaluation(
    *,
    by: User,
    policy: Policy,
    values: dict[str, Any],
    node_ids: Iterable[int] = (),
    indicator_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
) -> Evaluation:
    require(by, "evaluation.manage_evaluations")
    evaluation = Evaluation(policy=policy, created_by=by, **{k: v for k, v in values.items() if k in EVALUATION_FIELDS})
    evaluation.code = _next_code(int(evaluation.plan_year or timezone.localdate().year))
    evaluation.full_clean()
    evaluation.save()
    _set_scope(evaluation, node_ids, indicator_ids, project_ids)
    _event(evaluation, FollowUpEvent.Kind.CREATED, by)
    record_event(evaluation, "evaluation.created", by=by, data={"code": evaluation.code})
    return evaluation


@transaction.atomic
def update_evaluation(
    *,
    by: User,
    evaluation: Evaluation,
    values: dict[str, Any],
    node_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
) -> Evaluation:
    require(by, "evaluation.manage_evaluations")
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    before = snapshot(evaluation, EVALUATION_FIELDS)
    for name, value in values.items():
        if name in EVALUATION_FIELDS:
            setattr(evaluation, name, value)
    evaluation.full_clean()
    evaluation.save()
    _set_scope(evaluation, node_ids, indicator_ids, project_ids)
    record_event(evaluation, "evaluation.updated", by=by, changes=diff(before, snapshot(evaluation, EVALUATION_FIELDS)))
    return evaluation


@transaction.atomic
def change_evaluation_status(*, by: User, evaluation: Evaluation, to: str, today: dt.date | None = None) -> Evaluation:
    """Start, conclude (freezing the monitoring figures) or publish an evaluation."""
    require(by, "evaluation.manage_evaluations")
    evaluation = Evaluation.objects.select_for_update().select_related("policy").get(pk=evaluation.pk)
    before = evaluation.status
    try:
        workflow.evaluation_target(before, to)
    except workflow.InvalidTransition as error:
        raise ValidationError(
            _("Una evaluación en estado «%(status)s» no pasa a «%(target)s».")
            % {"status": EvaluationStatus(before).label, "target": EvaluationStatus(to).label}
        ) from error
    today = today or timezone.localdate()
    now = timezone.now()
    evaluation.status = to
    if to == EvaluationStatus.IN_PROGRESS:
        evaluation.actual_start = evaluation.actual_start or today
    elif to == EvaluationStatus.CONCLUDED:
        if not evaluation.recommendations.exists():
            raise ValidationError(_("Registre al menos una recomendación antes de concluir la evaluación."))
        evaluation.actual_end = evaluation.actual_end or today
        evaluation.concluded_at = now
        frozen.freeze(evaluation, today)
    elif to == EvaluationStatus.PUBLISHED:
        evaluation.published_at = now
    evaluation.save()
    _event(evaluation, FollowUpEvent.Kind.STATUS, by, text=str(EvaluationStatus(to).label))
    record_event(evaluation, "evaluation.status_changed", by=by, data={"from": before, "to": to})
    if to == EvaluationStatus.CONCLUDED:
        pk = evaluation.pk
        transaction.on_commit(lambda: tasks.notify_concluded.enqueue(pk))
    return evaluation


@transaction.atomic
def add_document(*, by: User, evaluation: Evaluation, role: str, upload: UploadedFile) -> EvaluationDocument:
    require(by, "evaluation.manage_evaluations")
    try:
        kind = validate_document(upload, DOCUMENT_TYPES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = EvaluationDocument(
        evaluation=evaluation,
        role=role,
        original_name=(upload.name or "documento")[:200],
        kind=kind,
        size=upload.size or 0,
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.file.save(upload.name or f"documento.{kind}", upload, save=False)
    document.save()
    record_event(document, "evaluation.document_added", by=by, data={"evaluation": evaluation.pk, "role": role})
    return document


@transaction.atomic
def remove_document(*, by: User, document: EvaluationDocument) -> None:
    require(by, "evaluation.manage_evaluations")
    stored, storage = document.file.name or "", document.file.storage
    record_event(document, "evaluation.document_removed", by=by, data={"evaluation": document.evaluation_id})
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- Findings and recommendations --------------------------------------------------------------


def _next_number(queryset: Any) -> int:
    return int(queryset.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def save_finding(
    *,
    by: User,
    evaluation: Evaluation,
    kind: str,
    text: str,
    node_ids: Iterable[int] = (),
    indicator_ids: Iterable[int] = (),
    finding: Finding | None = None,
) -> Finding:
    require(by, "evaluation.manage_evaluations")
    if finding is None:
        finding = Finding(evaluation=evaluation, kind=kind)
        finding.number = _next_number(Finding.objects.filter(evaluation=evaluation, kind=kind))
    elif finding.evaluation_id != evaluation.pk:
        raise ValidationError(_("El hallazgo es de otra evaluación."))
    created = finding.pk is None
    finding.text = text.strip()
    if not finding.text:
        raise ValidationError({"text": _("Escriba el hallazgo.")})
    finding.full_clean()
    finding.save()
    finding.nodes.set(_nodes_of(evaluation.policy, node_ids, "nodes"))
    finding.indicators.set(_indicators_of(evaluation.policy, indicator_ids, "indicators"))
    record_event(finding, "evaluation.finding_saved", by=by, data={"evaluation": evaluation.pk, "created": created})
    return finding


@transaction.atomic
def delete_finding(*, by: User, finding: Finding) -> None:
    require(by, "evaluation.manage_evaluations")
    record_event(finding, "evaluation.finding_deleted", by=by, data={"evaluation": finding.evaluation_id})
    finding.delete()


def _check_addressees(scope: str, institutions: list[Institution]) -> None:
    if not institutions:
        raise ValidationError({"institutions": _("Indique al menos una institución destinataria.")})
    if scope == ActionScope.ONE_INSTITUTION and len(institutions) != 1:
        raise ValidationError({"institutions": _("Una recomendación para una institución tiene un solo destinatario.")})
    if scope == ActionScope.SEVERAL_INSTITUTIONS and len(institutions) < 2:
        raise ValidationError({"institutions": _("Una recomendación para varias instituciones tiene al menos dos.")})


@transaction.atomic
def save_recommendation(
    *,
    by: User,
    evaluation: Evaluation,
    text: str,
    priority: str,
    scope: str,
    institution_ids: Iterable[int],
    node_ids: Iterable[int] = (),
    finding_ids: Iterable[int] = (),
    recommendation: Recommendation | None = None,
) -> Recommendation:
    """Create or edit a recommendation; each addressed institution gets a response to give.

    An institution may be removed only while its response has not left it (nothing lost)."""
    require(by, "evaluation.manage_evaluations")
    institutions = list(Institution.objects.filter(pk__in=set(institution_ids), is_active=True))
    if len(institutions) != len(set(institution_ids)):
        raise ValidationError({"institutions": _("Una institución destinataria no existe o está inactiva.")})
    _check_addressees(scope, institutions)
    created = recommendation is None
    if recommendation is None:
        recommendation = Recommendation(evaluation=evaluation)
        recommendation.number = _next_number(Recommendation.objects.filter(evaluation=evaluation))
    elif recommendation.evaluation_id != evaluation.pk:
        raise ValidationError(_("La recomendación es de otra evaluación."))
    recommendation.text, recommendation.priority, recommendation.scope = text.strip(), priority, scope
    if not recommendation.text:
        raise ValidationError({"text": _("Escriba la recomendación.")})
    recommendation.full_clean()
    recommendation.save()
    recommendation.nodes.set(_nodes_of(evaluation.policy, node_ids, "nodes"))
    findings = list(Finding.objects.filter(evaluation=evaluation, pk__in=set(finding_ids)))
    if len(findings) != len(set(finding_ids)):
        raise ValidationError({"findings": _("Un hallazgo no pertenece a esta evaluación.")})
    recommendation.findings.set(findings)
    wanted = {institution.pk for institution in institutions}
    existing = {
        response.institution_id: response for response in recommendation.responses.select_related("institution")
    }
    removed = sorted(response.institution.acronym for pk, response in existing.items() if pk not in wanted)
    added = sorted(institution.acronym for institution in institutions if institution.pk not in existing)
    for institution_id, response in existing.items():
        if institution_id not in wanted:
            if response.status != ResponseStatus.PENDING or response.actions.exists() or response.decision:
                raise ValidationError(
                    {
                        "institutions": _("%(institution)s ya respondió: no se puede quitar como destinataria.")
                        % {"institution": response.institution.acronym}
                    }
                )
            response.delete()
    new_responses = Response.objects.bulk_create(
        [Response(recommendation=recommendation, institution_id=pk) for pk in sorted(wanted - set(existing))]
    )
    if created:
        _event(evaluation, FollowUpEvent.Kind.RECOMMENDATION, by, recommendation=recommendation)
    elif added or removed:
        parts = []
        if added:
            parts.append(_("Agregadas: %(institutions)s.") % {"institutions": ", ".join(added)})
        if removed:
            parts.append(_("Quitadas: %(institutions)s.") % {"institutions": ", ".join(removed)})
        _event(evaluation, FollowUpEvent.Kind.ADDRESSEES, by, recommendation=recommendation, text=" ".join(parts))
    record_event(
        recommendation,
        "evaluation.recommendation_saved",
        by=by,
        data={
            "evaluation": evaluation.pk,
            "created": created,
            "institutions": sorted(wanted),
            "added": added,
            "removed": removed,
        },
    )
    if not created:
        reason = _("Nuevas destinatarias: %(institutions)s.") % {"institutions": ", ".join(added)} if added else ""
        _refresh_closure(recommendation, by, reason=reason)
    if new_responses and Evaluation.objects.filter(pk=evaluation.pk, status__in=ANSWERABLE).exists():
        # Addressed after the evaluation concluded: these institutions missed the conclusion's notice.
        evaluation_pk, response_ids = evaluation.pk, [response.pk for response in new_responses]
        transaction.on_commit(lambda: tasks.notify_concluded.enqueue(evaluation_pk, response_ids))
    return recommendation


# --- The institution's response and improvement plan ---------------------------------------------


def _locked_response(response: Response) -> Response:
    return (
        Response.objects.select_for_update()
        .select_related("recommendation__evaluation", "institution")
        .get(pk=response.pk)
    )


def require_response_editable(by: User, response: Response) -> None:
    require(by, "evaluation.fill_response", response)
    if response.recommendation.evaluation.status not in ANSWERABLE:
        raise ValidationError(_("La evaluación aún no ha concluido: todavía no se responde."))
    if response.status not in RESPONSE_EDITABLE:
        raise ValidationError(
            _("La respuesta está «%(status)s»: ya no se puede modificar.")
            % {"status": ResponseStatus(response.status).label}
        )


def _clear_signatures(response: Response) -> None:
    response.technical_signed_by = response.planning_signed_by = None
    response.technical_signed_at = response.planning_signed_at = None


def _bump(response: Response, by: User) -> None:
    """A change to the answer or the plan: a new version (for conflicts); signatures fall."""
    Response.objects.filter(pk=response.pk).update(
        version=response.version + 1,
        technical_signed_by=None,
        technical_signed_at=None,
        planning_signed_by=None,
        planning_signed_at=None,
        updated_at=timezone.now(),
    )
    response.version += 1
    _clear_signatures(response)


@transaction.atomic
def save_answer(*, by: User, response: Response, decision: str, justification: str, version: int) -> Response:
    response = _locked_response(response)
    require_response_editable(by, response)
    if response.version != version:
        raise EditConflict(response)
    before = snapshot(response, ["decision", "justification"])
    if decision not in workflow.Decision.values:
        raise ValidationError({"decision": _("Elija si la institución acepta, acepta parcialmente o no acepta.")})
    response.decision, response.justification = decision, justification.strip()
    if response.decision in NEEDS_JUSTIFICATION and not response.justification:
        raise ValidationError({"justification": _("Justifique por qué no acepta la recomendación en su totalidad.")})
    response.save(update_fields=["decision", "justification", "updated_at"])
    _bump(response, by)
    record_event(
        response,
        "evaluation.answer_saved",
        by=by,
        institution=response.institution,
        changes=diff(before, snapshot(response, ["decision", "justification"])),
    )
    return response


def _check_action(action: ImprovementAction) -> None:
    errors: dict[str, Any] = {}
    for name in ("description", "responsible_area", "expected_result", "verification_means"):
        setattr(action, name, (getattr(action, name) or "").strip())
        if not getattr(action, name):
            errors[name] = _("Este campo es obligatorio.")
    if action.starts_on and action.due_on and action.due_on < action.starts_on:
        errors["due_on"] = _("La fecha límite no puede ser anterior al inicio.")
    if errors:
        raise ValidationError(errors)
    action.full_clean(exclude=["response", "number"])


@transaction.atomic
def save_plan_action(
    *, by: User, response: Response, values: dict[str, Any], action: ImprovementAction | None = None
) -> ImprovementAction:
    """Add an action to the improvement plan or edit one, while the response is with the institution."""
    response = _locked_response(response)
    require_response_editable(by, response)
    if action is None:
        action = ImprovementAction(response=response, number=_next_number(response.actions.all()))
    elif action.response_id != response.pk:
        raise ValidationError(_("La acción es de otra respuesta."))
    before = snapshot(action, ACTION_FIELDS)
    for name in ACTION_FIELDS:
        if name in values:
            setattr(action, name, values[name])
    _check_action(action)
    action.updated_by = by
    created = action.pk is None
    action.save()
    _bump(response, by)
    record_event(
        action,
        "evaluation.plan_action_saved",
        by=by,
        institution=response.institution,
        changes=diff(before, snapshot(action, ACTION_FIELDS)),
        data={"created": created},
    )
    return action


@transaction.atomic
def remove_plan_action(*, by: User, action: ImprovementAction) -> None:
    response = _locked_response(action.response)
    require_response_editable(by, response)
    record_event(action, "evaluation.plan_action_removed", by=by, institution=response.institution)
    action.delete()
    _bump(response, by)


def _check_complete(response: Response) -> None:
    if not response.decision:
        raise ValidationError(_("Falta la respuesta: acepta, acepta parcialmente o no acepta."))
    if response.decision in NEEDS_JUSTIFICATION and not response.justification.strip():
        raise ValidationError(_("Falta la justificación de la respuesta."))
    if response.decision in NEEDS_PLAN and not response.actions.exists():
        raise ValidationError(_("Al aceptar la recomendación, registre al menos una acción del plan de mejora."))


def _move(response: Response, transition: str) -> str:
    before = response.status
    try:
        response.status = workflow.response_target(transition, before)
    except workflow.InvalidTransition as error:
        raise ValidationError(
            _("No se puede «%(action)s» una respuesta en estado «%(status)s».")
            % {"action": ResponseTransition(transition).label, "status": ResponseStatus(before).label}
        ) from error
    return before


def _step(response: Response, kind: str, by: User, *, before: str, text: str = "", notify: str = "") -> None:
    _event(
        response.recommendation.evaluation,
        kind,
        by,
        recommendation=response.recommendation,
        response=response,
        text=text,
    )
    record_event(
        response,
        f"evaluation.response_{kind}",
        by=by,
        institution=response.institution,
        data={"from": before, "to": response.status, "text": text},
    )
    pk, step = response.pk, notify or kind
    transaction.on_commit(lambda: tasks.notify_response_step.enqueue(pk, step))


@transaction.atomic
def submit_response(*, by: User, response: Response) -> Response:
    """The técnico declares the answer and plan complete: to the visto bueno, or sent if exempt."""
    response = _locked_response(response)
    require(by, "evaluation.submit_response", response)
    require_response_editable(by, response)
    _check_complete(response)
    before = _move(response, ResponseTransition.SUBMIT)
    now = timezone.now()
    response.technical_signed_by, response.technical_signed_at = by, now
    if response.institution.planning_signoff_exempt:
        response.status, response.sent_at = ResponseStatus.SENT, now
    response.save()
    # An exempt institution's response goes straight to DEPM: DEPM hears of it (as after a visto bueno),
    # and the timeline says why it skipped the visto bueno.
    exempt = response.status == ResponseStatus.SENT
    notify = ResponseTransition.SIGN_OFF if exempt else ""
    text = _("Institución exenta del visto bueno de planificación: enviada a DEPM.") if exempt else ""
    _step(response, ResponseTransition.SUBMIT, by, before=before, text=text, notify=notify)
    return response


@transaction.atomic
def send_back_response(*, by: User, response: Response, reason: str = "") -> Response:
    """Planificación (or the técnico) takes the response back to correct it before the visto bueno."""
    response = _locked_response(response)
    require(by, "evaluation.send_back_response", response)
    before = _move(response, ResponseTransition.SEND_BACK)
    _clear_signatures(response)
    response.save()
    _step(response, ResponseTransition.SEND_BACK, by, before=before, text=reason.strip())
    return response


@transaction.atomic
def sign_off_response(*, by: User, response: Response) -> Response:
    """Planificación's visto bueno: the response goes to DEPM."""
    response = _locked_response(response)
    require(by, "evaluation.sign_off_response", response)
    before = _move(response, ResponseTransition.SIGN_OFF)
    now = timezone.now()
    response.planning_signed_by, response.planning_signed_at, response.sent_at = by, now, now
    response.save()
    _step(response, ResponseTransition.SIGN_OFF, by, before=before)
    return response


@transaction.atomic
def validate_response(*, by: User, response: Response, comment: str = "") -> Response:
    response = _locked_response(response)
    require(by, "evaluation.validate_response", response)
    before = _move(response, ResponseTransition.VALIDATE)
    response.validated_by, response.validated_at = by, timezone.now()
    response.save()
    _step(response, ResponseTransition.VALIDATE, by, before=before, text=comment.strip())
    _refresh_closure(response.recommendation, by)
    return response


def _round(response: Response) -> int:
    return int(response.comments.aggregate(top=Max("round"))["top"] or 0) + 1


@transaction.atomic
def return_response(
    *, by: User, response: Response, general_comment: str = "", action_comments: dict[int, str] | None = None
) -> Response:
    """Return with observations: a general one and/or one per plan action (keyed by action id)."""
    response = _locked_response(response)
    require(by, "evaluation.validate_response", response)
    comments = {pk: text.strip() for pk, text in (action_comments or {}).items() if text and text.strip()}
    if not (general_comment.strip() or comments):
        raise ValidationError({"general_comment": _("Escriba al menos una observación para devolver la respuesta.")})
    if not set(comments) <= set(response.actions.values_list("pk", flat=True)):
        raise ValidationError(_("Una observación se refiere a una acción de otra respuesta."))
    before = _move(response, ResponseTransition.RETURN)
    review_round = _round(response)
    rows = [
        FollowUpComment(response=response, action_id=pk, text=text, author=by, round=review_round)
        for pk, text in comments.items()
    ]
    if general_comment.strip():
        rows.append(FollowUpComment(response=response, text=general_comment.strip(), author=by, round=review_round))
    FollowUpComment.objects.bulk_create(rows)
    _clear_signatures(response)
    response.sent_at = None
    response.save()
    _step(response, ResponseTransition.RETURN, by, before=before, text=general_comment.strip())
    return response


# --- Progress on the plan ------------------------------------------------------------------------


def _locked_action(action: ImprovementAction) -> ImprovementAction:
    return (
        ImprovementAction.objects.select_for_update()
        .select_related("response__recommendation__evaluation", "response__institution")
        .get(pk=action.pk)
    )


@transaction.atomic
def report_progress(*, by: User, action: ImprovementAction, values: dict[str, Any], version: int) -> ImprovementAction:
    """The institution reports status, % and a note; completed or no longer applicable asks DEPM to
    validate the closure (completed needs evidence, no longer applicable a reason)."""
    action = _locked_action(action)
    response = action.response
    require(by, "evaluation.report_progress", response)
    if response.status != ResponseStatus.VALIDATED:
        raise ValidationError(_("El avance se reporta cuando DEPM ha validado la respuesta y su plan."))
    if action.closure not in PROGRESS_EDITABLE:
        raise ValidationError(
            _("La acción tiene «%(closure)s»: ya no se modifica.") % {"closure": Closure(action.closure).label}
        )
    if action.version != version:
        raise EditConflict(action)
    before = snapshot(action, PROGRESS_FIELDS)
    for name in PROGRESS_FIELDS:
        if name in values:
            setattr(action, name, values[name])
    errors: dict[str, Any] = {}
    if action.status not in ActionStatus.values:
        errors["status"] = _("Estado no válido.")
    percent = Decimal(action.percent) if action.percent is not None else None
    if percent is None or not Decimal(0) <= percent <= Decimal(100):
        errors["percent"] = _("El avance va de 0 a 100 %.")
    elif action.status == ActionStatus.COMPLETED:
        action.percent = Decimal(100)
    elif action.status == ActionStatus.NOT_STARTED and percent > 0:
        errors["percent"] = _("Una acción no iniciada tiene 0 % de avance.")
    if action.status == ActionStatus.NO_LONGER_APPLICABLE and not (action.status_reason or "").strip():
        errors["status_reason"] = _("Explique por qué la acción ya no aplica.")
    if action.status == ActionStatus.COMPLETED and not action.evidence.exists():
        errors["status"] = _("Adjunte la evidencia (medio de verificación) antes de reportar la acción completada.")
    if errors:
        raise ValidationError(errors)
    closing = action.status in CLOSING_STATUSES
    now = timezone.now()
    if closing:
        action.closure, action.closure_reported_at = Closure.REPORTED, now
    action.updated_by, action.version = by, action.version + 1
    action.save()
    evaluation = response.recommendation.evaluation
    record_event(
        action,
        "evaluation.progress_reported",
        by=by,
        institution=response.institution,
        changes=diff(before, snapshot(action, PROGRESS_FIELDS)),
    )
    # Every report is a step of the timeline: a closure asks DEPM to validate it, any other report
    # records where the action stands (status and %).
    status = str(ActionStatus(action.status).label)
    _event(
        evaluation,
        FollowUpEvent.Kind.CLOSURE_REPORTED if closing else FollowUpEvent.Kind.PROGRESS,
        by,
        recommendation=response.recommendation,
        response=response,
        action=action,
        text=status if closing else f"{status} · {format_number(action.percent)} %",
    )
    if closing:
        pk = action.pk
        transaction.on_commit(lambda: tasks.notify_closure_step.enqueue(pk, "closure_reported"))
    return action


@transaction.atomic
def add_action_evidence(*, by: User, action: ImprovementAction, upload: UploadedFile) -> ActionEvidence:
    action = _locked_action(action)
    require(by, "evaluation.report_progress", action.response)
    if action.response.status != ResponseStatus.VALIDATED or action.closure not in PROGRESS_EDITABLE:
        raise ValidationError(_("La acción no admite evidencias en este momento."))
    try:
        kind = validate_document(upload, DOCUMENT_TYPES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    evidence = ActionEvidence(
        action=action,
        original_name=(upload.name or "evidencia")[:200],
        kind=kind,
        size=upload.size or 0,
        uploaded_by=by,
    )
    evidence.file.save(upload.name or f"evidencia.{kind}", upload, save=False)
    evidence.save()
    record_event(evidence, "evaluation.evidence_added", by=by, institution=action.response.institution)
    return evidence


@transaction.atomic
def remove_action_evidence(*, by: User, evidence: ActionEvidence) -> None:
    action = _locked_action(evidence.action)
    require(by, "evaluation.report_progress", action.response)
    if action.closure not in PROGRESS_EDITABLE:
        raise ValidationError(_("La acción no admite cambios en este momento."))
    stored, storage = evidence.file.name or "", evidence.file.storage
    record_event(evidence, "evaluation.evidence_removed", by=by, institution=action.response.institution)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def validate_closure(*, by: User, action: ImprovementAction) -> ImprovementAction:
    action = _locked_action(action)
    require(by, "evaluation.validate_closure", action.response)
    if action.closure != Closure.REPORTED:
        raise ValidationError(_("Solo se valida un cierre reportado."))
    action.closure, action.closure_validated_at = Closure.VALIDATED, timezone.now()
    action.save(update_fields=["closure", "closure_validated_at", "updated_at"])
    response = action.response
    _event(
        response.recommendation.evaluation,
        FollowUpEvent.Kind.CLOSURE_VALIDATED,
        by,
        recommendation=response.recommendation,
        response=response,
        action=action,
    )
    record_event(action, "evaluation.closure_validated", by=by, institution=response.institution)
    pk = action.pk
    transaction.on_commit(lambda: tasks.notify_closure_step.enqueue(pk, "closure_validated"))
    _refresh_closure(response.recommendation, by)
    return action


@transaction.atomic
def return_closure(*, by: User, action: ImprovementAction, comment: str) -> ImprovementAction:
    action = _locked_action(action)
    require(by, "evaluation.validate_closure", action.response)
    if action.closure != Closure.REPORTED:
        raise ValidationError(_("Solo se devuelve un cierre reportado."))
    if not comment.strip():
        raise ValidationError({"comment": _("Escriba la observación para devolver el cierre.")})
    action.closure, action.closure_reported_at = Closure.RETURNED, None
    action.status = ActionStatus.IN_PROGRESS
    action.version += 1
    action.save()
    response = action.response
    FollowUpComment.objects.create(
        response=response, action=action, text=comment.strip(), author=by, round=_round(response)
    )
    _event(
        response.recommendation.evaluation,
        FollowUpEvent.Kind.CLOSURE_RETURNED,
        by,
        recommendation=response.recommendation,
        response=response,
        action=action,
        text=comment.strip(),
    )
    record_event(action, "evaluation.closure_returned", by=by, institution=response.institution)
    pk = action.pk
    transaction.on_commit(lambda: tasks.notify_closure_step.enqueue(pk, "closure_returned"))
    return action


def is_settled(response: Response, actions: list[ImprovementAction]) -> bool:
    """A response is settled when DEPM validated it and every action of its plan was closed."""
    return response.status == ResponseStatus.VALIDATED and all(a.closure == Closure.VALIDATED for a in actions)


def _refresh_closure(recommendation: Recommendation, by: User | None, *, reason: str = "") -> None:
    """A recommendation closes when every addressed institution's response is settled, and reopens
    (a new addressee has a response to give) when one no longer is; both are steps of the timeline."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    responses = list(recommendation.responses.prefetch_related("actions"))
    settled = bool(responses) and all(is_settled(r, list(r.actions.all())) for r in responses)
    if settled and recommendation.closed_at is None:
        recommendation.closed_at = timezone.now()
        recommendation.save(update_fields=["closed_at", "updated_at"])
        _event(recommendation.evaluation, FollowUpEvent.Kind.CLOSED, by, recommendation=recommendation)
        record_event(recommendation, "evaluation.recommendation_closed", by=by)
    elif not settled and recommendation.closed_at is not None:
        closed_at = recommendation.closed_at
        recommendation.closed_at = None
        recommendation.save(update_fields=["closed_at", "updated_at"])
        _event(recommendation.evaluation, FollowUpEvent.Kind.REOPENED, by, recommendation=recommendation, text=reason)
        record_event(
            recommendation,
            "evaluation.recommendation_reopened",
            by=by,
            data={"closed_at": closed_at.isoformat(), "reason": reason},
        )
