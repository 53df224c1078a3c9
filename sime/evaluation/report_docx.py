"""FollowUpReport → DOCX (python-docx), editable by DEPM afterwards."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from sime.core.text import xml_safe
from sime.documents.docx_parts import add_table, centered_lines, new_document, to_bytes
from sime.evaluation.followup_report import FollowUpReport

TABLE_FONT = 8


def render_followup_report_docx(report: FollowUpReport) -> bytes:
    report = xml_safe(report)  # a text saved with a control character must not break the document
    document = new_document()
    section = document.sections[0]
    # Landscape: the plan tables have seven columns.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for _ in range(4):
        document.add_paragraph("")
    centered_lines(document, report.cover_lines, bold_first=True)
    document.paragraphs[-len(report.cover_lines)].runs[0].font.size = Pt(16)
    document.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)

    document.add_heading(report.section_titles[0], level=1)
    add_table(document, ["Cifra", "Valor"], report.summary.lines, numeric={1}, bold_header=True)

    document.add_heading(report.section_titles[1], level=1)
    if not report.recommendations:
        document.add_paragraph(report.no_recommendations)
    for recommendation in report.recommendations:
        document.add_heading(f"{recommendation.heading}. {recommendation.text}", level=2)
        document.add_paragraph(
            f"Prioridad: {recommendation.priority}. Estado: {recommendation.status}. "
            f"Dirigida a: {recommendation.institutions}."
        )
        for response in recommendation.responses:
            document.add_heading(response.institution, level=3)
            document.add_paragraph(f"Respuesta: {response.decision}. Estado de la respuesta: {response.status}.")
            if response.justification:
                document.add_paragraph(f"Justificación: {response.justification}")
            if response.actions:
                add_table(
                    document,
                    report.action_header,
                    [row.texts for row in response.actions],
                    numeric={5},
                    bold_header=True,
                    font_size=TABLE_FONT,
                )
            else:
                document.add_paragraph(report.no_actions)

    document.add_heading(report.section_titles[2], level=1)
    if report.overdue:
        add_table(
            document,
            report.overdue_header,
            [row.texts for row in report.overdue],
            numeric={5},
            bold_header=True,
            font_size=TABLE_FONT,
        )
    else:
        document.add_paragraph(report.no_overdue)
    return to_bytes(document)
