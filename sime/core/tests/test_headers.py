"""Security headers: a Content-Security-Policy without inline script on every page, HSTS from the
environment, and templates that need no inline script to work."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sime.conftest import Cast

SIME = Path(settings.BASE_DIR) / "sime"


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


PAGES = [
    "home",
    "institutions:institution-list",
    "policy:policy-list",
    "reporting:period-list",
    "activities:project-list",
    "core:audit-list",
    "accounts:user-list",
    "api:docs",
]


@pytest.mark.django_db
def test_every_html_page_has_a_policy_that_allows_only_our_own_scripts(framework: Cast) -> None:
    anonymous = Client().get(reverse("accounts:login"))
    client = Client()
    client.force_login(framework.admin)
    responses = [anonymous] + [client.get(reverse(name)) for name in PAGES]
    for response in responses:
        assert response.status_code == 200, response
        assert response["Content-Type"].startswith("text/html")
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], response.request["PATH_INFO"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    # Error pages too (no DEBUG in tests).
    assert "script-src 'self'" in client.get("/no-existe/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_api_docs_load_their_start_up_script_as_a_file(framework: Cast) -> None:
    client = Client()
    client.force_login(framework.admin)
    page = client.get(reverse("api:docs")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", page)  # no inline script body
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_event_handlers_or_javascript_urls() -> None:
    offenders = []
    for template in SIME.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [f"{template.relative_to(SIME)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def _settings_with(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50, **env}
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    seconds, subdomains, preload = json.loads(out.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "subdomains": subdomains, "preload": preload}


def test_hsts_include_subdomains_and_preload_come_from_the_environment() -> None:
    assert _settings_with(
        {"SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True", "SECURE_HSTS_PRELOAD": "True"}
    ) == {"seconds": 31536000, "subdomains": True, "preload": True}
    assert _settings_with(
        {"SECURE_HSTS_SECONDS": "0", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False", "SECURE_HSTS_PRELOAD": "False"}
    ) == {"seconds": 0, "subdomains": False, "preload": False}


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https_when_set(framework: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
