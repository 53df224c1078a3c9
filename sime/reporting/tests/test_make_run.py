"""`make run` delivers workflow e-mails, serves the product's own error pages and the favicon."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings

from sime.conftest import Cast
from sime.reporting import services
from sime.reporting.tests.test_workflow import fill

ROOT = Path(__file__).resolve().parents[3]


def _make_run_env() -> dict[str, str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^RUN_ENV := (.+)$", makefile, re.MULTILINE)
    assert line, "the Makefile names the environment of `make run` in RUN_ENV"
    pairs = dict(part.split("=", 1) for part in line.group(1).split())
    pairs["DEBUG"] = "false"  # $(DEBUG)'s default
    return pairs


def _settings_under(env: dict[str, str]) -> dict[str, str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND']); print(s.DEBUG); print(s.SESSION_COOKIE_SECURE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {"backend": out[0], "debug": out[1], "secure_cookies": out[2]}


def test_make_run_settings_send_at_once_with_debug_off() -> None:
    values = _settings_under(_make_run_env())
    assert values == {
        "backend": "django_tasks.backends.immediate.ImmediateBackend",
        "debug": "False",
        "secure_cookies": "False",  # http on loopback: the login cookie must still be sent
    }


@pytest.mark.django_db
def test_a_transition_email_is_delivered_under_make_run_settings(
    reporting: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    backend = _make_run_env()["TASKS_BACKEND"]
    cast = reporting
    fill(cast)
    with override_settings(TASKS={"default": {"BACKEND": backend}}):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.sign_technical(by=cast.technical, submission=cast.submission)
    assert [m.to for m in mail.outbox] == [[cast.planning.email]]


def test_the_favicon_is_served_at_the_root() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
