"""Ids and numbers in the pages' URLs and filters are bounded: a fall-back or a 404, never a 500.

SQLite raises OverflowError for an integer past 2**63 - 1 in a lookup through a relation
(`node_id=…`); "²" passes str.isdigit() but not int().
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sime.core.ids import IdConverter

HUGE = "99999999999999999999999"


def test_the_converter_refuses_what_parse_id_refuses() -> None:
    converter = IdConverter()
    assert (converter.to_python("42"), converter.to_url(42)) == (42, "42")
    with pytest.raises(ValueError):
        converter.to_python(HUGE)


def _page_routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _page_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and "<id:" in (route := prefix + str(pattern.pattern)):
            routes.append(route)
    return [route for route in routes if not route.startswith(("api/", "admin/"))]


@pytest.mark.django_db
def test_an_id_too_large_in_a_page_url_is_a_404(framework: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(framework.admin)
    routes = _page_routes(get_resolver().url_patterns)
    assert len(routes) == 91  # guards the walk: every page with an id in its URL
    answers = {}
    for route in routes:
        path = "/" + re.sub(r"<id:\w+>", HUGE, route)
        path = re.sub(r"<slug:\w+>", framework.policy.code, path)
        path = re.sub(r"<str:\w+>", "enviar", path)
        answers[path] = client.get(path).status_code
    # /politica/nodos/<huge>/accion/ looked the action up by node_id: an OverflowError.
    assert {path: status for path, status in answers.items() if status != 404} == {}


# The pages' integer filters: (path, parameter, value) → the answer.
PAGE_FILTERS = [
    # The map's indicator: an id that is not one is a 404, as an unknown one.
    ("/monitoreo/mapa/", "indicador", "²", 404),
    ("/monitoreo/mapa/", "indicador", HUGE, 404),
    # The monitoring report: a year outside the policy's horizon or a period that is not an id is a 404.
    ("/monitoreo/informe.pdf", "year", HUGE, 404),
    ("/monitoreo/informe.pdf", "year", "0", 404),
    ("/monitoreo/informe.docx", "year", "99999", 404),
    ("/monitoreo/informe.docx", "year", "-1", 404),
    ("/monitoreo/informe.docx", "year", "²", 404),
    ("/monitoreo/informe.pdf", "period", "²", 404),
    ("/monitoreo/informe.pdf", "period", HUGE, 404),
    # The audit log: an invalid filter shows the form's error over an empty list.
    ("/sistema/auditoria/", "actor", HUGE, 200),
    ("/sistema/auditoria/", "institution", HUGE, 200),
    # Filters through forms of choices fall back to the unfiltered page or show the form's error.
    ("/monitoreo/", "institution", HUGE, 200),
    ("/monitoreo/", "year", HUGE, 200),
    ("/monitoreo/", "period", HUGE, 200),
    ("/monitoreo/", "axis", "²", 200),
    ("/monitoreo/iptt/", "institution", HUGE, 200),
    ("/monitoreo/iptt.csv", "year", HUGE, 200),
    ("/politica/{policy}/arbol/", "institution", HUGE, 200),
    ("/politica/{policy}/arbol/", "axis", "²", 200),
    ("/evaluacion/", "anio", HUGE, 200),
    ("/evaluacion/", "anio", "²", 200),
    ("/evaluacion/seguimiento/", "evaluation", HUGE, 200),
    ("/evaluacion/seguimiento/", "institution", "²", 200),
    ("/cuentas/usuarios/", "institution", HUGE, 200),
    ("/proyectos/alcance/", "year", HUGE, 200),
    ("/proyectos/alcance/", "project", HUGE, 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "value", "status"), PAGE_FILTERS)
def test_a_page_filter_out_of_range_never_fails(framework: Any, path: str, name: str, value: str, status: int) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(framework.admin)
    response = client.get(path.format(policy=framework.policy.code), {name: value})
    assert response.status_code == status


@pytest.mark.django_db
def test_the_report_year_of_the_horizon_is_accepted(framework: Any) -> None:
    client = Client()
    client.force_login(framework.admin)
    policy = framework.policy
    response = client.get("/monitoreo/informe.docx", {"year": policy.start_year})
    assert response.status_code == 200
    refused = client.get("/monitoreo/informe.docx", {"year": policy.end_year + 1})
    assert refused.status_code == 404
