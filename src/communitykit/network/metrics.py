"""
Organisational network analysis (ONA) for the dual operating system.

Every measure takes a networkx graph -- or a :class:`~communitykit.network.DualOS`, in which case
it uses the undirected interaction ties :attr:`DualOS.ties <communitykit.network.DualOS.ties>`
(every person a node, so people without ties count) -- and returns

* per person: a ``dict`` keyed by node (the networkx convention);
* per group and for the whole network: a tidy :class:`Table` (``to_records()``,
  ``to_pandas()``).

Path-based measures (betweenness, closeness) read *weight* as a **length** (networkx's
convention). Interaction counts are strengths, not lengths: a :class:`DualOS` stores
``distance = 1 / weight`` on each tie for that purpose (``weight="distance"``).

Engines: degree, components, group measures, constraint, effective size, clustering and
modularity are computed with numpy / scipy.sparse. Betweenness, closeness and community detection
run on networkx or, with ``engine="igraph"`` (or ``"auto"`` on graphs of
:data:`~communitykit.network._engine.IGRAPH_THRESHOLD` nodes or more, when python-igraph is
installed), on python-igraph; both give the same values. ``backend=`` is handed to networkx's
dispatch, so nx-parallel or nx-cugraph work unchanged.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from communitykit import _numeric
from communitykit.errors import ConfigError, DataError
from communitykit.network._engine import (
    EdgeArrays,
    as_graph,
    backend_kwargs,
    choose_engine,
    edge_arrays,
    group_codes,
    igraph_seed,
    make_rng,
    seed_int,
    to_igraph,
)
from communitykit.network._model import DualOS
from communitykit.network._table import Table
from communitykit.network._triangles import Ties, triangles, undirected_ties

if TYPE_CHECKING:
    from communitykit.typing import Seed

__all__ = [
    "BROKERAGE_ROLES",
    "Coverage",
    "Table",
    "betweenness",
    "boundary_spanners",
    "brokerage",
    "closeness",
    "coalition_coverage",
    "coalition_reach",
    "community_alignment",
    "components",
    "constraint",
    "cross_group_tie_share",
    "degree",
    "detect_communities",
    "dual_os_measures",
    "effective_size",
    "ei_index",
    "eigenvector",
    "group_measures",
    "modularity",
    "network_measures",
    "normalized_mutual_information",
    "pagerank",
    "reciprocity",
    "reporting_overlap",
    "silo_bridging",
    "volunteer_share",
    "weighted_degree",
]

Groups = Mapping[Hashable, Hashable] | str
"""A node attribute name (``"org_unit"``) or a mapping node -> group."""

BROKERAGE_ROLES: Final[tuple[str, ...]] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
)
"""Gould & Fernandez's five brokerage roles, in the order :func:`brokerage` reports them."""

# ====================================================================== per person


def degree(G: nx.Graph | DualOS, *, weight: str | None = None) -> dict[Hashable, float]:
    """
    Return each node's degree (number of ties), or its weighted degree with *weight*.

    For a directed graph this is in-degree plus out-degree (as :meth:`networkx.DiGraph.degree`).
    Computed with numpy; self-loops are ignored.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its ties).
    weight
        Edge attribute to sum (e.g. ``"weight"`` for interaction counts); ``None`` counts ties.

    Returns
    -------
    dict
        Node -> degree (``float``).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> G.edges["a", "b"]["weight"] = 3
    >>> degree(G), degree(G, weight="weight")
    ({'a': 2.0, 'b': 1.0, 'c': 1.0}, {'a': 4.0, 'b': 3.0, 'c': 1.0})

    .. versionadded:: 0.1
    """
    arrays = edge_arrays(as_graph(G), weight)
    values = np.bincount(arrays.src, arrays.weight, minlength=arrays.n) + np.bincount(
        arrays.dst, arrays.weight, minlength=arrays.n
    )
    return dict(zip(arrays.nodes, values.tolist(), strict=True))


def weighted_degree(G: nx.Graph | DualOS, *, weight: str = "weight") -> dict[Hashable, float]:
    """
    Return each node's weighted degree (the sum of its ties' *weight*; strength).

    Examples
    --------
    >>> weighted_degree(nx.Graph([("a", "b", {"weight": 2.5})]))
    {'a': 2.5, 'b': 2.5}

    .. versionadded:: 0.1
    """
    return degree(G, weight=weight)


def betweenness(
    G: nx.Graph | DualOS,
    *,
    k: int | None = None,
    seed: Seed = None,
    normalized: bool = True,
    weight: str | None = None,
    engine: str = "auto",
    backend: str | None = None,
) -> dict[Hashable, float]:
    """
    Return each node's betweenness centrality: how often it lies on shortest paths.

    High betweenness marks the brokers who connect otherwise distant parts of the organisation
    -- and the bottlenecks who would leave a gap if they left.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    k
        If given, estimate from *k* source nodes drawn with *seed* (Brandes & Pich 2007):
        the subset betweenness from those sources, scaled by ``n / k``. Both engines use the
        same sources, so they agree exactly.
    seed
        Seed for the sample of sources.
    normalized
        Divide by the number of node pairs not including the node,
        ``(n - 1)(n - 2)`` (directed) or ``(n - 1)(n - 2) / 2`` (undirected).
    weight
        Edge attribute holding path *lengths* (``None``: every tie has length 1).
    engine
        ``"auto"``, ``"networkx"`` or ``"igraph"`` (see the module notes).
    backend
        A networkx backend (``"parallel"``, ``"cugraph"``), passed to networkx's dispatch.

    Returns
    -------
    dict
        Node -> betweenness (``float``).

    Raises
    ------
    ConfigError
        For an unknown engine, igraph requested but not installed, or *k* outside ``1..n``.

    References
    ----------
    - Brandes, U. (2001). A faster algorithm for betweenness centrality.
      *Journal of Mathematical Sociology* 25(2), 163-177.
    - Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
      *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> betweenness(G)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness(G, engine="igraph", normalized=False)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    rng = make_rng(seed)
    n = G.number_of_nodes()
    if n == 0:
        return {}
    eng = choose_engine(engine, G, backend)
    nodes = list(G)
    sources: npt.NDArray[np.int64] | None = None
    if k is not None:
        if not 1 <= k <= n:
            msg = f"k={k!r}; expected a number of sample sources between 1 and {n}"
            raise ConfigError(msg)
        sources = np.sort(rng.choice(n, size=k, replace=False))
    if eng == "networkx":
        if sources is None:
            raw = nx.betweenness_centrality(
                G, normalized=False, weight=weight, **backend_kwargs(backend)
            )
        else:
            raw = nx.betweenness_centrality_subset(
                G,
                [nodes[i] for i in sources.tolist()],
                nodes,
                normalized=False,
                weight=weight,
                **backend_kwargs(backend),
            )
        values = np.array([raw[v] for v in nodes], dtype=np.float64)
    else:
        arrays = edge_arrays(G, weight)
        g = to_igraph(arrays)
        values = np.asarray(
            g.betweenness(
                directed=arrays.directed,
                weights="weight" if weight is not None else None,
                sources=None if sources is None else sources.tolist(),
                targets=None,
            ),
            dtype=np.float64,
        )
    if sources is not None:
        values *= n / len(sources)
    if normalized:
        pairs = (n - 1) * (n - 2)
        if not G.is_directed():
            pairs /= 2
        values = values / pairs if pairs > 0 else np.zeros(n)
    return dict(zip(nodes, values.tolist(), strict=True))


def closeness(
    G: nx.Graph | DualOS,
    *,
    weight: str | None = None,
    engine: str = "auto",
    backend: str | None = None,
) -> dict[Hashable, float]:
    """
    Return each node's closeness centrality: how near it is to everyone it can reach.

    Uses networkx's definition with the Wasserman & Faust correction for disconnected graphs:
    ``(r - 1) / sum of distances * (r - 1) / (n - 1)`` where ``r`` is the number of nodes that
    reach the node (for directed graphs, incoming distances). A node nobody reaches has 0.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    weight
        Edge attribute holding path *lengths* (``None``: length 1).
    engine, backend
        As for :func:`betweenness`.

    Examples
    --------
    >>> closeness(nx.path_graph(3), engine="igraph")
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    n = G.number_of_nodes()
    if n == 0:
        return {}
    eng = choose_engine(engine, G, backend)
    if eng == "networkx":
        raw = nx.closeness_centrality(G, distance=weight, **backend_kwargs(backend))
        return {v: float(raw[v]) for v in G}
    arrays = edge_arrays(G, weight)
    g = to_igraph(arrays)
    mode = "in" if arrays.directed else "all"
    close = np.asarray(
        g.closeness(mode=mode, weights="weight" if weight is not None else None, normalized=True),
        dtype=np.float64,
    )
    if arrays.directed:
        reach = np.asarray(g.neighborhood_size(order=n, mode="in"), dtype=np.float64)
    else:
        _, labels = connected_components(arrays.adjacency(weighted=False), directed=False)
        reach = np.bincount(labels)[labels].astype(np.float64)
    scale = (reach - 1) / (n - 1) if n > 1 else np.zeros(n)
    values = np.where((reach > 1) & np.isfinite(close), close * scale, 0.0)
    return dict(zip(arrays.nodes, values.tolist(), strict=True))


