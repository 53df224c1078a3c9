"""Deadline reminders: who gets one today, recorded so that a second run the same day sends nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from sime.reporting import tasks
from sime.reporting.models import PeriodStatus, ReminderKind, ReminderLog, Submission
from sime.reporting.notifications import focal_points
from sime.reporting.workflow import EDITABLE


def reminder_kind(closes_on: dt.date, today: dt.date) -> str | None:
    """Which reminder (if any) is due today: N days before, on the closing day, or weekly once overdue."""
    days_left = (closes_on - today).days
    if days_left in settings.REPORTING_REMINDER_DAYS_BEFORE:
        return ReminderKind.BEFORE
    if days_left == 0:
        return ReminderKind.CLOSING_DAY
    if days_left < 0 and (-days_left) % 7 == 1:
        return ReminderKind.OVERDUE
    return None


def send_reminders(today: dt.date) -> int:
    """Queue today's reminders for instruments not yet sent; returns how many e-mails were queued."""
    queued = 0
    pending = Submission.objects.filter(period__status=PeriodStatus.OPEN, status__in=EDITABLE).select_related("period")
    for submission in pending.order_by("pk"):
        kind = reminder_kind(submission.period.closes_on, today)
        if kind is None:
            continue
        fresh: list[int] = []
        for person in focal_points(submission):
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(submission=submission, recipient=person, kind=kind, sent_on=today)
            except IntegrityError:  # already reminded today: the unique constraint makes runs idempotent
                continue
            fresh.append(person.pk)
        if fresh:
            tasks.send_reminder.enqueue(submission.pk, fresh, kind, today.isoformat())
            queued += len(fresh)
    return queued
