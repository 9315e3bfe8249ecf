"""The array-built views of a DualOS equal the views built edge by edge from its network layer."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import DataError
from communitykit.network import DualOS, _engine
from communitykit.network._tietable import TieTable
from communitykit.testing.strategies import event_logs

_WEIGHTS = (None, "weight", "count", "distance")


def _rebuilt(dos: DualOS) -> DualOS:
    """The same layers in a new DualOS: no table handed over, so it is read from the graph."""
    return DualOS(hierarchy=dos.hierarchy, network=dos.network, directory=dos.directory)


def _assert_same_arrays(G: nx.Graph) -> None:
    for weight in _WEIGHTS:
        try:
            fresh = _engine._edge_arrays(G, weight)  # from the graph, edge by edge
        except DataError:  # a decayed weight of 0: an infinite distance
            with pytest.raises(DataError, match="non-finite"):
                _engine.edge_arrays(G, weight)
            continue
        cached = _engine.edge_arrays(G, weight)
        assert cached.nodes == fresh.nodes
        assert cached.directed == fresh.directed
        np.testing.assert_array_equal(cached.src, fresh.src)
        np.testing.assert_array_equal(cached.dst, fresh.dst)
        np.testing.assert_array_equal(cached.weight, fresh.weight)


def _assert_same_views(dos: DualOS) -> None:
    legacy = _rebuilt(dos)
    legacy._cache["tie_table"] = None  # force the edge-by-edge views
    for name in ("interactions", "ties"):
        fast, slow = getattr(dos, name), getattr(legacy, name)
        assert list(fast) == list(slow)
        assert nx.utils.graphs_equal(fast, slow)
        assert dict(fast.nodes(data=True)) == dict(slow.nodes(data=True))
        _assert_same_arrays(fast)


@settings(max_examples=20)
@given(
    log=event_logs(max_size=40),
    half_life=st.sampled_from([None, 30, "7D"]),
    decay=st.sampled_from(["event", "idle"]),
)
def test_views_from_the_table_equal_the_views_from_the_graph(
    log: ck.EventLog, half_life: object, decay: str
) -> None:
    dos = DualOS().with_interactions(log, half_life=half_life, decay=decay)
    assert isinstance(dos._tie_table(), TieTable)  # handed over by with_interactions
    _assert_same_views(dos)
    _assert_same_views(_rebuilt(dos))


@settings(max_examples=15)
@given(log=event_logs(max_size=30))
def test_adding_ties_twice_merges_them(log: ck.EventLog) -> None:
    once = DualOS().with_interactions(log)
    twice = once.with_interactions(log)
    for (u, v, d1), (_, _, d2) in zip(
        once.ties.edges(data=True), twice.ties.edges(data=True), strict=True
    ):
        assert d2["count"] == 2 * d1["count"]
        assert d2["weight"] == 2 * d1["weight"]
        assert (d2["first"], d2["last"]) == (d1["first"], d1["last"]), (u, v)
    _assert_same_views(twice)


def test_ties_without_times_and_with_zero_weight() -> None:
    dos = DualOS.from_edges(
        [
            {"source": "a", "target": "b", "weight": "0"},
            {"source": "b", "target": "a", "weight": "2"},
            {"source": "b", "target": "c", "weight": "0"},
        ]
    )
    _assert_same_views(dos)
    assert dos.ties.edges["a", "b"]["weight"] == 2.0
    assert dos.ties.edges["b", "c"]["distance"] == float("inf")


def test_times_the_table_cannot_hold_fall_back_to_the_graph() -> None:
    N = nx.MultiDiGraph()
    for p in ("a", "b"):
        N.add_node(p, type="person", name=p)
    N.add_edge("a", "b", key="interacts", type="interacts", weight=1.0, first="2024-01-01")
    dos = DualOS.from_graphs(nx.DiGraph(), N)
    assert dos._tie_table() is None
    assert dos.ties.edges["a", "b"]["first"] == "2024-01-01"


@settings(max_examples=20)
@given(log=event_logs(max_size=40))
def test_reciprocity_from_the_table_equals_the_directed_graph_s(log: ck.EventLog) -> None:
    from communitykit.network import metrics as m

    dos = DualOS().with_interactions(log)
    fast, slow = m.reciprocity(dos), m.reciprocity(dos.interactions)
    assert (fast == slow) or (fast != fast and slow != slow)  # equal, or both nan


def test_a_coalition_keeps_the_tie_views() -> None:
    d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b", org_unit="Y", manager="a")])
    dos = DualOS.from_directory(d).with_interactions(
        ck.EventLog.from_records(
            [
                {"time": "2024-01-01T09:00Z", "actor": "a", "community": "c", "action": "post"},
                {
                    "time": "2024-01-01T10:00Z",
                    "actor": "b",
                    "community": "c",
                    "action": "reply",
                    "parent": 0,
                },
            ]
        )
    )
    before = dos.ties
    led = dos.with_coalition(["a"])
    assert led.ties is before  # carried over, not rebuilt
    fresh = _rebuilt(led)
    assert nx.utils.graphs_equal(led.ties, fresh.ties)
    assert dict(led.ties.nodes(data=True)) == dict(fresh.ties.nodes(data=True))
    assert led.coalition == frozenset({"a"})
