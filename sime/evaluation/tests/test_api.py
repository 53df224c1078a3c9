"""The evaluation API: the same services and rules as the pages, scoped by institution."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from sime.core.models import AuditEvent
from sime.evaluation.models import Evaluation, ImprovementAction, Recommendation, Response
from sime.evaluation.tests.test_pages import conclude, make_evaluation
from sime.evaluation.workflow import Closure, ResponseStatus

pytestmark = pytest.mark.django_db

ACTION = {
    "description": "Capacitar a los cónsules en el protocolo.",
    "responsible_area": "Dirección de Asuntos Consulares",
    "starts_on": "2026-10-01",
    "due_on": "2027-03-31",
    "expected_result": "80 cónsules capacitados.",
    "verification_means": "Listas de asistencia.",
}


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def concluded(monitoring: Any) -> Any:
    cast = monitoring
    cast.evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    cast.recommendation = Recommendation.objects.get(evaluation=cast.evaluation)
    cast.response = Response.objects.get(recommendation=cast.recommendation, institution=cast.home)
    cast.other_response = Response.objects.get(recommendation=cast.recommendation, institution=cast.other)
    return cast


def test_an_id_too_large_for_the_database_is_a_400_not_a_500(monitoring: Any) -> None:
    cast = monitoring
    response = api(cast.analyst).post(
        "/api/v1/evaluations/",
        {
            "policy": cast.policy.code,
            "title": "Evaluación intermedia",
            "kind": "process",
            "moment": "midterm",
            "evaluator_kind": "internal",
            "plan_year": 2026,
            "planned_start": "2026-03-01",
            "planned_end": "2026-09-30",
            "node_ids": [10**30],
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["node_ids"]
    assert not Evaluation.objects.exists()


def test_depm_creates_updates_and_concludes_an_evaluation(monitoring: Any) -> None:
    cast = monitoring
    client = api(cast.analyst)
    created = client.post(
        "/api/v1/evaluations/",
        {
            "policy": cast.policy.code,
            "title": "Evaluación intermedia",
            "kind": "process",
            "moment": "midterm",
            "evaluator_kind": "internal",
            "plan_year": 2026,
            "planned_start": "2026-03-01",
            "planned_end": "2026-09-30",
            "node_ids": [cast.action_node.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["code"] == "EV-2026-01"
    assert created.json()["nodes"] == [cast.action_node.pk]
    pk = created.json()["id"]
    patched = client.patch(f"/api/v1/evaluations/{pk}/", {"title": "Evaluación de medio término"}, format="json")
    assert patched.status_code == 200
    assert Evaluation.objects.get(pk=pk).title == "Evaluación de medio término"
    assert list(Evaluation.objects.get(pk=pk).nodes.all()) == [cast.action_node]
    bad_dates = client.patch(f"/api/v1/evaluations/{pk}/", {"planned_end": "2026-01-01"}, format="json")
    assert bad_dates.status_code == 400
    assert bad_dates.json() == {"planned_end": ["El fin previsto no puede ser anterior al inicio previsto."]}
    started = client.post(f"/api/v1/evaluations/{pk}/status/", {"to": "in_progress"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    # Concluding without recommendations is refused, in Spanish, and nothing changes.
    refused = client.post(f"/api/v1/evaluations/{pk}/status/", {"to": "concluded"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == ["Registre al menos una recomendación antes de concluir la evaluación."]
    assert Evaluation.objects.get(pk=pk).status == "in_progress"
    recommendation = client.post(
        "/api/v1/recommendations/",
        {
            "evaluation": pk,
            "text": "Acelerar el protocolo.",
            "priority": "high",
            "scope": "several",
            "institution_ids": [cast.home.pk, cast.other.pk],
        },
        format="json",
    )
    assert recommendation.status_code == 201, recommendation.json()
    assert recommendation.json()["number"] == 1
    assert [i["acronym"] for i in recommendation.json()["institutions"]] == ["MINEX", "MINGOB"]
    assert recommendation.json()["follow_up_status"] == "unanswered"
    one_only = client.patch(f"/api/v1/recommendations/{recommendation.json()['id']}/", {"scope": "one"}, format="json")
    assert one_only.status_code == 400
    assert one_only.json() == {"institutions": ["Una recomendación para una institución tiene un solo destinatario."]}
    concluded = client.post(f"/api/v1/evaluations/{pk}/status/", {"to": "concluded"}, format="json")
    assert concluded.status_code == 200 and concluded.json()["status"] == "concluded"
    listed = client.get("/api/v1/recommendations/", {"evaluation": pk})
    assert listed.json()["count"] == 1
    assert client.get("/api/v1/recommendations/", {"evaluation": pk + 1}).json()["count"] == 0


@pytest.mark.parametrize("role", ["authority", "technical", "planning", "outsider", "cooperant"])
def test_only_depm_writes_evaluations_and_recommendations(concluded: Any, role: str) -> None:
    cast = concluded
    client = api(getattr(cast, role))
    before = AuditEvent.objects.count()
    assert client.patch(f"/api/v1/evaluations/{cast.evaluation.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.post(f"/api/v1/evaluations/{cast.evaluation.pk}/status/", {"to": "published"}).status_code == 403
    assert (
        client.patch(f"/api/v1/recommendations/{cast.recommendation.pk}/", {"text": "x"}, format="json").status_code
        == 403
    )
    assert AuditEvent.objects.count() == before
    assert Evaluation.objects.get().status == "concluded"
    reading = client.get("/api/v1/evaluations/")
    assert reading.status_code == (200 if role == "authority" else 403)
    if role == "authority":
        assert [row["code"] for row in reading.json()["results"]] == ["EV-2026-01"]
        assert client.get(f"/api/v1/recommendations/{cast.recommendation.pk}/").status_code == 200


def test_responses_are_scoped_to_the_institution(concluded: Any) -> None:
    cast = concluded
    minex = api(cast.technical)
    listed = minex.get("/api/v1/responses/")
    assert [row["id"] for row in listed.json()["results"]] == [cast.response.pk]
    assert minex.get(f"/api/v1/responses/{cast.other_response.pk}/").status_code == 404
    assert minex.post(f"/api/v1/responses/{cast.other_response.pk}/submit/").status_code == 404
    assert api(cast.outsider).get(f"/api/v1/responses/{cast.response.pk}/").status_code == 404
    assert api(cast.cooperant).get("/api/v1/responses/").status_code == 403
    every = api(cast.authority).get("/api/v1/responses/")
    assert [row["institution_acronym"] for row in every.json()["results"]] == ["MINEX", "MINGOB"]
    # Autoridad reads, never writes.
    assert api(cast.authority).post(f"/api/v1/responses/{cast.response.pk}/validate/").status_code == 403


def test_answer_with_a_stale_version_is_a_409_and_changes_nothing(concluded: Any) -> None:
    cast = concluded
    client = api(cast.technical)
    url = f"/api/v1/responses/{cast.response.pk}/answer/"
    first = client.post(url, {"decision": "accepted", "justification": "", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.post(url, {"decision": "rejected", "justification": "No hay fondos.", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    assert Response.objects.get(pk=cast.response.pk).decision == "accepted"
    missing = client.post(url, {"decision": "rejected", "justification": "", "version": 2}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {"justification": ["Justifique por qué no acepta la recomendación en su totalidad."]}


def test_the_whole_follow_up_through_the_api(concluded: Any) -> None:
    cast = concluded
    technical, planning, analyst = api(cast.technical), api(cast.planning), api(cast.analyst)
    response_url = f"/api/v1/responses/{cast.response.pk}"
    assert (
        technical.post(f"{response_url}/answer/", {"decision": "accepted", "version": 1}, format="json").status_code
        == 200
    )
    # Submitting an accepted response without a plan is refused.
    no_plan = technical.post(f"{response_url}/submit/")
    assert no_plan.status_code == 400
    assert no_plan.json() == ["Al aceptar la recomendación, registre al menos una acción del plan de mejora."]
    created = technical.post("/api/v1/improvement-actions/", {"response": cast.response.pk, **ACTION}, format="json")
    assert created.status_code == 201, created.json()
    action_pk = created.json()["id"]
    assert created.json()["number"] == 1 and created.json()["status"] == "not_started"
    second = technical.post(
        "/api/v1/improvement-actions/", {"response": cast.response.pk, **ACTION, "description": "Otra"}, format="json"
    )
    assert technical.delete(f"/api/v1/improvement-actions/{second.json()['id']}/").status_code == 204
    # MINGOB's focal point cannot add an action to MINEX's plan, nor see it.
    assert (
        api(cast.outsider)
        .post("/api/v1/improvement-actions/", {"response": cast.response.pk, **ACTION}, format="json")
        .status_code
        == 404
    )
    assert api(cast.outsider).get(f"/api/v1/improvement-actions/{action_pk}/").status_code == 404
    # The planning focal point cannot submit (the técnico does); the técnico can.
    assert planning.post(f"{response_url}/submit/").status_code == 403
    assert technical.post(f"{response_url}/submit/").json()["status"] == ResponseStatus.AWAITING_SIGNOFF
    # Not editable any more.
    locked = technical.patch(f"/api/v1/improvement-actions/{action_pk}/", {"description": "x"}, format="json")
    assert locked.status_code == 400
    assert locked.json() == ["La respuesta está «En visto bueno»: ya no se puede modificar."]
    assert planning.post(f"{response_url}/send-back/", {"reason": "Falta el área"}).json()["status"] == "pending"
    technical.patch(f"/api/v1/improvement-actions/{action_pk}/", {"responsible_area": "Viceministerio"}, format="json")
    technical.post(f"{response_url}/submit/")
    assert planning.post(f"{response_url}/sign-off/").json()["status"] == ResponseStatus.SENT
    returned = analyst.post(
        f"{response_url}/return/", {"action_comments": {str(action_pk): "Precise la meta."}}, format="json"
    )
    assert returned.json()["status"] == ResponseStatus.RETURNED
    technical.post(f"{response_url}/submit/")
    planning.post(f"{response_url}/sign-off/")
    assert analyst.post(f"{response_url}/validate/", {"comment": "Bien"}).json()["status"] == ResponseStatus.VALIDATED
    # Progress with its version; a stale version is a 409.
    action = ImprovementAction.objects.get(pk=action_pk)
    url = f"/api/v1/improvement-actions/{action_pk}/progress/"
    moved = technical.post(url, {"status": "in_progress", "percent": "40", "version": action.version}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["percent"] == "40.00"
    stale = technical.post(url, {"status": "in_progress", "percent": "50", "version": action.version}, format="json")
    assert stale.status_code == 409
    assert ImprovementAction.objects.get(pk=action_pk).percent == 40
    closing = technical.post(
        url,
        {
            "status": "no_longer_applicable",
            "percent": "40",
            "status_reason": "Lo asumió otra entidad.",
            "version": moved.json()["version"],
        },
        format="json",
    )
    assert closing.status_code == 200, closing.json()
    assert closing.json()["closure"] == Closure.REPORTED
    assert api(cast.technical).post(f"/api/v1/improvement-actions/{action_pk}/validate-closure/").status_code == 403
    back = analyst.post(f"/api/v1/improvement-actions/{action_pk}/return-closure/", {"comment": "Adjunte el oficio."})
    assert back.json()["closure"] == Closure.RETURNED
    closing = technical.post(
        url,
        {
            "status": "no_longer_applicable",
            "percent": "40",
            "status_reason": "Oficio 12-2026.",
            "version": back.json()["version"],
        },
        format="json",
    )
    assert analyst.post(f"/api/v1/improvement-actions/{action_pk}/validate-closure/").json()["closure"] == "validated"
    listed = analyst.get("/api/v1/improvement-actions/", {"response": cast.response.pk})
    assert [row["id"] for row in listed.json()["results"]] == [action_pk]


def test_overdue_is_computed_in_the_api(concluded: Any) -> None:
    cast = concluded
    technical = api(cast.technical)
    technical.post(
        f"/api/v1/responses/{cast.response.pk}/answer/", {"decision": "accepted", "version": 1}, format="json"
    )
    past = {**ACTION, "starts_on": "2020-01-01", "due_on": "2020-02-01"}
    row = technical.post("/api/v1/improvement-actions/", {"response": cast.response.pk, **past}, format="json").json()
    assert row["is_overdue"] is True and row["shown_status"] == "overdue" and row["status"] == "not_started"
    assert dt.date.fromisoformat(row["due_on"]) == dt.date(2020, 2, 1)


def test_the_schema_describes_the_evaluation_endpoints(concluded: Any) -> None:
    schema = api(concluded.analyst).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/evaluations/",
        "/api/v1/evaluations/{id}/status/",
        "/api/v1/recommendations/{id}/",
        "/api/v1/responses/{id}/answer/",
        "/api/v1/responses/{id}/sign-off/",
        "/api/v1/improvement-actions/{id}/progress/",
        "/api/v1/improvement-actions/{id}/return-closure/",
    ):
        assert path in paths, path
