"""
Whole-network measures: reciprocity, components, clustering and the summary table.

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit._deprecation import renamed_keywords
from communitykit.errors import DataError
from communitykit.network._engine import (
    EdgeArrays,
    as_graph,
    edge_arrays,
)
from communitykit.network._measures._common import Groups, _relabel_by_size
from communitykit.network._measures.groups import cross_unit_tie_share, ei_index, modularity
from communitykit.network._model import DualOS
from communitykit.network._table import MeasureTable


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
    table = G._tie_table() if isinstance(G, DualOS) else None  # noqa: SLF001 - this package's
    if table is not None:  # the directed ties as arrays: no graph to build
        src, dst, n = table.src, table.dst, len(G.people)
    else:
        D = G.interactions if isinstance(G, DualOS) else as_graph(G)
        if not D.is_directed():
            msg = "reciprocity is defined for directed graphs only; pass a DiGraph or a DualOS"
            raise DataError(msg)
        arrays = edge_arrays(D)
        src, dst, n = arrays.src, arrays.dst, arrays.n
    if not len(src):
        return math.nan
    return float(np.isin(src * n + dst, dst * n + src).mean())


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
    ranked = _relabel_by_size(arrays.components()[1])
    return dict(zip(arrays.nodes, ranked.tolist(), strict=True))


def _local_clustering(arrays: EdgeArrays) -> tuple[npt.NDArray[np.float64], float]:
    """Return each node's clustering and the transitivity of the undirected, unweighted ties."""
    counts, degree = arrays.triangle_counts()
    tri, deg = counts.astype(np.float64), degree.astype(np.float64)
    pairs = deg * (deg - 1) / 2
    local = np.divide(tri, pairs, out=np.zeros_like(tri), where=pairs > 0)
    total = pairs.sum()
    return local, float(tri.sum() / total) if total > 0 else 0.0


def clustering(G: nx.Graph | DualOS) -> dict[Hashable, float]:
    """
    Return each person's local clustering coefficient: the share of pairs of their contacts
    who are tied to each other (Watts & Strogatz).

    Ties are undirected and unweighted (arcs of a directed graph are merged), as
    :func:`networkx.clustering` on the undirected graph; a person with fewer than two contacts
    has 0. The mean over all people is ``average_clustering`` of :func:`network_measures`.
    Computed with numpy from the graph's triangles, each enumerated once.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    >>> clustering(G)
    {'a': 1.0, 'b': 1.0, 'c': 0.3333333333333333, 'd': 0.0}

    .. versionadded:: 0.2
    """
    arrays = edge_arrays(as_graph(G))
    local, _ = _local_clustering(arrays)
    return dict(zip(arrays.nodes, local.tolist(), strict=True))


def transitivity(G: nx.Graph | DualOS) -> float:
    """
    Return the transitivity (global clustering): three times the triangles over the connected
    triples of the undirected, unweighted ties, as :func:`networkx.transitivity`.

    0 for a graph without two-step paths.

    Examples
    --------
    >>> transitivity(nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))
    0.6

    .. versionadded:: 0.2
    """
    return _local_clustering(edge_arrays(as_graph(G)))[1]


@renamed_keywords(groups="by")
def network_measures(
    G: nx.Graph | DualOS,
    *,
    by: Groups | None = None,
    weight: str | None = "weight",
) -> MeasureTable:
    """
    Return the whole-network measures as a tidy ``measure``/``value`` table.

    Rows: ``nodes``, ``ties``, ``density`` (as :func:`networkx.density`), ``components``
    (weakly connected), ``largest_component_share``, ``isolates``, ``average_clustering``
    and ``transitivity`` (on the undirected ties), ``reciprocity`` (directed graphs and
    :class:`~communitykit.network.DualOS`, else ``nan``) and, with *by* (a node attribute
    such as ``"org_unit"``, or a mapping node -> group), ``ei_index``,
    ``cross_unit_tie_share`` and ``modularity`` of the grouping. Computed with
    numpy/scipy.sparse.

    .. versionchanged:: 0.1 The grouping keyword is *by* (was *groups*).

    Examples
    --------
    >>> t = network_measures(nx.karate_club_graph(), by="club")
    >>> d = t.to_dict()
    >>> d["nodes"], d["ties"], round(d["density"], 4), round(d["transitivity"], 4)
    (34, 78, 0.139, 0.2557)

    .. versionadded:: 0.1
    """
    graph = as_graph(G)
    arrays = edge_arrays(graph)
    # the edge count from the (cached) arrays: networkx counts edges with a Python loop
    n, m = graph.number_of_nodes(), len(arrays.src) + arrays.self_loops
    pairs = n * (n - 1) if graph.is_directed() else n * (n - 1) / 2
    if n:
        count, labels = arrays.components()
        largest = float(np.bincount(labels).max() / n)
    else:
        count, largest = 0, math.nan
    deg = arrays.triangle_counts()[1]
    local, transitivity = _local_clustering(arrays)
    average = float(local.mean()) if n else math.nan
    directed = isinstance(G, DualOS) or graph.is_directed()
    rows: list[tuple[str, float | int]] = [
        ("nodes", n),
        ("ties", m),
        ("density", float(m / pairs) if pairs else 0.0),  # as networkx.density
        ("components", int(count)),
        ("largest_component_share", largest),
        ("isolates", int((deg == 0).sum())),
        ("average_clustering", average),
        ("transitivity", transitivity),
        ("reciprocity", reciprocity(G) if directed else math.nan),
    ]
    if by is not None:
        rows += [
            ("ei_index", ei_index(graph, by)),
            ("cross_unit_tie_share", cross_unit_tie_share(graph, by)),
            ("modularity", modularity(graph, by, weight=weight)),
        ]
    return MeasureTable(("measure", "value"), rows)
