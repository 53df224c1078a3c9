"""Open data: the downloads, their dictionaries and the catalogue hold published data only, with
small counts of people withheld, and answer conditional GETs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date
from openpyxl import load_workbook

from sime.activities.tests.factories import make_activity
from sime.analytics.tests.helpers import grow
from sime.conftest import Cast
from sime.policy.models import IndicatorTarget
from sime.public import open_data, services
from sime.public.datasets import DATASETS
from sime.public.models import Publication, PublicationKind
from sime.reporting import services as reporting

D = Decimal
FORMATS = ("csv", "xlsx", "json")


def _download(slug: str, fmt: str, client: Client | None = None, **headers: Any) -> Any:
    return (client or Client()).get(
        reverse("opendata:dataset-download", kwargs={"dataset": slug, "fmt": fmt}), headers=headers
    )


def _rows(slug: str, fmt: str = "csv") -> list[dict[str, Any]]:
    """A download read back as its consumers would: every value as text, "" for none."""
    response = _download(slug, fmt)
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    if fmt == "json":
        return [
            {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in row.items()}
            for row in json.loads(response.content)["datos"]
        ]
    sheet = load_workbook(io.BytesIO(response.content))["Datos"]
    header, *rest = list(sheet.iter_rows(values_only=True))
    return [
        {
            str(k): ""
            if v is None
            else str(v).lower()
            if isinstance(v, bool)
            else v.date().isoformat()
            if isinstance(v, dt.datetime)
            else str(v)
            for k, v in zip(header, values, strict=True)
        }
        for values in rest
    ]


def _number(text: str) -> Decimal | None:
    return D(text) if text else None


def test_indicator_values_hold_the_published_period_only(published: Cast) -> None:
    for fmt in FORMATS:
        rows = _rows("valores-indicadores", fmt)
        assert [(r["indicador_codigo"], r["periodo_codigo"]) for r in rows] == [("IND-1", "2025")], fmt
        (row,) = rows
        assert _number(row["valor_periodo"]) == 23 and _number(row["meta_anio"]) == 50
        assert _number(row["porcentaje_meta"]) == 46
        assert row["estado"] == "Rezagado" and row["periodo_fin"] == "2025-12-31"
        assert row["institucion_responsable"] == "MINEX" and row["nodo_codigo"] == "1.1.1"


def test_disaggregations_withhold_small_counts_and_the_cell_that_gives_them_away(published: Cast) -> None:
    for fmt in FORMATS:
        rows = _rows("desagregaciones-indicadores", fmt)
        cells = {r["categoria"]: (r["valor"], r["reservado"]) for r in rows}
        # 3 men is below 5; the 20 women would give it back from the total 23: both withheld.
        assert cells == {"M": ("", "true"), "H": ("", "true")}, fmt
        assert {r["periodo_codigo"] for r in rows} == {"2025"}


def test_the_threshold_is_a_setting(published: Cast, settings: Any) -> None:
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 3
    cells = {r["categoria"]: (r["valor"], r["reservado"]) for r in _rows("desagregaciones-indicadores")}
    assert cells == {"M": ("20", "false"), "H": ("3", "false")}


def test_action_progress_shows_each_institution_s_latest_published_report(published: Cast) -> None:
    rows = _rows("avance-lineas-accion")
    by_line = {(r["linea_codigo"], r["institucion"]): r for r in rows}
    assert set(by_line) == {("1.1.1", "MINEX"), ("1.1.1", "MINGOB"), ("1.1.2", "MINGOB")}
    minex = by_line[("1.1.1", "MINEX")]
    assert (minex["rol"], minex["periodo_codigo"], minex["estado"], minex["porcentaje_avance"]) == (
        "Responsable",
        "2025",
        "En proceso",
        "25",
    )
    assert minex["eje_codigo"] == "1" and minex["porcentaje_avance_linea"] == "25"
    # MINGOB's draft (delayed, 5 %) is not approved: its rows carry no report.
    mingob = by_line[("1.1.1", "MINGOB")]
    assert (mingob["rol"], mingob["estado"], mingob["porcentaje_avance"]) == ("Corresponsable", "", "")


def test_events_and_their_attendance(published: Cast) -> None:
    (event,) = _rows("eventos")
    assert (event["titulo"], event["asistencia_total"], event["costo"]) == (
        "Lanzamiento de la Política",
        "120",
        "11710.5",
    )
    assert event["evento_id"] == str(published.activity.pk) and event["fecha_inicio"] == "2024-03-05"
    attendance = {
        (r["dimension"], r["categoria"]): (r["personas"], r["reservado"]) for r in _rows("asistencia-eventos")
    }
    # Sectors given add up to 105 of 120: the other 15 are «no indicado»; sex was not recorded.
    assert attendance == {
        ("sector", "government"): ("80", "false"),
        ("sector", "civil_society"): ("25", "false"),
        ("sector", "no_indicado"): ("15", "false"),
    }


def test_event_attendance_withholds_small_counts(published: Cast) -> None:
    small = make_activity(
        published.project,
        title="Reunión con enlaces",
        attendance_total=12,
        attendance_by_sector={"government": 9, "academia": 3},
        attendance_women=12,
    )
    services.publish(by=published.analyst, target=small)
    rows = [r for r in _rows("asistencia-eventos", "json") if r["evento_id"] == str(small.pk)]
    cells = {(r["dimension"], r["categoria"]): r["personas"] for r in rows}
    # 9 + 3 = 12: the other sectors are zeros. Academia's 3 is withheld, and with it the first
    # zero (civil society), so 12 − 9 − 0 − … cannot give it back.
    assert cells[("sector", "academia")] == "" and cells[("sector", "civil_society")] == ""
    assert cells[("sector", "government")] == "9" and cells[("sector", "private_sector")] == "0"
    assert cells[("sexo", "mujeres")] == "12" and cells[("sexo", "hombres")] == "0"


def _every_file(client: Client) -> list[bytes]:
    files = []
    for slug in DATASETS:
        for fmt in FORMATS:
            files.append(_download(slug, fmt, client).content)
        for fmt in ("csv", "json"):
            files.append(
                client.get(reverse("opendata:dictionary-download", kwargs={"dataset": slug, "fmt": fmt})).content
            )
    files.append(client.get(reverse("opendata:catalogue")).content)
    files.append(client.get(reverse("opendata:dataset-list")).content)
    return files


def _text_of(content: bytes) -> str:
    if content.startswith(b"PK"):
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row)
    return content.decode("utf-8")


def test_nothing_unpublished_unapproved_or_personal_appears_anywhere(published: Cast) -> None:
    texts = [_text_of(content) for content in _every_file(Client())]
    forbidden = [
        published.period.name,  # 2026: approved, never published
        "2026-12-31",  # its end (and the catalogue's temporal span would reach it)
        "Sin fondos",  # MINGOB's draft
        "Juana Participante",
        "juana@example.org",
        published.technical.full_name,
        published.technical.email,
        published.planning.email,
        published.analyst.full_name,  # who published is not open data
    ]
    for text in texts:
        for word in forbidden:
            assert word not in text


def test_a_withdrawn_publication_takes_everything_off(published: Cast) -> None:
    for publication in Publication.objects.current():
        services.unpublish(by=published.analyst, publication=publication, reason="Revisión")
    for slug in DATASETS:
        for fmt in FORMATS:
            assert _rows(slug, fmt) == [], (slug, fmt)
    assert json.loads(Client().get(reverse("opendata:catalogue")).content)["dataset"] == []


def test_nothing_is_published_before_a_publication(monitoring: Cast) -> None:
    for slug in DATASETS:
        assert _rows(slug) == []
    response = _download("valores-indicadores", "csv")
    assert response.content.decode().startswith("indicador_codigo,indicador_nombre,")
    assert "Last-Modified" not in response


def test_every_download_s_columns_are_its_dictionary_s(published: Cast) -> None:
    client = Client()
    for slug, dataset in DATASETS.items():
        schema = json.loads(
            client.get(reverse("opendata:dictionary-download", kwargs={"dataset": slug, "fmt": "json"})).content
        )
        names = [field["name"] for field in schema["schema"]["fields"]]
        assert names == dataset.column_names
        assert schema["licenses"] == [
            {"name": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
        ]
        dictionary = list(
            csv.reader(
                io.StringIO(
                    client.get(
                        reverse("opendata:dictionary-download", kwargs={"dataset": slug, "fmt": "csv"})
                    ).content.decode()
                )
            )
        )
        assert dictionary[0] == ["columna", "titulo", "tipo", "unidad", "descripcion", "valores"]
        assert [row[0] for row in dictionary[1 : len(names) + 1]] == names
        assert dictionary[-1][:2] == ["licencia", "CC BY 4.0"]
        for fmt in FORMATS:
            response = _download(slug, fmt, client)
            if fmt == "csv":
                header = response.content.decode().splitlines()[0].split(",")
            elif fmt == "json":
                document = json.loads(response.content)
                assert document["licencia"] == {
                    "nombre": "CC BY 4.0",
                    "url": "https://creativecommons.org/licenses/by/4.0/",
                }
                header = list(document["datos"][0]) if document["datos"] else names
            else:
                workbook = load_workbook(io.BytesIO(response.content))
                header = [cell.value for cell in workbook["Datos"][1]]
                licence = {row[0]: row[1] for row in workbook["Licencia"].iter_rows(values_only=True)}
                assert licence["Licencia"] == "CC BY 4.0"
            assert header == names, (slug, fmt)
            assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in response["Link"]


def test_status_code_lists_name_every_value_the_data_uses(published: Cast) -> None:
    schema = json.loads(
        Client()
        .get(reverse("opendata:dictionary-download", kwargs={"dataset": "valores-indicadores", "fmt": "json"}))
        .content
    )
    fields = {field["name"]: field for field in schema["schema"]["fields"]}
    allowed = {category["value"] for category in fields["estado"]["categories"]}
    assert {"Meta cumplida", "En ruta", "En riesgo", "Rezagado", "Sin dato", "Sin meta"} == allowed
    assert {row["estado"] for row in _rows("valores-indicadores")} <= allowed
    assert fields["porcentaje_meta"]["unit"] == "%"


def test_text_cannot_run_as_a_formula_in_the_csv(published: Cast) -> None:
    indicator = published.indicator
    indicator.name = '=HYPERLINK("http://x","y")'
    indicator.save()
    (row,) = _rows("valores-indicadores")
    assert row["indicador_nombre"].startswith("'=")


def test_downloads_answer_304_until_something_changes(published: Cast) -> None:
    first = _download("valores-indicadores", "csv")
    assert first["Cache-Control"] == "public, no-cache"
    assert first["Last-Modified"] == http_date(open_data.changed_at(PublicationKind.PERIOD).timestamp())
    since = _download("valores-indicadores", "csv", **{"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304 and since.content == b""
    match = _download("valores-indicadores", "csv", **{"If-None-Match": first["ETag"]})
    assert match.status_code == 304
    assert _download("valores-indicadores", "csv", **{"If-Modified-Since": http_date(0)}).status_code == 200
    # A withdrawal changes the data: the same question now gets the new file (within the same
    # second the ETag tells the difference; Last-Modified would need the next second).
    services.unpublish(by=published.analyst, publication=Publication.objects.current().get(kind="period"), reason="x")
    changed = _download("valores-indicadores", "csv", **{"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    # Events are fed by their own publications: a period's withdrawal leaves their version alone.
    events = _download("eventos", "json")
    assert _download("eventos", "json", **{"If-None-Match": events["ETag"]}).status_code == 304


def test_a_reopened_instrument_or_an_edited_framework_changes_the_version(published: Cast) -> None:
    before = _download("avance-lineas-accion", "json")["ETag"]
    submission = published.published_period.submissions.get(institution=published.home)
    reporting.reopen_submission(by=published.admin, submission=submission, reason="Corregir")
    after = _download("avance-lineas-accion", "json", **{"If-None-Match": before})
    assert after.status_code == 200
    assert {r["estado"] for r in json.loads(after.content)["datos"]} == {None}
    target = IndicatorTarget.objects.get(indicator=published.indicator, year=2025)
    target.value = D(40)
    target.save()
    assert _download("avance-lineas-accion", "json", **{"If-None-Match": after["ETag"]}).status_code == 200


def test_the_catalogue_is_conditional_too(published: Cast) -> None:
    first = Client().get(reverse("opendata:catalogue"))
    assert first["Content-Type"] == "application/json"
    assert Client().get(reverse("opendata:catalogue"), headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert (
        Client().get(reverse("opendata:catalogue"), headers={"If-Modified-Since": first["Last-Modified"]}).status_code
        == 304
    )
    assert Client().get(reverse("opendata:catalogue"), headers={"If-Modified-Since": http_date(0)}).status_code == 200


def test_the_open_data_page_lists_every_dataset_with_its_files(published: Cast) -> None:
    page = Client().get(reverse("opendata:dataset-list")).content.decode()
    for slug in DATASETS:
        for fmt in FORMATS:
            assert reverse("opendata:dataset-download", kwargs={"dataset": slug, "fmt": fmt}) in page
        assert reverse("opendata:dictionary-download", kwargs={"dataset": slug, "fmt": "json"}) in page
    assert "CC BY 4.0" in page and reverse("opendata:catalogue") in page


def test_unknown_datasets_and_formats_are_404(monitoring: Cast) -> None:
    client = Client()
    assert _download("nada", "csv", client).status_code == 404
    assert _download("valores-indicadores", "pdf", client).status_code == 404
    url = reverse("opendata:dictionary-download", kwargs={"dataset": "eventos", "fmt": "xlsx"})
    assert client.get(url).status_code == 404


def _count(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_downloads_cost_the_same_queries_at_ten_times_the_data(published: Cast) -> None:
    urls = [
        reverse("opendata:dataset-download", kwargs={"dataset": slug, "fmt": fmt})
        for slug in DATASETS
        for fmt in FORMATS
    ]
    urls += [reverse("opendata:catalogue"), reverse("opendata:dataset-list")]
    before = {url: _count(url) for url in urls}
    grow(published, indicators=10, years=(2023, 2024))
    for period in type(published.period).objects.filter(year__in=(2023, 2024)):
        services.publish(by=published.analyst, target=period)
    for number in range(9):
        event = make_activity(published.project, title=f"Diálogo {number}", attendance_total=110 + number)
        services.publish(by=published.analyst, target=event)
    assert len(_rows("valores-indicadores")) == 10 * 3  # ten indicators, three published years
    assert len(_rows("eventos")) == 10
    after = {url: _count(url) for url in urls}
    assert after == before


def test_json_numbers_keep_their_digits() -> None:
    from sime.public.open_data_formats import _plain

    for text in ("0.3333", "1234567.8912", "99999999999.9999", "0.0001", "12.5"):
        assert json.dumps(_plain(D(text))) == text
    assert json.dumps(_plain(D("123456789012345678"))) == "123456789012345678"
    assert _plain(dt.date(2025, 12, 31)) == "2025-12-31"
