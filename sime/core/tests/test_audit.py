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
