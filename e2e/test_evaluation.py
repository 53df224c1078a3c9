"""Evaluation in the browser: the Analista records an evaluation, MINEX answers with an improvement
plan through its two focal points, DEPM returns and then validates it, MINEX reports an action done
with evidence, and the follow-up board and the informe de seguimiento (Word and PDF) show it;
MINGOB's focal point sees none of MINEX's. A screenshot of each step lands in test-output/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from playwright.sync_api import Page, expect

from e2e.conftest import SCREENSHOTS, pdf_first_page, pdf_text, screenshot
from sime.evaluation.models import Evaluation, Response
from sime.policy.demo import load_policy

RECOMMENDATIONS = (
    ("Capacitar al personal consular.", "Una institución", ["MINEX"]),
    ("Designar responsables del reporte.", "Varias instituciones", ["MINEX", "MINGOB"]),
    ("Ampliar la red de albergues.", "Una institución", ["MINGOB"]),
)


def _switch(page: Page, login: Any, email: str) -> Page:
    page.context.clear_cookies()
    return login(email)


def test_an_evaluation_followed_up_to_a_closed_action(  # type: ignore[no-untyped-def]
    page: Page, login, demo, live_server, no_axe_violations, tmp_path: Path
) -> None:
    load_policy()
    base = live_server.url

    # The Analista records the evaluation…
    login(demo["analyst"])
    page.get_by_role("button", name="Evaluación").click()
    page.get_by_role("link", name="Plan de evaluaciones").click()
    expect(page.get_by_role("heading", name="Plan anual de evaluaciones")).to_be_visible()
    screenshot(page, "evaluacion-plan-anual")
    no_axe_violations(page)
    page.get_by_role("link", name="Nueva evaluación").click()
    page.get_by_label("Título").fill("Evaluación intermedia del eje de protección")
    page.locator("#id_kind").select_option(label="Proceso / implementación")
    page.get_by_label("Momento").select_option(label="Intermedia")
    page.get_by_label("Quién evalúa").select_option(label="Interna (DEPM)")
    page.get_by_label("Inicio previsto").fill("01/03/2026")
    page.get_by_label("Fin previsto").fill("30/09/2026")
    page.get_by_label("Preguntas de evaluación").fill("¿Avanza la protección al ritmo previsto?")
    screenshot(page, "evaluacion-nueva")
    no_axe_violations(page)
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Evaluación intermedia del eje de protección")).to_be_visible()
    evaluation = Evaluation.objects.get()

    # …with two findings…
    for text in ("La atención consular avanza lento.", "Los reportes llegan tarde."):
        page.get_by_role("link", name="Nuevo hallazgo o conclusión").click()
        page.locator("#id_text").fill(text)
        page.get_by_label("Nodos (ejes, objetivos o líneas)").select_option(index=0)
        page.get_by_label("Indicadores").select_option(index=0)
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_text(text)).to_be_visible()

    # …and three recommendations addressed to MINEX and MINGOB.
    for text, scope, institutions in RECOMMENDATIONS:
        page.get_by_role("link", name="Nueva recomendación").click()
        page.locator("#id_text").fill(text)
        page.get_by_label("Prioridad").select_option(label="Alta")
        page.get_by_label("Tipo de acción").select_option(label=scope)
        options = page.get_by_label("Instituciones destinatarias").locator("option")
        values = [options.filter(has_text=f"{acronym} —").first.get_attribute("value") for acronym in institutions]
        page.get_by_label("Instituciones destinatarias").select_option(values)  # type: ignore[arg-type]
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_role("cell", name=text)).to_be_visible()
    screenshot(page, "evaluacion-hallazgos-recomendaciones")
    page.get_by_role("button", name="Pasar a «En curso»").click()
    page.get_by_role("button", name="Pasar a «Concluida»").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Concluida")
    screenshot(page, "evaluacion-concluida")
    no_axe_violations(page)

    # MINEX's técnico answers R1 and writes the improvement plan.
    _switch(page, login, demo["focal_technical"])
    page.get_by_role("button", name="Mi institución").click()
    page.get_by_role("link", name="Recomendaciones").click()
    expect(page.get_by_role("link", name="R1")).to_be_visible()
    page.get_by_role("link", name="R1").click()
    page.get_by_label("Acepta", exact=True).check()
    page.get_by_role("button", name="Guardar respuesta").click()
    expect(page.get_by_text("Respuesta guardada.")).to_be_visible()
    for description in ("Diseñar un curso consular.", "Publicar el protocolo."):
        page.locator("#nueva-accion summary").click()
        page.locator("#id_new-description").fill(description)
        page.locator("#id_new-responsible_area").fill("Dirección de Asuntos Consulares")
        page.locator("#id_new-starts_on").fill("01/10/2026")
        page.locator("#id_new-due_on").fill("31/03/2027")
        page.locator("#id_new-expected_result").fill("Personal capacitado.")
        page.locator("#id_new-verification_means").fill("Listas de asistencia.")
        page.get_by_role("button", name="Agregar la acción").click()
        expect(page.get_by_role("heading", name=description)).to_be_visible()
    screenshot(page, "evaluacion-respuesta-tecnico")
    no_axe_violations(page)
    page.get_by_role("button", name="Enviar a visto bueno de planificación").click()
    expect(page.get_by_test_id("response-status")).to_have_text("En visto bueno")
    screenshot(page, "evaluacion-respuesta-enviada-a-visto-bueno")
    response_url = page.url.split("#")[0]

    # Planificación gives the visto bueno.
    _switch(page, login, demo["focal_planning"])
    page.goto(response_url)
    screenshot(page, "evaluacion-visto-bueno-planificacion")
    no_axe_violations(page)
    page.get_by_role("button", name="Dar visto bueno y enviar a DEPM").click()
    expect(page.get_by_test_id("response-status")).to_have_text("Enviada")
    screenshot(page, "evaluacion-respuesta-enviada")

    # The Analista returns one action with a comment…
    _switch(page, login, demo["analyst"])
    page.goto(response_url)
    page.get_by_label("Observación sobre la acción A1").fill("Indique cuántas personas capacitará.")
    screenshot(page, "evaluacion-revision-analista")
    no_axe_violations(page)
    page.get_by_role("button", name="Devolver", exact=True).click()
    expect(page.get_by_test_id("response-status")).to_have_text("Devuelta con observaciones")
    screenshot(page, "evaluacion-respuesta-devuelta")

    # …MINEX corrects it and sends it again…
    _switch(page, login, demo["focal_technical"])
    page.goto(response_url)
    expect(page.get_by_text("Indique cuántas personas capacitará.")).to_be_visible()
    screenshot(page, "evaluacion-observaciones-tecnico")
    no_axe_violations(page)
    action = Response.objects.get(recommendation__number=1).actions.get(number=1)
    page.get_by_text("Editar la acción A1").click()
    page.locator(f"#id_a{action.pk}-expected_result").fill("120 funcionarios consulares capacitados.")
    page.get_by_role("button", name="Guardar la acción").click()
    page.get_by_role("button", name="Enviar a visto bueno de planificación").click()
    expect(page.get_by_test_id("response-status")).to_have_text("En visto bueno")
    _switch(page, login, demo["focal_planning"])
    page.goto(response_url)
    page.get_by_role("button", name="Dar visto bueno y enviar a DEPM").click()
    expect(page.get_by_test_id("response-status")).to_have_text("Enviada")

    # …and the Analista validates.
    _switch(page, login, demo["analyst"])
    page.goto(response_url)
    page.get_by_role("button", name="Validar la respuesta y su plan").click()
    expect(page.get_by_test_id("response-status")).to_have_text("Validada")
    screenshot(page, "evaluacion-respuesta-validada")
    no_axe_violations(page)

    # MINEX reports A1 complete, with its evidence.
    _switch(page, login, demo["focal_technical"])
    page.goto(response_url)
    evidence = tmp_path / "listas_de_asistencia.pdf"
    evidence.write_bytes(b"%PDF-1.4 listas de asistencia")
    page.locator(f"#ev-{action.pk}").set_input_files(str(evidence))
    page.locator(f"#accion-{action.pk}").get_by_role("button", name="Adjuntar", exact=True).click()
    expect(page.get_by_role("link", name="listas_de_asistencia.pdf")).to_be_visible()
    page.locator(f"#id_p{action.pk}-status").select_option(label="Completada")
    page.locator(f"#id_p{action.pk}-percent").fill("100")
    page.locator(f"#accion-{action.pk}").get_by_role("button", name="Guardar avance").click()
    expect(page.get_by_test_id("action-closure-1")).to_have_text("Cierre reportado")
    screenshot(page, "evaluacion-avance-tecnico")
    no_axe_violations(page)

    # DEPM validates the closure; the board shows the plan's progress.
    _switch(page, login, demo["analyst"])
    page.goto(response_url)
    page.get_by_role("button", name="Validar el cierre de A1").click()
    expect(page.get_by_test_id("action-closure-1")).to_have_text("Cierre validado")
    screenshot(page, "evaluacion-cierre-validado")
    no_axe_violations(page)
    page.goto(f"{base}/evaluacion/seguimiento/")
    minex = page.get_by_role("row", name="MINEX")
    expect(minex).to_contain_text("50.0 %")
    screenshot(page, "evaluacion-tablero-seguimiento")
    no_axe_violations(page)
    page.goto(f"{base}/evaluacion/{evaluation.pk}/")
    screenshot(page, "evaluacion-detalle")
    no_axe_violations(page)

    # The informe de seguimiento shows it too, as Word…
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with page.expect_download() as word:
        page.get_by_role("link", name="Informe de seguimiento (Word)").click()
    assert word.value.suggested_filename == f"informe-seguimiento-{evaluation.code}.docx"
    docx_path = SCREENSHOTS / "evaluacion-informe-seguimiento.docx"
    word.value.save_as(docx_path)
    document = Document(str(docx_path))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    for number, (text, _scope, _institutions) in enumerate(RECOMMENDATIONS, start=1):
        assert f"R{number}. {text}" in paragraphs
    assert "Respuesta: Acepta. Estado de la respuesta: Validada." in paragraphs
    rows = [tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    assert ("Acciones con cierre validado", "1") in rows
    plan = [row for row in rows if row[:2] == ("A1", "Diseñar un curso consular.")]
    assert [(row[4], row[5]) for row in plan] == [("Completada", "100 %")]
    # …and as PDF, whose first page is looked at as an image.
    with page.expect_download() as printed:
        page.get_by_role("link", name="Informe de seguimiento (PDF)").click()
    assert printed.value.suggested_filename == f"informe-seguimiento-{evaluation.code}.pdf"
    pdf_path = SCREENSHOTS / "evaluacion-informe-seguimiento.pdf"
    printed.value.save_as(pdf_path)
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    pdf_first_page(pdf_path, "evaluacion-informe-seguimiento-pdf")
    printed_text = pdf_text(pdf_path)
    assert "Informe de seguimiento de la evaluación" in printed_text
    assert "Evaluación intermedia del eje de protección" in printed_text
    for number, (text, _scope, _institutions) in enumerate(RECOMMENDATIONS, start=1):
        assert f"R{number}. {text}" in printed_text

    # MINGOB's focal point sees its own recommendations, none of MINEX's responses.
    _switch(page, login, demo["outsider"])
    page.goto(f"{base}/evaluacion/mis-recomendaciones/")
    expect(page.get_by_role("link", name="R2")).to_be_visible()
    expect(page.get_by_role("link", name="R3")).to_be_visible()
    expect(page.get_by_role("link", name="R1")).to_have_count(0)
    screenshot(page, "evaluacion-mingob")
    no_axe_violations(page)
    answer = page.goto(response_url)
    assert answer is not None and answer.status == 404
