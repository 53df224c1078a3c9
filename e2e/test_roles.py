"""Each demo role logs in through the real login page and sees its own menu."""

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import screenshot

FOCAL_MENU = [
    "Inicio",
    "Monitoreo",
    "Mi institución",
    "Política",
    "Reportes",
    "Instituciones",
    "API",
]
MENUS = {
    "admin": [
        "Inicio",
        "Monitoreo",
        "Política",
        "Reportes",
        "Proyectos",
        "Evaluación",
        "Instituciones",
        "Administración",
        "API",
    ],
    "analyst": ["Inicio", "Monitoreo", "Política", "Reportes", "Proyectos", "Evaluación", "Instituciones", "API"],
    "focal_technical": FOCAL_MENU,
    "focal_planning": FOCAL_MENU,
    "authority": ["Inicio", "Monitoreo", "Política", "Reportes", "Proyectos", "Evaluación", "Instituciones", "API"],
    "cooperant": ["Inicio", "Mi institución", "Política", "Proyectos", "Instituciones", "API"],
}
# The national dashboard is the home of DEPM and the Autoridad; the others are greeted.
HOME_HEADINGS = {"admin": "Tablero nacional", "analyst": "Tablero nacional", "authority": "Tablero nacional"}
ROLE_LABELS = {
    "admin": "Administrador",
    "analyst": "Analista DEPM",
    "focal_technical": "Enlace técnico",
    "focal_planning": "Enlace de planificación",
    "authority": "Autoridad",
    "cooperant": "Cooperante",
}


def test_login_page_is_in_spanish(page: Page, live_server, demo, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    # `/` is the public portal; staff reach the login page from its menu.
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("staff-login").click()
    expect(page).to_have_url(f"{live_server.url}/cuentas/ingresar/")
    expect(page.get_by_role("heading", name="Ingresar a SIME-PM")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, "login")
    no_axe_violations(page)


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_sees_its_menu(role: str, login, demo, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(demo[role])
    expect(page.get_by_role("heading", name=HOME_HEADINGS.get(role, "Bienvenido/a"))).to_be_visible()
    menu = page.get_by_role("navigation", name="Navegación principal").locator(".navbar-nav .nav-link")
    expect(menu).to_have_text(MENUS[role])
    expect(page.get_by_test_id("user-role")).to_have_text(ROLE_LABELS[role])
    screenshot(page, f"inicio-{role}")
    no_axe_violations(page)


def test_wrong_password_is_explained_in_spanish(login, demo) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["analyst"], "no-es-la-clave")
    expect(page.get_by_role("alert")).to_contain_text("Correo electrónico o contraseña incorrectos.")
    expect(page.get_by_label("Correo electrónico")).to_have_value(demo["analyst"])


def test_phone_layout_collapses_the_menu(page: Page, login, demo) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    login(demo["focal_technical"])
    toggler = page.get_by_role("button", name="Abrir el menú")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(page.get_by_role("button", name="Mi institución")).to_be_visible()
    screenshot(page, "inicio-telefono")
