"""`python manage.py load_demo` — catalogues and demo data of every app, idempotent.

It lives in the highest app with demo data (public) so that it can call each app's loader."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sime.evaluation.demo import load_evaluations
from sime.institutions.demo import DEMO_USERS, load_demo
from sime.policy.demo import load_policy
from sime.public.demo import load_publications
from sime.reporting.demo import demo_reviewers, load_history, load_reporting


class Command(BaseCommand):
    help = "Carga los catálogos y datos de demostración (idempotente) y, en DEBUG, un usuario por rol."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="sime-demo-2026", help="Contraseña de los usuarios demo.")
        parser.add_argument(
            "--no-users", action="store_true", help="No crear usuarios de demostración (solo catálogos)."
        )
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Crear usuarios demo aunque DEBUG esté apagado (nunca en producción).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_users = not options["no_users"]
        if with_users and not settings.DEBUG and not options["allow_demo_users"]:
            raise CommandError(
                "Los usuarios demo tienen una contraseña conocida: con DEBUG apagado use "
                "--no-users, o --allow-demo-users en una máquina de demostración."
            )
        result = load_demo(with_users=with_users, password=options["password"])
        policy = load_policy()
        # A planned period to try the reporting cycle: demo machines only, never with --no-users.
        period = load_reporting() if with_users else None
        # Two approved periods, so that monitoring has figures to show.
        reviewers = demo_reviewers() if with_users else None
        history = load_history(*reviewers) if reviewers else []
        # An evaluation with its recommendations and a response under way, to try the follow-up.
        evaluation = load_evaluations() if with_users else None
        # The older approved period on the public portal; the newer one left for DEPM to publish.
        published = load_publications(reviewers[1]) if reviewers else None
        self.stdout.write(
            f"Departamentos nuevos: {result['departments']} · instituciones nuevas: {result['institutions']}"
            f" · usuarios nuevos: {result['users']}"
            f" · política de demostración: {'cargada' if policy else 'ya existía'}"
            f" · periodo de reporte: {period.code if period else '—'}"
            f" · periodos aprobados nuevos: {', '.join(p.code for p in history) or '—'}"
            f" · evaluación de demostración: {evaluation.code if evaluation else '—'}"
            f" · periodo publicado en el portal: {published.code if published else '—'}"
        )
        if with_users:
            password = options["password"]
            self.stdout.write(f"\nUsuarios de demostración (contraseña: {password}):")
            for demo in DEMO_USERS:
                where = f" — {demo.institution}" if demo.institution else ""
                self.stdout.write(f"  {demo.role.label:<26} {demo.email}{where}")
