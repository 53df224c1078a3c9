"""Statistical disclosure control for what the public sees: small counts of people are withheld.

Pure functions over `Decimal` (no queries), the rule of docs/aggregation.md §9:

- **Primary suppression.** A cell counting from 1 to `threshold − 1` people is withheld.
- **Secondary suppression.** While the group's total is shown, a group never has exactly one
  withheld cell: total − visible cells would give it back. When primary suppression hides one, the
  smallest other cell (zeros included; ties by the cells' order) is withheld too.
- **Zero** hides no one: a zero is shown, unless it is the complementary cell.
- A group is one total and its cells: one dimension of one disaggregation (sex, age group,
  department…) made complete, so that its cells add up to the total (`complete_group`).

The rule guarantees that no withheld cell equals the visible total minus the visible cells. It does
not solve the general interval problem that tools such as τ-ARGUS solve (bounds from several
tables linked by their cells): our public tables are one-dimensional groups with one total each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
# The category that holds what the reports did not disaggregate, so that a group adds up.
NOT_DISAGGREGATED = "sin_desagregar"
# Sums of parts that are means (aggregation `average`) may differ from their total by rounding:
# at most half a ten-thousandth per part (docs/aggregation.md §2). Below this, no remainder.
ROUNDING_PER_PART = Decimal("0.00005")


def is_sensitive(value: Decimal | None, threshold: int) -> bool:
    """A count of 1 to threshold − 1 people (primary suppression)."""
    return value is not None and ZERO < value < threshold


@dataclass(frozen=True, slots=True)
class Protected:
    """A group after suppression: the visible cells keep their values, the withheld ones are None."""

    values: dict[str, Decimal | None]
    suppressed: frozenset[str]
    total_withheld: bool

    def is_suppressed(self, key: str) -> bool:
        return key in self.suppressed


def protect_group(
    cells: Mapping[str, Decimal], *, threshold: int, total_visible: bool = True, order: Sequence[str] = ()
) -> Protected:
    """Withhold the sensitive cells of one group and what would give them back.

    `cells` must add up to the group's total (see `complete_group`). `order` breaks ties between
    complementary candidates of the same value (the category order; else the keys' sort order).
    A group of one sensitive cell cannot be protected while its total is shown: the answer then
    says `total_withheld`, and the caller must not show that total beside the group.
    """
    position = {key: index for index, key in enumerate(order)}

    def rank(key: str) -> tuple[Decimal, int, str]:
        return (cells[key], position.get(key, len(position)), key)

    suppressed = {key for key, value in cells.items() if is_sensitive(value, threshold)}
    total_withheld = False
    if total_visible and len(suppressed) == 1:
        remaining = sorted((key for key in cells if key not in suppressed), key=rank)
        if remaining:
            suppressed.add(remaining[0])
        else:
            total_withheld = True
    values = {key: (None if key in suppressed else value) for key, value in cells.items()}
    return Protected(values, frozenset(suppressed), total_withheld)


def complete_group(total: Decimal, parts: Mapping[str, Decimal], categories: Sequence[str] = ()) -> dict[str, Decimal]:
    """One dimension's cells made to add up to `total`: every category of the catalogue (a category
    nobody reported is 0, as the instruments' parts add up to their total) and, when some reports
    were not disaggregated, the remainder as `NOT_DISAGGREGATED`."""
    cells = {category: parts.get(category, ZERO) for category in categories}
    cells.update({category: value for category, value in parts.items() if category not in cells})
    remainder = total - sum(cells.values(), ZERO)
    if remainder > ROUNDING_PER_PART * max(len(cells), 1):
        cells[NOT_DISAGGREGATED] = remainder
    return cells
