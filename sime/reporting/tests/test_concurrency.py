"""Two people save the same item at the same moment: one wins, the other is told; nothing is lost."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sime.conftest import Cast
from sime.reporting import services
from sime.reporting.models import ActionProgress, Submission


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks under concurrent transactions are what PostgreSQL production does; SQLite serialises writers",
)
def test_two_simultaneous_saves_lose_no_update(reporting: Cast) -> None:
    item_pk = reporting.action_item.pk
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, value: str) -> None:  # type: ignore[no-untyped-def]
        try:
            item = ActionProgress.objects.get(pk=item_pk)
            barrier.wait()
            services.save_item(by=user, item=item, values={"progress_percent": Decimal(value)}, version=1)
            outcomes[value] = "saved"
        except services.EditConflict:
            outcomes[value] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(reporting.technical, "40")),
        threading.Thread(target=save, args=(reporting.planning, "60")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(value for value, outcome in outcomes.items() if outcome == "saved")
    item = ActionProgress.objects.get(pk=item_pk)
    assert item.progress_percent == Decimal(winner) and item.version == 2
    assert Submission.objects.get(pk=reporting.submission.pk).completed_items == 0  # no status yet: incomplete
