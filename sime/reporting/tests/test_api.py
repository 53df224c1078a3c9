import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from sime.conftest import Cast
from sime.core.tests import bad_workbooks as bad
from sime.reporting.instrument_excel import ACTIONS_SHEET, FIRST_ROW, build_workbook
from sime.reporting.models import ActionProgress, Submission


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def item_url(cast: Cast) -> str:
    return reverse("api:submission-action", kwargs={"pk": cast.submission.pk, "item_pk": cast.action_item.pk})


def test_list_is_filtered_by_period_institution_and_status(reporting: Cast) -> None:
    client = api(reporting.analyst)
    url = reverse("api:submission-list")
    assert client.get(url, {"period": "2026"}).json()["count"] == 2
    assert client.get(url, {"institution": reporting.home.pk}).json()["count"] == 1
    assert client.get(url, {"status": "approved"}).json()["count"] == 0
    mine = api(reporting.technical).get(url).json()
    assert [row["institution"] for row in mine["results"]] == [reporting.home.pk]


def test_an_id_filter_too_long_for_the_database_is_a_400_not_a_500(reporting: Cast) -> None:
    # Refused with the reason rather than ignored: a client would otherwise take all rows for the filtered ones.
    response = api(reporting.analyst).get(reverse("api:submission-list"), {"institution": "9" * 40})
    assert response.status_code == 400
    assert response.json() == {"institution": ["Asegúrese de que este valor es menor o igual a 2147483647."]}


def test_excel_upload_by_api_refuses_a_hostile_workbook(reporting: Cast) -> None:
    data = _xlsx(reporting).getvalue()
    hostile = io.BytesIO(bad.declaring(data, "A1:XFD5001", bad.sheet_part(data, ACTIONS_SHEET)))
    hostile.name = "instrumento.xlsx"  # type: ignore[attr-defined]
    url = reverse("api:submission-instrument", kwargs={"pk": reporting.submission.pk})
    response = api(reporting.technical).post(url, {"file": hostile}, format="multipart")
    assert response.status_code == 400
    assert response.json() == [
        {"sheet": "Acciones", "cell": "", "message": "La hoja «Acciones» declara 5,001 filas; el máximo es 5,000."}
    ]


def test_detail_has_the_items(reporting: Cast) -> None:
    data = api(reporting.technical).get(reverse("api:submission-detail", kwargs={"pk": reporting.submission.pk})).json()
    assert [a["code"] for a in data["actions"]] == ["1.1.1"]
    assert [i["code"] for i in data["indicators"]] == ["IND-1"]


def test_patch_validates_like_the_form(reporting: Cast) -> None:
    client = api(reporting.technical)
    bad = client.patch(item_url(reporting), {"version": 1, "status": "delayed", "progress_percent": "5"}, format="json")
    assert bad.status_code == 400 and "obstacles" in bad.json()
    good = client.patch(
        item_url(reporting), {"version": 1, "status": "in_progress", "budget_allocated": "1234.50"}, format="json"
    )
    assert good.status_code == 200, good.json()
    assert good.json()["version"] == 2 and good.json()["budget_allocated"] == "1234.50"


def test_patch_with_a_stale_version_is_a_409_that_shows_what_changed(reporting: Cast) -> None:
    api(reporting.technical).patch(item_url(reporting), {"version": 1, "progress_percent": "40"}, format="json")
    conflict = api(reporting.planning).patch(
        item_url(reporting), {"version": 1, "progress_percent": "60"}, format="json"
    )
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["version"] == 2 and body["changed"][0]["saved"] == "40.00"
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).progress_percent == Decimal("40")


def test_another_institution_cannot_read_or_patch_by_api(reporting: Cast) -> None:
    client = api(reporting.outsider)
    assert client.get(reverse("api:submission-detail", kwargs={"pk": reporting.submission.pk})).status_code == 404
    assert client.patch(item_url(reporting), {"version": 1, "progress_percent": "1"}, format="json").status_code == 404
    upload = client.post(
        reverse("api:submission-instrument", kwargs={"pk": reporting.submission.pk}),
        {"file": io.BytesIO(build_workbook(reporting.submission))},
        format="multipart",
    )
    assert upload.status_code == 404
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1


