"""The monitoring rules of docs/aggregation.md, tested on the pure functions (no database).

Every expected figure below is worked out by hand from the doc, never read back from the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sime.analytics import aggregation as agg
from sime.analytics.aggregation import Observation, ProgressStatus, Reported, Thresholds

D = Decimal
S = ProgressStatus
END = dt.date(2026, 12, 31)
RULES = settings(max_examples=100, deadline=None)


def q4(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = D(value.numerator) / D(value.denominator)
    return value.quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def q2(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def obs(month: int, value: str, parts: dict[str, str] | None = None, num: str | None = None, den: str | None = None):
    return Observation(
        dt.date(2026, month, 28),
        D(value),
        D(num) if num is not None else None,
        D(den) if den is not None else None,
        {("sexo", k): D(v) for k, v in (parts or {}).items()},
    )


def rep(value: str, parts: dict[str, str] | None = None, num: str | None = None, den: str | None = None) -> Reported:
    return Reported(
        D(value),
        D(num) if num is not None else None,
        D(den) if den is not None else None,
        {("sexo", k): D(v) for k, v in (parts or {}).items()},
    )


def sexo(**values: str) -> dict[tuple[str, str], Decimal]:
    return {("sexo", k): D(v) for k, v in values.items()}


# --- combine_institutions ----------------------------------------------------------------------

A = rep("10", {"M": "4", "H": "6"}, num="10", den="100")
B = rep("5", {"M": "5", "H": "0"}, num="9", den="10")


@pytest.mark.parametrize(
    ("reported", "aggregation", "measure", "value", "parts"),
    [
        ([A, B], "sum", "count", "15", sexo(M="9", H="6")),
        ([A, B], "cumulative", "count", "15", sexo(M="9", H="6")),
        ([A, B], "latest", "count", "15", sexo(M="9", H="6")),
        ([A, B], "average", "count", "7.5", sexo(M="4.5", H="3")),
        ([A, B], "max", "count", "10", sexo(M="4", H="6")),
        (
            [rep("1", {"M": "1"}), rep("1", {"H": "1"}), rep("0")],
            "average",
            "count",
            "0.6667",
            sexo(M="0.3333", H="0.3333"),
        ),
        ([rep("0"), rep("1")], "sum", "yes_no", "1", {}),
        ([rep("2"), rep("3"), rep("1")], "latest", "milestone", "3", {}),
        # Σ numerators / Σ denominators: 19 / 110, never the mean (50 %) of 10 % and 90 %.
        ([A, B], "sum", "percentage", "17.27", {}),
        ([A, B], "average", "percentage", "17.27", {}),
        ([rep("40", {"M": "50"}, num="2", den="5")], "sum", "percentage", "40", sexo(M="50")),
        # Without numerators and denominators there is nothing to recompute: the highest rate.
        ([rep("30"), rep("45")], "sum", "percentage", "45", {}),
    ],
)
def test_combine_institutions(reported, aggregation, measure, value, parts) -> None:
    combined = agg.combine_institutions(END, reported, aggregation=aggregation, measure_type=measure)
    assert combined.value == D(value)
    assert dict(combined.parts) == parts
    assert combined.period_end == END


def test_combined_percentage_keeps_the_summed_numerator_and_denominator() -> None:
    combined = agg.combine_institutions(END, [A, B], aggregation="sum", measure_type="percentage")
    assert (combined.numerator, combined.denominator) == (D(19), D(110))


def test_combining_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        agg.combine_institutions(END, [], aggregation="sum", measure_type="count")


def test_a_max_tie_between_institutions_does_not_depend_on_their_order() -> None:
    first, second = rep("10", {"M": "10"}), rep("10", {"H": "10"})
    one = agg.combine_institutions(END, [first, second], aggregation="max", measure_type="count")
    other = agg.combine_institutions(END, [second, first], aggregation="max", measure_type="count")
    assert one == other


# --- aggregate_periods -------------------------------------------------------------------------

COUNTS = [
    obs(4, "10", {"M": "4", "H": "6"}),
    obs(8, "30", {"M": "20", "H": "10"}),
    obs(12, "20", {"M": "5", "H": "15"}),
]
RATES = [obs(4, "10", {"M": "12"}, num="10", den="100"), obs(8, "90", {"M": "80"}, num="9", den="10")]


@pytest.mark.parametrize(
    ("observations", "aggregation", "measure", "value", "parts", "periods"),
    [
        (COUNTS, "sum", "count", "60", sexo(M="29", H="31"), 3),
        (COUNTS, "cumulative", "count", "60", sexo(M="29", H="31"), 3),
        (COUNTS, "average", "count", "20", sexo(M="9.6667", H="10.3333"), 3),
        (COUNTS, "max", "count", "30", sexo(M="20", H="10"), 1),
        (COUNTS, "latest", "count", "20", sexo(M="5", H="15"), 1),
        # Percentages: recomputed from the periods taken; parts are the last period's rates.
        (RATES, "sum", "percentage", "17.27", sexo(M="80"), 2),
        (RATES, "cumulative", "percentage", "17.27", sexo(M="80"), 2),
        (RATES, "average", "percentage", "17.27", sexo(M="80"), 2),
        (RATES[::-1], "latest", "percentage", "90", sexo(M="80"), 1),
        (RATES, "max", "percentage", "90", sexo(M="80"), 1),
        ([obs(4, "10", num="10", den="100"), obs(8, "90", num="90", den="100")], "sum", "percentage", "50", {}, 2),
        # Yes/no and milestones: the last period's step, whatever the aggregation.
        ([obs(4, "1"), obs(8, "0")], "sum", "yes_no", "0", {}, 1),
        ([obs(4, "2"), obs(8, "3"), obs(12, "1")], "max", "milestone", "1", {}, 1),
    ],
)
def test_aggregate_periods(observations, aggregation, measure, value, parts, periods) -> None:
    result = agg.aggregate_periods(observations, aggregation=aggregation, measure_type=measure)
    assert result is not None
    assert result.value == D(value)
    assert dict(result.parts) == parts
    assert result.periods == periods
    assert result.last_period_end == max(o.period_end for o in observations)


def test_aggregated_percentage_numerator_and_denominator() -> None:
    result = agg.aggregate_periods(RATES, aggregation="sum", measure_type="percentage")
    assert (result.numerator, result.denominator) == (D(19), D(110))
    latest = agg.aggregate_periods(RATES, aggregation="latest", measure_type="percentage")
    assert (latest.numerator, latest.denominator) == (D(9), D(10))


def test_a_percentage_without_numerators_is_the_last_rate_never_a_mean() -> None:
    result = agg.aggregate_periods([obs(4, "10"), obs(8, "60")], aggregation="average", measure_type="percentage")
    assert (result.value, result.numerator, result.periods) == (D(60), None, 1)


def test_nothing_to_aggregate() -> None:
    assert agg.aggregate_periods([], aggregation="sum", measure_type="count") is None


def test_a_max_tie_between_periods_takes_the_first() -> None:
    tied = [obs(4, "30", {"M": "30"}), obs(8, "30", {"H": "30"})]
    result = agg.aggregate_periods(tied, aggregation="max", measure_type="count")
    assert dict(result.parts) == sexo(M="30")


def test_a_mean_exactly_half_way_rounds_up() -> None:
    # Six periods summing to 1000772.5887: the mean is 166795.43145 → 166795.4315 (half up).
    values = ["0.0023", "819014.5798", "0.002", "181757.9976", "0.005", "0.002"]
    periods = [obs(month, value, {"M": value}) for month, value in enumerate(values, start=1)]
    result = agg.aggregate_periods(periods, aggregation="average", measure_type="count")
    assert result.value == D("166795.4315")
    assert dict(result.parts) == sexo(M="166795.4315")
    combined = agg.combine_institutions(END, [rep(v) for v in values], aggregation="average", measure_type="count")
    assert combined.value == D("166795.4315")


# --- horizon_target and elapsed_fraction ----------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "measure", "expected"),
    [
        ("sum", "count", D(250)),
        ("cumulative", "count", D(150)),
        ("average", "count", D(150)),
        ("latest", "count", D(150)),
        ("max", "count", D(150)),
        ("sum", "percentage", D(150)),
    ],
)
def test_horizon_target(aggregation, measure, expected) -> None:
    targets = {2027: D(150), 2026: D(100)}  # not in year order: the last year is the largest key
    assert agg.horizon_target(targets, aggregation=aggregation, measure_type=measure) == expected


def test_no_targets_no_horizon_target() -> None:
    assert agg.horizon_target({}, aggregation="sum", measure_type="count") is None


@pytest.mark.parametrize(
    ("aggregation", "measure", "frequency", "month", "expected"),
    [
        ("sum", "count", "four_monthly", 8, D(8) / 12),
        ("cumulative", "count", "quarterly", 6, D("0.5")),
        ("sum", "count", "monthly", 12, D(1)),
        ("sum", "count", "annual", 6, D(1)),
        ("average", "count", "quarterly", 6, D(1)),
        ("latest", "count", "quarterly", 6, D(1)),
        ("sum", "percentage", "quarterly", 6, D(1)),
        ("sum", "yes_no", "quarterly", 6, D(1)),
    ],
)
def test_elapsed_fraction(aggregation, measure, frequency, month, expected) -> None:
    fraction = agg.elapsed_fraction(
        aggregation=aggregation, measure_type=measure, frequency=frequency, period_end=dt.date(2026, month, 30)
    )
    assert fraction == expected


# --- measure_progress ---------------------------------------------------------------------------

F8 = D(8) / 12


@pytest.mark.parametrize(
    ("case", "expected_value", "percent", "expected_percent", "status"),
    [
        # increase: (A − B) / (T − B)
        ({"actual": 70, "target": 120, "baseline": 20}, "120", "50", "100", S.BEHIND),
        ({"actual": 95, "target": 120, "baseline": 20}, "120", "75", "100", S.AT_RISK),
        ({"actual": 110, "target": 120, "baseline": 20}, "120", "90", "100", S.ON_TRACK),
        ({"actual": 120, "target": 120, "baseline": 20}, "120", "100", "100", S.MET),
        ({"actual": 130, "target": 120, "baseline": None}, "120", "108.33", "100", S.MET),
        # decrease with baseline: (B − A) / (B − T); met only at the year's end
        ({"actual": 150, "target": 100, "baseline": 200, "direction": "decrease"}, "100", "50", "100", S.BEHIND),
        ({"actual": 90, "target": 100, "baseline": 200, "direction": "decrease"}, "100", "110", "100", S.MET),
        # decrease without baseline: 100 when A ≤ T, else T / A
        ({"actual": 80, "target": 100, "baseline": None, "direction": "decrease"}, "100", "100", "100", S.MET),
        ({"actual": 125, "target": 100, "baseline": None, "direction": "decrease"}, "100", "80", "100", S.AT_RISK),
        ({"actual": 200, "target": 100, "baseline": None, "direction": "decrease"}, "100", "50", "100", S.BEHIND),
        # maintain: A / T, met within ± 5 % of T (inclusive), at risk within 10 %
        ({"actual": 83, "target": 80, "baseline": None, "direction": "maintain"}, "80", "103.75", "100", S.MET),
        ({"actual": 84, "target": 80, "baseline": None, "direction": "maintain"}, "80", "105", "100", S.MET),
        ({"actual": 76, "target": 80, "baseline": None, "direction": "maintain"}, "80", "95", "100", S.MET),
        ({"actual": 86, "target": 80, "baseline": None, "direction": "maintain"}, "80", "107.5", "100", S.AT_RISK),
        ({"actual": 90, "target": 80, "baseline": None, "direction": "maintain"}, "80", "112.5", "100", S.BEHIND),
        (
            {
                "actual": 83,
                "target": 80,
                "baseline": None,
                "direction": "maintain",
                "aggregation": "sum",
                "fraction": D("0.5"),
            },
            "40",
            "207.5",
            "100",
            S.BEHIND,
        ),
        (
            {
                "actual": 41,
                "target": 80,
                "baseline": None,
                "direction": "maintain",
                "aggregation": "sum",
                "fraction": D("0.5"),
            },
            "40",
            "102.5",
            "100",
            S.ON_TRACK,
        ),
        # sum inside the year: expected f·T, progress (A − f·B) / (T − B), expected f × 100 %
        (
            {"actual": 700, "target": 1200, "baseline": None, "aggregation": "sum", "fraction": F8},
            "800",
            "58.33",
            "66.67",
            S.AT_RISK,
        ),
        (
            {"actual": 800, "target": 1200, "baseline": None, "aggregation": "sum", "fraction": F8},
            "800",
            "66.67",
            "66.67",
            S.ON_TRACK,
        ),
        (
            {"actual": 1200, "target": 1200, "baseline": None, "aggregation": "sum", "fraction": F8},
            "800",
            "100",
            "66.67",
            S.MET,
        ),
        (
            {"actual": 700, "target": 1200, "baseline": 300, "aggregation": "sum", "fraction": F8},
            "800",
            "55.56",
            "66.67",
            S.AT_RISK,
        ),
        (
            {"actual": 600, "target": 1200, "baseline": 300, "aggregation": "sum", "fraction": F8},
            "800",
            "44.44",
            "66.67",
            S.BEHIND,
        ),
        # a sum decreasing inside the year: baseline and target both pro-rated (60 and 30 by June)
        (
            {
                "actual": 45,
                "target": 60,
                "baseline": 120,
                "direction": "decrease",
                "aggregation": "sum",
                "fraction": D("0.5"),
            },
            "30",
            "25",
            "50",
            S.BEHIND,
        ),
        (
            {
                "actual": 30,
                "target": 60,
                "baseline": 120,
                "direction": "decrease",
                "aggregation": "sum",
                "fraction": D("0.5"),
            },
            "30",
            "50",
            "50",
            S.ON_TRACK,
        ),
        # cumulative: the path from last year's target (1000) to this year's (2000)
        (
            {
                "actual": 1400,
                "target": 2000,
                "baseline": 200,
                "aggregation": "cumulative",
                "fraction": D("0.5"),
                "previous_target": D(1000),
            },
            "1500",
            "66.67",
            "72.22",
            S.ON_TRACK,
        ),
        (
            {
                "actual": 1200,
                "target": 2000,
                "baseline": 200,
                "aggregation": "cumulative",
                "fraction": D("0.5"),
                "previous_target": D(1000),
            },
            "1500",
            "55.56",
            "72.22",
            S.AT_RISK,
        ),
        # …or from the baseline when there was no target last year
        (
            {"actual": 1000, "target": 2000, "baseline": 200, "aggregation": "cumulative", "fraction": D("0.5")},
            "1100",
            "44.44",
            "50",
            S.AT_RISK,
        ),
        # T = B: no distance to cover, 100 % when reached else 0 %
        ({"actual": 50, "target": 50, "baseline": 50}, "50", "100", "100", S.MET),
        ({"actual": 40, "target": 50, "baseline": 50}, "50", "0", "100", S.BEHIND),
        ({"actual": 40, "target": 30, "baseline": 50}, "30", "100", "100", S.MET),
        # …inside the year against the value expected by now (8/12 of 120 = 80)
        (
            {"actual": 90, "target": 120, "baseline": 120, "aggregation": "sum", "fraction": F8},
            "80",
            "100",
            "100",
            S.ON_TRACK,
        ),
        (
            {"actual": 79, "target": 120, "baseline": 120, "aggregation": "sum", "fraction": F8},
            "80",
            "0",
            "100",
            S.BEHIND,
        ),
        # a decrease without baseline inside the year: 100 by August is on pace for 150 > 120
        (
            {
                "actual": 100,
                "target": 120,
                "baseline": None,
                "direction": "decrease",
                "aggregation": "sum",
                "fraction": F8,
            },
            "80",
            "80",
            "100",
            S.AT_RISK,
        ),
        (
            {
                "actual": 70,
                "target": 120,
                "baseline": None,
                "direction": "decrease",
                "aggregation": "sum",
                "fraction": F8,
            },
            "80",
            "100",
            "100",
            S.ON_TRACK,
        ),
    ],
)
def test_measure_progress(case, expected_value, percent, expected_percent, status) -> None:
    args = {"direction": "increase", "aggregation": "", **case}
    for name in ("actual", "target", "baseline"):
        if args[name] is not None:
            args[name] = D(args[name])
    progress = agg.measure_progress(**args)
    assert progress.expected == D(expected_value)
    assert progress.percent == D(percent)
    assert progress.expected_percent == D(expected_percent)
    assert progress.status == status
    assert (progress.actual, progress.target, progress.baseline) == (args["actual"], args["target"], args["baseline"])


def test_no_target_is_sin_meta_and_no_actual_is_sin_dato() -> None:
    no_target = agg.measure_progress(actual=D(5), target=None, baseline=None, direction="increase", aggregation="sum")
    assert (no_target.status, no_target.percent, no_target.actual) == (S.NO_TARGET, None, D(5))
    no_data = agg.measure_progress(actual=None, target=D(10), baseline=D(1), direction="increase", aggregation="sum")
    assert (no_data.status, no_data.percent, no_data.target) == (S.NO_DATA, None, D(10))
    assert not no_data.is_concerning and not no_target.is_concerning


def test_concerning_statuses() -> None:
    def status_of(actual: int) -> agg.Progress:
        return agg.measure_progress(
            actual=D(actual), target=D(100), baseline=None, direction="increase", aggregation=""
        )

    assert status_of(50).is_concerning and status_of(80).is_concerning
    assert not status_of(95).is_concerning and not status_of(100).is_concerning


def test_thresholds_are_configurable() -> None:
    def status(thresholds: Thresholds | None, actual: int = 70, direction: str = "increase") -> str:
        return agg.measure_progress(
            actual=D(actual), target=D(120), baseline=D(20), direction=direction, aggregation="", thresholds=thresholds
        ).status

    # 50 % of the way: rezagado by default (below 70 %) …
    assert status(None) == S.BEHIND
    assert status(Thresholds(on_track=D(50), at_risk=D(30))) == S.ON_TRACK
    assert status(Thresholds(on_track=D(60), at_risk=D(50))) == S.AT_RISK
    assert status(Thresholds(on_track=D("50.01"), at_risk=D("50.01"))) == S.BEHIND
    # maintain: 127 is 5.83 % away from 120: at risk with 5 %, met with a 6 % tolerance
    assert status(None, 127, "maintain") == S.AT_RISK
    assert status(Thresholds(maintain_tolerance=D(6)), 127, "maintain") == S.MET
    assert status(Thresholds(maintain_tolerance=D(2)), 127, "maintain") == S.BEHIND


# --- Roll-up ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([(D(10), D(1)), (D(20), D(3))], D("17.50")),
        ([(D(10), D(1)), (D(20), D(1))], D("15.00")),
        ([(None, D(5)), (D(40), D(1))], D("40.00")),
        ([(D(1), D(1)), (D(2), D(1)), (D(2), D(1))], D("1.67")),
        ([(D(80), D(0)), (D(20), D(2))], D("20.00")),
        ([(None, D(1))], None),
        ([(D(50), D(0))], None),
        ([], None),
    ],
)
def test_weighted_mean(values, expected) -> None:
    assert agg.weighted_mean(values) == expected


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["met", "at_risk", "on_track"], "at_risk"),
        (["met", "behind", "at_risk"], "behind"),
        (["no_data", "met"], "met"),
        (["no_target", "no_data"], "no_data"),
        (["", None, "on_track"], "on_track"),
        (["", None], None),
        ([], None),
    ],
)
def test_worst_status(statuses, expected) -> None:
    assert agg.worst_status(statuses) == expected


def test_percentage_helper() -> None:
    assert agg.percentage(D(1), D(800)) == D("0.13")  # 0.125 rounds half up
    assert agg.percentage(D(19), D(110)) == D("17.27")
    assert agg.percentage(D(5), D(0)) is None


# --- Properties ---------------------------------------------------------------------------------

AGGREGATIONS = ["sum", "cumulative", "average", "max", "latest"]
MEASURES = ["count", "percentage", "yes_no", "milestone"]
amount = st.integers(0, 10**10).map(lambda i: D(i).scaleb(-4))  # 0 … 10^6, at most 4 decimals
small = st.integers(0, 10**6).map(lambda i: D(i).scaleb(-4))


@st.composite
def disaggregated(draw, count: int, dimensions: int = 2, values=amount):
    """`count` (total, parts) pairs: per dimension, 1–5 categories whose parts add up to the total."""
    shape = [draw(st.integers(1, 5)) for _ in range(dimensions)]
    rows = []
    for _ in range(count):
        total = draw(values)
        parts: dict[tuple[str, str], Decimal] = {}
        for d, categories in enumerate(shape):
            cuts = sorted(
                draw(st.lists(st.integers(0, int(total.scaleb(4))), min_size=categories - 1, max_size=categories - 1))
            )
            bounds = [0, *cuts, int(total.scaleb(4))]
            for c in range(categories):
                parts[(f"d{d}", f"c{c}")] = D(bounds[c + 1] - bounds[c]).scaleb(-4)
        rows.append((total, parts))
    return shape, rows


def by_dimension(parts) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for (dimension, _category), value in parts.items():
        sums[dimension] = sums.get(dimension, D(0)) + value
    return sums


def month_ends(count: int) -> list[dt.date]:
    return [dt.date(2020 + (i // 12), i % 12 + 1, 28) for i in range(count)]


@RULES
@given(st.sampled_from(AGGREGATIONS), st.integers(1, 12).flatmap(lambda n: disaggregated(n)))
def test_parts_add_up_over_periods_for_every_aggregation(aggregation, data) -> None:
    shape, rows = data
    observations = [
        Observation(end, total, parts=parts) for end, (total, parts) in zip(month_ends(len(rows)), rows, strict=True)
    ]
    result = agg.aggregate_periods(observations, aggregation=aggregation, measure_type="count")
    sums = by_dimension(result.parts)
    assert set(sums) == {f"d{d}" for d in range(len(shape))}
    if aggregation != "average":
        assert all(total == result.value for total in sums.values())
        return
    # The mean: total and every part are the exact mean rounded half up, once …
    n = len(rows)
    assert result.value == q4(Fraction(sum((total for total, _ in rows), D(0))) / n)
    for key, value in result.parts.items():
        assert value == q4(Fraction(sum((parts[key] for _, parts in rows), D(0))) / n)
    # … so they add up before rounding, and after it within half a ten-thousandth per category
    # (plus the total's own rounding).
    for d, categories in enumerate(shape):
        assert abs(sums[f"d{d}"] - result.value) <= D("0.00005") * (categories + 1)


def test_the_parts_of_a_mean_cannot_always_add_up_after_rounding() -> None:
    """Why the property above allows rounding for `average` (docs/aggregation.md, section 2)."""
    periods = [obs(1, "1", {"M": "1", "H": "0"}), obs(2, "1", {"M": "0", "H": "1"}), obs(3, "0", {"M": "0", "H": "0"})]
    result = agg.aggregate_periods(periods, aggregation="average", measure_type="count")
    assert result.value == D("0.6667")
    assert dict(result.parts) == sexo(M="0.3333", H="0.3333")


@RULES
@given(st.sampled_from(["sum", "average", "max", "latest"]), st.integers(1, 6).flatmap(lambda n: disaggregated(n)))
def test_parts_add_up_across_institutions(aggregation, data) -> None:
    shape, rows = data
    combined = agg.combine_institutions(
        END, [Reported(total, parts=parts) for total, parts in rows], aggregation=aggregation, measure_type="count"
    )
    sums = by_dimension(combined.parts)
    for d, categories in enumerate(shape):
        slack = D("0.00005") * (categories + 1) if aggregation == "average" and len(rows) > 1 else D(0)
        assert abs(sums[f"d{d}"] - combined.value) <= slack


@st.composite
def rates(draw, min_size: int = 1, max_size: int = 12):
    """Periods of a percentage indicator: (numerator, denominator) with 0 ≤ n ≤ d, d > 0."""
    count = draw(st.integers(min_size, max_size))
    pairs = []
    for _ in range(count):
        denominator = draw(st.integers(1, 10**10))
        numerator = draw(st.integers(0, denominator))
        pairs.append((D(numerator).scaleb(-4), D(denominator).scaleb(-4)))
    return pairs


def rate_observations(pairs) -> list[Observation]:
    return [
        Observation(end, agg.percentage(n, d), n, d) for end, (n, d) in zip(month_ends(len(pairs)), pairs, strict=True)
    ]


@RULES
@given(st.sampled_from(["sum", "cumulative", "average"]), rates())
def test_a_percentage_is_the_ratio_of_the_sums(aggregation, pairs) -> None:
    result = agg.aggregate_periods(rate_observations(pairs), aggregation=aggregation, measure_type="percentage")
    numerator, denominator = sum((n for n, _ in pairs), D(0)), sum((d for _, d in pairs), D(0))
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.value == q2(numerator * 100 / denominator)


@RULES
@given(rates(min_size=2, max_size=2))
def test_a_percentage_over_two_periods_is_not_the_mean_of_their_rates(pairs) -> None:
    (n1, d1), (n2, d2) = pairs
    assume(d1 != d2 and n1 * d2 != n2 * d1)  # different denominators and different rates
    exact = Fraction(n1 + n2) / Fraction(d1 + d2) * 100
    mean_of_rates = (Fraction(n1) / Fraction(d1) + Fraction(n2) / Fraction(d2)) * 50
    assert exact != mean_of_rates  # with two periods, always (d1 − d2)(r1 − r2) ≠ 0
    # Once both are rounded to the hundredth they differ whenever they are a hundredth apart.
    assume(abs(exact - mean_of_rates) > Fraction(1, 100))
    observations = rate_observations(pairs)
    result = agg.aggregate_periods(observations, aggregation="sum", measure_type="percentage")
    assert result.value == q2(D(n1 + n2) * 100 / (d1 + d2))
    # Two numbers more than a hundredth apart never round to the same hundredth.
    mean = D(mean_of_rates.numerator) / D(mean_of_rates.denominator)
    assert result.value != q2(mean)


@RULES
@given(
    st.sampled_from(AGGREGATIONS),
    st.sampled_from(MEASURES),
    st.integers(1, 12).flatmap(lambda n: st.tuples(disaggregated(n, dimensions=1), rates(n, n))),
    st.randoms(use_true_random=False),
)
def test_aggregation_does_not_depend_on_the_order_of_observations(aggregation, measure, data, rng) -> None:
    (_shape, rows), pairs = data
    observations = [
        Observation(end, total if measure != "percentage" else agg.percentage(n, d), n, d, parts)
        for end, (total, parts), (n, d) in zip(month_ends(len(rows)), rows, pairs, strict=True)
    ]
    shuffled = observations[:]
    rng.shuffle(shuffled)
    assert agg.aggregate_periods(shuffled, aggregation=aggregation, measure_type=measure) == agg.aggregate_periods(
        observations, aggregation=aggregation, measure_type=measure
    )


@RULES
@given(
    st.sampled_from(AGGREGATIONS),
    st.sampled_from(MEASURES),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 5)), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_combining_institutions_does_not_depend_on_their_order(aggregation, measure, raw, rng) -> None:
    # Small values, so that ties on the largest value (with different parts) are frequent.
    reported = [Reported(D(a + b), D(min(a, c)), D(c), {("sexo", "M"): D(a), ("sexo", "H"): D(b)}) for a, b, c in raw]
    shuffled = reported[:]
    rng.shuffle(shuffled)
    assert agg.combine_institutions(END, shuffled, aggregation=aggregation, measure_type=measure) == (
        agg.combine_institutions(END, reported, aggregation=aggregation, measure_type=measure)
    )


PRORATED = st.sampled_from(["", "sum", "cumulative"])
STATUS_RANK = {S.BEHIND: 0, S.AT_RISK: 1, S.ON_TRACK: 2, S.MET: 3}


@RULES
@given(
    amount,
    amount,
    amount,
    st.one_of(st.none(), amount),
    PRORATED,
    st.integers(1, 12).map(lambda m: D(m) / 12),
    st.one_of(st.none(), amount),
)
def test_progress_for_increase_is_monotonic_in_the_actual(a1, a2, target, baseline, aggregation, fraction, previous):
    low, high = sorted((a1, a2))

    def progress(actual: Decimal) -> agg.Progress:
        return agg.measure_progress(
            actual=actual,
            target=target,
            baseline=baseline,
            direction="increase",
            aggregation=aggregation,
            fraction=fraction,
            previous_target=previous,
        )

    before, after = progress(low), progress(high)
    assert before.percent <= after.percent
    assert STATUS_RANK[before.status] <= STATUS_RANK[after.status]
    assert before.expected_percent == after.expected_percent  # what is expected does not depend on A


@RULES
@given(
    st.sampled_from(AGGREGATIONS),
    st.sampled_from(MEASURES),
    disaggregated(1),
    st.integers(1, 10**10),
    st.data(),
)
def test_one_institution_is_its_own_value(aggregation, measure, values, denominator, data) -> None:
    _shape, [(total, parts)] = values
    if measure == "percentage":
        numerator = D(data.draw(st.integers(0, denominator))).scaleb(-4)
        rate = agg.percentage(numerator, D(denominator).scaleb(-4))
        reported = Reported(rate, numerator, D(denominator).scaleb(-4), parts)
    else:
        reported = Reported(total, parts=parts)
    combined = agg.combine_institutions(END, [reported], aggregation=aggregation, measure_type=measure)
    assert (combined.value, combined.numerator, combined.denominator) == (
        reported.value,
        reported.numerator,
        reported.denominator,
    )
    assert dict(combined.parts) == dict(reported.parts)


# --- combine_sums: what the database adds up gives what the rows give ---------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)


@RULES
@given(
    st.lists(st.tuples(amounts, amounts, amounts), min_size=1, max_size=6),
    st.sampled_from([agg.SUM, agg.CUMULATIVE, agg.AVERAGE, agg.LATEST]),
)
def test_combining_from_sums_equals_combining_the_rows(rows, aggregation) -> None:  # type: ignore[no-untyped-def]
    assert agg.combines_by_sum(aggregation=aggregation, measure_type=agg.COUNT)
    reported = [Reported(a + b + c, parts={("sexo", "M"): a, ("sexo", "H"): b + c}) for a, b, c in rows]
    from_rows = agg.combine_institutions(END, reported, aggregation=aggregation, measure_type=agg.COUNT)
    from_sums = agg.combine_sums(
        END,
        total=sum((r.value for r in reported), D(0)),
        count=len(reported),
        parts={
            ("sexo", "M"): sum((a for a, _b, _c in rows), D(0)),
            ("sexo", "H"): sum((b + c for _a, b, c in rows), D(0)),
        },
        aggregation=aggregation,
    )
    assert from_sums == from_rows


def test_only_added_or_averaged_counts_combine_from_sums() -> None:
    assert not agg.combines_by_sum(aggregation=agg.MAX, measure_type=agg.COUNT)
    assert not agg.combines_by_sum(aggregation=agg.SUM, measure_type=agg.PERCENTAGE)
    assert not agg.combines_by_sum(aggregation=agg.SUM, measure_type=agg.YES_NO)
    assert not agg.combines_by_sum(aggregation=agg.LATEST, measure_type=agg.MILESTONE)


# --- aggregate_prefixes: every year-to-date figure in one pass ---------------------------------

observation_values = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def observation_runs(draw):  # type: ignore[no-untyped-def]
    size = draw(st.integers(1, 8))
    with_ratio = draw(st.booleans())
    runs = []
    for month in range(1, size + 1):
        value = draw(observation_values)
        part = draw(st.decimals(min_value=0, max_value=value, places=2, allow_nan=False, allow_infinity=False))
        numerator = denominator = None
        if with_ratio or draw(st.booleans()):
            denominator = draw(st.decimals(min_value=1, max_value=10**4, places=0))
            numerator = draw(st.decimals(min_value=0, max_value=denominator, places=0))
        runs.append(
            Observation(
                dt.date(2026, month, 28),
                value,
                numerator,
                denominator,
                {("sexo", "M"): part, ("sexo", "H"): value - part},
            )
        )
    return runs


@RULES
@given(
    observation_runs(),
    st.sampled_from([agg.SUM, agg.CUMULATIVE, agg.AVERAGE, agg.MAX, agg.LATEST]),
    st.sampled_from([agg.COUNT, agg.PERCENTAGE, agg.YES_NO, agg.MILESTONE]),
)
def test_prefixes_in_one_pass_equal_aggregating_each_prefix(runs, aggregation, measure_type) -> None:  # type: ignore[no-untyped-def]
    one_pass = agg.aggregate_prefixes(runs, aggregation=aggregation, measure_type=measure_type)
    each = [
        agg.aggregate_periods(runs[: i + 1], aggregation=aggregation, measure_type=measure_type)
        for i in range(len(runs))
    ]
    assert one_pass == each


def test_prefixes_keep_the_first_of_tied_largest_periods() -> None:
    runs = [obs(4, "10", {"M": "4", "H": "6"}), obs(8, "10", {"M": "9", "H": "1"}), obs(12, "7", {"M": "7", "H": "0"})]
    one_pass = agg.aggregate_prefixes(runs, aggregation=agg.MAX, measure_type=agg.COUNT)
    assert [a.parts for a in one_pass] == [sexo(M="4", H="6")] * 3
    assert one_pass == [
        agg.aggregate_periods(runs[: i + 1], aggregation=agg.MAX, measure_type=agg.COUNT) for i in range(3)
    ]


# --- reports_whose_parts_count: the parts the builder may leave unread ------------------------

report_values = st.decimals(min_value=0, max_value=50, places=0, allow_nan=False, allow_infinity=False)


@st.composite
def institution_reports(draw):  # type: ignore[no-untyped-def]
    """A period's reports from 1–5 institutions, with frequent ties on the value."""
    reports = []
    for _ in range(draw(st.integers(1, 5))):
        value = draw(st.sampled_from([D(3), D(7)]) | report_values)
        numerator = denominator = None
        if draw(st.booleans()):
            denominator = draw(st.sampled_from([D(0), D(10)]) | st.decimals(min_value=0, max_value=40, places=0))
            numerator = draw(st.decimals(min_value=0, max_value=denominator, places=0))
        part = draw(st.decimals(min_value=0, max_value=value, places=0))
        reports.append(Reported(value, numerator, denominator, {("sexo", "M"): part, ("sexo", "H"): value - part}))
    return reports


