"""The instrument's workflow: states and the transitions between them, in one place.

Borrador → Enviado → En revisión → Aprobado, or Devuelto con observaciones → (corregido) Enviado.
An Administrador may reopen an approved instrument (with a written reason): it goes back to
Devuelto, so the focal points correct it and send it again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SENT = "sent", _("Enviado")
    IN_REVIEW = "in_review", _("En revisión")
    APPROVED = "approved", _("Aprobado")
    RETURNED = "returned", _("Devuelto con observaciones")


class Transition(models.TextChoices):
    SEND = "send", _("Enviar")
    START_REVIEW = "start_review", _("Iniciar revisión")
    APPROVE = "approve", _("Aprobar")
    RETURN = "return", _("Devolver con observaciones")
    REOPEN = "reopen", _("Reabrir")


TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Transition.SEND: ((Status.DRAFT, Status.RETURNED), Status.SENT),
    Transition.START_REVIEW: ((Status.SENT,), Status.IN_REVIEW),
    Transition.APPROVE: ((Status.IN_REVIEW,), Status.APPROVED),
    Transition.RETURN: ((Status.IN_REVIEW,), Status.RETURNED),
    Transition.REOPEN: ((Status.APPROVED,), Status.RETURNED),
}

# Focal points write only while the instrument is theirs; afterwards it is locked.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class InvalidTransition(Exception):
    def __init__(self, transition: str, status: str) -> None:
        self.transition, self.status = transition, status
        super().__init__(f"{transition} from {status}")


def target_of(transition: str, status: str) -> str:
    sources, target = TRANSITIONS[transition]
    if status not in sources:
        raise InvalidTransition(transition, status)
    return target


def allowed_from(status: str) -> list[str]:
    return [name for name, (sources, _target) in TRANSITIONS.items() if status in sources]
