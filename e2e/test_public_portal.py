"""The public portal in the browser: a visitor sees nothing until DEPM publishes a period, then
exactly its approved figures; withdrawing it (with a reason) takes them off again."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import screenshot
from sime.policy.demo import load_policy
from sime.reporting.demo import demo_reviewers, load_history


def _visitor(browser: Browser, url: str) -> Page:
    context = browser.new_context(locale="es-GT", viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url)
    return page


def test_depm_publishes_a_period_and_the_public_sees_it(  # type: ignore[no-untyped-def]
    page: Page, browser: Browser, login, demo, live_server, no_axe_violations
) -> None:
    load_policy()
    reviewers = demo_reviewers()
    assert reviewers is not None
    periods = load_history(*reviewers)
    older = min(periods, key=lambda p: p.ends_on)

    visitor = _visitor(browser, f"{live_server.url}/")
    expect(visitor.get_by_test_id("nothing-published")).to_be_visible()
    expect(visitor.get_by_test_id("staff-login")).to_be_visible()
    no_axe_violations(visitor)
    screenshot(visitor, "portal-sin-publicar")

    login(demo["analyst"])
    page.goto(f"{live_server.url}/publicacion/")
    expect(page.get_by_role("heading", name="Publicación en el portal")).to_be_visible()
    no_axe_violations(page)
    row = page.locator(f"tr[data-period='{older.code}']")
    expect(row).to_contain_text("No publicado")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Publicar {older.name}").click()
    expect(page.get_by_role("status")).to_contain_text("Publicado")
    expect(row).to_contain_text("Publicado")
    expect(page.get_by_test_id("publication-history")).to_contain_text("Vigente")
    screenshot(page, "portal-publicacion")
    no_axe_violations(page)

    visitor.reload()
    expect(visitor.get_by_test_id("published-period")).to_contain_text(older.name)
    expect(visitor.get_by_test_id("public-axes-table").locator("tbody tr")).to_have_count(4)
    expect(visitor.locator("[data-chart]").first).to_have_attribute("data-ready", "true")
    no_axe_violations(visitor)
    screenshot(visitor, "portal-inicio")

    # The policy's tree with the published progress, then one indicator's sheet and values.
    visitor.get_by_test_id("public-nav").get_by_role("link", name="La política").click()
    expect(visitor.get_by_test_id("public-tree")).to_contain_text("MINEX")
    no_axe_violations(visitor)
    screenshot(visitor, "portal-politica")
    visitor.get_by_test_id("public-tree").get_by_role("link", name="IND-1.1").click()
    expect(visitor.get_by_test_id("technical-sheet")).to_be_visible()
    expect(visitor.get_by_test_id("public-period-values")).to_contain_text(older.name)
    expect(visitor.locator("[data-chart]").first).to_have_attribute("data-ready", "true")
    no_axe_violations(visitor)
    screenshot(visitor, "portal-indicador")

    visitor.get_by_test_id("public-nav").get_by_role("link", name="Instituciones").click()
    expect(visitor.get_by_test_id("public-institutions")).to_contain_text("Ministerio de Relaciones Exteriores")
    no_axe_violations(visitor)
    visitor.get_by_role("link", name="Ministerio de Relaciones Exteriores").click()
    expect(visitor.get_by_test_id("public-commitments")).to_contain_text("Responsable")
    no_axe_violations(visitor)
    screenshot(visitor, "portal-institucion")

    visitor.get_by_test_id("public-nav").get_by_role("link", name="Evaluaciones").click()
    expect(visitor.get_by_test_id("public-evaluations")).to_be_visible()
    no_axe_violations(visitor)

    visitor.get_by_test_id("public-nav").get_by_role("link", name="Buscar").click()
    visitor.get_by_label("Buscar en el portal").fill("migracion")
    visitor.get_by_role("button", name="Buscar").click()
    expect(visitor.get_by_test_id("search-count")).to_contain_text("resultados")
    no_axe_violations(visitor)
    screenshot(visitor, "portal-busqueda")

    row.get_by_role("link", name=f"Retirar {older.name}").click()
    page.get_by_role("button", name="Retirar del portal").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    no_axe_violations(page)
    page.get_by_label("Motivo del retiro").fill("Cifras en revisión por DEPM")
    page.get_by_role("button", name="Retirar del portal").click()
    expect(page.get_by_test_id("publication-history")).to_contain_text("Cifras en revisión por DEPM")

    visitor.goto(f"{live_server.url}/")
    expect(visitor.get_by_test_id("nothing-published")).to_be_visible()
