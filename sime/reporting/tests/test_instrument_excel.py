"""The Excel round-trip: download, fill offline, upload; every refusal saves nothing."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sime.conftest import Cast
from sime.core.tests import bad_workbooks as bad
from sime.reporting import services
from sime.reporting.instrument_excel import (
    ACTIONS_SHEET,
    FIRST_ROW,
    INDICATORS_SHEET,
    build_workbook,
    read_upload,
)
from sime.reporting.models import ActionProgress, IndicatorValue


def workbook_of(cast: Cast):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(build_workbook(cast.submission)))


def as_file(workbook) -> io.BytesIO:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "instrumento.xlsx"  # type: ignore[attr-defined]
    return buffer


def apply(cast: Cast, workbook) -> int:  # type: ignore[no-untyped-def]
    result = read_upload(cast.submission, as_file(workbook))
    assert result.ok, [p.as_dict() for p in result.problems]
    return services.apply_changes(by=cast.technical, submission=cast.submission, changes=result.changes, source="xlsx")


def fill_actions(workbook, **cells: object) -> None:  # type: ignore[no-untyped-def]
    sheet = workbook[ACTIONS_SHEET]
    for column, value in cells.items():
        sheet[f"{column}{FIRST_ROW}"] = value


def versions(cast: Cast) -> tuple[int, int]:
    return (
        ActionProgress.objects.get(pk=cast.action_item.pk).version,
        IndicatorValue.objects.get(pk=cast.indicator_item.pk).version,
    )


def test_the_download_names_institution_and_period_and_protects_its_structure(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    assert workbook.sheetnames[:3] == ["Instrucciones", ACTIONS_SHEET, INDICATORS_SHEET]
    sheet = workbook[ACTIONS_SHEET]
    assert sheet["B2"].value == reporting.home.name
    assert sheet["B3"].value.startswith("2026")
    assert sheet.protection.sheet
    assert workbook.security.lockStructure
    assert sheet[f"A{FIRST_ROW}"].value == "1.1.1"
    assert sheet[f"A{FIRST_ROW}"].protection.locked
    assert not sheet[f"C{FIRST_ROW}"].protection.locked  # status is an input cell
    assert any("C" in str(v.sqref) for v in sheet.data_validations.dataValidation)
    assert workbook["_sime"].sheet_state == "veryHidden"


def test_round_trip_saves_typed_numbers_in_es_gt_and_reexport_matches(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D="45.5", E="Protocolo en consulta", H="1,234.50", I=1000)
    workbook[INDICATORS_SHEET][f"E{FIRST_ROW}"] = 120
    assert apply(reporting, workbook) == 2
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    assert item.status == "in_progress" and item.progress_percent == Decimal("45.5")
    assert item.budget_allocated == Decimal("1234.50") and item.budget_executed == Decimal("1000")
    assert IndicatorValue.objects.get(pk=reporting.indicator_item.pk).value == Decimal("120")
    again = workbook_of(reporting)[ACTIONS_SHEET]
    assert again[f"C{FIRST_ROW}"].value == "En proceso"
    assert Decimal(str(again[f"H{FIRST_ROW}"].value)) == Decimal("1234.50")


def test_uploading_the_same_file_twice_changes_nothing_the_second_time(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D=10)
    apply(reporting, workbook)
    before = versions(reporting)
    result = read_upload(reporting.submission, as_file(workbook))
    assert result.ok and result.changes == []
    assert versions(reporting) == before


def problems(cast: Cast, upload) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    before = versions(cast)
    result = read_upload(cast.submission, upload)
    assert not result.ok and result.changes == []
    assert versions(cast) == before  # nothing saved
    return [p.as_dict() for p in result.problems]


def test_every_problem_is_reported_with_sheet_cell_and_spanish_message(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="Atrasada", D="ciento", H=-5)
    found = problems(reporting, as_file(workbook))
    cells = {p["cell"]: p for p in found}
    assert cells[f"D{FIRST_ROW}"]["message"].startswith("Escriba un número")
    assert cells[f"D{FIRST_ROW}"]["sheet"] == ACTIONS_SHEET


def test_business_rules_point_at_their_cell(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="Suspendida", D=10, H=100, I=200)
    found = {p["cell"]: p["message"] for p in problems(reporting, as_file(workbook))}
    assert "obstáculos" in found[f"F{FIRST_ROW}"]
    assert "justifique" in found[f"J{FIRST_ROW}"]


def test_a_formula_where_a_number_belongs_is_refused(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D="=10*2")
    found = problems(reporting, as_file(workbook))
    assert found[0]["cell"] == f"D{FIRST_ROW}" and "fórmula" in found[0]["message"]


def test_a_renamed_sheet_is_refused(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    workbook[ACTIONS_SHEET].title = "Mis acciones"
    assert "Falta la hoja «Acciones»" in problems(reporting, as_file(workbook))[0]["message"]


def test_a_changed_header_is_refused(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    workbook[ACTIONS_SHEET]["D5"] = "Avance"
    found = problems(reporting, as_file(workbook))
    assert found[0]["cell"] == "D5" and "Encabezado cambiado" in found[0]["message"]


def test_a_file_of_another_institution_is_refused(reporting: Cast) -> None:
    workbook = load_workbook(io.BytesIO(build_workbook(reporting.other_submission)))
    assert "otro instrumento" in problems(reporting, as_file(workbook))[0]["message"]


def test_a_file_of_another_period_is_refused(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    workbook["_sime"]["B4"] = "2025"
    assert "otro periodo" in problems(reporting, as_file(workbook))[0]["message"]


@pytest.mark.parametrize(
    "content",
    [b"Codigo;Estado\n1.1.1;En proceso\n", b"%PDF-1.4 no soy excel", b"PK\x03\x04 not really a zip"],
)
def test_a_non_xlsx_file_is_refused(reporting: Cast, content: bytes) -> None:
    upload = io.BytesIO(content)
    assert "no es un libro de Excel" in problems(reporting, upload)[0]["message"]


def test_an_unknown_code_is_refused_at_its_cell(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    sheet = workbook[ACTIONS_SHEET]
    sheet.protection.sheet = False
    sheet[f"A{FIRST_ROW + 1}"] = "9.9.9"
    sheet[f"C{FIRST_ROW + 1}"] = "En proceso"
    found = problems(reporting, as_file(workbook))
    assert found[0]["cell"] == f"A{FIRST_ROW + 1}" and "9.9.9" in found[0]["message"]


def test_a_stale_file_does_not_overwrite_a_newer_web_change(reporting: Cast) -> None:
    workbook = workbook_of(reporting)  # downloaded at version 1
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    services.save_item(by=reporting.planning, item=item, values={"progress_percent": Decimal("70")}, version=1)
    fill_actions(workbook, C="En proceso", D=30)
    found = problems(reporting, as_file(workbook))
    assert "descárguelo de nuevo" in found[0]["message"]
    assert ActionProgress.objects.get(pk=item.pk).progress_percent == Decimal("70")


def test_spreadsheet_text_is_never_a_formula(reporting: Cast) -> None:
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    services.save_item(by=reporting.technical, item=item, values={"achievements": '=HYPERLINK("x")'}, version=1)
    cell = workbook_of(reporting)[ACTIONS_SHEET][f"E{FIRST_ROW}"]
    assert cell.data_type == "s"


def test_text_starting_with_equals_survives_the_round_trip(reporting: Cast) -> None:
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    services.save_item(by=reporting.technical, item=item, values={"achievements": "=SUMA(1)"}, version=1)
    result = read_upload(reporting.submission, as_file(workbook_of(reporting)))
    assert result.ok and result.changes == []


# --- Hostile files and numbers -------------------------------------------------------------


def downloaded(cast: Cast) -> bytes:
    return as_file(workbook_of(cast)).getvalue()


def far_down(cast: Cast) -> bytes:
    workbook = workbook_of(cast)
    workbook[ACTIONS_SHEET]["A1048576"] = "9.9.9"
    return as_file(workbook).getvalue()


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        (
            lambda data: bad.declaring(data, "A1:XFD5001", bad.sheet_part(data, ACTIONS_SHEET)),
            ("Acciones", "La hoja «Acciones» declara 5,001 filas; el máximo es 5,000."),
        ),
        (
            lambda data: bad.declaring(data, "A1:XFD20", bad.sheet_part(data, ACTIONS_SHEET)),
            ("Acciones", "La hoja «Acciones» declara 16,384 columnas; el máximo es 200."),
        ),
        (
            lambda data: bad.broken_xml(data, bad.sheet_part(data, ACTIONS_SHEET)),
            ("", "No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido."),
        ),
        (bad.without_sheets, ("", "El libro de Excel no tiene hojas.")),
    ],
    ids=["A1:XFD5001", "A1:XFD20", "bad-xml", "no-sheets"],
)
def test_a_hostile_workbook_is_refused_with_its_reason(reporting: Cast, hostile, expected) -> None:  # type: ignore[no-untyped-def]
    found = problems(reporting, io.BytesIO(hostile(downloaded(reporting))))
    assert [(p["sheet"], p["message"]) for p in found] == [expected]


def test_a_value_at_the_last_row_of_excel_is_refused_at_once(reporting: Cast) -> None:
    found = problems(reporting, io.BytesIO(far_down(reporting)))
    assert [p["message"] for p in found] == ["La hoja «Acciones» declara 1,048,576 filas; el máximo es 5,000."]


def test_numbers_are_bounded_before_they_are_converted(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D="1e1000000", H=1e30, I="1,234567", K="1e30")
    workbook[INDICATORS_SHEET][f"E{FIRST_ROW}"] = 7.25
    data = as_file(workbook).getvalue()
    # openpyxl never writes an infinite number; Excel's XML can say 1E+999, which reads as inf.
    data = bad.with_part(data, bad.sheet_part(data, INDICATORS_SHEET), lambda xml: xml.replace(b">7.25<", b">1E+999<"))
    found = {(p["sheet"], p["cell"]): p["message"] for p in problems(reporting, io.BytesIO(data))}
    assert found == {
        (ACTIONS_SHEET, f"D{FIRST_ROW}"): "Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50.",
        (ACTIONS_SHEET, f"H{FIRST_ROW}"): "El número tiene más de 15 cifras antes del punto decimal.",
        (ACTIONS_SHEET, f"I{FIRST_ROW}"): "Escriba un número, por ejemplo 1,234.50.",
        (ACTIONS_SHEET, f"K{FIRST_ROW}"): "Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50.",
        (INDICATORS_SHEET, f"E{FIRST_ROW}"): "Escriba un número finito, por ejemplo 1,234.50.",
    }


@pytest.mark.parametrize(
    ("cells", "cell", "message"),
    [
        ({"H": "1234567890123"}, "H", "El número tiene más de 12 cifras antes del punto decimal."),
        ({"K": 3_000_000_000}, "K", "El número no puede pasar de 2,147,483,647."),
        ({"K": 2.5}, "K", "Escriba un número entero mayor o igual a cero."),
    ],
)
def test_numbers_must_fit_their_column(reporting: Cast, cells: dict[str, object], cell: str, message: str) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D=10, **cells)
    found = {p["cell"]: p["message"] for p in problems(reporting, as_file(workbook))}
    assert found == {f"{cell}{FIRST_ROW}": message}


def test_a_version_cell_that_is_not_a_whole_number_is_no_version(reporting: Cast) -> None:
    workbook = workbook_of(reporting)
    fill_actions(workbook, C="En proceso", D=30)
    sheet = workbook[ACTIONS_SHEET]
    sheet.cell(row=FIRST_ROW, column=sheet.max_column).value = float("nan")
    assert apply(reporting, workbook) == 1


def test_a_text_stored_with_a_control_character_still_exports(reporting: Cast) -> None:
    # Written straight to the database, as an old row or a script would have it.
    ActionProgress.objects.filter(pk=reporting.action_item.pk).update(achievements="Protocolo\x0b aprobado")
    reporting.home.__class__.objects.filter(pk=reporting.home.pk).update(name="Ministerio\x0b de Relaciones")
    sheet = workbook_of(reporting)[ACTIONS_SHEET]
    assert sheet[f"E{FIRST_ROW}"].value == "Protocolo aprobado"
    assert sheet["B2"].value == "Ministerio de Relaciones"


def test_parts_that_do_not_add_up_point_at_their_own_cells_and_the_total(reporting: Cast) -> None:
    from openpyxl.utils import get_column_letter

    from sime.policy.models import DisaggregationCategory, DisaggregationDimension

    sex = DisaggregationDimension.objects.create(code="sexo", name="Sexo", for_beneficiaries=True, order=1)
    age = DisaggregationDimension.objects.create(code="edad", name="Edad", for_beneficiaries=True, order=2)
    for dimension, categories in ((sex, ["Mujer", "Hombre"]), (age, ["0 a 12", "13 a 17", "18 o más"])):
        for order, name in enumerate(categories):
            DisaggregationCategory.objects.create(dimension=dimension, code=f"c{order}", name=name, order=order)
    workbook = workbook_of(reporting)
    sheet = workbook[ACTIONS_SHEET]
    header = {cell.value: get_column_letter(cell.column) for cell in sheet[FIRST_ROW - 1] if cell.value}
    total = header["Personas beneficiarias"]
    cells = {"C": "En proceso", "D": 50, total: 10}
    cells |= {header["Sexo: Mujer"]: 4, header["Sexo: Hombre"]: 6}
    cells |= {header["Edad: 0 a 12"]: 2, header["Edad: 13 a 17"]: 3, header["Edad: 18 o más"]: 4}
    fill_actions(workbook, **cells)

    found = problems(reporting, as_file(workbook))
    row = FIRST_ROW
    assert found == [
        {
            "sheet": ACTIONS_SHEET,
            "cell": f"{header['Edad: 0 a 12']}{row}:{header['Edad: 18 o más']}{row}, {total}{row}",
            "message": "Edad: las partes suman 9 y el total es 10.",
        }
    ]
