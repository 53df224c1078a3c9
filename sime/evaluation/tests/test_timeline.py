"""Every step of the follow-up is written twice: on the timeline (FollowUpEvent, what the evaluation's
and the response's pages show) and in the audit trail (AuditEvent). One walk through every
transition — evaluation, response, progress, closure, recommendation closed and reopened — checks
both for each step, with its actor and text; edits of content are audited and stay off the timeline."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sime.core.models import AuditEvent
from sime.evaluation import services
from sime.evaluation.models import FollowUpEvent, Recommendation, Response
from sime.evaluation.tests.factories import PLAN_ACTION, VALUES, fresh, pdf
from sime.evaluation.workflow import EvaluationStatus
from sime.institutions.models import FocalPointRole
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


class Steps:
    """Runs one service call and returns what it added to the timeline and to the audit trail."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()

    def __call__(self, call: Callable[[], Any]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
        last_event = FollowUpEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        call()
        events = list(
            FollowUpEvent.objects.filter(pk__gt=last_event)
            .order_by("pk")
            .values_list("kind", "actor__full_name", "text")
        )
        audit = list(
            AuditEvent.objects.filter(pk__gt=last_audit).order_by("pk").values_list("action", "actor__full_name")
        )
        self.kinds.update(kind for kind, _actor, _text in events)
        return events, audit  # type: ignore[return-value]


def test_every_step_is_on_the_timeline_and_in_the_audit_trail(framework: Any) -> None:
    cast = framework
    step = Steps()
    analyst, technical, planning = "Analista DEPM", "Técnica Minex", "Planifica Minex"
    made: dict[str, Any] = {}

    # The evaluation: registered, one recommendation for MINEX, started and concluded.
    assert step(
        lambda: made.update(evaluation=services.create_evaluation(by=cast.analyst, policy=cast.policy, values=VALUES))
    ) == ([("created", analyst, "")], [("evaluation.created", analyst)])
    evaluation = made["evaluation"]

    def recommend(institutions: list[Any], recommendation: Recommendation | None = None) -> None:
        made["recommendation"] = services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text="Acelerar el protocolo.",
            priority="high",
            scope="one" if len(institutions) == 1 else "several",
            institution_ids=[i.pk for i in institutions],
            recommendation=recommendation,
        )

    assert step(lambda: recommend([cast.home])) == (
        [("recommendation", analyst, "")],
        [("evaluation.recommendation_saved", analyst)],
    )
    recommendation = made["recommendation"]
    for target, label in ((EvaluationStatus.IN_PROGRESS, "En curso"), (EvaluationStatus.CONCLUDED, "Concluida")):
        assert step(
            lambda target=target: services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=target)
        ) == ([("status", analyst, label)], [("evaluation.status_changed", analyst)])

    # MINEX's técnico writes the answer and a two-action plan: content, audited, not steps.
    minex = Response.objects.get(recommendation=recommendation, institution=cast.home)
    assert step(
        lambda: services.save_answer(
            by=cast.technical, response=minex, decision="accepted", justification="", version=1
        )
    ) == ([], [("evaluation.answer_saved", technical)])
    for description in ("Capacitar al personal consular.", "Publicar el protocolo."):
        assert step(
            lambda description=description: services.save_plan_action(
                by=cast.technical, response=minex, values={**PLAN_ACTION, "description": description}
            )
        ) == ([], [("evaluation.plan_action_saved", technical)])
    first, second = fresh(minex).actions.order_by("number")

    submit = lambda: services.submit_response(by=cast.technical, response=minex)  # noqa: E731
    sign_off = lambda: services.sign_off_response(by=cast.planning, response=minex)  # noqa: E731
    submitted = ([("submit", technical, "")], [("evaluation.response_submit", technical)])
    signed = ([("sign_off", planning, "")], [("evaluation.response_sign_off", planning)])

    # To the visto bueno, sent back by planificación, submitted and signed off.
    assert step(submit) == submitted
    assert step(lambda: services.send_back_response(by=cast.planning, response=minex, reason="Falta la meta.")) == (
        [("send_back", planning, "Falta la meta.")],
        [("evaluation.response_send_back", planning)],
    )
    assert step(submit) == submitted
    assert step(sign_off) == signed

    # DEPM returns it with observations, then validates it once sent again.
    assert step(
        lambda: services.return_response(
            by=cast.analyst,
            response=minex,
            general_comment="Precise las metas.",
            action_comments={first.pk: "¿Cuántas personas?"},
        )
    ) == ([("return", analyst, "Precise las metas.")], [("evaluation.response_return", analyst)])
    assert step(submit) == submitted
    assert step(sign_off) == signed
    assert step(lambda: services.validate_response(by=cast.analyst, response=minex)) == (
        [("validate", analyst, "")],
        [("evaluation.response_validate", analyst)],
    )

    def progress(action: Any, by: Any, **values: Any) -> None:
        action = fresh(action)
        services.report_progress(by=by, action=action, values=values, version=action.version)

    # Progress on A1, its evidence, its closure returned once and then validated.
    assert step(lambda: progress(first, cast.technical, status="in_progress", percent=Decimal(40))) == (
        [("progress", technical, "En proceso · 40 %")],
        [("evaluation.progress_reported", technical)],
    )
    assert step(lambda: services.add_action_evidence(by=cast.technical, action=fresh(first), upload=pdf())) == (
        [],
        [("evaluation.evidence_added", technical)],
    )
    completed = ([("closure_reported", technical, "Completada")], [("evaluation.progress_reported", technical)])
    assert step(lambda: progress(first, cast.technical, status="completed", percent=Decimal(100))) == completed
    assert step(lambda: services.return_closure(by=cast.analyst, action=fresh(first), comment="Sin firma.")) == (
        [("closure_returned", analyst, "Sin firma.")],
        [("evaluation.closure_returned", analyst)],
    )
    assert step(lambda: progress(first, cast.technical, status="completed", percent=Decimal(100))) == completed
    assert step(lambda: services.validate_closure(by=cast.analyst, action=fresh(first))) == (
        [("closure_validated", analyst, "")],
        [("evaluation.closure_validated", analyst)],
    )

    # A2 no longer applies; validating that closure settles MINEX and closes the recommendation.
    assert step(
        lambda: progress(
            second, cast.planning, status="no_longer_applicable", percent=0, status_reason="La ley cambió."
        )
    ) == ([("closure_reported", planning, "Ya no aplica")], [("evaluation.progress_reported", planning)])
    assert step(lambda: services.validate_closure(by=cast.analyst, action=fresh(second))) == (
        [("closure_validated", analyst, ""), ("closed", analyst, "")],
        [("evaluation.closure_validated", analyst), ("evaluation.recommendation_closed", analyst)],
    )
    assert fresh(recommendation).closed_at is not None

    # A new addressee (IGM, exempt from the visto bueno) reopens it.
    igm = InstitutionFactory(acronym="IGM", planning_signoff_exempt=True)
    igm_technical = FocalPointFactory(
        institution=igm, role=FocalPointRole.TECHNICAL, user__full_name="Técnico IGM"
    ).user
    assert step(lambda: recommend([cast.home, igm], fresh(recommendation))) == (
        [("addressees", analyst, "Agregadas: IGM."), ("reopened", analyst, "Nuevas destinatarias: IGM.")],
        [("evaluation.recommendation_saved", analyst), ("evaluation.recommendation_reopened", analyst)],
    )
    assert fresh(recommendation).closed_at is None
    reopened = AuditEvent.objects.get(action="evaluation.recommendation_reopened")
    assert reopened.data["reason"] == "Nuevas destinatarias: IGM."

    # IGM rejects it and, being exempt, its submission goes straight to DEPM; validating it closes again.
    answer = Response.objects.get(recommendation=recommendation, institution=igm)
    services.save_answer(
        by=igm_technical, response=answer, decision="rejected", justification="Sin competencia.", version=1
    )
    assert step(lambda: services.submit_response(by=igm_technical, response=answer)) == (
        [("submit", "Técnico IGM", "Institución exenta del visto bueno de planificación: enviada a DEPM.")],
        [("evaluation.response_submit", "Técnico IGM")],
    )
    assert step(lambda: services.validate_response(by=cast.analyst, response=answer)) == (
        [("validate", analyst, ""), ("closed", analyst, "")],
        [("evaluation.response_validate", analyst), ("evaluation.recommendation_closed", analyst)],
    )

    # Taking IGM off again (it answered: refused) writes nothing; publishing is the last step.
    audit = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="IGM ya respondió"):
        recommend([cast.home], fresh(recommendation))
    assert AuditEvent.objects.count() == audit
    assert step(
        lambda: services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.PUBLISHED)
    ) == ([("status", analyst, "Publicada")], [("evaluation.status_changed", analyst)])

    # Every kind of timeline step was walked.
    assert step.kinds == set(FollowUpEvent.Kind.values)


