"""Every monitoring rule, in one module (explained in docs/aggregation.md).

Pure functions over Decimals: no database, no Django models. The progress builder
(`sime.analytics.progress`) feeds them the approved facts; pages, API, exports and the
monitoring report all read figures from that builder, so nothing else computes a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
PERCENT_PLACES = Decimal("0.01")
VALUE_PLACES = Decimal("0.0001")

# Indicator vocabulary (the values of sime.policy.models choices, kept as plain strings here so
# the rules stay free of the ORM).
SUM, CUMULATIVE, AVERAGE, MAX, LATEST = "sum", "cumulative", "average", "max", "latest"
COUNT, PERCENTAGE, YES_NO, MILESTONE = "count", "percentage", "yes_no", "milestone"
INCREASE, DECREASE, MAINTAIN = "increase", "decrease", "maintain"
FLOWS = frozenset({SUM, CUMULATIVE})
STEP_MEASURES = frozenset({YES_NO, MILESTONE})


class ProgressStatus(models.TextChoices):
    MET = "met", _("Meta cumplida")
    ON_TRACK = "on_track", _("En ruta")
    AT_RISK = "at_risk", _("En riesgo")
    BEHIND = "behind", _("Rezagado")
    NO_DATA = "no_data", _("Sin dato")
    NO_TARGET = "no_target", _("Sin meta")


# Worst first: the order in which lists put statuses that need attention.
STATUS_ORDER = [
    ProgressStatus.BEHIND,
    ProgressStatus.AT_RISK,
    ProgressStatus.ON_TRACK,
    ProgressStatus.MET,
    ProgressStatus.NO_DATA,
    ProgressStatus.NO_TARGET,
]


@dataclass(frozen=True)
class Thresholds:
    """Per policy (Policy.on_track_threshold, at_risk_threshold, maintain_tolerance), in %."""

    on_track: Decimal = Decimal(90)
    at_risk: Decimal = Decimal(70)
    maintain_tolerance: Decimal = Decimal(5)


def _q(value: Decimal, places: Decimal = VALUE_PLACES) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def percentage(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """100 · n / d, to the hundredth; None when the denominator is zero."""
    if not denominator:
        return None
    return _q(numerator * HUNDRED / denominator, PERCENT_PLACES)


# --- One period: the institutions' values combined ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Observation:
    """An indicator's value in one period (all reporting institutions combined)."""

    period_end: dt.date
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # (dimension code, category code) → value
    parts: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reported:
    """One institution's approved value in one period (a total and its parts)."""

    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)


def _add_parts(target: dict[tuple[str, str], Decimal], parts: Mapping[tuple[str, str], Decimal], w: Decimal) -> None:
    for key, value in parts.items():
        target[key] = target.get(key, ZERO) + value * w


def _rank(r: Reported) -> tuple[Decimal, Decimal, Decimal, tuple[tuple[tuple[str, str], Decimal], ...]]:
    return (r.value, r.denominator or ZERO, r.numerator or ZERO, tuple(sorted(r.parts.items())))


def combine_institutions(
    period_end: dt.date, reported: Sequence[Reported], *, aggregation: str, measure_type: str
) -> Observation:
    """Institutions' values in one period → one observation.

    Percentages: Σ numerators / Σ denominators. Yes/no and milestones: the highest step any
    institution reached. Counts: the mean for `average`, the largest for `max`, else the sum.
    """
    if not reported:
        raise ValueError("no values to combine")
    if measure_type == PERCENTAGE and all(r.numerator is not None and r.denominator is not None for r in reported):
        numerator = sum((r.numerator for r in reported if r.numerator is not None), ZERO)
        denominator = sum((r.denominator for r in reported if r.denominator is not None), ZERO)
        value = percentage(numerator, denominator)
        if value is not None:
            parts: dict[tuple[str, str], Decimal] = {}
            if len(reported) == 1:
                parts = dict(reported[0].parts)
            return Observation(period_end, value, numerator, denominator, parts)
    if measure_type in STEP_MEASURES or aggregation == MAX or measure_type == PERCENTAGE:
        # Ties on the value are broken on the rest of the report, so that the institutions' order
        # (the database's, which is unspecified) never decides which parts are shown.
        best = max(reported, key=_rank)
        return Observation(period_end, best.value, best.numerator, best.denominator, dict(best.parts))
    # The mean divides the exact sums once, at the end: multiplying by a rounded 1/n would round
    # a mean that falls exactly half-way between two ten-thousandths down instead of up.
    divisor = Decimal(len(reported)) if aggregation == AVERAGE else Decimal(1)
    combined: dict[tuple[str, str], Decimal] = {}
    for r in reported:
        _add_parts(combined, r.parts, Decimal(1))
    total = sum((r.value for r in reported), ZERO)
    return Observation(period_end, _q(total / divisor), parts={k: _q(v / divisor) for k, v in combined.items()})


