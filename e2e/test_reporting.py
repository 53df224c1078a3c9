"""The whole reporting cycle in the browser, each role doing its part, with screenshots and axe checks."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.conftest import screenshot
from sime.policy.demo import load_policy
from sime.reporting.demo import load_reporting


def switch(page: Page, login, email: str) -> Page:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    return login(email)


def open_instrument(page: Page) -> None:
    page.get_by_role("link", name="Reportes", exact=True).click()
    page.locator("#own-title + div a").first.click()
    expect(page.get_by_role("heading", name="Instrumento de recolección de información")).to_be_visible()


def wait_saved(page: Page, state_id: str) -> None:
    expect(page.locator(f"#{state_id} [data-testid=saved]")).to_be_visible()


def fill_everything(page: Page) -> None:
    """Every action: en proceso at 50 %; every indicator: a valid value for its kind."""
    for form in page.locator("form[hx-post*='/acciones/']").all():
        form.locator("select[name=status]").select_option("in_progress")
        form.locator("input[name=progress_percent]").fill("50")
        form.locator("input[name=progress_percent]").blur()
    for form in page.locator("form[hx-post*='/indicadores/']").all():
        if form.locator("input[name=numerator]").count():
            form.locator("input[name=numerator]").fill("1")
            form.locator("input[name=denominator]").fill("4")
            form.locator("input[name=denominator]").blur()
        elif form.locator("select[name=value]").count():
            form.locator("select[name=value]").select_option(index=1)
        else:
            form.locator("input[name=value]").fill("10")
            form.locator("input[name=value]").blur()
    total = page.get_by_test_id("progress-text").inner_text().split(" de ")[1].split(" ")[0]
    expect(page.get_by_test_id("progress-text")).to_have_text(f"{total} de {total} ítems completos")


def test_the_whole_reporting_cycle(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    load_policy()
    period = load_reporting()
    assert period is not None
    page = login(demo["admin"])
    page.on("dialog", lambda dialog: dialog.accept())

    # Administrador opens the period: the instruments are generated.
    page.get_by_role("link", name="Reportes", exact=True).click()
    no_axe_violations(page)
    page.get_by_role("button", name=re.compile(f"Abrir {period.code}")).click()
    expect(page.get_by_role("status")).to_contain_text("se generaron")
    no_axe_violations(page)
    screenshot(page, "reporting-1-admin-opens-period")

    # Técnico fills part of it, leaves, comes back and finds it saved.
    switch(page, login, demo["focal_technical"])
    open_instrument(page)
    no_axe_violations(page)
    first = page.locator("form[hx-post*='/acciones/']").first
    state_id = first.get_attribute("hx-target").lstrip("#")  # type: ignore[union-attr]
    first.locator("select[name=status]").select_option("in_progress")
    wait_saved(page, state_id)
    first.locator("input[name=progress_percent]").fill("120")
    first.locator("input[name=progress_percent]").blur()
    expect(first.get_by_text("El porcentaje de avance va de 0 a 100.")).to_be_visible()
    first.locator("input[name=progress_percent]").fill("35")
    first.locator("textarea[name=achievements]").fill("Borrador del protocolo consular")
    first.locator("textarea[name=achievements]").blur()
    expect(page.locator(f"#{state_id}")).to_contain_text("Guardado")
    path = screenshot(page, "reporting-2-technical-fills-part")
    page.screenshot(path=str(path.with_name("reporting-instrument.png")))  # the visible part, for the README
    page.get_by_role("link", name="Inicio", exact=True).first.click()
    open_instrument(page)
    first = page.locator("form[hx-post*='/acciones/']").first
    expect(first.locator("input[name=progress_percent]")).to_have_value("35")
    expect(first.locator("textarea[name=achievements]")).to_have_value("Borrador del protocolo consular")
    fill_everything(page)
    page.get_by_role("button", name="Marcar como completo").click()
    expect(page.get_by_test_id("technical-signed")).to_be_visible()

    # Planificación gives the visto bueno and sends.
    switch(page, login, demo["focal_planning"])
    open_instrument(page)
    page.get_by_role("button", name="Dar visto bueno").click()
    expect(page.get_by_test_id("planning-signed")).to_be_visible()
    page.get_by_role("button", name="Enviar a la DEPM").click()
    expect(page.get_by_test_id("status")).to_have_text("Enviado")
    screenshot(page, "reporting-3-planning-sends")
    url = page.url

    # Analista finds it in the review queue of the home and returns it with a comment on one item.
    switch(page, login, demo["analyst"])
    queue = page.get_by_test_id("review-queue")
    expect(queue).to_contain_text("espera revisión")
    no_axe_violations(page)
    queue.scroll_into_view_if_needed()
    screenshot(page, "reporting-4a-analyst-review-queue")
    page.goto(url)
    page.get_by_role("button", name="Iniciar revisión").click()
    page.get_by_role("link", name="Devolver con observaciones").click()
    no_axe_violations(page)
    page.locator("textarea[name^=obs-a]").first.fill("Indique qué falta para validar el protocolo.")
    screenshot(page, "reporting-4-analyst-returns")
    page.get_by_role("button", name="Devolver con observaciones").first.click()
    expect(page.get_by_test_id("status")).to_have_text("Devuelto con observaciones")

    # Técnico sees the comment beside the field, corrects and resends (after a new visto bueno).
    switch(page, login, demo["focal_technical"])
    page.goto(url)
    expect(page.get_by_test_id("item-comment").first).to_contain_text("Indique qué falta")
    screenshot(page, "reporting-5-technical-sees-comment")
    first = page.locator("form[hx-post*='/acciones/']").first
    state_id = first.get_attribute("hx-target").lstrip("#")  # type: ignore[union-attr]
    first.locator("textarea[name=next_steps]").fill("Falta la firma del Viceministro; se espera en diciembre.")
    first.locator("textarea[name=next_steps]").blur()
    wait_saved(page, state_id)
    page.reload()
    page.get_by_role("button", name="Marcar como completo").click()
    switch(page, login, demo["focal_planning"])
    page.goto(url)
    page.get_by_role("button", name="Dar visto bueno").click()
    switch(page, login, demo["focal_technical"])
    page.goto(url)
    page.get_by_role("button", name="Enviar a la DEPM").click()
    expect(page.get_by_test_id("status")).to_have_text("Enviado")

    # Analista sees what changed since the return, then approves: the data is locked, and the
    # timeline shows every step.
    switch(page, login, demo["analyst"])
    page.goto(url)
    changes = page.get_by_test_id("changes-since-return")
    expect(changes).to_contain_text("Un ítem cambió desde la devolución")
    expect(changes).to_contain_text("Falta la firma del Viceministro; se espera en diciembre.")
    no_axe_violations(page)
    changes.scroll_into_view_if_needed()
    screenshot(page, "reporting-5a-analyst-sees-changes")
    page.get_by_role("button", name="Iniciar revisión").click()
    page.get_by_role("button", name="Aprobar").click()
    expect(page.get_by_test_id("status")).to_have_text("Aprobado")
    timeline = page.get_by_test_id("timeline")
    for step in (
        "Instrumento generado",
        "Completado por el enlace técnico",
        "Visto bueno de planificación",
        "Enviado",
        "Revisión iniciada",
        "Devuelto con observaciones",
        "Aprobado",
    ):
        expect(timeline).to_contain_text(step)
    no_axe_violations(page)
    screenshot(page, "reporting-6-analyst-approves")
    switch(page, login, demo["focal_technical"])
    page.goto(url)
    expect(page.locator("form[hx-post]")).to_have_count(0)
    expect(page.get_by_text("Instrumento aprobado: sus datos están bloqueados.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})  # a focal point on a phone
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("Aprobado")
    no_axe_violations(page)
    page.screenshot(path=str(screenshot(page, "reporting-phone").with_name("reporting-phone-viewport.png")))
    page.set_viewport_size({"width": 1280, "height": 900})

    # The completeness page of the period, as DEPM sees it.
    switch(page, login, demo["analyst"])
    page.get_by_role("link", name="Reportes", exact=True).click()
    page.get_by_role("link", name=period.code, exact=True).click()
    expect(page.get_by_test_id("completeness")).to_contain_text("Aprobado")
    no_axe_violations(page)
    screenshot(page, "reporting-7-completeness")


def test_period_form_and_excel_round_trip_in_the_browser(login, demo, live_server, no_axe_violations, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from sime.reporting.instrument_excel import ACTIONS_SHEET, FIRST_ROW

    load_policy()
    page = login(demo["analyst"])
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Reportes", exact=True).click()
    page.get_by_role("link", name="Nuevo periodo").click()
    no_axe_violations(page)
    page.get_by_label("Tipo de periodo").select_option("semester")
    page.get_by_label("Año").fill("2026")
    page.get_by_label("Número").fill("3")
    page.get_by_role("button", name="Crear periodo").click()
    expect(page.get_by_text("Número de periodo fuera de rango para este tipo.")).to_be_visible()
    page.get_by_label("Número").fill("2")
    page.get_by_role("button", name="Crear periodo").click()
    expect(page.get_by_role("status")).to_contain_text("2026-S2 creado")
    page.get_by_role("button", name="Abrir periodo").click()
    expect(page.get_by_role("status")).to_contain_text("se generaron")
    screenshot(page, "reporting-8-period-created-and-opened")

    switch(page, login, demo["focal_technical"])
    open_instrument(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar en Excel").click()
    original = tmp_path / "instrumento.xlsx"
    download_info.value.save_as(original)
    workbook = load_workbook(original)
    sheet = workbook[ACTIONS_SHEET]
    sheet[f"C{FIRST_ROW}"] = "Atrasada"  # without obstacles: refused
    sheet[f"D{FIRST_ROW}"] = "=5*2"
    broken = tmp_path / "con-errores.xlsx"
    workbook.save(broken)
    page.get_by_role("link", name="Cargar Excel").click()
    no_axe_violations(page)
    page.get_by_label("Instrumento en Excel (.xlsx)").set_input_files(str(broken))
    page.get_by_role("button", name="Revisar archivo").click()
    problems = page.get_by_test_id("upload-problems")
    expect(problems).to_contain_text(f"D{FIRST_ROW}")
    expect(problems).to_contain_text("Hay una fórmula")
    no_axe_violations(page)
    screenshot(page, "reporting-9-upload-problems")

    sheet[f"D{FIRST_ROW}"] = "60"
    sheet[f"C{FIRST_ROW}"] = "En proceso"
    sheet[f"H{FIRST_ROW}"] = "12,500.00"
    fixed = tmp_path / "corregido.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    fixed.write_bytes(buffer.getvalue())
    page.get_by_label("Instrumento en Excel (.xlsx)").set_input_files(str(fixed))
    page.get_by_role("button", name="Revisar archivo").click()
    preview = page.get_by_test_id("upload-preview")
    expect(preview).to_contain_text("En proceso")
    expect(preview).to_contain_text("12,500.00")
    no_axe_violations(page)
    screenshot(page, "reporting-10-upload-preview")
    page.get_by_role("button", name="Confirmar y guardar").click()
    expect(page.locator(".messages")).to_contain_text("1 ítem actualizado")
    first = page.locator("form[hx-post*='/acciones/']").first
    expect(first.locator("input[name=progress_percent]")).to_have_value("60")
    expect(first.locator("input[name=budget_allocated]")).to_have_value("12,500.00")
