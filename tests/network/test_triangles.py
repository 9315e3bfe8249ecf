"""The triangle enumeration behind clustering, constraint, effective size and brokerage."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.network import _triangles
from communitykit.network import metrics as m


@st.composite
def edge_lists(draw) -> tuple[int, np.ndarray, np.ndarray]:
    """Random multigraph edge lists on up to 14 nodes, self-loops and repeats included."""
    n = draw(st.integers(0, 14))
    if n == 0:
        return 0, np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    return n, src, dst


def _brute_force(n: int, src: np.ndarray, dst: np.ndarray) -> set[frozenset[int]]:
    tied = {frozenset((int(a), int(b))) for a, b in zip(src, dst, strict=True) if a != b}
    return {
        frozenset(t)
        for t in itertools.combinations(range(n), 3)
        if all(frozenset(p) in tied for p in itertools.combinations(t, 2))
    }


class TestTriangles:
    @pytest.mark.parametrize("chunk", [1, 3, 4_000_000])
    @given(edges=edge_lists())
    def test_every_triangle_is_found_once(self, chunk, edges):
        """Each triangle is listed exactly once, with the ties that join its three nodes."""
        n, src, dst = edges
        ties = _triangles.undirected_ties(n, src, dst)
        found: list[frozenset[int]] = []
        old = _triangles._CHUNK
        _triangles._CHUNK = chunk
        try:
            chunks = list(_triangles.triangles(ties))
        finally:
            _triangles._CHUNK = old
        for x, y, z, exy, exz, eyz in chunks:
            for row in zip(x, y, z, exy, exz, eyz, strict=True):
                a, b, c, e1, e2, e3 = (int(v) for v in row)
                assert {a, b} == {int(ties.u[e1]), int(ties.v[e1])}
                assert {a, c} == {int(ties.u[e2]), int(ties.v[e2])}
                assert {b, c} == {int(ties.u[e3]), int(ties.v[e3])}
                found.append(frozenset((a, b, c)))

        assert len(found) == len(set(found))
        assert _brute_force(n, src, dst) == set(found)

    @given(edges=edge_lists())
    def test_merged_ties_keep_the_summed_weight(self, edges):
        """Arcs in both directions and repeated edges merge into one tie with their summed weight."""
        n, src, dst = edges
        w = np.arange(1, len(src) + 1, dtype=np.float64)
        ties = _triangles.undirected_ties(n, src, dst, w)
        expected: dict[tuple[int, int], float] = {}
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            if a != b:
                key = (min(a, b), max(a, b))
                expected[key] = expected.get(key, 0.0) + x

        assert expected == {
            (int(a), int(b)): float(x) for a, b, x in zip(ties.u, ties.v, ties.weight, strict=True)
        }

    def test_hub_graph_local_measures_equal_networkx(self):
        """A hub-heavy graph (where the degree order matters most) gives networkx's values."""
        G = nx.barabasi_albert_graph(300, 4, seed=3)
        G.add_edges_from((0, v) for v in range(5, 300, 3))  # one big hub

        t = m.network_measures(G).to_dict()
        assert pytest.approx(nx.average_clustering(G)) == t["average_clustering"]
        assert pytest.approx(nx.transitivity(G)) == t["transitivity"]
        ours, theirs = m.constraint(G), nx.constraint(G)
        assert all(pytest.approx(theirs[v]) == ours[v] for v in G)
        ours, theirs = m.effective_size(G), nx.effective_size(G)
        assert all(pytest.approx(theirs[v]) == ours[v] for v in G)

    @pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph])
    def test_edge_count_and_density_equal_networkx_with_self_loops(self, kind):
        """Ties and density count self-loops as networkx does (multigraphs are refused)."""
        G = kind([(0, 1), (1, 1), (1, 2), (2, 0), (0, 1)])
        G.add_node(3)

        t = m.network_measures(G).to_dict()
        assert G.number_of_edges() == t["ties"]
        assert pytest.approx(nx.density(G)) == t["density"]


class TestClustering:
    @pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph])
    @given(edges=edge_lists())
    def test_local_clustering_and_transitivity_equal_networkx(self, kind, edges):
        """Per person and overall, on the undirected ties (self-loops and repeats included)."""
        n, src, dst = edges
        G = kind()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        U = G.to_undirected()
        U.remove_edges_from(list(nx.selfloop_edges(U)))

        assert m.clustering(G) == pytest.approx(nx.clustering(U))
        assert m.transitivity(G) == pytest.approx(nx.transitivity(U))

    @given(edges=edge_lists())
    def test_summary_average_is_the_mean_of_the_local_values(self, edges):
        """``average_clustering`` of the summary is the mean of :func:`clustering` over people."""
        n, src, dst = edges
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        t = m.network_measures(G).to_dict()
        local = list(m.clustering(G).values())

        if n:
            assert t["average_clustering"] == pytest.approx(sum(local) / n)
        assert t["transitivity"] == m.transitivity(G)

    def test_frozen_graph_results_do_not_change_when_cached(self):
        """A frozen graph's triangle counts and components are cached: repeated calls agree."""
        G = nx.freeze(nx.barabasi_albert_graph(200, 3, seed=1))
        first = (m.clustering(G), m.components(G), m.network_measures(G).to_dict())
        second = (m.clustering(G), m.components(G), m.network_measures(G).to_dict())

        assert first == second
        assert first[0] == pytest.approx(nx.clustering(G))


class TestTriangleCounts:
    @pytest.mark.parametrize("chunk", [1, 3, 4_000_000])
    @given(edges=edge_lists())
    def test_counts_and_degrees_equal_brute_force(self, chunk, edges):
        """Triangles per node and distinct neighbours, however the two-step paths are chunked."""
        n, src, dst = edges
        old = _triangles._CHUNK
        _triangles._CHUNK = chunk
        try:
            counts, degree = _triangles.triangle_counts(n, src, dst)
        finally:
            _triangles._CHUNK = old
        expected = np.zeros(n, dtype=np.int64)
        for t in _brute_force(n, src, dst):
            expected[list(t)] += 1
        neighbours = [set() for _ in range(n)]
        for a, b in zip(src.tolist(), dst.tolist(), strict=True):
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)

        assert counts.tolist() == expected.tolist()
        assert degree.tolist() == [len(s) for s in neighbours]