def eigenvector(
    G: nx.Graph | DualOS,
    *,
    weight: str | None = "weight",
    engine: str = "auto",
    backend: str | None = None,
) -> dict[Hashable, float]:
    """
    Return each node's eigenvector centrality: tied to people who are themselves well tied.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    weight
        Edge attribute with tie strengths (``None``: 1 per tie).
    engine, backend
        As for :func:`betweenness`; both engines give the same values.

    Returns
    -------
    dict
        Node -> centrality; the vector has unit Euclidean norm over the largest component
        and is 0 elsewhere. An empty graph gives ``{}``, a graph without ties all 0.

    Notes
    -----
    Eigenvector centrality is not defined consistently on a disconnected graph (the leading
    eigenvalue is shared by the components, or the vector lives on one of them). It is
    therefore computed on the *largest* connected component -- for a directed graph the
    largest strongly connected component, with in-ties counting as networkx and igraph do;
    the first one in node order on a tie in size -- and every node outside it has 0.
    Self-loops are ignored. On a connected graph without self-loops the values equal
    :func:`networkx.eigenvector_centrality_numpy`. With ``engine="networkx"`` small
    components are solved densely (:func:`numpy.linalg.eig`), larger ones with scipy's
    ARPACK through networkx; ``engine="igraph"`` uses
    :meth:`igraph.Graph.eigenvector_centrality`, rescaled to unit norm.

    Examples
    --------
    >>> ev = eigenvector(nx.star_graph(3), weight=None)
    >>> round(ev[0], 3), round(ev[1], 3)
    (0.707, 0.408)
    >>> G = nx.union(nx.path_graph(3), nx.path_graph(2), rename=("a", "b"))
    >>> {k: round(v, 3) for k, v in eigenvector(G, weight=None, engine="igraph").items()}
    {'a0': 0.5, 'a1': 0.707, 'a2': 0.5, 'b0': 0.0, 'b1': 0.0}

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    out = dict.fromkeys(G, 0.0)
    eng = choose_engine(engine, G, backend)
    if G.number_of_edges() == nx.number_of_selfloops(G):
        return out
    parts = nx.strongly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    largest = max(parts, key=len)
    if len(largest) < 2:  # a directed graph without a cycle: no node is reached back
        return out
    H = G.subgraph([v for v in G if v in largest]).copy()
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    if eng == "igraph":
        g = to_igraph(edge_arrays(H, weight))
        vec = np.abs(np.asarray(g.eigenvector_centrality(weights="weight"), dtype=np.float64))
    elif H.number_of_nodes() <= _DENSE_EIGEN:
        M = nx.to_numpy_array(H, weight=weight, dtype=np.float64)
        values, vectors = np.linalg.eig(M.T)
        vec = np.abs(vectors[:, int(np.argmax(values.real))].real)
    else:
        raw = nx.eigenvector_centrality_numpy(H, weight=weight, **backend_kwargs(backend))
        vec = np.abs(np.array([raw[v] for v in H], dtype=np.float64))
    vec /= float(np.linalg.norm(vec))
    out.update(zip(H, vec.tolist(), strict=True))
    return out


_DENSE_EIGEN = 200
"""Components up to this many nodes get a dense eigendecomposition (ARPACK needs n > 2)."""


def pagerank(
    G: nx.Graph | DualOS,
    *,
    alpha: float = 0.85,
    weight: str | None = "weight",
    backend: str | None = None,
) -> dict[Hashable, float]:
    """
    Return each node's PageRank (the "centrality" of the Orbit model's reach).

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(2), weight=None)
    >>> round(pr[0], 2), round(sum(pr.values()), 6)
    (0.49, 1.0)

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    if G.number_of_nodes() == 0:
        return {}
    raw = nx.pagerank(G, alpha=alpha, weight=weight, **backend_kwargs(backend))
    return {v: float(raw[v]) for v in G}


_Directed = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]
"""A value per tie in each direction: (from the tie's ``u`` end, from its ``v`` end)."""


