"""The whole API against its own OpenAPI schema, with Schemathesis: no server error, and every
documented answer shaped as documented.

The schema is the one the app serves (/api/schema/), so it describes the database in use (integer
ranges differ between SQLite and PostgreSQL). Every operation is called with a bounded number of
valid and invalid requests, as an Administrador (who may do everything) and as an Enlace técnico
(who sees their institution's data only). Path ids are either those of the objects built below, so
that the handlers run past the lookup, or generated. Each example runs in a savepoint rolled back
afterwards: every call starts from the same data, whatever the previous one created or approved.
No operation is excluded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from sime.activities import services as activity_services
from sime.activities.tests.factories import make_consultancy
from sime.evaluation.tests.factories import action_in
from sime.evaluation.workflow import Closure
from sime.policy.models import PolicyNode

pytestmark = pytest.mark.django_db

# Per operation and role: about a minute for the whole test on two cores (97 operations × 2 roles).
SETTINGS = hypothesis.settings(
    max_examples=10,
    derandomize=True,  # the same requests on every run, on every machine
    deadline=None,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # no shrinking: report the first failure
    suppress_health_check=list(hypothesis.HealthCheck),
    print_blob=False,
)
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def in_process() -> Iterator[None]:
    """The WSGI app called in the test's thread and transaction, as Django's test client does:
    the request signals must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(monitoring: Any, settings: Any) -> Any:
    """The `monitoring` cast plus a concluded evaluation whose MINEX response is validated, with
    one improvement action, and a consultancy and an agreement in the project."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the host Schemathesis' WSGI client names
    cast = monitoring
    cast.improvement = action_in(cast, Closure.NONE)
    cast.response = cast.improvement.response
    cast.consultancy = make_consultancy(cast.project)
    cast.agreement = activity_services.save_agreement(
        by=None, project=cast.project, text="Enviar las listas de asistencia.", responsible_person="Ana López"
    )
    return cast


def _ids(cast: Any) -> dict[str, list[dict[str, Any]]]:
    """Real path parameters per path prefix (the longest matching prefix wins)."""
    axis = PolicyNode.objects.get(policy=cast.policy, parent=None)  # a top node: no parent_code
    project = cast.project.pk
    return {
        "/api/v1/institutions/": [{"id": cast.home.pk}, {"id": cast.other.pk}],
        "/api/v1/policies/": [{"code": cast.policy.code}],
        "/api/v1/nodes/": [{"id": cast.action_node.pk}, {"id": axis.pk}],
        "/api/v1/indicators/": [{"id": cast.indicator.pk}],
        "/api/v1/causal-links/": [{"id": cast.causal_link.pk}],
        "/api/v1/periods/": [{"id": cast.period.pk}],
        "/api/v1/submissions/": [{"id": cast.submission.pk}, {"id": cast.other_submission.pk}],
        "/api/v1/submissions/{id}/actions/": [{"id": cast.submission.pk, "item_pk": cast.action_item.pk}],
        "/api/v1/submissions/{id}/indicators/": [{"id": cast.submission.pk, "item_pk": cast.indicator_item.pk}],
        "/api/v1/projects/": [{"id": project, "project_pk": project}],
        "/api/v1/projects/{project_pk}/activities/": [{"project_pk": project, "id": cast.activity.pk}],
        "/api/v1/projects/{project_pk}/consultancies/": [{"project_pk": project, "id": cast.consultancy.pk}],
        "/api/v1/projects/{project_pk}/agreements/": [{"project_pk": project, "id": cast.agreement.pk}],
        "/api/v1/evaluations/": [{"id": cast.response.recommendation.evaluation_id}],
        "/api/v1/recommendations/": [{"id": cast.response.recommendation_id}],
        "/api/v1/responses/": [{"id": cast.response.pk}],
        "/api/v1/improvement-actions/": [{"id": cast.improvement.pk}],
    }


def _strategy(operation: Any, ids: dict[str, list[dict[str, Any]]]) -> Any:
    """Valid and invalid requests (the latter must be refused with a 4xx), on known objects or not."""
    names = {parameter.name for parameter in operation.path_parameters}
    prefix = max((p for p in ids if operation.path.startswith(p)), key=len, default="")
    known = [{k: v for k, v in values.items() if k in names} for values in ids.get(prefix, [])] if names else []
    strategies = []
    for mode in MODES:
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters=v) for v in known if v]
        strategies.append(operation.as_strategy(generation_mode=mode))
    return st.one_of(strategies)


def _failures(schema: Any, ids: dict[str, list[dict[str, Any]]], token: str) -> list[str]:
    headers = {"Authorization": f"Token {token}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @SETTINGS
        @hypothesis.given(case=_strategy(operation, ids))
        def call(case: Any) -> None:
            with transaction.atomic():
                try:
                    case.call_and_validate(headers=headers, checks=CHECKS)
                finally:
                    transaction.set_rollback(True)

        try:
            call()
        except (Exception, FailureGroup) as error:  # failed checks, or the exception behind a server error
            failures.append(f"{operation.label}: {type(error).__name__}: {error}")
    return failures


@pytest.mark.parametrize("role", ["admin", "technical"])
def test_the_api_keeps_to_its_schema(world: Any, in_process: None, role: str) -> None:
    from config.wsgi import application

    tokens = {name: Token.objects.create(user=user).key for name, user in world.by_role().items()}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": f"Token {tokens['admin']}"}
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 98  # guards the loop: every operation of docs/api/openapi.yaml
    failures = _failures(schema, _ids(world), tokens[role])
    assert failures == [], "\n\n".join(failures)
