import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sime.core.models import AuditEvent
from sime.core.tests import bad_workbooks as bad
from sime.institutions.demo import load_demo
from sime.policy.demo import POLICY_CODE, load_policy
from sime.policy.framework_excel import export_framework, sheet_title
from sime.policy.framework_import import FrameworkImportError, import_framework
from sime.policy.models import Action, CausalLink, Indicator, Policy, PolicyNode

pytestmark = pytest.mark.django_db


def _bytes(workbook) -> io.BytesIO:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _content(buffer: io.BytesIO) -> dict[str, list[list[object]]]:
    workbook = load_workbook(buffer)
    buffer.seek(0)
    return {ws.title: [[cell.value for cell in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


def _delete_framework(policy: Policy) -> None:
    CausalLink.objects.filter(policy=policy).delete()
    Indicator.objects.filter(policy=policy).delete()
    Action.objects.filter(node__policy=policy).delete()
    for depth in sorted(set(policy.nodes.values_list("level__depth", flat=True)), reverse=True):
        PolicyNode.objects.filter(policy=policy, level__depth=depth).delete()
    policy.delete()


@pytest.fixture
def demo_policy() -> Policy:
    load_demo(with_users=False, password="")
    policy = load_policy()
    assert policy is not None
    return policy


def test_export_import_export_is_identical(demo_policy) -> None:  # type: ignore[no-untyped-def]
    first = _bytes(export_framework(demo_policy))
    _delete_framework(demo_policy)
    assert not Policy.objects.exists()
    imported = import_framework(by=None, upload=first)
    assert (imported.code, imported.nodes.count(), imported.indicators.count()) == (POLICY_CODE, 49, 12)
    second = _bytes(export_framework(imported))
    assert _content(second) == _content(first)
    assert AuditEvent.objects.filter(action="policy.imported").get().data == {
        "nodes": 49,
        "indicators": 12,
        "links": 10,
    }


def test_export_sheets_and_spanish_headers(demo_policy) -> None:  # type: ignore[no-untyped-def]
    content = _content(_bytes(export_framework(demo_policy)))
    assert list(content) == [
        "Política",
        "Niveles",
        "Ejes temáticos",
        "Objetivos específicos",
        "Líneas estratégicas",
        "Líneas de acción",
        "Indicadores",
        "Vínculos causales",
        "Principios",
        "Catálogos",
    ]
    assert content["Líneas de acción"][0][9:12] == ["Institución responsable", "Corresponsables", "Plazo"]
    assert content["Indicadores"][0][-10:] == [f"Meta {year}" for year in range(2023, 2033)]
    assert content["Vínculos causales"][1] == [
        "1.1",
        "OE2",
        "La protección de la niñez retornada es la base de su reintegración.",
    ]


def test_text_that_looks_like_a_formula_stays_text(demo_policy) -> None:  # type: ignore[no-untyped-def]
    node = PolicyNode.objects.get(code="1")
    node.description = '=HYPERLINK("http://malo.example","clic")'
    node.save()
    workbook = load_workbook(_bytes(export_framework(demo_policy)))
    cell = workbook["Ejes temáticos"]["D2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://malo.example","clic")', "s")


def _edited(policy: Policy, edit) -> io.BytesIO:  # type: ignore[no-untyped-def]
    workbook = export_framework(policy)
    workbook["Política"]["B2"] = "PM-NUEVA"
    edit(workbook)
    return _bytes(workbook)


def _errors(buffer: io.BytesIO) -> list[str]:
    with pytest.raises(FrameworkImportError) as error:
        import_framework(by=None, upload=buffer)
    return [str(problem) for problem in error.value.errors]


def test_every_error_is_reported_and_nothing_is_written(demo_policy) -> None:  # type: ignore[no-untyped-def]
    def break_it(workbook) -> None:  # type: ignore[no-untyped-def]
        actions = workbook["Líneas de acción"]
        actions["J2"] = "NOEXISTE"  # unknown institution acronym
        actions["A3"] = "1.1.1"  # duplicate code
        actions["B4"] = "9.9"  # missing parent
        actions["Q5"] = "mil quetzales"  # bad number
        links = workbook["Vínculos causales"]
        links.append(["OE2", "1.1", ""])  # closes 1.1 → OE2 → 1.1
        workbook["Indicadores"]["K2"] = "=1+1"  # a formula where a number belongs

    counts = (Policy.objects.count(), PolicyNode.objects.count(), Indicator.objects.count())
    problems = _errors(_edited(demo_policy, break_it))
    assert problems == [
        "Líneas de acción, fila 2, columna J: Institución desconocida: «NOEXISTE».",
        "Líneas de acción, fila 3, columna A: El código «1.1.1» está repetido.",
        "Líneas de acción, fila 4, columna B: No existe el nodo superior «9.9» en el nivel anterior.",
        "Líneas de acción, fila 5, columna Q: «mil quetzales» no es un número.",
        "Indicadores, fila 2, columna K: La celda contiene una fórmula; escriba el valor.",
        "Vínculos causales, fila 12, columna B: Este vínculo cerraría un ciclo: OE2 → 1.1 → OE2.",
    ]
    assert (Policy.objects.count(), PolicyNode.objects.count(), Indicator.objects.count()) == counts


def test_existing_policy_code_is_refused(demo_policy) -> None:  # type: ignore[no-untyped-def]
    problems = _errors(_bytes(export_framework(demo_policy)))
    assert problems == [
        "Política, fila 2, columna B: Ya existe una política con el código «PM-2023»; "
        "use otro código para una nueva versión."
    ]


def test_renamed_sheet_and_changed_header_are_refused(demo_policy) -> None:  # type: ignore[no-untyped-def]
    def edit(workbook) -> None:  # type: ignore[no-untyped-def]
        workbook["Principios"].title = "Mis principios"
        workbook["Indicadores"]["B1"] = "Nombre del indicador"

    problems = _errors(_edited(demo_policy, edit))
    assert "Principios, fila 0, columna —: Falta la hoja «Principios»." in problems
    assert "Indicadores, fila 1, columna B: Se esperaba el encabezado «Nombre»." in problems


def test_not_an_xlsx_is_refused(demo_policy) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("marco.xlsx", b"codigo,titulo\n1,Eje", "application/vnd.ms-excel")
    assert _errors(upload) == ["—, fila 0, columna —: El archivo no es un libro de Excel (.xlsx)."]


def test_a_valid_new_version_is_imported_beside_the_old_one(demo_policy) -> None:  # type: ignore[no-untyped-def]
    def edit(workbook) -> None:  # type: ignore[no-untyped-def]
        workbook["Líneas de acción"]["Q2"] = "1,234,500.50"  # es-GT amount typed as text

    policy = import_framework(by=None, upload=_edited(demo_policy, edit))
    assert policy.code == "PM-NUEVA"
    assert Policy.objects.count() == 2
    assert Action.objects.get(node__policy=policy, node__code="1.1.1").estimated_budget == Decimal("1234500.50")
    assert PolicyNode.objects.filter(policy=demo_policy).count() == 49


def test_upload_page_lists_errors_and_download_button(demo_policy) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from sime.accounts.roles import Role
    from sime.accounts.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.ANALYST))
    download = client.get(reverse("policy:framework-export", kwargs={"code": POLICY_CODE}))
    assert download["Content-Disposition"] == 'attachment; filename="marco-PM-2023.xlsx"'
    upload = SimpleUploadedFile("marco.xlsx", download.content)
    response = client.post(reverse("policy:framework-import"), {"workbook": upload})
    assert response.status_code == 200
    assert [str(p) for p in response.context["problems"]] == [
        "Política, fila 2, columna B: Ya existe una política con el código «PM-2023»; "
        "use otro código para una nueva versión."
    ]
    assert "no se guardó nada" in response.content.decode()


# --- Hostile files and numbers -------------------------------------------------------------


def _exported(policy: Policy) -> bytes:
    return _bytes(export_framework(policy)).getvalue()


def _in_sheet(title: str, change):  # type: ignore[no-untyped-def]
    return lambda data: change(data, bad.sheet_part(data, title))


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        (
            _in_sheet("Líneas de acción", lambda data, part: bad.declaring(data, "A1:XFD5001", part)),
            "Líneas de acción, fila 0, columna —: La hoja «Líneas de acción» declara 5,001 filas; el máximo es 5,000.",
        ),
        (
            _in_sheet("Indicadores", lambda data, part: bad.declaring(data, "A1048576", part)),
            "Indicadores, fila 0, columna —: La hoja «Indicadores» declara 1,048,576 filas; el máximo es 5,000.",
        ),
        (
            _in_sheet("Catálogos", bad.broken_xml),
            "—, fila 0, columna —: No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido.",
        ),
        (bad.without_sheets, "—, fila 0, columna —: El libro de Excel no tiene hojas."),
    ],
    ids=["A1:XFD5001", "A1048576", "bad-xml", "no-sheets"],
)
def test_a_hostile_workbook_is_refused_with_its_reason(demo_policy, hostile, expected) -> None:  # type: ignore[no-untyped-def]
    assert _errors(io.BytesIO(hostile(_exported(demo_policy)))) == [expected]


