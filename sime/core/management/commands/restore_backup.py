"""`python manage.py restore_backup DIR [--overwrite | --verify-only]` — a backup into an empty stack, then proved.

Refuses a database or a storage that is not empty unless --overwrite, and a backup whose files are
damaged. After restoring, every table's rows and checksum and every file's SHA-256 are compared with
the manifest; any difference is listed and the command fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sime.core.backup import BackupError, Manifest, compare_with, restore_backup

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Restaura una copia de seguridad (make_backup) en una base de datos y un almacenamiento vacíos, y "
        "comprueba que cada tabla y cada archivo sean idénticos a la copia."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Carpeta de la copia (sime-AAAAMMDD-HHMMSS).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--overwrite",
            action="store_true",
            help="Restaurar aunque el destino no esté vacío: reemplaza las tablas y los archivos de la copia.",
        )
        mode.add_argument(
            "--verify-only",
            action="store_true",
            help="No restaurar: solo comparar la base de datos y los archivos actuales con la copia.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            if options["verify_only"]:
                manifest = Manifest.read(directory)
            else:
                manifest = restore_backup(directory, overwrite=options["overwrite"])
            problems = compare_with(manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            for problem in problems[:SHOWN]:
                self.stderr.write(problem)
            if len(problems) > SHOWN:
                self.stderr.write(_("… y %(count)s diferencias más.") % {"count": len(problems) - SHOWN})
            raise CommandError(
                _("La base de datos o los archivos no son idénticos a la copia %(path)s: %(count)s diferencias.")
                % {"path": directory, "count": len(problems)}
            )
        figures = {
            "path": directory,
            "tables": len(manifest.tables),
            "rows": manifest.rows,
            "files": len(manifest.files),
        }
        if options["verify_only"]:
            self.stdout.write(
                _("Idénticos a la copia %(path)s (tablas: %(tables)s, filas: %(rows)s, archivos: %(files)s).") % figures
            )
            return
        self.stdout.write(
            _(
                "Copia %(path)s restaurada y verificada: la base de datos y los archivos son idénticos a la copia "
                "(tablas: %(tables)s, filas: %(rows)s, archivos: %(files)s)."
            )
            % figures
        )
        self.stdout.write(_("Si el código es más nuevo que la copia, ejecute ahora «manage.py migrate»."))
