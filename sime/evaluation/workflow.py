"""The evaluation follow-up's workflows: states and transitions, in one place.

An evaluation: Planificada → En curso → Concluida → Publicada.

A management response (one per recommendation and addressed institution), like the instrument:
Pendiente → (the técnico submits) En visto bueno → (planificación gives the visto bueno) Enviada →
DEPM validates it (Validada) or returns it (Devuelta con observaciones → submitted again). An
institution exempt from the planning visto bueno goes from Pendiente straight to Enviada.

An improvement action's closure, once its response is validated: the focal points report it
completed or no longer applicable (Cierre reportado); DEPM validates the closure or returns it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Planificada")
    IN_PROGRESS = "in_progress", _("En curso")
    CONCLUDED = "concluded", _("Concluida")
    PUBLISHED = "published", _("Publicada")


EVALUATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EvaluationStatus.IN_PROGRESS: (EvaluationStatus.PLANNED,),
    EvaluationStatus.CONCLUDED: (EvaluationStatus.IN_PROGRESS,),
    EvaluationStatus.PUBLISHED: (EvaluationStatus.CONCLUDED,),
}

# Institutions answer once the evaluators have concluded: before that there is nothing to answer.
ANSWERABLE = frozenset({EvaluationStatus.CONCLUDED, EvaluationStatus.PUBLISHED})


class ResponseStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente de respuesta")
    AWAITING_SIGNOFF = "awaiting_signoff", _("En visto bueno")
    SENT = "sent", _("Enviada")
    VALIDATED = "validated", _("Validada")
    RETURNED = "returned", _("Devuelta con observaciones")


class ResponseTransition(models.TextChoices):
    SUBMIT = "submit", _("Enviar a visto bueno")
    SEND_BACK = "send_back", _("Regresar al enlace técnico")
    SIGN_OFF = "sign_off", _("Dar visto bueno y enviar")
    VALIDATE = "validate", _("Validar")
    RETURN = "return", _("Devolver con observaciones")


RESPONSE_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ResponseTransition.SUBMIT: ((ResponseStatus.PENDING, ResponseStatus.RETURNED), ResponseStatus.AWAITING_SIGNOFF),
    ResponseTransition.SEND_BACK: ((ResponseStatus.AWAITING_SIGNOFF,), ResponseStatus.PENDING),
    ResponseTransition.SIGN_OFF: ((ResponseStatus.AWAITING_SIGNOFF,), ResponseStatus.SENT),
    ResponseTransition.VALIDATE: ((ResponseStatus.SENT,), ResponseStatus.VALIDATED),
    ResponseTransition.RETURN: ((ResponseStatus.SENT,), ResponseStatus.RETURNED),
}

# The institution writes its answer and plan only while the response is with it.
RESPONSE_EDITABLE = frozenset({ResponseStatus.PENDING, ResponseStatus.RETURNED})


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Acepta")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Acepta parcialmente")
    REJECTED = "rejected", _("No acepta")


# Accepting (in full or in part) commits the institution to an improvement plan.
NEEDS_PLAN = frozenset({Decision.ACCEPTED, Decision.PARTIALLY_ACCEPTED})
NEEDS_JUSTIFICATION = frozenset({Decision.PARTIALLY_ACCEPTED, Decision.REJECTED})


class ActionStatus(models.TextChoices):
    """What the institution reports. *Vencida* is not here: it is computed from the due date."""

    NOT_STARTED = "not_started", _("No iniciada")
    IN_PROGRESS = "in_progress", _("En proceso")
    COMPLETED = "completed", _("Completada")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("Ya no aplica")


CLOSING_STATUSES = frozenset({ActionStatus.COMPLETED, ActionStatus.NO_LONGER_APPLICABLE})
OVERDUE = "overdue"
OVERDUE_LABEL = _("Vencida")


class Closure(models.TextChoices):
    NONE = "", _("Sin cierre")
    REPORTED = "reported", _("Cierre reportado")
    VALIDATED = "validated", _("Cierre validado")
    RETURNED = "returned", _("Cierre devuelto")


# Progress is reported while the action is open or its closure came back.
PROGRESS_EDITABLE = frozenset({Closure.NONE, Closure.RETURNED})


class InvalidTransition(Exception):
    def __init__(self, transition: str, status: str) -> None:
        self.transition, self.status = transition, status
        super().__init__(f"{transition} from {status}")


def response_target(transition: str, status: str) -> str:
    sources, target = RESPONSE_TRANSITIONS[transition]
    if status not in sources:
        raise InvalidTransition(transition, status)
    return target


def evaluation_target(status: str, target: str) -> str:
    if status not in EVALUATION_TRANSITIONS.get(target, ()):
        raise InvalidTransition(target, status)
    return target


def response_moves_from(status: str) -> list[str]:
    return [name for name, (sources, _target) in RESPONSE_TRANSITIONS.items() if status in sources]
