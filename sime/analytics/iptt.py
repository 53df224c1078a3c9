"""The IPTT (indicator performance tracking table): indicators × periods with baseline, target,
actual, % of target and status. One shape for the page, the .xlsx and .csv exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sime.analytics.figures import FrameworkProgress, IndicatorProgress, PeriodInfo, PeriodPoint


@dataclass(frozen=True)
class IpttRow:
    item: IndicatorProgress
    cells: tuple[PeriodPoint | None, ...]  # one per column period (None: the indicator is not due then)

    @property
    def indicator(self):  # type: ignore[no-untyped-def]
        return self.item.indicator

    @property
    def baseline(self) -> Decimal | None:
        return self.item.indicator.baseline_value


@dataclass(frozen=True)
class IpttTable:
    periods: tuple[PeriodInfo, ...]
    rows: tuple[IpttRow, ...]
    year: int | None


def iptt_table(progress: FrameworkProgress, *, year: int | None = None) -> IpttTable:
    """Rows for every indicator of `progress` (built `with_points=True`), columns for the periods
    up to the reading date (of `year` only, when given)."""
    periods = tuple(p for p in progress.periods if p.ends_on <= progress.until and (year is None or p.year == year))
    rows = []
    for item in progress.indicators:
        by_period = {point.period.pk: point for point in item.points}
        rows.append(IpttRow(item, tuple(by_period.get(p.pk) for p in periods)))
    return IpttTable(periods, tuple(rows), year)
