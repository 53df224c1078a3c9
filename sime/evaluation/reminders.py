"""Follow-up reminders: responses not given, responses awaiting the planning visto bueno and
improvement actions due soon or overdue, recorded so that a second run the same day sends nothing
(the reporting reminders' rule: N days before the date, on the day, then weekly once it has passed).

A response still with the institution reminds both focal points; once the técnico has submitted it,
only planificación can move it (give the visto bueno or send it back), so only she is reminded.
A closure reported by the institution goes to DEPM without a visto bueno: nothing waits on her there.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from sime.accounts.roles import FOCAL_ROLES, Role
from sime.evaluation import tasks
from sime.evaluation.models import FollowUpReminderKind, FollowUpReminderLog, ImprovementAction, Response
from sime.evaluation.notifications import focal_points
from sime.evaluation.workflow import ANSWERABLE, CLOSING_STATUSES, PROGRESS_EDITABLE, RESPONSE_EDITABLE, ResponseStatus
from sime.reporting.models import ReminderKind
from sime.reporting.reminders import reminder_kind


def _log_once(
    people: list[int], today: dt.date, kind: str, response: Response, action: ImprovementAction | None
) -> list[int]:
    fresh = []
    for person in people:
        try:
            with transaction.atomic():
                FollowUpReminderLog.objects.create(
                    recipient_id=person, response=response, action=action, kind=kind, sent_on=today
                )
        except IntegrityError:  # already reminded today: the unique constraints make runs idempotent
            continue
        fresh.append(person)
    return fresh


def send_followup_reminders(today: dt.date) -> int:
    """Queue today's follow-up reminders; returns how many e-mails were queued."""
    queued = 0
    pending = (
        Response.objects.filter(
            status__in=[*RESPONSE_EDITABLE, ResponseStatus.AWAITING_SIGNOFF],
            recommendation__evaluation__status__in=ANSWERABLE,
            recommendation__evaluation__responses_due_on__isnull=False,
        )
        .select_related("recommendation__evaluation")
        .order_by("pk")
    )
    for response in pending:
        due = response.recommendation.evaluation.responses_due_on
        if due is None or reminder_kind(due, today) is None:
            continue
        if response.status == ResponseStatus.AWAITING_SIGNOFF:
            kind, roles = FollowUpReminderKind.SIGNOFF_PENDING, frozenset({Role.FOCAL_PLANNING})
        else:
            kind, roles = FollowUpReminderKind.RESPONSE_PENDING, FOCAL_ROLES
        people = [person.pk for person in focal_points(response.institution_id, roles)]
        fresh = _log_once(people, today, kind, response, None)
        if fresh:
            tasks.send_followup_reminder.enqueue(fresh, kind.value, response.pk, None, today.isoformat())
            queued += len(fresh)
    actions = (
        ImprovementAction.objects.filter(response__status=ResponseStatus.VALIDATED, closure__in=PROGRESS_EDITABLE)
        .exclude(status__in=CLOSING_STATUSES)
        .select_related("response")
        .order_by("pk")
    )
    for action in actions:
        when = reminder_kind(action.due_on, today)
        if when is None:
            continue
        kind = FollowUpReminderKind.ACTION_OVERDUE if when == ReminderKind.OVERDUE else FollowUpReminderKind.ACTION_DUE
        people = [person.pk for person in focal_points(action.response.institution_id)]
        fresh = _log_once(people, today, kind, action.response, action)
        if fresh:
            tasks.send_followup_reminder.enqueue(fresh, kind.value, action.response_id, action.pk, today.isoformat())
            queued += len(fresh)
    return queued
