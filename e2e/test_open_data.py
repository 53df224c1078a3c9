"""Open data in the browser: a visitor finds the datasets of a published period, downloads one as
CSV with its dictionary, and the page passes axe (also at phone width)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from playwright.sync_api import Browser, expect

from e2e.conftest import screenshot, serious_accessibility_violations
from sime.accounts.models import User
from sime.policy.demo import load_policy
from sime.public import services
from sime.reporting.demo import demo_reviewers, load_history


def test_a_visitor_downloads_a_dataset_and_its_dictionary(  # type: ignore[no-untyped-def]
    browser: Browser, demo, live_server, tmp_path: Path
) -> None:
    load_policy()
    reviewers = demo_reviewers()
    assert reviewers is not None
    periods = load_history(*reviewers)
    older = min(periods, key=lambda p: p.ends_on)
    services.publish(by=User.objects.get(email=demo["analyst"]), target=older)

    context = browser.new_context(
        locale="es-GT", viewport={"width": 1280, "height": 900}, reduced_motion="reduce", accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/datos/")
    expect(page.get_by_role("heading", name="Datos abiertos")).to_be_visible()
    expect(page.get_by_test_id("open-data-licence")).to_have_text("CC BY 4.0")
    values = page.locator("li[data-dataset='valores-indicadores']")
    expect(values.get_by_test_id("dataset-updated")).not_to_contain_text("Sin datos publicados")
    # No event is published in the demo: its datasets say so.
    expect(page.locator("li[data-dataset='eventos']").get_by_test_id("dataset-updated")).to_have_text(
        "Sin datos publicados"
    )
    assert serious_accessibility_violations(page) == []
    screenshot(page, "datos-abiertos")

    with page.expect_download() as download:
        values.get_by_role(
            "link", name="Valores de los indicadores de la Política Migratoria en CSV", exact=True
        ).click()
    path = tmp_path / "valores.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows and {row["periodo_codigo"] for row in rows} == {older.code}

    with page.expect_download() as dictionary:
        values.get_by_role(
            "link", name="Diccionario de Valores de los indicadores de la Política Migratoria en JSON"
        ).click()
    dictionary_path = tmp_path / "diccionario.json"
    dictionary.value.save_as(dictionary_path)
    fields = [field["name"] for field in json.loads(dictionary_path.read_text(encoding="utf-8"))["schema"]["fields"]]
    assert fields == list(rows[0])

    phone = browser.new_context(locale="es-GT", viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    small = phone.new_page()
    small.goto(f"{live_server.url}/datos/")
    expect(small.get_by_test_id("open-data-datasets")).to_be_visible()
    assert serious_accessibility_violations(small) == []
    screenshot(small, "datos-abiertos-telefono")
