"""The causal network (red causal) is a directed acyclic graph: pure functions over edges."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def find_path(edges: Iterable[tuple[N, N]], start: N, goal: N) -> list[N] | None:
    """A shortest path start → … → goal following the edges, or None."""
    following: dict[N, list[N]] = defaultdict(list)
    for source, target in edges:
        following[source].append(target)
    previous: dict[N, N | None] = {start: None}
    queue: deque[N] = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for nxt in following[node]:
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


def cycle_closed_by(edges: Iterable[tuple[N, N]], source: N, target: N) -> list[N] | None:
    """The cycle that adding source → target would close (as source → … → source), or None."""
    if source == target:
        return [source, source]
    back = find_path(edges, target, source)
    return [source, *back] if back else None
