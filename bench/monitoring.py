"""Monitoring benchmarks: the progress builder against the raw-SQL floor, at realistic and stress sizes.

Called by bench/run.py (`make bench`). The size comes from BENCH_SCALE:

- unset (default): the demo (directory, policy and its approved periods) plus a generated policy of
  100,000 approved facts, in a throw-away database (SQLite unless DATABASE_URL says otherwise);
- `1m`: 1,000,000 facts, in a throw-away database (SQLite by default);
- `10m`: 10,000,000 facts on PostgreSQL, in DATABASE_URL's database itself (create and migrate it
  first; the first run generates the policy, later runs reuse it). See docs/PERFORMANCE.md.

For each case: the builder's server time (median and minimum of BENCH_REPEATS runs, default 7, after
one warm-up), its query count, and the **floor**: the very SQL the builder issued (captured with its
parameters), executed with `connection.cursor()` and every row fetched, timed in the same loop
(builder and floor alternate, so both see the same machine). The ratio is builder / floor. The load
average is recorded at the start and end of every case. HTTP cases go through django.test.Client
for the URL names of the monitoring pages and API; a name that does not exist yet is recorded as
«no disponible». Results: bench/results/monitoring_<scale>_<database>.json and the «Monitoring»
section of docs/PERFORMANCE.md. Timings are information, never test assertions.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REPORT = ROOT / "docs" / "PERFORMANCE.md"
SECTION = "## Monitoring"
SCALES = {"default": 100_000, "1m": 1_000_000, "10m": 10_000_000}
POLICY = "PM-ESCALA"
PEERS = (15, 150)
# Akvo RSR's results-framework page API for the peer shape (published: 754 ms at 15, 7.0 s at 150).
AKVO_MS = {15: 754.0, 150: 7000.0}
NOT_AVAILABLE = "no disponible"


def repeats() -> int:
    return max(7, int(os.environ.get("BENCH_REPEATS", "7")))


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Recorder:
    """Records (sql, params) of every query through an execute wrapper."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, Any]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def run_floor(queries: list[tuple[str, Any]]) -> int:
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


def _stats(timings: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(timings), 2), "min_ms": round(min(timings), 2)}


def bench_builder(name: str, call: Callable[[], Any], *, data: str, profile_to: Path | None = None) -> dict[str, Any]:
    """Builder vs floor, alternating, after one warm-up that captures the SQL."""
    start_load = loadavg()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        call()
    queries = recorder.queries
    floor_rows = run_floor(queries)  # warm the floor too
    builder_ms, floor_ms, builder_cpu, floor_cpu = [], [], [], []
    for _ in range(repeats()):
        started, cpu = time.perf_counter(), time.process_time()
        call()
        builder_ms.append((time.perf_counter() - started) * 1000)
        builder_cpu.append((time.process_time() - cpu) * 1000)
        started, cpu = time.perf_counter(), time.process_time()
        run_floor(queries)
        floor_ms.append((time.perf_counter() - started) * 1000)
        floor_cpu.append((time.process_time() - cpu) * 1000)
    builder, floor = _stats(builder_ms), _stats(floor_ms)
    # SQLite runs inside this process: its CPU time is the whole of the work, and unlike the wall
    # clock it does not count the time spent waiting for a core on a shared machine. (On PostgreSQL
    # the floor's work is in the server's process, so only the wall clock compares.)
    in_process = connection.vendor == "sqlite"
    cpu_ratio = (
        round(statistics.median(builder_cpu) / statistics.median(floor_cpu), 2)
        if in_process and statistics.median(floor_cpu)
        else None
    )
    row = {
        "name": name,
        "kind": "builder",
        "data": data,
        **builder,
        "floor_median_ms": floor["median_ms"],
        "floor_min_ms": floor["min_ms"],
        "ratio_median": round(builder["median_ms"] / floor["median_ms"], 2) if floor["median_ms"] else None,
        "ratio_min": round(builder["min_ms"] / floor["min_ms"], 2) if floor["min_ms"] else None,
        "cpu_median_ms": round(statistics.median(builder_cpu), 2) if in_process else None,
        "floor_cpu_median_ms": round(statistics.median(floor_cpu), 2) if in_process else None,
        "cpu_ratio_median": cpu_ratio,
        "queries": len(queries),
        "rows_fetched": floor_rows,
        "repeats": len(builder_ms),
        "loadavg_start": start_load,
        "loadavg_end": loadavg(),
    }
    if profile_to is not None:
        profiler = cProfile.Profile()
        profiler.enable()
        call()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        with profile_to.open("a", encoding="utf-8") as handle:
            handle.write(f"\n===== {name} ({data}) =====\n{out.getvalue()}")
    print(
        f"  {name:<34} {row['median_ms']:>9} ms (min {row['min_ms']:>9})  suelo {row['floor_median_ms']:>8} ms"
        f"  ×{row['ratio_median']}"
        + (f" (CPU ×{row['cpu_ratio_median']})" if row["cpu_ratio_median"] is not None else "")
        + f"  {row['queries']} consultas"
    )
    return row


