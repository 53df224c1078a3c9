"""The reporting pages as people use them: autosave, conflicts, evidence, upload preview, completeness."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sime.conftest import Cast, fill_instrument, sign_and_send
from sime.institutions.tests.factories import InstitutionFactory
from sime.reporting.instrument_excel import ACTIONS_SHEET, FIRST_ROW, build_workbook
from sime.reporting.models import ActionProgress, Evidence, Submission
from sime.reporting.tests.factories import add_actions, add_indicators, open_year, plan_year

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def action_url(cast: Cast) -> str:
    return reverse("reporting:action-save", kwargs={"pk": cast.submission.pk, "item_pk": cast.action_item.pk})


def test_autosave_answers_with_the_saved_state_and_new_version(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(
        action_url(reporting), {"version": "1", "status": "in_progress", "progress_percent": "40"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in html and "Guardado" in html
    assert f'id="ver-a{reporting.action_item.pk}" value="2"' in html
    assert "1 de 2 ítems completos" in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).progress_percent == Decimal("40")


def test_autosave_shows_spanish_errors_at_the_field_and_saves_nothing(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(
        action_url(reporting), {"version": "1", "progress_percent": "120", "budget_allocated": "mil"}, **HTMX
    )
    html = response.content.decode()
    assert "El porcentaje de avance va de 0 a 100." not in html  # parse errors come first
    assert "Escriba un número" in html
    assert f'id="err-a{reporting.action_item.pk}-budget_allocated"' in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1


def test_es_gt_numbers_are_accepted(reporting: Cast) -> None:
    client_for(reporting.technical).post(
        action_url(reporting), {"version": "1", "budget_allocated": "1,234.50"}, **HTMX
    )
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).budget_allocated == Decimal("1234.50")


def test_a_second_person_with_an_old_version_is_told_what_changed(reporting: Cast) -> None:
    client_for(reporting.technical).post(action_url(reporting), {"version": "1", "progress_percent": "40"}, **HTMX)
    response = client_for(reporting.planning).post(
        action_url(reporting), {"version": "1", "progress_percent": "55"}, **HTMX
    )
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "Técnica Minex" in html and "40" in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).progress_percent == Decimal("40")


def test_without_javascript_the_form_posts_and_comes_back(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(action_url(reporting), {"version": "1", "status": "in_progress"})
    assert response.status_code == 302 and f"#item-a{reporting.action_item.pk}" in response["Location"]


def test_the_page_groups_items_by_axis_with_their_comments(reporting: Cast) -> None:
    html = (
        client_for(reporting.technical)
        .get(reverse("reporting:submission-detail", kwargs={"pk": reporting.submission.pk}))
        .content.decode()
    )
    assert "1 Derechos humanos" in html
    assert "1.1.1 Protocolo de recepción de NNA" in html
    assert "IND-1" in html
    assert "acta.pdf" in html


def test_evidence_downloads_as_an_attachment_never_inline(reporting: Cast) -> None:
    response = client_for(reporting.planning).get(
        reverse("reporting:evidence-download", kwargs={"pk": reporting.evidence.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_evidence_of_another_institution_is_a_404(reporting: Cast) -> None:
    response = client_for(reporting.outsider).get(
        reverse("reporting:evidence-download", kwargs={"pk": reporting.evidence.pk})
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("informe.pdf", b"%PDF-1.7 informe", True),
        ("foto.jpg", b"\xff\xd8\xff\xe0 jpeg", True),
        ("datos.csv", b"nombre;total\nAna;3\n", True),
        ("pagina.csv", b"<html><script>alert(1)</script></html>", False),
        ("virus.pdf", b"MZ\x90\x00 executable", False),
        ("pagina.html", b"<html></html>", False),
    ],
)
def test_evidence_is_judged_by_its_content(reporting: Cast, name: str, content: bytes, accepted: bool) -> None:
    before = Evidence.objects.count()
    response = client_for(reporting.technical).post(
        reverse("reporting:evidence-upload", kwargs={"pk": reporting.submission.pk}),
        {"item": f"a{reporting.action_item.pk}", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert (Evidence.objects.count() == before + 1) is accepted
    if not accepted:
        assert "Tipo de archivo no permitido" in response.content.decode()


def test_evidence_over_the_size_limit_is_refused(reporting: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 10
    response = client_for(reporting.technical).post(
        reverse("reporting:evidence-upload", kwargs={"pk": reporting.submission.pk}),
        {"item": f"a{reporting.action_item.pk}", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 too large")},
        follow=True,
    )
    assert "pesa más de" in response.content.decode()


def xlsx_upload(cast: Cast, **cells: object) -> SimpleUploadedFile:
    workbook = load_workbook(io.BytesIO(build_workbook(cast.submission)))
    for column, value in cells.items():
        workbook[ACTIONS_SHEET][f"{column}{FIRST_ROW}"] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("instrumento.xlsx", buffer.getvalue())


def test_upload_shows_a_preview_and_saves_only_on_confirmation(reporting: Cast) -> None:
    client = client_for(reporting.technical)
    url = reverse("reporting:instrument-upload", kwargs={"pk": reporting.submission.pk})
    response = client.post(url, {"file": xlsx_upload(reporting, C="En proceso", D=25)})
    html = response.content.decode()
    assert 'data-testid="upload-preview"' in html
    assert "% de avance" in html and "25" in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1  # dry run
    token = response.context["token"]
    confirm = client.post(
        reverse("reporting:instrument-upload-confirm", kwargs={"pk": reporting.submission.pk}), {"token": token}
    )
    assert confirm.status_code == 302
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).progress_percent == Decimal("25")


def test_upload_problems_are_listed_by_cell(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(
        reverse("reporting:instrument-upload", kwargs={"pk": reporting.submission.pk}),
        {"file": xlsx_upload(reporting, D="=1+1")},
    )
    html = response.content.decode()
    assert 'data-testid="upload-problems"' in html and f"D{FIRST_ROW}" in html and "fórmula" in html


def test_a_confirmation_token_of_another_person_is_refused(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(
        reverse("reporting:instrument-upload", kwargs={"pk": reporting.submission.pk}),
        {"file": xlsx_upload(reporting, C="En proceso", D=25)},
    )
    token = response.context["token"]
    stolen = client_for(reporting.planning).post(
        reverse("reporting:instrument-upload-confirm", kwargs={"pk": reporting.submission.pk}), {"token": token}
    )
    assert stolen.status_code == 404


def test_the_upload_of_another_institutions_instrument_is_a_404(reporting: Cast) -> None:
    response = client_for(reporting.outsider).post(
        reverse("reporting:instrument-upload", kwargs={"pk": reporting.submission.pk}),
        {"file": xlsx_upload(reporting, C="En proceso")},
    )
    assert response.status_code == 404
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1


def test_completeness_lists_institutions_filters_and_exports(reporting: Cast) -> None:
    client = client_for(reporting.analyst)
    url = reverse("reporting:period-detail", kwargs={"pk": reporting.period.pk})
    html = client.get(url).content.decode()
    assert reporting.home.name in html and reporting.other.name in html
    filtered = client.get(url, {"q": "Gobern"}).content.decode()
    assert reporting.other.name in filtered and reporting.home.name not in filtered
    export = client.get(reverse("reporting:completeness-xlsx", kwargs={"pk": reporting.period.pk}), {"orden": "avance"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [sheet.cell(row=r, column=1).value for r in range(4, 6)]
    assert sorted(names) == sorted([reporting.home.name, reporting.other.name])


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_instrument_page_runs_the_same_queries_at_20_and_500_items(framework: Cast) -> None:
    cast = framework
    strategic = cast.action_node.parent
    add_actions(strategic, [cast.home], 14, prefix="S")
    add_indicators(cast.action_node, [cast.home], 5, prefix="IS")
    small = open_year(cast.admin, cast.policy, 2026)
    add_actions(strategic, [cast.home], 400, prefix="L")
    add_indicators(cast.action_node, [cast.home], 84, prefix="IL")
    large = open_year(cast.admin, cast.policy, 2027)
    small_sub = Submission.objects.get(period=small, institution=cast.home)
    large_sub = Submission.objects.get(period=large, institution=cast.home)
    assert small_sub.total_items == 21 and large_sub.total_items >= 500
    client = client_for(cast.technical)
    assert _count(client, reverse("reporting:submission-detail", kwargs={"pk": small_sub.pk})) == _count(
        client, reverse("reporting:submission-detail", kwargs={"pk": large_sub.pk})
    )


def test_the_completeness_page_runs_the_same_queries_at_20_and_500_institutions(framework: Cast) -> None:
    cast = framework
    strategic = cast.action_node.parent
    few = [InstitutionFactory() for _ in range(20)]
    add_actions(strategic, few, 20, prefix="F")
    small = open_year(cast.admin, cast.policy, 2026)
    many = [InstitutionFactory() for _ in range(480)]
    add_actions(strategic, many, 480, prefix="M")
    large = open_year(cast.admin, cast.policy, 2027)
    assert large.submissions.count() >= 500
    client = client_for(cast.analyst)
    assert _count(client, reverse("reporting:period-detail", kwargs={"pk": small.pk})) == _count(
        client, reverse("reporting:period-detail", kwargs={"pk": large.pk})
    )


def test_element_ids_never_get_thousands_separators(reporting: Cast) -> None:
    from django.template.loader import render_to_string

    item = ActionProgress(pk=12345, submission=reporting.submission)
    html = render_to_string("reporting/_item_state.html", {"item": item, "submission": reporting.submission})
    assert 'id="state-a12345"' in html  # «12,345» would break htmx's CSS selector #state-a12,345


def test_the_instrument_list_filters_by_period_and_status(reporting: Cast) -> None:
    client = client_for(reporting.analyst)
    url = reverse("reporting:submission-list")
    # DEPM's list opens on what needs review; an empty ?estado= shows every status.
    assert len(client.get(url, {"periodo": "2026"}).context["submissions"]) == 0
    assert len(client.get(url, {"periodo": "2026", "estado": ""}).context["submissions"]) == 2
    assert len(client.get(url, {"periodo": "2025", "estado": ""}).context["submissions"]) == 0
    assert len(client.get(url, {"estado": "approved"}).context["submissions"]) == 0
    own = client_for(reporting.outsider).get(url).context["submissions"]
    assert [s.institution for s in own] == [reporting.other]


@pytest.mark.parametrize("kind", ["count", "percentage"])
def test_every_out_of_band_swap_of_an_autosave_has_its_target_on_the_page(reporting: Cast, kind: str) -> None:
    import re

    from sime.policy.models import Indicator

    Indicator.objects.filter(pk=reporting.indicator_item.indicator_id).update(measure_type=kind)
    client = client_for(reporting.technical)
    page = client.get(reverse("reporting:submission-detail", kwargs={"pk": reporting.submission.pk})).content.decode()
    answers = [
        client.post(action_url(reporting), {"version": "1", "status": "in_progress"}, **HTMX),
        client.post(
            reverse(
                "reporting:indicator-save",
                kwargs={"pk": reporting.submission.pk, "item_pk": reporting.indicator_item.pk},
            ),
            {"version": str(reporting.indicator_item.version), "value": "12"},
            **HTMX,
        ),
    ]
    page_ids = set(re.findall(r'\sid="([^"]+)"', page))
    for answer in answers:
        assert answer.status_code == 200
        oob_ids = set(re.findall(r'id="([^"]+)"[^>]*hx-swap-oob', answer.content.decode()))
        assert oob_ids and sorted(oob_ids - page_ids) == []


def test_the_period_page_names_the_linked_institutions_left_without_an_instrument(framework: Cast) -> None:

    cast = framework
    idle = InstitutionFactory(name="Secretaría sin compromisos", acronym="SSC")
    closed = InstitutionFactory(name="Comisión disuelta", acronym="CD", is_active=False)
    period = plan_year(cast.admin, cast.policy)
    client = Client()
    client.force_login(cast.admin)
    url = reverse("reporting:period-detail", args=[period.pk])

    planned = client.get(url)
    left_out = {item.institution.pk: item.reason for item in planned.context["left_out"]}
    assert set(left_out) == {idle.pk, closed.pk}  # MINEX and MINGOB lead lines of action; OIM is not linked
    assert left_out[closed.pk] == "inactiva"
    assert "sin líneas de acción vigentes en 2026" in left_out[idle.pk]
    assert planned.context["instruments_to_open"] == 2
    html = planned.content.decode()
    assert "¿Abrir el periodo y generar 2 instrumentos? 2 instituciones vinculadas quedarán sin instrumento" in html
    assert "Secretaría sin compromisos" in html and "Comisión disuelta" in html

    opened = client.post(reverse("reporting:period-open", args=[period.pk]), follow=True)
    text = opened.content.decode()
    assert "se generaron 2 instrumentos. 2 instituciones vinculadas quedaron sin instrumento" in text
    assert {item.institution.pk for item in opened.context["left_out"]} == {idle.pk, closed.pk}
    assert not Submission.objects.filter(period=period, institution__in=[idle, closed]).exists()


def test_the_analyst_sees_what_changed_since_the_return_item_by_item(reporting: Cast) -> None:
    from sime.reporting import services

    cast = reporting
    fill_instrument(cast, value=37, percent=45, budget_allocated=Decimal("1500"))
    sign_and_send(cast)
    services.start_review(by=cast.analyst, submission=cast.submission)
    services.return_submission(by=cast.analyst, submission=cast.submission, general_comment="Revisar el valor")
    fill_instrument(cast, value=Decimal("1234.5"), percent=60, budget_allocated=Decimal("1500"))
    sign_and_send(cast)

    client = Client()
    client.force_login(cast.analyst)
    page = client.get(reverse("reporting:submission-detail", args=[cast.submission.pk]))
    changes = {change.code: [(f.label, f.before, f.after) for f in change.fields] for change in page.context["changes"]}
    assert changes == {
        "1.1.1": [("% de avance", "45", "60")],
        "IND-1": [("valor", "37", "1,234.5")],
    }
    html = page.content.decode()
    assert "2 ítems cambiaron desde la devolución" in html
    assert f'href="#item-i{cast.indicator_item.pk}"' in html


def test_an_instrument_sent_back_unchanged_says_so_and_one_never_returned_shows_nothing(reporting: Cast) -> None:
    from sime.reporting import services

    cast = reporting
    client = Client()
    client.force_login(cast.analyst)
    url = reverse("reporting:submission-detail", args=[cast.submission.pk])
    fill_instrument(cast, value=5, percent=10)
    sign_and_send(cast)
    assert client.get(url).context["returned"] is None

    services.start_review(by=cast.analyst, submission=cast.submission)
    services.return_submission(by=cast.analyst, submission=cast.submission, general_comment="Adjunte el acta")
    sign_and_send(cast)
    page = client.get(url)
    assert page.context["returned"] is not None and page.context["changes"] == []
    assert "Los enlaces no cambiaron ningún valor desde la devolución." in page.content.decode()


# --- Bad input at the autosave -------------------------------------------------------------


def test_a_malformed_part_input_is_a_400_with_a_spanish_message_at_its_field(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(action_url(reporting), {"version": "1", "ben__sexo": "3"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="err-a{reporting.action_item.pk}-beneficiaries_by"' in html
    assert "Casilla de desagregación no válida: «ben__sexo» (se espera desagregación y categoría)." in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1


SCIENTIFIC = "Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50."


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("beneficiaries_total", "1e30", SCIENTIFIC),
        ("budget_allocated", "1e1000000", SCIENTIFIC),
        ("beneficiaries_total", "99999999999", "El número no puede pasar de 2,147,483,647."),
        ("beneficiaries_total", "2.5", "Escriba un número entero mayor o igual a cero."),
        ("budget_allocated", "1234567890123", "El número tiene más de 12 cifras antes del punto decimal."),
        ("budget_allocated", "9" * 40, "El número tiene más de 30 caracteres."),
        ("progress_percent", "NaN", "Escriba un número finito, por ejemplo 1,234.50."),
        (
            "budget_executed",
            "12,5",
            "La coma separa miles y el punto los decimales: escriba por ejemplo 1,234.50 o 12.5.",
        ),
        ("ben__sexo__M", "1e9", SCIENTIFIC),
    ],
)
def test_autosave_refuses_numbers_out_of_bounds_at_their_field(
    reporting: Cast, field: str, typed: str, message: str
) -> None:
    response = client_for(reporting.technical).post(action_url(reporting), {"version": "1", field: typed}, **HTMX)
    html = response.content.decode()
    slot = "beneficiaries_by" if field.startswith("ben__") else field
    assert response.status_code == 200
    assert f'id="err-a{reporting.action_item.pk}-{slot}"' in html
    assert message.replace("«", "&laquo;").replace("»", "&raquo;") in html or message in html
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1


def test_the_completeness_export_survives_a_name_stored_with_a_control_character(reporting: Cast) -> None:
    type(reporting.home).objects.filter(pk=reporting.home.pk).update(name="Ministerio\x0b de Relaciones Exteriores")
    export = client_for(reporting.analyst).get(
        reverse("reporting:completeness-xlsx", kwargs={"pk": reporting.period.pk})
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = {sheet.cell(row=r, column=1).value for r in range(4, 6)}
    assert "Ministerio de Relaciones Exteriores" in names


def test_evidence_for_an_item_id_past_the_database_range_is_refused_with_a_message(reporting: Cast) -> None:
    response = client_for(reporting.technical).post(
        reverse("reporting:evidence-upload", kwargs={"pk": reporting.submission.pk}),
        {"item": "a" + "9" * 30, "file": SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Ítem no válido." in [str(m) for m in response.context["messages"]]


def test_the_upload_preview_shows_values_as_people_read_them(reporting: Cast) -> None:
    """No raw structures (`{'sexo': {'M': 180, …}}`, `{}`): labels, es-GT numbers, labelled parts."""
    from openpyxl.utils import get_column_letter

    from sime.policy.models import DisaggregationCategory, DisaggregationDimension

    sex = DisaggregationDimension.objects.create(code="sexo", name="Sexo", for_beneficiaries=True)
    DisaggregationCategory.objects.create(dimension=sex, code="M", name="Mujer", order=1)
    DisaggregationCategory.objects.create(dimension=sex, code="H", name="Hombre", order=2)
    sheet = load_workbook(io.BytesIO(build_workbook(reporting.submission)))[ACTIONS_SHEET]
    header = {cell.value: get_column_letter(cell.column) for cell in sheet[FIRST_ROW - 1] if cell.value}
    cells = {"C": "En proceso", "D": 25, header["Personas beneficiarias"]: 1320}
    cells |= {header["Presupuesto asignado (Q)"]: "Q 80,000", header["Sexo: Mujer"]: 1000, header["Sexo: Hombre"]: 320}
    response = client_for(reporting.technical).post(
        reverse("reporting:instrument-upload", kwargs={"pk": reporting.submission.pk}),
        {"file": xlsx_upload(reporting, **cells)},
    )
    rows = {row["field"]: (row["before"], row["after"]) for row in response.context["preview"]}
    assert rows["Estado"] == ("—", "En proceso")
    assert rows["Personas beneficiarias"] == ("—", "1,320")
    assert rows["Presupuesto asignado (Q)"] == ("—", "80,000.00")
    assert rows["Beneficiarios desagregados"] == ("—", "Sexo: Mujer 1,000, Hombre 320")
    html = response.content.decode()
    assert "{'" not in html and "{}" not in html
