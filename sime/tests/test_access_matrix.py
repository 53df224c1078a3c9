"""The authorisation matrix: every URL pattern × every role gets exactly what the rules allow.

The list of patterns is read from the URLconf, so a new view without a row here fails
`test_every_url_pattern_has_a_row`, and a view class without a rule fails
`test_every_view_names_its_rule`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sime.conftest import Cast
from sime.institutions.models import FocalPoint

ROLES = ["anon", "admin", "analyst", "technical", "planning", "authority", "cooperant", "outsider"]


def row(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


ALL_SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200, 200)
ADMIN_ONLY = row(302, 200, 403, 403, 403, 403, 403, 403)
DEPM_ONLY = row(302, 200, 200, 403, 403, 403, 403, 403)
# Edit pages of the focal points' own institution: DEPM edits, the institution's people are
# refused (403), people of other institutions do not learn it exists (404).
DEPM_EDIT_OF_HOME = row(302, 200, 200, 403, 403, 403, 404, 404)
API_SIGNED_IN = row(401, 200, 200, 200, 200, 200, 200, 200)
PUBLIC_AND_SIGNED_IN = row(200, 200, 200, 200, 200, 200, 200, 200)
PROJECT_READ = row(302, 200, 200, 404, 404, 200, 200, 404)
PROJECT_WRITE = row(302, 200, 200, 404, 404, 403, 403, 404)
# Projects are looked up among the user's own first: outside them (focal points) a 404.
API_PROJECT_READ = row(401, 200, 200, 404, 404, 200, 200, 404)
# Monitoring reads approved figures policy-wide: DEPM, Autoridad and linked institutions' focal points.
MONITORING_READ = row(302, 200, 200, 200, 200, 200, 403, 200)
API_PROJECT_NONE = row(401, 404, 404, 404, 404, 404, 404, 404)  # no such consultancy/agreement


def _home_focal_point(cast: Cast) -> dict[str, Any]:
    return {"pk": FocalPoint.objects.get(user=cast.technical).pk}


def _home(cast: Cast) -> dict[str, Any]:
    return {"pk": cast.home.pk}


# Reporting: an instrument belongs to MINEX (home). People of other institutions get a 404;
# a POST-only view answers 405 to a GET from someone its rule lets in.
SUBMISSION_READ = row(302, 200, 200, 200, 200, 200, 404, 404)
SUBMISSION_FILL_PAGE = row(302, 403, 403, 200, 200, 403, 404, 404)
SUBMISSION_FILL_POST = row(302, 403, 403, 405, 405, 403, 404, 404)
SUBMISSION_REVIEW_POST = row(302, 405, 405, 403, 403, 403, 404, 404)
DEPM_AND_AUTHORITY = row(302, 200, 200, 403, 403, 200, 403, 403)
API_SUBMISSION_READ = row(401, 200, 200, 200, 200, 200, 404, 404)
API_POST_ONLY = row(401, 405, 405, 405, 405, 405, 405, 405)


EVALUATION_API_READ = row(401, 200, 200, 403, 403, 200, 403, 403)
EVALUATION_API_NONE = row(401, 404, 404, 403, 403, 404, 403, 403)
RESPONSE_API_LIST = row(401, 200, 200, 200, 200, 200, 403, 200)
API_ALL_NONE = row(401, 404, 404, 404, 404, 404, 404, 404)


def _publication(cast: Cast) -> dict[str, Any]:
    from django.utils import timezone

    from sime.public.models import Publication

    publication = Publication.objects.create(
        kind="period", period=cast.period, published_at=timezone.now(), published_by=cast.analyst
    )
    return {"pk": publication.pk}


def _published_evaluation(cast: Cast) -> Any:
    from sime.evaluation import services
    from sime.evaluation.tests.factories import conclude, make_evaluation

    evaluation = conclude(cast, make_evaluation(cast))
    return services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="published")


def _public_document(cast: Cast) -> dict[str, Any]:
    from sime.evaluation import services
    from sime.evaluation.tests.factories import pdf

    evaluation = _published_evaluation(cast)
    return {"pk": services.add_document(by=cast.analyst, evaluation=evaluation, role="report", upload=pdf()).pk}


def _none(cast: Cast) -> dict[str, Any]:
    return {"pk": 0}


def _submission(cast: Cast) -> dict[str, Any]:
    return {"pk": cast.submission.pk}


def _action_item(cast: Cast) -> dict[str, Any]:
    return {"pk": cast.submission.pk, "item_pk": cast.action_item.pk}


# Monitoring: DEPM, Autoridad and focal points read the approved figures; cooperants keep to their
# projects (403); another institution's performance page is a 404 for focal points.
MONITORING = row(302, 200, 200, 200, 200, 200, 403, 200)
INSTITUTION_PERFORMANCE = row(302, 200, 200, 200, 200, 200, 403, 404)

PDF = b"%PDF-1.4 memoria"
# A POST-only page: DEPM's GET is refused as a method, the others' by the rule or the scope.
PROJECT_POST_ONLY = row(302, 405, 405, 404, 404, 403, 403, 404)


def _activity(cast: Cast) -> dict[str, Any]:
    return {"pk": cast.project.pk, "activity_pk": cast.activity.pk}


def _participant(cast: Cast) -> dict[str, Any]:
    from sime.activities.services import add_participant

    participant = add_participant(by=None, activity=cast.activity, name="Ana López", sex="woman")
    return {**_activity(cast), "participant_pk": participant.pk}


def _evidence(cast: Cast) -> dict[str, Any]:
    from sime.activities.services import add_activity_evidence

    evidence = add_activity_evidence(
        by=None, activity=cast.activity, kind="memoria", document=SimpleUploadedFile("memoria.pdf", PDF)
    )
    return {"pk": cast.project.pk, "evidence_pk": evidence.pk}


def _verification(cast: Cast) -> dict[str, Any]:
    from sime.activities.services import add_means_of_verification

    item = add_means_of_verification(
        by=None, project=cast.project, title="Memoria de labores", document=SimpleUploadedFile("m.pdf", PDF)
    )
    return {"pk": cast.project.pk, "item_pk": item.pk}


def _consultancy(cast: Cast) -> dict[str, Any]:
    from sime.activities.tests.factories import make_consultancy

    return {"pk": cast.project.pk, "consultancy_pk": make_consultancy(cast.project).pk}


def _deliverable(cast: Cast) -> dict[str, Any]:
    from sime.activities.models import Deliverable
    from sime.activities.services import attach_deliverable_file
    from sime.activities.tests.factories import make_consultancy

    make_consultancy(cast.project)
    deliverable = Deliverable.objects.select_related("assignment__consultancy").get()
    attach_deliverable_file(by=None, deliverable=deliverable, document=SimpleUploadedFile("informe.pdf", PDF))
    return {"pk": cast.project.pk, "deliverable_pk": deliverable.pk}


def _agreement(cast: Cast) -> dict[str, Any]:
    from sime.activities.services import save_agreement

    agreement = save_agreement(by=None, project=cast.project, text="Enviar la memoria a la OIM")
    return {"pk": cast.project.pk, "agreement_pk": agreement.pk}


# Evaluation: DEPM records and validates, the Autoridad reads; a response belongs to MINEX (home),
# so other institutions' people (MINGOB's focal point, the Cooperante) get a 404 on it.
EVALUATION_POST = row(302, 405, 405, 403, 403, 403, 403, 403)
OWN_RECOMMENDATIONS = row(302, 403, 403, 200, 200, 403, 403, 200)
RESPONSE_STEP_POST = row(302, 405, 405, 405, 405, 405, 404, 404)


def _evaluation(cast: Cast) -> dict[str, Any]:
    from sime.evaluation import services

    evaluation = services.create_evaluation(
        by=cast.analyst,
        policy=cast.policy,
        values={
            "title": "Evaluación de proceso",
            "kind": "process",
            "plan_year": 2026,
            "evaluator_kind": "internal",
            "planned_start": dt.date(2026, 3, 1),
            "planned_end": dt.date(2026, 9, 30),
        },
    )
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Acelerar.",
        priority="high",
        scope="one",
        institution_ids=[cast.home.pk],
    )
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="in_progress")
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="concluded")
    return {"pk": evaluation.pk}


def _evaluation_document(cast: Cast) -> dict[str, Any]:
    from sime.evaluation import services
    from sime.evaluation.models import Evaluation

    evaluation = Evaluation.objects.get(pk=_evaluation(cast)["pk"])
    document = services.add_document(
        by=cast.analyst, evaluation=evaluation, role="report", upload=SimpleUploadedFile("informe.pdf", PDF)
    )
    return {"pk": evaluation.pk, "document_pk": document.pk}


def _finding(cast: Cast) -> dict[str, Any]:
    from sime.evaluation import services
    from sime.evaluation.models import Evaluation

    evaluation = Evaluation.objects.get(pk=_evaluation(cast)["pk"])
    finding = services.save_finding(by=cast.analyst, evaluation=evaluation, kind="finding", text="Lento.")
    return {"pk": evaluation.pk, "finding_pk": finding.pk}


def _recommendation(cast: Cast) -> dict[str, Any]:
    from sime.evaluation.models import Recommendation

    evaluation_pk = _evaluation(cast)["pk"]
    return {"pk": evaluation_pk, "recommendation_pk": Recommendation.objects.get(evaluation_id=evaluation_pk).pk}


def _response(cast: Cast) -> dict[str, Any]:
    from sime.evaluation.models import Response

    _evaluation(cast)
    return {"pk": Response.objects.get(institution=cast.home).pk}


def _improvement_action(cast: Cast) -> dict[str, Any]:
    from sime.evaluation.models import ImprovementAction, Response

    response = Response.objects.get(pk=_response(cast)["pk"])
    action = ImprovementAction.objects.create(
        response=response,
        number=1,
        description="Capacitar.",
        responsible_area="Consulares",
        starts_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 12, 31),
        expected_result="Personal capacitado.",
        verification_means="Listas.",
    )
    return {"pk": response.pk, "action_pk": action.pk}


def _action_evidence(cast: Cast) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from sime.evaluation.models import ActionEvidence

    kwargs = _improvement_action(cast)
    evidence = ActionEvidence(
        action_id=kwargs["action_pk"], original_name="listas.pdf", kind="pdf", size=len(PDF), uploaded_by=cast.technical
    )
    evidence.file.save("listas.pdf", ContentFile(PDF), save=False)
    evidence.save()
    return {"pk": kwargs["pk"], "evidence_pk": evidence.pk}


def _response_step(cast: Cast) -> dict[str, Any]:
    return {**_response(cast), "step": "submit"}


def _closure(cast: Cast) -> dict[str, Any]:
    return {**_improvement_action(cast), "verdict": "validar"}


# Notifications: everyone signed in has their own; opening one is for its recipient only (MINEX's
# técnica here, sent on to the instrument), anyone else's is a 404 whatever their role.
NOTIFICATION_OPEN = row(302, 404, 404, 302, 404, 404, 404, 404)


def _notification(cast: Cast) -> dict[str, Any]:
    from sime.notifications.models import Notification
    from sime.notifications.services import notify

    path = reverse("reporting:submission-detail", kwargs={"pk": cast.submission.pk})
    notify(recipients=[cast.technical], kind="returned", text="Devuelto.", url=path, key="matrix")
    return {"pk": Notification.objects.get(recipient=cast.technical).pk}


# url name → (kwargs for reverse, expected status per role) for a GET.
MATRIX: dict[str, tuple[Callable[[Cast], dict[str, Any]] | None, dict[str, int]]] = {
    # `/`: the public portal's home for visitors, each person's own home once signed in.
    "home": (None, PUBLIC_AND_SIGNED_IN),
    "public:publication-list": (None, DEPM_AND_AUTHORITY),
    "portal:policy": (None, PUBLIC_AND_SIGNED_IN),
    "portal:evaluation-list": (None, PUBLIC_AND_SIGNED_IN),
    "portal:search": (None, PUBLIC_AND_SIGNED_IN),
    "portal:cooperation": (None, PUBLIC_AND_SIGNED_IN),
    "portal:evaluation": (lambda c: {"pk": _published_evaluation(c).pk}, PUBLIC_AND_SIGNED_IN),
    "portal:evaluation-document": (_public_document, PUBLIC_AND_SIGNED_IN),
    "portal:institution-list": (None, PUBLIC_AND_SIGNED_IN),
    "portal:institution": (_home, PUBLIC_AND_SIGNED_IN),
    "sitemap": (None, PUBLIC_AND_SIGNED_IN),
    "robots": (None, PUBLIC_AND_SIGNED_IN),
    "portal:indicator": (lambda c: {"pk": c.indicator.pk}, PUBLIC_AND_SIGNED_IN),
    # Open data: the page, every dataset's files and dictionaries, and the data.json catalogue.
    "opendata:dataset-list": (None, PUBLIC_AND_SIGNED_IN),
    "opendata:catalogue": (None, PUBLIC_AND_SIGNED_IN),
    "opendata:dataset-download": (lambda c: {"dataset": "valores-indicadores", "fmt": "csv"}, PUBLIC_AND_SIGNED_IN),
    "opendata:dictionary-download": (
        lambda c: {"dataset": "valores-indicadores", "fmt": "json"},
        PUBLIC_AND_SIGNED_IN,
    ),
    "public:publish": (lambda c: {"kind": "period", "pk": c.period.pk}, row(302, 405, 405, 403, 403, 403, 403, 403)),
    "public:unpublish": (_publication, DEPM_ONLY),
    "analytics:dashboard": (None, MONITORING),
    "analytics:node-progress": (lambda c: {"pk": c.action_node.pk}, MONITORING),
    "analytics:indicator-progress": (lambda c: {"pk": c.indicator.pk}, MONITORING),
    "analytics:institution-performance": (_home, INSTITUTION_PERFORMANCE),
    "analytics:iptt": (None, MONITORING),
    "analytics:iptt-xlsx": (None, MONITORING),
    "analytics:iptt-csv": (None, MONITORING),
    "analytics:department-map": (None, MONITORING),
    "analytics:alignment": (None, MONITORING),
    "accounts:login": (None, row(200, 302, 302, 302, 302, 302, 302, 302)),
    # Logging out is a POST; a GET is refused for everyone signed in.
    "accounts:logout": (None, row(302, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:profile": (None, ALL_SIGNED_IN),
    "accounts:password-change": (None, ALL_SIGNED_IN),
    "accounts:password-reset": (None, PUBLIC_AND_SIGNED_IN),
    "accounts:password-reset-done": (None, PUBLIC_AND_SIGNED_IN),
    "accounts:password-reset-confirm": (lambda c: {"uidb64": "MQ", "token": "no-valido"}, PUBLIC_AND_SIGNED_IN),
    "accounts:password-reset-complete": (None, PUBLIC_AND_SIGNED_IN),
    "accounts:user-list": (None, ADMIN_ONLY),
    "accounts:user-create": (None, ADMIN_ONLY),
    "accounts:user-update": (lambda c: {"pk": c.technical.pk}, ADMIN_ONLY),
    "institutions:institution-list": (None, ALL_SIGNED_IN),
    "institutions:institution-create": (None, DEPM_ONLY),
    # Focal points and cooperants are sent to their own institution's page.
    "institutions:institution-mine": (None, row(302, 403, 403, 302, 302, 403, 302, 302)),
    "institutions:institution-detail": (_home, ALL_SIGNED_IN),
    "institutions:institution-update": (_home, DEPM_EDIT_OF_HOME),
    "institutions:institution-contact": (_home, row(302, 200, 200, 200, 200, 403, 404, 404)),
    "institutions:focalpoint-create": (_home, DEPM_EDIT_OF_HOME),
    "institutions:focalpoint-end": (_home_focal_point, DEPM_EDIT_OF_HOME),
    "institutions:focalpoint-document": (_home_focal_point, row(302, 200, 200, 200, 200, 403, 404, 404)),
    "core:audit-list": (None, ADMIN_ONLY),
    "notifications:notification-list": (None, ALL_SIGNED_IN),
    "notifications:notification-menu": (None, ALL_SIGNED_IN),
    "notifications:notification-open": (_notification, NOTIFICATION_OPEN),
    # Marking all as read is a POST; a GET is refused for everyone signed in.
    "notifications:notification-mark-all-read": (None, row(302, 405, 405, 405, 405, 405, 405, 405)),
    # Django's set_language answers a GET with a redirect back; it changes nothing.
    "core:set-language": (None, row(302, 302, 302, 302, 302, 302, 302, 302)),
    "policy:policy-list": (None, ALL_SIGNED_IN),
    "policy:policy-detail": (lambda c: {"code": c.policy.code}, ALL_SIGNED_IN),
    "policy:policy-tree": (lambda c: {"code": c.policy.code}, ALL_SIGNED_IN),
    "policy:policy-network": (lambda c: {"code": c.policy.code}, ALL_SIGNED_IN),
    "policy:node-detail": (lambda c: {"pk": c.action_node.pk}, ALL_SIGNED_IN),
    "policy:indicator-detail": (lambda c: {"pk": c.indicator.pk}, ALL_SIGNED_IN),
    "policy:indicator-pdf": (lambda c: {"pk": c.indicator.pk}, ALL_SIGNED_IN),
    # The framework is not institution-scoped: everyone reads it, DEPM edits it.
    "policy:node-update": (lambda c: {"pk": c.action_node.pk}, DEPM_ONLY),
    "policy:node-create": (lambda c: {"pk": c.action_node.parent_id}, DEPM_ONLY),
    "policy:action-update": (lambda c: {"pk": c.action_node.pk}, DEPM_ONLY),
    "policy:causallink-create": (lambda c: {"pk": c.action_node.pk}, DEPM_ONLY),
    "policy:indicator-create": (lambda c: {"pk": c.action_node.pk}, DEPM_ONLY),
    "policy:indicator-update": (lambda c: {"pk": c.indicator.pk}, DEPM_ONLY),
    # Removing a link is a POST; DEPM's GET is refused as a method, the others' by the rule.
    "policy:causallink-delete": (lambda c: {"pk": c.causal_link.pk}, row(302, 405, 405, 403, 403, 403, 403, 403)),
    "policy:commitments": (None, row(302, 403, 403, 200, 200, 403, 403, 200)),
    "policy:framework-export": (lambda c: {"code": c.policy.code}, ALL_SIGNED_IN),
    "policy:framework-import": (None, DEPM_ONLY),
    "policy:thresholds-update": (lambda c: {"code": c.policy.code}, ADMIN_ONLY),
    "institutions:planning-exemption": (_home, row(302, 405, 403, 403, 403, 403, 403, 403)),
    "reporting:period-list": (None, row(302, 200, 200, 200, 200, 200, 403, 200)),
    "reporting:period-create": (None, DEPM_ONLY),
    "reporting:period-detail": (lambda c: {"pk": c.period.pk}, DEPM_AND_AUTHORITY),
    "reporting:completeness-xlsx": (lambda c: {"pk": c.period.pk}, DEPM_AND_AUTHORITY),
    "reporting:period-open": (lambda c: {"pk": c.period.pk}, row(302, 405, 405, 403, 403, 403, 403, 403)),
    "reporting:period-close": (lambda c: {"pk": c.period.pk}, row(302, 405, 405, 403, 403, 403, 403, 403)),
    "reporting:submission-list": (None, row(302, 200, 200, 200, 200, 200, 403, 200)),
    "reporting:submission-detail": (_submission, SUBMISSION_READ),
    "reporting:instrument-xlsx": (_submission, SUBMISSION_READ),
    "reporting:action-save": (_action_item, SUBMISSION_FILL_POST),
    "reporting:indicator-save": (
        lambda c: {"pk": c.submission.pk, "item_pk": c.indicator_item.pk},
        SUBMISSION_FILL_POST,
    ),
    "reporting:sign-technical": (_submission, row(302, 403, 403, 405, 403, 403, 404, 404)),
    "reporting:sign-planning": (_submission, row(302, 403, 403, 403, 405, 403, 404, 404)),
    "reporting:send": (_submission, SUBMISSION_FILL_POST),
    "reporting:start-review": (_submission, SUBMISSION_REVIEW_POST),
    "reporting:approve": (_submission, SUBMISSION_REVIEW_POST),
    "reporting:return": (_submission, row(302, 200, 200, 403, 403, 403, 404, 404)),
    "reporting:reopen": (_submission, row(302, 200, 403, 403, 403, 403, 404, 404)),
    "reporting:instrument-upload": (_submission, SUBMISSION_FILL_PAGE),
    "reporting:instrument-upload-confirm": (_submission, SUBMISSION_FILL_POST),
    "reporting:evidence-upload": (_submission, SUBMISSION_FILL_POST),
    "reporting:evidence-delete": (
        lambda c: {"pk": c.submission.pk, "evidence_pk": c.evidence.pk},
        SUBMISSION_FILL_POST,
    ),
    "reporting:evidence-download": (lambda c: {"pk": c.evidence.pk}, SUBMISSION_READ),
    "activities:project-list": (None, row(302, 200, 200, 403, 403, 200, 200, 403)),
    # Projects are scoped by funding agency: the cooperant sees its agency's, focal points none.
    "activities:project-detail": (lambda c: {"pk": c.project.pk}, PROJECT_READ),
    "documents:project-report-docx": (lambda c: {"pk": c.project.pk}, PROJECT_READ),
    "documents:project-report-pdf": (lambda c: {"pk": c.project.pk}, PROJECT_READ),
    "monitoring:report-docx": (None, MONITORING_READ),
    "monitoring:report-pdf": (None, MONITORING_READ),
    "activities:project-create": (None, DEPM_ONLY),
    "activities:project-update": (lambda c: {"pk": c.project.pk}, PROJECT_WRITE),
    "activities:activity-create": (lambda c: {"pk": c.project.pk}, PROJECT_WRITE),
    "activities:activity-update": (lambda c: {"pk": c.project.pk, "activity_pk": c.activity.pk}, PROJECT_WRITE),
    "activities:consultancy-create": (lambda c: {"pk": c.project.pk}, PROJECT_WRITE),
    "activities:consultancy-update": (_consultancy, PROJECT_WRITE),
    "activities:agreement-create": (lambda c: {"pk": c.project.pk}, PROJECT_WRITE),
    "activities:agreement-update": (_agreement, PROJECT_WRITE),
    # Reach across projects: like the project list (a Cooperante's figures cover its agency's projects).
    "activities:socialization-reach": (None, row(302, 200, 200, 403, 403, 200, 200, 403)),
    # Participants are personal data: DEPM only; the Autoridad and the funding Cooperante are refused.
    "activities:participant-list": (_activity, PROJECT_WRITE),
    "activities:participant-import": (_activity, PROJECT_WRITE),
    "activities:participant-delete": (_participant, PROJECT_POST_ONLY),
    "activities:participant-template": (None, DEPM_ONLY),
    # Evidence files: uploaded and deleted by DEPM, downloaded by whoever sees the project.
    "activities:evidence-create": (_activity, PROJECT_WRITE),
    "activities:evidence-file": (_evidence, PROJECT_READ),
    "activities:evidence-delete": (_evidence, PROJECT_POST_ONLY),
    "activities:verification-create": (lambda c: {"pk": c.project.pk}, PROJECT_WRITE),
    "activities:verification-file": (_verification, PROJECT_READ),
    "activities:verification-delete": (_verification, PROJECT_POST_ONLY),
    "activities:deliverable-file-upload": (_deliverable, PROJECT_WRITE),
    "activities:deliverable-file": (_deliverable, PROJECT_READ),
    "activities:deliverable-file-delete": (_deliverable, PROJECT_POST_ONLY),
    "api:institution-list": (None, API_SIGNED_IN),
    "api:project-list": (None, row(401, 200, 200, 403, 403, 200, 200, 403)),
    "api:project-detail": (lambda c: {"pk": c.project.pk}, API_PROJECT_READ),
    "api:project-summary": (lambda c: {"pk": c.project.pk}, API_PROJECT_READ),
    "api:project-report-docx": (lambda c: {"pk": c.project.pk}, API_PROJECT_READ),
    "api:project-report-pdf": (lambda c: {"pk": c.project.pk}, API_PROJECT_READ),
    "api:project-activity-list": (lambda c: {"project_pk": c.project.pk}, API_PROJECT_READ),
    "api:project-activity-detail": (lambda c: {"project_pk": c.project.pk, "pk": c.activity.pk}, API_PROJECT_READ),
    "api:project-consultancy-list": (lambda c: {"project_pk": c.project.pk}, API_PROJECT_READ),
    "api:project-consultancy-detail": (lambda c: {"project_pk": c.project.pk, "pk": 0}, API_PROJECT_NONE),
    "api:project-agreement-list": (lambda c: {"project_pk": c.project.pk}, API_PROJECT_READ),
    "api:project-agreement-detail": (lambda c: {"project_pk": c.project.pk, "pk": 0}, API_PROJECT_NONE),
    "api:period-list": (None, row(401, 200, 200, 200, 200, 200, 403, 200)),
    "api:period-detail": (lambda c: {"pk": c.period.pk}, row(401, 200, 200, 200, 200, 200, 403, 200)),
    "api:period-open": (lambda c: {"pk": c.period.pk}, API_POST_ONLY),
    "api:period-close": (lambda c: {"pk": c.period.pk}, API_POST_ONLY),
    "api:submission-list": (None, row(401, 200, 200, 200, 200, 200, 403, 200)),
    # Evaluation API: DEPM and Autoridad read evaluations and recommendations (focal points read their
    # responses); the reporting cast has no evaluation, so detail rows ask for pk 0 (a 404 once let in).
    "api:evaluation-list": (None, EVALUATION_API_READ),
    "api:evaluation-detail": (_none, EVALUATION_API_NONE),
    "api:evaluation-status": (_none, API_POST_ONLY),
    "api:recommendation-list": (None, EVALUATION_API_READ),
    "api:recommendation-detail": (_none, EVALUATION_API_NONE),
    "api:response-list": (None, RESPONSE_API_LIST),
    "api:response-detail": (_none, API_ALL_NONE),
    "api:response-answer": (_none, API_POST_ONLY),
    "api:response-submit": (_none, API_POST_ONLY),
    "api:response-sign-off": (_none, API_POST_ONLY),
    "api:response-send-back": (_none, API_POST_ONLY),
    "api:response-validate": (_none, API_POST_ONLY),
    "api:response-return": (_none, API_POST_ONLY),
    "api:improvement-action-list": (None, RESPONSE_API_LIST),
    "api:improvement-action-detail": (_none, API_ALL_NONE),
    "api:improvement-action-progress": (_none, API_POST_ONLY),
    "api:improvement-action-validate-closure": (_none, API_POST_ONLY),
    "api:improvement-action-return-closure": (_none, API_POST_ONLY),
    "api:submission-detail": (_submission, API_SUBMISSION_READ),
    "api:submission-sign-technical": (_submission, API_POST_ONLY),
    "api:submission-sign-planning": (_submission, API_POST_ONLY),
    "api:submission-send": (_submission, API_POST_ONLY),
    "api:submission-start-review": (_submission, API_POST_ONLY),
    "api:submission-approve": (_submission, API_POST_ONLY),
    "api:submission-return": (_submission, API_POST_ONLY),
    "api:submission-reopen": (_submission, API_POST_ONLY),
    "api:submission-action": (_action_item, API_SUBMISSION_READ),
    "api:submission-indicator": (
        lambda c: {"pk": c.submission.pk, "item_pk": c.indicator_item.pk},
        API_SUBMISSION_READ,
    ),
    "api:submission-instrument": (_submission, API_SUBMISSION_READ),
    "api:institution-detail": (_home, API_SIGNED_IN),
    # PATCH only (the matrix GETs); who may PATCH is tested beside the contact page, which it mirrors.
    "api:institution-contact": (_home, API_POST_ONLY),
    "api:me": (None, API_SIGNED_IN),
    "api:policy-list": (None, API_SIGNED_IN),
    "api:policy-detail": (lambda c: {"code": c.policy.code}, API_SIGNED_IN),
    "api:policy-tree": (lambda c: {"code": c.policy.code}, API_SIGNED_IN),
    "api:node-list": (None, API_SIGNED_IN),
    "api:node-detail": (lambda c: {"pk": c.action_node.pk}, API_SIGNED_IN),
    "api:indicator-list": (None, API_SIGNED_IN),
    "api:indicator-detail": (lambda c: {"pk": c.indicator.pk}, API_SIGNED_IN),
    "api:causallink-list": (None, API_SIGNED_IN),
    "api:causallink-detail": (lambda c: {"pk": c.causal_link.pk}, API_SIGNED_IN),
    # Monitoring (approved data): DEPM, Autoridad and focal points; a Cooperante is refused.
    "api:policy-progress": (lambda c: {"code": c.policy.code}, row(401, 200, 200, 200, 200, 200, 403, 200)),
    "api:indicator-progress": (lambda c: {"pk": c.indicator.pk}, row(401, 200, 200, 200, 200, 200, 403, 200)),
    "api:node-progress": (lambda c: {"pk": c.action_node.pk}, row(401, 200, 200, 200, 200, 200, 403, 200)),
    "api:iptt": (None, row(401, 200, 200, 200, 200, 200, 403, 200)),
    # MINEX's own figures: its focal points see them, another institution's focal point gets a 404.
    "api:institution-progress": (_home, row(401, 200, 200, 200, 200, 200, 403, 404)),
    "api:schema": (None, API_SIGNED_IN),
    "api:docs": (None, ALL_SIGNED_IN),
    # Evaluation: DEPM records, the Autoridad reads; institutions answer their own recommendations.
    "evaluation:plan": (None, DEPM_AND_AUTHORITY),
    "evaluation:board": (None, DEPM_AND_AUTHORITY),
    "evaluation:evaluation-create": (None, DEPM_ONLY),
    "evaluation:evaluation-detail": (_evaluation, DEPM_AND_AUTHORITY),
    "evaluation:evaluation-update": (_evaluation, DEPM_ONLY),
    "evaluation:evaluation-status": (_evaluation, EVALUATION_POST),
    "evaluation:document-upload": (_evaluation, EVALUATION_POST),
    "evaluation:document-download": (_evaluation_document, DEPM_AND_AUTHORITY),
    "evaluation:document-delete": (_evaluation_document, EVALUATION_POST),
    "evaluation:finding-create": (_evaluation, DEPM_ONLY),
    "evaluation:finding-update": (_finding, DEPM_ONLY),
    "evaluation:finding-delete": (_finding, EVALUATION_POST),
    "evaluation:recommendation-create": (_evaluation, DEPM_ONLY),
    "evaluation:recommendation-update": (_recommendation, DEPM_ONLY),
    "evaluation:own-recommendations": (None, OWN_RECOMMENDATIONS),
    "evaluation:response": (_response, SUBMISSION_READ),
    "evaluation:response-answer": (_response, SUBMISSION_FILL_POST),
    "evaluation:plan-action-create": (_response, SUBMISSION_FILL_POST),
    "evaluation:plan-action-update": (_improvement_action, SUBMISSION_FILL_POST),
    "evaluation:response-step": (_response_step, RESPONSE_STEP_POST),
    "evaluation:action-progress": (_improvement_action, SUBMISSION_FILL_POST),
    "evaluation:action-evidence": (_improvement_action, SUBMISSION_FILL_POST),
    "evaluation:action-evidence-download": (_action_evidence, SUBMISSION_READ),
    "evaluation:action-closure": (_closure, SUBMISSION_REVIEW_POST),
    "evaluation:followup-report-docx": (_evaluation, DEPM_AND_AUTHORITY),
    "evaluation:followup-report-pdf": (_evaluation, DEPM_AND_AUTHORITY),
    "evaluation:followup-board-xlsx": (None, DEPM_AND_AUTHORITY),
}

# Namespaces tested elsewhere: the Django admin has its own login (test_admin_site_is_for_administradores).
EXCLUDED_NAMESPACES = {"admin"}


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            found += _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}:{entry.name}".strip(":"), entry.callback))
    return found


def url_patterns() -> dict[str, Any]:
    return {
        name: callback
        for name, callback in _walk(get_resolver().url_patterns)
        if name.split(":")[0] not in EXCLUDED_NAMESPACES
    }


def test_every_url_pattern_has_a_row() -> None:
    missing = sorted(set(url_patterns()) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(url_patterns()))
    assert missing == [], f"URL patterns without an access rule in MATRIX: {missing}"
    assert stale == [], f"MATRIX rows for URL patterns that no longer exist: {stale}"


# Views that are open on purpose (login and password recovery), judged by Django itself.
OPEN_VIEWS = {
    "accounts:login",
    "accounts:logout",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "core:set-language",
}


def test_every_view_names_its_rule() -> None:
    from rules import perm_exists

    for name, callback in url_patterns().items():
        if name in OPEN_VIEWS:
            continue
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        assert view_class is not None, f"{name}: function views cannot declare a rule"
        rule = getattr(view_class, "permission_required", None)
        mapping = getattr(view_class, "permission_map", None)
        assert rule or mapping, f"{name}: {view_class.__name__} names no permission rule"
        for rule_name in [rule] if rule else mapping.values():
            assert perm_exists(rule_name), f"{name}: rule {rule_name!r} is not registered"


@pytest.fixture
def document(cast: Cast) -> None:
    focal_point = FocalPoint.objects.get(user=cast.technical)
    focal_point.designation_document = SimpleUploadedFile("oficio.pdf", b"%PDF-1.4 oficio", "application/pdf")
    focal_point.save()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(name: str, reporting: Cast, document: None) -> None:
    cast = reporting
    kwargs_for, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(cast) if kwargs_for else None)
    people = cast.by_role()
    actual = {}
    for role in ROLES:
        client = Client()
        if role != "anon":
            client.force_login(people[role])
        actual[role] = client.get(url).status_code
    assert actual == expected, f"{name} ({url})"


def test_admin_site_is_for_administradores(cast: Cast) -> None:
    for user, expected in [(cast.admin, 200), (cast.analyst, 302), (cast.technical, 302)]:
        client = Client()
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == expected
        assert client.get(reverse("admin:institutions_department_changelist")).status_code == expected
    assert Client().get(reverse("admin:index")).status_code == 302
