"""The IPTT exports over the `monitoring` cast (IND-1 = 60 against 100 in 2026: 60 %, Rezagado)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sime.analytics.exports import headers, iptt_csv, iptt_xlsx
from sime.analytics.iptt import IpttTable, iptt_table
from sime.analytics.progress import framework_progress
from sime.conftest import Cast
from sime.reporting.models import ApprovedFact

pytestmark = pytest.mark.django_db

HEADERS = [
    "Código",
    "Indicador",
    "Unidad",
    "Línea base",
    "Año LB",
    "2026 valor",
    "2026 acumulado",
    "2026 meta",
    "2026 % de la meta",
    "2026 estado",
]


def _table(cast: Cast) -> IpttTable:
    return iptt_table(framework_progress(cast.policy, year=2026, with_points=True), year=2026)


def test_headers(monitoring: Cast) -> None:
    assert headers(_table(monitoring)) == HEADERS


def test_workbook(monitoring: Cast) -> None:
    content = iptt_xlsx(_table(monitoring), title="Política PM-T — IPTT 2026")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "IPTT"
    assert sheet["A1"].value == "Política PM-T — IPTT 2026"
    assert sheet["A2"].value == "Datos aprobados al 31 de diciembre de 2026"
    assert [cell.value for cell in sheet[3]] == HEADERS
    row = [cell.value for cell in sheet[4]]
    assert row == ["IND-1", "Indicador IND-1", "personas", None, None, 60, 60, 100, 0.6, "Rezagado"]
    assert [sheet.cell(row=4, column=c).number_format for c in (6, 7, 8, 9)] == ["#,##0", "#,##0", "#,##0", "0.00 %"]
    assert sheet.cell(row=4, column=6).data_type == "n"
    assert sheet.freeze_panes == "C4"
    assert sheet.auto_filter.ref == "A3:J4"
    assert sheet.column_dimensions["B"].width == 50
    assert sheet.max_row == 4


def test_workbook_reading_date_can_be_given(monitoring: Cast) -> None:
    content = iptt_xlsx(_table(monitoring), until=dt.date(2026, 8, 31))
    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["A1"].value, sheet["A2"].value) == ("IPTT", "Datos aprobados al 31 de agosto de 2026")


def test_decimal_values_keep_their_decimals(monitoring: Cast) -> None:
    ApprovedFact.objects.filter(indicator=monitoring.indicator).update(value=Decimal("1234.5"))
    table = _table(monitoring)
    sheet = load_workbook(io.BytesIO(iptt_xlsx(table))).active
    assert (sheet["F4"].value, sheet["F4"].number_format) == (1234.5, "#,##0.####")
    rows = list(csv.reader(io.StringIO(iptt_csv(table).decode("utf-8-sig"))))
    assert rows[1][5:10] == ["1,234.5", "1,234.5", "100", "1,234.50", "Meta cumplida"]


def _hostile(cast: Cast) -> None:
    indicator = cast.indicator
    indicator.name = '=HYPERLINK("http://example.org/x","clic")'
    indicator.unit = "+1 personas"
    indicator.code = "@SUM(A1)"
    indicator.save(update_fields=["name", "unit", "code"])


def test_workbook_text_never_becomes_a_formula(monitoring: Cast) -> None:
    _hostile(monitoring)
    content = iptt_xlsx(_table(monitoring), title="-2+3")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=4, column=c).data_type for c in (1, 2, 3)] == ["s", "s", "s"]
    assert sheet["B4"].value == '=HYPERLINK("http://example.org/x","clic")'
    assert sheet["A1"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_csv(monitoring: Cast) -> None:
    content = iptt_csv(_table(monitoring))
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [HEADERS, ["IND-1", "Indicador IND-1", "personas", "", "", "60", "60", "100", "60.00", "Rezagado"]]


def test_csv_cells_are_formula_safe(monitoring: Cast) -> None:
    _hostile(monitoring)
    rows = list(csv.reader(io.StringIO(iptt_csv(_table(monitoring)).decode("utf-8-sig"))))
    assert rows[1][:3] == ["'@SUM(A1)", '\'=HYPERLINK("http://example.org/x","clic")', "'+1 personas"]
