"""Publishing and unpublishing: the only writes of the public portal's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sime.accounts.permissions import require
from sime.activities.models import Activity, Project
from sime.core.audit import record_event
from sime.public import selectors
from sime.public.models import TARGET_FIELD, Publication, PublicationKind
from sime.reporting.models import ReportingPeriod

if TYPE_CHECKING:
    from sime.accounts.models import User


def _kind_of(target: Model) -> PublicationKind:
    if isinstance(target, ReportingPeriod):
        return PublicationKind.PERIOD
    if isinstance(target, Project):
        return PublicationKind.PROJECT
    if isinstance(target, Activity):
        return PublicationKind.EVENT
    raise TypeError(f"{type(target).__name__} is not publishable")


def _check_publishable(kind: PublicationKind, target: Model, current: Publication | None) -> None:
    if kind == PublicationKind.PERIOD:
        assert isinstance(target, ReportingPeriod)
        state = selectors.period_publication_state(target, current)
        if not state.approved:
            raise ValidationError(_("El periodo no tiene instrumentos aprobados: no hay cifras que publicar."))
        if current is not None and not state.approved_since:
            raise ValidationError(_("El periodo ya está publicado y no tiene aprobaciones posteriores."))
    elif current is not None:
        raise ValidationError(_("Ya está publicado."))


@transaction.atomic
def publish(*, by: User, target: Model) -> Publication:
    """Publish a period's approved figures, a project's summary or an event.

    Publishing a period again (after later approvals) replaces its current publication, which is
    kept as ended, so the list shows every publication made."""
    require(by, "public.publish")
    kind = _kind_of(target)
    field = TARGET_FIELD[kind]
    current = Publication.objects.current().select_for_update().filter(**{field: target}).first()
    _check_publishable(kind, target, current)
    now = timezone.now()
    if current is not None:
        current.unpublished_at, current.unpublished_by = now, by
        current.unpublish_reason = _("Sustituida por la publicación del %(date)s.") % {
            "date": date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT")
        }
        current.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    publication = Publication.objects.create(kind=kind, published_at=now, published_by=by, **{field: target})
    record_event(
        publication,
        "publication.published",
        by=by,
        data={"kind": kind, "object": str(target), "object_id": target.pk, "replaces": getattr(current, "pk", None)},
    )
    return publication


@transaction.atomic
def unpublish(*, by: User, publication: Publication, reason: str) -> Publication:
    """Take a publication off the portal; the reason is required and kept."""
    require(by, "public.publish")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not publication.is_current:
        raise ValidationError(_("Esta publicación ya fue retirada."))
    if not reason.strip():
        raise ValidationError({"reason": _("Escriba el motivo del retiro.")})
    publication.unpublished_at, publication.unpublished_by = timezone.now(), by
    publication.unpublish_reason = reason.strip()
    publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    record_event(
        publication,
        "publication.unpublished",
        by=by,
        data={"kind": publication.kind, "object": str(publication.target), "reason": publication.unpublish_reason},
    )
    return publication
