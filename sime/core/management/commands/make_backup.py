"""`python manage.py make_backup [--dir DIR] [--keep N]` — the database and every uploaded file, with a manifest.

Safe while the site runs: the manifest and the dump read the same snapshot. Daily from
deploy/systemd/sime-backup.timer; docs/deployment.md says how to restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sime.core.backup import BackupError, Manifest, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Hace una copia de seguridad de la base de datos y de los archivos subidos en una carpeta nueva, "
        "con un manifiesto (filas y suma de cada tabla, SHA-256 de cada archivo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Carpeta de las copias (por defecto, BACKUP_DIR).")
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Copias completas que se conservan, contando la nueva; las más antiguas se borran (0: todas).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parent = options["dir"] or Path(settings.BACKUP_DIR)
        if options["keep"] < 0:
            raise CommandError(_("--keep no puede ser negativo."))
        try:
            path = create_backup(parent)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = Manifest.read(path)
        self.stdout.write(
            _("Copia de seguridad creada en %(path)s (tablas: %(tables)s, filas: %(rows)s, archivos: %(files)s).")
            % {"path": path, "tables": len(manifest.tables), "rows": manifest.rows, "files": len(manifest.files)}
        )
        removed = prune_backups(parent, keep=options["keep"])
        if removed:
            self.stdout.write(
                _("Copias antiguas borradas: %(names)s") % {"names": ", ".join(path.name for path in removed)}
            )
