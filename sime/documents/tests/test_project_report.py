import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from sime.activities import services
from sime.activities.tests.factories import make_activity, make_consultancy, make_project
from sime.documents.pdf_report import render_project_report_pdf
from sime.documents.project_report import SECTION_TITLES, build_project_report
from sime.documents.render_docx import render_project_report_docx
from sime.documents.spanish import date_range, long_date, month_range

pytestmark = pytest.mark.django_db


def test_spanish_dates_and_periods() -> None:
    assert long_date(dt.date(2024, 3, 5)) == "5 de marzo de 2024"
    assert month_range(dt.date(2024, 5, 1), dt.date(2024, 8, 1)) == "Mayo a agosto 2024"
    assert month_range(dt.date(2024, 5, 1), dt.date(2024, 5, 1)) == "Mayo 2024"
    assert month_range(dt.date(2024, 11, 1), dt.date(2025, 2, 1)) == "Noviembre 2024 a febrero 2025"
    assert date_range(dt.date(2024, 3, 5), dt.date(2024, 3, 7)) == "5 al 7 de marzo de 2024"
    assert date_range(dt.date(2024, 4, 30), dt.date(2024, 5, 2)) == "30 de abril al 2 de mayo de 2024"


@pytest.fixture
def project(cast):  # type: ignore[no-untyped-def]
    project = make_project(cast.agency)
    make_activity(project, "11710.50")
    make_activity(
        project,
        "5000.25",
        title="Diálogo con sociedad civil",
        kind="intersectoral_dialogue",
        start_date=dt.date(2024, 4, 10),
        end_date=dt.date(2024, 4, 11),
        attendance_by_sector={"civil_society": 60},
        attendance_total=70,
    )
    make_consultancy(project, "23421.00")
    return project


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def test_docx_follows_the_structure_with_exact_amounts(project) -> None:  # type: ignore[no-untyped-def]
    text = _docx_text(render_project_report_docx(build_project_report(project.pk)))
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    for expected in [
        "Socialización de la Política Migratoria 2024",
        "6.1 Lanzamiento de la Política",
        "6.2 Diálogo con sociedad civil",
        "6.3 Consultoría de monitoreo y evaluación",
        "Periodo | Monto en Q.",
        "5 de marzo de 2024 | 11,710.50",
        "10 al 11 de abril de 2024 | 5,000.25",
        "Mayo a agosto 2024 | 23,421.00",
        "Participaron 120 personas (gubernamental: 80; sociedad civil: 25).",
        "Asistencia Técnica 1",
        "Construir la red causal",
        "Total |  | 40,131.75",
        "No aplica",  # section 7: no agreements yet
        "Jefa del DEPM",
        "Instituto Guatemalteco de Migración",
    ]:
        assert expected in text, expected


def test_agreements_replace_no_aplica(project, cast) -> None:  # type: ignore[no-untyped-def]
    services.save_agreement(
        by=None,
        project=project,
        text="Enviar la memoria a la OIM.",
        responsible_person="Ana López",
        due_date=dt.date(2024, 12, 15),
    )
    text = _docx_text(render_project_report_docx(build_project_report(project.pk)))
    section_7 = text[text.index(SECTION_TITLES[6]) : text.index(SECTION_TITLES[7])]
    assert "Enviar la memoria a la OIM. Responsable: Ana López. Fecha límite: 15 de diciembre de 2024." in section_7
    assert "No aplica" not in section_7


def test_pdf_has_the_same_content(project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("en"):  # an English-speaking reader still gets the Spanish document
        report = build_project_report(project.pk)
    assert report.activities[1].kind == "Diálogo intersectorial"
    assert report.total == Decimal("40131.75")
    pdf = render_project_report_pdf(report)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in [
        *SECTION_TITLES,
        "11,710.50",
        "5,000.25",
        "23,421.00",
        "40,131.75",
        "5 de marzo de 2024",
        "Mayo a agosto 2024",
        "No aplica",
    ]:
        assert expected in text, expected
    (tmp_path / "informe.pdf").write_bytes(pdf)


def test_pdf_tables_use_a_fixed_layout(project) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    html = render_to_string("documents/project_report.html", {"report": build_project_report(project.pk)})
    assert html.count("<table") == html.count('<table class="fixed') > 0
    assert "table.fixed { table-layout: fixed; width: 100%; }" in html
    # The two tables that grow with the project may break across pages (the rest keep together).
    assert html.count('<table class="fixed long">') == 2
    assert "table.long { break-inside: auto; }" in html


def test_a_text_stored_with_a_control_character_still_renders(project) -> None:  # type: ignore[no-untyped-def]
    # Written straight to the database, as an old row or a script would have it.
    project.activities.filter(title="Diálogo con sociedad civil").update(title="Diálogo\x0b con sociedad civil")
    text = _docx_text(render_project_report_docx(build_project_report(project.pk)))
    assert "6.2 Diálogo con sociedad civil" in text