def reports_whose_parts_count(reported: Sequence[Reported], *, aggregation: str, measure_type: str) -> list[int]:
    """Which of the institutions' reports (by index, read without their parts) `combine_institutions`
    can take parts from: the rest never change its result, so their parts need not be read.

    A recomputed percentage keeps parts only when a single institution reported; the highest-step,
    largest and rate-only readings keep the best report's, ties on the value broken on the parts
    (so every tied report counts); the others add every report's parts.
    """
    if measure_type == PERCENTAGE and all(r.numerator is not None and r.denominator is not None for r in reported):
        numerator = sum((r.numerator for r in reported if r.numerator is not None), ZERO)
        denominator = sum((r.denominator for r in reported if r.denominator is not None), ZERO)
        if percentage(numerator, denominator) is not None:
            return [0] if len(reported) == 1 else []
    if measure_type in STEP_MEASURES or aggregation == MAX or measure_type == PERCENTAGE:
        best = max(_rank(r)[:3] for r in reported)
        return [i for i, r in enumerate(reported) if _rank(r)[:3] == best]
    return list(range(len(reported)))


def combines_by_sum(*, aggregation: str, measure_type: str) -> bool:
    """Whether institutions combine from their sums alone (so the database may add them up):
    counts that are added or averaged. The others pick one institution's whole report."""
    return measure_type not in STEP_MEASURES and measure_type != PERCENTAGE and aggregation != MAX


def combine_sums(
    period_end: dt.date,
    *,
    total: Decimal,
    count: int,
    parts: Mapping[tuple[str, str], Decimal] | None = None,
    aggregation: str,
) -> Observation:
    """`combine_institutions` for indicators that `combines_by_sum`, from the institutions' sums
    (Σ value and Σ per category over `count` institutions): the same result, without the rows."""
    if aggregation != AVERAGE:  # the common case, without dividing by one
        return Observation(period_end, _q(total), parts={k: _q(v) for k, v in parts.items()} if parts else {})
    divisor = Decimal(count)
    return Observation(period_end, _q(total / divisor), parts={k: _q(v / divisor) for k, v in (parts or {}).items()})


# --- Over periods: a year, the policy horizon ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aggregate:
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    parts: Mapping[tuple[str, str], Decimal]
    periods: int  # how many periods contributed
    last_period_end: dt.date


def _weights(observations: Sequence[Observation], aggregation: str, measure_type: str) -> list[Decimal]:
    """Which periods the aggregate takes (1) and which it leaves out (0); parts use the same
    weights, so they still add up. A mean (`_divisor`) divides the sum of the periods taken."""
    n = len(observations)
    ones = [Decimal(1)] * n
    last = [ZERO] * (n - 1) + [Decimal(1)]
    if measure_type in STEP_MEASURES or aggregation == LATEST:
        return last
    if aggregation == MAX:
        top = max(range(n), key=lambda i: (observations[i].value, -i))
        return [Decimal(1) if i == top else ZERO for i in range(n)]
    return ones


def _divisor(taken: int, aggregation: str, measure_type: str) -> Decimal:
    """n for the mean of a count over n periods (applied once, to the exact sums), else 1."""
    if aggregation == AVERAGE and measure_type not in STEP_MEASURES and measure_type != PERCENTAGE:
        return Decimal(taken)
    return Decimal(1)


