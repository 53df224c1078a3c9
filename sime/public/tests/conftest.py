"""Published data for the public side's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sime.activities.models import Participant
from sime.conftest import Cast, approve_instrument
from sime.policy.models import DisaggregationCategory, DisaggregationDimension, IndicatorTarget
from sime.public import services
from sime.reporting import services as reporting

D = Decimal


def _fill_2025(cast: Cast, *, value: int = 23, women: int = 20, men: int = 3, percent: str = "25") -> Any:
    """MINEX's 2025 instrument approved: IND-1 = `value` (sexo M `women`, H `men`), line 1.1.1 in
    progress at `percent` %. Returns the period."""
    period = reporting.create_period(
        by=cast.admin,
        policy=cast.policy,
        kind="year",
        year=2025,
        number=1,
        opens_on=dt.date(2025, 12, 1),
        closes_on=dt.date(2026, 1, 31),
    )
    reporting.open_period(by=cast.admin, period=period)
    submission = period.submissions.get(institution=cast.home)
    item = submission.indicatorvalue_items.get()
    values = {"value": D(value), "disaggregated": {"sexo": {"M": str(women), "H": str(men)}}}
    reporting.save_item(by=cast.technical, item=item, values=values, version=item.version)
    line = submission.actionprogress_items.get()
    line_values = {"status": "in_progress", "progress_percent": D(percent)}
    reporting.save_item(by=cast.technical, item=line, values=line_values, version=line.version)
    approve_instrument(cast, submission, technical=cast.technical, planning=cast.planning)
    return period


@pytest.fixture
def published(monitoring: Cast) -> Cast:
    """2025 approved and published (IND-1 = 23: 20 women, 3 men; line 1.1.1 at 25 %); 2026 approved
    and not published (IND-1 = 60, 40 %); MINGOB's 2026 instrument a draft («Sin fondos», 5 %); the
    launch event published (120 people, 80 government, 25 civil society) with one participant."""
    cast = monitoring
    sexo = DisaggregationDimension.objects.create(code="sexo", name="Sexo", order=1)
    DisaggregationCategory.objects.create(dimension=sexo, code="M", name="Mujer", order=1)
    DisaggregationCategory.objects.create(dimension=sexo, code="H", name="Hombre", order=2)
    cast.indicator.dimensions.set([sexo])
    IndicatorTarget.objects.create(indicator=cast.indicator, year=2025, value=D(50))
    cast.published_period = _fill_2025(cast)
    services.publish(by=cast.analyst, target=cast.published_period)
    Participant.objects.create(activity=cast.activity, name="Juana Participante", contact="juana@example.org")
    services.publish(by=cast.analyst, target=cast.activity)
    return cast
