"""Demo data of the reporting cycle: one planned period of the demo policy, ready to be opened."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sime.policy.models import Policy
from sime.reporting.models import ReportingPeriod
from sime.reporting.periods import period_code, period_dates, period_name

DEMO_KIND = "four_month"


def load_reporting(today: dt.date | None = None) -> ReportingPeriod | None:
    """The current cuatrimestre as a planned period, receiving for 30 days from today (idempotent)."""
    policy = Policy.objects.order_by("pk").first()
    if policy is None:
        return None
    today = today or timezone.localdate()
    number = (today.month - 1) // 4 + 1
    starts_on, ends_on = period_dates(DEMO_KIND, today.year, number)
    period, _created = ReportingPeriod.objects.get_or_create(
        policy=policy,
        code=period_code(DEMO_KIND, today.year, number),
        defaults={
            "name": period_name(DEMO_KIND, today.year, number),
            "kind": DEMO_KIND,
            "year": today.year,
            "number": number,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=30),
        },
    )
    return period