def test_the_framework_import_has_a_size_limit(demo_policy, settings) -> None:  # type: ignore[no-untyped-def]
    data = _exported(demo_policy)
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    assert _errors(io.BytesIO(data)) == [f"—, fila 0, columna —: El archivo pesa más de {limit} MB."]


def test_numbers_are_bounded_at_their_cell(demo_policy) -> None:  # type: ignore[no-untyped-def]
    def edit(workbook) -> None:  # type: ignore[no-untyped-def]
        actions = workbook["Líneas de acción"]
        actions["Q2"] = "1e1000000"  # estimated budget
        actions["Q3"] = "1234567890123"  # 13 digits: the column holds 12 before the point
        actions["M2"] = 99999  # start year, an Excel number
        workbook["Indicadores"]["K2"] = "NaN"  # baseline
        workbook["Indicadores"]["T2"] = "0=Nada; " + "9" * 5000 + "=Hito"  # milestone scale

    problems = _errors(_edited(demo_policy, edit))
    assert problems == [
        "Líneas de acción, fila 2, columna Q: "
        "Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50.",
        "Líneas de acción, fila 2, columna M: El número no puede pasar de 32,767.",
        "Líneas de acción, fila 3, columna Q: El número tiene más de 12 cifras antes del punto decimal.",
        "Indicadores, fila 2, columna K: Escriba un número finito, por ejemplo 1,234.50.",
        "Indicadores, fila 2, columna T: Escriba los hitos como «0=No iniciado; 1=En proceso».",
    ]


