from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sime.policy.framework_excel import export_framework
from sime.policy.models import Policy


class Command(BaseCommand):
    help = "Exporta el marco de resultados de una política a un libro de Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("policy_code", help="Código de la política, por ejemplo PM-2023.")
        parser.add_argument("output", help="Archivo .xlsx de salida.")

    def handle(self, *args: Any, **options: Any) -> None:
        policy = Policy.objects.filter(code=options["policy_code"]).first()
        if policy is None:
            raise CommandError(f"No existe la política «{options['policy_code']}».")
        export_framework(policy).save(options["output"])
        self.stdout.write(f"Marco de «{policy.code}» exportado a {options['output']}.")
