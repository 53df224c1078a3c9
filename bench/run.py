"""`make bench`: server time and query count of key pages at realistic sizes.

BENCH_SCALE=1m or 10m runs only the monitoring benchmarks at that size (bench/monitoring.py);
BENCH_SOAK=1 runs only the load and soak test through nginx (bench/load.py, also `make bench-soak`);
without either, the pages below and then the monitoring benchmarks at their default size.

Builds a throw-away test database (SQLite by default, or DATABASE_URL's server), fills it with
1,000 institutions and 5,000 users, requests each page through Django's test client and records
the median of repeated runs. Results: bench/results/<name>.json and the table in docs/PERFORMANCE.md.
Timings are information, not pass/fail: no test asserts on them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

INSTITUTIONS = 1_000
USERS = 5_000
REPEATS = 15
RESULTS = ROOT / "bench" / "results"
REPORT = ROOT / "docs" / "PERFORMANCE.md"


def populate() -> dict[str, object]:
    from sime.accounts.models import User
    from sime.accounts.roles import Role
    from sime.institutions.models import FocalPoint, FocalPointRole, Institution, Sector
    from sime.institutions.services import create_institution

    sectors = list(Sector.values)
    # A few through the service (audited, as in real use); the bulk with bulk_create for speed.
    first = create_institution(
        by=None, name="Ministerio de Prueba 0", acronym="MP0", sector="executive", is_linked=True
    )
    Institution.objects.bulk_create(
        Institution(
            name=f"Institución de prueba {n}",
            acronym=f"IP{n}",
            sector=sectors[n % len(sectors)],
            is_linked=n % 2 == 0,
            search_text=f"institucion de prueba {n} ip{n}",
        )
        for n in range(1, INSTITUTIONS)
    )
    institutions = list(Institution.objects.order_by("pk"))
    password = User().password
    users = []
    for n in range(USERS):
        institution = institutions[n % len(institutions)]
        role = Role.FOCAL_TECHNICAL if n % 2 == 0 else Role.FOCAL_PLANNING
        users.append(
            User(
                email=f"u{n}@prueba.gt", full_name=f"Persona {n}", role=role, institution=institution, password=password
            )
        )
    User.objects.bulk_create(users, batch_size=1000)
    designations = [
        FocalPoint(
            institution_id=user.institution_id,
            user=user,
            role=FocalPointRole.TECHNICAL if user.role == Role.FOCAL_TECHNICAL else FocalPointRole.PLANNING,
            designated_on=dt.date(2024, 3, 5),
        )
        for user in User.objects.filter(email__startswith="u")[: 2 * INSTITUTIONS]
    ]
    # One current designation per institution and role; the rest become history.
    seen: set[tuple[int, str]] = set()
    for designation in designations:
        key = (designation.institution_id, designation.role)
        if key in seen:
            designation.designated_on = dt.date(2023, 1, 1)
            designation.ended_on = dt.date(2023, 12, 31)
        seen.add(key)
    FocalPoint.objects.bulk_create(designations, batch_size=1000)
    policy, _policy_nodes = populate_policy(first)
    analyst = User.objects.create_user("analista@prueba.gt", "x", full_name="Analista", role=Role.ANALYST)
    admin = User.objects.create_user("admin@prueba.gt", "x", full_name="Admin", role=Role.ADMIN)
    focal = User.objects.filter(institution=first, role=Role.FOCAL_TECHNICAL).first()
    return {"analyst": analyst, "admin": admin, "institution": first, "policy": policy, "focal": focal}


def populate_policy(institution: object) -> tuple[object, list[object]]:
    """2,000 nodes (5 axes × 7 × 7 × 7), 600 indicators and 300 causal links."""
    from sime.policy.models import CausalLink, Indicator, PolicyNode
    from sime.policy.tests.factories import make_policy, make_tree

    policy, levels = make_policy("PM-BENCH")
    nodes = make_tree(policy, levels, counts=[5, 7, 7, 7], lead=institution)  # type: ignore[arg-type]
    leaves = [n for n in nodes if n.level_id == levels[-1].pk]
    Indicator.objects.bulk_create(
        Indicator(
            policy=policy,
            node=leaf,
            code=f"IND-{i}",
            name=f"Indicador {i}",
            level="output",
            unit="personas",
            measure_type="count",
            direction="increase",
            frequency="annual",
            responsible_institution=institution,
        )
        for i, leaf in enumerate(leaves[:600])
    )
    strategic = [n for n in nodes if n.level_id == levels[2].pk]
    CausalLink.objects.bulk_create(
        CausalLink(policy=policy, source=leaf, target=strategic[(i * 7 + 3) % len(strategic)])
        for i, leaf in enumerate(leaves[:300])
        if strategic[(i * 7 + 3) % len(strategic)].pk != leaf.parent_id
    )
    assert PolicyNode.objects.filter(policy=policy).count() == 2000
    return policy, nodes


def populate_project() -> object:
    """A cooperation project with 50 events and 5 consultancies, for the report benchmark."""
    import datetime as dt
    from decimal import Decimal

    from sime.activities.tests.factories import make_activity, make_consultancy, make_project
    from sime.institutions.models import Institution, Sector
    from sime.institutions.services import create_institution

    agency = Institution.objects.filter(sector=Sector.INTERNATIONAL_COOPERATION).first() or create_institution(
        by=None,
        name="Organización Internacional para las Migraciones",
        acronym="OIM",
        sector=Sector.INTERNATIONAL_COOPERATION,
    )
    project = make_project(agency)
    for n in range(50):
        make_activity(project, f"{1000 + n}.50", title=f"Evento {n}", start_date=dt.date(2024, 3 + n % 9, 1 + n % 27))
    for n in range(5):
        make_consultancy(project, str(Decimal("20000.00") + n), title=f"Consultoría {n}")
    return project


def populate_monitoring() -> dict[str, object]:
    """The demo policy with its three approved periods (2025, 2026-C1, 2026-C2) from `load_demo`,
    and a socialisation project with 30 events in 2026, for the monitoring report."""
    import io
    from decimal import Decimal

    from django.core.management import call_command

    from sime.activities.tests.factories import make_activity, make_project
    from sime.institutions.models import Institution, Sector
    from sime.policy.models import Policy

    call_command("load_demo", allow_demo_users=True, stdout=io.StringIO())
    agency = Institution.objects.filter(sector=Sector.INTERNATIONAL_COOPERATION).first()
    project = make_project(agency, title="Socialización de la Política Migratoria 2026")  # type: ignore[arg-type]
    kinds = ["public_event", "informative_meeting", "intersectoral_dialogue"]
    for n in range(30):
        make_activity(
            project,
            str(Decimal("1500.25") + n),
            title=f"Evento 2026-{n}",
            kind=kinds[n % 3],
            start_date=dt.date(2026, 1 + n % 11, 1 + n % 27),
            attendance_total=60,
            attendance_by_sector={"government": 30, "civil_society": 20, "academia": 10},
        )
    return {"policy": Policy.objects.get(code="PM-2023")}


def populate_reporting(admin: object) -> dict[str, object]:
    """Policy PM-REP: 2,000 lines of action over 40 institutions; PM-UP: one institution with 2,000."""
    from sime.institutions.models import Institution
    from sime.policy.tests.factories import make_node, make_policy
    from sime.reporting.tests.factories import add_actions

    institutions = list(Institution.objects.order_by("pk")[1:41])
    policy, levels = make_policy("PM-REP")
    axis = make_node(policy, levels[0], "R1")
    objective = make_node(policy, levels[1], "R1.1", axis)
    strategic = make_node(policy, levels[2], "R1.1.1", objective)
    add_actions(strategic, institutions, 2000, prefix="R")
    upload_policy, upload_levels = make_policy("PM-UP")
    axis = make_node(upload_policy, upload_levels[0], "U1")
    objective = make_node(upload_policy, upload_levels[1], "U1.1", axis)
    upload_strategic = make_node(upload_policy, upload_levels[2], "U1.1.1", objective)
    add_actions(upload_strategic, institutions[:1], 2000, prefix="U")
    return {"policy": policy, "upload_policy": upload_policy, "upload_institution": institutions[0]}


def timed(action: object, repeats: int) -> dict[str, float | int]:
    timings, queries = [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            action()  # type: ignore[operator]
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(context.captured_queries)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(sorted(timings)[max(0, int(repeats * 0.9) - 1)], 2),
        "queries": queries,
    }


def bench_reporting(admin: object, data: dict[str, object]) -> list[dict[str, object]]:
    """Opening a period (40 institutions, 2,000 actions) and uploading a 2,000-row instrument."""
    import io

    from openpyxl import load_workbook

    from sime.reporting import services
    from sime.reporting.instrument_excel import ACTIONS_SHEET, FIRST_ROW, build_workbook, read_upload
    from sime.reporting.models import Submission

    years = iter(range(2030, 2100))

    def open_one() -> None:
        period = services.create_period(
            by=admin,
            policy=data["policy"],
            kind="year",
            year=next(years),
            number=1,  # type: ignore[arg-type]
            opens_on=dt.date(2030, 1, 1),
            closes_on=dt.date(2030, 1, 31),
        )
        services.open_period(by=admin, period=period)  # type: ignore[arg-type]

    opening = timed(open_one, 3)
    rows: list[dict[str, object]] = [
        {
            "name": "open_period_40_institutions_2000_actions",
            "url": "services.open_period",
            **opening,
            "data": "40 institutions, 2,000 lines of action → 2,000 items in 40 instruments",
        }
    ]

    period = services.create_period(
        by=admin,
        policy=data["upload_policy"],
        kind="year",
        year=2030,
        number=1,  # type: ignore[arg-type]
        opens_on=dt.date(2030, 1, 1),
        closes_on=dt.date(2030, 1, 31),
    )
    services.open_period(by=admin, period=period)  # type: ignore[arg-type]
    submission = Submission.objects.get(period=period, institution=data["upload_institution"])
    focal = type(admin).objects.create_user(  # type: ignore[attr-defined]
        "enlace.upload@prueba.gt",
        "x",
        full_name="Enlace",
        role="focal_technical",
        institution=data["upload_institution"],
    )
    workbook = load_workbook(io.BytesIO(build_workbook(submission)))
    sheet = workbook[ACTIONS_SHEET]
    for row in range(FIRST_ROW, FIRST_ROW + 2000):
        sheet.cell(row=row, column=3, value="En proceso")
        sheet.cell(row=row, column=4, value=40)
        sheet.cell(row=row, column=5, value="Avance registrado por carga masiva")
        sheet.cell(row=row, column=8, value="1,234.50")
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    def upload() -> None:
        result = read_upload(submission, io.BytesIO(content))
        assert result.ok and len(result.changes) == 2000, result.problems[:3]
        services.apply_changes(by=focal, submission=submission, changes=result.changes, source="bench")

    upload_result = timed(upload, 1)
    seconds = upload_result["median_ms"] / 1000
    rows.append(
        {
            "name": "instrument_upload_2000_rows",
            "url": "read_upload + apply_changes",
            **upload_result,
            "data": f"2,000 rows validated and saved: {round(2000 / seconds)} rows/s",
        }
    )
    client = Client()
    client.force_login(focal)
    rows.append(
        {
            "name": "instrument_page_2000_items",
            "url": f"/reportes/instrumentos/{submission.pk}/",
            **measure(client, f"/reportes/instrumentos/{submission.pk}/"),
            "data": "one instrument of 2,000 items",
        }
    )
    analyst_client = Client()
    analyst_client.force_login(admin)
    opened = Submission.objects.filter(period__policy=data["policy"]).values_list("period_id", flat=True).first()
    rows.append(
        {
            "name": "completeness_40_institutions",
            "url": f"/reportes/periodos/{opened}/",
            **measure(analyst_client, f"/reportes/periodos/{opened}/"),
            "data": "40 instruments",
        }
    )
    return rows


def measure(client: Client, url: str, repeats: int = REPEATS) -> dict[str, float | int]:
    client.get(url)  # warm caches (templates, content types)
    timings = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context.captured_queries)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(sorted(timings)[max(0, int(repeats * 0.9) - 1)], 2),
        "min_ms": round(min(timings), 2),
        "queries": queries,
        # Other work on the machine slows WeasyPrint and matplotlib: keep the context with the numbers.
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


# The monitoring report renders in seconds: fewer repeats than the pages.
MONITORING_REPEATS = 5
MONITORING_PAGES = {
    "monitoring_report_docx_demo_2026": "/monitoreo/informe.docx?policy=PM-2023&year=2026",
    "monitoring_report_pdf_demo_2026": "/monitoreo/informe.pdf?policy=PM-2023&year=2026",
    "monitoring_report_docx_2000_nodes": "/monitoreo/informe.docx?policy=PM-BENCH&year=2026",
    "monitoring_report_pdf_2000_nodes": "/monitoreo/informe.pdf?policy=PM-BENCH&year=2026",
}
MONITORING_DATA = {
    "demo": "demo policy (4 axes, 23 lines of action, 12 indicators, 3 approved periods), 30 events in 2026",
    "2000_nodes": "policy of 2,000 nodes, 600 indicators, no approved data (tables at full size)",
}


def bench_monitoring(analyst: object, machine: str, database: str) -> list[dict[str, object]]:
    populate_monitoring()
    client = Client()
    client.force_login(analyst)
    rows: list[dict[str, object]] = []
    for name, url in MONITORING_PAGES.items():
        if not selected(name):
            continue
        size = "demo" if name.endswith("demo_2026") else "2000_nodes"
        result = {
            "name": name,
            "url": url,
            "data": MONITORING_DATA[size],
            "database": database,
            "repeats": MONITORING_REPEATS,
            "machine": machine,
            "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **measure(client, url, MONITORING_REPEATS),
        }
        rows.append(result)
        print(f"{name:<26} {result['median_ms']:>8} ms  (mín. {result['min_ms']} ms, carga {result['load_average']})")
    return rows


# `python bench/run.py [name-prefix …]` runs only the cases whose names start with a prefix
# (e.g. `monitoring_report`); the table in docs/PERFORMANCE.md keeps the other rows' last results.
ONLY = tuple(sys.argv[1:])


def selected(name: str) -> bool:
    return not ONLY or name.startswith(ONLY)


def main() -> int:
    import monitoring

    if os.environ.get("BENCH_SOAK") == "1":
        import load

        return load.main()
    if os.environ.get("BENCH_SCALE"):
        return monitoring.main()
    # No setup_test_environment(): its template instrumentation would inflate render times.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ALLOWED_HOSTS=["testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            people = populate()
            project = populate_project()
            with_reporting = any(selected(name) for name in REPORTING_CASES)
            reporting_data = populate_reporting(people["admin"]) if with_reporting else {}
            pages = {
                "home_analyst": (people["analyst"], "/"),
                "home_admin": (people["admin"], "/"),
                "institution_list": (people["analyst"], "/instituciones/"),
                "institution_list_search": (people["analyst"], "/instituciones/?text=prueba+99"),
                "institution_detail": (people["analyst"], f"/instituciones/{people['institution'].pk}/"),
                "api_institution_list": (people["analyst"], "/api/v1/institutions/"),
                "policy_tree_2000_nodes": (people["analyst"], "/politica/PM-BENCH/arbol/"),
                "policy_tree_2000_nodes_filtered": (people["analyst"], "/politica/PM-BENCH/arbol/?text=3.4"),
                "causal_network_2000_nodes": (people["analyst"], "/politica/PM-BENCH/red-causal/"),
                "commitments_1715_actions": (people["focal"], "/politica/mis-compromisos/"),
                "project_report_docx_50_activities": (people["analyst"], f"/proyectos/{project.pk}/informe.docx"),
                "project_report_pdf_50_activities": (people["analyst"], f"/proyectos/{project.pk}/informe.pdf"),
            }
            machine = (
                f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
            )
            database = connection.vendor
            RESULTS.mkdir(parents=True, exist_ok=True)
            rows = []
            for name, (user, url) in pages.items():
                if not selected(name):
                    continue
                client = Client()
                client.force_login(user)
                result = {
                    "name": name,
                    "url": url,
                    "data": f"{INSTITUTIONS} institutions, {USERS} users"
                    + (", policy of 2,000 nodes, 600 indicators" if "/politica/" in url else "")
                    + (", project of 50 events and 5 consultancies" if "/informe." in url else ""),
                    "database": database,
                    "repeats": REPEATS,
                    "machine": machine,
                    "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    **measure(client, url),
                }
                (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
                rows.append(result)
                print(f"{name:<26} {result['median_ms']:>8} ms  {result['queries']:>3} consultas")
            for extra in bench_reporting(people["admin"], reporting_data) if with_reporting else []:
                result = {
                    "database": database,
                    "repeats": 1 if extra["name"] == "instrument_upload_2000_rows" else REPEATS,
                    "machine": machine,
                    "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    **extra,
                }
                (RESULTS / f"{extra['name']}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
                rows.append(result)
                print(f"{extra['name']:<26} {result['median_ms']:>8} ms  {result['queries']:>3} consultas")
            if any(selected(name) for name in MONITORING_PAGES):
                for result in bench_monitoring(people["analyst"], machine, database):
                    (RESULTS / f"{result['name']}.json").write_text(
                        json.dumps(result, indent=2) + "\n", encoding="utf-8"
                    )
                    rows.append(result)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    write_report(rows)
    return monitoring.main("default")


REPORTING_CASES = [
    "open_period_40_institutions_2000_actions",
    "instrument_upload_2000_rows",
    "instrument_page_2000_items",
    "completeness_40_institutions",
]


def _all_rows(fresh: list[dict[str, object]]) -> list[dict[str, object]]:
    """This run's rows, with the last results of the cases not run, in the table's existing order."""
    by_name = {str(row["name"]): row for row in fresh}
    order = []
    if REPORT.exists():
        for line in REPORT.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                break  # the Monitoring and Load and soak sections below have tables of their own
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) > 2 and cells[1] not in {"page", "---", ""}:
                order.append(cells[1])
    order += [name for name in by_name if name not in order]
    rows = []
    for name in order:
        saved = RESULTS / f"{name}.json"
        if name in by_name:
            rows.append(by_name[name])
        elif saved.exists():
            rows.append(json.loads(saved.read_text(encoding="utf-8")))
    return rows


def write_report(rows: list[dict[str, object]]) -> None:
    rows = _all_rows(rows)
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); raw results in `bench/results/*.json`. Server time is",
        "measured through Django's test client (no network), median of repeated requests after one warm-up.",
        "Query counts are also held constant by `django_assert_num_queries` tests.",
        "",
        "| page | URL | data | database | median (ms) | p90 (ms) | queries | machine |",
        "|---|---|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | `{row['url']}` | {row['data']} | {row['database']} | {row['median_ms']} | "
            f"{row['p90_ms']} | {row['queries']} | {row['machine']} |"
        )
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import monitoring

    monitoring.write_section()  # keep the Monitoring section (rendered from bench/results/monitoring_*.json)


if __name__ == "__main__":
    sys.exit(main())
