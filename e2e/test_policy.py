"""Journeys through the results framework, with the demo policy loaded as `make run` does."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from sime.policy.demo import load_policy
from sime.policy.models import Action, Indicator, PolicyNode


@pytest.fixture
def policy_demo(demo):  # type: ignore[no-untyped-def]
    load_policy()
    return demo


def test_browse_the_tree_and_filter(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(policy_demo["focal_technical"])
    page.get_by_role("link", name="Política", exact=True).click()
    page.get_by_role("link", name="Política Migratoria de Guatemala").click()
    expect(page.get_by_role("note")).to_contain_text("texto ilustrativo")
    no_axe_violations(page)
    screenshot(page, "politica")
    page.get_by_role("link", name="Ver el árbol de la política").click()
    expect(page.get_by_text("49 elementos en el árbol")).to_be_visible()
    page.get_by_role("button", name="Contraer todo").click()
    expect(page.get_by_role("link", name="1.1.1", exact=True)).to_be_hidden()
    page.get_by_role("button", name="Expandir todo").click()
    expect(page.get_by_role("link", name="1.1.1", exact=True)).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "politica-arbol")
    page.get_by_label("Buscar por texto o código").fill("refugio")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_role("link", name="1.5.1", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="2.1.1", exact=True)).to_have_count(0)
    screenshot(page, "politica-arbol-filtrado")


def test_indicator_sheet_and_its_pdf(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.get(code="IND-2.1")
    page = login(policy_demo["authority"])
    page.goto(f"{live_server.url}/politica/nodos/{indicator.node_id}/")
    page.get_by_role("link", name="IND-2.1").click()
    expect(page.get_by_role("heading", name="Ficha técnica del indicador IND-2.1")).to_be_visible()
    expect(page.get_by_role("cell", name="55,181 (2025). Fuente: AGN, agn.gt/?p=483622")).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "indicador-ficha")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar PDF").click()
    download = download_info.value
    assert download.suggested_filename == "ficha-IND-2.1.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"


def test_causal_network_click_opens_the_node(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(policy_demo["analyst"])
    page.goto(f"{live_server.url}/politica/PM-2023/red-causal/")
    graph = page.locator("#causal-graph")
    expect(graph).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("table")).to_contain_text("Sin documento de identidad no hay empleo formal.")
    no_axe_violations(page)
    screenshot(page, "red-causal")
    target = PolicyNode.objects.get(policy__code="PM-2023", code="2.1.2")
    position = page.evaluate(
        "(id) => { const p = window.simeCausalGraph.getElementById(String(id)).renderedPosition(); return p; }",
        target.pk,
    )
    box = graph.bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    expect(page).to_have_url(f"{live_server.url}/politica/nodos/{target.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2.1.2")


def test_analyst_edits_an_action(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    node = PolicyNode.objects.get(policy__code="PM-2023", code="2.2.1")
    page = login(policy_demo["analyst"])
    page.goto(f"{live_server.url}/politica/nodos/{node.pk}/")
    page.get_by_role("link", name="Editar línea de acción").click()
    no_axe_violations(page)
    page.get_by_label("Presupuesto estimado (Q)").fill("1,500,000.00")
    page.get_by_label("Personas guatemaltecas retornadas o deportadas").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Cambios guardados.")
    expect(page.get_by_text("Q 1,500,000.00")).to_be_visible()
    screenshot(page, "accion-editada")
    assert str(Action.objects.get(node=node).estimated_budget) == "1500000.00"


def test_focal_point_cannot_edit(login, policy_demo, live_server) -> None:  # type: ignore[no-untyped-def]
    node = PolicyNode.objects.get(policy__code="PM-2023", code="3.2.1")  # led by MINEX, the focal point's own
    page = login(policy_demo["focal_technical"])
    page.goto(f"{live_server.url}/politica/nodos/{node.pk}/")
    expect(page.get_by_role("link", name="Editar línea de acción")).to_have_count(0)
    response = page.goto(f"{live_server.url}/politica/nodos/{node.pk}/accion/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Acceso denegado (403)")).to_be_visible()


def test_my_commitments(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(policy_demo["focal_planning"])
    page.get_by_role("button", name="Mi institución").click()
    page.get_by_role("link", name="Mis compromisos").click()
    expect(page.get_by_role("heading", name="Compromisos de Ministerio de Relaciones Exteriores")).to_be_visible()
    expect(page.get_by_role("link", name="3.2.1")).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "mis-compromisos")


def test_analyst_edits_an_indicator(login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.get(code="IND-3.3")
    page = login(policy_demo["analyst"])
    page.goto(f"{live_server.url}/politica/indicadores/{indicator.pk}/")
    page.get_by_role("link", name="Editar", exact=True).click()
    no_axe_violations(page)
    page.get_by_label("Meta 2031").fill("1,250")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Indicador guardado.")
    expect(page.get_by_role("row", name="2031 1,250")).to_be_visible()
    screenshot(page, "indicador-editado")


def test_import_page_reports_errors(login, policy_demo, live_server, no_axe_violations, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "marco.xlsx"
    bad.write_bytes(b"no es un libro")
    page = login(policy_demo["admin"])
    page.goto(f"{live_server.url}/politica/")
    page.get_by_role("link", name="Importar marco desde Excel").click()
    no_axe_violations(page)
    page.get_by_label("Libro de Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Validar e importar").click()
    expect(page.get_by_role("alert")).to_contain_text("no se guardó nada")
    expect(page.get_by_role("cell", name="El archivo no es un libro de Excel (.xlsx).")).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "importar-marco-errores")


@pytest.mark.parametrize("page_name", ["node-update", "node-create", "causallink-create", "indicator-create"])
def test_editing_pages_are_accessible(page_name, login, policy_demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    node = PolicyNode.objects.get(policy__code="PM-2023", code="2.1")
    paths = {
        "node-update": f"/politica/nodos/{node.pk}/editar/",
        "node-create": f"/politica/nodos/{node.pk}/nuevo-hijo/",
        "causallink-create": f"/politica/nodos/{node.pk}/vinculos/nuevo/",
        "indicator-create": f"/politica/nodos/{node.pk}/indicadores/nuevo/",
    }
    page = login(policy_demo["analyst"])
    page.goto(f"{live_server.url}{paths[page_name]}")
    expect(page.locator("main h1")).to_be_visible()
    screenshot(page, f"politica-{page_name}")
    no_axe_violations(page)
