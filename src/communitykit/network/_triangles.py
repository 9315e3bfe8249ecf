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

import itertools
from collections.abc import Iterator
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Ties", "triangle_counts", "triangles", "undirected_ties"]

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
    n = ties.n
    if not len(ties.u):
        return
    node, rank = _degree_order(n, ties.degree)
    ru, rv = rank[ties.u], rank[ties.v]
    key = np.minimum(ru, rv) * n + np.maximum(ru, rv)
    edge = np.argsort(key)  # the keys are distinct: any sort gives the same order
    rows = _Rows.from_keys(n, key[edge])
    for p, q, pos in _closed_paths(rows):
        tail, head = rows.tail, rows.head
        yield node[tail[p]], node[head[p]], node[head[q]], edge[p], edge[q], edge[pos]


def triangle_counts(n: int, src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray]:
    """
    Return the number of triangles at each node and each node's number of distinct neighbours.

    The arcs or edges ``src - dst`` are read as undirected simple ties (repeats and both
    directions merged, self-loops dropped). Counting needs no list of the triangles' ties, so
    the ties are only sorted, never tracked back to *src* / *dst* as :func:`triangles` does.
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    if not keep.all():
        src, dst = src[keep], dst[keep]
    if not len(src):
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    # arcs (not distinct neighbours) order the nodes: any order gives the same triangles
    node, rank = _degree_order(n, np.bincount(src, minlength=n) + np.bincount(dst, minlength=n))
    rs, rd = rank[src], rank[dst]
    key = np.minimum(rs, rd) * n + np.maximum(rs, rd)
    key.sort()
    rows = _Rows.from_keys(n, key[np.concatenate(([True], key[1:] != key[:-1]))])
    found = np.zeros(n, dtype=np.int64)
    for p, q, _ in _closed_paths(rows):
        corners = np.concatenate((rows.tail[p], rows.head[p], rows.head[q]))
        found += np.bincount(corners, minlength=n)
    counts = np.empty(n, dtype=np.int64)
    counts[node] = found
    degree = np.empty(n, dtype=np.int64)
    degree[node] = np.diff(rows.start) + np.bincount(rows.head, minlength=n)
    return counts, degree


def _degree_order(n: int, degree: IntArray) -> tuple[IntArray, IntArray]:
    """Return the nodes by (degree, id) and each node's rank in that order."""
    if n and degree.max() < np.iinfo(np.uint16).max:
        degree = degree.astype(np.uint16)  # a stable sort of 16-bit integers is a radix sort
    node = np.argsort(degree, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[node] = np.arange(n)
    return node, rank


@attrs.frozen(eq=False)
class _Rows:
    """
    Ties oriented from the lower- to the higher-ranked end, as rows of heads per tail.

    Orienting by degree bounds the two-step paths ``x -> y, x -> z`` to check (Chiba &
    Nishizeki 1985): each tie ``x -> y`` pairs with the *later* ties ``x -> z`` of its row.
    """

    n: int
    key: IntArray
    """``tail * n + head`` of each tie, sorted and distinct."""
    tail: IntArray
    head: IntArray
    start: IntArray
    """Where each tail's row starts (``n + 1`` entries)."""
    later: IntArray
    """Ties after each tie in its row: the two-step paths it starts."""
    cum: IntArray
    low: IntArray
    """Each node's smallest head (``n`` for an empty row)."""
    high: IntArray
    """Each node's largest head (``-1`` for an empty row)."""

    @classmethod
    def from_keys(cls, n: int, key: IntArray) -> _Rows:
        tail = key // n
        head = key - tail * n
        m = len(key)
        per_tail = np.bincount(tail, minlength=n)
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_tail, out=start[1:])
        has = per_tail > 0
        low = np.where(has, head[np.minimum(start[:-1], max(m - 1, 0))], n)
        high = np.where(has, head[start[1:] - 1], -1)
        later = start[tail + 1] - np.arange(m) - 1
        return cls(n, key, tail, head, start, later, np.cumsum(later), low, high)


def _closed_paths(rows: _Rows) -> Iterator[tuple[IntArray, IntArray, IntArray]]:
    """
    Yield, in chunks of about :data:`_CHUNK` two-step paths, the closed ones: the positions of
    their ties ``x -> y`` and ``x -> z`` and of the closing tie ``y -> z``, in path order.

    A path whose ``z`` lies outside ``y``'s range of heads cannot close and is dropped before
    the lookup; the lookups run on sorted needles (about 3x faster than random ones).
    """
    if not len(rows.key) or not rows.cum[-1]:
        return
    n, key, head, m = rows.n, rows.key, rows.head, len(rows.key)
    for lo, hi in _wedge_chunks(rows.cum, int(rows.cum[-1])):
        count = rows.later[lo:hi]
        size = int(count.sum())
        if not size:
            continue
        begin = rows.cum[lo:hi] - count
        begin -= begin[0]  # where each tie's paths start in this chunk
        second = np.arange(size, dtype=np.int64) + np.repeat(
            np.arange(lo + 1, hi + 1) - begin, count
        )
        y = np.repeat(head[lo:hi], count)
        z = head[second]
        candidate = np.flatnonzero((z >= rows.low[y]) & (z <= rows.high[y]))
        wanted = y[candidate] * n + z[candidate]
        order = np.argsort(wanted)
        needle = wanted[order]
        pos = np.minimum(np.searchsorted(key, needle), m - 1)
        closed = key[pos] == needle
        back = np.argsort(order[closed])  # back to path order
        hit = candidate[order[closed][back]]
        first = lo + np.searchsorted(begin, hit, "right") - 1
        yield first, second[hit], pos[closed][back]


def _wedge_chunks(cum: IntArray, total: int) -> Iterator[tuple[int, int]]:
    """Split the ties into runs whose two-step paths number about :data:`_CHUNK` each."""
    cuts = np.searchsorted(cum, np.arange(_CHUNK, total, _CHUNK), "right").tolist()
    bounds = [0, *cuts, len(cum)]
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            yield lo, hi
