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
    assert f"60 <span class=\"text-body-secondary\">({cast.period.name})" in detail(cast, own)


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
