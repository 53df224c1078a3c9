"""Ids in URL paths are bounded before they reach a query.

Django guards a plain `pk=` lookup against numbers too large for the database, but not a lookup
through a relation (`node_id=…`, `Q(action__co_responsible=…)`), where SQLite raises OverflowError:
a 500. `<id:pk>` reads the id with `sime.core.numbers.parse_id` (at most 18 ASCII digits); anything
else matches no route, so the answer is a 404 like any unknown id.
"""

from __future__ import annotations

from sime.core.numbers import parse_id


class IdConverter:
    """`<id:pk>` in URL patterns: `<int:pk>` bounded as `parse_id` bounds ids."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)  # no match: the resolver answers 404
        return parsed

    def to_url(self, value: int | str) -> str:
        return str(value)
