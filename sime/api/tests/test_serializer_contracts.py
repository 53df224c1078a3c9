"""A serializer asks for what the service it feeds needs.

A field the serializer treats as optional but the service takes as a required keyword was a 500
(TypeError): `POST /api/v1/periods/` without `number`. Each pair below is a serializer and the
service its view calls with the validated data; the view supplies `by` and the objects it looked up.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from rest_framework.fields import empty
from rest_framework.test import APIClient

from sime.evaluation import api as evaluation_api
from sime.evaluation import services as evaluation_services
from sime.policy import api as policy_api
from sime.policy import services as policy_services
from sime.reporting import api as reporting_api
from sime.reporting import services as reporting_services

SUPPLIED_BY_THE_VIEW = {"by", "submission", "response", "action", "evaluation", "period"}

PAIRS = [
    (reporting_api.PeriodSerializer, reporting_services.create_period),
    (reporting_api.ReasonSerializer, reporting_services.reopen_submission),
    (reporting_api.CommentSerializer, reporting_services.approve_submission),
    (reporting_api.ReturnSerializer, reporting_services.return_submission),
    (policy_api.CausalLinkSerializer, policy_services.add_causal_link),
    (evaluation_api.StatusChangeSerializer, evaluation_services.change_evaluation_status),
    (evaluation_api.AnswerSerializer, evaluation_services.save_answer),
    (evaluation_api.ResponseReasonSerializer, evaluation_services.send_back_response),
    (evaluation_api.ResponseCommentSerializer, evaluation_services.validate_response),
    (evaluation_api.ResponseReturnSerializer, evaluation_services.return_response),
    (evaluation_api.ClosureResponseReturnSerializer, evaluation_services.return_closure),
    (evaluation_api.ProgressSerializer, evaluation_services.report_progress),
]


def _required_by(service: Any) -> set[str]:
    return {
        name
        for name, parameter in inspect.signature(service).parameters.items()
        if parameter.default is inspect.Parameter.empty and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    } - SUPPLIED_BY_THE_VIEW


@pytest.mark.parametrize(("serializer_class", "service"), PAIRS, ids=lambda item: getattr(item, "__name__", ""))
def test_what_the_service_requires_the_serializer_requires(serializer_class: Any, service: Any) -> None:
    fields = serializer_class().fields
    # `values` is the service's dict of the serializer's other fields, checked by the service itself.
    needed = _required_by(service) - {"values"}
    assert needed <= set(fields), f"{service.__name__} needs {needed - set(fields)}, which the serializer lacks"
    optional = {name for name in needed if not (fields[name].required or fields[name].default is not empty)}
    assert optional == set(), f"{service.__name__} needs {optional}, optional in {serializer_class.__name__}"


@pytest.mark.django_db
def test_a_period_without_number_is_a_400(framework: Any) -> None:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(framework.analyst)
    payload = {
        "policy": framework.policy.code,
        "kind": "year",
        "year": 2027,
        "opens_on": "2027-12-01",
        "closes_on": "2028-01-31",
    }
    missing = client.post("/api/v1/periods/", payload, format="json")
    assert (missing.status_code, missing.json()) == (400, {"number": ["Este campo es requerido."]})
    created = client.post("/api/v1/periods/", {**payload, "number": 1}, format="json")
    assert (created.status_code, created.json()["code"]) == (201, "2027")
    too_large = client.post("/api/v1/periods/", {**payload, "number": 13}, format="json")
    assert too_large.json() == {"number": ["Asegúrese de que este valor es menor o igual a 12."]}