def _shares(arrays: EdgeArrays) -> tuple[Ties, _Directed, _Directed]:
    """
    Return the undirected ties and Burt's proportional tie strengths in both directions.

    The mutual weight of a tie is ``w_ij + w_ji`` (Burt's z_ij + z_ji);
    ``p_ij = z_ij / sum_k z_ik`` is the share of *i*'s ties invested in *j*, and
    ``m_ij = z_ij / max_k z_ik`` the tie relative to *i*'s strongest. Each is returned per tie
    as ``(from u, from v)``.
    """
    ties = undirected_ties(arrays.n, arrays.src, arrays.dst, arrays.weight)
    z = ties.weight
    total = _per_node(ties, (z, z))
    strongest = np.zeros(ties.n)
    np.maximum.at(strongest, ties.u, z)
    np.maximum.at(strongest, ties.v, z)

    def scaled(scale: npt.NDArray[np.float64]) -> _Directed:
        inv = np.divide(1.0, scale, out=np.zeros_like(scale), where=scale > 0)
        return z * inv[ties.u], z * inv[ties.v]

    return ties, scaled(total), scaled(strongest)


def _from(ties: Ties, values: _Directed, e: npt.NDArray[np.int64], a: npt.NDArray[np.int64]) -> Any:
    """Return ``values`` of ties *e* read from their end *a*."""
    return np.where(ties.u[e] == a, values[0][e], values[1][e])


def _indirect(ties: Ties, first: _Directed, second: _Directed, *, through: bool) -> _Directed:
    """
    Return, for every tie ``(i, j)`` in both directions, a sum over the common neighbours *q*.

    The sum is ``first_iq * second_qj`` with *through* (a two-step path ``i -> q -> j``), else
    ``first_iq * second_jq``. Only common neighbours contribute, so the sum runs over the
    triangles of the graph, not over all two-step paths.
    """
    m = len(ties.u)
    total = np.zeros(2 * m)
    for x, y, z, exy, exz, eyz in triangles(ties):
        for i, j, q, eij, eiq, ejq in (
            (x, y, z, exy, exz, eyz),
            (y, x, z, exy, eyz, exz),
            (x, z, y, exz, exy, eyz),
            (z, x, y, exz, eyz, exy),
            (y, z, x, eyz, exy, exz),
            (z, y, x, eyz, exz, exy),
        ):
            value = _from(ties, first, eiq, i) * _from(ties, second, ejq, q if through else j)
            total += np.bincount(2 * eij + (ties.u[eij] != i), value, minlength=2 * m)
    return total[0::2], total[1::2]


def _per_node(ties: Ties, values: _Directed) -> npt.NDArray[np.float64]:
    """Sum per-tie values into the node each direction starts from."""
    total = np.bincount(ties.u, values[0], minlength=ties.n) + np.bincount(
        ties.v, values[1], minlength=ties.n
    )
    return total.astype(np.float64)


def constraint(G: nx.Graph | DualOS, *, weight: str | None = None) -> dict[Hashable, float]:
    """
    Return Burt's constraint for each node: how much its ties lead back into one closed group.

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj) ** 2`` over the neighbours *j* of *i*, where
    ``p_ij`` is the share of *i*'s (mutual) tie weight invested in *j*. Low constraint means
    the person bridges structural holes; high constraint (up to 1 and a little above) means all
    their contacts know each other.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    weight
        Edge attribute with tie strengths (``None``: 1 per tie).

    Returns
    -------
    dict
        Node -> constraint; ``nan`` for a node without (out-)ties, as networkx does.

    Notes
    -----
    Vectorised with scipy.sparse; the values equal :func:`networkx.constraint`. Self-loops are
    ignored.

    References
    ----------
    - Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
      Harvard University Press, ch. 2.

    Examples
    --------
    >>> constraint(nx.star_graph(4))[0]
    0.25
    >>> round(constraint(nx.complete_graph(4))[0], 4)
    0.9259

    .. versionadded:: 0.1
    """
    arrays = edge_arrays(as_graph(G), weight)
    if arrays.n == 0:
        return {}
    ties, p, _ = _shares(arrays)
    indirect = _indirect(ties, p, p, through=True)
    values = _per_node(ties, ((p[0] + indirect[0]) ** 2, (p[1] + indirect[1]) ** 2))
    values[_no_ties(arrays)] = math.nan
    return dict(zip(arrays.nodes, values.tolist(), strict=True))


def _no_ties(arrays: EdgeArrays) -> npt.NDArray[np.bool_]:
    """Nodes networkx treats as tie-less: no out-ties (directed) or no ties (undirected)."""
    out = np.bincount(arrays.src, minlength=arrays.n)
    if not arrays.directed:
        out = out + np.bincount(arrays.dst, minlength=arrays.n)
    return np.asarray(out == 0)


def effective_size(G: nx.Graph | DualOS, *, weight: str | None = None) -> dict[Hashable, float]:
    """
    Return Burt's effective size for each node: its contacts minus their redundancy.

    ``e_i = sum_j (1 - sum_q p_iq m_jq)`` over the neighbours *j* of *i*, where ``m_jq`` is
    *j*'s tie to *q* relative to *j*'s strongest tie. For an unweighted undirected graph this
    is ``n - 2t / n`` with *n* contacts and *t* ties among them (Borgatti 1997): a person
    whose five contacts do not know each other has effective size 5; if they all know each
    other, 1.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    weight
        Edge attribute with tie strengths (``None``: 1 per tie).

    Returns
    -------
    dict
        Node -> effective size; ``nan`` for a node without (out-)ties, as networkx does.

    References
    ----------
    - Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
    - Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
      *Connections* 20(1), 35-38.

    Examples
    --------
    >>> effective_size(nx.star_graph(5))[0], effective_size(nx.complete_graph(6))[0]
    (5.0, 1.0)

    .. versionadded:: 0.1
    """
    arrays = edge_arrays(as_graph(G), weight)
    if arrays.n == 0:
        return {}
    ties, p, strongest = _shares(arrays)
    redundancy = _per_node(ties, _indirect(ties, p, strongest, through=False))
    values = ties.degree - redundancy
    values[_no_ties(arrays)] = math.nan
    return dict(zip(arrays.nodes, values.tolist(), strict=True))


