"""Tests for the ONA measures: reference values, engine agreement, properties, bad input."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import ConfigError, DataError
from communitykit.network import _engine, _triangles
from communitykit.network import metrics as m
from communitykit.network._measures import centrality

HAS_IGRAPH = _engine.igraph_available()
ENGINES = ("networkx", "igraph") if HAS_IGRAPH else ("networkx",)
needs_igraph = pytest.mark.skipif(not HAS_IGRAPH, reason="needs the igraph extra")


@st.composite
def small_graphs(draw, *, directed: bool | None = None, weighted: bool = False) -> nx.Graph:
    """Random small simple graphs (no self-loops), optionally directed and integer-weighted."""
    n = draw(st.integers(0, 12))
    is_directed = draw(st.booleans()) if directed is None else directed
    G = nx.DiGraph() if is_directed else nx.Graph()
    G.add_nodes_from(range(n))
    if n > 1:
        pairs = draw(
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda p: p[0] != p[1]
                ),
                max_size=3 * n,
            )
        )
        for u, v in pairs:
            G.add_edge(u, v, weight=draw(st.integers(1, 4)) if weighted else 1)
    return G


def _grouping(draw: st.DrawFn, G: nx.Graph) -> dict[int, str]:
    return {n: draw(st.sampled_from(["x", "y", "z"])) for n in G}


class TestReferenceNetworks:
    def test_karate_club_betweenness(self):
        """Zachary's karate club: Mr. Hi (0) and the officer (33) are the top brokers.

        Values as published for the 34-node club (Zachary 1977, J. Anthropol. Res. 33(4)),
        normalised betweenness 0.4376 and 0.3041 (also networkx's test values).
        """
        K = nx.karate_club_graph()

        for engine in ENGINES:
            b = m.betweenness(K, engine=engine)
            assert pytest.approx(0.43763528138528146) == b[0]
            assert pytest.approx(0.30407497594997596) == b[33]

    def test_karate_club_factions_e_i_index(self):
        """The two factions (networkx's ``club`` attribute) are near-silos.

        Hand count from the data: 11 of the 78 ties cross the factions, so
        E-I = (11 - 67) / 78 = -0.7179 (Krackhardt & Stern 1988's formula), cross share 11/78.
        """
        K = nx.karate_club_graph()

        assert pytest.approx(-56 / 78) == m.ei_index(K, "club")
        assert pytest.approx(11 / 78) == m.cross_unit_tie_share(K, "club")
        table = m.group_measures(K, "club").to_dict()
        assert (
            table["Mr. Hi"]["internal_ties"],
            table["Mr. Hi"]["external_ties"],
            table["Mr. Hi"]["size"],
        ) == (35, 11, 17)
        assert pytest.approx((11 - 35) / 46) == table["Mr. Hi"]["ei_index"]
        assert pytest.approx(35 / (17 * 16 / 2)) == table["Mr. Hi"]["density"]

    def test_karate_club_factions_modularity_matches_networkx(self):
        """Modularity of the faction split equals networkx's own computation."""
        K = nx.karate_club_graph()
        parts = [{n for n in K if K.nodes[n]["club"] == c} for c in ("Mr. Hi", "Officer")]

        for weight in (None, "weight"):
            expected = nx.community.modularity(K, parts, weight=weight)
            assert pytest.approx(expected) == m.modularity(K, "club", weight=weight)

    def test_karate_club_communities_follow_the_split(self):
        """Detected communities agree with the factions well beyond chance, on both engines."""
        K = nx.karate_club_graph()

        for engine in ENGINES:
            t = m.community_alignment(K, "club", seed=42, engine=engine).to_dict()
            assert t["nmi"] > 0.4
            assert t["modularity"] > t["group_modularity"]
        if HAS_IGRAPH:  # Leiden is igraph's
            leiden = m.community_alignment(K, "club", seed=42, method="leiden").to_dict()
            assert leiden["nmi"] > 0.4

    def test_florentine_families_medici(self):
        """Padgett's Florentine marriages: the Medici have betweenness 47.5 (normalised 0.522).

        Padgett & Ansell (1993), Am. J. Sociol. 98(6); the value 47.5 is the standard textbook
        figure for networkx's 15-family marriage network.
        """
        F = nx.florentine_families_graph()

        for engine in ENGINES:
            assert (
                pytest.approx(47.5) == m.betweenness(F, normalized=False, engine=engine)["Medici"]
            )
        assert pytest.approx(47.5 / 91) == m.betweenness(F)["Medici"]
        assert 6.0 == max(m.degree(F).values()) == m.degree(F)["Medici"]

    def test_krackhardt_kite(self):
        """Krackhardt's kite (1990): Diane has most ties, Fernando and Garth are closest,
        Heather is the broker.

        Krackhardt, D. (1990). Assessing the political landscape. Adm. Sci. Q. 35(2).
        Nodes 0-9 are Andre, Beverly, Carol, Diane, Ed, Fernando, Garth, Heather, Ike, Jane.
        """
        kite = nx.krackhardt_kite_graph()

        assert m.degree(kite)[3] == 6.0
        for engine in ENGINES:
            b = m.betweenness(kite, normalized=False, engine=engine)
            c = m.closeness(kite, engine=engine)
            assert pytest.approx(14.0) == b[7]
            assert pytest.approx(25 / 3) == b[5] == b[6]
            assert pytest.approx(9 / 14) == c[5] == c[6]


class TestStructuralHoles:
    def test_constraint_worked_examples(self):
        """Burt (1992, ch. 2): a triad member has constraint (1/2 + 1/4) ** 2 * 2 = 1.125;
        the hub of a star with n spokes 1/n; a K4 member 3 * (1/3 + 2/9) ** 2 = 75/81."""
        assert pytest.approx(1.125) == m.constraint(nx.complete_graph(3))[0]
        assert pytest.approx(0.2) == m.constraint(nx.star_graph(5))[0]
        assert pytest.approx(75 / 81) == m.constraint(nx.complete_graph(4))[0]

    def test_effective_size_worked_example(self):
        """Borgatti (1997, Connections 20(1)): effective size = n - 2t/n. Ego with four
        contacts and two ties among them (a-b, c-d) has 4 - 2*2/4 = 3."""
        G = nx.Graph([("ego", x) for x in "abcd"] + [("a", "b"), ("c", "d")])

        assert pytest.approx(3.0) == m.effective_size(G)["ego"]

    def test_isolates_are_nan_as_in_networkx(self):
        """A node without ties has undefined constraint and effective size."""
        G = nx.Graph([(0, 1)])
        G.add_node(2)

        assert math.isnan(m.constraint(G)[2])
        assert math.isnan(m.effective_size(G)[2])

    @given(small_graphs(weighted=True))
    def test_constraint_equals_networkx(self, G):
        """The vectorised constraint equals :func:`networkx.constraint` on any small graph.

        networkx's per-node path (``nodes=list(G)``) is used: its whole-graph path fails on a
        graph without edges, where ours returns NaN per node.
        """
        for weight in (None, "weight"):
            ours = m.constraint(G, weight=weight)
            theirs = nx.constraint(G, nodes=list(G), weight=weight)
            for n in G:
                assert ours[n] == pytest.approx(theirs[n], nan_ok=True)

    @given(small_graphs(weighted=True))
    def test_effective_size_equals_networkx(self, G):
        """The vectorised effective size equals networkx's per-node definition.

        Compared with ``nx.effective_size(G, nodes=list(G))``: networkx 3.6's whole-graph fast
        path disagrees with its own per-node formula on weighted and directed graphs.
        """
        for weight in (None, "weight"):
            ours = m.effective_size(G, weight=weight)
            theirs = nx.effective_size(G, nodes=list(G), weight=weight)
            for n in G:
                assert ours[n] == pytest.approx(theirs[n], nan_ok=True)


class TestEngines:
    @needs_igraph
    @given(small_graphs())
    def test_igraph_and_networkx_agree_on_betweenness_and_closeness(self, G):
        """Both engines give the same exact betweenness and closeness on random small graphs."""
        for normalized in (True, False):
            a = m.betweenness(G, engine="networkx", normalized=normalized)
            b = m.betweenness(G, engine="igraph", normalized=normalized)
            assert a == pytest.approx(b)
        assert m.closeness(G, engine="networkx") == pytest.approx(m.closeness(G, engine="igraph"))

    @needs_igraph
    @given(small_graphs(weighted=True), st.integers(0, 2**16))
    def test_engines_agree_on_weighted_and_sampled_betweenness(self, G, seed):
        """With integer path lengths and the same k sampled sources the engines agree."""
        k = max(1, G.number_of_nodes() // 2) if G.number_of_nodes() else None
        a = m.betweenness(G, engine="networkx", weight="weight", k=k, seed=seed)
        b = m.betweenness(G, engine="igraph", weight="weight", k=k, seed=seed)

        assert a == pytest.approx(b)

    def test_sampling_all_sources_is_exact(self):
        """With k = n the estimate equals the exact betweenness."""
        K = nx.karate_club_graph()

        assert m.betweenness(K, k=34, seed=1) == pytest.approx(m.betweenness(K))

    @needs_igraph
    def test_auto_engine_uses_igraph_on_large_graphs(self, monkeypatch):
        """``engine='auto'`` switches to igraph at the threshold, networkx below or without it."""
        small, big = nx.path_graph(10), nx.path_graph(_engine.IGRAPH_THRESHOLD)

        assert _engine.choose_engine("auto", small, None) == "networkx"
        assert _engine.choose_engine("auto", big, None) == "igraph"
        assert _engine.choose_engine("auto", big, "parallel") == "networkx"
        monkeypatch.setattr(_engine, "igraph_available", lambda: False)
        assert _engine.choose_engine("auto", big, None) == "networkx"
        with pytest.raises(ConfigError, match="needs python-igraph"):
            _engine.choose_engine("igraph", big, None)

    def test_backend_is_passed_to_networkx(self):
        """The old ``backend='networkx'`` goes through networkx's dispatch, with a warning."""
        K = nx.karate_club_graph()

        with pytest.warns(DeprecationWarning, match=r"betweenness\(backend=...\) is deprecated"):
            old = m.betweenness(K, backend="networkx")
        assert old == pytest.approx(m.betweenness(K, engine="networkx"))
        if HAS_IGRAPH:
            with (
                pytest.warns(DeprecationWarning, match="use engine="),
                pytest.raises(ConfigError, match="is a networkx backend"),
            ):
                m.betweenness(K, engine="igraph", backend="parallel")

    def test_engine_names_a_networkx_dispatch_backend(self, monkeypatch):
        """``engine=`` takes an installed networkx backend and hands it to networkx's dispatch."""
        K = nx.karate_club_graph()
        seen = []
        real = nx.pagerank
        monkeypatch.setattr(_engine, "_dispatch_backends", lambda: ("parallel",))
        monkeypatch.setattr(
            nx, "pagerank", lambda G, **kw: seen.append(kw.pop("backend", None)) or real(G, **kw)
        )

        assert m.pagerank(K, engine="parallel") == pytest.approx(m.pagerank(K))
        assert ["parallel"] == seen  # without a backend, our own power iteration
        with pytest.raises(ConfigError, match=r"engine='cugraph'.*'parallel'"):
            m.pagerank(K, engine="cugraph")

    def test_bad_engine_and_k(self):
        """Unknown engines, impossible k and Leiden on networkx are ConfigErrors."""
        K = nx.karate_club_graph()

        with pytest.raises(ConfigError, match="engine='gpu'"):
            m.betweenness(K, engine="gpu")
        with pytest.raises(ConfigError, match="k=99"):
            m.betweenness(K, k=99)
        with pytest.raises(ConfigError, match="needs engine='igraph'"):
            m.detect_communities(K, method="leiden", engine="networkx")
        with pytest.raises(ConfigError, match="method='infomap'"):
            m.detect_communities(K, method="infomap")

    @needs_igraph
    @given(small_graphs(directed=False), st.integers(0, 100))
    def test_detected_communities_are_a_partition_numbered_by_size(self, G, seed):
        """Every node gets a community; 0 is the largest; the same seed repeats."""
        parts = m.detect_communities(G, seed=seed, engine="igraph")

        assert set(G) == set(parts)
        if parts:
            sizes = [list(parts.values()).count(c) for c in range(max(parts.values()) + 1)]
            assert sizes == sorted(sizes, reverse=True)
        assert parts == m.detect_communities(G, seed=seed, engine="igraph")


class TestGroupMeasures:
    def test_e_i_worked_example(self):
        """Krackhardt & Stern (1988) E-I = (EL - IL) / (EL + IL), by hand.

        Groups A = {a1, a2, a3}, B = {b1, b2}; ties a1-a2, a2-a3, a1-a3 (internal A),
        b1-b2 (internal B), a3-b1 and a1-b2 (external). Whole network: (2 - 4) / 6 = -1/3.
        Group A: external 2, internal 3 -> -1/5; group B: external 2, internal 1 -> +1/3.
        """
        G = nx.Graph(
            [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("a3", "b1"), ("a1", "b2")]
        )
        groups = {n: n[0] for n in G}

        assert pytest.approx(-1 / 3) == m.ei_index(G, groups)
        table = m.group_measures(G, groups, min_group_size=0).to_dict()
        assert pytest.approx(-1 / 5) == table["a"]["ei_index"]
        assert pytest.approx(1 / 3) == table["b"]["ei_index"]
        assert 1.0 == table["a"]["density"] == table["b"]["density"]
        assert table["a"]["partner_groups"] == 1

    def test_weighted_e_i_and_directed_ties_merge(self):
        """Directed arcs merge into one tie; weights sum when asked for."""
        D = nx.DiGraph()
        D.add_edge("a", "b", weight=3)
        D.add_edge("b", "a", weight=1)
        D.add_edge("a", "c", weight=1)
        groups = {"a": "x", "b": "x", "c": "y"}

        assert pytest.approx(-1 / 3) == m.ei_index(D, groups)
        assert pytest.approx((1 - 4) / 5) == m.ei_index(D, groups, weight="weight")

    def test_groups_below_the_minimum_size_are_suppressed(self):
        """A 4-person group shows only its name; the 5-person group beside it is shown."""
        G = nx.Graph()
        small = [f"s{i}" for i in range(4)]
        large = [f"l{i}" for i in range(5)]
        G.add_edges_from(itertools.pairwise(small))
        G.add_edges_from(itertools.pairwise(large))
        G.add_edge("s0", "l0")
        by = {n: n[0] for n in G}
        table = m.group_measures(G, by).to_dict()

        assert table["s"]["suppressed"] is True
        assert all(v is None for k, v in table["s"].items() if k != "suppressed")
        assert table["l"]["suppressed"] is False
        assert table["l"]["size"] == 5
        assert m.group_measures(G, by, min_group_size=0).to_dict()["s"]["size"] == 4
        with pytest.raises(ConfigError):
            m.group_measures(G, by, min_group_size=-1)

    def test_ungrouped_nodes_and_empty_graphs(self):
        """Ties to ungrouped nodes are ignored; no ties give NaN, not a crash."""
        G = nx.Graph([("a", "b"), ("b", "c")])

        assert m.ei_index(G, {"a": "x", "b": "x"}) == -1.0
        assert math.isnan(m.ei_index(nx.Graph(), {}))
        assert len(m.group_measures(nx.Graph(), "unit")) == 0
        t = m.group_measures(nx.empty_graph(3), {0: "x"}, min_group_size=0).to_dict()
        assert math.isnan(t["x"]["density"])
        assert math.isnan(t["x"]["ei_index"])

    @given(st.data())
    def test_e_i_index_lies_in_minus_one_to_one(self, data):
        """The E-I index of the network and of every group lies in [-1, 1] (or is NaN)."""
        G = data.draw(small_graphs(weighted=True))
        groups = _grouping(data.draw, G)
        values = [m.ei_index(G, groups), m.ei_index(G, groups, weight="weight")]
        values += m.group_measures(G, groups, min_group_size=0).column("ei_index")

        for value in values:
            assert math.isnan(value) or -1.0 <= value <= 1.0

    @given(st.data())
    def test_relabelling_nodes_does_not_change_group_measures(self, data):
        """Renaming nodes (groups kept) leaves every group measure unchanged."""
        G = data.draw(small_graphs())
        groups = _grouping(data.draw, G)
        perm = data.draw(st.permutations(list(G)))
        mapping = {n: f"p{p}" for n, p in zip(G, perm, strict=True)}
        H = nx.relabel_nodes(G, mapping)
        relabelled = {mapping[n]: g for n, g in groups.items()}

        before = m.group_measures(G, groups, min_group_size=0).to_records()
        after = m.group_measures(H, relabelled, min_group_size=0).to_records()
        assert repr(before) == repr(after)  # exact, NaN included
        assert m.modularity(G, groups) == pytest.approx(m.modularity(H, relabelled), nan_ok=True)

    @given(st.data())
    def test_modularity_equals_networkx(self, data):
        """Modularity of any partition equals networkx's on undirected graphs."""
        G = data.draw(small_graphs(directed=False, weighted=True))
        if G.number_of_edges() == 0:
            return
        groups = _grouping(data.draw, G)
        parts = [{n for n in G if groups[n] == g} for g in set(groups.values())]

        assert pytest.approx(nx.community.modularity(G, parts)) == m.modularity(G, groups)


class TestBrokerage:
    def test_each_role_by_hand(self):
        """Gould & Fernandez (1989): the five roles of the broker b on a -> b -> c."""
        G = nx.DiGraph([("a", "b"), ("b", "c")])
        cases = {
            "coordinator": ("X", "X", "X"),
            "itinerant": ("X", "Y", "X"),
            "representative": ("X", "X", "Y"),
            "gatekeeper": ("Y", "X", "X"),
            "liaison": ("X", "Y", "Z"),
        }
        for role, (ga, gb, gc) in cases.items():
            counts = m.brokerage(G, {"a": ga, "b": gb, "c": gc})["b"]
            assert 1 == counts[role] == counts["total"]

    def test_closed_triads_do_not_broker(self):
        """If a already reaches c, b brokers nothing."""
        G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])

        assert m.brokerage(G, {"a": "X", "b": "X", "c": "X"})["b"]["total"] == 0

    def test_undirected_counts_both_directions(self):
        """Undirected ties count both ways, so representative == gatekeeper."""
        G = nx.Graph([("a", "b"), ("b", "c")])
        counts = m.brokerage(G, {"a": "X", "b": "X", "c": "Y"})["b"]

        assert (counts["representative"], counts["gatekeeper"], counts["total"]) == (1, 1, 2)

    @given(st.data())
    def test_roles_add_up_to_the_open_paths(self, data):
        """The five roles partition the open two-paths of every fully grouped broker."""
        G = data.draw(small_graphs(directed=True))
        groups = _grouping(data.draw, G)
        result = m.brokerage(G, groups)

        for counts in result.values():
            assert counts["total"] == sum(counts[r] for r in m.BROKERAGE_ROLES)

    @given(st.data())
    def test_roles_equal_a_brute_force_count(self, data):
        """The vectorised count equals a loop over every broker's in- and out-neighbours."""
        G = data.draw(small_graphs())
        groups = {n: g for n, g in _grouping(data.draw, G).items() if data.draw(st.booleans())}
        D = G if G.is_directed() else G.to_directed()

        expected = {n: dict.fromkeys((*m.BROKERAGE_ROLES, "total"), 0) for n in G}
        for b in D:
            for a in D.predecessors(b):
                for c in D.successors(b):
                    if a == c or D.has_edge(a, c) or not {a, b, c} <= set(groups):
                        continue
                    ga, gb, gc = groups[a], groups[b], groups[c]
                    role = (
                        "coordinator"
                        if ga == gb == gc
                        else "itinerant"
                        if ga == gc
                        else "representative"
                        if ga == gb
                        else "gatekeeper"
                        if gb == gc
                        else "liaison"
                    )
                    expected[b][role] += 1
                    expected[b]["total"] += 1

        assert expected == m.brokerage(G, groups)

    def test_chunked_counting_gives_the_same_roles(self, monkeypatch):
        """Looking for the closed paths in many small chunks gives the same result as in one."""
        K = nx.karate_club_graph()
        whole = m.brokerage(K, "club")
        monkeypatch.setattr(_triangles, "_CHUNK", 7)

        assert whole == m.brokerage(K, "club")

    def test_boundary_spanners(self):
        """Spanners have ties into enough other groups; ungrouped people never span."""
        G = nx.Graph([("a", "b"), ("b", "c"), ("b", "d"), ("e", "a")])
        groups = {"a": "X", "b": "X", "c": "Y", "d": "Z"}

        assert m.boundary_spanners(G, groups) == {
            "a": False,
            "b": True,
            "c": True,
            "d": True,
            "e": False,
        }
        assert m.boundary_spanners(G, groups, min_groups=2)["b"]
        assert not m.boundary_spanners(G, groups, min_groups=2)["c"]
        with pytest.raises(ConfigError, match="min_groups=0"):
            m.boundary_spanners(G, groups, min_groups=0)


class TestWholeNetwork:
    def test_measures_match_networkx(self):
        """Density, components, clustering and transitivity equal networkx's."""
        G = nx.karate_club_graph()
        G.add_edges_from([(100, 101), (102, 103)])
        G.add_node(200)
        t = m.network_measures(G).to_dict()

        assert pytest.approx(nx.density(G)) == t["density"]
        assert 4 == t["components"] == nx.number_connected_components(G)
        assert t["isolates"] == 1
        assert pytest.approx(nx.average_clustering(G)) == t["average_clustering"]
        assert pytest.approx(nx.transitivity(G)) == t["transitivity"]
        assert math.isnan(t["reciprocity"])

    def test_reciprocity(self):
        """Reciprocity equals networkx's overall reciprocity; undirected graphs are refused."""
        D = nx.gnp_random_graph(30, 0.2, seed=3, directed=True)

        assert pytest.approx(nx.overall_reciprocity(D)) == m.reciprocity(D)
        assert math.isnan(m.reciprocity(nx.DiGraph()))
        with pytest.raises(DataError, match="directed graphs only"):
            m.reciprocity(nx.Graph([(0, 1)]))

    def test_degree_and_centralities_match_networkx(self):
        """Degree, weighted degree, eigenvector and PageRank equal networkx's values."""
        K = nx.karate_club_graph()

        assert dict(K.degree()) == m.degree(K)
        assert dict(K.degree(weight="weight")) == pytest.approx(m.weighted_degree(K))
        assert nx.pagerank(K) == pytest.approx(m.pagerank(K))
        assert nx.eigenvector_centrality_numpy(K, weight="weight") == pytest.approx(
            m.eigenvector(K), abs=1e-6
        )

    def test_empty_graph_results_are_defined(self):
        """On an empty graph per-node measures are empty and whole-network counts are 0."""
        E = nx.Graph()

        assert {} == m.betweenness(E) == m.closeness(E) == m.constraint(E) == m.degree(E)
        assert {} == m.pagerank(E) == m.eigenvector(E) == m.detect_communities(E)
        t = m.network_measures(E).to_dict()
        assert (t["nodes"], t["ties"], t["components"]) == (0, 0, 0)
        assert m.eigenvector(nx.empty_graph(1)) == {0: 0.0}

    def test_multigraphs_and_non_graphs_are_refused(self):
        """A multigraph or a non-graph is a DataError that says what to pass instead."""
        with pytest.raises(DataError, match="multigraphs are not supported"):
            m.degree(nx.MultiGraph([(0, 1), (0, 1)]))
        with pytest.raises(DataError, match="expected a networkx graph or a DualOS"):
            m.degree([(0, 1)])  # type: ignore[arg-type]
        with pytest.raises(DataError, match="groups must be a node attribute name"):
            m.ei_index(nx.path_graph(3), 42)  # type: ignore[arg-type]

    def test_self_loops_are_ignored(self):
        """Self-loops do not count as ties in degree or group measures."""
        G = nx.Graph([(0, 1), (1, 1)])

        assert m.degree(G) == {0: 1.0, 1: 1.0}
        assert m.ei_index(G, {0: "x", 1: "x"}) == -1.0

    def test_nmi(self):
        """NMI is 1 for equal partitions up to names, 0 for independent ones; needs overlap."""
        assert m.normalized_mutual_information({1: "a", 2: "b"}, {1: 7, 2: 8}) == 1.0
        assert m.normalized_mutual_information({1: "a", 2: "a"}, {1: 0, 2: 0}) == 1.0
        assert (
            m.normalized_mutual_information(
                {1: "a", 2: "b", 3: "a", 4: "b"}, {1: 0, 2: 0, 3: 1, 4: 1}
            )
            == 0.0
        )
        with pytest.raises(DataError, match="share no node"):
            m.normalized_mutual_information({1: "a"}, {2: "a"})


class TestEigenvectorOnDisconnectedGraphs:
    @pytest.mark.parametrize("dense", [200, 2])
    def test_largest_component_gets_networkx_values_and_the_rest_zero(self, dense, monkeypatch):
        """On a disconnected graph the largest component has networkx's vector; others 0."""
        monkeypatch.setattr(centrality, "_DENSE_EIGEN", dense)  # dense and ARPACK paths
        K = nx.karate_club_graph()
        G = nx.union(K, nx.path_graph(["x", "y", "z"]))
        G.add_node("alone")

        ev = m.eigenvector(G)

        assert {v: ev[v] for v in K} == pytest.approx(
            nx.eigenvector_centrality_numpy(K, weight="weight"), abs=1e-6
        )
        assert ev["x"] == ev["y"] == ev["z"] == ev["alone"] == 0.0

    def test_directed_graph_uses_the_largest_strongly_connected_component(self):
        """A directed graph: the largest strong component as networkx sees it, else 0."""
        D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3), (4, 5)])

        ev = m.eigenvector(D, weight=None)

        assert [round(ev[v], 6) for v in range(3)] == [round(1 / math.sqrt(3), 6)] * 3
        assert ev[3] == ev[4] == ev[5] == 0.0
        assert set(m.eigenvector(nx.DiGraph([(0, 1), (1, 2)])).values()) == {0.0}

    @given(small_graphs())
    def test_never_raises_and_values_are_a_unit_vector(self, G):
        """Any small graph, connected or not: finite values in [0, 1], norm 1 or all 0."""
        ev = m.eigenvector(G, weight=None)

        assert list(ev) == list(G)
        values = list(ev.values())
        assert all(0.0 <= v <= 1.0 + 1e-9 for v in values)
        norm = math.sqrt(sum(v * v for v in values))
        assert norm == pytest.approx(1.0) or norm == 0.0


