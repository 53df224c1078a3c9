"""Background work of the reporting cycle (django-tasks): look up by id, send, nothing else."""

from __future__ import annotations

from django_tasks import task

from sime.reporting import notifications


@task()
def notify_step(submission_id: int, step: str) -> int:
    return notifications.send_step(submission_id, step)


@task()
def notify_period_opened(submission_ids: list[int]) -> int:
    return sum(notifications.send_step(pk, "opened") for pk in submission_ids)


@task()
def send_reminder(submission_id: int, user_ids: list[int], kind: str, sent_on: str | None = None) -> int:
    return notifications.send_reminder(submission_id, user_ids, kind, sent_on)
