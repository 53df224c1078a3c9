from hypothesis import given
from hypothesis import strategies as st

from sime.policy.causal import cycle_closed_by, find_path


def test_find_path() -> None:
    edges = [(1, 2), (2, 3), (3, 4), (1, 5)]
    assert find_path(edges, 1, 4) == [1, 2, 3, 4]
    assert find_path(edges, 4, 1) is None
    assert find_path(edges, 2, 2) == [2]


def test_cycle_closed_by_names_the_cycle() -> None:
    edges = [("a", "b"), ("b", "c")]
    assert cycle_closed_by(edges, "c", "a") == ["c", "a", "b", "c"]
    assert cycle_closed_by(edges, "a", "c") is None
    assert cycle_closed_by(edges, "a", "a") == ["a", "a"]


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=30))
def test_adding_only_acyclic_edges_keeps_a_dag(candidates: list[tuple[int, int]]) -> None:
    accepted: list[tuple[int, int]] = []
    for source, target in candidates:
        if cycle_closed_by(accepted, source, target) is None:
            accepted.append((source, target))
    # A DAG has a topological order: repeatedly remove nodes without incoming edges.
    remaining = list(accepted)
    nodes = {n for edge in accepted for n in edge}
    while nodes:
        free = {n for n in nodes if not any(t == n for _s, t in remaining)}
        assert free, f"cycle among {nodes}"
        nodes -= free
        remaining = [(s, t) for s, t in remaining if s not in free]
