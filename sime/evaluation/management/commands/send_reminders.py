"""`python manage.py send_reminders` — safe from cron: a second run the same day sends nothing.

It lives in the highest app that reminds (evaluation) so that it can call both the reporting
cycle's reminders and the evaluation follow-up's, while neither app imports the other upward.
Being the daily command, it also deletes the in-app notifications read long ago."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sime.evaluation.reminders import send_followup_reminders
from sime.notifications.services import delete_read_notifications
from sime.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Envía los recordatorios de cierre de periodo y de seguimiento de evaluaciones "
        "(respuestas pendientes o a la espera del visto bueno de planificación, acciones de mejora por vencer "
        "o vencidas) a los enlaces institucionales, "
        "y borra las notificaciones leídas hace más de NOTIFICATIONS_KEEP_READ_DAYS días."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fecha", help="Fecha de referencia AAAA-MM-DD (por defecto, hoy).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["fecha"]:
            try:
                today = dt.date.fromisoformat(options["fecha"])
            except ValueError as error:
                raise CommandError("Fecha no válida: use AAAA-MM-DD.") from error
        periods = send_reminders(today)
        followup = send_followup_reminders(today)
        total = periods + followup
        self.stdout.write(f"Recordatorios encolados: {total} (periodos: {periods}, seguimiento: {followup})")
        # Retention counts from now, whatever --fecha says (it only moves the reminders' calendar).
        cutoff = timezone.now() - dt.timedelta(days=settings.NOTIFICATIONS_KEEP_READ_DAYS)
        deleted = delete_read_notifications(created_before=cutoff)
        self.stdout.write(f"Notificaciones leídas borradas: {deleted}")