@RULES
@given(
    institution_reports(),
    st.sampled_from([agg.SUM, agg.CUMULATIVE, agg.AVERAGE, agg.MAX, agg.LATEST]),
    st.sampled_from([agg.COUNT, agg.PERCENTAGE, agg.YES_NO, agg.MILESTONE]),
)
def test_parts_left_unread_never_change_the_combined_observation(reports, aggregation, measure_type) -> None:  # type: ignore[no-untyped-def]
    counted = set(agg.reports_whose_parts_count(reports, aggregation=aggregation, measure_type=measure_type))
    without = [r if i in counted else Reported(r.value, r.numerator, r.denominator) for i, r in enumerate(reports)]
    assert agg.combine_institutions(
        END, without, aggregation=aggregation, measure_type=measure_type
    ) == agg.combine_institutions(END, reports, aggregation=aggregation, measure_type=measure_type)


def test_parts_of_a_recomputed_percentage_are_read_only_for_a_single_institution() -> None:
    one, two = rep("50", {"M": "20"}, num="5", den="10"), rep("20", {"M": "8"}, num="2", den="10")
    assert agg.reports_whose_parts_count([one], aggregation=agg.LATEST, measure_type=agg.PERCENTAGE) == [0]
    assert agg.reports_whose_parts_count([one, two], aggregation=agg.LATEST, measure_type=agg.PERCENTAGE) == []


def test_parts_of_tied_largest_reports_are_all_read() -> None:
    reports = [rep("9", {"M": "1"}), rep("12", {"M": "5"}), rep("12", {"M": "7"})]
    assert agg.reports_whose_parts_count(reports, aggregation=agg.MAX, measure_type=agg.COUNT) == [1, 2]
    assert agg.reports_whose_parts_count(reports, aggregation=agg.SUM, measure_type=agg.COUNT) == [0, 1, 2]