def test_removing_an_addressee_that_had_not_answered_is_on_the_timeline(framework: Any) -> None:
    cast = framework
    evaluation = services.create_evaluation(by=cast.analyst, policy=cast.policy, values=VALUES)
    recommendation = services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Mejorar.",
        priority="low",
        scope="several",
        institution_ids=[cast.home.pk, cast.other.pk],
    )
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Mejorar el registro.",
        priority="low",
        scope="one",
        institution_ids=[cast.home.pk],
        recommendation=recommendation,
    )
    assert list(
        FollowUpEvent.objects.filter(recommendation=recommendation).values_list("kind", "text").order_by("pk")
    ) == [("recommendation", ""), ("addressees", "Quitadas: MINGOB.")]
    saved = AuditEvent.objects.filter(action="evaluation.recommendation_saved").order_by("pk").last()
    assert saved is not None and (saved.data["added"], saved.data["removed"]) == ([], ["MINGOB"])
    # Editing the text alone changes no addressee: audited, nothing new on the timeline.
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Mejorar el registro consular.",
        priority="low",
        scope="one",
        institution_ids=[cast.home.pk],
        recommendation=fresh(recommendation),
    )
    assert FollowUpEvent.objects.filter(recommendation=recommendation).count() == 2
    assert AuditEvent.objects.filter(action="evaluation.recommendation_saved").count() == 3
