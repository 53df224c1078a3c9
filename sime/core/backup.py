"""Backups of the whole stack (the database and every uploaded file) and their restore, proved by a manifest.

A backup is one directory, `sime-AAAAMMDD-HHMMSS/`:

- `database.dump`: PostgreSQL's `pg_dump --format=custom`, or on SQLite a database file written by
  sqlite3's backup API;
- `media.tar`: every file of the default storage, read through Django's storage API (so a folder and an
  S3 bucket are backed up, and restored, the same way);
- `manifest.json`: the engine, the SHA-256 of both files, every table's row count and checksum and
  every stored file's size and SHA-256.

The table checksums are taken in the same snapshot as the dump (PostgreSQL: a repeatable-read
transaction whose snapshot `pg_dump --snapshot` shares; SQLite: one read transaction around the backup
API), so the manifest describes exactly the dumped rows even while people keep working. A restore goes
into an empty database and an empty storage only (unless told to overwrite) and then compares
everything with the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
NAME_PATTERN = re.compile(r"^sime-\d{8}-\d{6}$")
ENGINES = ("postgresql", "sqlite")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Spanish."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class FileSum:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    database_sha256: str
    media_sha256: str
    tables: dict[str, TableSum]
    files: dict[str, FileSum]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())

    def to_json(self) -> str:
        data = {"format": FORMAT, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        try:
            data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
            if data["format"] != FORMAT:
                raise BackupError(
                    _("La copia tiene el formato %(found)s y esta versión lee el %(expected)s.")
                    % {"found": data["format"], "expected": FORMAT}
                )
            return cls(
                created_at=str(data["created_at"]),
                engine=str(data["engine"]),
                database_sha256=str(data["database_sha256"]),
                media_sha256=str(data["media_sha256"]),
                tables={name: TableSum(int(t["rows"]), str(t["sha256"])) for name, t in data["tables"].items()},
                files={name: FileSum(int(f["size"]), str(f["sha256"])) for name, f in data["files"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(
                _("No se puede leer el manifiesto de la copia %(path)s: %(error)s")
                % {"path": directory, "error": error}
            ) from error


# --- Fingerprints -------------------------------------------------------------------------------------


def table_sums(connection: BaseDatabaseWrapper) -> dict[str, TableSum]:
    """Every table's row count and a SHA-256 of its columns and rows, each value read as text, in the order
    of its primary key read as text in a fixed collation: the same figures on any server of the engine."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        as_text, order = "CAST({} AS TEXT)", '{} COLLATE "C"'
    else:
        as_text, order = "quote({})", "{}"
    sums: dict[str, TableSum] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # The columns as a query sees them (Django's SQLite get_table_description leaves a statement
            # open, and the backup API then waits for it forever).
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            keys = connection.introspection.get_primary_key_columns(cursor, table) or columns
            values = [as_text.format(quote(column)) for column in columns]
            ordering = [order.format(as_text.format(quote(key))) for key in keys]
            # Table and column names come from the database's own catalogue and are quoted.
            cursor.execute(f"SELECT {', '.join(values)} FROM {quote(table)} ORDER BY {', '.join(ordering)}")  # noqa: S608
            digest = hashlib.sha256(json.dumps(columns).encode())
            rows = 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update(b"\n" + json.dumps(list(row), ensure_ascii=False).encode())
                rows += len(batch)
            sums[table] = TableSum(rows, digest.hexdigest())
    return sums


