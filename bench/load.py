"""`make bench-soak` (or `BENCH_SOAK=1 make bench`): load and soak through nginx, on loopback only.

Boots the production stack of `make prod-check` (deploy/prod_check.py: nginx in front of two gunicorn
app servers, PostgreSQL, the task worker, DEBUG=False, the shipped gunicorn and nginx files) on a
database of its own, created fresh, loaded with the demo and dropped at the end. The Administrador
opens the demo's planned period, every focal point of an instrument in it gets the demo password, and
locust (bench/locustfile.py, headless, in a process of its own) then plays SOAK_USERS concurrent
logged-in people (default 20, then 50) for SOAK_MINUTES each (default 10), one level after the other
on the same stack, as a mix of roles described in the locustfile.

Recorded per level: requests, failures and p50/p95/max per page (locust's figures), requests per
second, the edit conflicts and saves of the autosave, the statuses nginx logged, tracebacks in the
app servers' and worker's logs, the load average at the start and end, and the resident memory (RSS)
of every gunicorn worker at the start and end (and every SAMPLE_SECONDS in between) to spot a leak.
Results: bench/results/soak.json and the «Load and soak» section of docs/PERFORMANCE.md. The command
exits 1 when a request failed or a traceback was logged: the target is no error at all.

Environment: SOAK_USERS (e.g. `20,50`), SOAK_MINUTES (e.g. `1` for a quick run), SOAK_SPAWN_RATE
(people starting per second, default 1), SOAK_WAIT (think time, default `1,5` seconds),
SOAK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sime_soak), PROD_CHECK_KEEP=1 keeps the
stack's folder and database after the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
RESULT_FILE = RESULTS / "soak.json"
REPORT = ROOT / "docs" / "PERFORMANCE.md"
SECTION = "## Load and soak"
LOCUST = ROOT / ".venv" / "bin" / "locust"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
SAMPLE_SECONDS = 30
DEMO = {
    "authority": "autoridad@demo.sime.gt",
    "analyst": "analista@demo.sime.gt",
    "admin": "administrador@demo.sime.gt",
}
MIX = (
    "Autoridad (weight 3): national dashboard, home, IPTT, indicator and node pages. "
    "Analista (4): dashboard, IPTT, indicator pages and sheets, the period's completeness, the instrument "
    "list and instruments. Enlaces (8): their home, their instrument page, the autosave of the one item "
    "each writes (one writer per item, round robin over the instruments of the open period), their "
    "commitments. Administrador (2): users, institutions, periods, projects, audit trail. "
    "API client (3, the Analista's token, no session): policy and indicator progress, institutions, "
    "submissions, me."
)

# Run inside `manage.py shell` on the stack: the demo's focal points of the open period's instruments
# get the demo password (the generated ones have none), and the plan names who writes which item.
PLAN_CODE = """
import itertools, json
from django.contrib.auth.hashers import make_password
from sime.institutions.models import FocalPoint, Institution
from sime.policy.models import Indicator, PolicyNode
from sime.reporting.models import ActionProgress, ReportingPeriod, Submission

period = ReportingPeriod.objects.select_related("policy").get(status="open")
hashed = make_password(PASSWORD)
queues = []
submissions = list(Submission.objects.filter(period=period).order_by("pk"))
for submission in submissions:
    people = [
        fp.user
        for fp in FocalPoint.objects.current()
        .filter(institution_id=submission.institution_id, user__is_active=True)
        .select_related("user")
        .order_by("role")
    ]
    items = list(ActionProgress.objects.filter(submission=submission).order_by("pk").values_list("pk", flat=True))
    if not people or not items:
        continue
    for person in people:
        if not person.has_usable_password():
            person.password = hashed
            person.save(update_fields=["password"])
    queues.append([(people[n % len(people)].email, submission.pk, item) for n, item in enumerate(items)])
