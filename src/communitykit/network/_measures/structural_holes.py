"""
Structural holes and brokerage per person: Burt's constraint and effective size, Gould & Fernandez's
brokerage roles, boundary spanners.

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any, Final

import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._deprecation import renamed_keywords
from communitykit.errors import ConfigError
from communitykit.network._engine import (
    EdgeArrays,
    as_graph,
    edge_arrays,
    group_codes,
)
from communitykit.network._measures._common import Groups
from communitykit.network._model import DualOS
from communitykit.network._triangles import Ties, triangles

BROKERAGE_ROLES: Final[tuple[str, ...]] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
)
"""Gould & Fernandez's five brokerage roles, in the order :func:`brokerage` reports them."""


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
    ties = arrays.ties()
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


@renamed_keywords(groups="by")
def brokerage(G: nx.Graph | DualOS, by: Groups) -> dict[Hashable, dict[str, int]]:
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
    by
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
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    """
    G = as_graph(G)
    arrays = edge_arrays(G)
    codes, names = group_codes(G, by)
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
    _subtract(counts, b, _role_code(codes[a], codes[b], codes[a]))
    ties = arrays.ties()
    forward = _has(arcs, ties.u * n + ties.v)  # arc u -> v of each tie, looked up once
    backward = _has(arcs, ties.v * n + ties.u)

    def arc(e: npt.NDArray[np.int64], start: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether tie *e* has an arc leaving its end *start*."""
        return np.where(ties.u[e] == start, forward[e], backward[e])

    for x, y, z, exy, exz, eyz in triangles(ties):
        # the six orders (a, b, c) of each triangle, with the ties a-b, b-c and a-c
        for a, b, c, eab, ebc, eac in (
            (x, y, z, exy, eyz, exz),
            (x, z, y, exz, eyz, exy),
            (y, x, z, exy, exz, eyz),
            (y, z, x, eyz, exz, exy),
            (z, x, y, exz, exy, eyz),
            (z, y, x, eyz, exy, exz),
        ):
            closed = grouped[a] & grouped[b] & grouped[c]
            closed &= arc(eab, a) & arc(ebc, b) & arc(eac, a)
            ga, gb, gc = codes[a[closed]], codes[b[closed]], codes[c[closed]]
            _subtract(counts, b[closed], _role_code(ga, gb, gc))
    counts[~grouped] = 0
    names_out = (*BROKERAGE_ROLES, "total")
    table = np.column_stack([counts, counts.sum(axis=1)]).tolist()
    return {
        node: dict(zip(names_out, row, strict=True))
        for node, row in zip(arrays.nodes, table, strict=True)
    }


def _subtract(
    counts: npt.NDArray[np.int64], rows: npt.NDArray[np.int64], roles: npt.NDArray[np.int64]
) -> None:
    """Take one count off ``counts[row, role]`` per pair (repeated pairs count repeatedly)."""
    width = counts.shape[1]
    flat = counts.reshape(-1)  # a view: counts is C-contiguous
    flat -= np.bincount(rows * width + roles, minlength=flat.size).astype(np.int64)


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


@renamed_keywords(groups="by")
def boundary_spanners(
    G: nx.Graph | DualOS, by: Groups, *, min_groups: int = 1
) -> dict[Hashable, bool]:
    """
    Flag the boundary spanners: people with ties into at least *min_groups* other groups.

    Parameters
    ----------
    G
        A graph, or a :class:`~communitykit.network.DualOS` (its undirected ties).
    by
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
    .. versionchanged:: 0.1 The grouping is *by* (*groups=* is deprecated).
    """
    if min_groups < 1:
        msg = f"min_groups={min_groups!r}; expected 1 or more"
        raise ConfigError(msg)
    G = as_graph(G)
    arrays = edge_arrays(G)
    codes, _ = group_codes(G, by)
    src, dst = np.r_[arrays.src, arrays.dst], np.r_[arrays.dst, arrays.src]
    cross = (codes[src] >= 0) & (codes[dst] >= 0) & (codes[src] != codes[dst])
    width = max(int(codes.max()) + 1, 1) if len(codes) else 1
    pairs = _numeric.unique(src[cross] * width + codes[dst[cross]])
    reached = np.bincount(pairs // width, minlength=arrays.n)
    flags = (reached >= min_groups) & (codes >= 0)
    return dict(zip(arrays.nodes, flags.tolist(), strict=True))
