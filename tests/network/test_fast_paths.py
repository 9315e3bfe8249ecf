"""The fast paths of the person-level measures give networkx's / the serial values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communitykit import _parallel
from communitykit.network import _engine
from communitykit.network import metrics as m
from communitykit.network._measures.centrality import _pagerank


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    directed = draw(st.booleans())
    n = draw(st.integers(1, 25))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))
    weights = draw(st.lists(st.floats(0.1, 10.0), min_size=len(pairs), max_size=len(pairs)))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))  # some nodes without ties: dangling in PageRank
    G.add_weighted_edges_from((u, v, w) for (u, v), w in zip(pairs, weights, strict=True) if u != v)
    return G


@settings(max_examples=60)
@given(G=graphs(), weight=st.sampled_from([None, "weight"]), alpha=st.sampled_from([0.85, 0.5]))
def test_pagerank_equals_networkx(G: nx.Graph, weight: str | None, alpha: float) -> None:
    """The same power iteration as networkx: equal within the stopping rule both use (the
    L1 change below ``n * 1e-6``; rounding can stop one of them an iteration earlier), and
    equal to 1e-9 when both iterate to a tight tolerance."""
    ours = m.pagerank(G, weight=weight, alpha=alpha)
    theirs = nx.pagerank(G, weight=weight, alpha=alpha)
    assert list(ours) == list(theirs)
    n = G.number_of_nodes()
    np.testing.assert_allclose(list(ours.values()), list(theirs.values()), rtol=0, atol=n * 1e-6)
    tight = _pagerank(_engine.edge_arrays(G, weight), alpha, max_iter=10_000, tol=1e-14)
    exact = nx.pagerank(G, weight=weight, alpha=alpha, max_iter=10_000, tol=1e-14)
    np.testing.assert_allclose(tight, [exact[v] for v in G], rtol=1e-9, atol=1e-12)


def test_pagerank_with_a_self_loop_is_networkx_s() -> None:
    G = nx.DiGraph([("a", "a"), ("a", "b"), ("b", "c")])
    assert m.pagerank(G) == pytest.approx(nx.pagerank(G))


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_betweenness_in_processes_equals_one_process(
    directed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("igraph")
    G = nx.gnm_random_graph(300, 1200, seed=4, directed=directed)
    for u, v in G.edges():
        G.edges[u, v]["distance"] = 1.0 + (u * 7 + v) % 5
    serial = m.betweenness(G, k=40, seed=1, weight="distance", engine="igraph")
    monkeypatch.setattr(_engine, "PARALLEL_WORK", 0)
    with _parallel.using_threads(2):
        split = m.betweenness(G, k=40, seed=1, weight="distance", engine="igraph")
    assert list(split) == list(serial)
    np.testing.assert_allclose(list(split.values()), list(serial.values()), rtol=1e-12)
    assert max(split.values()) > 0
