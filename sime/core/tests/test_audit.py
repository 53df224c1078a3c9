import datetime as dt
from decimal import Decimal

import pytest

from sime.core.audit import diff, record_event, snapshot
from sime.core.models import AuditEvent
from sime.institutions.tests.factories import InstitutionFactory


def test_diff_lists_only_changed_fields() -> None:
    before = {"name": "A", "amount": "1.00", "same": 1}
    after = {"name": "B", "amount": "1.00", "same": 1, "new": True}
    assert diff(before, after) == {
        "name": {"before": "A", "after": "B"},
        "new": {"before": None, "after": True},
    }


@pytest.mark.django_db
def test_snapshot_is_json_safe_and_exact() -> None:
    institution = InstitutionFactory(name="Ministerio X", acronym="MX")
    data = snapshot(institution)
    assert data["name"] == "Ministerio X"
    assert data["department"] is None
    assert "created_at" not in data
    assert snapshot(institution, ["acronym"]) == {"acronym": "MX"}


@pytest.mark.django_db
def test_record_event_keeps_who_what_and_values(cast) -> None:  # type: ignore[no-untyped-def]
    event = record_event(
        cast.home,
        "institution.updated",
        by=cast.analyst,
        changes={"phone": {"before": "", "after": "2222-0000"}},
        data={"amount": Decimal("10.50"), "day": dt.date(2024, 3, 5)},
        institution=cast.home,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == cast.analyst
    assert stored.actor_email == cast.analyst.email
    assert stored.institution_id == cast.home.pk
    assert stored.institution_name == "Ministerio de Relaciones Exteriores"
    assert stored.object_repr == "Ministerio de Relaciones Exteriores"
    assert stored.data == {"amount": "10.50", "day": "2024-03-05"}
    assert list(AuditEvent.objects.for_object(cast.home)) == [stored]


@pytest.mark.django_db
def test_system_events_have_no_actor() -> None:
    institution = InstitutionFactory()
    event = record_event(institution, "institution.created", by=None)
    assert event.actor is None
    assert event.actor_email == ""


def _emitted_event_verbs() -> set[str]:
    """Every `<subject>.<verb>` the services pass to record_event() (read from the source)."""
    import ast
    from pathlib import Path

    from sime.evaluation.workflow import ResponseTransition
    from sime.reporting.models import SubmissionEvent

    root = Path(__file__).resolve().parents[2]
    verbs: set[str] = set()
    dynamic: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and len(node.args) >= 2):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in {"record_event", "_write"}:
                continue
            argument = node.args[1]
            for value in [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]:
                if isinstance(value, ast.Constant):
                    verbs.add(str(value.value).rsplit(".", 1)[-1])
                else:
                    dynamic.add(f"{path.relative_to(root)}:{ast.unparse(value)}")
    # The kinds built at run time, each enumerated from its source of truth.
    assert dynamic == {
        "reporting/services.py:f'submission.{kind}'",
        "evaluation/services.py:f'evaluation.response_{kind}'",
        "activities/services.py:action",  # _write()'s own parameter: its callers are read above
        "core/services.py:f'{obj._meta.model_name}.deleted'",
        "core/services.py:f\"{label}.{('created' if is_new else 'updated')}\"",
    }, "a new dynamic audit event kind: enumerate its values here"
    verbs |= {str(kind) for kind in SubmissionEvent.Kind.values}
    verbs |= {f"response_{kind}" for kind in ResponseTransition.values}
    return verbs | {"created", "updated", "deleted"}


def test_every_emitted_audit_event_kind_has_a_spanish_label() -> None:
    from sime.core.models import VERB_LABELS

    verbs = _emitted_event_verbs()
    assert {"approve", "start_review", "assignments_set", "response_validate"} <= verbs
    assert sorted(verbs - set(VERB_LABELS)) == []


@pytest.mark.django_db
def test_audit_label_of_a_workflow_step_is_spanish() -> None:
    institution = InstitutionFactory(name="Ministerio Y", acronym="MY")
    event = record_event(institution, "submission.start_review", by=None)
    assert event.action_label.endswith(": inicio de la revisión")
