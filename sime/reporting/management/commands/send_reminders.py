"""`python manage.py send_reminders` — safe from cron: a second run the same day sends nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sime.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "Envía los recordatorios de cierre de periodo a los enlaces institucionales."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fecha", help="Fecha de referencia AAAA-MM-DD (por defecto, hoy).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["fecha"]:
            try:
                today = dt.date.fromisoformat(options["fecha"])
            except ValueError as error:
                raise CommandError("Fecha no válida: use AAAA-MM-DD.") from error
        count = send_reminders(today)
        self.stdout.write(f"Recordatorios encolados: {count}")
