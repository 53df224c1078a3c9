"""An Analista looks at the socialisation reach, uploads and downloads evidence, and imports an
attendance list (first with an error, then a valid one)."""

import io

from openpyxl import Workbook
from playwright.sync_api import expect

from e2e.conftest import screenshot
from sime.activities.models import Participant
from sime.activities.tests.factories import make_activity, make_consultancy, make_project
from sime.institutions.models import Department, Institution
from sime.policy.demo import load_policy
from sime.policy.models import PolicyNode

PDF = b"%PDF-1.4\n% memoria del lanzamiento\n"


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["Nombre", "Institución", "Sector", "Sexo", "Contacto"]


def test_analyst_reach_evidence_and_attendance_list(login, demo, live_server, no_axe_violations, tmp_path) -> None:  # type: ignore[no-untyped-def]
    project = make_project(Institution.objects.get(acronym="OIM"), title="Socialización 2024")
    activity = make_activity(
        project, department=Department.objects.get(code="GT-14"), attendance_total=3, attendance_by_sector={}
    )
    make_activity(project, title="Reunión con enlaces", kind="informative_meeting", attendance_total=1500)
    make_consultancy(project)

    page = login(demo["analyst"])
    page.get_by_role("link", name="Proyectos", exact=True).click()
    page.get_by_role("link", name="Alcance de la socialización").click()
    expect(page.get_by_test_id("reach-attendance")).to_have_text("1,503")
    expect(page.get_by_test_id("reach-departments")).to_contain_text("Quiché")
    page.get_by_label("Año").select_option("2024")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_test_id("reach-events")).to_have_text("2")
    no_axe_violations(page)
    screenshot(page, "alcance-socializacion")

    # Evidence: upload a memoria, see it on the project, download it back.
    page.goto(f"{live_server.url}/proyectos/{project.pk}/")
    page.get_by_role("link", name=f"Subir evidencia {activity.title}").click()
    no_axe_violations(page)
    page.get_by_label("Tipo").select_option("memoria")
    page.get_by_label("Descripción").fill("Memoria del lanzamiento")
    page.get_by_label("Archivo").set_input_files(
        files=[{"name": "Memoria lanzamiento.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot(page, "evidencia-nueva")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Evidencia guardada.")
    with page.expect_download() as info:
        page.get_by_role("link", name="Memoria: Memoria del lanzamiento").click()
    download = info.value
    assert download.suggested_filename == "Memoria_lanzamiento.pdf"
    saved = tmp_path / "memoria.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
    no_axe_violations(page)
    screenshot(page, "proyecto-con-evidencia")

    # Attendance list: a file with a bad cell is refused whole, then a valid one is imported.
    page.get_by_role("link", name="0 participantes").first.click()
    expect(page.get_by_test_id("participant-count")).to_contain_text("0 participantes registrados")
    no_axe_violations(page)
    page.get_by_role("link", name="Importar listado de asistencia").click()
    bad = _xlsx(
        [HEADERS, ["Ana López", "MINEX", "Gobierno", "Mujer", ""], ["Luis Pérez", "USAC", "Academia", "Hombre", ""]]
    )
    page.get_by_label("Listado de asistencia (.xlsx o .csv)").set_input_files(
        files=[{"name": "lista.xlsx", "mimeType": XLSX, "buffer": bad}]
    )
    page.get_by_role("button", name="Validar e importar").click()
    expect(page.get_by_role("alert")).to_contain_text("El archivo tiene 1 error; no se guardó nada.")
    expect(page.get_by_test_id("import-problems")).to_contain_text("Sector «Gobierno» no válido")
    assert not Participant.objects.exists()
    no_axe_violations(page)
    screenshot(page, "listado-asistencia-errores")
    good = _xlsx(
        [
            HEADERS,
            ["Ana López", "MINEX", "Gubernamental", "Mujer", ""],
            ["Luis Pérez", "USAC", "Academia", "Hombre", ""],
            ["María Tzul", "", "Sociedad civil", "", ""],
            ["Pedro Xol", "", "", "", ""],
        ]
    )
    page.get_by_label("Listado de asistencia (.xlsx o .csv)").set_input_files(
        files=[{"name": "lista.csv.xlsx", "mimeType": XLSX, "buffer": good}]
    )
    page.get_by_role("button", name="Validar e importar").click()
    expect(page.get_by_role("status")).to_contain_text("Se importaron 4 participantes.")
    expect(page.get_by_test_id("participant-count")).to_contain_text(
        "4 participantes registrados de una asistencia total de 3."
    )
    expect(page.get_by_role("alert")).to_contain_text("más personas que la asistencia total")
    no_axe_violations(page)
    screenshot(page, "participantes")
    assert Participant.objects.filter(activity=activity).count() == 4


def test_new_project_pages_are_accessible(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    project = make_project(Institution.objects.get(acronym="OIM"))
    consultancy = make_consultancy(project)
    page = login(demo["analyst"])
    for name, path in [
        ("medio-verificacion-nuevo", f"/proyectos/{project.pk}/medios/nuevo/"),
        ("consultoria-editar", f"/proyectos/{project.pk}/consultorias/{consultancy.pk}/editar/"),
        ("proyecto-editar-lineas", f"/proyectos/{project.pk}/editar/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        screenshot(page, name)
        no_axe_violations(page)


def test_analyst_links_a_project_to_a_line_of_action(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    load_policy()
    node = PolicyNode.objects.actions().order_by("order", "code")[3]
    project = make_project(Institution.objects.get(acronym="OIM"))
    page = login(demo["analyst"])
    page.goto(f"{live_server.url}/proyectos/{project.pk}/editar/")
    page.get_by_label(str(node), exact=True).check()
    no_axe_violations(page)
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Cambios guardados.")
    page.get_by_test_id("policy-nodes").get_by_role("link", name=str(node)).click()
    expect(page.locator("main h1")).to_contain_text(node.title)
    assert list(project.policy_nodes.all()) == [node]
