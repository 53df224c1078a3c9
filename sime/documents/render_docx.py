"""ProjectReport → DOCX (python-docx), editable by DEPM afterwards."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from sime.core.text import xml_safe
from sime.documents.docx_parts import add_table, centered_lines, new_document, to_bytes
from sime.documents.project_report import MoneyRow, ProjectReport


def _money_table(document: DocxDocument, rows: list[MoneyRow]) -> None:
    add_table(document, ["Periodo", "Monto en Q."], [(row.period, row.amount_text) for row in rows], numeric={1})


def _paragraph_or_na(document: DocxDocument, text: str, na: str) -> None:
    document.add_paragraph(text.strip() or na)


def render_project_report_docx(report: ProjectReport) -> bytes:
    report = xml_safe(report)  # a text saved with a control character must not break the document
    document = new_document()
    centered_lines(document, (report.title, report.area, report.responsible, report.date_line), bold_first=True)

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
    add_table(document, ["Actividad", "Periodo"], [(row.item, row.period) for row in report.schedule])

    document.add_heading(titles[8], level=1)
    add_table(
        document,
        ["Concepto", "Periodo", "Monto en Q."],
        [
            *((concept, money.period, money.amount_text) for concept, money in report.finances),
            ("Total", "", report.total_text),
        ],
        numeric={2},
        bold_last=True,
    )

    document.add_heading(titles[9], level=1)
    for item in report.means_of_verification or (report.not_applicable,):
        document.add_paragraph(item, style="List Number" if report.means_of_verification else None)

    document.add_paragraph("")
    centered_lines(document, (report.signatory_name, report.signatory_position, report.area, report.institution))
    return to_bytes(document)
