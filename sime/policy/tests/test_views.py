import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sime.core.models import AuditEvent
from sime.policy.models import Action

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_analyst_edits_an_action_with_es_gt_amounts(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:action-update", kwargs={"pk": framework.action_node.pk})
    response = _client(framework.analyst).post(
        url,
        {
            "lead_institution": framework.home.pk,
            "co_responsible": [framework.other.pk, framework.agency.pk],
            "horizon": "long",
            "start_year": "2024",
            "end_year": "2030",
            "expected_product": "Protocolo aprobado",
            "estimated_budget": "1,234,500.50",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(node=framework.action_node)
    assert action.estimated_budget == Decimal("1234500.50")
    assert set(action.co_responsible.all()) == {framework.other, framework.agency}
    assert AuditEvent.objects.get(action="action.updated").actor == framework.analyst
    page = _client(framework.technical).get(reverse("policy:node-detail", kwargs={"pk": framework.action_node.pk}))
    assert "Q 1,234,500.50" in page.content.decode()


def test_action_form_errors_are_spanish_and_keep_input(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:action-update", kwargs={"pk": framework.action_node.pk})
    response = _client(framework.analyst).post(
        url,
        {
            "lead_institution": framework.home.pk,
            "co_responsible": [framework.home.pk],
            "start_year": "2030",
            "end_year": "2024",
            "expected_product": "Texto escrito",
            "estimated_budget": "mil",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["estimated_budget"] == ["Introduzca un número."]
    assert errors["co_responsible"] == ["La institución responsable no puede ser también corresponsable."]
    assert "Texto escrito" in response.content.decode()
    assert not AuditEvent.objects.filter(content_type__app_label="policy").exists()


def test_focal_point_cannot_edit_even_its_own_action(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:action-update", kwargs={"pk": framework.action_node.pk})
    response = _client(framework.technical).post(url, {"lead_institution": framework.other.pk})
    assert response.status_code == 403
    assert Action.objects.get(node=framework.action_node).lead_institution == framework.home


def test_cycle_refusal_shows_at_the_field(framework) -> None:  # type: ignore[no-untyped-def]
    from sime.policy.models import PolicyNode

    second = PolicyNode.objects.get(code="1.1.2")
    url = reverse("policy:causallink-create", kwargs={"pk": second.pk})
    response = _client(framework.admin).post(url, {"target": framework.action_node.pk})
    assert response.context["form"].errors == {"target": ["Este vínculo cerraría un ciclo: 1.1.2 → 1.1.1 → 1.1.2."]}


def test_removing_a_link(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:causallink-delete", kwargs={"pk": framework.causal_link.pk})
    assert _client(framework.technical).post(url).status_code == 403
    assert _client(framework.analyst).post(url).status_code == 302
    assert AuditEvent.objects.get(action="causal_link.deleted").changes["source"]["before"] == framework.action_node.pk


def test_indicator_sheet_pdf(framework, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = _client(framework.cooperant).get(reverse("policy:indicator-pdf", kwargs={"pk": framework.indicator.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ficha-IND-1.pdf"'
    assert response.content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) no está instalado: no se lee el texto del PDF")
    pdf = tmp_path / "ficha.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ficha técnica del indicador IND-1" in text
    assert "Ministerio de Relaciones Exteriores (MINEX)" in text
    assert "Protocolo de recepción de NNA" in text


def test_commitments_list_lead_and_co_responsible(framework) -> None:  # type: ignore[no-untyped-def]
    response = _client(framework.outsider).get(reverse("policy:commitments"))
    rows = [(a.node.code, a.lead_institution.acronym) for a in response.context["actions"]]
    assert rows == [("1.1.1", "MINEX"), ("1.1.2", "MINGOB")]
    assert response.context["indicators"] == []


def test_administrador_edits_disaggregation_categories_in_the_admin(framework) -> None:  # type: ignore[no-untyped-def]
    from sime.policy.models import DisaggregationDimension

    dimension = DisaggregationDimension.objects.create(code="sexo", name="Sexo")
    client = _client(framework.admin)
    url = reverse("admin:policy_disaggregationdimension_change", args=[dimension.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "sexo",
            "name": "Sexo",
            "order": "1",
            "categories-TOTAL_FORMS": "1",
            "categories-INITIAL_FORMS": "0",
            "categories-0-code": "M",
            "categories-0-name": "Mujer",
            "categories-0-order": "1",
        },
    )
    assert response.status_code == 302
    assert list(dimension.categories.values_list("name", flat=True)) == ["Mujer"]
    assert AuditEvent.objects.filter(action="disaggregationcategory.created").count() == 1
    assert _client(framework.analyst).get(url).status_code == 302


def _indicator_post(framework, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "code": "IND-9",
        "name": "Personas atendidas",
        "level": "output",
        "node": framework.action_node.pk,
        "unit": "personas",
        "measure_type": "count",
        "direction": "increase",
        "frequency": "annual",
        "responsible_institution": framework.home.pk,
        "aggregation": "sum",
        "baseline_value": "55,181",
        "baseline_year": "2025",
        "target_2026": "60,000",
        "target_2027": "65,000.5",
    }
    data.update(overrides)
    return data


def test_analyst_creates_an_indicator_with_targets(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:indicator-create", kwargs={"pk": framework.action_node.pk})
    response = _client(framework.analyst).post(url, _indicator_post(framework))
    assert response.status_code == 302
    from sime.policy.models import Indicator

    indicator = Indicator.objects.get(code="IND-9")
    assert indicator.baseline_value == Decimal("55181")
    assert {t.year: t.value for t in indicator.targets.all()} == {2026: Decimal("60000"), 2027: Decimal("65000.5")}
    assert AuditEvent.objects.get(action="indicator.created").actor == framework.analyst


@pytest.mark.parametrize("step", ["9" * 5000, "40000", "٣"], ids=["5000-digits", "past-32767", "arabic-indic-digit"])
def test_a_milestone_value_past_its_column_is_a_form_error_not_a_500(framework, step: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:indicator-update", kwargs={"pk": framework.indicator.pk})
    response = _client(framework.analyst).post(
        url, _indicator_post(framework, code="IND-1", milestone_scale=f"0=Nada; {step}=Hito")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["milestone_scale"] == [
        "Escriba los hitos como «0=No iniciado; 1=En proceso»."
    ]


def test_indicator_form_errors(framework) -> None:  # type: ignore[no-untyped-def]
    url = reverse("policy:indicator-update", kwargs={"pk": framework.indicator.pk})
    response = _client(framework.analyst).post(
        url,
        _indicator_post(
            framework, code="IND-1", measure_type="percentage", target_2026="muchos", milestone_scale="uno"
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["target_2026"] == ["Introduzca un número."]
    assert errors["milestone_scale"] == ["Escriba los hitos como «0=No iniciado; 1=En proceso»."]
    assert not AuditEvent.objects.filter(content_type__app_label="policy").exists()
    response = _client(framework.analyst).post(url, _indicator_post(framework, code="IND-1", measure_type="percentage"))
    assert response.context["form"].errors == {
        "denominator_definition": ["Un porcentaje necesita la definición del numerador y del denominador."]
    }


def test_analyst_adds_a_line_of_action(framework) -> None:  # type: ignore[no-untyped-def]
    from sime.policy.models import PolicyNode

    strategic = PolicyNode.objects.get(code="1.1")
    url = reverse("policy:node-create", kwargs={"pk": strategic.pk})
    missing_lead = _client(framework.analyst).post(url, {"code": "1.1.3", "title": "Nueva línea"})
    assert missing_lead.context["form"].errors == {"lead_institution": ["Este campo es requerido."]}
    duplicate = _client(framework.analyst).post(
        url, {"code": "1.1.1", "title": "X", "lead_institution": framework.home.pk}
    )
    assert duplicate.context["form"].errors == {"code": ["Ya existe un nodo con este código en la política."]}
    response = _client(framework.analyst).post(
        url, {"code": "1.1.3", "title": "Nueva línea", "lead_institution": framework.home.pk}
    )
    assert response.status_code == 302
    node = PolicyNode.objects.get(code="1.1.3")
    assert (node.parent, node.level.depth, node.action.lead_institution) == (strategic, 4, framework.home)
    assert node.order > PolicyNode.objects.get(code="1.1.2").order
    assert AuditEvent.objects.get(action="node.created").actor == framework.analyst


def test_years_print_without_thousands_separators(framework) -> None:  # type: ignore[no-untyped-def]
    Action.objects.filter(node=framework.action_node).update(horizon="medium", start_year=2024, end_year=2028)
    client = _client(framework.technical)
    listing = client.get(reverse("policy:policy-list")).content.decode()
    detail = client.get(reverse("policy:policy-detail", kwargs={"code": framework.policy.code})).content.decode()
    node = client.get(reverse("policy:node-detail", kwargs={"pk": framework.action_node.pk})).content.decode()
    assert "2023–2032" in listing
    assert "2023–2032" in detail
    assert "(2024–2028)" in node
    for page in (listing, detail, node):
        assert "2,0" not in page


def test_policy_list_counts_nodes_by_level_in_words(framework) -> None:  # type: ignore[no-untyped-def]
    listing = _client(framework.technical).get(reverse("policy:policy-list")).content.decode()
    assert "nodos" not in listing
    assert (
        "1 eje temático, 1 objetivo específico, 1 línea estratégica, 2 línea de accións" in listing
    )  # factory plural: name + "s"
