"""ProjectReport → DOCX (python-docx), editable by DEPM afterwards."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sime.documents.project_report import MoneyRow, ProjectReport


def _money_table(document: DocxDocument, rows: list[MoneyRow]) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = "Periodo", "Monto en Q."
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = row.period
        cells[1].text = row.amount_text
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _paragraph_or_na(document: DocxDocument, text: str, na: str) -> None:
    document.add_paragraph(text.strip() or na)


def render_project_report_docx(report: ProjectReport) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    for line in (report.title, report.area, report.responsible, report.date_line):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[0].runs[0].bold = True

    titles = report.section_titles
    document.add_heading(titles[0], level=1)
    _paragraph_or_na(document, report.introduction, report.not_applicable)
    document.add_heading(titles[1], level=1)
    _paragraph_or_na(document, report.justification, report.not_applicable)
    document.add_heading(titles[2], level=1)
    document.add_heading("3.1 Objetivo general", level=2)
    _paragraph_or_na(document, report.general_objective, report.not_applicable)
    document.add_heading("3.2 Objetivos específicos", level=2)
    for objective in report.specific_objectives or (report.not_applicable,):
        document.add_paragraph(objective, style="List Bullet")
    document.add_heading(titles[3], level=1)
    _paragraph_or_na(document, report.location, report.not_applicable)
    document.add_heading(titles[4], level=1)
    document.add_paragraph(f"Beneficiarios directos: {report.direct_beneficiaries or report.not_applicable}")
    document.add_paragraph(f"Beneficiarios indirectos: {report.indirect_beneficiaries or report.not_applicable}")

    document.add_heading(titles[5], level=1)
    for section in report.activities:
        document.add_heading(f"{section.number} {section.title}", level=2)
        if section.description:
            document.add_paragraph(section.description)
        if section.attendance:
            document.add_paragraph(section.attendance)
        for assignment, duties in section.duties:
            document.add_paragraph(assignment).runs[0].bold = True
            for duty in duties:
                document.add_paragraph(duty, style="List Bullet")
        _money_table(document, [section.money])
    if not report.activities:
        document.add_paragraph(report.not_applicable)

    document.add_heading(titles[6], level=1)
    for agreement in report.agreements or (report.not_applicable,):
        document.add_paragraph(agreement, style="List Bullet" if report.agreements else None)

    document.add_heading(titles[7], level=1)
    schedule = document.add_table(rows=1, cols=2)
    schedule.style = "Table Grid"
    schedule.rows[0].cells[0].text, schedule.rows[0].cells[1].text = "Actividad", "Periodo"
    for row in report.schedule:
        cells = schedule.add_row().cells
        cells[0].text, cells[1].text = row.item, row.period

    document.add_heading(titles[8], level=1)
    finances = document.add_table(rows=1, cols=3)
    finances.style = "Table Grid"
    header = finances.rows[0].cells
    header[0].text, header[1].text, header[2].text = "Concepto", "Periodo", "Monto en Q."
    for concept, money in report.finances:
        cells = finances.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = concept, money.period, money.amount_text
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total = finances.add_row().cells
    total[0].text, total[2].text = "Total", report.total_text
    total[0].paragraphs[0].runs[0].bold = True
    total[2].paragraphs[0].runs[0].bold = True
    total[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    document.add_heading(titles[9], level=1)
    for item in report.means_of_verification or (report.not_applicable,):
        document.add_paragraph(item, style="List Number" if report.means_of_verification else None)

    document.add_paragraph("")
    for line in (report.signatory_name, report.signatory_position, report.area, report.institution):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
