"""The people of the load and soak test (bench/load.py runs this file with locust, headless).

Each simulated person logs in once through the login form (CSRF token from the page, the demo's
password) and keeps its session cookie for the whole run, as a browser does; the API client sends a
token instead. Between two actions a person waits SOAK_WAIT seconds (default 1–5, drawn at random).

The mix, by weight: the Autoridad and the Analista on the national dashboard, the IPTT and the
indicator and node pages; focal points (enlaces) of the instruments of the open period on their
institution's home and instrument page, saving one item of it with the page's autosave; the
Administrador on the lists; an external system reading the API with a token. Every focal-point user
writes an item no other user writes (bench/load.py assigns them), keeping the version each save answers
with, so an edit conflict is not expected; if the product answers one anyway (its message, by design)
it is counted apart, not as a failure, and the person reloads the page as the message asks.

A request fails when its status is not the expected one (a page 200 without redirect: a lost session
would be a 302 to the login page), or when a save is refused. The plan (accounts, ids, the items of
each writer) comes from the JSON file SOAK_PLAN; the figures per request and the counts of saves,
conflicts and logins go to the JSON file SOAK_RESULT when locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["SOAK_PLAN"]).read_text(encoding="utf-8"))
WAIT = tuple(float(x) for x in os.environ.get("SOAK_WAIT", "1,5").split(","))
COUNTS: dict[str, Any] = {"logins": 0, "saves": 0, "conflicts": 0, "conflict_items": [], "users_by_class": {}}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
YEAR = PLAN["year"]
POLICY = PLAN["policy"]


def _form(fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    return urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"}


class Person(FastHttpUser):
    """A logged-in person of one role: one session for the whole run."""

    abstract = True
    wait_time = between(WAIT[0], WAIT[1])
    email = ""

    def on_start(self) -> None:
        self.login(self.email)

    def login(self, email: str) -> None:
        # The session and CSRF cookies are Secure: TLS ends at nginx in production, so a browser sends
        # them over https. Here nginx listens on plain http on loopback: send them all the same.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        with self.client.get(
            "/cuentas/ingresar/", name="/cuentas/ingresar/", allow_redirects=False, catch_response=True
        ) as page:
            found = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or not found:
                page.failure(f"login page: {page.status_code}, CSRF token {'found' if found else 'missing'}")
                raise RuntimeError(f"no login form for {email}")
        body, headers = _form({"csrfmiddlewaretoken": found.group(1), "username": email, "password": PLAN["password"]})
        with self.client.post(
            "/cuentas/ingresar/",
            name="/cuentas/ingresar/",
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or not self.cookie("sessionid"):
                answer.failure(f"login of {email}: {answer.status_code}")
                raise RuntimeError(f"login of {email} failed")
        COUNTS["logins"] += 1

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == name), "")

    def page(self, path: str, name: str | None = None) -> str:
        """GET a page that must answer 200 itself (not a redirect to the login page)."""
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '') or ''}".strip())
            return response.text or ""


class Authority(Person):
    """Carmen, member of the AMN: the national picture."""

    weight = 3
    email = PLAN["authority"]

    @task(4)
    def dashboard(self) -> None:
        self.page("/monitoreo/")

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(2)
    def iptt(self) -> None:
        self.page(f"/monitoreo/iptt/?policy={POLICY}&year={YEAR}", "/monitoreo/iptt/")

    @task(3)
    def indicator(self) -> None:
        self.page(f"/monitoreo/indicadores/{random.choice(PLAN['indicators'])}/", "/monitoreo/indicadores/[id]/")

    @task(2)
    def node(self) -> None:
        self.page(f"/monitoreo/nodos/{random.choice(PLAN['nodes'])}/", "/monitoreo/nodos/[id]/")


class Analyst(Person):
    """Luis, analyst of DEPM: monitoring, indicators and the reporting period's progress."""

    weight = 4
    email = PLAN["analyst"]

    @task(3)
    def dashboard(self) -> None:
        self.page("/monitoreo/")

    @task(2)
    def iptt(self) -> None:
        self.page(f"/monitoreo/iptt/?policy={POLICY}&year={YEAR}", "/monitoreo/iptt/")

    @task(3)
    def indicator(self) -> None:
        self.page(f"/monitoreo/indicadores/{random.choice(PLAN['indicators'])}/", "/monitoreo/indicadores/[id]/")

    @task(2)
    def indicator_sheet(self) -> None:
        self.page(f"/politica/indicadores/{random.choice(PLAN['indicators'])}/", "/politica/indicadores/[id]/")

    @task(2)
    def completeness(self) -> None:
        self.page(f"/reportes/periodos/{PLAN['period']}/", "/reportes/periodos/[id]/")

    @task(1)
    def instruments(self) -> None:
        self.page("/reportes/instrumentos/")

    @task(2)
    def instrument(self) -> None:
        self.page(f"/reportes/instrumentos/{random.choice(PLAN['submissions'])}/", "/reportes/instrumentos/[id]/")


# Writers take the items of the plan in turn: with more focal-point users than items, two would share one.
_next_writer = itertools.count()


