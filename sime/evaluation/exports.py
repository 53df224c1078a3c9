"""The follow-up board as a workbook (.xlsx), from the same `Board` as the page
(`selectors.followup_board`).

Sheets: Recomendaciones, Instituciones, Acciones vencidas. Text typed by people is stored as text,
so it can never run as a formula (`write_text_safely`); figures are real numbers with es-GT formats.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sime.core.spreadsheets import HEADER_FILL, HEADER_FONT, write_text_safely
from sime.documents.spanish import long_date
from sime.evaluation.models import ActionScope, Priority
from sime.evaluation.selectors import RECOMMENDATION_STATUS_LABELS, Board

INTEGER_FORMAT = "#,##0"
PERCENT_FORMAT = "#,##0.0"
DATE_FORMAT = "dd/mm/yyyy"

RECOMMENDATION_HEADERS = ["Evaluación", "R#", "Recomendación", "Prioridad", "Tipo de acción", "Estado"]
RECOMMENDATION_WIDTHS = [16, 6, 70, 10, 20, 16]
INSTITUTION_HEADERS = [
    "Siglas",
    "Institución",
    "Recomendaciones dirigidas",
    "Aceptadas",
    "Con plan",
    "Acciones",
    "% de acciones cerradas",
    "Vencidas",
]
INSTITUTION_WIDTHS = [12, 45, 14, 12, 12, 12, 14, 12]
OVERDUE_HEADERS = [
    "Institución",
    "Recomendación",
    "Acción",
    "Área responsable",
    "Fecha límite",
    "Días vencida",
]
OVERDUE_WIDTHS = [12, 18, 60, 30, 14, 12]


def _sheet(
    sheet: Worksheet, headers: list[str], widths: list[int], rows: list[list[Any]], formats: dict[int, str]
) -> None:
    for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column)
        write_text_safely(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            write_text_safely(cell, value)
            if column in formats and value is not None:
                cell.number_format = formats[column]
    sheet.freeze_panes = "A2"


def board_xlsx(board: Board) -> bytes:
    workbook = Workbook()
    recommendations = workbook.active
    assert recommendations is not None
    recommendations.title = "Recomendaciones"
    _sheet(
        recommendations,
        RECOMMENDATION_HEADERS,
        RECOMMENDATION_WIDTHS,
        [
            [
                recommendation.evaluation.code,
                recommendation.number,
                recommendation.text,
                str(Priority(recommendation.priority).label),
                str(ActionScope(recommendation.scope).label),
                str(RECOMMENDATION_STATUS_LABELS[state]),
            ]
            for recommendation, state in board.recommendations
        ],
        {2: INTEGER_FORMAT},
    )
    _sheet(
        workbook.create_sheet("Instituciones"),
        INSTITUTION_HEADERS,
        INSTITUTION_WIDTHS,
        [
            [
                row.acronym,
                row.name,
                row.addressed,
                row.accepted,
                row.with_plan,
                row.actions,
                row.percent_closed,
                row.overdue,
            ]
            for row in board.institutions
        ],
        {
            3: INTEGER_FORMAT,
            4: INTEGER_FORMAT,
            5: INTEGER_FORMAT,
            6: INTEGER_FORMAT,
            7: PERCENT_FORMAT,
            8: INTEGER_FORMAT,
        },
    )
    overdue = workbook.create_sheet("Acciones vencidas")
    _sheet(
        overdue,
        OVERDUE_HEADERS,
        OVERDUE_WIDTHS,
        [
            [
                action.response.institution.acronym,
                f"{action.response.recommendation.evaluation.code} R{action.response.recommendation.number}",
                action.description,
                action.responsible_area,
                action.due_on,
                (board.today - action.due_on).days,
            ]
            for action in board.overdue
        ],
        {5: DATE_FORMAT, 6: INTEGER_FORMAT},
    )
    overdue.cell(row=len(board.overdue) + 3, column=1, value=f"Vencidas al {long_date(board.today)}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
