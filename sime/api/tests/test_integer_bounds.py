"""Numbers from outside are bounded before they reach a query (SQLite raises OverflowError past 2**63 - 1).

A filter answers 400 with a Spanish message per parameter; an id in the path that no row can have
answers 404, like any unknown id.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
NOT_AN_INTEGER = "Introduzca un número entero válido."

# Every integer query parameter of the API: (path, parameter).
FILTERS = [
    ("/api/v1/nodes/", "institution"),
    ("/api/v1/nodes/", "level"),
    ("/api/v1/policies/{policy}/tree/", "institution"),
    ("/api/v1/submissions/", "institution"),
    ("/api/v1/evaluations/", "year"),
    ("/api/v1/recommendations/", "evaluation"),
    ("/api/v1/responses/", "evaluation"),
    ("/api/v1/improvement-actions/", "response"),
    ("/api/v1/iptt/", "institution"),
    ("/api/v1/iptt/", "axis"),
    ("/api/v1/iptt/", "year"),
    ("/api/v1/iptt/", "page"),
    ("/api/v1/policies/{policy}/progress/", "institution"),
    ("/api/v1/nodes/{node}/progress/", "institution"),
]


def _client(user: Any) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("path", "name"), FILTERS)
def test_an_integer_filter_out_of_range_is_a_400(framework: Any, path: str, name: str) -> None:
    url = path.format(policy=framework.policy.code, node=framework.action_node.pk)
    client = _client(framework.admin)
    too_large = client.get(url, {name: HUGE})
    assert too_large.status_code == 400
    assert list(too_large.json()) == [name]
    assert re.fullmatch(r"Asegúrese de que este valor es menor o igual a \d+\.", too_large.json()[name][0])
    # "²" passes str.isdigit() but not int(): it was a 500 where filters were parsed by hand.
    superscript = client.get(url, {name: "²"})
    assert (superscript.status_code, superscript.json()) == (400, {name: [NOT_AN_INTEGER]})


def test_an_id_filter_within_range_still_filters(framework: Any) -> None:
    client = _client(framework.technical)
    nodes = client.get("/api/v1/nodes/", {"institution": framework.home.pk}).json()
    assert [row["code"] for row in nodes["results"]] == ["1.1.1"]
    assert client.get("/api/v1/nodes/", {"institution": 2**31 - 1}).json()["count"] == 0


def _api_patterns() -> list[URLPattern]:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    return [p for p in api.url_patterns if isinstance(p, URLPattern)]


def _with_huge_ids(pattern: URLPattern) -> str | None:
    """The pattern's path with every id replaced by HUGE; None for patterns without an id."""
    route = str(pattern.pattern)
    if "format" in pattern.pattern.regex.groupindex or not re.search(r"<id:|\(\?P<pk>", route):
        return None
    route = re.sub(r"<id:\w+>", HUGE, route)  # path(): project_pk, pk, item_pk
    route = re.sub(r"\(\?P<pk>[^)]*\)", HUGE, route).lstrip("^").rstrip("$")  # the router's regex routes
    return "/api/" + route


def _methods(pattern: URLPattern) -> list[str]:
    view: Any = pattern.callback
    if getattr(view, "actions", None):
        return [method for method in view.actions if method != "head"]
    return [method for method in ("get", "post", "put", "patch", "delete") if hasattr(view.cls, method)]


# Valid for the steps that check their body before looking the object up (reopen needs a reason).
BODY = {"reason": "Corregir el presupuesto."}


def test_an_id_too_large_in_the_path_is_a_404(framework: Any) -> None:
    client = _client(framework.admin)
    requests = sorted(
        {
            (method, path)
            for pattern in _api_patterns()
            if (path := _with_huge_ids(pattern))
            for method in _methods(pattern)
        }
    )
    assert len(requests) == 74  # guards the walk: every method of every route of the API with an id
    answers = {
        (method, path): getattr(client, method)(path, BODY, format="json").status_code for method, path in requests
    }
    assert {request: status for request, status in answers.items() if status != 404} == {}


@pytest.mark.parametrize("field", ["institution_ids", "node_ids", "finding_ids"])
def test_ids_in_a_body_are_bounded(framework: Any, field: str) -> None:
    # `pk__in=[10**22]` is not guarded by Django: on SQLite it was an OverflowError (500).
    from sime.evaluation.tests.factories import make_evaluation

    recommendation = make_evaluation(framework).recommendations.get()
    response = _client(framework.analyst).patch(
        f"/api/v1/recommendations/{recommendation.pk}/", {field: [int(HUGE)]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_headcount_is_bounded(framework: Any) -> None:
    path = f"/api/v1/projects/{framework.project.pk}/activities/{framework.activity.pk}/"
    response = _client(framework.analyst).patch(
        path, {"attendance_by_sector": {"government": int(HUGE)}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["attendance_by_sector"]