class FocalPoint(Person):
    """An enlace filling in their institution's instrument: one item of it is theirs to save."""

    weight = 8

    def on_start(self) -> None:
        writers = PLAN["writers"]
        self.writer = writers[next(_next_writer) % len(writers)]
        self.login(self.writer["email"])
        self.instrument = f"/reportes/instrumentos/{self.writer['submission']}/"
        self.save_url = f"{self.instrument}acciones/{self.writer['item']}/"
        self.load_instrument()

    def load_instrument(self) -> None:
        text = self.page(self.instrument, "/reportes/instrumentos/[id]/")
        version = re.search(rf'id="ver-a{self.writer["item"]}" value="(\d+)"', text)
        token = CSRF_INPUT.search(text)
        self.version = version.group(1) if version else "0"
        self.csrf = token.group(1) if token else self.cookie("csrftoken")

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(3)
    def instrument_page(self) -> None:
        self.load_instrument()

    @task(1)
    def commitments(self) -> None:
        self.page("/politica/mis-compromisos/")

    @task(6)
    def autosave(self) -> None:
        """What the page's htmx sends when a field changes: the whole item form, with its version."""
        body, headers = _form(
            {
                "csrfmiddlewaretoken": self.csrf,
                "version": self.version,
                "status": "in_progress",
                "progress_percent": str(random.randint(1, 99)),
                "achievements": f"Avance registrado durante la prueba de carga ({random.randint(1, 10**6)}).",
            }
        )
        headers.update({"HX-Request": "true", "HX-Target": f"state-a{self.writer['item']}", "X-CSRFToken": self.csrf})
        with self.client.post(
            self.save_url,
            name="/reportes/instrumentos/[id]/acciones/[id]/ (autosave)",
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            text = response.text or ""
            version = re.search(r'id="ver-a\d+" value="(\d+)"', text)
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif 'data-testid="conflict"' in text:
                # The product's edit conflict (someone saved first): by design, counted apart.
                COUNTS["conflicts"] += 1
                COUNTS["conflict_items"].append(self.writer["item"])
                response.success()
                self.load_instrument()
                return
            elif 'data-testid="saved"' not in text:
                response.failure("not saved: " + re.sub(r"<[^>]+>", " ", text)[:200])
            else:
                COUNTS["saves"] += 1
            if version:
                self.version = version.group(1)


class Administrator(Person):
    """Ana, the Administradora: the lists she keeps."""

    weight = 2
    email = PLAN["admin"]

    @task(2)
    def users(self) -> None:
        self.page("/cuentas/usuarios/")

    @task(2)
    def institutions(self) -> None:
        self.page("/instituciones/")

    @task(1)
    def institution(self) -> None:
        self.page(f"/instituciones/{random.choice(PLAN['institutions'])}/", "/instituciones/[id]/")

    @task(2)
    def periods(self) -> None:
        self.page("/reportes/")

    @task(1)
    def projects(self) -> None:
        self.page("/proyectos/")

    @task(1)
    def audit(self) -> None:
        self.page("/sistema/auditoria/")


class ApiClient(FastHttpUser):
    """An external system reading the monitoring API with the Analista's token (no session)."""

    weight = 3
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        self.client.auth_header = f"Token {PLAN['token']}"

    def get_json(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, headers={"Accept": "application/json"}, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def policy_progress(self) -> None:
        self.get_json(f"/api/v1/policies/{POLICY}/progress/?year={YEAR}", "/api/v1/policies/[code]/progress/")

    @task(3)
    def indicator_progress(self) -> None:
        indicator = random.choice(PLAN["indicators"])
        self.get_json(f"/api/v1/indicators/{indicator}/progress/?year={YEAR}", "/api/v1/indicators/[id]/progress/")

    @task(2)
    def institutions(self) -> None:
        self.get_json("/api/v1/institutions/", "/api/v1/institutions/")

    @task(2)
    def submissions(self) -> None:
        self.get_json(f"/api/v1/submissions/?period={PLAN['period_code']}", "/api/v1/submissions/")

    @task(1)
    def me(self) -> None:
        self.get_json("/api/v1/me/", "/api/v1/me/")


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_kwargs: Any) -> None:
    runner = _environment.runner if _environment else None
    if runner is not None:
        COUNTS["users_by_class"] = dict(runner.user_classes_count)


_environment: Any = None


@events.init.add_listener
def _init(environment: Any, **_kwargs: Any) -> None:
    global _environment
    _environment = environment


def _entry(entry: Any) -> dict[str, Any]:
    def percentile(share: float) -> int | None:
        return entry.get_response_time_percentile(share) if entry.num_requests else None

    return {
        "method": entry.method or "",
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50_ms": percentile(0.5),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": round(entry.max_response_time),
        "average_ms": round(entry.avg_response_time, 1),
        "requests_per_s": round(entry.total_rps, 2),
    }


@events.quitting.add_listener
def _write_result(environment: Any, **_kwargs: Any) -> None:
    """Every person has stopped (locust waits for the tasks under way): the final figures, with the
    requests answered during the stop too (locust's CSV files can miss those)."""
    stats = environment.runner.stats
    COUNTS["writers"] = min(COUNTS["users_by_class"].get("FocalPoint", 0), len(PLAN["writers"]))
    result = {
        **COUNTS,
        "pages": [_entry(entry) for _key, entry in sorted(stats.entries.items())],
        "total": _entry(stats.total),
        "failure_messages": [
            {"method": e.method, "name": e.name, "error": e.parse_error(e.error), "occurrences": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    Path(os.environ["SOAK_RESULT"]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