writers = [
    {"email": email, "submission": pk, "item": item}
    for group in itertools.zip_longest(*queues)
    for email, pk, item in filter(None, group)
]
plan = {
    "policy": period.policy.code,
    "year": period.year,
    "period": period.pk,
    "period_code": period.code,
    "submissions": [s.pk for s in submissions],
    "indicators": list(Indicator.objects.filter(policy=period.policy).values_list("pk", flat=True)),
    "nodes": list(PolicyNode.objects.filter(policy=period.policy).values_list("pk", flat=True)),
    "institutions": list(Institution.objects.order_by("pk").values_list("pk", flat=True)[:40]),
    "writers": writers,
}
print("SOAK-PLAN " + json.dumps(plan))
"""


def say(message: str) -> None:
    print(f"[soak] {message}", flush=True)


def loadavg() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def levels() -> list[int]:
    return [int(n) for n in os.environ.get("SOAK_USERS", "20,50").split(",") if n.strip()]


def minutes() -> float:
    return float(os.environ.get("SOAK_MINUTES", "10"))


def spawn_rate() -> float:
    return float(os.environ.get("SOAK_SPAWN_RATE", "1"))


def think_time() -> list[float]:
    return [float(x) for x in os.environ.get("SOAK_WAIT", "1,5").split(",")]


# --- memory of the app servers --------------------------------------------------------------------


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return sorted(children)


def memory(stack: Any) -> dict[str, Any]:
    """RSS (MB) of each app server's gunicorn workers (by pid) and their master."""
    apps = {}
    for name, process in stack.processes:
        if not name.startswith("app"):
            continue
        workers = {pid: round(_rss_kb(pid) / 1024, 1) for pid in _children(process.pid)}
        apps[name] = {"master_mb": round(_rss_kb(process.pid) / 1024, 1), "workers_mb": workers}
    total = sum(sum(app["workers_mb"].values()) for app in apps.values())
    return {"at": time.strftime("%H:%M:%S"), "workers_total_mb": round(total, 1), "apps": apps}


class Sampler(threading.Thread):
    """Load average and worker memory every SAMPLE_SECONDS while a level runs."""

    def __init__(self, stack: Any) -> None:
        super().__init__(daemon=True)
        self.stack, self.samples, self.done = stack, [], threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            sample = memory(self.stack)
            self.samples.append(
                {
                    "second": round(time.monotonic() - self.started_at),
                    "loadavg": loadavg(),
                    "workers_total_mb": sample["workers_total_mb"],
                    "workers": sum(len(app["workers_mb"]) for app in sample["apps"].values()),
                }
            )


# --- the stack ------------------------------------------------------------------------------------


def prepare(stack: Any, prod_check: Any, folder: Path) -> Path:
    """Open the demo period as the Administrador, give the enlaces a password, write the plan."""
    admin = prod_check.Browser(stack.nginx_port)
    admin.login(DEMO["admin"])
    opened = prod_check.open_demo_period(admin)
    if opened != 302:
        raise RuntimeError(f"the Administrador could not open the demo period ({opened})")
    code = f"PASSWORD = {json.dumps(prod_check.DEMO_PASSWORD)}\n{PLAN_CODE}"
    output = stack.manage("shell", "--no-startup", "-c", code, capture=True)
    found = re.search(r"^SOAK-PLAN (.+)$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"no plan from the stack:\n{output[-2000:]}")
    plan = json.loads(found.group(1))
    token = stack.manage("drf_create_token", DEMO["analyst"], capture=True)
    found_token = re.search(r"Generated token ([0-9a-f]{40})", token)
    if not found_token:
        raise RuntimeError(f"no API token: {token}")
    plan.update(DEMO, password=prod_check.DEMO_PASSWORD, token=found_token.group(1))
    path = folder / "plan.json"
    path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    writers = plan["writers"]
    say(
        f"period {plan['period_code']} open: {len(plan['submissions'])} instruments, {len(writers)} items "
        f"for writers in {len({w['submission'] for w in writers})} of them, {len(plan['indicators'])} indicators"
    )
    return path


def warm_up(stack: Any, prod_check: Any, workers: int) -> None:
    """A few pages from twice as many parallel sessions as there are workers, so that every worker has
    served its first request (URL conf, templates, caches) before the measurement: servers in use are
    warm. Not measured."""
    from concurrent.futures import ThreadPoolExecutor

    def browse(_n: int) -> None:
        browser = prod_check.Browser(stack.nginx_port)
        browser.login(DEMO["analyst"])
        for path in ("/", "/monitoreo/", "/monitoreo/iptt/", "/reportes/instrumentos/", "/api/v1/me/"):
            browser.get(path)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(browse, range(2 * workers)))
    say(f"warmed up {2 * workers} sessions in {time.monotonic() - started:.0f} s")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _nginx_statuses(log: Path, start: int) -> dict[str, int]:
    statuses: dict[str, int] = {}
    with log.open("rb") as handle:
        handle.seek(start)
        for line in handle:
            found = re.search(rb'" (\d{3}) ', line)
            if found:
                key = found.group(1).decode()
                statuses[key] = statuses.get(key, 0) + 1
    return dict(sorted(statuses.items()))


def _tracebacks(stack: Any) -> dict[str, int]:
    counts = {}
    for name in ("app1", "app2", "worker"):
        path = stack.logs / f"{name}.log"
        counts[name] = path.read_text(errors="replace").count("Traceback") if path.exists() else 0
    return counts


