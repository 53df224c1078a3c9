"""MonitoringReport → DOCX (python-docx), editable by DEPM afterwards."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from sime.analytics.monitoring_report import MonitoringReport
from sime.analytics.report_charts import ReportCharts, report_charts
from sime.core.formatting import format_number
from sime.core.text import xml_safe
from sime.documents.docx_parts import add_picture, add_table, centered_lines, new_document, to_bytes

TABLE_FONT = 9
INDENT = 10  # points per level below the axis


def _cover(document: DocxDocument, report: MonitoringReport) -> None:
    for _ in range(6):
        document.add_paragraph("")
    centered_lines(document, report.cover_lines, bold_first=True)
    document.paragraphs[-len(report.cover_lines)].runs[0].font.size = Pt(16)
    centered_lines(document, [line for line in (report.reading_line, report.illustrative_note) if line])
    document.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)


def _summary(document: DocxDocument, report: MonitoringReport, charts: ReportCharts) -> None:
    document.add_heading(report.section_titles[0], level=1)
    document.add_paragraph(f"{report.period_line}. {report.reading_line}.")
    add_table(document, ["Cifra", "Valor"], report.summary.lines, numeric={1}, bold_header=True)
    add_picture(document, charts.status)


def _axes(document: DocxDocument, report: MonitoringReport, charts: ReportCharts) -> None:
    document.add_heading(report.section_titles[1], level=1)
    for axis, chart in zip(report.axes, charts.axes, strict=True):
        document.add_heading(axis.heading, level=2)
        document.add_paragraph(axis.summary_line)
        if axis.rows:
            table = add_table(
                document,
                report.node_header,
                [
                    (
                        row.code,
                        row.title,
                        row.level,
                        row.percent_text,
                        row.budget_allocated_text,
                        row.budget_executed_text,
                    )
                    for row in axis.rows
                ],
                numeric={3, 4, 5},
                bold_header=True,
                font_size=TABLE_FONT,
            )
            for table_row, row in zip(table.rows[1:], axis.rows, strict=True):
                table_row.cells[1].paragraphs[0].paragraph_format.left_indent = Pt(INDENT * (row.depth - 1))
        if chart:
            add_picture(document, chart)


def _tables(document: DocxDocument, report: MonitoringReport) -> None:
    document.add_heading(report.section_titles[2], level=1)
    add_table(
        document,
        report.indicator_header,
        [row.texts for row in report.indicators],
        numeric={2, 3, 4, 5},
        bold_header=True,
        font_size=TABLE_FONT,
    )

    document.add_heading(report.section_titles[3], level=1)
    if report.compliance:
        add_table(
            document,
            report.compliance_header,
            [row.texts for row in report.compliance],
            numeric={1, 2, 3, 4},
            bold_header=True,
        )
    else:
        document.add_paragraph(report.no_compliance)

    document.add_heading(report.section_titles[4], level=1)
    if report.delayed_actions:
        add_table(
            document,
            report.delayed_header,
            [row.texts for row in report.delayed_actions],
            numeric={3},
            bold_header=True,
            font_size=TABLE_FONT,
        )
    else:
        document.add_paragraph(report.no_delayed_actions)


def _people(document: DocxDocument, report: MonitoringReport) -> None:
    document.add_heading(report.section_titles[5], level=1)
    document.add_paragraph(f"Personas beneficiarias en el año: {report.beneficiaries_total_text}.")
    if not report.beneficiaries and not report.beneficiaries_total:
        document.add_paragraph(report.no_beneficiaries)
    for dimension in report.beneficiaries:
        document.add_heading(dimension.name, level=2)
        add_table(
            document,
            [dimension.name, "Personas"],
            [
                *((label, format_number(people)) for label, people in dimension.rows),
                ("Total", format_number(dimension.total)),
            ],
            numeric={1},
            bold_header=True,
            bold_last=True,
        )

    social = report.socialization
    document.add_heading(report.section_titles[6], level=1)
    document.add_paragraph(social.summary_line)
    if social.events:
        add_table(
            document,
            ["Sector", "Personas"],
            [(label, format_number(count)) for label, count in social.by_sector],
            numeric={1},
            bold_header=True,
        )
        add_table(
            document,
            ["Tipo de evento", "Eventos", "Personas"],
            [(label, format_number(events), format_number(people)) for label, events, people in social.by_kind],
            numeric={1, 2},
            bold_header=True,
        )
    else:
        document.add_paragraph(report.no_events)


def _extra_sections(document: DocxDocument, report: MonitoringReport) -> None:
    """Sections of higher apps (settings.MONITORING_REPORT_SECTIONS), drawn from their data."""
    for heading, section in report.numbered_extra_sections:
        document.add_heading(heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            if table.caption:
                document.add_heading(table.caption, level=2)
            if table.rows:
                add_table(
                    document,
                    table.header,
                    table.rows,
                    numeric=set(table.numeric),
                    bold_header=True,
                    font_size=TABLE_FONT,
                )
            elif table.empty_text:
                document.add_paragraph(table.empty_text)


def _annexes(document: DocxDocument, report: MonitoringReport) -> None:
    document.add_heading(report.section_titles[7], level=1)
    for table in report.alignment:
        document.add_heading(table.title, level=2)
        if table.rows:
            add_table(
                document,
                report.alignment_header,
                [row.texts for row in table.rows],
                numeric={3},
                bold_header=True,
                font_size=TABLE_FONT,
            )
        else:
            document.add_paragraph(report.no_alignment)

    document.add_heading(report.annex_titles[3], level=2)
    for risk in report.inherited_risk:
        document.add_paragraph(f"{risk.code} {risk.title}: {'; '.join(risk.chains)}", style="List Bullet")
    if not report.inherited_risk:
        document.add_paragraph(report.no_risk)

    document.add_heading(report.annex_titles[4], level=2)
    if report.iptt.periods:
        add_table(
            document,
            ["Indicador", *report.iptt.periods],
            [(code, *cells) for code, cells in report.iptt.rows],
            numeric=set(range(1, len(report.iptt.periods) + 1)),
            bold_header=True,
            font_size=TABLE_FONT,
        )
    else:
        document.add_paragraph(report.no_iptt)

    document.add_heading(report.annex_titles[5], level=2)
    for paragraph in report.methodology:
        document.add_paragraph(paragraph)


def render_monitoring_report_docx(report: MonitoringReport) -> bytes:
    report = xml_safe(report)  # a text saved with a control character must not break the document
    charts = report_charts(report)
    document = new_document()
    _cover(document, report)
    _summary(document, report, charts)
    _axes(document, report, charts)
    _tables(document, report)
    _people(document, report)
    _extra_sections(document, report)
    _annexes(document, report)
    return to_bytes(document)
