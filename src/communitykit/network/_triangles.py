"""
Triangles of an undirected simple graph, enumerated with numpy.

The local measures that look at a person's neighbourhood -- clustering, transitivity, Burt's
constraint and effective size, the closed two-step paths that brokerage leaves out -- only ever
need the triangles around each tie: a two-step path ``i - q - j`` adds to a measure of the pair
``(i, j)`` only when ``i`` and ``j`` are tied too. Enumerating the triangles once is
``O(sum of out-degree squared)`` with the ties oriented from the lower- to the higher-degree end
(Chiba & Nishizeki 1985; Schank & Wagner 2005), far below the ``O(sum of degree squared)`` of a
sparse ``A @ A`` on graphs with hubs.

Internal: the measures in :mod:`communitykit.network.metrics` use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Ties", "triangles", "undirected_ties"]

_CHUNK: Final = 4_000_000
"""Two-step paths held in memory at once while looking for triangles."""

IntArray = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Ties:
    """
    The undirected simple ties of a graph of *n* nodes: each unordered pair once, ``u < v``.

    Attributes
    ----------
    n
        Number of nodes (``0 .. n - 1``).
    u, v
        The two ends of each tie, ``u < v``, sorted by ``(u, v)``.
    weight
        The summed weight of the arcs or edges merged into each tie.
    """

    n: int
    u: IntArray
    v: IntArray
    weight: npt.NDArray[np.float64]

    @property
    def degree(self) -> IntArray:
        """Distinct neighbours of each node."""
        return np.bincount(self.u, minlength=self.n) + np.bincount(self.v, minlength=self.n)


def undirected_ties(
    n: int, src: IntArray, dst: IntArray, weight: npt.NDArray[np.float64] | None = None
) -> Ties:
    """Merge arcs or edges ``src - dst`` into undirected simple ties (self-loops dropped)."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.ones(len(src)) if weight is None else np.asarray(weight, dtype=np.float64)
    keep = src != dst
    lo = np.minimum(src[keep], dst[keep])
    hi = np.maximum(src[keep], dst[keep])
    keys, inverse = np.unique(lo * n + hi, return_inverse=True)
    merged = np.bincount(inverse, w[keep], minlength=len(keys)).astype(np.float64)
    if not n:
        return Ties(n, keys, keys, merged)
    return Ties(n, keys // n, keys % n, merged)


def triangles(ties: Ties) -> Iterator[tuple[IntArray, ...]]:
    """
    Yield the triangles of *ties* in chunks, each triangle once.

    Each chunk is ``(x, y, z, e_xy, e_xz, e_yz)``: the three nodes of each triangle and the
    indices (into ``ties.u`` / ``ties.v``) of its three ties.
    """
    n, m = ties.n, len(ties.u)
    if m == 0:
        return
    # relabel nodes by (degree, id) and orient each tie from its lower to its higher end
    node = np.lexsort((np.arange(n), ties.degree))
    rank = np.empty(n, dtype=np.int64)
    rank[node] = np.arange(n)
    ru, rv = rank[ties.u], rank[ties.v]
    tail, head = np.minimum(ru, rv), np.maximum(ru, rv)
    key = tail * n + head
    edge = np.argsort(key, kind="stable")
    key, tail, head = key[edge], tail[edge], head[edge]
    start = np.concatenate(([0], np.cumsum(np.bincount(tail, minlength=n))))
    # every oriented tie x -> y pairs with the later ties x -> z of the same tail (y < z)
    later = (start[tail + 1] - np.arange(m) - 1).astype(np.int64)
    cum = np.cumsum(later)
    total = int(cum[-1])
    if total == 0:
        return
    cuts = np.searchsorted(cum, np.arange(_CHUNK, total, _CHUNK), "right")
    for first in np.split(np.arange(m), cuts):
        if not len(first):
            continue
        count = later[first]
        begin = cum[first] - count  # where each tie's pairs start among all pairs
        p = np.repeat(first, count)
        q = np.arange(begin[0], begin[0] + len(p), dtype=np.int64)
        q += np.repeat(first + 1 - begin, count)
        wanted = head[p] * n + head[q]
        pos = np.minimum(np.searchsorted(key, wanted), m - 1)
        found = key[pos] == wanted
        p, q, pos = p[found], q[found], pos[found]
        yield node[tail[p]], node[head[p]], node[head[q]], edge[p], edge[q], edge[pos]
