"""Demo evaluations (idempotent): one concluded mid-term evaluation with findings and recommendations
to MINEX and MINGOB — MINEX's first response validated with its improvement plan under way — and one
planned for next year. Written through the services, as people would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.evaluation import services
from sime.evaluation.models import Evaluation, Response
from sime.evaluation.workflow import EvaluationStatus
from sime.institutions.models import Institution
from sime.policy.models import Indicator, Policy, PolicyNode

TITLE = "Evaluación intermedia de proceso de la Política Migratoria"


def _user(role: str, acronym: str | None = None) -> User | None:
    people = User.objects.filter(role=role, is_active=True)
    if acronym:
        people = people.filter(institution__acronym=acronym)
    return people.order_by("pk").first()


def load_evaluations() -> Evaluation | None:
    policy = Policy.objects.order_by("pk").first()
    analyst = _user(Role.ANALYST)
    technical, planning = _user(Role.FOCAL_TECHNICAL, "MINEX"), _user(Role.FOCAL_PLANNING, "MINEX")
    minex, mingob = (
        Institution.objects.filter(acronym="MINEX").first(),
        Institution.objects.filter(acronym="MINGOB").first(),
    )
    if None in (policy, analyst, technical, planning, minex, mingob) or Evaluation.objects.filter(title=TITLE).exists():
        return None
    assert policy and analyst and technical and planning and minex and mingob
    today = timezone.localdate()
    axes = list(PolicyNode.objects.filter(policy=policy, parent=None).order_by("order", "code")[:2])
    indicators = list(Indicator.objects.filter(policy=policy).order_by("code")[:2])
    evaluation = services.create_evaluation(
        by=analyst,
        policy=policy,
        values={
            "title": TITLE,
            "kind": "process",
            "moment": "midterm",
            "plan_year": today.year,
            "evaluator_kind": "internal",
            "evaluator_name": "Departamento de Estudios y Políticas Migratorias (DEPM)",
            "planned_start": dt.date(today.year, 3, 1),
            "planned_end": dt.date(today.year, 8, 31),
            "responses_due_on": today + dt.timedelta(days=20),
            "terms_of_reference": "Valorar la implementación del Plan de Acción en sus dos primeros años.",
            "methodology": "Revisión documental, análisis de los instrumentos aprobados y entrevistas con enlaces.",
            "questions": "¿Avanzan las líneas de acción al ritmo previsto?\n¿Reportan las instituciones a tiempo?",
        },
        node_ids=[node.pk for node in axes],
    )
    services.add_document(
        by=analyst,
        evaluation=evaluation,
        role="terms",
        upload=SimpleUploadedFile("terminos_de_referencia.pdf", b"%PDF-1.4 demo TdR", "application/pdf"),
    )
    first = services.save_finding(
        by=analyst,
        evaluation=evaluation,
        kind="finding",
        text="La atención consular a personas retornadas avanza por debajo de lo previsto.",
        node_ids=[axes[0].pk] if axes else [],
        indicator_ids=[indicators[0].pk] if indicators else [],
    )
    second = services.save_finding(
        by=analyst,
        evaluation=evaluation,
        kind="finding",
        text="La mitad de las instituciones envía su instrumento después del cierre del periodo.",
        indicator_ids=[indicators[1].pk] if len(indicators) > 1 else [],
    )
    services.save_finding(
        by=analyst,
        evaluation=evaluation,
        kind="conclusion",
        text="La coordinación interinstitucional funciona, pero necesita plazos y responsables claros.",
    )
    r1 = services.save_recommendation(
        by=analyst,
        evaluation=evaluation,
        text="Fortalecer la capacitación del personal consular en la atención a personas retornadas.",
        priority="high",
        scope="one",
        institution_ids=[minex.pk],
        node_ids=[axes[0].pk] if axes else [],
        finding_ids=[first.pk],
    )
    services.save_recommendation(
        by=analyst,
        evaluation=evaluation,
        text="Designar un responsable del reporte en cada institución y enviar el instrumento antes del cierre.",
        priority="medium",
        scope="several",
        institution_ids=[minex.pk, mingob.pk],
        finding_ids=[second.pk],
    )
    services.change_evaluation_status(by=analyst, evaluation=evaluation, to=EvaluationStatus.IN_PROGRESS)
    services.change_evaluation_status(by=analyst, evaluation=evaluation, to=EvaluationStatus.CONCLUDED)

    response = Response.objects.get(recommendation=r1, institution=minex)
    response = services.save_answer(
        by=technical, response=response, decision="accepted", justification="", version=response.version
    )
    plan = [
        ("Diseñar y ejecutar un curso de atención a personas retornadas.", -30, 60),
        ("Publicar un protocolo de atención consular actualizado.", -60, -5),
    ]
    for description, start, due in plan:
        services.save_plan_action(
            by=technical,
            response=response,
            values={
                "description": description,
                "responsible_area": "Dirección de Asuntos Consulares",
                "starts_on": today + dt.timedelta(days=start),
                "due_on": today + dt.timedelta(days=due),
                "expected_result": "Personal consular con criterios comunes de atención.",
                "verification_means": "Listas de asistencia y protocolo publicado.",
            },
        )
    response.refresh_from_db()
    services.submit_response(by=technical, response=response)
    services.sign_off_response(by=planning, response=response)
    services.validate_response(by=analyst, response=response)
    course = response.actions.order_by("number").first()
    assert course is not None
    services.report_progress(
        by=technical,
        action=course,
        values={"status": "in_progress", "percent": Decimal(40), "progress_note": "Dos de cinco módulos impartidos."},
        version=course.version,
    )
    services.create_evaluation(
        by=analyst,
        policy=policy,
        values={
            "title": "Evaluación de resultados del eje de retorno y reintegración",
            "kind": "results",
            "moment": "final",
            "plan_year": today.year + 1,
            "evaluator_kind": "external",
            "evaluator_name": "Equipo consultor externo",
            "planned_start": dt.date(today.year + 1, 2, 1),
            "planned_end": dt.date(today.year + 1, 7, 31),
        },
        node_ids=[axes[-1].pk] if axes else [],
    )
    return evaluation
