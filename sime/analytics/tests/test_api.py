"""The monitoring API over the `monitoring` cast: MINEX's 2026 instrument approved (action 1.1.1 at
40 %, IND-1 = 60 against a target of 100), MINGOB's a draft (1.1.1 delayed at 5 %, «Sin fondos").

IND-1 by hand (docs/aggregation.md): a count summed over periods, annual, increasing, without a
baseline (B = 0). Read at the end of 2026 (the latest approved period), the year is over (f = 1):
progress = (60 − 0) / (100 − 0) = 60.00 %, expected 100 %, ratio 0.60 < 0.70 (umbral «en riesgo»)
→ Rezagado.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sime.analytics.tests.helpers import grow
from sime.conftest import Cast

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _urls(cast: Cast) -> dict[str, str]:
    return {
        "indicator": reverse("api:indicator-progress", kwargs={"pk": cast.indicator.pk}),
        "policy": reverse("api:policy-progress", kwargs={"code": cast.policy.code}),
        "node": reverse("api:node-progress", kwargs={"pk": cast.action_node.pk}),
        "institution": reverse("api:institution-progress", kwargs={"pk": cast.home.pk}),
        "iptt": reverse("api:iptt"),
    }


def test_the_stable_paths(monitoring: Cast) -> None:
    urls = _urls(monitoring)
    assert urls["indicator"] == f"/api/v1/indicators/{monitoring.indicator.pk}/progress/"
    assert urls["policy"] == "/api/v1/policies/PM-T/progress/"
    assert urls["node"] == f"/api/v1/nodes/{monitoring.action_node.pk}/progress/"
    assert urls["institution"] == f"/api/v1/institutions/{monitoring.home.pk}/progress/"
    assert urls["iptt"] == "/api/v1/iptt/"


BEHIND_60 = {
    "actual": "60.0000",
    "target": "100.0000",
    "expected": "100.0000",
    "percent": "60.00",
    "expected_percent": "100.00",
    "status": "behind",
    "status_label": "Rezagado",
}


def test_indicator_progress(monitoring: Cast) -> None:
    body = _api(monitoring.analyst).get(_urls(monitoring)["indicator"]).json()
    values = body.pop("values")
    assert body == {
        "id": monitoring.indicator.pk,
        "policy": "PM-T",
        "year": 2026,
        "until": "2026-12-31",
        "code": "IND-1",
        "name": "Indicador IND-1",
        "unit": "personas",
        "measure_type": "count",
        "direction": "increase",
        "aggregation": "sum",
        "frequency": "annual",
        "baseline": {"value": None, "year": None},
        "targets": [{"year": 2026, "value": "100.0000"}],
        "periods": [
            {
                "code": "2026",
                "name": "Año 2026",
                "ends_on": "2026-12-31",
                "value": "60.0000",
                "to_date": "60.0000",
                "target": "100.0000",
                "percent_of_target": "60.00",
                "expected_percent": "100.00",
                "status": "behind",
                "status_label": "Rezagado",
            }
        ],
        "current": BEHIND_60,
        "horizon": BEHIND_60,
        "disaggregation": {},
    }
    approval = monitoring.submission.events.get(kind="approve")
    assert len(values) == 1
    assert values[0].pop("approved_at").startswith(approval.occurred_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert values == [
        {
            "institution": "MINEX",
            "period": "2026",
            "value": "60.0000",
            "numerator": None,
            "denominator": None,
            "approved_by": "Analista DEPM",
        }
    ]


def test_indicator_disaggregation_is_the_year_to_date_parts(monitoring: Cast) -> None:
    from sime.reporting.facts import publish_facts

    # An approved value's parts, published as the approval does.
    item = monitoring.submission.indicatorvalue_items.get()
    item.disaggregated = {"sex": {"woman": "35", "man": "25"}}
    item.save(update_fields=["disaggregated"])
    publish_facts(monitoring.submission)
    body = _api(monitoring.analyst).get(_urls(monitoring)["indicator"]).json()
    assert body["disaggregation"] == {"sex": {"man": "25.0000", "woman": "35.0000"}}


def test_policy_progress(monitoring: Cast) -> None:
    body = _api(monitoring.authority).get(_urls(monitoring)["policy"]).json()
    nodes = {node["code"]: node for node in body.pop("nodes")}
    indicators = body.pop("indicators")
    assert body == {
        "code": "PM-T",
        "name": "Política PM-T",
        "year": 2026,
        "until": "2026-12-31",
        "institution": None,
        "percent": "40.00",
        "status_counts": {"behind": 1, "at_risk": 0, "on_track": 0, "met": 0, "no_data": 0, "no_target": 0},
        "budget_allocated": "1000.00",
        "budget_executed": "250.50",
        "beneficiaries": {"total": 30, "by_dimension": {}},
        "reporting_rates": [
            {
                "period": "2026",
                "period_name": "Año 2026",
                "expected": 2,
                "received": 1,
                "on_time": 1,
                "approved": 1,
                "received_percent": "50.00",
                "on_time_percent": "50.00",
            }
        ],
        "periods": [{"code": "2026", "name": "Año 2026", "ends_on": "2026-12-31"}],
    }
    assert list(nodes) == ["1", "OE1", "1.1", "1.1.1", "1.1.2"]
    assert nodes["1.1.1"] == {
        "id": monitoring.action_node.pk,
        "code": "1.1.1",
        "title": "Protocolo de recepción de NNA",
        "level": 4,
        "parent_id": monitoring.action_node.parent_id,
        "percent": "40.00",
        "weight": "1.00",
        "budget_allocated": "1000.00",
        "budget_executed": "250.50",
        "action_status": "in_progress",
        "trouble": ["IND-1: Rezagado"],
        "inherited_risk": [],
        "indicator_ids": [monitoring.indicator.pk],
    }
    # 1.1.1 contributes to 1.1.2 in the red causal, and needs attention (IND-1 rezagado).
    assert nodes["1.1.2"]["inherited_risk"] == [["1.1.1", "1.1.2"]]
    assert nodes["1.1.2"]["percent"] is None
    assert nodes["1"]["percent"] == "40.00"
    assert nodes["1"]["budget_executed"] == "250.50"
    assert indicators == [
        {
            "id": monitoring.indicator.pk,
            "code": "IND-1",
            "name": "Indicador IND-1",
            "unit": "personas",
            "node_id": monitoring.action_node.pk,
            "measure_type": "count",
            "direction": "increase",
            "aggregation": "sum",
            "baseline": {"value": None, "year": None},
            "targets": [{"year": 2026, "value": "100.0000"}],
            "periods": [
                {"code": "2026", "value": "60.0000", "to_date": "60.0000", "percent": "60.00", "status": "behind"}
            ],
            "current": BEHIND_60,
            "horizon": BEHIND_60,
        }
    ]


def test_node_progress(monitoring: Cast) -> None:
    body = _api(monitoring.technical).get(_urls(monitoring)["node"]).json()
    assert body["code"] == "1.1.1"
    assert body["level_name"] == "Línea de acción"
    assert body["action_status_label"] == "En proceso"
    assert body["children"] == []
    assert [i["code"] for i in body["indicators"]] == ["IND-1"]
    assert body["reports"] == [
        {
            "institution_id": monitoring.home.pk,
            "institution": "MINEX",
            "period": "2026",
            "status": "in_progress",
            "status_label": "En proceso",
            "percent": "40.00",
            "obstacles": "",
            "budget_allocated": "1000.00",
            "budget_executed": "250.50",
        }
    ]
    parent = _api(monitoring.technical).get(
        reverse("api:node-progress", kwargs={"pk": monitoring.action_node.parent_id})
    )
    assert [(c["code"], c["percent"]) for c in parent.json()["children"]] == [("1.1.1", "40.00"), ("1.1.2", None)]


def test_institution_progress(monitoring: Cast) -> None:
    body = _api(monitoring.planning).get(_urls(monitoring)["institution"]).json()
    assert body["institution"] == {
        "id": monitoring.home.pk,
        "acronym": "MINEX",
        "name": "Ministerio de Relaciones Exteriores",
    }
    assert body["policy"] == {"code": "PM-T", "name": "Política PM-T"}
    assert body["percent"] == "40.00"
    assert body["budget_allocated"] == "1000.00"
    assert [(a["code"], a["responsibility"], a["report"]["percent"]) for a in body["actions"]] == [
        ("1.1.1", "lead", "40.00")
    ]
    assert [(i["code"], i["current"]["percent"], i["current"]["status"]) for i in body["indicators"]] == [
        ("IND-1", "60.00", "behind")
    ]
    assert [(r["period"], r["expected"], r["received"], r["approved"]) for r in body["reporting_rates"]] == [
        ("2026", 1, 1, 1)
    ]


def test_iptt(monitoring: Cast) -> None:
    body = _api(monitoring.outsider).get(_urls(monitoring)["iptt"]).json()
    assert body == {
        "policy": {"code": "PM-T", "name": "Política PM-T"},
        "year": 2026,
        "until": "2026-12-31",
        "institution": None,
        "periods": [{"code": "2026", "name": "Año 2026", "ends_on": "2026-12-31"}],
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": monitoring.indicator.pk,
                "code": "IND-1",
                "name": "Indicador IND-1",
                "unit": "personas",
                "node_id": monitoring.action_node.pk,
                "baseline": {"value": None, "year": None},
                "status": "behind",
                "cells": [
                    {
                        "value": "60.0000",
                        "to_date": "60.0000",
                        "target": "100.0000",
                        "percent": "60.00",
                        "expected_percent": "100.00",
                        "status": "behind",
                    }
                ],
            }
        ],
    }


def test_iptt_filters_and_pages(monitoring: Cast) -> None:
    grow(monitoring, indicators=3, years=())
    client = _api(monitoring.analyst)
    url = _urls(monitoring)["iptt"]
    first = client.get(url, {"page_size": 2}).json()
    assert (first["count"], [r["code"] for r in first["results"]]) == (3, ["IND-1", "IND-2"])
    assert first["next"] == "http://testserver/api/v1/iptt/?page=2&page_size=2"
    second = client.get(first["next"]).json()
    assert ([r["code"] for r in second["results"]], second["previous"]) == (
        ["IND-3"],
        "http://testserver/api/v1/iptt/?page_size=2",
    )
    # The new indicators have no approved value in 2026.
    assert [r["code"] for r in client.get(url, {"status": "no_data"}).json()["results"]] == ["IND-2", "IND-3"]
    axis = monitoring.action_node.parent.parent.parent_id
    assert client.get(url, {"axis": axis}).json()["count"] == 3


def _everything(cast: Cast, user: Any, **params: Any) -> str:
    client = _api(user)
    texts = []
    for name, url in _urls(cast).items():
        response = client.get(url, params)
        assert response.status_code == 200, name
        texts.append(json.dumps(response.json(), ensure_ascii=False))
    return "\n".join(texts)


def test_unapproved_data_never_appears(monitoring: Cast) -> None:
    text = _everything(monitoring, monitoring.analyst)
    assert "Sin fondos" not in text
    assert "delayed" not in text
    assert "Atrasada" not in text
    assert "MINGOB" not in text
    assert '"5.00"' not in text
    # Narrowed to MINGOB, whose only instrument is a draft: nothing reported.
    body = _api(monitoring.analyst).get(_urls(monitoring)["policy"], {"institution": monitoring.other.pk}).json()
    assert body["percent"] is None
    assert all(node["action_status"] is None and node["percent"] is None for node in body["nodes"])
    assert body["budget_executed"] == "0.00"
    assert body["beneficiaries"] == {"total": 0, "by_dimension": {}}
    assert "Sin fondos" not in json.dumps(body, ensure_ascii=False)


def test_a_focal_point_does_not_see_another_institution(monitoring: Cast) -> None:
    outsider = _api(monitoring.outsider)
    urls = _urls(monitoring)
    assert outsider.get(urls["institution"]).status_code == 404
    assert outsider.get(reverse("api:institution-progress", kwargs={"pk": monitoring.other.pk})).status_code == 200
    for name in ("policy", "node", "iptt"):
        assert outsider.get(urls[name], {"institution": monitoring.home.pk}).status_code == 404, name
        assert outsider.get(urls[name], {"institution": monitoring.other.pk}).status_code == 200, name
    assert _api(monitoring.cooperant).get(urls["institution"]).status_code == 403
    assert _api(monitoring.cooperant).get(urls["policy"]).status_code == 403


@pytest.mark.parametrize(
    ("name", "params", "field", "message"),
    [
        ("policy", {"year": "abc"}, "year", "Introduzca un número entero válido."),
        ("policy", {"year": "2050"}, "year", "El año debe estar entre 2023 y 2032, el horizonte de la política."),
        ("indicator", {"year": "2022"}, "year", "El año debe estar entre 2023 y 2032, el horizonte de la política."),
        (
            "policy",
            {"institution": "99999999999999999999999"},
            "institution",
            "Asegúrese de que este valor es menor o igual a 2147483647.",
        ),
        ("iptt", {"institution": "-1"}, "institution", "Asegúrese de que este valor es mayor o igual a 1."),
        ("node", {"period": "2099-T1"}, "period", "La política PM-T no tiene el periodo «2099-T1»."),
        ("indicator", {"period": "2026", "year": "2025"}, "period", "El periodo 2026 es del año 2026, no de 2025."),
        ("iptt", {"status": "bueno"}, "status", '"bueno" no es una elección válida.'),
        ("iptt", {"page": "0"}, "page", "Asegúrese de que este valor es mayor o igual a 1."),
        ("iptt", {"page_size": "100000"}, "page_size", "Asegúrese de que este valor es menor o igual a 500."),
        ("institution", {"year": "1.5"}, "year", "Introduzca un número entero válido."),
    ],
)
def test_bad_parameters_are_a_400_in_spanish(
    monitoring: Cast, name: str, params: dict[str, str], field: str, message: str
) -> None:
    response = _api(monitoring.analyst).get(_urls(monitoring)[name], params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_other_bad_requests(monitoring: Cast) -> None:
    client = _api(monitoring.analyst)
    iptt = _urls(monitoring)["iptt"]
    # An axis must be a top-level node of the policy.
    response = client.get(iptt, {"axis": monitoring.action_node.pk})
    assert (response.status_code, response.json()) == (400, {"axis": ["La política PM-T no tiene ese eje."]})
    assert client.get(iptt, {"page": "2"}).status_code == 404
    assert client.get(iptt, {"policy": "NO-EXISTE"}).status_code == 404
    assert client.get(iptt, {"institution": "99999"}).status_code == 404
    assert client.get("/api/v1/indicators/99999999999999999999999/progress/").status_code == 404
    assert client.get("/api/v1/policies/NO-EXISTE/progress/").status_code == 404
    # Empty parameters, as a form sends them, are left out.
    assert client.get(iptt, {"year": "", "period": "", "institution": ""}).status_code == 200


def test_a_period_reads_the_figures_at_its_end(monitoring: Cast) -> None:
    grow(monitoring, indicators=1, years=(2025,))
    client = _api(monitoring.analyst)
    body = client.get(_urls(monitoring)["indicator"], {"period": "2025"}).json()
    assert (body["year"], body["until"]) == (2025, "2025-12-31")
    assert [(p["code"], p["value"]) for p in body["periods"]] == [("2025", "70.0000")]
    # No target for 2025: a value without a target.
    assert body["current"]["status"] == "no_target"
    assert [v["period"] for v in body["values"]] == ["2025"]
    later = client.get(_urls(monitoring)["indicator"], {"year": 2026}).json()
    assert [(p["code"], p["value"]) for p in later["periods"]] == [("2025", "70.0000"), ("2026", "60.0000")]


# The queries each endpoint makes, whatever the size of the framework: the object and parameter
# look-ups, then the progress builder's fixed set (periods, nodes, co-responsible institutions,
# indicators, targets, facts, reports, names, causal links, reporting rates, beneficiaries).
QUERIES = {
    "indicator": 8,
    "policy": 13,
    "node": 13,
    "institution": 14,
    "iptt": 13,
    "policy of an institution": 14,
    "iptt of a period": 13,
}


def test_query_counts_do_not_grow_with_the_data(monitoring: Cast, django_assert_num_queries: Any) -> None:
    client = _api(monitoring.analyst)
    urls = _urls(monitoring)
    requests = [
        *((name, url, {}) for name, url in urls.items()),
        ("policy of an institution", urls["policy"], {"institution": monitoring.home.pk}),
        ("iptt of a period", urls["iptt"], {"period": "2026"}),
    ]

    def measure() -> None:
        for name, url, params in requests:
            with django_assert_num_queries(QUERIES[name], info=name):
                assert client.get(url, params).status_code == 200

    measure()
    grow(monitoring, indicators=10)
    body = client.get(urls["policy"]).json()
    assert (len(body["indicators"]), len(body["nodes"]), len(body["indicators"][0]["periods"])) == (10, 14, 3)
    measure()
