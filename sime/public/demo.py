"""Demo publication: the older approved demo period is on the portal, the newer one waits for DEPM."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sime.public import services
from sime.public.models import Publication
from sime.reporting.models import ReportingPeriod
from sime.reporting.workflow import Status

if TYPE_CHECKING:
    from sime.accounts.models import User


def load_publications(analyst: User) -> ReportingPeriod | None:
    """Publish the oldest period with approved instruments, once (idempotent: nothing if any
    publication exists)."""
    if Publication.objects.exists():
        return None
    period = (
        ReportingPeriod.objects.filter(submissions__status=Status.APPROVED).order_by("ends_on", "pk").distinct().first()
    )
    if period is None:
        return None
    services.publish(by=analyst, target=period)
    return period