def brokerage(G: nx.Graph | DualOS, groups: Groups) -> dict[Hashable, dict[str, int]]:
    """
    Count Gould & Fernandez's brokerage roles of each node for a grouping.

    For every open two-step path ``a -> b -> c`` (``a != c``, no tie ``a -> c``) the broker
    *b* gets one count in a role determined by the groups of *a*, *b* and *c*:

    ==================  ==========================  ============================================
    role                groups                      meaning
    ==================  ==========================  ============================================
    ``coordinator``     a = b = c                   brokers inside their own group
    ``itinerant``       a = c != b                  an outsider connecting two members of a
                                                    group (also called consultant)
    ``representative``  a = b != c                  carries their group's message out
    ``gatekeeper``      a != b = c                  lets outside news into their group
    ``liaison``         a, b, c all different       connects two groups they do not belong to
    ==================  ==========================  ============================================

    Parameters
    ----------
    G
        A graph (directed graphs use arc direction), or a
        :class:`~communitykit.network.DualOS` (its undirected ties).
    groups
        A node attribute name (``"org_unit"``) or a mapping node -> group. Paths through
        nodes without a group are not counted.

    Returns
    -------
    dict
        Node -> ``{role: count, ..., "total": count}``.

    Notes
    -----
    In an undirected graph every tie counts in both directions, so each open pair is counted
    once per direction and ``representative == gatekeeper`` (as UCINET does for symmetric
    data).

    References
    ----------
    - Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach
      to brokerage in transaction networks. *Sociological Methodology* 19, 89-126.

    Examples
    --------
    >>> G = nx.DiGraph([("a1", "b"), ("b", "c")])
    >>> brokerage(G, {"a1": "A", "b": "B", "c": "C"})["b"]["liaison"]
    1
    >>> brokerage(G, {"a1": "A", "b": "A", "c": "C"})["b"]["representative"]
    1

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    arrays = edge_arrays(G)
    codes, names = group_codes(G, groups)
    n, width = arrays.n, max(len(names), 1)
    src, dst = arrays.src, arrays.dst
    if not arrays.directed:
        src, dst = np.r_[src, dst], np.r_[dst, src]
    arcs = _numeric.unique(src * n + dst)  # every arc once, as the sorted key tail * n + head
    tail, head = (arcs // n, arcs % n) if n else (arcs, arcs)
    grouped = codes >= 0
    # The two-step paths a -> b -> c through each broker b, by the groups of a and c, counted
    # without listing them: products of b's in- and out-neighbour counts.
    both = grouped[tail] & grouped[head]
    tail, head = tail[both], head[both]
    same = codes[tail] == codes[head]
    in_all = np.bincount(head, minlength=n)
    in_own = np.bincount(head[same], minlength=n)
    out_all = np.bincount(tail, minlength=n)
    out_own = np.bincount(tail[same], minlength=n)
    in_keys, in_count = np.unique(head * width + codes[tail], return_counts=True)
    out_keys, out_count = np.unique(tail * width + codes[head], return_counts=True)
    common, i, o = np.intersect1d(in_keys, out_keys, assume_unique=True, return_indices=True)
    matched = np.bincount(common // width, in_count[i] * out_count[o], minlength=n)
    counts = np.zeros((n, len(BROKERAGE_ROLES)), dtype=np.int64)
    counts[:, 0] = in_own * out_own  # coordinator: a, b and c in one group
    counts[:, 1] = matched - counts[:, 0]  # itinerant: a and c in one group, b outside
    counts[:, 2] = in_own * (out_all - out_own)  # representative: a with b, c elsewhere
    counts[:, 3] = (in_all - in_own) * out_own  # gatekeeper: a elsewhere, c with b
    counts[:, 4] = (in_all - in_own) * (out_all - out_own) - counts[:, 1]  # liaison
    # ... less the paths that are not open: back to the start (a == c), or closed by a -> c
    back = _has(arcs, head * n + tail)
    a, b = tail[back], head[back]
    np.subtract.at(counts, (b, _role_code(codes[a], codes[b], codes[a])), 1)
    for x, y, z, *_ in triangles(undirected_ties(n, arrays.src, arrays.dst)):
        for a, b, c in ((x, y, z), (x, z, y), (y, x, z), (y, z, x), (z, x, y), (z, y, x)):
            closed = grouped[a] & grouped[b] & grouped[c]
            closed &= _has(arcs, a * n + b) & _has(arcs, b * n + c) & _has(arcs, a * n + c)
            ga, gb, gc = codes[a[closed]], codes[b[closed]], codes[c[closed]]
            np.subtract.at(counts, (b[closed], _role_code(ga, gb, gc)), 1)
    counts[~grouped] = 0
    names_out = (*BROKERAGE_ROLES, "total")
    table = np.column_stack([counts, counts.sum(axis=1)]).tolist()
    return {
        node: dict(zip(names_out, row, strict=True))
        for node, row in zip(arrays.nodes, table, strict=True)
    }


def _has(sorted_keys: npt.NDArray[np.int64], keys: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Return whether each of *keys* is in the sorted array *sorted_keys*."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[pos] == keys)


def _role_code(
    ga: npt.NDArray[np.int64], gb: npt.NDArray[np.int64], gc: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return the index in :data:`BROKERAGE_ROLES` of paths ``a -> b -> c`` by their groups."""
    return np.select(
        [(ga == gb) & (gb == gc), ga == gc, ga == gb, gb == gc],
        [0, 1, 2, 3],
        default=4,
    ).astype(np.int64)