class TestSeeds:
    @pytest.mark.parametrize("engine", ENGINES)
    def test_negative_seed_is_a_config_error(self, engine):
        """A negative seed is refused with a ConfigError that quotes it, on every engine."""
        K = nx.karate_club_graph()

        with pytest.raises(ConfigError, match=r"seed=-1; expected an integer >= 0"):
            m.betweenness(K, k=5, seed=-1, engine=engine)
        with pytest.raises(ConfigError, match=r"seed=-1; expected an integer >= 0"):
            m.betweenness(K, seed=-1, engine=engine)
        with pytest.raises(ConfigError, match=r"seed=-1; expected an integer >= 0"):
            m.detect_communities(K, seed=-1, engine=engine)
        with pytest.raises(ConfigError, match=r"seed='x'; expected an integer >= 0"):
            m.betweenness(K, k=5, seed="x", engine=engine)  # type: ignore[arg-type]

    def test_valid_seeds_are_accepted(self):
        """0, a numpy integer, a Generator and None all work."""
        K = nx.karate_club_graph()

        assert m.betweenness(K, k=5, seed=np.int64(3)) == m.betweenness(K, k=5, seed=3)
        assert len(m.betweenness(K, k=5, seed=np.random.default_rng(0))) == 34
        assert len(m.betweenness(K, k=5, seed=None)) == len(m.betweenness(K, k=5, seed=0))


