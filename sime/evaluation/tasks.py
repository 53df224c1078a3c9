"""Background work of the evaluation follow-up (django-tasks): look up by id, send, nothing else."""

from __future__ import annotations

from django_tasks import task

from sime.evaluation import notifications


@task()
def notify_concluded(evaluation_id: int, response_ids: list[int] | None = None) -> int:
    return notifications.send_concluded(evaluation_id, response_ids)


@task()
def notify_response_step(response_id: int, step: str) -> int:
    return notifications.send_response_step(response_id, step)


@task()
def notify_closure_step(action_id: int, step: str) -> int:
    return notifications.send_closure_step(action_id, step)


@task()
def send_followup_reminder(
    user_ids: list[int], kind: str, response_id: int, action_id: int | None, sent_on: str | None = None
) -> int:
    return notifications.send_reminder(user_ids, kind, response_id, action_id, sent_on)