def test_transitions_follow_the_same_rules(reporting: Cast) -> None:
    cast = reporting
    tech = api(cast.technical)
    tech.patch(item_url(cast), {"version": 1, "status": "in_progress", "progress_percent": "50"}, format="json")
    indicator_url = reverse(
        "api:submission-indicator", kwargs={"pk": cast.submission.pk, "item_pk": cast.indicator_item.pk}
    )
    tech.patch(indicator_url, {"version": 1, "value": "7"}, format="json")
    pk = cast.submission.pk
    early = tech.post(reverse("api:submission-send", kwargs={"pk": pk}))
    assert early.status_code == 400 and "enlace técnico" in str(early.json())
    assert tech.post(reverse("api:submission-sign-technical", kwargs={"pk": pk})).status_code == 200
    assert api(cast.planning).post(reverse("api:submission-sign-planning", kwargs={"pk": pk})).status_code == 200
    assert tech.post(reverse("api:submission-send", kwargs={"pk": pk})).json()["status"] == "sent"
    assert tech.post(reverse("api:submission-approve", kwargs={"pk": pk})).status_code == 403
    analyst = api(cast.analyst)
    assert analyst.post(reverse("api:submission-start-review", kwargs={"pk": pk})).status_code == 200
    returned = analyst.post(
        reverse("api:submission-return", kwargs={"pk": pk}),
        {"action_comments": {str(cast.action_item.pk): "Detalle los logros"}},
        format="json",
    )
    assert returned.json()["status"] == "returned"
    assert api(cast.admin).post(reverse("api:submission-reopen", kwargs={"pk": pk}), {"reason": "x"}).status_code == 400


def _xlsx(cast: Cast, **cells: object) -> io.BytesIO:
    workbook = load_workbook(io.BytesIO(build_workbook(cast.submission)))
    for column, value in cells.items():
        workbook[ACTIONS_SHEET][f"{column}{FIRST_ROW}"] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "instrumento.xlsx"
    return buffer


def test_excel_round_trip_by_api_with_dry_run(reporting: Cast) -> None:
    client = api(reporting.technical)
    url = reverse("api:submission-instrument", kwargs={"pk": reporting.submission.pk})
    download = client.get(url)
    assert download.status_code == 200 and download.content.startswith(b"PK")
    dry = client.post(url + "?dry_run=1", {"file": _xlsx(reporting, C="En proceso", D=30)}, format="multipart")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert {c["field"] for c in dry.json()["changes"]} == {"status", "progress_percent"}
    assert ActionProgress.objects.get(pk=reporting.action_item.pk).version == 1
    done = client.post(url, {"file": _xlsx(reporting, C="En proceso", D=30)}, format="multipart")
    assert done.json()["updated"] == 1
    assert Submission.objects.get(pk=reporting.submission.pk).completed_items == 1


def test_an_invalid_file_gets_a_400_with_sheet_cell_and_message(reporting: Cast) -> None:
    url = reverse("api:submission-instrument", kwargs={"pk": reporting.submission.pk})
    response = api(reporting.technical).post(url, {"file": _xlsx(reporting, D="=1+1")}, format="multipart")
    assert response.status_code == 400
    assert response.json() == [
        {"sheet": "Acciones", "cell": f"D{FIRST_ROW}", "message": "Hay una fórmula: escriba el valor."}
    ]


def test_periods_can_be_created_and_opened_by_api(framework: Cast) -> None:
    client = api(framework.analyst)
    created = client.post(
        reverse("api:period-list"),
        {
            "policy": framework.policy.code,
            "kind": "four_month",
            "year": 2026,
            "number": 3,
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-20",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["code"] == "2026-C3" and created.json()["name"] == "Tercer cuatrimestre 2026"
    opened = client.post(reverse("api:period-open", kwargs={"pk": created.json()["id"]}))
    assert opened.json()["status"] == "open"
    assert api(framework.technical).post(reverse("api:period-list"), {}, format="json").status_code == 403
