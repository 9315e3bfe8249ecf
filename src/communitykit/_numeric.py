"""
Array helpers shared by every package (foundation layer).

``unique`` exists because :func:`numpy.unique` without ``return_index``/``return_inverse``/
``return_counts`` takes a hash-table path in NumPy 2.3 and later that is 20 to 80 times slower
than a sort on many distinct integers (6.2 s instead of 0.08 s for two million distinct int64
keys on the reference machine). Every distinct-value count in communitykit goes through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "ARRAY_EQ",
    "array_equal",
    "isin_rows",
    "nan_key",
    "nan_keys",
    "stable_order",
    "unique",
    "unique_rows",
]


def unique(values: npt.ArrayLike) -> npt.NDArray[Any]:
    """
    Return the sorted distinct values of a one-dimensional array (as :func:`numpy.unique`).

    Missing values (``nan``, ``NaT``) collapse into one, as in :func:`numpy.unique`.

    Examples
    --------
    >>> unique([3, 1, 3, 2]).tolist()
    [1, 2, 3]
    >>> unique(["b", "a", "b"]).tolist()
    ['a', 'b']
    >>> unique([2.0, float("nan"), 1.0, float("nan")]).tolist()
    [1.0, 2.0, nan]
    """
    array = np.asarray(values).ravel()
    # equal integers (times, booleans) cannot be told apart: the fast unstable sort gives the
    # same result (a stable sort of int64 is 10 times slower); floats keep the stable sort,
    # so that the first of equal values (0.0 and -0.0) is the one kept, as numpy keeps it
    array = np.sort(array) if array.dtype.kind in "biumM" else np.sort(array, kind="stable")
    if array.size < 2:
        return array
    keep = np.empty(array.size, dtype=bool)
    keep[0] = True
    np.not_equal(array[1:], array[:-1], out=keep[1:])
    out = array[keep]
    if out.dtype.kind in "fcmM":
        missing = np.flatnonzero(np.isnan(out))  # sorted last; nan != nan kept each one
        if missing.size > 1:
            out = out[: missing[0] + 1]
    return out


def stable_order(codes: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """
    Return ``numpy.argsort(codes, kind="stable")`` for an array of integer codes.

    Non-negative codes are packed with their row number into one ``int64`` and sorted as
    numbers (a stable sort of wide integers is several times slower than the default sort);
    other codes take the stable sort.

    Examples
    --------
    >>> stable_order([2, 0, 2, 1, 0]).tolist()
    [1, 4, 3, 0, 2]
    """
    array = np.asarray(codes).ravel()
    n = len(array)
    if not n or array.dtype.kind not in "biu":
        return np.argsort(array, kind="stable").astype(np.int64, copy=False)
    low, high = int(array.min()), int(array.max())
    shift = max(n - 1, 1).bit_length()
    if low < 0 or high.bit_length() + shift > 62:  # bits of an int64 key
        return np.argsort(array, kind="stable").astype(np.int64, copy=False)
    key = array.astype(np.int64)
    key <<= shift
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    key &= (1 << shift) - 1
    return key


def _pack_rows(*tables: npt.NDArray[np.generic]) -> list[npt.NDArray[np.int64]] | None:
    """
    Pack the rows of 2-D non-negative integer arrays with the same columns into one ``int64``
    each, ordered as the rows are lexicographically; ``None`` if they do not fit in 63 bits.
    """
    n_cols = tables[0].shape[1]
    widths = []
    for col in range(n_cols):
        top = 0
        for table in tables:
            if len(table):
                if int(table[:, col].min()) < 0:
                    return None
                top = max(top, int(table[:, col].max()))
        widths.append(max(top.bit_length(), 1))
    if sum(widths) > 63:
        return None
    out = []
    for table in tables:
        key = np.zeros(len(table), dtype=np.int64)
        for col, width in enumerate(widths):
            key <<= width
            key |= table[:, col].astype(np.int64, copy=False)
        out.append(key)
    return out


def _unpack_rows(
    key: npt.NDArray[np.int64], like: npt.NDArray[np.generic]
) -> npt.NDArray[np.int64]:
    """The rows that :func:`_pack_rows` packed into *key*, with the column widths of *like*."""
    n_cols = like.shape[1]
    widths = [
        max(int(like[:, col].max()).bit_length(), 1) if len(like) else 1 for col in range(n_cols)
    ]
    out = np.empty((len(key), n_cols), dtype=np.int64)
    shift = 0
    for col in reversed(range(n_cols)):
        out[:, col] = (key >> shift) & ((1 << widths[col]) - 1)
        shift += widths[col]
    return out


def unique_rows(rows: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """
    Return the distinct rows of a 2-D integer array, sorted (as ``numpy.unique(axis=0)``).

    Rows of non-negative integers that fit in 63 bits together are packed into one ``int64``
    and sorted as numbers (``numpy.unique(axis=0)`` compares rows as byte strings and is
    tens of times slower on millions of rows).

    Examples
    --------
    >>> unique_rows([[2, 1], [0, 5], [2, 1]]).tolist()
    [[0, 5], [2, 1]]
    """
    table = np.asarray(rows, dtype=np.int64)
    packed = _pack_rows(table)
    if packed is None:
        out: npt.NDArray[np.int64] = np.unique(table, axis=0)
        return out
    return _unpack_rows(unique(packed[0]), table)


def isin_rows(query: npt.ArrayLike, table: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """
    Return, per row of the 2-D integer array *query*, whether it is a row of *table*.

    Examples
    --------
    >>> isin_rows([[1, 2], [2, 1]], [[1, 2], [3, 4]]).tolist()
    [True, False]
    """
    q = np.asarray(query, dtype=np.int64)
    t = np.asarray(table, dtype=np.int64)
    if not len(q) or not len(t):
        return np.zeros(len(q), dtype=bool)
    packed = _pack_rows(q, t)
    q_key: npt.NDArray[Any]
    t_key: npt.NDArray[Any]
    if packed is None:  # rows as byte strings: equal rows are equal strings
        q_key, t_key = (
            np.ascontiguousarray(x.astype(">i8")).view(np.dtype((np.void, 8 * x.shape[1]))).ravel()
            for x in (q, t)
        )
    else:
        q_key, t_key = packed
    keys = np.sort(t_key)
    pos = np.minimum(np.searchsorted(keys, q_key), len(keys) - 1)
    found: npt.NDArray[np.bool_] = keys[pos] == q_key
    return found


def array_equal(a: object, b: object) -> bool:
    """
    Return whether two arrays hold the same values in the same shape (``NaN`` equals ``NaN``).

    The equality of the library's array-holding result classes
    (``attrs.field(eq=ARRAY_EQ)``): two results are equal when their arrays are.

    Examples
    --------
    >>> array_equal([1.0, float("nan")], [1.0, float("nan")]), array_equal([1], [1, 1])
    (True, False)
    """
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape:
        return False
    if x.dtype.kind in "fc" and y.dtype.kind in "fc":
        return bool(np.array_equal(x, y, equal_nan=True))
    try:
        return bool(np.array_equal(x, y))
    except TypeError:  # values that cannot be compared (object arrays of mixed types)
        return False


ARRAY_EQ = attrs.cmp_using(eq=array_equal, class_name="ArrayEq")
"""``attrs.field(eq=ARRAY_EQ, hash=False)``: compare an array field by its values."""


def nan_key(value: float) -> object:
    """
    Return the equality (and hash) key of a float under which ``NaN`` equals ``NaN``.

    For scalar float fields of frozen models: ``attrs.field(eq=nan_key)``, so a result
    with a missing value equals its copy.

    Examples
    --------
    >>> nan_key(float("nan")) == nan_key(float("nan")), nan_key(1.0) == nan_key(1.0)
    (True, True)
    """
    return "nan" if value != value else value  # noqa: PLR0124 - NaN is the one float != itself


def nan_keys(values: Mapping[str, float]) -> dict[str, object]:
    """
    Return the equality key of a mapping of floats under which ``NaN`` equals ``NaN``.

    For mapping fields of frozen models (signals, scores): ``attrs.field(eq=nan_keys)``.

    Examples
    --------
    >>> nan_keys({"a": float("nan")}) == nan_keys({"a": float("nan")})
    True
    """
    return {k: nan_key(v) for k, v in values.items()}
