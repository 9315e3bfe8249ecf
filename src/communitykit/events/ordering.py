"""
The canonical row order of an event log (internal: for the readers and :class:`EventLog`).

The same events give the same :class:`~communitykit.events.EventLog` whatever order they
arrive in, because the log sorts its rows into one **canonical order**: time, then community,
actor, action, target and weight, then the parent described by value (its time, community,
actor and action), then the id, then the attribute values. The readers use this module to put
rows into that order while they assemble columns (touching only the rows that tie on time)
and then build the log with the private constructor ``EventLog._from_canonical``, which skips
the log's own ordering pass. :func:`parent_cycles` finds the rows that lie on a cycle of
parents, which neither the log nor a thread walk accepts.

This module is internal: its names may change between releases without notice. It is
documented so that a contributor can find the ordering rule in one place.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["canonical_moves", "canonical_order", "parent_cycles"]

ObjArray = npt.NDArray[np.object_]


def _as_object_array(values: Iterable[object] | npt.NDArray[np.generic]) -> ObjArray:
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _is_constant(array: npt.NDArray[np.generic]) -> bool:
    """Whether *array* is a broadcast view of one value (stride 0)."""
    return array.ndim == 1 and len(array) > 1 and array.strides == (0,)


def _constant(value: object, dtype: Any, size: int) -> npt.NDArray[Any]:
    """*value* seen *size* times: a read-only broadcast view holding one element."""
    return np.broadcast_to(np.array(value, dtype=dtype), (size,))


def parent_cycles(parent: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """
    Return where an event lies on a cycle of parents (``a → b → c → a``, or a self-parent).

    *parent* holds each event's parent row (``-1`` or any negative value for none; rows out
    of range count as none). Linear in memory, ``O(n log n)`` in time, and it always ends:
    following each parent link ``2**k >= n`` times (by pointer doubling, ``k`` rounds) lands
    every event either on "no parent" or on a cycle, and the places landed on are exactly the
    events of the cycles.

    Examples
    --------
    >>> parent_cycles([-1, 2, 3, 1, 3]).tolist()
    [False, True, True, True, False]

    .. versionadded:: 0.1
    """
    links = np.asarray(parent, dtype=np.int64)
    n = len(links)
    step = np.where((links >= 0) & (links < n), links, n)  # n: the sink "no parent"
    step = np.append(step, n)
    for _ in range(max(n, 1).bit_length()):  # 2**rounds > n links followed
        step = step[step]
        if (step == n).all():  # every chain has ended: no cycle (the usual, shallow case)
            return np.zeros(n, dtype=bool)
    on_cycle = np.zeros(n + 1, dtype=bool)
    on_cycle[step[:n]] = True
    result: npt.NDArray[np.bool_] = on_cycle[:n]
    return result


def canonical_order(
    cols: Mapping[str, npt.NDArray[np.generic]],
    ids: ObjArray | None,
    attributes: Mapping[str, npt.NDArray[np.generic]] | None = None,
) -> npt.NDArray[np.int64] | None:
    """Return the permutation that sorts rows canonically, or ``None`` if already sorted."""
    moves = canonical_moves(cols, ids, attributes)
    if moves is None:
        return None
    rows, source = moves
    order = np.arange(len(cols["time"]), dtype=np.int64)
    order[rows] = source
    return order


def canonical_moves(
    cols: Mapping[str, npt.NDArray[np.generic]],
    ids: ObjArray | None,
    attributes: Mapping[str, npt.NDArray[np.generic]] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """
    The canonical order as moves: row ``rows[i]`` takes the values of row ``source[i]``.

    Only rows that may move are listed (when times are already in order, the rows that tie on
    time), so a caller that owns its arrays can reorder them in place, touching just those
    rows. ``None`` when the rows are already in canonical order.
    """
    t = cols["time"].view(np.int64)
    n = len(t)
    if n < 2:
        return None
    later = t[1:] > t[:-1]  # boolean comparisons, not np.diff: no int64 temporary
    if later.all():
        return None
    equal = t[1:] == t[:-1]
    if np.count_nonzero(later) + np.count_nonzero(equal) == n - 1:
        # Already in time order (the usual case for exports): only runs of equal times need
        # their canonical tie order, so sort just those rows (same result as a full lexsort).
        del later
        rows = _tied(equal)
        del equal
        keys = _tie_keys(cols, ids, attributes, rows)
        if _keys_sorted(keys):
            # Logs written by communitykit come back in canonical order: a linear check of
            # each neighbouring pair is enough, and the lexsort below is skipped.
            return None
        sub = _stable_order([key() for key in keys])
        return rows, rows[sub]
    del later, equal
    # Not in time order (for instance the files of one community after another, each in
    # canonical order): a stable sort by time alone, then the canonical tie order among the
    # rows that tie on time only -- the same result as a lexsort of every key, because the
    # first key is the time and the time sort keeps tied rows in their arrival order.
    order = _time_order(t)
    ordered = t[order]
    spots = _tied(ordered[1:] == ordered[:-1])
    del ordered
    rows = order[spots]
    keys = _tie_keys(cols, ids, attributes, rows)
    if len(rows) and not _keys_sorted(keys):
        order[spots] = rows[_stable_order([key() for key in keys])]
    return np.arange(n, dtype=np.int64), order


def _tied(equal: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """The rows that tie with a neighbour, given whether each row equals the next."""
    tied = np.zeros(len(equal) + 1, dtype=bool)
    tied[:-1] |= equal
    tied[1:] |= equal
    return np.flatnonzero(tied)


def _time_order(t: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """
    The stable order of the times *t* (``np.argsort(t, kind="stable")``).

    When the time range and the row count fit in 63 bits together, each time is packed with
    its row number into one ``uint64`` and the keys are sorted in place: unique keys make any
    sort stable, and numpy sorts plain numbers several times faster than it argsorts them.
    """
    n = len(t)
    low = int(t.min())
    index_bits = max(n - 1, 1).bit_length()
    if (int(t.max()) - low).bit_length() + index_bits > 63:
        return np.argsort(t, kind="stable").astype(np.int64, copy=False)
    key = (t - low).astype(np.uint64)
    key <<= np.uint64(index_bits)
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    key &= np.uint64((1 << index_bits) - 1)
    return key.view(np.int64)


def _stable_order(
    keys: Sequence[npt.NDArray[np.generic]], *, runs: bool = False
) -> npt.NDArray[np.intp]:
    """
    ``np.lexsort`` of *keys* given most significant first (a stable sort).

    Constant keys are dropped. Integer keys are packed, most significant first, into one
    ``uint64`` key as long as their ranges fit in 63 bits together, and sorted once; rows that
    still tie are then ordered by the remaining keys, recursively. That is much faster than a
    lexsort over every key and gives the same order. Float keys (weights that vary) make it
    the lexsort itself. *runs*: the first key numbers runs of rows found tied by a caller.
    """
    size = len(keys[0]) if keys else 0
    varying: list[tuple[npt.NDArray[Any], int, int]] = []
    for key in keys:
        if not size:
            break
        low, high = key.min(), key.max()
        if low == high:
            continue  # the same for every row: it orders nothing
        if key.dtype.kind not in "iub":
            return np.lexsort(tuple(reversed(keys)))
        varying.append((key, int(low), (int(high) - int(low)).bit_length()))
    prefix = 0
    bits = 0
    while prefix < len(varying) and bits + varying[prefix][2] <= 63:
        bits += varying[prefix][2]
        prefix += 1
    if varying and prefix < (2 if runs and varying[0][0] is keys[0] else 1):
        # a key wider than 63 bits, or runs that no further key fits beside: no progress
        return np.lexsort(tuple(reversed(keys)))
    packed = np.zeros(size, dtype=np.uint64)
    for key, low, width in varying[:prefix]:
        np.left_shift(packed, np.uint64(width), out=packed)
        packed |= (key.astype(np.int64) - low).astype(np.uint64)
    order = np.argsort(packed, kind="stable")
    rest = [key for key, _, _ in varying[prefix:]]
    if not rest:
        return order
    ordered = packed[order]
    tie = ordered[1:] == ordered[:-1]
    if not tie.any():
        return order
    # Rows in runs that tie on the packed keys: order each run by the remaining keys.
    marked = np.zeros(size, dtype=bool)
    marked[:-1] |= tie
    marked[1:] |= tie
    spots = np.flatnonzero(marked)
    run = np.concatenate(([0], np.cumsum(~tie)))[spots]
    rows = order[spots]
    sub = _stable_order([run, *(key[rows] for key in rest)], runs=True)
    order[spots] = rows[sub]
    return order


def _tie_keys(
    cols: Mapping[str, npt.NDArray[Any]],
    ids: ObjArray | None,
    attributes: Mapping[str, npt.NDArray[np.generic]] | None,
    rows: npt.NDArray[np.int64],
) -> list[Callable[[], npt.NDArray[Any]]]:
    """
    The canonical sort keys of *rows*, most significant first, each built only when asked.

    Time, then community, actor, action, target and weight, then the parent described by value
    (its time, community, actor and action, so that replies tying on every other column sort
    the same whatever order they arrived in), then the id, then the attribute values.
    """
    t = cols["time"].view(np.int64)

    def own(name: str) -> Callable[[], npt.NDArray[Any]]:
        col = cols[name]
        if _is_constant(col):
            return lambda: _constant(col[0], col.dtype, len(rows))
        return lambda: col[rows]

    def parent_value(name: str) -> Callable[[], npt.NDArray[Any]]:
        def key() -> npt.NDArray[Any]:
            if _is_constant(cols["parent"]) and cols["parent"][0] < 0:
                return _constant(-1, np.int64, len(rows))  # no event has a parent
            parent = cols["parent"][rows]
            has_parent = parent >= 0
            safe = np.where(has_parent, parent, 0)
            if name == "time":
                return np.where(has_parent, t[safe], np.iinfo(np.int64).min)
            return np.where(has_parent, cols[name][safe].astype(np.int64), -1)

        return key

    def id_rank() -> npt.NDArray[Any]:
        # Rank the ids by sorting the object array itself: converting to fixed-width strings
        # would cost the longest id's width per event. Equal ids get equal ranks.
        assert ids is not None
        sub_ids = _as_object_array([str(i) for i in ids[rows].tolist()])
        by_id = np.argsort(sub_ids, kind="stable")
        ordered = sub_ids[by_id]
        rank = np.empty(len(rows), dtype=np.int64)
        rank[by_id] = np.concatenate(([0], np.cumsum(ordered[1:] != ordered[:-1])))
        return rank

    def attribute_rank(values: npt.NDArray[Any]) -> Callable[[], npt.NDArray[Any]]:
        def key() -> npt.NDArray[Any]:
            sub = values[rows]
            if sub.dtype.kind != "f":
                sub = np.array(["\x00" if v is None else "\x01" + str(v) for v in sub.tolist()])
            return np.unique(sub, return_inverse=True)[1].reshape(len(rows))

        return key

    keys: list[Callable[[], npt.NDArray[Any]]] = [lambda: t[rows]]
    keys += [own(name) for name in ("community", "actor", "action", "target", "weight")]
    keys += [parent_value(name) for name in ("time", "community", "actor", "action")]
    if ids is not None:
        keys.append(id_rank)
    keys += [attribute_rank(values) for values in reversed(list((attributes or {}).values()))]
    return keys


def _keys_sorted(keys: Sequence[Callable[[], npt.NDArray[Any]]]) -> bool:
    """Whether rows are in lexicographic order of *keys* (ties allowed), pair by pair."""
    pending: npt.NDArray[np.int64] | None = None  # pairs (i, i + 1) equal on every key so far
    for make in keys:
        key = make()
        if pending is None:
            left, right = key[:-1], key[1:]
        else:
            left, right = key[pending], key[pending + 1]
        if (left > right).any():
            return False
        equal = np.flatnonzero(left == right)
        pending = equal if pending is None else pending[equal]
        if not len(pending):
            return True
    return True
