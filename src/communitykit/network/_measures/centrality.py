"""
Centrality per person: degree, betweenness, closeness, eigenvector and PageRank.

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from communitykit._deprecation import UNSET, Unset
from communitykit.errors import ConfigError
from communitykit.network._engine import (
    EdgeArrays,
    as_graph,
    backend_kwargs,
    choose_engine,
    edge_arrays,
    engine_and_backend,
    igraph_betweenness,
    make_rng,
    to_igraph,
)
from communitykit.network._model import DualOS

if TYPE_CHECKING:
    from communitykit.typing import Seed


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
    backend: str | Unset | None = UNSET,
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
        ``"auto"``, ``"networkx"``, ``"igraph"`` (see the module notes), or an installed
        networkx dispatch backend (``"parallel"``, ``"cugraph"``), which runs on networkx
        through it.
    backend
        Deprecated: the old spelling of a networkx dispatch backend; use *engine*.

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
    engine, backend = engine_and_backend(
        engine, backend, where="communitykit.network.metrics.betweenness"
    )
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
        values = igraph_betweenness(arrays, sources, weighted=weight is not None)
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
    backend: str | Unset | None = UNSET,
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
    engine, backend = engine_and_backend(
        engine, backend, where="communitykit.network.metrics.closeness"
    )
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
        _, labels = arrays.components()
        reach = np.bincount(labels)[labels].astype(np.float64)
    scale = (reach - 1) / (n - 1) if n > 1 else np.zeros(n)
    values = np.where((reach > 1) & np.isfinite(close), close * scale, 0.0)
    return dict(zip(arrays.nodes, values.tolist(), strict=True))


def eigenvector(
    G: nx.Graph | DualOS,
    *,
    weight: str | None = "weight",
    engine: str = "auto",
    backend: str | Unset | None = UNSET,
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
    engine, backend = engine_and_backend(
        engine, backend, where="communitykit.network.metrics.eigenvector"
    )
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
    engine: str = "auto",
    backend: str | Unset | None = UNSET,
) -> dict[Hashable, float]:
    """
    Return each node's PageRank (the "centrality" of the Orbit model's reach).

    *engine* is ``"networkx"`` or an installed networkx dispatch backend (``"parallel"``,
    ``"cugraph"``); ``"auto"`` is networkx. *backend* is its deprecated old spelling.

    Examples
    --------
    >>> pr = pagerank(nx.star_graph(2), weight=None)
    >>> round(pr[0], 2), round(sum(pr.values()), 6)
    (0.49, 1.0)

    .. versionadded:: 0.1
    """
    engine, backend = engine_and_backend(
        engine, backend, where="communitykit.network.metrics.pagerank"
    )
    if engine == "igraph":
        msg = "pagerank runs on networkx; engine='igraph' is not available for it"
        raise ConfigError(msg)
    G = as_graph(G)
    if G.number_of_nodes() == 0:
        return {}
    arrays = edge_arrays(G, weight)
    if backend is not None or arrays.self_loops:
        raw = nx.pagerank(G, alpha=alpha, weight=weight, **backend_kwargs(backend))
        return {v: float(raw[v]) for v in G}
    return dict(zip(arrays.nodes, _pagerank(arrays, alpha).tolist(), strict=True))


def _pagerank(
    arrays: EdgeArrays, alpha: float, *, max_iter: int = 100, tol: float = 1.0e-6
) -> npt.NDArray[np.float64]:
    """
    PageRank by power iteration on the sparse adjacency, step for step as networkx computes
    it (uniform start and teleport, dangling nodes spread uniformly, stop when the L1 change is
    below ``n * tol``).

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        After *max_iter* iterations without convergence, as networkx does.
    """
    n = arrays.n
    A = arrays.adjacency()
    out_weight = np.asarray(A.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out_weight, out=np.zeros(n), where=out_weight != 0)
    P = (sp.diags_array(inverse) @ A).tocsr()
    p = np.full(n, 1.0 / n)
    x = p.copy()
    dangling = np.flatnonzero(out_weight == 0)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ P + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            return np.asarray(x, dtype=np.float64)
    raise nx.PowerIterationFailedConvergence(max_iter)
