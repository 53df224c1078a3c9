from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sime.policy.framework_import import FrameworkImportError, import_framework


class Command(BaseCommand):
    help = "Importa un marco de resultados desde un libro de Excel (valida todo antes de escribir)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="Archivo .xlsx con el formato de export_framework.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["input"], "rb") as upload:
                policy = import_framework(by=None, upload=upload)
        except FileNotFoundError as error:
            raise CommandError(f"No se encontró el archivo {options['input']}.") from error
        except FrameworkImportError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"No se importó nada: {len(error.errors)} errores.") from error
        self.stdout.write(f"Política «{policy.code}» importada: {policy.nodes.count()} nodos.")
