"""
Groups: per-group measures, E-I index, cross-group tie share, modularity, community detection and
its comparison with the formal structure (NMI, alignment).

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Final

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from communitykit import _numeric
from communitykit._deprecation import UNSET, Unset, renamed_keywords
from communitykit.errors import ConfigError, DataError
from communitykit.network._engine import (
    EdgeArrays,
    as_graph,
    backend_kwargs,
    choose_engine,
    edge_arrays,
    engine_and_backend,
    group_codes,
    igraph_seed,
    make_rng,
    seed_int,
    to_igraph,
)
from communitykit.network._measures._common import Groups, _relabel_by_size
from communitykit.network._model import DualOS
from communitykit.network._table import MeasureTable
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size, suppression_mask

if TYPE_CHECKING:
    from communitykit.typing import Seed


GROUP_MEASURE_COLUMNS: Final[tuple[str, ...]] = (
    "group",
    "size",
    "active",
    "internal_ties",
    "external_ties",
    "density",
    "ei_index",
    "external_share",
    "partner_groups",
    "suppressed",
)
"""The columns of :func:`group_measures`."""


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


@renamed_keywords(groups="by")
def group_measures(
    G: nx.Graph | DualOS,
    by: Groups,
    *,
    weight: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> MeasureTable:
    """
    Return per-group size, internal density and Krackhardt & Stern's E-I index.

    A group of fewer than *min_group_size* people is suppressed: its row keeps only its name
    and ``suppressed=True`` (:func:`communitykit.privacy.suppression_mask`), as every number
    about a group of people.

    Parameters
    ----------
    G
        A graph (arcs of a directed graph are merged into ties), or a
        :class:`~communitykit.network.DualOS` (its undirected ties, every person a node).
    by
        The grouping: a node attribute name (``"org_unit"``, ``"community"``, ``"region"``) or
        a mapping node -> group. Nodes without a group are left out, and so are their ties.
    weight
        Edge attribute to sum for the tie counts and the E-I index (``None``: count ties).
        Density always counts ties.
    min_group_size
        Groups with fewer nodes are suppressed (default
        :data:`~communitykit.privacy.MIN_GROUP_SIZE`; ``0`` shows every group, for analyses
        that have the consent they need).

    Returns
    -------
    MeasureTable
        Columns ``group``, ``size`` (nodes), ``active`` (nodes with a tie), ``internal_ties``,
        ``external_ties``, ``density`` (internal ties over possible pairs; ``nan`` below 2
        nodes), ``ei_index`` (``(external - internal) / (external + internal)``; ``nan``
        without ties), ``external_share`` (``external / (external + internal)``),
        ``partner_groups`` (other groups tied to) and ``suppressed`` (the other columns are
        ``None`` where it is true).

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
    >>> t = group_measures(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, min_group_size=0)
    >>> t.column("ei_index"), t.column("density")
    ([-0.0, -0.0], [1.0, 1.0])
    >>> group_measures(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}).column("suppressed")
    [True, True]

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    .. versionchanged:: 0.2 Groups below *min_group_size* are suppressed (they were shown).
    """
    minimum = check_min_group_size(min_group_size)
    G = as_graph(G)
    arrays, codes, names, u, v, w = _tie_groups(G, by, weight)
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
    hidden = suppression_mask(size, min_group_size=minimum)
    rows: list[tuple[object, ...]] = []
    for i, name in enumerate(names):
        if hidden[i]:
            rows.append((name, *([None] * (len(GROUP_MEASURE_COLUMNS) - 2)), True))
            continue
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
                False,
            )
        )
    return MeasureTable(GROUP_MEASURE_COLUMNS, rows)


def _num(value: float, weight: str | None) -> float | int:
    return float(value) if weight is not None else int(value)


def _internal_external(
    G: nx.Graph | DualOS, groups: Groups, weight: str | None
) -> tuple[float, float]:
    _, codes, _, u, v, w = _tie_groups(as_graph(G), groups, weight)
    gu, gv = codes[u], codes[v]
    both = (gu >= 0) & (gv >= 0)
    return float(w[both & (gu == gv)].sum()), float(w[both & (gu != gv)].sum())


@renamed_keywords(groups="by")
def ei_index(G: nx.Graph | DualOS, by: Groups, *, weight: str | None = None) -> float:
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
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    """
    internal, external = _internal_external(G, by, weight)
    total = internal + external
    return (external - internal) / total if total > 0 else math.nan


@renamed_keywords(groups="by")
def cross_unit_tie_share(G: nx.Graph | DualOS, by: Groups, *, weight: str | None = None) -> float:
    """
    Return the share of ties that cross groups (``(E-I + 1) / 2``); ``nan`` without ties.

    The groups are usually the org units (hence the name, shared with the KPI
    ``cross_unit_tie_share`` and the row of :func:`network_measures`), but any grouping works.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> cross_unit_tie_share(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"})
    0.3333333333333333

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    .. versionchanged:: 0.1 Was ``cross_group_tie_share``; that name is deprecated.
    """
    internal, external = _internal_external(G, by, weight)
    total = internal + external
    return external / total if total > 0 else math.nan


@renamed_keywords(partition="by")
def modularity(
    G: nx.Graph | DualOS,
    by: Groups,
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
    .. versionchanged:: 0.1 The grouping is *by* (*partition=* is deprecated).
    """
    G = as_graph(G)
    arrays, codes, names, u, v, w = _tie_groups(G, by, weight)
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
    backend: str | Unset | None = UNSET,
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
    engine, backend = engine_and_backend(
        engine, backend, where="communitykit.network.metrics.detect_communities"
    )
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


@renamed_keywords(groups="by")
def community_alignment(
    G: nx.Graph | DualOS,
    by: Groups,
    *,
    method: str = "louvain",
    seed: Seed = None,
    weight: str | None = "weight",
    engine: str = "auto",
) -> MeasureTable:
    """
    Detect communities and measure how far they follow the groups (e.g. the org units).

    Returns
    -------
    MeasureTable
        ``measure``/``value`` rows: ``communities`` (detected), ``modularity`` (of the
        detected partition), ``group_modularity`` (of the grouping *by*) and ``nmi``
        (agreement of the two; near 0 means the informal network cuts across the formal
        units).

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> t = community_alignment(G, {n: n // 4 for n in G}, seed=1)
    >>> t.to_dict()["nmi"], t.to_dict()["communities"]
    (1.0, 2)

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    """
    G = as_graph(G)
    found = detect_communities(G, method=method, seed=seed, weight=weight, engine=engine)
    codes, names = group_codes(G, by)
    labels = {n: names[c] for n, c in zip(G, codes.tolist(), strict=True) if c >= 0}
    nmi = normalized_mutual_information(found, labels) if labels and found else math.nan
    return MeasureTable(
        ("measure", "value"),
        [
            ("communities", len(set(found.values()))),
            ("modularity", modularity(G, found, weight=weight) if found else math.nan),
            ("group_modularity", modularity(G, by, weight=weight)),
            ("nmi", nmi),
        ],
    )
