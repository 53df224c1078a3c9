"""Every route of the API router also answers with a format suffix (`/api/v1/periods/3/open.json`).

DRF passes the suffix to the handler as a `format` keyword: a custom action that does not take it
was a 500 (TypeError). This walks the URLconf, so a new action is covered the day it is added.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from sime.evaluation.tests.factories import action_in
from sime.evaluation.workflow import Closure

pytestmark = pytest.mark.django_db


def _suffix_patterns() -> list[URLPattern]:
    api = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api"
    )  # the /api/ include
    return [p for p in api.url_patterns if isinstance(p, URLPattern) and "format" in p.pattern.regex.groupindex]


def _path(pattern: URLPattern, pks: dict[str, Any]) -> str:
    """The pattern's regex with its groups filled: the object of the route's basename, `.json`."""
    name = pattern.name or ""
    basename = next((b for b in sorted(pks, key=len, reverse=True) if name.startswith(f"{b}-")), "")
    values = {"format": "json", "pk": str(pks.get(basename, 0)), "code": str(pks.get(basename, "X"))}
    path = pattern.pattern.regex.pattern.lstrip("^").rstrip("$").replace("/?", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
    return "/api/" + path.replace("\\.", ".")


@pytest.fixture
def objects(reporting: Any) -> dict[str, Any]:
    cast = reporting
    improvement = action_in(cast, Closure.NONE)
    response = improvement.response
    return {
        "institution": cast.home.pk,
        "policy": cast.policy.code,
        "node": cast.action_node.pk,
        "indicator": cast.indicator.pk,
        "causallink": cast.causal_link.pk,
        "period": cast.period.pk,
        "submission": cast.submission.pk,
        "project": cast.project.pk,
        "evaluation": response.recommendation.evaluation_id,
        "recommendation": response.recommendation_id,
        "response": response.pk,
        "improvement-action": improvement.pk,
    }


def test_every_router_route_has_a_format_suffix_route() -> None:
    # 12 viewsets × (list, detail) + 20 custom actions; the count guards the walk itself (a walk that
    # found nothing would pass the test below).
    assert len(_suffix_patterns()) == 45


@pytest.mark.parametrize("role", ["admin", "technical"])
def test_format_suffix_routes_never_answer_500(reporting: Any, objects: dict[str, Any], role: str) -> None:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(reporting.by_role()[role])
    answered = []
    for pattern in _suffix_patterns():
        path = _path(pattern, objects)
        for method in list(pattern.callback.actions):  # type: ignore[attr-defined]
            response = getattr(client, method)(path, {}, format="json")
            answered.append((method.upper(), path, response.status_code))
    errors = [row for row in answered if row[2] >= 500]
    assert errors == []
    # The suffix picks the JSON renderer: the answers are the same as without it.
    assert ("GET", f"/api/v1/policies/{objects['policy']}/tree.json", 200) in answered
    assert client.get(f"/api/v1/policies/{objects['policy']}/tree.json")["Content-Type"] == "application/json"