def aggregate_periods(observations: Iterable[Observation], *, aggregation: str, measure_type: str) -> Aggregate | None:
    """Period observations → one figure, by the indicator's aggregation (docs/aggregation.md).

    sum and cumulative add the periods; average takes their mean; max the largest period (with its
    parts); latest, yes/no and milestone scales the last period. Percentages are recomputed from the
    summed numerators and denominators of the periods taken, never averaged.
    """
    ordered = sorted(observations, key=lambda o: o.period_end)
    if not ordered:
        return None
    weights = _weights(ordered, aggregation, measure_type)
    taken = [(o, w) for o, w in zip(ordered, weights, strict=True) if w]
    if measure_type == PERCENTAGE and all(o.numerator is not None and o.denominator is not None for o, _w in taken):
        numerator = sum((o.numerator * w for o, w in taken if o.numerator is not None), ZERO)
        denominator = sum((o.denominator * w for o, w in taken if o.denominator is not None), ZERO)
        value = percentage(numerator, denominator)
        if value is not None:
            # A percentage's parts are rates per category without their own numerators: the last period's.
            return Aggregate(value, numerator, denominator, dict(ordered[-1].parts), len(taken), ordered[-1].period_end)
    if measure_type == PERCENTAGE:
        # No numerators to recompute from: the last period's rate, never a mean of rates.
        last = ordered[-1]
        return Aggregate(last.value, None, None, dict(last.parts), 1, last.period_end)
    parts: dict[tuple[str, str], Decimal] = {}
    for o, w in taken:
        _add_parts(parts, o.parts, w)
    value = sum((o.value * w for o, w in taken), ZERO)
    divisor = _divisor(len(taken), aggregation, measure_type)
    return Aggregate(
        _q(value / divisor),
        None,
        None,
        {k: _q(v / divisor) for k, v in parts.items()},
        len(taken),
        ordered[-1].period_end,
    )


def aggregate_prefixes(observations: Sequence[Observation], *, aggregation: str, measure_type: str) -> list[Aggregate]:
    """`aggregate_periods` of every prefix of observations sorted by period end, in one pass
    (the IPTT's year-to-date cells): the i-th item equals `aggregate_periods(observations[: i + 1])`."""
    results: list[Aggregate] = []
    picks_last = measure_type in STEP_MEASURES or aggregation == LATEST
    picks_max = not picks_last and aggregation == MAX
    value_sum = numerator_sum = denominator_sum = ZERO
    all_ratios = True
    parts_sum: dict[tuple[str, str], Decimal] = {}
    best: Observation | None = None
    for count, observation in enumerate(observations, start=1):
        if picks_last or picks_max:
            if picks_last or best is None or observation.value > best.value:
                best = observation
            taken: list[Observation] = [best]
        else:
            value_sum += observation.value
            all_ratios = all_ratios and observation.numerator is not None and observation.denominator is not None
            if all_ratios:
                numerator_sum += observation.numerator or ZERO
                denominator_sum += observation.denominator or ZERO
            _add_parts(parts_sum, observation.parts, Decimal(1))
            taken = []
        last = observation
        size = 1 if (picks_last or picks_max) else count
        if measure_type == PERCENTAGE:
            if picks_last or picks_max:
                ratio = taken[0].numerator is not None and taken[0].denominator is not None
                numerator, denominator = taken[0].numerator or ZERO, taken[0].denominator or ZERO
            else:
                ratio, numerator, denominator = all_ratios, numerator_sum, denominator_sum
            value = percentage(numerator, denominator) if ratio else None
            if value is not None:
                results.append(Aggregate(value, numerator, denominator, dict(last.parts), size, last.period_end))
            else:
                results.append(Aggregate(last.value, None, None, dict(last.parts), 1, last.period_end))
            continue
        divisor = _divisor(size, aggregation, measure_type)
        total, parts = (taken[0].value, taken[0].parts) if taken else (value_sum, parts_sum)
        results.append(
            Aggregate(
                _q(total / divisor),
                None,
                None,
                {k: _q(v / divisor) for k, v in parts.items()},
                size,
                last.period_end,
            )
        )
    return results


def year_window(
    observations: Sequence[Observation], *, aggregation: str, year: int, until: dt.date
) -> list[Observation]:
    """The observations a year's figure counts at `until`: since the start for cumulative
    indicators, else that year's."""
    if aggregation == CUMULATIVE:
        return [o for o in observations if o.period_end <= until]
    return [o for o in observations if o.period_end.year == year and o.period_end <= until]


def horizon_target(targets: Mapping[int, Decimal], *, aggregation: str, measure_type: str) -> Decimal | None:
    """The policy horizon's target: the sum of yearly targets for sum indicators, else the last year's."""
    if not targets:
        return None
    if aggregation == SUM and measure_type == COUNT:
        return sum(targets.values(), ZERO)
    return targets[max(targets)]


# --- Progress against target ---------------------------------------------------------------------


def elapsed_fraction(*, aggregation: str, measure_type: str, frequency: str, period_end: dt.date) -> Decimal:
    """Share of the year's target expected by `period_end`: pro-rated by months for sum and cumulative
    counts reported more often than yearly; 1 otherwise (and in December)."""
    if measure_type == COUNT and aggregation in FLOWS and frequency != "annual":
        return Decimal(period_end.month) / 12
    return Decimal(1)