def stored_names(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, walking its folders (S3 prefixes) through the storage API."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # FileSystemStorage before the first upload
        return
    for name in sorted(files):
        yield posixpath.join(path, name)
    for folder in sorted(folders):
        yield from stored_names(storage, posixpath.join(path, folder))


def file_sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def stored_sums(storage: Storage) -> dict[str, FileSum]:
    sums = {}
    for name in stored_names(storage):
        with storage.open(name, "rb") as handle:
            sha256 = file_sha256(handle)
        sums[name] = FileSum(storage.size(name), sha256)
    return sums


# --- Backup -------------------------------------------------------------------------------------------


def create_backup(parent: Path, *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> Path:
    """Write a new backup directory under `parent` and return it. It is written under a hidden name and
    renamed at the end, so a directory named `sime-…` is always a complete backup."""
    connection = connections[using]
    storage = storage or default_storage
    _check_engine(connection.vendor)
    if connection.in_atomic_block:
        raise BackupError(_("La copia de seguridad no puede hacerse dentro de una transacción."))
    name = f"sime-{timezone.localtime():%Y%m%d-%H%M%S}"
    target = parent / name
    if target.exists():
        raise BackupError(_("Ya existe una copia llamada %(path)s.") % {"path": target})
    parent.mkdir(parents=True, exist_ok=True)
    partial = parent / f".{name}.partial"
    # Backups hold personal data and password hashes: only the service account may read them.
    partial.mkdir(mode=0o700)
    try:
        tables = _dump_database(connection, partial / DATABASE_FILE)
        # After the database's snapshot: every file a dumped row names was stored before that row committed.
        files = _archive_media(storage, partial / MEDIA_FILE)
        manifest = Manifest(
            created_at=timezone.localtime().isoformat(timespec="seconds"),
            engine=connection.vendor,
            database_sha256=_path_sha256(partial / DATABASE_FILE),
            media_sha256=_path_sha256(partial / MEDIA_FILE),
            tables=tables,
            files=files,
        )
        (partial / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _dump_database(connection: BaseDatabaseWrapper, path: Path) -> dict[str, TableSum]:
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            tables = table_sums(connection)
            _run_client(connection, "pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={path}"])
        return tables
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    # A deferred read transaction (the settings' transaction mode would take the write lock, and the
    # backup API refuses a source that holds it): the sums and the copy read the same state.
    raw.execute("BEGIN DEFERRED")
    try:
        tables = table_sums(connection)
        with contextlib.closing(sqlite3.connect(path)) as copy:
            raw.backup(copy)
    finally:
        raw.execute("COMMIT")
    return tables


def _archive_media(storage: Storage, path: Path) -> dict[str, FileSum]:
    sums: dict[str, FileSum] = {}
    now = timezone.now().timestamp()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name in stored_names(storage):
            # One read of each file (one download from S3): hashed while it is spooled, then archived.
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool, storage.open(name, "rb") as source:
                digest = hashlib.sha256()
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    spool.write(chunk)
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = spool.tell(), 0o600, now
                spool.seek(0)
                archive.addfile(info, spool)
            sums[name] = FileSum(info.size, digest.hexdigest())
    return sums


def prune_backups(parent: Path, *, keep: int) -> list[Path]:
    """Delete the complete backups under `parent` but the newest `keep`; return what was deleted."""
    backups = sorted(path for path in parent.iterdir() if NAME_PATTERN.match(path.name) and (path / MANIFEST).is_file())
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old


# --- Restore ------------------------------------------------------------------------------------------


def restore_backup(
    directory: Path, *, overwrite: bool = False, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> Manifest:
    """Restore a backup into this stack's database and storage, which must be empty unless `overwrite`.
    The backup's files are checked against the manifest before anything is written. Returns the
    manifest; call `compare_with()` afterwards to prove the restore."""
    connection = connections[using]
    storage = storage or default_storage
    manifest = Manifest.read(directory)
    _check_same_engine(manifest, connection)
    for file_name, expected in ((DATABASE_FILE, manifest.database_sha256), (MEDIA_FILE, manifest.media_sha256)):
        if _path_sha256(directory / file_name) != expected:
            raise BackupError(
                _("El archivo %(name)s de la copia está dañado: su SHA-256 no es el del manifiesto.")
                % {"name": file_name}
            )
    if not overwrite:
        tables = connection.introspection.table_names()
        if tables:
            raise BackupError(
                _(
                    "La base de datos de destino no está vacía (tiene %(count)s tablas). Restaure en una base "
                    "recién creada (createdb) o use --overwrite para reemplazar su contenido."
                )
                % {"count": len(tables)}
            )
        if next(stored_names(storage), None) is not None:
            raise BackupError(
                _(
                    "El almacenamiento de archivos de destino no está vacío. Restaure en una carpeta o un bucket "
                    "vacíos o use --overwrite para reemplazar los archivos con el mismo nombre."
                )
            )
    _restore_database(connection, directory / DATABASE_FILE, overwrite=overwrite)
    _restore_media(storage, directory / MEDIA_FILE)
    return manifest


def _restore_database(connection: BaseDatabaseWrapper, path: Path, *, overwrite: bool) -> None:
    if connection.vendor == "postgresql":
        if not connection.settings_dict.get("NAME"):
            raise BackupError(_("La base de datos de destino debe tener nombre (NAME en DATABASE_URL)."))
        # The restoring role owns everything (owners and grants of the old server need not exist here),
        # and one transaction: an error leaves the database as empty as it was.
        options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        if overwrite:
            options += ["--clean", "--if-exists"]
        _run_client(connection, "pg_restore", [*options, "--dbname"], str(path))
        return
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
        source.backup(connection.connection)


def _restore_media(storage: Storage, path: Path) -> None:
    with tarfile.open(path, "r:") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = member.name
            parts = name.split("/")
            if name.startswith("/") or ".." in parts or "" in parts:
                raise BackupError(_("La copia contiene un nombre de archivo no válido: %(name)s.") % {"name": name})
            if storage.exists(name):
                storage.delete(name)  # only with --overwrite: otherwise the storage was checked empty
            source = archive.extractfile(member)
            if source is None:
                continue
            saved = storage.save(name, File(source, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(
                    _("El almacenamiento guardó %(name)s con otro nombre: %(saved)s.") % {"name": name, "saved": saved}
                )


def compare_with(manifest: Manifest, *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> list[str]:
    """What differs between this stack and the backup's manifest, one Spanish sentence each (none: identical)."""
    connection = connections[using]
    _check_same_engine(manifest, connection)
    problems = _differences(manifest.tables, table_sums(connection), _table_problem)
    problems += _differences(manifest.files, stored_sums(storage or default_storage), _file_problem)
    return problems


def _differences(expected: dict[str, Any], found: dict[str, Any], describe: Any) -> list[str]:
    return [
        describe(name, expected.get(name), found.get(name))
        for name in sorted(expected.keys() | found.keys())
        if expected.get(name) != found.get(name)
    ]


def _table_problem(name: str, expected: TableSum | None, found: TableSum | None) -> str:
    if found is None:
        return _("Falta la tabla %(table)s.") % {"table": name}
    if expected is None:
        return _("La tabla %(table)s no está en la copia.") % {"table": name}
    if expected.rows != found.rows:
        return _("Tabla %(table)s: %(expected)s filas en la copia y %(found)s aquí.") % {
            "table": name,
            "expected": expected.rows,
            "found": found.rows,
        }
    return _("Tabla %(table)s: el contenido no es el de la copia.") % {"table": name}


def _file_problem(name: str, expected: FileSum | None, found: FileSum | None) -> str:
    if found is None:
        return _("Falta el archivo %(name)s.") % {"name": name}
    if expected is None:
        return _("El archivo %(name)s no está en la copia.") % {"name": name}
    return _("El archivo %(name)s no es el de la copia (SHA-256 distinto).") % {"name": name}


# --- Helpers ------------------------------------------------------------------------------------------


def _check_engine(vendor: str) -> None:
    if vendor not in ENGINES:
        raise BackupError(
            _("Las copias de seguridad funcionan con PostgreSQL y SQLite, no con %(engine)s.") % {"engine": vendor}
        )


def _check_same_engine(manifest: Manifest, connection: BaseDatabaseWrapper) -> None:
    _check_engine(connection.vendor)
    if manifest.engine != connection.vendor:
        raise BackupError(
            _("La copia es de %(backup)s y la base de datos de destino es %(target)s: restaure en el mismo motor.")
            % {"backup": manifest.engine, "target": connection.vendor}
        )


def _path_sha256(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return file_sha256(handle)
    except FileNotFoundError as error:
        raise BackupError(_("Falta el archivo %(name)s en la copia.") % {"name": path.name}) from error


def _run_client(connection: BaseDatabaseWrapper, program: str, options: list[str], *after: str) -> None:
    """Run pg_dump or pg_restore with the connection's settings, as Django's dbshell builds them for psql
    (user, host, port, password and TLS options through libpq's environment variables)."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, options)
    args = [program, *args[1:], *after]
    try:
        # Fixed arguments from the settings, no shell.
        result = subprocess.run(args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            _("No se encontró %(program)s: instale el cliente de PostgreSQL (paquete postgresql-client).")
            % {"program": program}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s terminó con error %(code)s: %(error)s")
            % {"program": program, "code": result.returncode, "error": result.stderr.strip()}
        )