def run_level(stack: Any, plan: Path, users: int, folder: Path) -> dict[str, Any]:
    seconds = round(minutes() * 60)
    say(f"{users} users for {seconds} s through nginx ({stack.url})")
    result_file = folder / f"locust_{users}.json"
    access_log = stack.logs / "nginx-access.log"
    log_start, tracebacks_start = _size(access_log), _tracebacks(stack)
    started_at = dt.datetime.now(dt.UTC)
    load_start, memory_start = loadavg(), memory(stack)
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = Sampler(stack)
    sampler.start()
    command = [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate()),
        "--run-time",
        f"{seconds}s",
        "--host",
        stack.url,
        "--only-summary",
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        "--logfile",
        str(folder / f"locust_{users}.log"),
    ]
    env = {
        **os.environ,
        "SOAK_PLAN": str(plan),
        "SOAK_RESULT": str(result_file),
        "SOAK_WAIT": ",".join(str(x) for x in think_time()),
    }
    monotonic = time.monotonic()
    try:
        # locust from this virtualenv with fixed arguments (the host is the stack's loopback URL).
        subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=env, check=True, timeout=seconds + 300, stdout=subprocess.DEVNULL
        )
    finally:
        sampler.done.set()
        sampler.join()
    duration = time.monotonic() - monotonic
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    memory_end, load_end = memory(stack), loadavg()
    counts = json.loads(result_file.read_text(encoding="utf-8"))
    total = counts["total"]
    tracebacks = {name: n - tracebacks_start.get(name, 0) for name, n in _tracebacks(stack).items()}
    # The stack's folder goes at the end: keep the end of a log that holds a new traceback.
    log_tails = {name: stack.log_tail(name, 60) for name, n in tracebacks.items() if n}
    start_pids = {pid for app in memory_start["apps"].values() for pid in app["workers_mb"]}
    end_pids = {pid for app in memory_end["apps"].values() for pid in app["workers_mb"]}
    result = {
        "users": users,
        "minutes": minutes(),
        "spawn_rate_per_s": spawn_rate(),
        "think_time_s": think_time(),
        "measured_at": started_at.isoformat(timespec="seconds"),
        "duration_s": round(duration, 1),
        "requests": total.get("requests", 0),
        "failures": total.get("failures", 0),
        "requests_per_s": total.get("requests_per_s"),
        "p50_ms": total.get("p50_ms"),
        "p95_ms": total.get("p95_ms"),
        "p99_ms": total.get("p99_ms"),
        "max_ms": total.get("max_ms"),
        "saves": counts.get("saves"),
        "conflicts": counts.get("conflicts"),
        "logins": counts.get("logins"),
        "users_by_class": counts.get("users_by_class", {}),
        "writers": counts.get("writers"),
        "pages": counts["pages"],
        "failure_messages": counts["failure_messages"],
        "nginx_statuses": _nginx_statuses(access_log, log_start) if access_log.exists() else {},
        "tracebacks": tracebacks,
        "log_tails": log_tails,
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "memory_start": memory_start,
        "memory_end": memory_end,
        "workers_recycled": len(start_pids - end_pids),
        "memory_samples": sampler.samples,
        "locust_cpu_s": round(after.ru_utime + after.ru_stime - children_cpu.ru_utime - children_cpu.ru_stime, 1),
    }
    say(
        f"{users} users: {result['requests']} requests, {result['failures']} failures, "
        f"{result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"{result['saves']} saves, {result['conflicts']} conflicts; workers "
        f"{memory_start['workers_total_mb']} → {memory_end['workers_total_mb']} MB; load {load_start} → {load_end}"
    )
    return result


