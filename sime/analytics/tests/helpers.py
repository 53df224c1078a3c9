"""Growing the `monitoring` cast: more lines of action, indicators and approved years, all through
the reporting services (open, fill, sign, send, review, approve), as people do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sime.conftest import Cast, approve_instrument
from sime.policy.models import Action, IndicatorTarget
from sime.policy.tests.factories import make_indicator, make_node
from sime.reporting import services


def grow(cast: Cast, *, indicators: int, years: tuple[int, ...] = (2024, 2025)) -> None:
    """Bring the framework to `indicators` indicators (one new line of action led by MINEX for each
    new one, with a target of 100 a year) and approve MINEX's instrument of each of `years`."""
    strategic = cast.action_node.parent
    for number in range(2, indicators + 1):
        node = make_node(cast.policy, cast.action_node.level, f"1.1.{number + 1}", strategic, order=10 + number)
        Action.objects.create(node=node, lead_institution=cast.home)
        indicator = make_indicator(node, f"IND-{number}", cast.home)
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=year, value=Decimal(100)) for year in (*years, 2026)
        )
    for year in years:
        period = services.create_period(
            by=cast.admin,
            policy=cast.policy,
            kind="year",
            year=year,
            number=1,
            opens_on=dt.date(year, 12, 1),
            closes_on=dt.date(year + 1, 1, 31),
        )
        services.open_period(by=cast.admin, period=period)
        submission = period.submissions.get(institution=cast.home)
        for item in submission.indicatorvalue_items.all():
            services.save_item(by=cast.technical, item=item, values={"value": Decimal(70)}, version=item.version)
        for item in submission.actionprogress_items.all():
            services.save_item(
                by=cast.technical,
                item=item,
                values={
                    "status": "in_progress",
                    "progress_percent": Decimal(20),
                    "budget_allocated": Decimal("100.00"),
                    "budget_executed": Decimal("10.00"),
                    "beneficiaries_total": 5,
                },
                version=item.version,
            )
        approve_instrument(cast, submission, technical=cast.technical, planning=cast.planning)
