"""Journeys of the institutions directory, as DEPM and focal points do them."""

from playwright.sync_api import expect

from e2e.conftest import screenshot
from sime.core.models import AuditEvent
from sime.institutions.models import FocalPoint, Institution


def test_live_search_narrows_the_list_without_reloading(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["authority"])
    page.goto(f"{live_server.url}/instituciones/")
    expect(page.get_by_text("71 instituciones")).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    # Without the accent and in any case, as people type.
    page.get_by_label("Buscar por nombre o siglas").fill("MIGRANTE")
    expect(page.get_by_text("3 instituciones")).to_be_visible()
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_contain_text("Casa del Migrante")
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the results in place
    assert "text=MIGRANTE" in page.url  # and the URL can be shared
    screenshot(page, "instituciones-busqueda")


def test_analyst_designates_a_planning_focal_point(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    mingob = Institution.objects.get(acronym="MINGOB")
    page = login(demo["analyst"])
    page.goto(f"{live_server.url}/instituciones/{mingob.pk}/")
    page.get_by_role("link", name="Designar enlace").click()
    page.get_by_label("Tipo de enlace").select_option("planning")
    page.get_by_label("Nombre completo").fill("Pedro Planificador")
    page.get_by_label("Correo electrónico").fill("pedro.planificador@mingob.gob.gt")
    page.get_by_label("Fecha de designación").fill("01/02/2025")
    page.get_by_label("Documento de designación").fill("Oficio 7-2025")
    page.get_by_role("button", name="Designar").click()
    expect(page.get_by_role("status")).to_contain_text("Enlace designado.")
    current = page.get_by_role("table", name="Enlaces vigentes")
    expect(current).to_contain_text("Pedro Planificador")
    expect(current).to_contain_text("1 de febrero de 2025")
    screenshot(page, "institucion-con-enlace-nuevo")
    assert FocalPoint.objects.current().get(institution=mingob, role="planning").user.email == (
        "pedro.planificador@mingob.gob.gt"
    )


def test_focal_point_updates_own_contact_data(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["focal_planning"])
    page.get_by_role("button", name="Mi institución").click()
    page.get_by_role("link", name="Datos y enlaces").click()
    page.get_by_role("link", name="Actualizar datos de contacto").click()
    page.get_by_label("Teléfono").fill("2410-0000")
    page.get_by_label("Correo institucional").fill("no es un correo")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Introduzca una dirección de correo electrónico válida.")).to_be_visible()
    expect(page.get_by_label("Teléfono")).to_have_value("2410-0000")
    page.get_by_label("Correo institucional").fill("planificacion@minex.gob.gt")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Cambios guardados.")
    expect(page.get_by_text("planificacion@minex.gob.gt")).to_be_visible()
    minex = Institution.objects.get(acronym="MINEX")
    assert (minex.phone, minex.email) == ("2410-0000", "planificacion@minex.gob.gt")
    assert AuditEvent.objects.filter(action="institution.updated", actor__email=demo["focal_planning"]).count() == 1


def test_admin_filters_the_audit_trail(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["admin"])
    page.get_by_role("button", name="Administración").click()
    page.get_by_role("link", name="Auditoría", exact=True).click()
    page.get_by_label("Institución").select_option(label="Ministerio de Gobernación")
    page.get_by_role("button", name="Filtrar").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)  # the institution's creation, its focal point's account and designation
    expect(rows.first).to_contain_text("Rosa Enlace Mingob")
    screenshot(page, "auditoria-filtrada")


def test_english_is_one_switch_away(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["analyst"])
    page.get_by_test_id("user-menu").click()
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.get_by_role("link", name="Institutions", exact=True)).to_be_visible()
    # An Analista's home is the national dashboard (no policy is loaded here, so it says so).
    expect(page.get_by_role("heading", name="National dashboard")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "home-english")
