"""The Informe de monitoreo: the same figures as the progress builder (the dashboard's), in the
institution's structure, in DOCX and PDF, with approved data only.

The `monitoring` fixture (sime/conftest.py): MINEX's 2026 instrument approved with IND-1 = 60
against a target of 100 (no baseline) and line of action 1.1.1 at 40 % (Q 1,000.00 allocated,
Q 250.50 executed, 30 beneficiaries); MINGOB's instrument is a draft (1.1.1 «Atrasada», 5 %,
«Sin fondos») that must never show.

By docs/aggregation.md, IND-1 is an annual count that increases, read on 31 December 2026:
progress = (60 − 0) / (100 − 0) × 100 = 60 %, expected 100 %, ratio 0.6 < 70 % → «Rezagado».
1.1.1 = 40 % (MINEX only); 1.1.2 has no data, so 1.1, OE1, axis 1 and the policy are 40 %.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from sime.activities.tests.factories import make_activity
from sime.analytics.monitoring_report import SECTION_TITLES, build_monitoring_report, latest_reported_year
from sime.analytics.progress import alignment_groups, framework_progress
from sime.analytics.report_charts import report_charts
from sime.analytics.report_docx import render_monitoring_report_docx
from sime.policy.models import GcmObjective, PolicyNode, PolicyStatus
from sime.policy.tests.factories import make_policy
from sime.reporting.models import ReportingPeriod

pytestmark = pytest.mark.django_db

DRAFT_TRACES = ["Sin fondos", "MINGOB", "Atrasada", "Suspendida"]


@pytest.fixture
def monitored(monitoring):  # type: ignore[no-untyped-def]
    """The monitoring cast, an active policy aligned to GCM objective 7, and one 2026 event."""
    cast = monitoring
    cast.policy.status = PolicyStatus.ACTIVE
    cast.policy.save()
    objective = GcmObjective.objects.create(number=7, title_es="Abordar y reducir las vulnerabilidades", title_en="-")
    cast.action_node.parent.gcm_objectives.add(objective)
    make_activity(
        cast.project,
        "2500.75",
        title="Diálogo 2026",
        kind="intersectoral_dialogue",
        start_date=dt.date(2026, 6, 10),
        attendance_total=50,
        attendance_by_sector={"government": 30, "civil_society": 20},
    )
    return cast


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def _docx_body(data: bytes) -> str:
    """Paragraphs and tables in document order (tables as ` | `-joined rows)."""
    document = Document(io.BytesIO(data))
    paragraphs = {p._p: p.text for p in document.paragraphs}
    tables = {t._tbl: t for t in document.tables}
    parts = []
    for element in document.element.body.iterchildren():
        if element in paragraphs:
            parts.append(paragraphs[element])
        elif element in tables:
            parts += [" | ".join(cell.text for cell in row.cells) for row in tables[element].rows]
    return "\n".join(parts)


def test_the_reports_figures_are_the_builders(monitored) -> None:  # type: ignore[no-untyped-def]
    cast = monitored
    with translation.override("en"):  # an English-speaking reader still gets the Spanish document
        report = build_monitoring_report(cast.policy, year=2026)
    progress = framework_progress(cast.policy, year=2026, with_points=True)

    summary = report.summary
    assert summary.percent == progress.percent == Decimal("40.00")
    assert {s.status: s.count for s in summary.status_counts} == progress.status_counts
    assert [(s.label, s.count) for s in summary.status_counts if s.count] == [("Rezagado", 1)]
    assert (summary.budget_allocated, summary.budget_executed) == (progress.budget_allocated, progress.budget_executed)
    assert (summary.budget_allocated, summary.budget_executed) == (Decimal("1000.00"), Decimal("250.50"))
    assert summary.budget_executed_percent == Decimal("25.05")
    assert report.beneficiaries_total == summary.beneficiaries_total == progress.beneficiaries_total == Decimal(30)
    (rate,) = progress.rates
    assert (summary.expected, summary.received, summary.on_time, summary.approved) == (
        rate.expected,
        rate.received,
        rate.on_time,
        rate.approved,
    )
    assert (rate.expected, rate.received, rate.approved) == (2, 1, 1)  # MINGOB's draft was never sent
    assert summary.received_percent == rate.received_percent == Decimal("50.00")

    (axis,) = report.axes
    root = progress.roots[0]
    assert (axis.code, axis.percent, axis.budget_allocated, axis.budget_executed) == (
        root.node.code,
        root.percent,
        root.budget_allocated,
        root.budget_executed,
    )
    assert [(row.code, row.percent) for row in axis.rows] == [("OE1", Decimal("40.00")), ("1.1", Decimal("40.00"))]
    strategic = progress.node(cast.action_node.parent_id)
    assert [(bar.code, bar.percent) for bar in axis.bars] == [("1.1", strategic.percent)]
    assert axis.action_count == 2
    assert axis.action_statuses == (("En proceso", 1), ("Sin reporte", 1))

    (indicator,) = report.indicators
    (built,) = progress.indicators
    assert built.year_aggregate is not None
    assert (indicator.value, indicator.target, indicator.percent, indicator.status) == (
        built.year_aggregate.value,
        built.target,
        built.progress.percent,
        built.status,
    )
    assert (indicator.code, indicator.baseline, indicator.value, indicator.target, indicator.percent) == (
        "IND-1",
        None,
        Decimal(60),
        Decimal(100),
        Decimal("60.00"),
    )
    assert indicator.status_label == "Rezagado"

    assert report.delayed_actions == ()  # only approved reports count: MINGOB's «Atrasada» is a draft
    assert progress.troubled_actions == []
    assert [(r.code, r.chains) for r in report.inherited_risk] == [("1.1.2", ("1.1.1 → 1.1.2",))]

    (gcm, sdg, katun) = report.alignment
    (group,) = alignment_groups(progress, "gcm")
    assert [(row.code, row.percent, row.statuses) for row in gcm.rows] == [(group.code, group.percent, "Rezagado: 1")]
    assert (sdg.rows, katun.rows) == ((), ())

    social = report.socialization
    assert (social.events, social.attendance, social.cost) == (1, 50, Decimal("2500.75"))
    assert dict(social.by_sector)["Gubernamental"] == 30
    assert report.iptt == type(report.iptt)(("2026",), (("IND-1", ("60",)),))
    assert report.filename == "informe-monitoreo-2026"


def test_a_period_report_is_read_at_the_periods_end(monitored) -> None:  # type: ignore[no-untyped-def]
    cast = monitored
    report = build_monitoring_report(cast.policy, year=2026, period=cast.period)
    assert report.until == cast.period.ends_on == dt.date(2026, 12, 31)
    assert report.period_line == cast.period.name
    assert report.filename == f"informe-monitoreo-{cast.period.code}"
    assert latest_reported_year(cast.policy) == 2026


def test_docx_has_the_sections_in_order_with_the_exact_figures(monitored) -> None:  # type: ignore[no-untyped-def]
    data = render_monitoring_report_docx(build_monitoring_report(monitored.policy, year=2026))
    text = _docx_body(data)
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    assert text.index("Informe de monitoreo de la Política Migratoria") < positions[0]
    for expected in [
        "Departamento de Estudios y Políticas Migratorias",
        "Instituto Guatemalteco de Migración",
        "Año 2026",
        "Avance general de la política | 40 %",
        "Indicadores «Rezagado» | 1",
        "Instrumentos recibidos / esperados | 1 / 2 (50 %)",
        "Presupuesto asignado | Q 1,000.00",
        "Presupuesto ejecutado | Q 250.50 (25.05 %)",
        "Personas beneficiarias | 30",
        "1.1 | Nodo 1.1 | Línea estratégica | 40 % | 1,000.00 | 250.50",
        "IND-1 | Indicador IND-1 | — | 100 | 60 | 60 % | Rezagado",
        "Año 2026 | 2 | 1 (50 %) | 1 (50 %) | 1 (50 %)",
        "Ninguna institución reportó líneas de acción atrasadas o suspendidas",
        "Del 1 de enero al 31 de diciembre de 2026: 1 eventos, 50 personas alcanzadas y un costo total de Q 2,500.75.",
        "Gubernamental | 30",
        "7 | Abordar y reducir las vulnerabilidades | 1.1 | 40 % | Rezagado: 1",
        "1.1.2 Red de albergues: 1.1.1 → 1.1.2",
        "«En ruta» si el avance llega al 90 %",
    ]:
        assert expected in text, expected
    section_5 = text[positions[4] : positions[5]]
    assert "40 %" not in section_5
    for trace in DRAFT_TRACES:
        assert trace not in text, trace
    document = Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 2  # the status chart and axis 1's chart


def test_charts_are_deterministic_pngs(monitored) -> None:  # type: ignore[no-untyped-def]
    report = build_monitoring_report(monitored.policy, year=2026)
    first, second = report_charts(report), report_charts(report)
    assert first == second
    assert first.status.startswith(b"\x89PNG") and first.axes[0] is not None


def test_the_pdf_view_answers_with_the_same_figures(monitored) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(monitored.analyst)
    response = client.get(reverse("monitoring:report-pdf"), {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="informe-monitoreo-2026.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in [
        *SECTION_TITLES,
        "Informe de monitoreo de la Política Migratoria",
        "Q 1,000.00",
        "Q 250.50",
        "1,000.00",
        "250.50",
        "60 %",
        "40 %",
        "Rezagado",
        "2,500.75",
        "1.1.1 → 1.1.2",
    ]:
        assert expected in text, expected
    for trace in DRAFT_TRACES:
        assert trace not in text, trace
    # The status chart and axis 1's chart (pages share one resource dictionary, so count distinct images).
    assert len({image.data for page in reader.pages for image in page.images}) == 2


def test_the_docx_view_defaults_to_the_latest_year_with_approved_data(monitored) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(monitored.technical)  # a focal point of a linked institution
    response = client.get(reverse("monitoring:report-docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="informe-monitoreo-2026.docx"'
    assert "Avance general de la política | 40 %" in _docx_text(response.content)


def test_the_view_refuses_a_period_of_another_policy_or_a_bad_year(monitored) -> None:  # type: ignore[no-untyped-def]
    other, _levels = make_policy("PM-OTRA")
    foreign = ReportingPeriod.objects.create(
        policy=other,
        code="2026",
        name="Año 2026",
        kind="year",
        year=2026,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2027, 1, 31),
    )
    client = Client()
    client.force_login(monitored.analyst)
    url = reverse("monitoring:report-docx")
    assert client.get(url, {"period": foreign.pk}).status_code == 404
    assert client.get(url, {"policy": "PM-OTRA", "period": monitored.period.pk}).status_code == 404
    assert client.get(url, {"policy": "NO-EXISTE"}).status_code == 404
    assert client.get(url, {"year": "dos mil"}).status_code == 404
    response = client.get(url, {"policy": monitored.policy.code, "period": monitored.period.pk})
    assert response["Content-Disposition"] == f'attachment; filename="informe-monitoreo-{monitored.period.code}.docx"'


def test_a_text_stored_with_a_control_character_still_renders(monitored) -> None:  # type: ignore[no-untyped-def]
    # Written straight to the database, as an old row or a script would have it.
    PolicyNode.objects.filter(pk=monitored.action_node.parent.parent_id).update(title="Derechos\x0b humanos")
    data = render_monitoring_report_docx(build_monitoring_report(monitored.policy, year=2026))
    assert "2.1 Eje 1: Derechos humanos" in _docx_text(data)
