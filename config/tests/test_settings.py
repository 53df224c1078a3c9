"""Production must refuse to start without its required variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_settings(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "ENV_FILE": "/nonexistent/.env", **variables}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_no_secret_key_no_start() -> None:
    result = _load_settings(ALLOWED_HOSTS="sime.igm.gob.gt")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_no_allowed_hosts_no_start() -> None:
    result = _load_settings(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_safe_defaults_when_configured() -> None:
    result = _load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="sime.igm.gob.gt")
    assert result.returncode == 0, result.stderr
    # DEBUG off unless set; secure cookies on.
    assert result.stdout.strip() == "False ['sime.igm.gob.gt'] True"