def test_a_damaged_workbook_on_the_import_page_is_a_message_not_a_500(demo_policy) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from sime.accounts.roles import Role
    from sime.accounts.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.ANALYST))
    upload = SimpleUploadedFile("marco.xlsx", bad.broken_xml(_exported(demo_policy), "xl/worksheets/sheet1.xml"))
    response = client.post(reverse("policy:framework-import"), {"workbook": upload})
    assert response.status_code == 200
    assert [p.message for p in response.context["problems"]] == [
        "No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido."
    ]


def test_a_title_stored_with_a_control_character_still_exports(demo_policy) -> None:  # type: ignore[no-untyped-def]
    # Written straight to the database, as an old row or a script would have it.
    node = demo_policy.nodes.order_by("code").first()
    PolicyNode.objects.filter(pk=node.pk).update(title="Eje\x0b uno")
    sheets = _content(_bytes(export_framework(demo_policy)))
    sheet = sheets[sheet_title(node.level.name_plural)]
    assert [row[2] for row in sheet if row[0] == node.code] == ["Eje uno"]


def test_a_global_compact_code_must_be_a_small_number(demo_policy) -> None:  # type: ignore[no-untyped-def]
    rows = {}

    def edit(workbook) -> None:  # type: ignore[no-untyped-def]
        sheet = workbook["Catálogos"]
        sheet.append(["Pacto Mundial", "9" * 12, "Objetivo inventado", ""])
        rows["at"] = sheet.max_row

    problems = _errors(_edited(demo_policy, edit))
    assert problems == [f"Catálogos, fila {rows['at']}, columna B: El número no puede pasar de 32,767."]