def boundary_spanners(
    G: nx.Graph | DualOS, groups: Groups, *, min_groups: int = 1
) -> dict[Hashable, bool]:
    """
    Flag the boundary spanners: people with ties into at least *min_groups* other groups.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    groups
        A node attribute name or a mapping node -> group. A node without a group is never a
        spanner, and ties to such nodes do not count.
    min_groups
        How many groups besides their own a person must be tied to.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> boundary_spanners(G, {"a": "X", "b": "X", "c": "Y"})
    {'a': False, 'b': True, 'c': True}

    .. versionadded:: 0.1
    """
    if min_groups < 1:
        msg = f"min_groups={min_groups!r}; expected 1 or more"
        raise ConfigError(msg)
    G = as_graph(G)
    arrays = edge_arrays(G)
    codes, _ = group_codes(G, groups)
    src, dst = np.r_[arrays.src, arrays.dst], np.r_[arrays.dst, arrays.src]
    cross = (codes[src] >= 0) & (codes[dst] >= 0) & (codes[src] != codes[dst])
    width = max(int(codes.max()) + 1, 1) if len(codes) else 1
    pairs = _numeric.unique(src[cross] * width + codes[dst[cross]])
    reached = np.bincount(pairs // width, minlength=arrays.n)
    flags = (reached >= min_groups) & (codes >= 0)
    return dict(zip(arrays.nodes, flags.tolist(), strict=True))


# ====================================================================== per group


def _undirected_ties(arrays: EdgeArrays) -> tuple[npt.NDArray[np.int64], ...]:
    """Return (u, v, weight) with each unordered pair once (directed arcs merged, summed)."""
    merged = arrays.merged()
    return merged.src, merged.dst, merged.weight  # type: ignore[return-value,unused-ignore]


def _tie_groups(
    G: nx.Graph, groups: Groups, weight: str | None
) -> tuple[
    EdgeArrays,
    npt.NDArray[np.int64],
    list[Hashable],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
]:
    arrays = edge_arrays(G, weight)
    codes, names = group_codes(G, groups)
    u, v, w = _undirected_ties(arrays)
    return arrays, codes, names, u, v, w.astype(np.float64)


def group_measures(G: nx.Graph | DualOS, groups: Groups, *, weight: str | None = None) -> Table:
    """
    Return per-group size, internal density and Krackhardt & Stern's E-I index.

    Parameters
    ----------
    G
        A graph (arcs of a directed graph are merged into ties), or a
        :class:`~communitykit.network.DualOS` (its undirected ties, every person a node).
    groups
        A node attribute name (``"org_unit"``, ``"community"``, ``"region"``) or a mapping
        node -> group. Nodes without a group are left out, and so are their ties.
    weight
        Edge attribute to sum for the tie counts and the E-I index (``None``: count ties).
        Density always counts ties.

    Returns
    -------
    Table
        Columns ``group``, ``size`` (nodes), ``active`` (nodes with a tie), ``internal_ties``,
        ``external_ties``, ``density`` (internal ties over possible pairs; ``nan`` below 2
        nodes), ``ei_index`` (``(external - internal) / (external + internal)``; ``nan``
        without ties), ``external_share`` (``external / (external + internal)``) and
        ``partner_groups`` (other groups tied to).

    Notes
    -----
    An E-I index of -1 is a closed silo (all ties inside), +1 a group that only talks to others.
    Relabelling nodes does not change any value.

    References
    ----------
    - Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises:
      an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> t = group_measures(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"})
    >>> t.column("ei_index"), t.column("density")
    ([-0.0, -0.0], [1.0, 1.0])

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    arrays, codes, names, u, v, w = _tie_groups(G, groups, weight)
    k = len(names)
    gu, gv = codes[u], codes[v]
    both = (gu >= 0) & (gv >= 0)
    same = both & (gu == gv)
    cross = both & (gu != gv)
    internal = np.bincount(gu[same], w[same], minlength=k)
    internal_n = np.bincount(gu[same], minlength=k)
    external = np.bincount(gu[cross], w[cross], minlength=k) + np.bincount(
        gv[cross], w[cross], minlength=k
    )
    size = np.bincount(codes[codes >= 0], minlength=k)
    has_tie = np.zeros(arrays.n, dtype=bool)
    has_tie[u] = True
    has_tie[v] = True
    active = np.bincount(codes[(codes >= 0) & has_tie], minlength=k)
    pair_a = np.r_[gu[cross], gv[cross]]
    pair_b = np.r_[gv[cross], gu[cross]]
    partners = np.bincount(_numeric.unique(pair_a * max(k, 1) + pair_b) // max(k, 1), minlength=k)
    rows = []
    for i, name in enumerate(names):
        total = float(internal[i] + external[i])
        pairs = size[i] * (size[i] - 1) / 2
        rows.append(
            (
                name,
                int(size[i]),
                int(active[i]),
                _num(internal[i], weight),
                _num(external[i], weight),
                float(internal_n[i] / pairs) if pairs > 0 else math.nan,
                float((external[i] - internal[i]) / total) if total > 0 else math.nan,
                float(external[i] / total) if total > 0 else math.nan,
                int(partners[i]),
            )
        )
    return Table(
        (
            "group",
            "size",
            "active",
            "internal_ties",
            "external_ties",
            "density",
            "ei_index",
            "external_share",
            "partner_groups",
        ),
        rows,
    )


def _num(value: float, weight: str | None) -> float | int:
    return float(value) if weight is not None else int(value)


def _internal_external(
    G: nx.Graph | DualOS, groups: Groups, weight: str | None
) -> tuple[float, float]:
    _, codes, _, u, v, w = _tie_groups(as_graph(G), groups, weight)
    gu, gv = codes[u], codes[v]
    both = (gu >= 0) & (gv >= 0)
    return float(w[both & (gu == gv)].sum()), float(w[both & (gu != gv)].sum())


def ei_index(G: nx.Graph | DualOS, groups: Groups, *, weight: str | None = None) -> float:
    """
    Return Krackhardt & Stern's E-I index of the whole network for a grouping.

    ``(EL - IL) / (EL + IL)``: external minus internal ties over all ties (ties to nodes
    without a group are left out). -1: every tie stays inside a group (silos); +1: every tie
    crosses groups. ``nan`` without ties.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> ei_index(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"})
    -0.3333333333333333

    .. versionadded:: 0.1
    """
    internal, external = _internal_external(G, groups, weight)
    total = internal + external
    return (external - internal) / total if total > 0 else math.nan


def cross_group_tie_share(
    G: nx.Graph | DualOS, groups: Groups, *, weight: str | None = None
) -> float:
    """
    Return the share of ties that cross groups (``(E-I + 1) / 2``); ``nan`` without ties.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> cross_group_tie_share(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"})
    0.3333333333333333

    .. versionadded:: 0.1
    """
    internal, external = _internal_external(G, groups, weight)
    total = internal + external
    return external / total if total > 0 else math.nan


# ====================================================================== whole network


def reciprocity(G: nx.DiGraph | DualOS) -> float:
    """
    Return the share of directed ties that are returned (``a -> b`` with ``b -> a``).

    For a :class:`~communitykit.network.DualOS` the directed :attr:`interactions` are used
    (who answered whom). ``nan`` without ties.

    Raises
    ------
    DataError
        For an undirected graph, where reciprocity is not defined.

    Examples
    --------
    >>> reciprocity(nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")]))
    0.6666666666666666

    .. versionadded:: 0.1
    """
    D = G.interactions if isinstance(G, DualOS) else as_graph(G)
    if not D.is_directed():
        msg = "reciprocity is defined for directed graphs only; pass a DiGraph or a DualOS"
        raise DataError(msg)
    arrays = edge_arrays(D)
    if not len(arrays.src):
        return math.nan
    key = arrays.src * arrays.n + arrays.dst
    back = arrays.dst * arrays.n + arrays.src
    return float(np.isin(key, back).mean())


def modularity(
    G: nx.Graph | DualOS,
    partition: Groups,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """
    Return Newman's modularity of a partition (e.g. the org units) of the ties.

    ``Q = sum_c [L_c / m - resolution * (d_c / 2m) ** 2]`` with ``L_c`` the tie weight inside
    group *c*, ``d_c`` the summed degrees of its nodes and ``m`` the total weight. Directed
    graphs are read as undirected; nodes without a group form groups of their own.
    High modularity of the org-unit partition means interaction follows the org chart.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> round(modularity(G, {n: n < 3 for n in G}), 4)
    0.3571

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    arrays, codes, names, u, v, w = _tie_groups(G, partition, weight)
    m = float(w.sum())
    if m <= 0:
        return math.nan
    singles = np.flatnonzero(codes < 0)
    codes = codes.copy()
    codes[singles] = len(names) + np.arange(len(singles))
    k = len(names) + len(singles)
    same = codes[u] == codes[v]
    inside = np.bincount(codes[u][same], w[same], minlength=k)
    strength = np.bincount(u, w, minlength=arrays.n) + np.bincount(v, w, minlength=arrays.n)
    total = np.bincount(codes, strength, minlength=k)
    return float((inside / m - resolution * (total / (2 * m)) ** 2).sum())


def detect_communities(
    G: nx.Graph | DualOS,
    *,
    method: str = "louvain",
    seed: Seed = None,
    resolution: float = 1.0,
    weight: str | None = "weight",
    engine: str = "auto",
    backend: str | None = None,
) -> dict[Hashable, int]:
    """
    Find communities of densely tied people (Louvain or Leiden), seeded.

    Parameters
    ----------
    G
        A graph (directed graphs are read as undirected), or a
        :class:`~communitykit.network.DualOS` (its ties).
    method
        ``"louvain"`` (networkx or igraph) or ``"leiden"`` (igraph only; optimises modularity).
    seed
        Seed for the randomised order in both methods.
    resolution
        Modularity resolution (higher: smaller communities).
    weight
        Edge attribute with tie strengths (``None``: 1 per tie).
    engine, backend
        As for :func:`betweenness`.

    Returns
    -------
    dict
        Node -> community number; 0 is the largest community, isolated nodes get their own.

    Raises
    ------
    ConfigError
        For an unknown method, or Leiden without python-igraph.

    References
    ----------
    - Blondel, V. D. et al. (2008). Fast unfolding of communities in large networks.
      *J. Stat. Mech.* P10008.
    - Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden:
      guaranteeing well-connected communities. *Scientific Reports* 9, 5233.

    Examples
    --------
    >>> parts = detect_communities(nx.barbell_graph(4, 0), seed=1)
    >>> sorted(set(parts.values())), parts[0] == parts[3], parts[0] == parts[7]
    ([0, 1], True, False)

    .. versionadded:: 0.1
    """
    if method not in ("louvain", "leiden"):
        msg = f"method={method!r}; expected 'louvain' or 'leiden'"
        raise ConfigError(msg)
    G = as_graph(G)
    make_rng(seed)  # check it even when there is nothing to detect
    if G.number_of_nodes() == 0:
        return {}
    eng = "igraph" if method == "leiden" and engine == "auto" else choose_engine(engine, G, backend)
    if method == "leiden" and eng != "igraph":
        msg = "method='leiden' needs engine='igraph' (pip install 'communitykit[igraph]')"
        raise ConfigError(msg)
    if method == "leiden":
        choose_engine("igraph", G, backend)
    nodes = list(G)
    if eng == "networkx":
        U = G.to_undirected(as_view=True) if G.is_directed() else G
        sets = nx.community.louvain_communities(
            U, weight=weight, resolution=resolution, seed=seed_int(seed), **backend_kwargs(backend)
        )
        index = {v: i for i, v in enumerate(nodes)}
        labels = np.empty(len(nodes), dtype=np.int64)
        for c, members in enumerate(sets):
            labels[[index[v] for v in members]] = c
    else:
        g = to_igraph(edge_arrays(G, weight).merged())
        with igraph_seed(seed):
            if method == "louvain":
                clusters = g.community_multilevel(weights="weight", resolution=resolution)
            else:
                clusters = g.community_leiden(
                    objective_function="modularity",
                    weights="weight",
                    resolution=resolution,
                    n_iterations=-1,
                )
        labels = np.asarray(clusters.membership, dtype=np.int64)
    return dict(zip(nodes, _relabel_by_size(labels).tolist(), strict=True))


def _relabel_by_size(labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Number communities 0, 1, ... by decreasing size, ties by first appearance."""
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[np.searchsorted(uniq, labels)]


def normalized_mutual_information(
    a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]
) -> float:
    """
    Return the normalised mutual information of two partitions (over the nodes both label).

    ``NMI = 2 I(A; B) / (H(A) + H(B))`` (arithmetic normalisation, as scikit-learn's default):
    1 when the partitions are the same up to names, near 0 when they are unrelated. Two
    one-group partitions give 1.0. Used to ask whether detected communities follow the org
    units (NMI near 1) or cut across them (near 0).

    Raises
    ------
    DataError
        If the partitions share no node.

    Examples
    --------
    >>> normalized_mutual_information({1: "a", 2: "a", 3: "b"}, {1: 0, 2: 0, 3: 1})
    1.0
    >>> normalized_mutual_information({1: "a", 2: "b", 3: "a", 4: "b"}, {1: 0, 2: 0, 3: 1, 4: 1})
    0.0

    .. versionadded:: 0.1
    """
    common = [n for n in a if n in b and a[n] is not None and b[n] is not None]
    if not common:
        msg = "the partitions share no node; cannot compare them"
        raise DataError(msg)
    _, x = np.unique(np.array([repr(a[n]) for n in common]), return_inverse=True)
    _, y = np.unique(np.array([repr(b[n]) for n in common]), return_inverse=True)
    n = len(common)
    table = sp.coo_array((np.ones(n), (x, y))).tocsr().toarray() / n
    px, py = table.sum(axis=1), table.sum(axis=0)
    hx = -float(np.sum(px * np.log(px)))
    hy = -float(np.sum(py * np.log(py)))
    if hx == 0 and hy == 0:
        return 1.0
    nz = table > 0
    mi = float(np.sum(table[nz] * np.log(table[nz] / np.outer(px, py)[nz])))
    return max(0.0, min(1.0, 2 * mi / (hx + hy)))


def community_alignment(
    G: nx.Graph | DualOS,
    groups: Groups,
    *,
    method: str = "louvain",
    seed: Seed = None,
    weight: str | None = "weight",
    engine: str = "auto",
) -> Table:
    """
    Detect communities and measure how far they follow the groups (e.g. the org units).

    Returns
    -------
    Table
        ``measure``/``value`` rows: ``communities`` (detected), ``modularity`` (of the
        detected partition), ``group_modularity`` (of *groups*) and ``nmi`` (agreement of the
        two; near 0 means the informal network cuts across the formal units).

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> t = community_alignment(G, {n: n // 4 for n in G}, seed=1)
    >>> t.to_dict()["nmi"], t.to_dict()["communities"]
    (1.0, 2)

    .. versionadded:: 0.1
    """
    G = as_graph(G)
    found = detect_communities(G, method=method, seed=seed, weight=weight, engine=engine)
    codes, names = group_codes(G, groups)
    labels = {n: names[c] for n, c in zip(G, codes.tolist(), strict=True) if c >= 0}
    nmi = normalized_mutual_information(found, labels) if labels and found else math.nan
    return Table(
        ("measure", "value"),
        [
            ("communities", len(set(found.values()))),
            ("modularity", modularity(G, found, weight=weight) if found else math.nan),
            ("group_modularity", modularity(G, groups, weight=weight)),
            ("nmi", nmi),
        ],
    )


def components(G: nx.Graph | DualOS) -> dict[Hashable, int]:
    """
    Return each node's (weakly) connected component, numbered 0, 1, ... by decreasing size.

    Computed with :func:`scipy.sparse.csgraph.connected_components`; ties in size are numbered
    by first appearance.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> G.add_node("z")
    >>> components(G)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1, 'z': 2}

    .. versionadded:: 0.1
    """
    arrays = edge_arrays(as_graph(G))
    if arrays.n == 0:
        return {}
    _, labels = connected_components(
        arrays.adjacency(weighted=False), directed=True, connection="weak"
    )
    ranked = _relabel_by_size(labels.astype(np.int64))
    return dict(zip(arrays.nodes, ranked.tolist(), strict=True))


def _clustering(arrays: EdgeArrays) -> tuple[float, float]:
    """Return (average clustering, transitivity) of the undirected, unweighted ties."""
    ties = undirected_ties(arrays.n, arrays.src, arrays.dst)
    deg = ties.degree.astype(np.float64)
    tri = np.zeros(arrays.n)
    for x, y, z, *_ in triangles(ties):
        tri += np.bincount(np.concatenate((x, y, z)), minlength=arrays.n)
    pairs = deg * (deg - 1) / 2
    local = np.divide(tri, pairs, out=np.zeros_like(tri), where=pairs > 0)
    average = float(local.mean()) if arrays.n else math.nan
    transitivity = float(tri.sum() / pairs.sum()) if pairs.sum() > 0 else 0.0
    return average, transitivity


def network_measures(
    G: nx.Graph | DualOS, *, groups: Groups | None = None, weight: str | None = "weight"
) -> Table:
    """
    Return the whole-network measures as a tidy ``measure``/``value`` table.

    Rows: ``nodes``, ``ties``, ``density`` (as :func:`networkx.density`), ``components``
    (weakly connected), ``largest_component_share``, ``isolates``, ``average_clustering``
    and ``transitivity`` (on the undirected ties), ``reciprocity`` (directed graphs and
    :class:`~communitykit.network.DualOS`, else ``nan``) and, with *groups*, ``ei_index``,
    ``cross_group_tie_share`` and ``modularity`` of the grouping. Computed with
    numpy/scipy.sparse.

    Examples
    --------
    >>> t = network_measures(nx.karate_club_graph(), groups="club")
    >>> d = t.to_dict()
    >>> d["nodes"], d["ties"], round(d["density"], 4), round(d["transitivity"], 4)
    (34, 78, 0.139, 0.2557)

    .. versionadded:: 0.1
    """
    graph = as_graph(G)
    arrays = edge_arrays(graph)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if n:
        count, labels = connected_components(
            arrays.adjacency(weighted=False), directed=True, connection="weak"
        )
        largest = float(np.bincount(labels).max() / n)
    else:
        count, largest = 0, math.nan
    deg = np.bincount(arrays.src, minlength=n) + np.bincount(arrays.dst, minlength=n)
    average, transitivity = _clustering(arrays)
    directed = isinstance(G, DualOS) or graph.is_directed()
    rows: list[tuple[str, float | int]] = [
        ("nodes", n),
        ("ties", m),
        ("density", float(nx.density(graph))),
        ("components", int(count)),
        ("largest_component_share", largest),
        ("isolates", int((deg == 0).sum())),
        ("average_clustering", average),
        ("transitivity", transitivity),
        ("reciprocity", reciprocity(G) if directed else math.nan),
    ]
    if groups is not None:
        rows += [
            ("ei_index", ei_index(graph, groups)),
            ("cross_group_tie_share", cross_group_tie_share(graph, groups)),
            ("modularity", modularity(graph, groups, weight=weight)),
        ]
    return Table(("measure", "value"), rows)


# ====================================================================== dual operating system


@attrs.frozen
class Coverage:
    """
    How the guiding coalition covers the hierarchy's levels and org units.

    Attributes
    ----------
    table
        Columns ``dimension`` (``"level"`` or ``"org_unit"``), ``group``, ``people``,
        ``coalition`` (members in that level or unit) and ``covered``.
    level_share
        Share of hierarchy levels with at least one coalition member (``nan`` without levels).
    unit_share
        Share of org units with at least one coalition member (``nan`` without units).

    .. versionadded:: 0.1
    """

    table: Table
    level_share: float
    unit_share: float

    @property
    def missing_levels(self) -> list[Any]:
        """Levels without a coalition member."""
        return [r["group"] for r in self.table if r["dimension"] == "level" and not r["covered"]]

    @property
    def missing_units(self) -> list[Any]:
        """Org units without a coalition member."""
        return [r["group"] for r in self.table if r["dimension"] == "org_unit" and not r["covered"]]

    def to_records(self) -> list[dict[str, Any]]:
        """Return the table's rows as dicts."""
        return self.table.to_records()

    def to_pandas(self) -> Any:
        """Return the table as a :class:`pandas.DataFrame`."""
        return self.table.to_pandas()


def _person_groups(dos: DualOS, attribute: str) -> dict[Hashable, Hashable]:
    return {str(k): v for k, v in dos.attribute(attribute).items()}


def coalition_coverage(dos: DualOS, *, coalition: Iterable[str] | None = None) -> Coverage:
    """
    Return which hierarchy levels and org units have a member in the guiding coalition.

    Kotter: the coalition at the core of the network "represents each level in the hierarchy";
    a coalition drawn only from the top two levels misses what the front line knows.

    Parameters
    ----------
    dos
        The dual operating system (levels and units from its hierarchy).
    coalition
        People to use instead of ``dos.coalition`` (e.g. to test a proposed coalition).

    Examples
    --------
    >>> d = ck.Directory(
    ...     [
    ...         ck.Person("ceo", org_unit="Board"),
    ...         ck.Person("ana", org_unit="Sales", manager="ceo"),
    ...         ck.Person("bo", org_unit="IT", manager="ceo"),
    ...         ck.Person("cy", org_unit="IT", manager="bo"),
    ...     ]
    ... )
    >>> cov = coalition_coverage(ck.DualOS.from_directory(d).with_coalition(["ana", "cy"]))
    >>> round(cov.level_share, 3), round(cov.unit_share, 3), cov.missing_levels
    (0.667, 0.667, [0])

    .. versionadded:: 0.1
    """
    members = set(dos.coalition if coalition is None else coalition)
    rows: list[tuple[Any, ...]] = []
    shares = []
    for dimension in ("level", "org_unit"):
        mapping = _person_groups(dos, dimension)
        groups: dict[Any, list[int]] = {}
        for person, group in mapping.items():
            tally = groups.setdefault(group, [0, 0])
            tally[0] += 1
            tally[1] += person in members
        ordered = sorted(groups.items(), key=lambda kv: (str(type(kv[0])), kv[0]))
        for group, (people, inside) in ordered:
            rows.append((dimension, group, people, inside, inside > 0))
        shares.append(
            sum(1 for _, (_, c) in ordered if c > 0) / len(ordered) if ordered else math.nan
        )
    return Coverage(
        Table(("dimension", "group", "people", "coalition", "covered"), rows),
        float(shares[0]),
        float(shares[1]),
    )


def coalition_reach(dos: DualOS, *, k: int = 2, coalition: Iterable[str] | None = None) -> float:
    """
    Return the share of people within *k* hops of the guiding coalition in the network layer.

    The coalition itself counts (0 hops). ``nan`` for a dual operating system without people;
    0.0 without a coalition.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [
    ...         {"source": "a", "target": "b"},
    ...         {"source": "b", "target": "c"},
    ...         {"source": "c", "target": "d"},
    ...     ]
    ... ).with_coalition(["a"])
    >>> coalition_reach(dos, k=1), coalition_reach(dos, k=2)
    (0.5, 0.75)

    .. versionadded:: 0.1
    """
    if k < 0:
        msg = f"k={k!r}; expected 0 or more hops"
        raise ConfigError(msg)
    G = dos.ties
    if G.number_of_nodes() == 0:
        return math.nan
    arrays = edge_arrays(G)
    members = set(dos.coalition if coalition is None else coalition)
    reached = np.array([n in members for n in arrays.nodes], dtype=bool)
    A = arrays.adjacency(weighted=False)
    for _ in range(k):
        grown = reached | (A @ reached.astype(np.float64) > 0)
        if (grown == reached).all():
            break
        reached = grown
    return float(reached.mean())


def volunteer_share(dos: DualOS, *, start: object = None, end: object = None) -> float:
    """
    Return the share of the workforce active in the network layer: Kotter's volunteer army.

    A volunteer is a person in the hierarchy (bots excluded) with a network-layer edge: an
    interaction tie (one active in ``[start, end)`` when a window is given), or, without a
    window, a community or initiative membership, a lead or sponsor role, or a coalition seat.
    Kotter's rule of thumb is a volunteer army of 5-10 % of the workforce.

    Parameters
    ----------
    dos
        The dual operating system.
    start, end
        Optional window: only interaction ties with events in it count
        (``last >= start`` and ``first < end``).

    Examples
    --------
    >>> d = ck.Directory([ck.Person(p) for p in "abcd"])
    >>> dos = ck.DualOS.from_directory(d).with_memberships([{"person": "a", "community": "x"}])
    >>> volunteer_share(dos)
    0.25

    .. versionadded:: 0.1
    """
    from communitykit._time import as_datetime64

    workforce = [
        p
        for p in dos.people
        if "bot" not in dos.hierarchy.nodes[p].get("roles", ())
        and (dos.hierarchy.nodes[p].get("level") is not None or not dos.hierarchy.number_of_edges())
    ]
    if not workforce:
        return math.nan
    lo = None if start is None else as_datetime64(start)
    hi = None if end is None else as_datetime64(end)
    window = lo is not None or hi is not None
    active: set[Hashable] = set()
    for u, v, key, d in dos.network.edges(keys=True, data=True):
        if key == "interacts":
            first, last = d.get("first"), d.get("last")
            if window and (
                first is None or (lo is not None and last < lo) or (hi is not None and first >= hi)
            ):
                continue
            active.update((u, v))
        elif not window:
            active.add(u)
    return sum(1 for p in workforce if p in active) / len(workforce)


def reporting_overlap(dos: DualOS) -> Table:
    """
    Return how far the network's ties run along the reporting lines.

    Returns
    -------
    Table
        ``measure``/``value`` rows: ``reporting_lines``, ``ties``, ``shared`` (ties between a
        person and their manager), ``tie_share`` (``shared / ties``: how much of the network
        merely mirrors the hierarchy) and ``line_share`` (``shared / reporting_lines``: how many
        manager-report pairs also interact). ``nan`` where the denominator is 0.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [{"source": "a", "target": "m"}, {"source": "a", "target": "b"}],
    ...     [{"id": "m"}, {"id": "a", "manager": "m"}, {"id": "b", "manager": "m"}],
    ... )
    >>> reporting_overlap(dos).to_dict()
    {'reporting_lines': 2, 'ties': 2, 'shared': 1, 'tie_share': 0.5, 'line_share': 0.5}

    .. versionadded:: 0.1
    """
    lines = {frozenset((u, v)) for u, v, t in dos.hierarchy.edges(data="type") if t == "reports_to"}
    ties = {frozenset((u, v)) for u, v in dos.ties.edges()}
    shared = len(lines & ties)
    return Table(
        ("measure", "value"),
        [
            ("reporting_lines", len(lines)),
            ("ties", len(ties)),
            ("shared", shared),
            ("tie_share", shared / len(ties) if ties else math.nan),
            ("line_share", shared / len(lines) if lines else math.nan),
        ],
    )


def silo_bridging(dos: DualOS, *, by: str = "org_unit", weight: str | None = None) -> Table:
    """
    Return, per org unit (or other person attribute *by*), how far its interactions leave it.

    This is :func:`group_measures` on the dual operating system's ties: ``ei_index`` near -1
    marks a silo, near +1 a unit that works mostly with others; ``partner_groups`` counts the
    units it is tied to; ``active`` counts its people with any tie.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [{"source": "a", "target": "b"}],
    ...     [{"id": "a", "org_unit": "X"}, {"id": "b", "org_unit": "Y"}],
    ... )
    >>> silo_bridging(dos).column("ei_index")
    [1.0, 1.0]

    .. versionadded:: 0.1
    """
    return group_measures(dos, by, weight=weight)


def dual_os_measures(dos: DualOS, *, k: int = 2, by: str = "org_unit") -> Table:
    """
    Return the dual-operating-system summary as a ``measure``/``value`` table.

    Rows: ``people``, ``coalition``, ``level_coverage``, ``unit_coverage``,
    ``coalition_reach`` (within *k* hops), ``volunteer_share``, ``tie_reporting_overlap``
    (share of ties along reporting lines), ``line_interaction_share`` (share of reporting lines
    that interact), ``ei_index`` and ``cross_unit_tie_share`` (by org unit).

    Examples
    --------
    >>> d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b", org_unit="Y", manager="a")])
    >>> dos = ck.DualOS.from_directory(d).with_coalition(["a"])
    >>> dual_os_measures(dos).to_dict()["level_coverage"]
    0.5

    .. versionadded:: 0.1
    """
    coverage = coalition_coverage(dos)
    overlap = reporting_overlap(dos).to_dict()
    return Table(
        ("measure", "value"),
        [
            ("people", len(dos.people)),
            ("coalition", len(dos.coalition)),
            ("level_coverage", coverage.level_share),
            ("unit_coverage", coverage.unit_share),
            ("coalition_reach", coalition_reach(dos, k=k)),
            ("volunteer_share", volunteer_share(dos)),
            ("tie_reporting_overlap", overlap["tie_share"]),
            ("line_interaction_share", overlap["line_share"]),
            ("ei_index", ei_index(dos, by)),
            ("cross_unit_tie_share", cross_group_tie_share(dos, by)),
        ],
    )