class TestGroupAttributeNames:
    def test_misspelt_attribute_is_a_config_error_listing_the_real_ones(self):
        """A group attribute no node has is refused, naming the node attributes there are."""
        K = nx.karate_club_graph()

        for measure in (m.ei_index, m.group_measures, m.brokerage):
            with pytest.raises(ConfigError, match=r"groups='clb'.*node attributes: club"):
                measure(K, "clb")
        with pytest.raises(ConfigError, match=r"groups='clb'.*node attributes: club"):
            m.community_alignment(K, "clb", seed=1)

    def test_attribute_without_values_still_means_no_group(self):
        """An attribute some nodes have keeps working; nodes without it are in no group."""
        G = nx.path_graph(4)
        G.nodes[0]["unit"] = G.nodes[1]["unit"] = "A"
        G.nodes[2]["unit"] = "B"

        assert m.ei_index(G, "unit") == 0.0  # one tie inside A, one across; 2-3 has no group
        assert m.ei_index(nx.Graph(), "unit") != m.ei_index(nx.Graph(), "unit")  # nan, no error


class TestEigenvectorEngines:
    @needs_igraph
    @given(small_graphs(weighted=True))
    def test_engines_agree_on_any_graph(self, G):
        """igraph and networkx give the same eigenvector values, connected or not."""
        a = m.eigenvector(G, engine="networkx")
        b = m.eigenvector(G, engine="igraph")

        assert list(a) == list(b)
        assert list(a.values()) == pytest.approx(list(b.values()), abs=1e-6)

    def test_self_loops_are_ignored(self):
        """A self-loop changes nothing, on either engine."""
        K = nx.karate_club_graph()
        L = K.copy()
        L.add_edge(0, 0, weight=5)

        for engine in ENGINES:
            assert m.eigenvector(L, engine=engine) == pytest.approx(m.eigenvector(K), abs=1e-6)
