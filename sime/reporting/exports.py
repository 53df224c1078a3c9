"""Spreadsheet exports of reporting pages (cells written as text where text: no formula injection)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from openpyxl import Workbook

from sime.core.spreadsheets import write_table, write_text_safely

if TYPE_CHECKING:
    from sime.reporting.models import ReportingPeriod, Submission


def completeness_workbook(period: ReportingPeriod, rows: list[Submission]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Completitud"
    headers = [
        "Institución",
        "Siglas",
        "Estado",
        "Ítems completos",
        "Ítems",
        "% completo",
        "Puntualidad",
        "Primer envío",
        "Última actividad",
    ]
    data = []
    for row in rows:
        first_sent = timezone.localtime(row.first_sent_at).strftime("%d/%m/%Y %H:%M") if row.first_sent_at else ""
        last = timezone.localtime(row.last_activity_at).strftime("%d/%m/%Y %H:%M") if row.last_activity_at else ""
        data.append(
            [
                row.institution.name,
                row.institution.acronym,
                str(row.get_status_display()),
                row.completed_items,
                row.total_items,
                row.percent_complete,
                "Fuera de plazo" if row.is_late else ("A tiempo" if row.first_sent_at else "En plazo"),
                first_sent,
                last,
            ]
        )
    write_table(sheet, headers, data)
    sheet.insert_rows(1, amount=2)
    write_text_safely(sheet["A1"], f"Completitud del periodo {period.code} — {period.name}")
    write_text_safely(sheet["A2"], f"Cierre de la recepción: {period.closes_on.strftime('%d/%m/%Y')}")
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
