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
    edge = np.argsort(key)  # the keys are distinct: any sort gives the same order
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
        # sorted needles keep the binary searches in cache (about 3x faster than random ones)
        needle = np.argsort(wanted)
        pos = np.empty_like(needle)
        pos[needle] = np.minimum(np.searchsorted(key, wanted[needle]), m - 1)
        found = key[pos] == wanted
        p, q, pos = p[found], q[found], pos[found]
        yield node[tail[p]], node[head[p]], node[head[q]], edge[p], edge[q], edge[pos]


def triangle_counts(n: int, src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray]:
    """
    Return the number of triangles at each node and each node's number of distinct neighbours.

    The arcs or edges ``src - dst`` are read as undirected simple ties (repeats and both
    directions merged, self-loops dropped). Counting needs no list of the triangles, so this is
    leaner than :func:`triangles`: the ties are oriented from the lower- to the higher-degree
    end, each two-step path ``x -> y, x -> z`` whose ``z`` cannot be among ``y``'s heads (outside
    their range) is dropped before the lookup, and the lookups run on sorted needles.
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    if not keep.all():
        src, dst = src[keep], dst[keep]
    counts = np.zeros(n, dtype=np.int64)
    if not len(src):
        return counts, np.zeros(n, dtype=np.int64)
    # any order of the nodes gives the same triangles; ordering by degree bounds the work
    arcs = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    if arcs.max() < np.iinfo(np.uint16).max:
        arcs = arcs.astype(np.uint16)  # a stable sort of 16-bit integers is a radix sort
    node = np.argsort(arcs, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[node] = np.arange(n)
    rs, rd = rank[src], rank[dst]
    key = np.minimum(rs, rd) * n + np.maximum(rs, rd)
    key.sort()
    key = key[np.concatenate(([True], key[1:] != key[:-1]))]  # each tie once
    tail = key // n
    head = key - tail * n
    m = len(key)
    per_tail = np.bincount(tail, minlength=n)
    degree = per_tail + np.bincount(head, minlength=n)
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_tail, out=start[1:])
    # the heads of each tail are sorted: a two-step path x -> y -> z can close only inside
    # y's range of heads
    has = per_tail > 0
    low = np.where(has, head[np.minimum(start[:-1], m - 1)], n)
    high = np.where(has, head[start[1:] - 1], -1)
    later = start[tail + 1] - np.arange(m) - 1  # ties x -> z after x -> y in the same row
    cum = np.cumsum(later)
    total = int(cum[-1])
    found = np.zeros(n, dtype=np.int64)
    for lo, hi in _wedge_chunks(cum, total):
        count = later[lo:hi]
        size = int(count.sum())
        if not size:
            continue
        y = np.repeat(head[lo:hi], count)
        begin = cum[lo:hi] - count
        begin -= begin[0]  # where each tie's paths start in this chunk
        step = np.repeat(np.arange(lo + 1, hi + 1) - begin, count)
        z = head[np.arange(size, dtype=np.int64) + step]
        candidate = np.flatnonzero((z >= low[y]) & (z <= high[y]))
        wanted = y[candidate] * n + z[candidate]
        order = np.argsort(wanted)
        wanted = wanted[order]
        pos = np.minimum(np.searchsorted(key, wanted), m - 1)
        hit = candidate[order[key[pos] == wanted]]
        x = tail[lo + np.searchsorted(begin, hit, "right") - 1]
        found += np.bincount(np.concatenate((x, y[hit], z[hit])), minlength=n)
    counts[node] = found
    out_degree = np.empty(n, dtype=np.int64)
    out_degree[node] = degree
    return counts, out_degree


def _wedge_chunks(cum: IntArray, total: int) -> Iterator[tuple[int, int]]:
    """Split the ties into runs whose two-step paths number about :data:`_CHUNK` each."""
    cuts = np.searchsorted(cum, np.arange(_CHUNK, total, _CHUNK), "right").tolist()
    bounds = [0, *cuts, len(cum)]
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            yield lo, hi
