"""What a first-time focal point and Analista need on the instrument: references beside the inputs,
what is still missing per item, observations after a return, and what changed since."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sime.conftest import Cast
from sime.policy.models import IndicatorTarget
from sime.reporting import services
from sime.reporting.models import ActionProgress, IndicatorValue, Submission
from sime.reporting.tests.factories import open_year
from sime.reporting.validation import is_complete, missing_for_completion

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def detail(cast: Cast, submission: Submission | None = None, user=None) -> str:  # type: ignore[no-untyped-def]
    submission = submission or cast.submission
    url = reverse("reporting:submission-detail", kwargs={"pk": submission.pk})
    return client_for(user or cast.technical).get(url).content.decode()


# --- 1. Indicator cards: baseline, the year's target, the last approved value --------------------


def test_indicator_cards_show_baseline_target_and_last_approved_value(monitoring: Cast) -> None:
    cast = monitoring
    cast.indicator.baseline_value, cast.indicator.baseline_year = Decimal(25), 2023
    cast.indicator.save()
    IndicatorTarget.objects.create(indicator=cast.indicator, year=2027, value=Decimal("1250.5"))
    period = open_year(cast.admin, cast.policy, 2027)
    submission = Submission.objects.get(period=period, institution=cast.home)
    html = detail(cast, submission)
    reference = html.split('data-testid="indicator-reference"')[1].split("</dl>")[0]
    assert "Línea base" in reference and "25 (2023)" in reference
    assert "Meta 2027" in reference and "1,250.5" in reference
    assert "Último valor aprobado" in reference and "60" in reference and cast.period.name in reference


def test_an_indicator_without_target_or_history_says_so(reporting: Cast) -> None:
    reference = detail(reporting).split('data-testid="indicator-reference"')[1].split("</dl>")[0]
    assert "sin meta para el año" in reference and "ninguno aún" in reference


def test_the_last_approved_value_is_the_institutions_own_not_another_draft(monitoring: Cast) -> None:
    cast = monitoring
    period = open_year(cast.admin, cast.policy, 2027)
    other = Submission.objects.get(period=period, institution=cast.other)
    item = IndicatorValue.objects.filter(submission=other).first()
    if item is not None:  # MINGOB is not responsible for IND-1; its instrument shows no MINEX value
        assert "60 (" not in detail(cast, other, cast.outsider)
    own = Submission.objects.get(period=period, institution=cast.home)
    assert f'60 <span class="text-body-secondary">({cast.period.name})' in detail(cast, own)


# --- 2. What "complete" means, in one place -------------------------------------------------------


def test_an_action_is_complete_with_status_percent_and_the_narrative_its_status_needs(reporting: Cast) -> None:
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    assert missing_for_completion(item) == ["el estado", "el % de avance"]
    item.status, item.progress_percent = "delayed", Decimal(10)
    assert missing_for_completion(item) == ["los obstáculos (la acción está atrasada o suspendida)"]
    item.obstacles = "Sin fondos"
    assert missing_for_completion(item) == [] and is_complete(item)
    item.status, item.obstacles = "in_progress", ""
    assert is_complete(item)


def test_an_indicator_is_complete_with_its_value_or_numerator_and_denominator(reporting: Cast) -> None:
    item = IndicatorValue.objects.select_related("indicator").get(pk=reporting.indicator_item.pk)
    assert missing_for_completion(item) == ["el valor del periodo"]
    item.indicator.measure_type = "percentage"
    item.numerator = Decimal(3)
    assert missing_for_completion(item) == ["el denominador"]


def test_the_page_shows_per_item_what_is_missing_and_autosave_updates_it(reporting: Cast) -> None:
    cast = reporting
    html = detail(cast)
    pk = cast.action_item.pk
    assert f'id="missing-a{pk}"' in html
    assert "Falta para completar este ítem: el estado, el % de avance." in html
    url = reverse("reporting:action-save", kwargs={"pk": cast.submission.pk, "item_pk": pk})
    answer = client_for(cast.technical).post(url, {"version": "1", "status": "in_progress"}, **HTMX).content.decode()
    assert f'id="missing-a{pk}" class="small mb-2" data-testid="item-missing" hx-swap-oob="true"' in answer
    assert "Falta para completar este ítem: el % de avance." in answer
    answer = client_for(cast.technical).post(url, {"version": "2", "progress_percent": "40"}, **HTMX).content.decode()
    assert "✓ Ítem completo" in answer


def test_the_send_check_names_the_items_still_incomplete_and_what_they_lack(reporting: Cast) -> None:
    cast = reporting
    services.save_item(by=cast.technical, item=cast.action_item, values={"status": "in_progress"}, version=1)
    try:
        services.sign_technical(by=cast.technical, submission=cast.submission)
    except ValidationError as error:
        message = " ".join(error.messages)
    else:  # pragma: no cover
        raise AssertionError("an incomplete instrument was signed")
    assert message == "Faltan 2 ítems por completar: 1.1.1 (el % de avance); IND-1 (el valor del periodo)."
    assert Submission.objects.get(pk=cast.submission.pk).technical_signed_at is None


def test_the_excel_upload_counts_completion_with_the_same_rule(reporting: Cast) -> None:
    cast = reporting
    item = ActionProgress.objects.get(pk=cast.action_item.pk)
    change = services.PlannedChange(
        item=item, values={"status": "delayed", "progress_percent": Decimal(5), "obstacles": "Lluvias"}, version=1
    )
    services.apply_changes(by=cast.technical, submission=cast.submission, changes=[change], source="excel")
    assert ActionProgress.objects.get(pk=item.pk).is_complete
    assert Submission.objects.get(pk=cast.submission.pk).completed_items == 1


# --- 3. After a return: which items have observations; signed instruments warn before saving -----


def _returned(cast: Cast) -> Submission:
    services.save_item(
        by=cast.technical,
        item=cast.action_item,
        values={"status": "in_progress", "progress_percent": Decimal(40)},
        version=1,
    )
    services.save_item(by=cast.technical, item=cast.indicator_item, values={"value": Decimal(7)}, version=1)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)
    services.start_review(by=cast.analyst, submission=cast.submission)
    return services.return_submission(
        by=cast.analyst, submission=cast.submission, action_comments={cast.action_item.pk: "Revise el porcentaje."}
    )


def test_a_returned_instrument_lists_the_observed_items_with_links(reporting: Cast) -> None:
    cast = reporting
    _returned(cast)
    html = detail(cast)
    box = html.split('data-testid="observed-items"')[1].split("</div>")[0]
    assert f'<a href="#item-a{cast.action_item.pk}">1.1.1</a> — Revise el porcentaje.' in box
    assert "IND-1" not in box


def test_editing_a_signed_instrument_asks_before_saving(reporting: Cast) -> None:
    cast = reporting
    assert "hx-confirm" not in detail(cast)
    services.save_item(
        by=cast.technical,
        item=cast.action_item,
        values={"status": "in_progress", "progress_percent": Decimal(40)},
        version=1,
    )
    services.save_item(by=cast.technical, item=cast.indicator_item, values={"value": Decimal(7)}, version=1)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    html = detail(cast)
    assert 'data-testid="signed-warning"' in html
    assert html.count('hx-confirm="Este instrumento ya tiene firmas') == 2


# --- 4. Unsaved fields: the forms are guarded by the beforeunload module ------------------------------


def test_autosaved_forms_are_guarded_against_leaving_with_unsaved_fields(reporting: Cast) -> None:
    html = detail(reporting)
    assert f'data-unsaved-guard="state-a{reporting.action_item.pk}"' in html
    assert f'data-unsaved-guard="state-i{reporting.indicator_item.pk}"' in html
    assert "js/unsaved-guard.js" in html


# --- 6. The Analista's list opens on what waits for review --------------------------------------------


def test_the_instrument_list_opens_on_what_needs_the_analista(reporting: Cast) -> None:
    cast = reporting
    _returned(cast)
    client = client_for(cast.analyst)
    url = reverse("reporting:submission-list")
    assert list(client.get(url).context["submissions"]) == []
    everything = client.get(url, {"estado": ""}).context["submissions"]
    assert {s.pk for s in everything} == {cast.submission.pk, cast.other_submission.pk}
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)
    assert [s.pk for s in client.get(url).context["submissions"]] == [cast.submission.pk]
    assert client_for(cast.technical).get(url).context["status"] == ""