def _reverse(url_name: str, candidates: list[dict[str, Any]]) -> str | None:
    for kwargs in candidates:
        try:
            return reverse(url_name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def bench_http(
    name: str, client: Client, url_name: str, candidates: list[dict[str, Any]], *, data: str, query: str = ""
) -> dict:
    start_load = loadavg()
    url = _reverse(url_name, candidates)
    if url is not None and query:
        url = f"{url}?{query}"
    row: dict[str, Any] = {"name": name, "kind": "http", "url_name": url_name, "data": data}
    if url is None:
        print(f"  {name:<34} {NOT_AVAILABLE} ({url_name})")
        return {**row, "status": NOT_AVAILABLE, "loadavg_start": start_load, "loadavg_end": loadavg()}
    response = client.get(url)  # warm-up
    timings = []
    queries = 0
    for _ in range(repeats()):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(context.captured_queries)
    row.update(url=url, status=response.status_code, queries=queries, repeats=len(timings), **_stats(timings))
    row.update(loadavg_start=start_load, loadavg_end=loadavg())
    print(f"  {name:<34} {row['median_ms']:>9} ms (min {row['min_ms']:>9})  HTTP {row['status']}  {queries} consultas")
    return row


# --- Data ----------------------------------------------------------------------------------------


def ensure_data(scale: str) -> dict[str, Any]:
    """The generated policy (made when absent), the peers, an analyst; the demo for the default size."""
    from sime.accounts.models import User
    from sime.accounts.roles import Role
    from sime.analytics.scale import generate, generate_peer
    from sime.policy.models import Policy
    from sime.reporting.models import ApprovedFact

    info: dict[str, Any] = {"facts_requested": SCALES[scale]}
    if scale == "default" and not Policy.objects.exists():
        from sime.institutions.demo import load_demo
        from sime.policy.demo import load_policy
        from sime.reporting.demo import demo_reviewers, load_history

        started = time.perf_counter()
        load_demo(with_users=True, password="bench-demo")
        load_policy()
        reviewers = demo_reviewers()
        if reviewers:
            load_history(*reviewers)
        info["demo_seconds"] = round(time.perf_counter() - started, 1)
        print(f"  demo cargada en {info['demo_seconds']} s")
    policy = Policy.objects.filter(code=POLICY).first()
    if policy is None:
        result = generate(facts=SCALES[scale], seed=1, policy_code=POLICY, drop_fact_indexes=SCALES[scale] >= 1_000_000)
        policy = result.policy
        info["generation_seconds"] = {k: round(v, 1) for k, v in result.seconds.items()}
        info["plan"] = result.plan_steps
        print(f"  generados {result.facts} datos en {result.seconds['total']:.1f} s ({'; '.join(result.plan_steps)})")
    else:
        info["generation_seconds"] = "reutilizada"
    info["facts"] = ApprovedFact.objects.filter(period__policy=policy).count()
    info["facts_in_database"] = ApprovedFact.objects.count()
    for n in PEERS:
        if not Policy.objects.filter(code=f"PM-PAR-{n}").exists():
            generate_peer(indicators=n)
    analyst, _created = User.objects.get_or_create(
        email="bench.analista@prueba.gt", defaults={"full_name": "Analista bench", "role": Role.ANALYST}
    )
    info["analyst"] = analyst
    return info


def latest_year(policy: Any) -> int:
    from sime.reporting.models import ReportingPeriod
    from sime.reporting.workflow import Status

    year = (
        ReportingPeriod.objects.filter(policy=policy, submissions__status=Status.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return int(year or policy.end_year)


# --- Cases ---------------------------------------------------------------------------------------


def policy_cases(policy: Any, *, label: str, data: str, client: Client, profile_to: Path | None) -> list[dict]:
    from sime.analytics.progress import framework_progress
    from sime.policy.models import Indicator

    year = latest_year(policy)
    indicator = (
        Indicator.objects.filter(policy=policy, code="IND-0005").first()
        or Indicator.objects.filter(policy=policy).order_by("code").first()
    )
    assert indicator is not None
    rows = [
        bench_builder(
            f"{label}_dashboard",
            lambda: framework_progress(policy, year=year, all_years=False),
            data=f"{data}; framework_progress(year={year}) as the dashboard reads it (the year's facts)",
            profile_to=profile_to,
        ),
        bench_builder(
            f"{label}_indicator",
            lambda: framework_progress(
                policy, year=year, indicator_ids=[indicator.pk], with_points=True, with_parts=True
            ),
            data=f"{data}; {indicator.code}, with_points, with_parts",
            profile_to=profile_to,
        ),
        bench_builder(
            f"{label}_iptt",
            lambda: framework_progress(policy, year=year, with_points=True, all_years=False),
            data=f"{data}; with_points (IPTT page of the year)",
            profile_to=profile_to,
        ),
    ]
    code, pk = {"code": policy.code}, {"pk": indicator.pk}
    # The pages show the monitored policy unless ?policy= names another: name this one.
    query = f"policy={policy.code}&year={year}"
    http = [
        ("http_dashboard", "analytics:dashboard", [{}], query),
        ("http_indicator_progress", "analytics:indicator-progress", [pk], f"year={year}"),
        ("http_iptt", "analytics:iptt", [{}], query),
        ("api_policy_progress", "api:policy-progress", [code], f"year={year}"),
        ("api_indicator_progress", "api:indicator-progress", [pk], f"year={year}"),
    ]
    for name, url_name, candidates, params in http:
        rows.append(bench_http(f"{label}_{name}", client, url_name, candidates, data=data, query=params))
    return rows


def peer_cases(client: Client) -> list[dict]:
    from sime.analytics.progress import framework_progress
    from sime.policy.models import Indicator, Policy

    rows = []
    for n in PEERS:
        policy = Policy.objects.get(code=f"PM-PAR-{n}")
        indicator = Indicator.objects.filter(policy=policy).order_by("code").first()
        assert indicator is not None
        data = f"peer: {n} indicators × 12 monthly periods, one approved value each"
        framework = bench_builder(
            f"peer_{n}_framework",
            lambda policy=policy: framework_progress(policy, year=2025, with_points=True),
            data=data + "; whole framework with_points (Akvo's results-framework shape)",
        )
        one = bench_builder(
            f"peer_{n}_indicator",
            lambda policy=policy, pk=indicator.pk: framework_progress(
                policy, year=2025, indicator_ids=[pk], with_points=True, with_parts=True
            ),
            data=data + "; one indicator, with_points, with_parts",
        )
        rows += [{**framework, "peer": n}, {**one, "peer": n}]
        code, pk = {"code": policy.code}, {"pk": indicator.pk}
        for name, url_name, candidates, params in (
            ("http_indicator_progress", "analytics:indicator-progress", [pk], "year=2025"),
            ("api_indicator_progress", "api:indicator-progress", [pk], "year=2025"),
            ("http_iptt", "analytics:iptt", [{}], f"policy={policy.code}&year=2025"),
            ("api_policy_progress", "api:policy-progress", [code], "year=2025"),
        ):
            row = bench_http(f"peer_{n}_{name}", client, url_name, candidates, data=data, query=params)
            rows.append({**row, "peer": n})
    return rows


def peer_summary(rows: list[dict]) -> list[dict[str, Any]]:
    """Per case: ours at 15 and 150, growth 150/15, and how many times faster than Akvo at 150."""
    by_name = {row["name"]: row for row in rows if "peer" in row}
    summary = []
    for suffix in sorted({name.split("_", 2)[2] for name in by_name}):
        small, large = by_name.get(f"peer_15_{suffix}"), by_name.get(f"peer_150_{suffix}")
        if not small or not large or "median_ms" not in small or "median_ms" not in large:
            summary.append({"case": suffix, "status": NOT_AVAILABLE})
            continue
        summary.append(
            {
                "case": suffix,
                "ms_15": small["median_ms"],
                "min_ms_15": small["min_ms"],
                "ms_150": large["median_ms"],
                "min_ms_150": large["min_ms"],
                "growth_150_over_15": round(large["median_ms"] / small["median_ms"], 2),
                "akvo_ms_15": AKVO_MS[15],
                "akvo_ms_150": AKVO_MS[150],
                "times_faster_than_akvo_150": round(AKVO_MS[150] / large["median_ms"], 1),
                "within_140ms": large["median_ms"] <= 140,
            }
        )
    return summary


# --- Running -------------------------------------------------------------------------------------


def run(scale: str) -> dict[str, Any]:
    from sime.policy.models import Policy

    started = dt.datetime.now(dt.UTC)
    print(f"Monitoring ({scale}, {connection.vendor}):")
    load_at_start = loadavg()
    info = ensure_data(scale)
    client = Client()
    client.force_login(info.pop("analyst"))
    profile_to = None
    if os.environ.get("BENCH_PROFILE"):
        profile_to = RESULTS / f"monitoring_{scale}_{connection.vendor}_profile.txt"
        profile_to.write_text(f"cProfile of one builder run per case, {started.isoformat()}\n", encoding="utf-8")
    facts = info["facts"]
    rows = policy_cases(
        Policy.objects.get(code=POLICY),
        label=f"scale_{scale}",
        data=f"{facts:,} approved facts, 600 indicators, 150 lines, 41 institutions, 30 cuatrimestres",
        client=client,
        profile_to=profile_to,
    )
    demo = Policy.objects.exclude(code=POLICY).exclude(code__startswith="PM-PAR-").order_by("pk").first()
    if scale == "default" and demo is not None:
        rows += policy_cases(
            demo, label="demo", data=f"demo policy {demo.code} (realistic)", client=client, profile_to=None
        )
    rows += peer_cases(client)
    result = {
        "scale": scale,
        "database": connection.vendor,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}",
        "measured_at": started.isoformat(timespec="seconds"),
        "repeats": repeats(),
        "loadavg_start": load_at_start,
        "loadavg_end": loadavg(),
        **info,
        "rows": rows,
        "peer_summary": peer_summary(rows),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"monitoring_{scale}_{connection.vendor}.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if result["generation_seconds"] == "reutilizada" and isinstance(previous.get("generation_seconds"), dict):
        result["generation_seconds"] = previous["generation_seconds"]
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def main(scale: str | None = None) -> int:
    """Run one scale (BENCH_SCALE) and rewrite the Monitoring section of docs/PERFORMANCE.md."""
    scale = scale or os.environ.get("BENCH_SCALE") or "default"
    if scale not in SCALES:
        raise SystemExit(f"BENCH_SCALE={scale}: use one of {', '.join(SCALES)}")
    settings = {
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "ALLOWED_HOSTS": ["testserver"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with override_settings(**settings):
        if scale == "10m":
            if connection.vendor != "postgresql":
                raise SystemExit("BENCH_SCALE=10m needs DATABASE_URL=postgres://… (a migrated database)")
            run(scale)  # the configured database itself, kept between runs
        else:
            with tempfile.TemporaryDirectory() as folder:
                if connection.vendor == "sqlite":  # a file, as in production, not the in-memory test database
                    connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench_monitoring.sqlite3")
                old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
                try:
                    run(scale)
                finally:
                    connection.creation.destroy_test_db(old_name, verbosity=0)
                    connection.settings_dict["TEST"]["NAME"] = None
    write_section()
    return 0


# --- docs/PERFORMANCE.md -------------------------------------------------------------------------


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "—" if value is None else str(value)


def render_section() -> list[str]:
    """The Monitoring section, from every bench/results/monitoring_*.json (one per scale and database)."""
    # monitoring_report_*.json are the report's page benchmarks (bench/run.py): not a scale.
    scales = [p for p in RESULTS.glob("monitoring_*.json") if "scale" in json.loads(p.read_text())]
    files = sorted(scales, key=lambda p: SCALES.get(json.loads(p.read_text())["scale"], 0))
    lines = [
        SECTION,
        "",
        "Written by `make bench` (bench/monitoring.py). The builder is `framework_progress()`, which every",
        "monitoring page, API and report reads. **Floor**: the same SQL the builder issued (captured with its",
        "parameters) run directly with `connection.cursor()` and every row fetched, timed in the same loop as",
        "the builder (they alternate). Ratio = builder / floor. Median and minimum of the runs after one warm-up;",
        "load average (1, 5, 15 min) at the start and end of each case. Sizes: `make bench` = the demo plus a",
        "generated policy of 100,000 facts (realistic); `BENCH_SCALE=1m make bench` = 1,000,000 facts (SQLite",
        "unless DATABASE_URL is set); `BENCH_SCALE=10m DATABASE_URL=postgres://…/sime_bench make bench` =",
        "10,000,000 facts in that (migrated) database, generated on the first run and reused afterwards",
        "(stress). Data: `python manage.py generate_monitoring_scale --facts N` (and `--peer N`).",
        "On SQLite the database runs inside the process, so the CPU time of builder and floor is also",
        "recorded: «CPU ratio» does not count time spent waiting for a core on this shared machine.",
        "",
    ]
    for path in files:
        result = json.loads(path.read_text(encoding="utf-8"))
        generation = result.get("generation_seconds")
        gen_text = (
            ", ".join(f"{k} {v} s" if isinstance(v, int | float) else str(v) for k, v in generation.items())
            if isinstance(generation, dict)
            else str(generation)
        )
        lines += [
            f"### {result['scale']} · {result['database']} · {result['facts']:,} facts",
            "",
            f"Measured {result['measured_at']} on {result['machine']}; {result['repeats']} runs per case; load "
            f"average {result['loadavg_start']} at start, {result['loadavg_end']} at end. Generation: {gen_text}.",
            "",
            "| case | data | median (ms) | min (ms) | floor median (ms) | floor min (ms) | ratio (median) "
            "| ratio (min) | CPU ratio (median) | queries | load start → end |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in result["rows"]:
            load = f"{row['loadavg_start'][0]} → {row['loadavg_end'][0]}"
            if row["kind"] == "http" and row.get("status") == NOT_AVAILABLE:
                lines.append(f"| {row['name']} | `{row['url_name']}` | {NOT_AVAILABLE} | | | | | | | | {load} |")
                continue
            data = row["data"] if row["kind"] == "builder" else f"`{row.get('url')}` (HTTP {row.get('status')})"
            lines.append(
                f"| {row['name']} | {data} | {_cell(row, 'median_ms')} | {_cell(row, 'min_ms')} | "
                f"{_cell(row, 'floor_median_ms')} | {_cell(row, 'floor_min_ms')} | {_cell(row, 'ratio_median')} | "
                f"{_cell(row, 'ratio_min')} | {_cell(row, 'cpu_ratio_median')} | {_cell(row, 'queries')} | {load} |"
            )
        lines += [
            "",
            "Peer shape (Akvo RSR's results framework: N indicators × 12 monthly periods, one approved value each). "
            "Akvo RSR: 754 ms at 15, 7.0 s at 150.",
            "",
            "| case | ours at 15 (median / min ms) | ours at 150 (median / min ms) | growth 150/15 "
            "| Akvo 15 → 150 (ms) | faster than Akvo at 150 | ≤ 140 ms |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for item in result["peer_summary"]:
            if item.get("status") == NOT_AVAILABLE:
                lines.append(f"| {item['case']} | {NOT_AVAILABLE} | | | | | |")
                continue
            lines.append(
                f"| {item['case']} | {item['ms_15']} / {item['min_ms_15']} | {item['ms_150']} / {item['min_ms_150']} "
                f"| {item['growth_150_over_15']}× | {item['akvo_ms_15']:.0f} → {item['akvo_ms_150']:.0f} "
                f"| {item['times_faster_than_akvo_150']}× | {'yes' if item['within_140ms'] else 'no'} |"
            )
        lines.append("")
    return lines


def write_section() -> None:
    """Replace (or add) the Monitoring section near the end of docs/PERFORMANCE.md, keeping the page table
    above it; the «Load and soak» section after it is rendered again from bench/results/soak.json."""
    import load

    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    head = text.split(f"\n{SECTION}\n", 1)[0].split(f"\n{load.SECTION}\n", 1)[0].rstrip("\n")
    sections = [*render_section(), *load.render_section()]  # each ends with a blank line
    REPORT.write_text(head + "\n\n" + "\n".join(sections).rstrip("\n") + "\n", encoding="utf-8")
