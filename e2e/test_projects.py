"""An Analista records a cooperation project and gets its report; a Cooperante sees only its own."""

from playwright.sync_api import expect

from e2e.conftest import screenshot
from sime.activities.models import Project
from sime.activities.tests.factories import make_project
from sime.institutions.models import Institution


def _event(page, title: str, date: str, total: str, government: str, cost: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Nueva actividad").click()
    page.get_by_label("Tipo").select_option("informative_meeting")
    page.get_by_label("Título").fill(title)
    page.locator("#id_start_date").fill(date)
    page.get_by_label("Asistencia total").fill(total)
    page.get_by_label("Gubernamental").fill(government)
    page.get_by_label("Costo (Q)").fill(cost)
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Actividad guardada.")


def _consultancy(page, title: str, amount: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Nueva consultoría").click()
    page.get_by_label("Título").fill(title)
    page.get_by_label("Mes de inicio").fill("2024-05")
    page.get_by_label("Mes de finalización").fill("2024-08")
    page.get_by_label("Monto (Q)").fill(amount)
    page.get_by_label("Asignaciones y funciones").fill("Asistencia Técnica 1\n- Diseñar instrumentos")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Consultoría guardada.")


def test_analyst_records_a_project_and_downloads_its_report(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    page = login(demo["analyst"])
    page.get_by_role("link", name="Proyectos", exact=True).click()
    page.get_by_role("link", name="Nuevo proyecto").click()
    no_axe_violations(page)
    page.get_by_label("Título").fill("Socialización de la Política 2024")
    page.get_by_label("Agencia cooperante").select_option(label="Organización Internacional para las Migraciones")
    page.get_by_label("Modalidad").select_option("in_kind")
    page.get_by_label("Área administrativa a cargo").fill("Departamento de Estudios y Políticas Migratorias")
    page.get_by_role("textbox", name="Persona responsable", exact=True).fill("Ana López")
    page.get_by_label("Cargo de la persona responsable").fill("Jefa del DEPM")
    page.locator("#id_start_date").fill("01/03/2024")
    page.locator("#id_end_date").fill("31/12/2024")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("Proyecto creado.")
    _event(page, "Lanzamiento", "2024-03-05", "120", "80", "11,710.50")
    _event(page, "Reunión con enlaces", "2024-04-10", "45", "45", "2,500.25")
    _event(page, "Diálogo con sociedad civil", "2024-06-12", "70", "10", "5,000.25")
    _consultancy(page, "Consultoría de monitoreo", "23,421.00")
    _consultancy(page, "Consultoría de comunicación", "8,000.00")
    expect(page.get_by_test_id("amount-total")).to_have_text("Q 50,632.00")
    expect(page.locator("[data-gantt]")).to_have_attribute("data-ready", "true")
    expect(page.locator(".gantt .bar-wrapper")).to_have_count(5)
    no_axe_violations(page)
    screenshot(page, "proyecto-detalle")
    for label, suffix in (("Informe (Word)", ".docx"), ("Informe (PDF)", ".pdf")):
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        assert info.value.suggested_filename.endswith(suffix)
    assert Project.objects.get().activities.count() == 3


def test_cooperant_sees_only_its_project(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    make_project(Institution.objects.get(acronym="OIM"), title="Proyecto de la OIM")
    make_project(Institution.objects.get(acronym="UE"), title="Proyecto de la Unión Europea")
    page = login(demo["cooperant"])
    page.get_by_role("link", name="Proyectos", exact=True).click()
    expect(page.get_by_role("link", name="Proyecto de la OIM")).to_be_visible()
    expect(page.get_by_role("link", name="Proyecto de la Unión Europea")).to_have_count(0)
    expect(page.get_by_role("link", name="Nuevo proyecto")).to_have_count(0)
    screenshot(page, "proyectos-cooperante")


def test_project_forms_are_accessible(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    project = make_project(Institution.objects.get(acronym="OIM"))
    page = login(demo["analyst"])
    for name, path in [
        ("proyecto-editar", f"/proyectos/{project.pk}/editar/"),
        ("actividad-nueva", f"/proyectos/{project.pk}/actividades/nueva/"),
        ("consultoria-nueva", f"/proyectos/{project.pk}/consultorias/nueva/"),
        ("acuerdo-nuevo", f"/proyectos/{project.pk}/acuerdos/nuevo/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        screenshot(page, name)
        no_axe_violations(page)
