"""The shapes of the progress builder's answer (`progress.framework_progress`): frozen figures for
pages, API, exports and the monitoring report. Presentation helpers only; no queries, no rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sime.analytics import aggregation as agg
from sime.analytics.aggregation import Aggregate, Observation, Progress, ProgressStatus
from sime.policy.models import Indicator, Policy, PolicyNode
from sime.reporting.models import ActionStatus

ZERO = Decimal(0)
# An action is "delayed" for risk purposes when an institution reports it so.
TROUBLED_ACTION = frozenset({ActionStatus.DELAYED, ActionStatus.SUSPENDED})
ACTION_STATUS_ORDER = [
    ActionStatus.SUSPENDED,
    ActionStatus.DELAYED,
    ActionStatus.NOT_STARTED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.COMPLETED,
]


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    pk: int
    code: str
    name: str
    year: int
    ends_on: dt.date
    closes_on: dt.date


@dataclass(frozen=True, slots=True)
class PeriodPoint:
    """One IPTT cell: the period's value, the year-to-date aggregate and its progress."""

    period: PeriodInfo
    value: Decimal | None
    to_date: Aggregate | None
    progress: Progress


@dataclass
class IndicatorProgress:
    indicator: Indicator
    targets: dict[int, Decimal]
    observations: list[Observation]
    year_aggregate: Aggregate | None
    progress: Progress
    horizon_aggregate: Aggregate | None
    horizon_progress: Progress
    points: list[PeriodPoint] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def target(self) -> Decimal | None:
        return self.progress.target

    def yearly_actuals(self) -> list[tuple[int, Decimal | None]]:
        """Each reported year's figure (the year's aggregate at its end), oldest first."""
        years = sorted({o.period_end.year for o in self.observations})
        result = []
        for year in years:
            window = agg.year_window(
                self.observations, aggregation=self.indicator.aggregation, year=year, until=dt.date(year, 12, 31)
            )
            aggregate = agg.aggregate_periods(
                window, aggregation=self.indicator.aggregation, measure_type=self.indicator.measure_type
            )
            result.append((year, aggregate.value if aggregate else None))
        return result

    def parts_by_dimension(self) -> dict[str, dict[str, Decimal]]:
        """The year aggregate's disaggregation: dimension → category → value (built `with_parts`)."""
        found: dict[str, dict[str, Decimal]] = defaultdict(dict)
        if self.year_aggregate is not None:
            for (dimension, category), value in sorted(self.year_aggregate.parts.items()):
                found[dimension][category] = value
        return dict(found)


@dataclass(frozen=True)
class InstitutionActionReport:
    """An institution's latest approved report on a line of action."""

    institution_id: int
    institution_name: str
    period: PeriodInfo
    status: str
    percent: Decimal | None
    obstacles: str
    budget_allocated: Decimal | None
    budget_executed: Decimal | None

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label) if self.status else ""

    @property
    def is_troubled(self) -> bool:
        return self.status in TROUBLED_ACTION


@dataclass
class NodeProgress:
    node: PolicyNode
    percent: Decimal | None = None
    children: list[NodeProgress] = field(default_factory=list)
    indicators: list[IndicatorProgress] = field(default_factory=list)
    reports: list[InstitutionActionReport] = field(default_factory=list)
    budget_allocated: Decimal = ZERO
    budget_executed: Decimal = ZERO
    # Why the node itself needs attention (a delayed action, an indicator rezagado); empty if fine.
    trouble: list[str] = field(default_factory=list)
    # Chains through the red causal: [troubled upstream node, …, this node].
    inherited_risk: list[list[PolicyNode]] = field(default_factory=list)

    @property
    def is_troubled(self) -> bool:
        return bool(self.trouble)

    @property
    def action_status(self) -> str | None:
        statuses = [r.status for r in self.reports if r.status]
        if not statuses:
            return None
        return min(statuses, key=lambda s: ACTION_STATUS_ORDER.index(ActionStatus(s)))

    @property
    def action_status_label(self) -> str:
        status = self.action_status
        return str(ActionStatus(status).label) if status else ""

    @property
    def worst_indicator_status(self) -> str | None:
        return agg.worst_status(i.status for i in self.indicators)


@dataclass(frozen=True)
class ReportingRate:
    """DHIS2's semantics: expected instruments, received (sent at least once), received on time."""

    period: PeriodInfo
    expected: int
    received: int
    on_time: int
    approved: int

    @property
    def received_percent(self) -> Decimal | None:
        return agg.percentage(Decimal(self.received), Decimal(self.expected)) if self.expected else None

    @property
    def on_time_percent(self) -> Decimal | None:
        return agg.percentage(Decimal(self.on_time), Decimal(self.expected)) if self.expected else None


@dataclass(frozen=True)
class AlignmentGroup:
    code: str
    title: str
    percent: Decimal | None
    nodes: tuple[PolicyNode, ...]
    status_counts: dict[str, int]


@dataclass
class FrameworkProgress:
    policy: Policy
    year: int
    until: dt.date
    periods: list[PeriodInfo]
    roots: list[NodeProgress]
    nodes: dict[int, NodeProgress]
    indicators: list[IndicatorProgress]
    rates: list[ReportingRate]
    beneficiaries: dict[str, dict[str, Decimal]]  # dimension → category → people
    beneficiaries_total: Decimal
    thresholds: agg.Thresholds
    institution_id: int | None = None
    # action id → the co-responsible institutions' ids (the lead is `node.action.lead_institution_id`).
    co_responsible: dict[int, set[int]] = field(default_factory=dict)

    @property
    def percent(self) -> Decimal | None:
        return agg.weighted_mean((root.percent, root.node.weight) for root in self.roots)

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in agg.STATUS_ORDER}
        for item in self.indicators:
            counts[item.status] += 1
        return counts

    @property
    def budget_allocated(self) -> Decimal:
        return sum((root.budget_allocated for root in self.roots), ZERO)

    @property
    def budget_executed(self) -> Decimal:
        return sum((root.budget_executed for root in self.roots), ZERO)

    @property
    def troubled_actions(self) -> list[tuple[NodeProgress, InstitutionActionReport]]:
        found = [(item, report) for item in self.nodes.values() for report in item.reports if report.is_troubled]
        return sorted(found, key=lambda pair: (pair[0].node.order, pair[0].node.code, pair[1].institution_name))

    @property
    def indicators_needing_attention(self) -> list[IndicatorProgress]:
        order = {status: i for i, status in enumerate(agg.STATUS_ORDER)}
        concerning = [item for item in self.indicators if item.progress.is_concerning]
        return sorted(concerning, key=lambda i: (order[ProgressStatus(i.status)], i.progress.percent or ZERO))

    @property
    def nodes_at_inherited_risk(self) -> list[NodeProgress]:
        return [item for item in self.nodes.values() if item.inherited_risk]

    def node(self, pk: int) -> NodeProgress:
        return self.nodes[pk]
