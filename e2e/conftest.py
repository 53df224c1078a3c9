"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from sime.institutions.demo import DEMO_USERS, load_demo

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Not under test-results/: pytest-playwright empties that folder at every session start.
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-e2e-2026"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=es-GT",  # date inputs show dd/mm/aaaa as for the users
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        message = (
            f"No se encontró Chromium en {CHROMIUM}. Instálelo con "
            "`sudo apt-get install --no-install-recommends chromium` o indique su ruta en CHROMIUM_PATH."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Reduced motion turns off Bootstrap's colour transitions, so axe never measures the contrast of
    # a button half-way from its hover colours to its resting ones (a flaky colour-contrast finding).
    return {
        **browser_context_args,
        "locale": "es-GT",
        "viewport": {"width": 1280, "height": 900},
        "reduced_motion": "reduce",
    }


@pytest.fixture
def demo(transactional_db: None) -> dict[str, str]:
    """The demo data as `make run` loads it; returns role → e-mail."""
    load_demo(with_users=True, password=DEMO_PASSWORD)
    emails = {demo.role.value: demo.email for demo in DEMO_USERS if demo.institution != "MINGOB"}
    return {**emails, "outsider": "enlace.mingob@demo.sime.gt"}


@pytest.fixture
def login(page: Page, live_server: Any) -> Callable[[str], Page]:
    def sign_in(email: str, password: str = DEMO_PASSWORD) -> Page:
        page.goto(f"{live_server.url}/cuentas/ingresar/")
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña").fill(password)
        page.get_by_role("button", name="Ingresar").click()
        return page

    return sign_in


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pdf_first_page(pdf: Path, name: str) -> Path:
    """The PDF's first page as a PNG beside the screenshots (poppler's pdftoppm at 60 dpi), to look at."""
    if shutil.which("pdftoppm") is None:
        message = "No se encontró pdftoppm. Instálelo con `sudo apt-get install --no-install-recommends poppler-utils`."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )
    path = stem.with_suffix(".png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (the same package as pdftoppm), its line breaks
    and runs of spaces made single spaces so that a wrapped sentence is found whole."""
    result = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(result.stdout.split())


def serious_accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page."""
    # Evaluated through the DevTools protocol, not added as a <script>: the page's CSP allows no inline script.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def no_axe_violations() -> Iterator[Callable[[Page], None]]:
    def check(page: Page) -> None:
        violations = serious_accessibility_violations(page)
        assert violations == [], f"{page.url}: {violations}"

    yield check


@pytest.fixture(autouse=True)
def no_csp_violations(page: Page) -> Iterator[None]:
    """Every page runs under the Content-Security-Policy: a blocked script or style fails the journey."""
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield
    assert refused == []
