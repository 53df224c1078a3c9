"""The informe de seguimiento (builder → DOCX/PDF), the board's workbook and their views."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import include, path, reverse
from docx import Document
from openpyxl import load_workbook

from config import urls as project_urls
from sime.evaluation import report_urls, selectors, services
from sime.evaluation import urls as evaluation_urls
from sime.evaluation.exports import board_xlsx
from sime.evaluation.followup_report import build_followup_report
from sime.evaluation.models import Recommendation, Response
from sime.evaluation.report_docx import render_followup_report_docx
from sime.evaluation.report_pdf import render_followup_report_pdf
from sime.evaluation.tests.test_pages import conclude, make_evaluation

pytestmark = pytest.mark.django_db

# The lead includes report_urls in sime.evaluation.urls; until then the tests mount it beside them.
urlpatterns = [
    path("evaluacion/", include((evaluation_urls.urlpatterns + report_urls.urlpatterns, "evaluation"))),
    *(p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "evaluation"),
]

TODAY = dt.date(2027, 6, 1)


def plan_action(**overrides: Any) -> dict[str, Any]:
    return {
        "description": "Capacitar a los cónsules en el protocolo.",
        "responsible_area": "Dirección de Asuntos Consulares",
        "starts_on": dt.date(2026, 10, 1),
        "due_on": dt.date(2027, 3, 31),
        "expected_result": "80 cónsules capacitados.",
        "verification_means": "Listas de asistencia firmadas.",
        **overrides,
    }


@pytest.fixture
def followed(monitoring: Any) -> Any:
    """MINEX accepted R1 with a validated two-action plan (one overdue at TODAY, one at 40 %);
    MINGOB rejected it (not sent yet). R2 is addressed to MINEX only and unanswered."""
    cast = monitoring
    evaluation = make_evaluation(cast, institutions=[cast.home, cast.other])
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text='=HYPERLINK("http://x") Publicar el protocolo.',
        priority="low",
        scope="one",
        institution_ids=[cast.home.pk],
    )
    cast.evaluation = conclude(cast, evaluation)
    first = Recommendation.objects.get(evaluation=evaluation, number=1)
    minex = Response.objects.get(recommendation=first, institution=cast.home)
    minex = services.save_answer(by=cast.technical, response=minex, decision="accepted", justification="", version=1)
    cast.overdue_action = services.save_plan_action(by=cast.technical, response=minex, values=plan_action())
    cast.on_time = services.save_plan_action(
        by=cast.technical,
        response=minex,
        values=plan_action(
            description="Publicar la guía.", due_on=dt.date(2027, 12, 31), responsible_area="Comunicación"
        ),
    )
    services.submit_response(by=cast.technical, response=minex)
    services.sign_off_response(by=cast.planning, response=minex)
    services.validate_response(by=cast.analyst, response=minex)
    cast.on_time.refresh_from_db()
    services.report_progress(
        by=cast.technical,
        action=cast.on_time,
        values={"status": "in_progress", "percent": Decimal(40), "progress_note": "Borrador listo."},
        version=cast.on_time.version,
    )
    mingob = Response.objects.get(recommendation=first, institution=cast.other)
    services.save_answer(
        by=cast.outsider, response=mingob, decision="rejected", justification="No tiene competencia.", version=1
    )
    return cast


def test_the_report_figures_are_the_boards(followed: Any) -> None:
    cast = followed
    report = build_followup_report(cast.evaluation, today=TODAY)
    board = selectors.followup_board(today=TODAY, evaluation_id=cast.evaluation.pk)
    assert dict(report.summary.recommendations_by_status) == {
        "Sin respuesta": board.by_status["unanswered"],
        "En respuesta": board.by_status["answering"],
        "En ejecución": board.by_status["executing"],
        "Cerrada": board.by_status["closed"],
    }
    assert report.summary.recommendations_by_status == (
        ("Sin respuesta", 1),
        ("En respuesta", 1),
        ("En ejecución", 0),
        ("Cerrada", 0),
    )
    assert report.summary.responses_by_decision == (
        ("Acepta", 1),
        ("Acepta parcialmente", 0),
        ("No acepta", 1),
        ("Sin respuesta", 1),
    )
    assert (report.summary.actions, report.summary.actions_closed, report.summary.actions_overdue) == (2, 0, 1)
    assert report.summary.actions == sum(row.actions for row in board.institutions)
    assert report.summary.actions_overdue == len(board.overdue) == 1
    assert report.cover.code == "EV-2026-01"
    assert report.cover.kind == "Proceso / implementación (intermedia)"
    assert report.cover.evaluator == "Interna (DEPM)"
    assert report.cover.planned == "1 de marzo al 30 de septiembre de 2026"
    assert report.cover.date_line == "Guatemala, 1 de junio de 2027"
    r1, r2 = report.recommendations
    assert (r1.heading, r1.priority, r1.status, r1.institutions) == ("R1", "Alta", "En respuesta", "MINEX, MINGOB")
    minex, mingob = r1.responses
    assert (minex.decision, minex.status) == ("Acepta", "Validada")
    assert (mingob.decision, mingob.justification) == ("No acepta", "No tiene competencia.")
    assert [row.texts for row in minex.actions] == [
        (
            "A1",
            "Capacitar a los cónsules en el protocolo.",
            "Dirección de Asuntos Consulares",
            "1 de octubre de 2026 al 31 de marzo de 2027",
            "Vencida",
            "0 %",
            "Listas de asistencia firmadas.",
        ),
        (
            "A2",
            "Publicar la guía.",
            "Comunicación",
            "1 de octubre de 2026 al 31 de diciembre de 2027",
            "En proceso",
            "40 %",
            "Listas de asistencia firmadas.",
        ),
    ]
    assert r2.responses[0].decision == "Sin respuesta"
    assert [row.texts for row in report.overdue] == [
        (
            "MINEX",
            "EV-2026-01 R1",
            "Capacitar a los cónsules en el protocolo.",
            "Dirección de Asuntos Consulares",
            "31 de marzo de 2027",
            "62",
        )
    ]


def test_the_docx_holds_the_texts(followed: Any) -> None:
    report = build_followup_report(followed.evaluation, today=TODAY)
    document = Document(io.BytesIO(render_followup_report_docx(report)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Informe de seguimiento de la evaluación" in text
    assert "Código: EV-2026-01" in text
    assert "Departamento de Estudios y Políticas Migratorias (DEPM)" in text
    assert "R1. Acelerar el protocolo (1)." in text
    assert "Justificación: No tiene competencia." in text
    assert "Ministerio de Relaciones Exteriores (MINEX)" in text
    assert "Vencida" in cells and "40 %" in cells and "Dirección de Asuntos Consulares" in cells
    assert "Acciones vencidas" in cells  # the summary line
    assert "62" in cells


def test_the_pdf_renders(followed: Any, tmp_path: Path) -> None:
    report = build_followup_report(followed.evaluation, today=TODAY)
    pdf = render_followup_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        source = tmp_path / "informe.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", str(source), str(tmp_path / "p")], check=True
        )
        assert list(tmp_path.glob("p*.png"))


@pytest.mark.urls(__name__)
def test_report_views_answer_by_role(client: Any, followed: Any) -> None:
    cast = followed
    docx = reverse("evaluation:followup-report-docx", kwargs={"pk": cast.evaluation.pk})
    pdf = reverse("evaluation:followup-report-pdf", kwargs={"pk": cast.evaluation.pk})
    assert docx == f"/evaluacion/{cast.evaluation.pk}/informe-seguimiento.docx"
    for user in (cast.analyst, cast.authority):
        client.force_login(user)
        answer = client.get(docx)
        assert answer.status_code == 200
        assert answer["Content-Disposition"] == 'attachment; filename="informe-seguimiento-EV-2026-01.docx"'
        assert client.get(pdf).content.startswith(b"%PDF")
    client.force_login(cast.analyst)
    assert (
        client.get(reverse("evaluation:followup-report-pdf", kwargs={"pk": cast.evaluation.pk + 99})).status_code == 404
    )
    for user in (cast.technical, cast.outsider, cast.cooperant):
        client.force_login(user)
        assert client.get(docx).status_code == 403
        assert client.get(reverse("evaluation:followup-board-xlsx")).status_code == 403


def test_the_board_workbook(followed: Any) -> None:
    board = selectors.followup_board(today=TODAY)
    book = load_workbook(io.BytesIO(board_xlsx(board)))
    assert book.sheetnames == ["Recomendaciones", "Instituciones", "Acciones vencidas"]
    rows = [[c.value for c in row] for row in book["Recomendaciones"].iter_rows()]
    assert rows[0] == ["Evaluación", "R#", "Recomendación", "Prioridad", "Tipo de acción", "Estado"]
    assert rows[1] == ["EV-2026-01", 1, "Acelerar el protocolo (1).", "Alta", "Varias instituciones", "En respuesta"]
    assert rows[2][2] == '=HYPERLINK("http://x") Publicar el protocolo.'
    assert book["Recomendaciones"]["C3"].data_type == "s"  # text, never a formula
    institutions = [[c.value for c in row] for row in book["Instituciones"].iter_rows(min_row=2)]
    assert institutions == [
        ["MINEX", "Ministerio de Relaciones Exteriores", 2, 1, 1, 2, 0, 1],
        ["MINGOB", "Ministerio de Gobernación", 1, 0, 0, 0, None, 0],
    ]
    assert book["Instituciones"]["G2"].number_format == "#,##0.0"
    overdue = book["Acciones vencidas"]
    assert [c.value for c in overdue[2]][:4] == [
        "MINEX",
        "EV-2026-01 R1",
        "Capacitar a los cónsules en el protocolo.",
        "Dirección de Asuntos Consulares",
    ]
    assert overdue["E2"].value.date() == dt.date(2027, 3, 31)
    assert overdue["F2"].value == 62 and overdue["F2"].number_format == "#,##0"


@pytest.mark.urls(__name__)
def test_the_board_workbook_view(client: Any, followed: Any) -> None:
    cast = followed
    client.force_login(cast.authority)
    answer = client.get(reverse("evaluation:followup-board-xlsx"), {"institution": cast.other.pk})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    assert [row[0].value for row in book["Instituciones"].iter_rows(min_row=2)] == ["MINGOB"]


# --- The section of the Informe de monitoreo ------------------------------------------------------


@pytest.fixture
def at_today(monkeypatch: Any) -> None:
    """The section reads overdue actions at the day the report is made: fix that day."""
    import types

    from sime.evaluation import followup_report

    monkeypatch.setattr(followup_report, "timezone", types.SimpleNamespace(localdate=lambda *args: TODAY))


def test_the_monitoring_report_has_the_follow_up_section(followed: Any, at_today: None) -> None:
    from sime.analytics.monitoring_report import build_monitoring_report
    from sime.analytics.report_docx import render_monitoring_report_docx

    cast = followed
    report = build_monitoring_report(cast.policy, year=2026)
    assert [heading for heading, _section in report.numbered_extra_sections] == ["8. Seguimiento de las evaluaciones"]
    assert report.section_titles[-1] == "9. Anexos"
    assert report.annex_titles[0] == "9.1 Alineación con el Pacto Mundial para la Migración"
    assert [t.title for t in report.alignment] == [
        f"9.{n}{title[3:]}"
        for n, title in (
            (1, "8.1 Alineación con el Pacto Mundial para la Migración"),
            (2, "8.2 Alineación con las metas de los Objetivos de Desarrollo Sostenible"),
            (3, "8.3 Alineación con las prioridades del K'atun 2032"),
        )
    ]
    section = report.extra_sections[0]
    board = selectors.followup_board(today=TODAY)
    assert board.by_status == {"unanswered": 1, "answering": 1, "executing": 0, "closed": 0}
    assert section.paragraphs == (
        "En 2026 el plan anual registra 1 evaluación de la política (1 concluidas o publicadas), "
        "con 2 recomendaciones, de las que 0 están cerradas.",
        "Acciones de mejora vencidas al 1 de junio de 2027: 1.",
    )
    by_status, overdue = section.tables
    assert by_status.header == (
        "Código",
        "Evaluación",
        "Estado",
        "Recomendaciones",
        "Sin respuesta",
        "En respuesta",
        "En ejecución",
        "Cerrada",
        "Acciones vencidas",
    )
    assert by_status.rows == (
        ("EV-2026-01", "Evaluación de proceso del eje 1", "Concluida", "2", "1", "1", "0", "0", "1"),
    )
    assert overdue.rows == (
        (
            "MINEX",
            "EV-2026-01 R1",
            "Capacitar a los cónsules en el protocolo.",
            "Dirección de Asuntos Consulares",
            "31 de marzo de 2027",
            "62",
        ),
    )
    document = Document(io.BytesIO(render_monitoring_report_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("8. Seguimiento de las evaluaciones") < headings.index("9. Anexos")
    assert headings.index("7. Socialización") < headings.index("8. Seguimiento de las evaluaciones")
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"EV-2026-01", "Capacitar a los cónsules en el protocolo.", "62"} <= cells


def test_the_section_in_a_year_without_evaluations(followed: Any, at_today: None) -> None:
    from sime.evaluation.followup_report import monitoring_section

    assert monitoring_section(followed.policy, year=2030, until=dt.date(2030, 12, 31)) is None


def test_the_monitoring_pdf_draws_the_section(followed: Any, at_today: None, tmp_path: Path) -> None:
    from sime.analytics.monitoring_report import build_monitoring_report
    from sime.analytics.report_pdf import render_monitoring_report_pdf

    pdf = render_monitoring_report_pdf(build_monitoring_report(followed.policy, year=2026))
    assert pdf.startswith(b"%PDF")
    (tmp_path / "monitoreo.pdf").write_bytes(pdf)


def test_texts_stored_with_a_control_character_still_export_to_docx_and_xlsx(followed: Any) -> None:
    # Written straight to the database, as an old row or a script would have it.
    Recommendation.objects.filter(evaluation=followed.evaluation, number=1).update(text="Acelerar\x0b el protocolo.")
    report = build_followup_report(followed.evaluation, today=TODAY)
    document = Document(io.BytesIO(render_followup_report_docx(report)))
    assert "R1. Acelerar el protocolo." in "\n".join(p.text for p in document.paragraphs)
    book = load_workbook(io.BytesIO(board_xlsx(selectors.followup_board(today=TODAY))))
    assert book["Recomendaciones"]["C2"].value == "Acelerar el protocolo."
