"""The embedded default (a SQLite file, as under `make run`) under concurrent saves: one winner and one
409 conflict per round, never a 500 "database is locked".

The test suite's SQLite database lives in memory with a shared cache, whose table locks behave unlike a
file's, so this test copies the prepared database to a file and points every thread's connection at it,
with the OPTIONS config/settings.py gives SQLite (immediate transactions, busy timeout, WAL).
"""

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from sime.conftest import Cast
from sime.reporting.models import ActionProgress

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only; PostgreSQL has row locks")

ROUNDS = 8
WRITERS = 4


def test_settings_give_sqlite_immediate_transactions_a_busy_timeout_and_wal() -> None:
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.fixture
def file_database(tmp_path: Path) -> Any:
    """A function that copies the (committed) in-memory test database to a file; from then on, connections
    opened by new threads open that file. The main thread's connection stays on the in-memory database."""
    path = tmp_path / "sime.sqlite3"
    saved = connections.settings["default"]

    def copy() -> Path:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        connections.settings["default"] = {**saved, "NAME": str(path)}
        return path

    try:
        yield copy
    finally:
        connections.settings["default"] = saved


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_a_file_database_give_one_winner_and_conflicts(reporting: Cast, file_database: Any) -> None:
    url = reverse("api:submission-action", kwargs={"pk": reporting.submission.pk, "item_pk": reporting.action_item.pk})
    clients = []
    for user in [reporting.technical, reporting.planning] * (WRITERS // 2):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    file_database()  # after the logins, so their sessions are in the file

    statuses: list[int] = []
    errors: list[str] = []
    for round_number in range(ROUNDS):
        barrier = threading.Barrier(len(clients))
        results: list[int] = []
        version = round_number + 1

        def save(
            client: Client,
            value: int,
            version: int = version,
            barrier: threading.Barrier = barrier,
            results: list[int] = results,
        ) -> None:
            try:
                barrier.wait()
                response = client.patch(
                    url, {"version": version, "progress_percent": str(value)}, content_type="application/json"
                )
                results.append(response.status_code)
                if response.status_code >= 500:
                    errors.append(response.content.decode(errors="replace")[:300])
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=save, args=(client, 10 * round_number + n)) for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(results) == [200] + [409] * (len(clients) - 1), (results, errors)
        statuses.extend(results)

    # Read the file as the threads left it: every round advanced the version exactly once.
    def read() -> tuple[int, Any]:
        try:
            item = ActionProgress.objects.get(pk=reporting.action_item.pk)
            return item.version, item.progress_percent
        finally:
            connections.close_all()

    box: list[tuple[int, Any]] = []
    reader = threading.Thread(target=lambda: box.append(read()))
    reader.start()
    reader.join()
    assert box[0][0] == ROUNDS + 1
    assert statuses.count(500) == 0
