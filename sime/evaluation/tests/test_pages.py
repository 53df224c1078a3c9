"""The evaluation pages through the browser's door (Django's test client): the whole follow-up of
one recommendation, role by role, and each page's query count at 1× and 10× the recommendations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sime.evaluation import services
from sime.evaluation.models import Evaluation, ImprovementAction, Recommendation, Response
from sime.evaluation.tests.factories import action_in, report_completed, response_in
from sime.evaluation.workflow import Closure, EvaluationStatus, ResponseStatus

pytestmark = pytest.mark.django_db

VALUES = {
    "title": "Evaluación de proceso del eje 1",
    "kind": "process",
    "moment": "midterm",
    "plan_year": 2026,
    "evaluator_kind": "internal",
    "planned_start": dt.date(2026, 3, 1),
    "planned_end": dt.date(2026, 9, 30),
}


def make_evaluation(cast: Any, *, institutions: list[Any] | None = None, recommendations: int = 1) -> Evaluation:
    evaluation = services.create_evaluation(by=cast.analyst, policy=cast.policy, values=VALUES)
    finding = services.save_finding(
        by=cast.analyst,
        evaluation=evaluation,
        kind="finding",
        text="El protocolo avanza más lento de lo previsto.",
        node_ids=[cast.action_node.pk],
        indicator_ids=[cast.indicator.pk],
    )
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
            finding_ids=[finding.pk],
        )
    return evaluation


def conclude(cast: Any, evaluation: Evaluation) -> Evaluation:
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.IN_PROGRESS)
    return services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.CONCLUDED)


def post(client: Any, user: Any, url: str, data: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(url, data)


def test_the_follow_up_of_one_recommendation_page_by_page(client: Any, monitoring: Any) -> None:
    cast = monitoring
    client.force_login(cast.analyst)
    created = client.post(
        reverse("evaluation:evaluation-create"),
        {
            **{k: v for k, v in VALUES.items() if not isinstance(v, dt.date)},
            "planned_start": "2026-03-01",
            "planned_end": "2026-09-30",
            "whole_policy": "on",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    evaluation = Evaluation.objects.get()
    assert evaluation.code == "EV-2026-01"
    page = reverse("evaluation:evaluation-detail", args=[evaluation.pk])
    assert (
        client.post(
            reverse("evaluation:finding-create", args=[evaluation.pk]),
            {
                "kind": "finding",
                "text": "Avance lento.",
                "nodes": [cast.action_node.pk],
                "indicators": [cast.indicator.pk],
            },
        ).status_code
        == 302
    )
    refused = client.post(
        reverse("evaluation:recommendation-create", args=[evaluation.pk]),
        {"text": "Acelerar.", "priority": "high", "scope": "several", "institutions": [cast.home.pk]},
    )
    assert refused.status_code == 200
    assert "al menos dos" in refused.content.decode()
    assert (
        client.post(
            reverse("evaluation:recommendation-create", args=[evaluation.pk]),
            {"text": "Acelerar el protocolo.", "priority": "high", "scope": "one", "institutions": [cast.home.pk]},
        ).status_code
        == 302
    )
    for status in ("in_progress", "concluded"):
        assert (
            client.post(reverse("evaluation:evaluation-status", args=[evaluation.pk]), {"status": status}).status_code
            == 302
        )
    evaluation.refresh_from_db()
    assert evaluation.status == "concluded" and evaluation.snapshot_year == 2026
    shown = client.get(page).content.decode()
    assert "Al concluir la evaluación" in shown and "60" in shown

    response = Response.objects.get()
    url = reverse("evaluation:response", args=[response.pk])
    # MINGOB's focal point cannot even learn that MINEX's response exists.
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    # MINEX's técnico answers and writes the plan.
    missing = post(
        client,
        cast.technical,
        reverse("evaluation:response-answer", args=[response.pk]),
        {"decision": "rejected", "justification": "", "version": 1},
    )
    assert missing.status_code == 400 and "Justifique" in missing.content.decode()
    assert (
        post(
            client,
            cast.technical,
            reverse("evaluation:response-answer", args=[response.pk]),
            {"decision": "accepted", "justification": "", "version": 1},
        ).status_code
        == 302
    )
    plan = {
        "new-description": "Capacitar al personal consular.",
        "new-responsible_area": "Dirección de Asuntos Consulares",
        "new-starts_on": "2026-10-01",
        "new-due_on": "2026-11-30",
        "new-expected_result": "Personal capacitado.",
        "new-verification_means": "Listas de asistencia.",
    }
    assert client.post(reverse("evaluation:plan-action-create", args=[response.pk]), plan).status_code == 302
    action = ImprovementAction.objects.get()
    assert client.post(reverse("evaluation:response-step", args=[response.pk, "submit"])).status_code == 302
    # The técnico cannot give the planning visto bueno.
    assert client.post(reverse("evaluation:response-step", args=[response.pk, "sign_off"])).status_code == 403
    assert (
        post(client, cast.planning, reverse("evaluation:response-step", args=[response.pk, "sign_off"]), {}).status_code
        == 302
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.SENT
    # The Analista returns one action with a comment…
    post(
        client,
        cast.analyst,
        reverse("evaluation:response-step", args=[response.pk, "return"]),
        {f"comentario-{action.pk}": "Precise la meta de personas."},
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    client.force_login(cast.technical)
    assert "Precise la meta de personas." in client.get(url).content.decode()
    edited = {k.replace("new-", f"a{action.pk}-"): v for k, v in plan.items()}
    edited[f"a{action.pk}-expected_result"] = "120 funcionarios capacitados."
    assert (
        client.post(reverse("evaluation:plan-action-update", args=[response.pk, action.pk]), edited).status_code == 302
    )
    client.post(reverse("evaluation:response-step", args=[response.pk, "submit"]))
    post(client, cast.planning, reverse("evaluation:response-step", args=[response.pk, "sign_off"]), {})
    # …then validates.
    post(client, cast.analyst, reverse("evaluation:response-step", args=[response.pk, "validate"]), {})
    response.refresh_from_db()
    assert response.status == ResponseStatus.VALIDATED
    # MINEX reports the action complete with evidence; DEPM validates the closure.
    client.force_login(cast.technical)
    progress = {f"p{action.pk}-status": "completed", f"p{action.pk}-percent": "100", f"p{action.pk}-version": "1"}
    refused = client.post(reverse("evaluation:action-progress", args=[response.pk, action.pk]), progress)
    assert refused.status_code == 400 and "evidencia" in refused.content.decode()
    upload = SimpleUploadedFile("listas.pdf", b"%PDF-1.4 listas", "application/pdf")
    assert (
        client.post(reverse("evaluation:action-evidence", args=[response.pk, action.pk]), {"file": upload}).status_code
        == 302
    )
    assert (
        client.post(reverse("evaluation:action-progress", args=[response.pk, action.pk]), progress).status_code == 302
    )
    post(client, cast.analyst, reverse("evaluation:action-closure", args=[response.pk, action.pk, "validar"]), {})
    action.refresh_from_db()
    assert action.closure == Closure.VALIDATED and action.percent == Decimal(100)
    assert Recommendation.objects.get().closed_at is not None
    board = client.get(reverse("evaluation:board")).content.decode()
    assert 'data-testid="board-closed">1<' in board


@pytest.mark.parametrize("role", ["outsider", "cooperant"])
def test_pages_of_depm_are_closed_to_institutions(client: Any, framework: Any, role: str) -> None:
    evaluation = make_evaluation(framework)
    client.force_login(getattr(framework, role))
    for name, args in [
        ("evaluation:plan", []),
        ("evaluation:board", []),
        ("evaluation:evaluation-detail", [evaluation.pk]),
        ("evaluation:evaluation-create", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_a_focal_point_sees_only_its_own_recommendations(client: Any, framework: Any) -> None:
    cast = framework
    evaluation = make_evaluation(cast, institutions=[cast.home, cast.other])
    conclude(cast, evaluation)
    client.force_login(cast.outsider)
    page = client.get(reverse("evaluation:own-recommendations")).content.decode()
    assert page.count('href="/evaluacion/respuestas/') == 1
    own = Response.objects.get(institution=cast.other)
    other = Response.objects.get(institution=cast.home)
    assert client.get(reverse("evaluation:response", args=[own.pk])).status_code == 200
    assert client.get(reverse("evaluation:response", args=[other.pk])).status_code == 404


def _pages(cast: Any, evaluation: Evaluation) -> list[tuple[Any, str]]:
    """Every page and download of the app (and the API's lists) that reads recommendations."""
    response = Response.objects.filter(institution=cast.home).order_by("pk").first()
    assert response is not None
    recommendation = response.recommendation
    return [
        (cast.analyst, reverse("evaluation:plan")),
        (cast.analyst, reverse("evaluation:evaluation-detail", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:evaluation-update", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:finding-create", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:recommendation-create", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:recommendation-update", args=[evaluation.pk, recommendation.pk])),
        (cast.analyst, reverse("evaluation:board")),
        (cast.analyst, reverse("evaluation:followup-board-xlsx")),
        (cast.analyst, reverse("evaluation:followup-report-docx", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:followup-report-pdf", args=[evaluation.pk])),
        (cast.analyst, reverse("evaluation:response", args=[response.pk])),
        (cast.authority, reverse("evaluation:board")),
        (cast.technical, reverse("evaluation:own-recommendations")),
        (cast.technical, reverse("evaluation:response", args=[response.pk])),
        (cast.analyst, reverse("api:evaluation-list")),
        (cast.analyst, reverse("api:recommendation-list")),
        (cast.analyst, reverse("api:response-list")),
        (cast.analyst, reverse("api:improvement-action-list")),
        (cast.technical, reverse("api:response-list")),
        (cast.technical, reverse("api:improvement-action-list")),
    ]


def _count_queries(client: Any, user: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_recommendations(client: Any, monitoring: Any) -> None:
    cast = monitoring
    evaluation = make_evaluation(cast, institutions=[cast.home, cast.other], recommendations=1)
    conclude(cast, evaluation)
    # MINEX answers with a validated one-action plan (and so will it the nine added below).
    response_in(cast, ResponseStatus.VALIDATED, response=Response.objects.get(institution=cast.home))
    small = [_count_queries(client, user, url) for user, url in _pages(cast, evaluation)]
    for number in range(9):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text=f"Otra recomendación {number}.",
            priority="low",
            scope="several",
            institution_ids=[cast.home.pk, cast.other.pk],
            node_ids=[cast.action_node.pk],
        )
    # MINEX answers the new ones too: the plans grow with the recommendations.
    for response in Response.objects.filter(institution=cast.home, status=ResponseStatus.PENDING):
        response_in(cast, ResponseStatus.VALIDATED, response=response)
    assert ImprovementAction.objects.count() == 10
    large = [_count_queries(client, user, url) for user, url in _pages(cast, evaluation)]
    pages = [f"{user.role} {url}" for user, url in _pages(cast, evaluation)]
    assert list(zip(pages, large, strict=True)) == list(zip(pages, small, strict=True))


def test_the_instrument_shows_the_institutions_open_improvement_actions(client: Any, reporting: Any) -> None:
    """The period's instrument carries the institution's open plan actions as a section (a template
    tag: reporting's code never imports evaluation); another institution's instrument does not."""
    cast = reporting
    action = action_in(cast, Closure.NONE)
    minex = reverse("reporting:submission-detail", args=[cast.submission.pk])
    mingob = reverse("reporting:submission-detail", args=[cast.other_submission.pk])
    link = f'href="/evaluacion/respuestas/{action.response_id}/#accion-{action.pk}"'
    for user in (cast.technical, cast.planning, cast.analyst):
        client.force_login(user)
        page = client.get(minex).content.decode()
        assert "Acciones de mejora abiertas (evaluación)" in page and link in page
    for user, url in ((cast.analyst, mingob), (cast.outsider, mingob)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Acciones de mejora abiertas (evaluación)" not in page and link not in page
    # Once DEPM has validated its closure the action leaves the section.
    report_completed(cast, action)
    services.validate_closure(by=cast.analyst, action=ImprovementAction.objects.get(pk=action.pk))
    client.force_login(cast.technical)
    assert "Acciones de mejora abiertas (evaluación)" not in client.get(minex).content.decode()