def server_version(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def main() -> int:
    sys.path.insert(0, str(ROOT / "deploy"))
    import prod_check

    database_url = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sime_soak")
    # As many workers per app server as deploy/gunicorn.conf.py gives by default (CPU count + 1).
    workers = (os.cpu_count() or 1) + 1
    # Six workers booting on a busy two-core machine may take longer than prod-check's minute.
    stack = prod_check.Stack(database_url=database_url, workers_per_app=workers, boot_seconds=240)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    results: list[dict[str, Any]] = []
    with prod_check.running(stack):
        postgres = server_version(database_url)
        plan = prepare(stack, prod_check, stack.tmp)
        warm_up(stack, prod_check, 2 * workers)
        for users in levels():
            results.append(run_level(stack, plan, users, stack.tmp))
    result = {
        "measured_at": results[0]["measured_at"] if results else None,
        "machine": machine,
        "stack": {
            "nginx_workers": 2,
            "app_servers": len(stack.app_ports),
            "gunicorn_workers_per_app": workers,
            "gunicorn_worker_class": "sync",
            "gunicorn_max_requests": "2000 (+ jitter 200)",
            "postgresql": postgres,
            "database": "fresh, with the demo (load_demo --allow-demo-users)",
            "settings": "DEBUG=False, production settings (deploy/prod_check.py)",
        },
        "mix": MIX,
        "levels": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_section()
    errors = sum(level["failures"] for level in results) + sum(sum(level["tracebacks"].values()) for level in results)
    if errors:
        say(f"{errors} failed request(s) or traceback(s): see {RESULT_FILE.relative_to(ROOT)}")
        return 1
    say(f"no failures; results in {RESULT_FILE.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    return 0


# --- docs/PERFORMANCE.md -------------------------------------------------------------------------


def _mb(snapshot: dict[str, Any]) -> str:
    return f"{snapshot['workers_total_mb']} MB"


def render_section() -> list[str]:
    """The «Load and soak» section, from bench/results/soak.json (nothing when it is absent)."""
    if not RESULT_FILE.exists():
        return []
    result = json.loads(RESULT_FILE.read_text(encoding="utf-8"))
    stack = result["stack"]
    lines = [
        SECTION,
        "",
        "Written by `make bench-soak` (or `BENCH_SOAK=1 make bench`; bench/load.py and bench/locustfile.py).",
        "The production stack of `make prod-check` on loopback: nginx in front of "
        f"{stack['app_servers']} gunicorn app servers × {stack['gunicorn_workers_per_app']} "
        f"{stack['gunicorn_worker_class']} workers (recycled after {stack['gunicorn_max_requests']} requests), "
        f"PostgreSQL {stack['postgresql']}, the task worker, {stack['settings']}; the database "
        f"{stack['database']}. Locust plays N concurrent people at each level, one level after the other "
        "on the same stack; each logs in once through the login form and keeps its session, and waits a "
        "random think time between actions. Mix: " + result["mix"],
        "",
        "A failure is any status other than the one expected (a page must answer 200 itself: a lost session "
        "would be a redirect to the login page), a connection error or a refused save. A conflict is an "
        "autosave answered with the product's edit-conflict message: by design, counted apart, never a "
        "failure. Percentiles are locust's (above 100 ms rounded to 10 ms, above 1 s to 100 ms); "
        "the machine also ran locust itself and other work (load average below). Memory: resident size of "
        "all gunicorn workers of both app servers.",
        "",
    ]
    for level in result["levels"]:
        start, end = level["memory_start"], level["memory_end"]
        peak = max([s["workers_total_mb"] for s in level["memory_samples"]] + [end["workers_total_mb"]])
        users = ", ".join(f"{name} {n}" for name, n in level["users_by_class"].items())
        statuses = ", ".join(f"{code}: {n}" for code, n in level["nginx_statuses"].items())
        tracebacks = sum(level["tracebacks"].values())
        lines += [
            f"### {level['users']} users · {level['minutes']:g} min",
            "",
            f"Measured {level['measured_at']} on {result['machine']}; {level['duration_s']} s; people started "
            f"at {level['spawn_rate_per_s']:g} per second, think time {level['think_time_s'][0]:g}–"
            f"{level['think_time_s'][1]:g} s ({users}). Load average {level['loadavg_start']} at start, "
            f"{level['loadavg_end']} at end.",
            "",
            f"**{level['requests']:,} requests, {level['failures']} failures, {level['requests_per_s']} requests/s**; "
            f"{level['saves']} autosaves saved by {level['writers']} writers, {level['conflicts']} edit conflicts; "
            f"{level['logins']} logins; nginx logged {statuses}; {tracebacks} tracebacks in the logs. "
            f"Workers' memory {_mb(start)} at start → {_mb(end)} at end (peak of the {SAMPLE_SECONDS}-second "
            f"samples {peak} MB; {level['workers_recycled']} workers recycled by max_requests in the level).",
            "",
            "| request | requests | failures | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for page in sorted(level["pages"], key=lambda p: (p["name"], p["method"])):
            lines.append(
                f"| {page['method']} `{page['name']}` | {page['requests']:,} | {page['failures']} | {page['p50_ms']} | "
                f"{page['p95_ms']} | {page['p99_ms']} | {round(page['max_ms'] or 0)} |"
            )
        lines.append(
            f"| **all** | **{level['requests']:,}** | **{level['failures']}** | **{level['p50_ms']}** | "
            f"**{level['p95_ms']}** | **{level['p99_ms']}** | **{round(level['max_ms'] or 0)}** |"
        )
        if level["failure_messages"]:
            lines += ["", "Failures:", ""]
            lines += [
                f"- {f['method']} `{f['name']}`: {f['error']} (×{f['occurrences']})" for f in level["failure_messages"]
            ]
        lines.append("")
    return lines


def write_section() -> None:
    """Replace (or add) the «Load and soak» section: the last one of docs/PERFORMANCE.md."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    head = text.split(f"\n{SECTION}\n", 1)[0].rstrip("\n")
    REPORT.write_text(head + "\n\n" + "\n".join(render_section()).rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
