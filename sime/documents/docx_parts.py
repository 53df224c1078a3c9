"""Building blocks shared by the DOCX renderers (python-docx): the house style, centred cover
lines, tables with right-aligned figures, pictures and the final bytes."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt
from docx.table import Table


def new_document(*, font: str = "Arial", size: int = 11) -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    return document


def centered_lines(document: DocxDocument, lines: Iterable[str], *, bold_first: bool = False) -> None:
    for index, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if bold_first and index == 0 and paragraph.runs:
            paragraph.runs[0].bold = True


def add_table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Collection[int] = (),
    bold_header: bool = False,
    bold_last: bool = False,
    font_size: float | None = None,
) -> Table:
    """A grid table: `header`, then one row per item; columns in `numeric` are right-aligned;
    `bold_last` makes the last row (a total) bold."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        if bold_header:
            cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if bold_last and len(table.rows) > 1:
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    if font_size is not None:
        for table_row in table.rows:
            for cell in table_row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(font_size)
    return table


def add_picture(document: DocxDocument, png: bytes, *, width_inches: float = 6.3) -> None:
    document.add_picture(io.BytesIO(png), width=Inches(width_inches))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
