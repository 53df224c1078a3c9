"""Participants: DEPM only, added one by one or imported from an attendance list (.xlsx or .csv)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sime.activities import services
from sime.activities.models import Participant
from sime.activities.participant_import import ParticipantImportError, read_participants
from sime.activities.tests.factories import make_activity, make_project
from sime.core.models import AuditEvent
from sime.core.tests import bad_workbooks as bad

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("lista.xlsx", buffer.getvalue())


def _csv(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("lista.csv", text.encode(encoding), "text/csv")


@pytest.fixture
def activity(cast):  # type: ignore[no-untyped-def]
    return make_activity(make_project(cast.agency))  # attendance total 120


def test_xlsx_with_accent_and_case_variants_of_the_headers() -> None:
    upload = _xlsx(
        [
            ["NOMBRE", "institucion", "Sector", "sexo", "Contacto"],
            ["Ana López", "MINEX", "gubernamental", "Mujer", "ana@example.org"],
            ["Luis Pérez", "USAC", "Academia", "hombre", ""],
            [None, None, None, None, None],
            ["María Tzul", "", "", "", ""],
        ]
    )
    assert read_participants(upload) == [
        {
            "name": "Ana López",
            "institution": "MINEX",
            "sector": "government",
            "sex": "woman",
            "contact": "ana@example.org",
        },
        {"name": "Luis Pérez", "institution": "USAC", "sector": "academia", "sex": "man", "contact": ""},
        {"name": "María Tzul", "institution": "", "sector": "", "sex": "not_stated", "contact": ""},
    ]


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffNombre;Institución;Sector;Sexo;Contacto\nAna López;MINEX;Gubernamental;No indica;\n",
        "Nombre,Institución,Sector,Sexo,Contacto\r\nAna López,MINEX,Gubernamental,No indica,\r\n",
    ],
)
def test_csv_with_or_without_bom_and_either_delimiter(content: str) -> None:
    assert read_participants(_csv(content)) == [
        {"name": "Ana López", "institution": "MINEX", "sector": "government", "sex": "not_stated", "contact": ""}
    ]


def test_every_problem_is_reported_with_row_and_column() -> None:
    upload = _xlsx(
        [
            ["Nombre", "Institución", "Sector", "Sexo", "Contacto"],
            ["", "MINEX", "Gobierno", "Mujer", ""],
            ["Luis", "USAC", "Academia", "X", '=HYPERLINK("http://x")'],
        ]
    )
    with pytest.raises(ParticipantImportError) as error:
        read_participants(upload)
    assert [(e.row, e.column, e.message) for e in error.value.errors] == [
        (2, "A", "El nombre es obligatorio."),
        (
            2,
            "C",
            "Sector «Gobierno» no válido; use uno de: Gubernamental, Sociedad civil, Academia, "
            "Sector privado organizado, Organismos internacionales, Otros.",
        ),
        (3, "D", "Sexo «X» no válido; use uno de: Mujer, Hombre, Otro, No indica."),
        (3, "E", "La celda tiene una fórmula; escriba el valor."),
    ]


def test_unknown_and_missing_headers() -> None:
    with pytest.raises(ParticipantImportError) as error:
        read_participants(_csv("Persona;Correo\nAna;a@b.c\n"))
    assert [str(e) for e in error.value.errors] == [
        "fila 1, columna A: Encabezado desconocido «Persona»; use: Nombre, Institución, Sector, Sexo, Contacto.",
        "fila 1, columna B: Encabezado desconocido «Correo»; use: Nombre, Institución, Sector, Sexo, Contacto.",
        "fila 1, columna —: Falta la columna «Nombre».",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nombre;Sexo\nJosé;Hombre\n".encode("latin-1"), "El archivo CSV no está en UTF-8; guárdelo como «CSV UTF-8»."),
        (b"MZ\x90\x00\x03\x00binary", "El archivo no es un libro de Excel (.xlsx) ni un CSV en texto UTF-8."),
        (
            b"PK\x03\x04 a zip that is no workbook",
            "El archivo no es un libro de Excel (.xlsx) ni un CSV en texto UTF-8.",
        ),
    ],
)
def test_content_is_checked_not_the_name(content: bytes, message: str) -> None:
    with pytest.raises(ParticipantImportError) as error:
        read_participants(SimpleUploadedFile("lista.xlsx", content))
    assert [e.message for e in error.value.errors] == [message]


def test_import_saves_all_or_nothing(cast, activity) -> None:  # type: ignore[no-untyped-def]
    bad = _csv("Nombre;Sexo\nAna;Mujer\n;Hombre\n")
    with pytest.raises(ParticipantImportError):
        services.import_participants(by=cast.analyst, activity=activity, upload=bad)
    assert not Participant.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.participants_imported").exists()
    created = services.import_participants(
        by=cast.analyst, activity=activity, upload=_csv("Nombre;Sexo\nAna;Mujer\nLuis;Hombre\n")
    )
    assert [p.name for p in created] == ["Ana", "Luis"]
    event = AuditEvent.objects.get(action="activity.participants_imported")
    assert (event.data, event.actor) == ({"count": 2}, cast.analyst)


@pytest.mark.parametrize("role", ["authority", "cooperant", "technical"])
def test_only_depm_touches_participants(cast, activity, role) -> None:  # type: ignore[no-untyped-def]
    user = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        services.add_participant(by=user, activity=activity, name="Ana")
    with pytest.raises(PermissionDenied):
        services.import_participants(by=user, activity=activity, upload=_csv("Nombre\nAna\n"))
    assert not Participant.objects.exists()


def test_page_counts_against_the_total_and_warns_when_over(cast) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(make_project(cast.agency), attendance_total=2, attendance_by_sector={})
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("activities:participant-list", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})
    response = client.post(url, {"name": "Ana López", "sector": "government", "sex": "woman", "contact": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1 participante registrado de una asistencia total de 2." in page
    assert "más personas que la asistencia total" not in page
    for name in ("Luis", "María"):
        services.add_participant(by=cast.analyst, activity=activity, name=name)
    page = client.get(url).content.decode()
    assert "3 participantes registrados de una asistencia total de 2." in page
    assert "más personas que la asistencia total" in page
    participant = Participant.objects.get(name="Luis")
    delete = reverse(
        "activities:participant-delete",
        kwargs={"pk": activity.project_id, "activity_pk": activity.pk, "participant_pk": participant.pk},
    )
    assert client.post(delete).status_code == 302
    assert sorted(Participant.objects.values_list("name", flat=True)) == ["Ana López", "María"]
    assert AuditEvent.objects.filter(action="activity.participant_deleted").count() == 1


def test_import_page_lists_problems_then_imports(cast, activity) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("activities:participant-import", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})
    response = client.post(url, {"attendance_list": _xlsx([["Nombre", "Sexo"], ["Ana", "Muje"]])})
    assert response.status_code == 200
    assert [str(p) for p in response.context["problems"]] == [
        "fila 2, columna B: Sexo «Muje» no válido; use uno de: Mujer, Hombre, Otro, No indica."
    ]
    assert "El archivo tiene 1 error; no se guardó nada." in response.content.decode()
    response = client.post(url, {"attendance_list": _xlsx([["Nombre", "Sexo"], ["Ana", "Mujer"]])})
    assert response.status_code == 302
    assert list(Participant.objects.values_list("name", "sex")) == [("Ana", "woman")]


def test_the_template_has_the_headers_and_text_cells(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.analyst)
    response = client.get(reverse("activities:participant-template"))
    assert response["Content-Disposition"] == 'attachment; filename="listado_de_asistencia.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["Nombre", "Institución", "Sector", "Sexo", "Contacto"]
    assert all(cell.data_type == "s" for cell in sheet[2])
    # The template reads back as a valid list.
    assert read_participants(SimpleUploadedFile("t.xlsx", response.content))[0]["sector"] == "government"


def test_size_limit_applies_to_attendance_lists(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ParticipantImportError) as error:
        read_participants(_csv("Nombre\n" + "Ana\n" * 300_000))
    assert [e.message for e in error.value.errors] == ["El archivo pesa más de 1 MB."]


# --- Hostile files -------------------------------------------------------------------------

DAMAGED = "No se pudo leer el archivo de Excel: está dañado o no es un libro .xlsx válido."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bad.far_cell(), "La hoja «Sheet» declara 1,048,576 filas; el máximo es 5,001."),
        (bad.declaring(bad.xlsx(), "A1:XFD5001"), "La hoja «Sheet» declara 16,384 columnas; el máximo es 200."),
        (bad.rows_past(5001), "La hoja «Sheet» tiene más de 5,001 filas."),
        (bad.broken_xml(bad.xlsx()), DAMAGED),
        (bad.without_sheets(bad.xlsx()), "El libro de Excel no tiene hojas."),
    ],
    ids=["A1048576", "A1:XFD5001", "lying-dimension", "bad-xml", "no-sheets"],
)
def test_a_hostile_attendance_list_is_refused_with_its_reason(data: bytes, message: str) -> None:
    with pytest.raises(ParticipantImportError) as error:
        read_participants(SimpleUploadedFile("lista.xlsx", data))
    assert [e.message for e in error.value.errors] == [message]


def test_a_damaged_list_on_the_import_page_is_a_message_not_a_500(cast, activity) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("activities:participant-import", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})
    response = client.post(url, {"attendance_list": SimpleUploadedFile("lista.xlsx", bad.broken_xml(bad.xlsx()))})
    assert response.status_code == 200
    assert [p.message for p in response.context["problems"]] == [DAMAGED]


def test_a_csv_field_longer_than_the_csv_module_reads_is_a_message_not_a_500() -> None:
    with pytest.raises(ParticipantImportError) as error:
        read_participants(_csv("Nombre\n" + "x" * 200_000 + "\n"))
    assert [e.message for e in error.value.errors] == [
        "No se pudo leer el archivo CSV: revise que sea texto separado por comas."
    ]


def test_a_name_typed_with_a_control_character_is_stored_without_it(cast, activity) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("activities:participant-list", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})
    response = client.post(
        url, {"name": "Ana\x0b López", "sector": "government", "sex": "woman", "contact": "a\x01@b.c"}
    )
    assert response.status_code == 302
    assert list(Participant.objects.values_list("name", "contact")) == [("Ana López", "a@b.c")]


def test_a_csv_list_drops_control_characters() -> None:
    assert read_participants(_csv("Nombre;Contacto\nAna\x0b López;ana\x0c@b.c\n")) == [
        {"name": "Ana López", "contact": "ana@b.c"}
    ]
