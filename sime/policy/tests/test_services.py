from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sime.core.models import AuditEvent
from sime.policy import services
from sime.policy.models import Action, CausalLink, Indicator, PolicyNode
from sime.policy.tests.factories import link, make_node

pytestmark = pytest.mark.django_db


def test_a_link_that_closes_a_cycle_is_refused_naming_it(framework) -> None:  # type: ignore[no-untyped-def]
    first = framework.action_node
    second = PolicyNode.objects.get(code="1.1.2")
    strategic = PolicyNode.objects.get(code="1.1")
    link(second, strategic)  # 1.1.1 → 1.1.2 → 1.1 already
    with pytest.raises(ValidationError) as error:
        services.add_causal_link(by=framework.analyst, source=strategic, target=first)
    assert error.value.message_dict == {"target": ["Este vínculo cerraría un ciclo: 1.1 → 1.1.1 → 1.1.2 → 1.1."]}
    assert CausalLink.objects.count() == 2
    assert not AuditEvent.objects.filter(action="causal_link.created").exists()


def test_a_valid_link_is_added_audited_and_kept_in_history(framework) -> None:  # type: ignore[no-untyped-def]
    axis = PolicyNode.objects.get(code="1")
    created = services.add_causal_link(
        by=framework.analyst, source=framework.action_node, target=axis, evidence_note=" Estudio 2024 "
    )
    assert (created.evidence_note, str(created)) == ("Estudio 2024", "1.1.1 → 1")
    assert AuditEvent.objects.get(action="causal_link.created").actor == framework.analyst
    assert created.history.get().history_user == framework.analyst


def test_self_links_and_cross_policy_links_are_refused(framework) -> None:  # type: ignore[no-untyped-def]
    from sime.policy.tests.factories import make_policy

    with pytest.raises(ValidationError):
        services.add_causal_link(by=framework.admin, source=framework.action_node, target=framework.action_node)
    other_policy, levels = make_policy("PM-OTRA")
    foreign = make_node(other_policy, levels[0], "1")
    with pytest.raises(ValidationError) as error:
        services.add_causal_link(by=framework.admin, source=framework.action_node, target=foreign)
    assert error.value.message_dict == {"target": ["Los dos nodos deben ser de la misma política."]}


@pytest.mark.parametrize("role", ["technical", "planning", "authority", "cooperant"])
def test_only_depm_changes_the_framework(framework, role) -> None:  # type: ignore[no-untyped-def]
    user = framework.by_role()[role]
    with pytest.raises(PermissionDenied):
        services.add_causal_link(by=user, source=PolicyNode.objects.get(code="1.1.2"), target=framework.action_node)
    with pytest.raises(PermissionDenied):
        services.update_node(by=user, node=framework.action_node, title="Otro")
    framework.action_node.refresh_from_db()
    assert framework.action_node.title == "Protocolo de recepción de NNA"
    assert not AuditEvent.objects.filter(content_type__app_label="policy").exists()


def test_update_action_records_changes_and_sets(framework) -> None:  # type: ignore[no-untyped-def]
    action = Action.objects.get(node=framework.action_node)
    services.update_action(
        by=framework.analyst,
        action=action,
        co_responsible=[framework.agency],
        estimated_budget=Decimal("23421.00"),
        horizon="short",
    )
    action.refresh_from_db()
    assert action.estimated_budget == Decimal("23421.00")
    assert list(action.co_responsible.all()) == [framework.agency]
    changes = AuditEvent.objects.get(action="action.updated").changes
    assert changes["estimated_budget"] == {"before": None, "after": "23421.00"}
    assert changes["co_responsible"] == {"before": [framework.other.pk], "after": [framework.agency.pk]}
    latest = action.history.latest()
    assert (latest.estimated_budget, latest.history_user) == (Decimal("23421.00"), framework.analyst)
    assert action.history.earliest().estimated_budget is None  # the version before the change is kept


def test_lead_cannot_also_be_co_responsible(framework) -> None:  # type: ignore[no-untyped-def]
    action = Action.objects.get(node=framework.action_node)
    with pytest.raises(ValidationError) as error:
        services.update_action(by=framework.analyst, action=action, co_responsible=[framework.home])
    assert error.value.message_dict == {
        "co_responsible": ["La institución responsable no puede ser también corresponsable."]
    }
    assert list(action.co_responsible.all()) == [framework.other]


def test_budget_with_more_than_two_decimals_is_refused(framework) -> None:  # type: ignore[no-untyped-def]
    action = Action.objects.get(node=framework.action_node)
    with pytest.raises(ValidationError) as error:
        services.update_action(by=framework.analyst, action=action, estimated_budget=Decimal("10.005"))
    assert "estimated_budget" in error.value.message_dict


def test_indicator_targets_and_history_keep_the_old_definition(framework) -> None:  # type: ignore[no-untyped-def]
    indicator = framework.indicator
    services.save_indicator(by=framework.analyst, indicator=indicator, targets={2026: Decimal(10), 2027: Decimal(20)})
    services.save_indicator(by=framework.admin, indicator=indicator, definition="Nueva definición")
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert {t.year: t.value for t in indicator.targets.all()} == {2026: Decimal(10), 2027: Decimal(20)}
    versions = list(indicator.history.order_by("history_date"))
    assert [v.definition for v in versions] == ["", "", "Nueva definición"]
    assert versions[-1].history_user == framework.admin


def test_targets_outside_the_policy_years_are_refused(framework) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.save_indicator(by=framework.analyst, indicator=framework.indicator, targets={2040: Decimal(1)})
    assert error.value.message_dict == {"targets": ["Año fuera de la vigencia de la política (2023–2032): 2040."]}
    assert not framework.indicator.targets.exists()


def test_percentage_needs_numerator_and_denominator(framework) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.save_indicator(by=framework.analyst, indicator=framework.indicator, measure_type="percentage")
    assert "denominator_definition" in error.value.message_dict


def test_node_parent_must_be_one_level_up(framework) -> None:  # type: ignore[no-untyped-def]
    levels = list(framework.policy.levels.order_by("depth"))
    axis = PolicyNode.objects.get(code="1")
    with pytest.raises(ValidationError) as error:
        make_node(framework.policy, levels[3], "9.9.9", axis)
    assert error.value.message_dict["parent"] == [
        "El superior debe ser un nodo del nivel inmediato superior, en la misma política."
    ]


def test_monitoring_thresholds_are_set_by_an_administrador_and_audited(cast) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from django.core.exceptions import PermissionDenied, ValidationError

    from sime.core.models import AuditEvent
    from sime.policy.services import update_monitoring_thresholds
    from sime.policy.tests.factories import make_policy

    policy, _levels = make_policy()
    with pytest.raises(PermissionDenied):
        update_monitoring_thresholds(by=cast.analyst, policy=policy, on_track_threshold=Decimal(80))
    update_monitoring_thresholds(
        by=cast.admin, policy=policy, on_track_threshold=Decimal(80), at_risk_threshold=Decimal(50)
    )
    policy.refresh_from_db()
    assert (policy.on_track_threshold, policy.at_risk_threshold) == (Decimal(80), Decimal(50))
    event = AuditEvent.objects.get(action="policy.thresholds_updated")
    assert event.changes["on_track_threshold"] == {"before": "90", "after": "80"}
    with pytest.raises(ValidationError):
        update_monitoring_thresholds(by=cast.admin, policy=policy, at_risk_threshold=Decimal(95))
    policy.refresh_from_db()
    assert policy.at_risk_threshold == Decimal(50)
