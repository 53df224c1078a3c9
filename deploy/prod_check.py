"""make prod-check: boot the production stack on loopback and check it end to end, then stop it.

nginx (from Debian's packages, installed if absent) in front of TWO gunicorn app servers, PostgreSQL
(a database of its own, dropped at the end), the django-tasks worker, DEBUG=False and the production
settings. It uses the shipped files: deploy/gunicorn.conf.py and deploy/nginx/*.conf (only paths
and ports are rewritten). Checks: `check --deploy` clean but for TLS, login, a page of each app, an
upload through nginx downloaded from either app server (shared media), a workflow e-mail sent by the
worker, static files from nginx with caching headers, media not public.

Environment: PROD_CHECK_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/sime_prodcheck),
PROD_CHECK_KEEP=1 keeps the temporary folder and the database for a look after a failure.
The load and soak test (bench/load.py, `make bench-soak`) reuses `Stack`, `Browser` and
`open_demo_period` from here.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEMO_PASSWORD = "prod-check-" + secrets.token_hex(4)
ADMIN = "administrador@demo.sime.gt"
# What `check --deploy` may say on loopback without TLS: no HSTS and no HTTPS redirect.
TLS_ONLY_WARNINGS = {"security.W004", "security.W008"}


def say(message: str) -> None:
    print(f"[prod-check] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_binary() -> str:
    """nginx from Debian's packages; installed (as root, or with sudo) when it is missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    say("nginx is missing: installing it from Debian's packages")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # The package starts Debian's default site on port 80 where services can start; this check does
    # not need it, and only stops it if the package's own service is what is running.
    if shutil.which("service") and subprocess.run(["pgrep", "-x", "nginx"], capture_output=True).returncode == 0:
        subprocess.run([*sudo, "service", "nginx", "stop"], capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Stack:
    """The production stack on loopback: call start(), use .url, always stop()."""

    workers_per_app: int = 2
    log_level: str = "warning"
    keep: bool = os.environ.get("PROD_CHECK_KEEP") == "1"
    database_url: str = os.environ.get(
        "PROD_CHECK_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/sime_prodcheck"
    )
    extra_env: dict[str, str] = field(default_factory=dict)
    boot_seconds: float = 60  # how long start() waits for each server to answer
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    created_database: bool = False

    def __post_init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="sime-prod-"))
        self.tmp.chmod(0o755)
        self.media = self.tmp / "media"
        self.mail = self.tmp / "mail"
        self.logs = self.tmp / "logs"
        for folder in (self.media, self.mail, self.logs):
            folder.mkdir()
        self.nginx_port, self.app_ports = free_port(), [free_port(), free_port()]
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENV_FILE": str(self.tmp / "no-env-file"),  # the environment only, never the developer's .env
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "EMAIL_URL": f"filemail:///{self.mail}",  # four slashes before an absolute path
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "SECURE_COOKIES": "True",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": str(self.workers_per_app),
            "GUNICORN_LOG_LEVEL": self.log_level,
            **self.extra_env,
        }

    # --- commands ---------------------------------------------------------
    def manage(self, *args: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            check=not capture,
            capture_output=capture,
            text=True,
        )
        return (result.stdout or "") + (result.stderr or "")

    def _database(self, action: str) -> None:
        import psycopg

        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z0-9_]+", name) or name in {"sime_ci", "test_sime_ci", "sime_bench", "postgres"}:
            raise SystemExit(f"refusing to use database {name!r}")
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if action == "create":
                conn.execute(f'CREATE DATABASE "{name}"')

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))

    def _nginx_conf(self) -> Path:
        static_root = ROOT / "staticfiles"
        upstream = (DEPLOY / "nginx" / "sime-upstream.conf").read_text()
        upstream = upstream.replace("127.0.0.1:8001", f"127.0.0.1:{self.app_ports[0]}").replace(
            "127.0.0.1:8002", f"127.0.0.1:{self.app_ports[1]}"
        )
        locations = (DEPLOY / "nginx" / "sime-locations.conf").read_text()
        locations = locations.replace("/srv/sime/app/staticfiles/", f"{static_root}/").replace(
            "/var/lib/sime/media/", f"{self.media}/"
        )
        (self.tmp / "sime-upstream.conf").write_text(upstream)
        (self.tmp / "sime-locations.conf").write_text(locations)
        user = "root" if os.geteuid() == 0 else ""
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            f"""{f"user {user};" if user else ""}
worker_processes 2;
pid {self.tmp}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    access_log {self.logs}/nginx-access.log;
    client_body_temp_path {self.tmp}/nginx-body;
    proxy_temp_path {self.tmp}/nginx-proxy;
    fastcgi_temp_path {self.tmp}/nginx-fastcgi;
    uwsgi_temp_path {self.tmp}/nginx-uwsgi;
    scgi_temp_path {self.tmp}/nginx-scgi;
    include {self.tmp}/sime-upstream.conf;
    server {{
        listen 127.0.0.1:{self.nginx_port};
        server_name 127.0.0.1 localhost;
        include {self.tmp}/sime-locations.conf;
    }}
}}
"""
        )
        return conf

    def start(self, *, demo: bool = True) -> None:
        started = time.monotonic()
        nginx = nginx_binary()
        say(f"database {urlsplit(self.database_url).path.lstrip('/')}, files in {self.tmp}")
        self._database("create")
        self.created_database = True
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("migrate", "--noinput", "--verbosity", "0")
        if demo:
            self.manage("load_demo", "--allow-demo-users", "--password", DEMO_PASSWORD, "--verbosity", "0")
        say(f"database ready ({time.monotonic() - started:.0f} s)")
        for n, port in enumerate(self.app_ports, start=1):
            self._spawn(
                f"app{n}",
                [str(GUNICORN), "config.wsgi", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            )
        self._spawn("worker", [str(PYTHON), "manage.py", "db_worker", "--interval", "1", "--no-startup-delay"])
        conf = self._nginx_conf()
        subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(self.tmp)], check=True)
        self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.tmp)])
        for port in [*self.app_ports, self.nginx_port]:
            self._wait_for(port, self.boot_seconds)
        say(f"stack up: nginx :{self.nginx_port} → app servers :{self.app_ports[0]}, :{self.app_ports[1]}")

    def _wait_for(self, port: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}: {self.log_tail(name)}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/cuentas/ingresar/", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"nothing answered on port {port} in {seconds:.0f} s")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in 20 s: killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()
        if self.keep:
            say(f"kept {self.tmp} and the database (PROD_CHECK_KEEP=1)")
            return
        if self.created_database:
            try:
                self._database("drop")
            except Exception as error:
                say(f"could not drop the database: {error}")
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def running(stack: Stack, **start: Any) -> Iterator[Stack]:
    """Start the stack and stop it whatever happens, also on Ctrl+C or SIGTERM."""

    def interrupted(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        stack.start(**start)
        yield stack
    finally:
        stack.stop()
        signal.signal(signal.SIGTERM, previous)


# --- a small HTTP client that keeps cookies (also Secure ones: TLS ends at nginx in production) --------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        raw = conn.getresponse()
        response = Response(raw.status, raw.headers, raw.read())
        conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def csrf_from(self, page: Response) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not found:
            raise AssertionError("no CSRF token in the form")
        return found.group(1)

    def post_form(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None):  # type: ignore[no-untyped-def]
        if not files:
            body = urlencode(fields).encode()
            return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, body=b"".join(parts), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def post_json(self, path: str, data: dict[str, Any] | None = None) -> Response:
        return self.request(
            "POST",
            path,
            body=json.dumps(data or {}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )

    def login(self, email: str, password: str = DEMO_PASSWORD) -> Response:
        page = self.get("/cuentas/ingresar/")
        answer = self.post_form(
            "/cuentas/ingresar/",
            {"csrfmiddlewaretoken": self.csrf_from(page), "username": email, "password": password},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login of {email} failed: {answer.status}")
        return answer


# --- the checks ------------------------------------------------------------------------------------------


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    say(f"ok  {message}")


def check_deploy(stack: Stack) -> None:
    output = stack.manage("check", "--deploy", capture=True)
    codes = set(re.findall(r"\(([a-z_]+\.[EW]\d{3})\)", output))
    unexpected = codes - TLS_ONLY_WARNINGS
    check(not unexpected, f"check --deploy: nothing but TLS on loopback ({sorted(codes) or 'no warnings'})")
    if unexpected:
        print(output)


def check_pages(browser: Browser) -> None:
    pages = {
        "analytics (national dashboard)": "/",
        "accounts (users)": "/cuentas/usuarios/",
        "institutions": "/instituciones/",
        "policy": "/politica/",
        "reporting": "/reportes/",
        "activities (projects)": "/proyectos/",
        "monitoring (IPTT)": "/monitoreo/iptt/",
        "core (audit trail)": "/sistema/auditoria/",
        "api": "/api/v1/me/",
        "admin": "/admin/",
    }
    for name, path in pages.items():
        response = browser.get(path)
        check(response.status == 200, f"{name}: GET {path} → {response.status}")
        if response.headers.get("Content-Type", "").startswith("text/html"):
            policy = response.headers.get("Content-Security-Policy", "")
            if "script-src 'self'" not in policy:
                raise AssertionError(f"{path}: no Content-Security-Policy: {policy!r}")


def check_static(stack: Stack, browser: Browser) -> None:
    home = browser.get("/")
    found = re.search(r'src="(/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js)"', home.text)
    check(found is not None, "pages name hashed static files (manifest storage)")
    assert found
    hashed = browser.request("GET", found.group(1), headers={"Accept-Encoding": "gzip"})
    cache = hashed.headers.get("Cache-Control", "")
    check(
        hashed.status == 200 and "immutable" in cache and "max-age=31536000" in cache,
        f"nginx serves {found.group(1)} with Cache-Control: {cache}",
    )
    check(hashed.headers.get("Content-Encoding") == "gzip", "nginx serves the precompressed .gz file")
    server = hashed.headers.get("Server", "")
    check(server.startswith("nginx"), f"static files come from nginx, not the app (Server: {server})")
    plain = browser.get("/static/css/sime.css")
    check(
        plain.status == 200 and "max-age=3600" in plain.headers.get("Cache-Control", ""),
        "an unhashed name is kept an hour",
    )


def open_demo_period(browser: Browser) -> int | None:
    """The Administrador (logged in on `browser`) opens the demo's planned period from the periods page,
    as DEPM would; the answer's status, or None when no period waits to be opened."""
    periods = browser.get("/reportes/")
    opening = re.search(r'action="(/reportes/periodos/\d+/abrir/)"', periods.text)
    if not opening:
        return None
    return browser.post_form(opening.group(1), {"csrfmiddlewaretoken": browser.csrf_from(periods)}).status


def check_upload_and_download(stack: Stack, browser: Browser) -> None:
    """A medio de verificación uploaded by MINEX's técnica to her open instrument, through nginx,
    then downloaded from each app server (one shared media folder). The demo's current period is
    planned: the Administrador opens it first, as DEPM would."""
    opened = open_demo_period(browser)
    if opened is not None:
        check(opened == 302, f"the Administrador opens the demo period → {opened}")
    technical = Browser(stack.nginx_port)
    technical.login("enlace.tecnico@demo.sime.gt")
    listing = technical.get("/reportes/instrumentos/")
    found = re.search(r'href="/reportes/instrumentos/(\d+)/"', listing.text)
    assert found, "no instrument for MINEX in the demo data"
    instrument = f"/reportes/instrumentos/{found.group(1)}/"
    page = technical.get(instrument)
    item = re.search(r'name="item" value="([ai]\d+)"', page.text)
    assert item, "the demo instrument takes no evidence (is it open?)"
    content = b"%PDF-1.4\n% prod-check " + secrets.token_hex(16).encode() + b"\n%%EOF\n"
    posted = technical.post_form(
        f"{instrument}evidencias/",
        {"csrfmiddlewaretoken": technical.csrf_from(page), "item": item.group(1)},
        files={"file": ("acta-prod-check.pdf", content, "application/pdf")},
    )
    check(posted.status == 302, f"upload through nginx → {posted.status}")
    page = technical.get(instrument)
    links = re.findall(r'href="(/reportes/evidencias/(\d+)/)"', page.text)
    assert links, "the uploaded file is not listed"
    link = max(links, key=lambda pair: int(pair[1]))[0]
    browser = technical
    stored = list(stack.media.rglob("*.pdf"))
    check(any(path.read_bytes() == content for path in stored), "the file is in the shared media folder")
    for port in stack.app_ports:
        direct = Browser(port)
        direct.cookies = dict(browser.cookies)
        response = direct.get(link)
        check(
            response.status == 200 and response.body == content,
            f"app server :{port} serves the same download ({len(response.body)} bytes)",
        )
        check(
            response.headers.get("Content-Security-Policy") == "default-src 'none'; sandbox"
            and response.headers.get("Content-Disposition", "").startswith("attachment"),
            "the download is a sandboxed attachment",
        )
    relative = next(path for path in stored if path.read_bytes() == content).relative_to(stack.media)
    direct_media = browser.get(f"/media/{relative}")
    check(direct_media.status == 404, f"/media/{relative} is not public ({direct_media.status})")


def check_workflow_mail(stack: Stack, browser: Browser) -> None:
    before = set(stack.mail.iterdir())
    browser.get("/api/v1/me/")  # sets the CSRF cookie for the session-authenticated API
    created = browser.post_json(
        "/api/v1/periods/",
        {
            "policy": "PM-2023",
            "kind": "month",
            "year": 2030,
            "number": 7,
            "opens_on": "2030-07-25",
            "closes_on": "2030-08-10",
        },
    )
    check(created.status == 201, f"a period is created through the API ({created.status} {created.text[:200]})")
    period = json.loads(created.body)
    opened = browser.post_json(f"/api/v1/periods/{period['id']}/open/")
    check(opened.status == 200, f"period {period['code']} opened ({opened.status})")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        mails = [path.read_text(errors="replace") for path in set(stack.mail.iterdir()) - before]
        if any(period["code"] in text for text in mails):
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"no e-mail about {period['code']} from the worker in 60 s:\n{stack.log_tail('worker')}")
    check(True, f"the worker sent {len(mails)} e-mail file(s) about {period['code']}")


def main() -> int:
    started = time.monotonic()
    stack = Stack()
    failed = False
    with running(stack):
        try:
            check_deploy(stack)
            browser = Browser(stack.nginx_port)
            check(browser.get("/").status == 200, "anonymous visitors see the public portal's home")
            check(browser.get("/monitoreo/").status == 302, "anonymous visitors are sent to the login page")
            browser.login(ADMIN)
            check(True, f"login as {ADMIN}")
            check_pages(browser)
            check_static(stack, browser)
            check_upload_and_download(stack, browser)
            check_workflow_mail(stack, browser)
            errors = [name for name in ("app1", "app2", "worker") if "Traceback" in stack.log_tail(name, 1000)]
            check(not errors, f"no traceback in the app servers' and worker's logs {errors or ''}")
        except (AssertionError, RuntimeError, subprocess.CalledProcessError) as error:
            failed = True
            say(f"FAILED: {error}")
            for name in ("app1", "app2", "worker", "nginx", "nginx-error"):
                tail = stack.log_tail(name, 15)
                if tail:
                    print(f"--- {name}\n{tail}")
    if failed:
        return 1
    say(f"passed in {time.monotonic() - started:.0f} s; everything it started is stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
