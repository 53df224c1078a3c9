"""Every page, opened by the role that uses it: screenshot and axe-core (no serious/critical)."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from sime.accounts.models import User
from sime.institutions.models import FocalPoint, Institution


def _paths() -> dict[str, tuple[str, str]]:
    minex = Institution.objects.get(acronym="MINEX")
    focal_point = FocalPoint.objects.get(user__email="enlace.tecnico@demo.sime.gt")
    analyst = User.objects.get(email="analista@demo.sime.gt")
    return {
        "instituciones": ("analyst", "/instituciones/"),
        "institucion-detalle": ("analyst", f"/instituciones/{minex.pk}/"),
        "institucion-editar": ("analyst", f"/instituciones/{minex.pk}/editar/"),
        "institucion-nueva": ("analyst", "/instituciones/nueva/"),
        "institucion-contacto": ("focal_technical", f"/instituciones/{minex.pk}/contacto/"),
        "enlace-designar": ("analyst", f"/instituciones/{minex.pk}/enlaces/designar/"),
        "enlace-finalizar": ("analyst", f"/instituciones/enlaces/{focal_point.pk}/finalizar/"),
        "usuarios": ("admin", "/cuentas/usuarios/"),
        "usuario-nuevo": ("admin", "/cuentas/usuarios/nuevo/"),
        "usuario-editar": ("admin", f"/cuentas/usuarios/{analyst.pk}/editar/"),
        "auditoria": ("admin", "/sistema/auditoria/"),
        "mi-cuenta": ("focal_planning", "/cuentas/mi-cuenta/"),
        "cambiar-contrasena": ("focal_planning", "/cuentas/mi-cuenta/contrasena/"),
        "prohibido-403": ("focal_technical", "/sistema/auditoria/"),
        "no-encontrado-404": ("cooperant", f"/instituciones/{minex.pk}/editar/"),
    }


PAGES = [
    "instituciones",
    "institucion-detalle",
    "institucion-editar",
    "institucion-nueva",
    "institucion-contacto",
    "enlace-designar",
    "enlace-finalizar",
    "usuarios",
    "usuario-nuevo",
    "usuario-editar",
    "auditoria",
    "mi-cuenta",
    "cambiar-contrasena",
    "prohibido-403",
    "no-encontrado-404",
]


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(name: str, login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    role, path = _paths()[name]
    page = login(demo[role])
    expect(page.get_by_test_id("user-menu")).to_be_visible()  # signed in
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("main h1")).to_be_visible()
    screenshot(page, name)
    no_axe_violations(page)


def test_password_reset_pages_are_accessible(page, live_server, demo, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/cuentas/recuperar/")
    no_axe_violations(page)
    page.get_by_label("Correo electrónico").fill(demo["analyst"])
    page.get_by_role("button", name="Enviar enlace").click()
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()
    no_axe_violations(page)


def test_form_errors_are_accessible(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["analyst"])
    page.goto(f"{live_server.url}/instituciones/nueva/")
    page.get_by_label("Siglas").fill("MINEX")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Ya existe una institución con estas siglas.")).to_be_visible()
    expect(page.get_by_label("Nombre")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "institucion-nueva-errores")
    no_axe_violations(page)
