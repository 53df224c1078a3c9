import pytest
from rest_framework.test import APIClient

from sime.core.models import AuditEvent
from sime.policy.models import CausalLink, PolicyNode

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_tree_is_nested(framework) -> None:  # type: ignore[no-untyped-def]
    body = _api(framework.cooperant).get(f"/api/v1/policies/{framework.policy.code}/tree/").json()
    leaves = body[0]["children"][0]["children"][0]["children"]
    assert [(leaf["code"], leaf["lead_institution"], leaf["indicator_count"]) for leaf in leaves] == [
        ("1.1.1", "MINEX", 1),
        ("1.1.2", "MINGOB", 0),
    ]


def test_nodes_filter_by_institution(framework) -> None:  # type: ignore[no-untyped-def]
    client = _api(framework.technical)
    rows = client.get("/api/v1/nodes/", {"policy": framework.policy.code, "institution": framework.home.pk}).json()
    assert [row["code"] for row in rows["results"]] == ["1.1.1"]
    action = rows["results"][0]["action"]
    assert (action["lead_institution"], action["co_responsible"]) == ("MINEX", ["MINGOB"])
    assert client.get("/api/v1/nodes/", {"level": 1}).json()["count"] == 1


def test_indicator_detail_has_targets(framework) -> None:  # type: ignore[no-untyped-def]
    framework.indicator.targets.create(year=2026, value=10)
    body = _api(framework.authority).get(f"/api/v1/indicators/{framework.indicator.pk}/").json()
    assert (body["code"], body["node"], body["responsible_institution"]) == ("IND-1", "1.1.1", "MINEX")
    assert body["targets"] == [{"year": 2026, "value": "10.0000"}]


def test_cycle_is_refused_by_the_api(framework) -> None:  # type: ignore[no-untyped-def]
    second = PolicyNode.objects.get(code="1.1.2")
    response = _api(framework.analyst).post(
        "/api/v1/causal-links/", {"source": second.pk, "target": framework.action_node.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"target": ["Este vínculo cerraría un ciclo: 1.1.2 → 1.1.1 → 1.1.2."]}
    assert CausalLink.objects.count() == 1


def test_links_are_written_by_depm_only(framework) -> None:  # type: ignore[no-untyped-def]
    axis = PolicyNode.objects.get(code="1")
    payload = {"source": framework.action_node.pk, "target": axis.pk, "evidence_note": "Estudio"}
    assert _api(framework.technical).post("/api/v1/causal-links/", payload, format="json").status_code == 403
    created = _api(framework.analyst).post("/api/v1/causal-links/", payload, format="json")
    assert created.status_code == 201
    assert (created.json()["source_code"], created.json()["target_code"]) == ("1.1.1", "1")
    assert _api(framework.analyst).delete(f"/api/v1/causal-links/{created.json()['id']}/").status_code == 204
    actions = AuditEvent.objects.filter(action__startswith="causal_link").order_by("pk")
    assert [e.action for e in actions] == ["causal_link.created", "causal_link.deleted"]


def test_node_title_update_through_the_service(framework) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/nodes/{framework.action_node.pk}/"
    assert _api(framework.planning).patch(url, {"title": "X"}, format="json").status_code == 403
    response = _api(framework.admin).patch(url, {"title": "Protocolo actualizado"}, format="json")
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="node.updated").changes["title"]["after"] == "Protocolo actualizado"


def test_a_top_node_has_a_null_parent_code_also_after_a_patch(framework) -> None:  # type: ignore[no-untyped-def]
    # A serializer default is skipped on partial updates: the PATCH answer lacked the key.
    axis = PolicyNode.objects.get(code="1")
    client = _api(framework.analyst)
    assert client.get(f"/api/v1/nodes/{axis.pk}/").json()["parent_code"] is None
    patched = client.patch(f"/api/v1/nodes/{axis.pk}/", {"title": "Derechos humanos y protección"}, format="json")
    assert (patched.status_code, patched.json()["parent_code"]) == (200, None)
    assert patched.json()["title"] == "Derechos humanos y protección"
