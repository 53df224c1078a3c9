"""Statistical disclosure control (docs/aggregation.md §9): properties over any group of counts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sime.public.disclosure import NOT_DISAGGREGATED, complete_group, is_sensitive, protect_group

D = Decimal

counts = st.one_of(st.integers(0, 12), st.integers(0, 5000)).map(D)
groups = st.dictionaries(st.sampled_from(list("ABCDEFGHIJ")), counts, min_size=1, max_size=10)
thresholds = st.integers(1, 12)
# Pure and fast, but the suite runs beside database tests: no per-example deadline (as test_aggregation).
RULES = settings(max_examples=200, deadline=None)


@RULES
@given(groups, thresholds)
def test_no_withheld_cell_is_the_total_minus_the_visible_cells(cells: dict[str, Decimal], threshold: int) -> None:
    protected = protect_group(cells, threshold=threshold)
    total = sum(cells.values(), D(0))
    if protected.total_withheld:
        return
    visible = sum((v for v in protected.values.values() if v is not None), D(0))
    hidden = [key for key, value in protected.values.items() if value is None]
    # What a reader gets by subtracting is the sum of the hidden cells: never a single cell.
    assert total - visible == sum((cells[key] for key in hidden), D(0))
    assert len(hidden) != 1


@RULES
@given(groups, thresholds)
def test_visible_cells_are_unchanged(cells: dict[str, Decimal], threshold: int) -> None:
    protected = protect_group(cells, threshold=threshold)
    assert set(protected.values) == set(cells)
    for key, value in protected.values.items():
        assert value is None or value == cells[key]
        assert (value is None) == protected.is_suppressed(key)


@RULES
@given(groups, thresholds)
def test_no_visible_count_is_from_one_to_threshold_minus_one(cells: dict[str, Decimal], threshold: int) -> None:
    protected = protect_group(cells, threshold=threshold)
    assert not any(value is not None and 1 <= value <= threshold - 1 for value in protected.values.values())


@RULES
@given(groups, thresholds)
def test_suppression_is_minimal_primary_cells_and_at_most_one_complement(
    cells: dict[str, Decimal], threshold: int
) -> None:
    protected = protect_group(cells, threshold=threshold)
    primary = {key for key, value in cells.items() if is_sensitive(value, threshold)}
    assert primary <= protected.suppressed
    assert len(protected.suppressed - primary) <= (1 if len(primary) == 1 else 0)


@RULES
@given(groups, thresholds)
def test_without_a_visible_total_only_the_sensitive_cells_are_withheld(
    cells: dict[str, Decimal], threshold: int
) -> None:
    protected = protect_group(cells, threshold=threshold, total_visible=False)
    assert protected.suppressed == {key for key, value in cells.items() if is_sensitive(value, threshold)}
    assert not protected.total_withheld


def test_the_complement_is_the_smallest_other_cell_zeros_included_ties_by_order() -> None:
    protected = protect_group({"M": D(3), "H": D(40), "X": D(0)}, threshold=5, order=["M", "H", "X"])
    assert protected.suppressed == {"M", "X"}
    assert protected.values == {"M": None, "H": D(40), "X": None}
    tie = protect_group({"a": D(2), "b": D(9), "c": D(9)}, threshold=5, order=["a", "c", "b"])
    assert tie.suppressed == {"a", "c"}


def test_two_sensitive_cells_need_no_complement_and_zero_is_shown() -> None:
    protected = protect_group({"M": D(1), "H": D(4), "X": D(0), "Y": D(30)}, threshold=5)
    assert protected.values == {"M": None, "H": None, "X": D(0), "Y": D(30)}


def test_a_lone_sensitive_cell_cannot_be_protected_beside_its_total() -> None:
    protected = protect_group({"M": D(3)}, threshold=5)
    assert protected.total_withheld and protected.suppressed == {"M"}
    assert protect_group({"M": D(30)}, threshold=5).suppressed == frozenset()


def test_the_threshold_itself_is_shown() -> None:
    assert protect_group({"M": D(5), "H": D(5)}, threshold=5).suppressed == frozenset()
    assert not is_sensitive(D(5), 5) and is_sensitive(D(4), 5) and not is_sensitive(D(0), 5)
    assert is_sensitive(D("0.5"), 5)  # a mean of people is still a count


def test_a_complete_group_has_every_category_and_the_remainder() -> None:
    cells = complete_group(D(10), {"M": D(4)}, ["M", "H"])
    assert cells == {"M": D(4), "H": D(0), NOT_DISAGGREGATED: D(6)}
    assert complete_group(D(10), {"M": D(4), "H": D(6)}, ["M", "H"]) == {"M": D(4), "H": D(6)}
    # Means' rounding leaves no remainder: 1/3 + 1/3 shown as 0.3333 + 0.3333 beside 0.6667.
    assert complete_group(D("0.6667"), {"M": D("0.3333"), "H": D("0.3333")}, ["M", "H"]) == {
        "M": D("0.3333"),
        "H": D("0.3333"),
    }


@RULES
@given(st.dictionaries(st.sampled_from(list("ABCDE")), counts, max_size=5), counts, thresholds)
def test_completed_groups_add_up_and_stay_protected(parts: dict[str, Decimal], extra: Decimal, threshold: int) -> None:
    total = sum(parts.values(), D(0)) + extra
    cells = complete_group(total, parts, list("ABCDE"))
    assert sum(cells.values(), D(0)) == total
    protected = protect_group(cells, threshold=threshold, order=list("ABCDE"))
    hidden = [key for key, value in protected.values.items() if value is None]
    assert len(hidden) != 1
