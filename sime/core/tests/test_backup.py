"""Backup → restore into an empty stack: every row and every file comes back identical.

The restore runs as `manage.py restore_backup` in a new process, against a database created empty for
the test and an empty media folder, as an operator would after losing the server. Its result is then
compared with the source by this file's own queries (not the manifest's code): per table, the row
count and an md5 of every row read as text; per sequence, its last value; per file, its SHA-256.
The same test runs on PostgreSQL (pg_dump / pg_restore) and on SQLite (sqlite3's backup API).
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.core.backup import MANIFEST, MEDIA_FILE, Manifest, compare_with, create_backup, prune_backups
from sime.evaluation.demo import load_evaluations
from sime.institutions.demo import load_demo
from sime.institutions.models import FocalPoint, FocalPointRole
from sime.policy.demo import load_policy
from sime.reporting import evidence, services
from sime.reporting.demo import load_reporting

POSTGRES = connection.vendor == "postgresql"
BINARY = bytes(range(256)) * 5000  # every byte value, 1.28 MB: more than one read chunk of 1 MiB
NESTED = "documentos/año 2026/datos binarios.bin"


def build_stack() -> None:
    """The demo directory (departments, 71 institutions, a user per role), its policy, the current
    period opened with an instrument per institution and a medio de verificación on one of them, the
    demo evaluation with its terms of reference, and a binary file in a nested folder with accents."""
    load_demo(with_users=True, password="sime-demo-2026")
    load_policy()
    period = load_reporting()
    assert period is not None
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    services.open_period(by=admin, period=period)
    technical = (
        FocalPoint.objects.current().filter(role=FocalPointRole.TECHNICAL, institution__submissions__period=period)
    ).order_by("pk")[0]
    submission = period.submissions.get(institution=technical.institution)
    evidence.add_evidence(
        by=technical.user,
        submission=submission,
        item=submission.actionprogress_items.order_by("pk")[0],
        upload=SimpleUploadedFile("acta de entrega.pdf", b"%PDF-1.4 acta de entrega", "application/pdf"),
    )
    load_evaluations()
    default_storage.save(NESTED, ContentFile(BINARY))


# --- Independent fingerprints (raw DB-API, nothing from sime.core.backup) ------------------------------


def postgres_params(name: str) -> dict[str, Any]:
    source = connection.settings_dict
    return {
        "dbname": name,
        "user": source["USER"],
        "password": source["PASSWORD"] or None,
        "host": source["HOST"] or None,
        "port": source["PORT"] or None,
    }


def postgres_fingerprint(name: str) -> dict[str, Any]:
    import psycopg
    from psycopg import sql

    tables: dict[str, Any] = {}
    with psycopg.connect(**postgres_params(name)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        names = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for table in names:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE \"C\"), '')) "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            tables[table] = conn.execute(query).fetchone()
        sequences = conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        tables["(sequences)"] = sorted(sequences.fetchall())
    return tables


def sqlite_fingerprint(conn: sqlite3.Connection) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for table in names:  # sqlite_sequence included: the next ids must survive too
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
        text = " || '|' || ".join(f'quote("{column}")' for column in columns)
        rows = sorted(row[0] for row in conn.execute(f'SELECT {text} FROM "{table}"').fetchall())  # noqa: S608
        tables[table] = (len(rows), hashlib.md5("\n".join(rows).encode(), usedforsecurity=False).hexdigest())
    return tables


def storage_files(path: str = "") -> Iterator[str]:
    folders, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for folder in folders:
        yield from storage_files(f"{path}/{folder}" if path else folder)


def source_files() -> dict[str, str]:
    return {name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in storage_files()}


def folder_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


# --- The empty stack ---------------------------------------------------------------------------------


@pytest.fixture
def empty_stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A database created empty (PostgreSQL: a new database beside the test one; SQLite: a new file) and
    an empty media folder, with the settings a new process needs to use them."""
    media = tmp_path / "media-restaurada"
    media.mkdir()
    if POSTGRES:
        import psycopg

        name = f"{connection.settings_dict['NAME']}_restaurada"[:63]
        with psycopg.connect(**postgres_params("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        params = postgres_params(name)
        credentials = quote(params["user"] or "", safe="")
        if params["password"]:
            credentials += ":" + quote(params["password"], safe="")
        url = f"postgres://{credentials}@{params['host'] or '127.0.0.1'}:{params['port'] or 5432}/{name}"
        stack = {"name": name, "url": url, "media": media}
    else:
        path = tmp_path / "restaurada.sqlite3"
        stack = {"name": str(path), "url": f"sqlite:///{path}", "media": media}
    try:
        yield stack
    finally:
        if POSTGRES:
            with psycopg.connect(**postgres_params("postgres"), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{stack["name"]}" WITH (FORCE)')


def run_restore(stack: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": stack["url"],
        "MEDIA_ROOT": str(stack["media"]),
        "S3_BUCKET": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore_backup", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- Tests -------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_storage(settings: Any) -> None:
    """An empty in-memory storage for each test (the suite's one keeps other tests' files)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_stack_has_every_row_and_file_identical(
    tmp_path: Path, empty_stack: dict[str, Any]
) -> None:
    build_stack()
    out = io.StringIO()
    call_command("make_backup", "--dir", str(tmp_path / "copias"), stdout=out)
    (backup,) = (tmp_path / "copias").iterdir()
    assert sorted(path.name for path in backup.iterdir()) == ["database.dump", "manifest.json", "media.tar"]
    assert f"Copia de seguridad creada en {backup}" in out.getvalue()

    # A storage that is not empty is refused before anything is written.
    stray = empty_stack["media"] / "ajeno.txt"
    stray.write_text("de otra instalación")
    refused = run_restore(empty_stack, str(backup))
    assert refused.returncode == 1
    assert "El almacenamiento de archivos de destino no está vacío" in refused.stderr
    stray.unlink()

    restored = run_restore(empty_stack, str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "restaurada y verificada" in restored.stdout

    if POSTGRES:
        source, target = (
            postgres_fingerprint(connection.settings_dict["NAME"]),
            postgres_fingerprint(empty_stack["name"]),
        )
    else:
        with sqlite3.connect(empty_stack["name"]) as restored_db:
            source, target = sqlite_fingerprint(connection.connection), sqlite_fingerprint(restored_db)
    assert target == source
    files = source_files()
    assert folder_files(empty_stack["media"]) == files

    # What was compared is the whole stack, not a few rows: the demo's tables and its three files.
    assert len(source) > 80
    assert source["institutions_institution"][0] == 71
    assert source["reporting_submission"][0] > 0
    assert source["reporting_evidence"][0] == 1
    assert len(files) == 3
    assert files[NESTED] == hashlib.sha256(BINARY).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_manifest_tells_every_row_and_file_that_changed_after_the_backup(tmp_path: Path) -> None:
    UserFactory.create_batch(3, role=Role.ANALYST)
    authority = UserFactory(role=Role.AUTHORITY)
    default_storage.save(NESTED, ContentFile(BINARY))
    default_storage.save("evaluations/1/terminos.pdf", ContentFile(b"%PDF-1.4 TdR"))
    backup = create_backup(tmp_path)
    manifest = Manifest.read(backup)
    assert manifest.engine == connection.vendor
    assert manifest.tables["accounts_user"].rows == 4
    assert set(manifest.files) == {NESTED, "evaluations/1/terminos.pdf"}
    assert compare_with(manifest) == []

    User.objects.filter(pk=authority.pk).update(full_name="Nombre cambiado")
    UserFactory(role=Role.ANALYST)
    Group.objects.create(name="nuevo")
    default_storage.delete(NESTED)
    default_storage.save("otro.txt", ContentFile(b"nuevo"))
    default_storage.delete("evaluations/1/terminos.pdf")
    default_storage.save("evaluations/1/terminos.pdf", ContentFile(b"%PDF-1.4 otro contenido"))

    assert compare_with(manifest) == [
        "Tabla accounts_user: 4 filas en la copia y 5 aquí.",
        "Tabla auth_group: 0 filas en la copia y 1 aquí.",
        f"Falta el archivo {NESTED}.",
        "El archivo evaluations/1/terminos.pdf no es el de la copia (SHA-256 distinto).",
        "El archivo otro.txt no está en la copia.",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_changed_value_alone_is_found(tmp_path: Path) -> None:
    authority = UserFactory(role=Role.AUTHORITY, full_name="Autoridad AMN")
    manifest = Manifest.read(create_backup(tmp_path))
    User.objects.filter(pk=authority.pk).update(full_name="Autoridad AMN ")  # one trailing space
    assert compare_with(manifest) == ["Tabla accounts_user: el contenido no es el de la copia."]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_and_a_damaged_backup(tmp_path: Path) -> None:
    default_storage.save("a.txt", ContentFile(b"a"))
    backup = create_backup(tmp_path)

    with pytest.raises(CommandError, match=r"La base de datos de destino no está vacía \(tiene \d+ tablas\)"):
        call_command("restore_backup", str(backup))

    with tarfile.open(backup / MEDIA_FILE, "a") as archive:  # one file more than the manifest says
        info = tarfile.TarInfo("b.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"b"))
    with pytest.raises(CommandError, match=r"El archivo media\.tar de la copia está dañado"):
        call_command("restore_backup", str(backup), "--overwrite")

    (backup / MANIFEST).write_text("{")
    with pytest.raises(CommandError, match="No se puede leer el manifiesto"):
        call_command("restore_backup", str(backup))


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no puede hacerse dentro de una transacción"), transaction.atomic():
        call_command("make_backup", "--dir", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_prune_keeps_the_newest_complete_backups_only(tmp_path: Path) -> None:
    for name in ["sime-20260101-020000", "sime-20260102-020000", "sime-20260103-020000", "sime-20260104-020000"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / MANIFEST).write_text("{}")
    (tmp_path / "sime-20260105-020000").mkdir()  # no manifest: not a backup, left alone
    (tmp_path / ".sime-20260106-020000.partial").mkdir()
    (tmp_path / "notas").mkdir()

    removed = prune_backups(tmp_path, keep=2)

    assert [path.name for path in removed] == ["sime-20260101-020000", "sime-20260102-020000"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".sime-20260106-020000.partial",
        "notas",
        "sime-20260103-020000",
        "sime-20260104-020000",
        "sime-20260105-020000",
    ]
    assert prune_backups(tmp_path, keep=0) == []
