"""`python manage.py generate_monitoring_scale --facts 10000000 [--seed 1] [--policy-code PM-ESCALA]`

Generated monitoring data for benchmarks: a policy of realistic shape and up to `--facts` approved
facts, or (`--peer N`) the Akvo RSR peer shape of N indicators × 12 monthly periods. The rows are
written in bulk, bypassing the reporting workflow (see `sime.analytics.scale`): never on production.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sime.analytics.scale import Shape, generate, generate_peer


class Command(BaseCommand):
    help = (
        "Genera una política de prueba a escala (datos aprobados en bloque, sin pasar por el flujo de "
        "aprobación): solo para bases de datos de pruebas de rendimiento."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Shape()
        parser.add_argument("--facts", type=int, default=100_000, help="Datos aprobados a generar (máximo).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--policy-code", default=None, help="Código de la política (PM-ESCALA; PM-PAR-N).")
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--start-year", type=int, default=defaults.start_year)
        parser.add_argument("--institutions", type=int, default=defaults.institutions)
        parser.add_argument("--lines", type=int, default=defaults.lines, help="Líneas de acción.")
        parser.add_argument("--indicators", type=int, default=defaults.indicators)
        parser.add_argument(
            "--drop-fact-indexes",
            action="store_true",
            help="PostgreSQL: quitar los índices de datos aprobados durante la carga y recrearlos iguales.",
        )
        parser.add_argument(
            "--peer", type=int, default=None, help="Forma de comparación: N indicadores × 12 meses, un valor cada uno."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["peer"]:
                policy = generate_peer(
                    indicators=options["peer"], policy_code=options["policy_code"], seed=options["seed"]
                )
                self.stdout.write(f"Política {policy.code}: {options['peer']} indicadores × 12 meses.")
                return
            shape = Shape(
                years=options["years"],
                start_year=options["start_year"],
                institutions=options["institutions"],
                lines=options["lines"],
                indicators=options["indicators"],
            )
            result = generate(
                facts=options["facts"],
                seed=options["seed"],
                policy_code=options["policy_code"] or "PM-ESCALA",
                shape=shape,
                drop_fact_indexes=options["drop_fact_indexes"],
                log=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
        self.stdout.write(
            f"Política {result.policy.code}: {result.facts} datos aprobados, {result.indicator_values} valores de "
            f"indicador, {result.action_reports} avances de líneas de acción ({times})."
        )