@dataclass(frozen=True, slots=True)
class Progress:
    actual: Decimal | None
    target: Decimal | None
    baseline: Decimal | None
    expected: Decimal | None  # the value expected by the period's end
    percent: Decimal | None  # progress towards the target, in %
    expected_percent: Decimal | None  # the progress expected by now, in %
    status: ProgressStatus

    @property
    def is_concerning(self) -> bool:
        return self.status in (ProgressStatus.BEHIND, ProgressStatus.AT_RISK)


def _status_from_ratio(ratio: Decimal, thresholds: Thresholds) -> ProgressStatus:
    if ratio * HUNDRED >= thresholds.on_track:
        return ProgressStatus.ON_TRACK
    if ratio * HUNDRED >= thresholds.at_risk:
        return ProgressStatus.AT_RISK
    return ProgressStatus.BEHIND


def measure_progress(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None,
    direction: str,
    aggregation: str,
    fraction: Decimal = Decimal(1),
    previous_target: Decimal | None = None,
    thresholds: Thresholds | None = None,
) -> Progress:
    """Progress of an actual against the year's target, with the indicator's direction.

    increase: (actual − baseline) / (target − baseline); decrease: its mirror; maintain: within
    ± tolerance of the target. Inside the year (fraction < 1), sum indicators compare against the
    pro-rated target and baseline (both are yearly flows); cumulative ones against the path from the
    previous year's target (or the baseline) to this year's.
    """
    thresholds = thresholds or Thresholds()
    if actual is None:
        return Progress(None, target, baseline, None, None, None, ProgressStatus.NO_DATA)
    if target is None:
        return Progress(actual, None, baseline, None, None, None, ProgressStatus.NO_TARGET)
    base = baseline if baseline is not None else ZERO
    year_done = fraction >= 1
    if aggregation == SUM and not year_done:
        expected, reference = target * fraction, base * fraction
    elif aggregation == CUMULATIVE and not year_done:
        start = previous_target if previous_target is not None else base
        expected, reference = start + (target - start) * fraction, base
    else:
        expected, reference = target, base

    if direction == MAINTAIN:
        percent = percentage(actual, expected) if expected else None
        deviation = abs(actual - expected) * HUNDRED / abs(expected) if expected else abs(actual) * HUNDRED
        if deviation <= thresholds.maintain_tolerance:
            status = ProgressStatus.MET if year_done else ProgressStatus.ON_TRACK
        elif deviation <= 2 * thresholds.maintain_tolerance:
            status = ProgressStatus.AT_RISK
        else:
            status = ProgressStatus.BEHIND
        return Progress(actual, target, baseline, _q(expected, PERCENT_PLACES), percent, HUNDRED, status)

    sign = Decimal(1) if direction == INCREASE else Decimal(-1)
    span_to_target = (target - base) * sign
    span_expected = (expected - reference) * sign
    if span_to_target > 0:
        # For sum indicators inside the year the reference is the pro-rated baseline, so that a
        # yearly flow is not measured against a whole year's baseline after a few months.
        percent = _q((actual - reference) * sign * HUNDRED / span_to_target, PERCENT_PLACES)
        expected_percent = _q(span_expected * HUNDRED / span_to_target, PERCENT_PLACES)
    else:
        # No distance to cover (target at or behind the baseline, or no baseline to decrease from):
        # compared with the value expected by now (the pro-rated target inside the year for sums).
        if direction == DECREASE and baseline is None and actual > expected:
            percent = _q(expected * HUNDRED / actual, PERCENT_PLACES)
        else:
            percent = HUNDRED if (actual - expected) * sign >= 0 else ZERO
        expected_percent = HUNDRED
    ratio = percent / expected_percent if expected_percent > 0 else Decimal(1)
    reached = (actual - target) * sign >= 0
    if reached and (direction == INCREASE or year_done):
        status = ProgressStatus.MET
    else:
        status = _status_from_ratio(ratio, thresholds)
    return Progress(actual, target, baseline, _q(expected, PERCENT_PLACES), percent, expected_percent, status)


# --- Roll-up through the tree -----------------------------------------------------------------


def weighted_mean(values: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Σ w·x / Σ w over the values present (None = no data, left out); None when nothing is present."""
    total = weight_sum = ZERO
    for value, weight in values:
        if value is None:
            continue
        total += value * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return _q(total / weight_sum, PERCENT_PLACES)


def worst_status(statuses: Iterable[str]) -> str | None:
    ranked = [s for s in statuses if s]
    if not ranked:
        return None
    return min(ranked, key=lambda s: STATUS_ORDER.index(ProgressStatus(s)))
