"""Monitoring in the browser: the Autoridad learns how the policy is doing from the demo's approved
periods, and a value approved (then reopened) in the browser appears on (then leaves) the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.conftest import screenshot
from sime.accounts.models import User
from sime.institutions.models import Institution
from sime.policy.demo import load_policy
from sime.reporting import services
from sime.reporting.demo import demo_reviewers, load_history
from sime.reporting.models import ReportingPeriod


def _load_history() -> None:
    load_policy()
    reviewers = demo_reviewers()
    assert reviewers is not None
    load_history(*reviewers)


def test_the_autoridad_learns_how_the_policy_is_doing(page: Page, login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    _load_history()
    login(demo["authority"])

    # The national dashboard is the Autoridad's home.
    expect(page.get_by_role("heading", name="Tablero nacional de la Política Migratoria")).to_be_visible()
    expect(page.get_by_test_id("reading-date")).to_have_text("Datos aprobados al 31 de agosto de 2026")
    expect(page.locator("[data-chart]").first).to_have_attribute("data-ready", "true")
    screenshot(page, "monitoreo-tablero")
    no_axe_violations(page)

    # Which indicators are behind: the attention table lists them with their status.
    attention = page.get_by_test_id("attention-table")
    expect(attention).to_contain_text("IND-3.1")
    expect(attention.locator("[data-status=behind]").first).to_have_text("Rezagado")
    # Which institutions are late: MINTRAB sent late, INTECAP never sent 2026-C2.
    late = page.get_by_test_id("late-table")
    expect(late).to_contain_text("MINTRAB")
    expect(late.locator("tr", has_text="INTECAP")).to_contain_text("No enviado")
    expect(page.get_by_test_id("delayed-table")).to_contain_text("Retraso en la contratación")

    # Open an indicator: its chart, its map by department and its values table.
    attention.get_by_role("link", name="IND-1.1").click()
    expect(page.get_by_role("heading", name="IND-1.1")).to_be_visible()
    expect(page.get_by_test_id("indicator-actual")).to_have_text("1,400")
    expect(page.locator("#years-chart-chart")).to_have_attribute("data-ready", "true")
    expect(page.locator("#indicator-map-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#indicator-map-map path.leaflet-interactive")).to_have_count(22)
    expect(page.get_by_test_id("values-table")).to_contain_text("Luis Analista")
    screenshot(page, "monitoreo-indicador")
    no_axe_violations(page)

    # The monitoring report of the year, as Word and as PDF.
    page.goto(f"{live_server.url}/")
    with page.expect_download() as report:
        page.get_by_test_id("report-docx").click()
    assert report.value.suggested_filename == "informe-monitoreo-2026.docx"
    with page.expect_download() as report_pdf:
        page.get_by_test_id("report-pdf").click()
    assert report_pdf.value.suggested_filename == "informe-monitoreo-2026.pdf"
    pdf_path = report_pdf.value.path()
    from e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "monitoreo-informe.pdf").write_bytes(pdf_path.read_bytes())

    # The IPTT, on screen and as a download.
    page.goto(f"{live_server.url}/monitoreo/iptt/?year=2026")
    expect(page.get_by_test_id("iptt-table")).to_contain_text("IND-3.1")
    screenshot(page, "monitoreo-iptt")
    no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_test_id("iptt-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The map of socialisation reach and the alignment page.
    page.goto(f"{live_server.url}/monitoreo/mapa/")
    expect(page.locator("#department-map-map")).to_have_attribute("data-ready", "true")
    screenshot(page, "monitoreo-mapa")
    no_axe_violations(page)
    page.goto(f"{live_server.url}/monitoreo/alineacion/")
    no_axe_violations(page)

    # A phone: the dashboard stacks.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Tablero nacional de la Política Migratoria")).to_be_visible()
    screenshot(page, "monitoreo-tablero-telefono")


def _instrument_ready_for_review() -> tuple[int, int]:
    """MINEX's instrument of the demo's third cuatrimestre, filled (IND-3.3 = 12), signed and sent."""
    admin = User.objects.get(email="administrador@demo.sime.gt")
    minex = Institution.objects.get(acronym="MINEX")
    period = services.create_period(
        by=admin,
        policy=ReportingPeriod.objects.first().policy,  # type: ignore[union-attr]
        kind="four_month",
        year=2026,
        number=3,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2027, 1, 20),
    )
    services.open_period(by=admin, period=period)
    submission = period.submissions.get(institution=minex)
    technical = User.objects.get(email="enlace.tecnico@demo.sime.gt")
    planning = User.objects.get(email="enlace.planificacion@demo.sime.gt")
    for item in submission.actionprogress_items.all():
        services.save_item(
            by=technical,
            item=item,
            values={"status": "in_progress", "progress_percent": Decimal(70)},
            version=item.version,
        )
    indicator_id = 0
    for value in submission.indicatorvalue_items.select_related("indicator"):
        services.save_item(by=technical, item=value, values={"value": Decimal(12)}, version=value.version)
        if value.indicator.code == "IND-3.3":
            indicator_id = value.indicator_id
    services.sign_technical(by=technical, submission=submission)
    services.sign_planning(by=planning, submission=submission)
    services.send_submission(by=technical, submission=submission)
    return submission.pk, indicator_id


def test_a_value_approved_in_the_browser_is_on_the_next_dashboard_and_leaves_when_reopened(
    page: Page, login, demo, live_server, no_axe_violations
) -> None:  # type: ignore[no-untyped-def]
    _load_history()
    submission_id, indicator_id = _instrument_ready_for_review()
    assert indicator_id
    indicator_url = f"{live_server.url}/monitoreo/indicadores/{indicator_id}/?year=2026"

    login(demo["analyst"])
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(indicator_url)
    expect(page.get_by_test_id("indicator-actual")).to_have_text("—")

    page.goto(f"{live_server.url}/reportes/instrumentos/{submission_id}/")
    page.get_by_role("button", name="Iniciar revisión").click()
    page.get_by_role("button", name="Aprobar").click()
    expect(page.get_by_role("status")).to_contain_text("Instrumento aprobado")

    page.goto(indicator_url)
    expect(page.get_by_test_id("indicator-actual")).to_have_text("12")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("reading-date")).to_have_text("Datos aprobados al 31 de diciembre de 2026")
    expect(page.get_by_test_id("attention-table")).to_contain_text("IND-3.3")
    screenshot(page, "monitoreo-tras-aprobar")

    page.context.clear_cookies()
    login(demo["admin"])
    page.goto(f"{live_server.url}/reportes/instrumentos/{submission_id}/")
    page.get_by_role("link", name="Reabrir").click()
    page.get_by_label("Motivo").fill("El valor de IND-3.3 debe revisarse.")
    page.get_by_role("button", name="Reabrir").click()
    page.goto(indicator_url)
    expect(page.get_by_test_id("indicator-actual")).to_have_text("—")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("attention-table")).not_to_contain_text("IND-3.3")
