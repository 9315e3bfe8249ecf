"""
Dictionary codes of an event log's text columns: encoding, sorted dictionaries, lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from communitykit.errors import DataError
from communitykit.events.ordering import (
    _as_object_array,
    _constant,
    _is_constant,
)

__all__ = ["ObjArray", "encode"]

ObjArray = npt.NDArray[np.object_]


def encode(values: Iterable[object]) -> tuple[npt.NDArray[np.int32], ObjArray]:
    """
    Dictionary-encode strings: return int32 codes and the sorted dictionary.

    ``None`` and empty strings get code ``-1`` and are not in the dictionary.

    Examples
    --------
    >>> codes, names = encode(["bo", "ana", "bo", None])
    >>> codes.tolist(), names.tolist()
    ([1, 0, 1, -1], ['ana', 'bo'])

    .. versionadded:: 0.1
    """
    table: dict[object, int] = {None: -1, "": -1}
    raw = np.fromiter((table.setdefault(v, len(table) - 2) for v in values), dtype=np.int64)
    keys = [k for k in table if k is not None and k != ""]
    return _sort_dictionary(raw, keys)


def _sort_dictionary(
    raw: npt.NDArray[np.integer[Any]], keys: Sequence[object]
) -> tuple[npt.NDArray[np.int32], ObjArray]:
    """Re-code *raw* (codes into *keys*, -1 = missing) against the sorted *keys*."""
    names = np.empty(len(keys), dtype=object)
    names[:] = [str(k) for k in keys]
    order = np.argsort(names, kind="stable")
    remap = np.empty(len(keys) + 1, dtype=np.int32)
    remap[order] = np.arange(len(keys), dtype=np.int32)
    remap[-1] = -1  # index -1 (missing) maps onto itself
    return remap[raw], names[order]


def _as_list(values: Iterable[str] | str) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def _codes_of(dictionary: ObjArray, wanted: Iterable[str] | str) -> npt.NDArray[np.int64]:
    names = _as_list(wanted)
    if not len(dictionary) or not names:
        return np.empty(0, dtype=np.int64)
    probe = _as_object_array(names)
    pos = np.searchsorted(dictionary, probe)
    pos = np.minimum(pos, len(dictionary) - 1)
    found: npt.NDArray[np.int64] = pos[dictionary[pos] == probe].astype(np.int64)
    return found


def _decode_optional(dictionary: ObjArray, codes: npt.NDArray[Any]) -> ObjArray:
    """Decode *codes* (``-1`` = none) to an object array with ``None`` for missing."""
    out = np.full(len(codes), None, dtype=object)
    present = codes >= 0
    if len(dictionary):
        out[present] = dictionary[codes[present]]
    return out


def _check_codes(name: str, codes: npt.NDArray[Any], size: int, *, allow_missing: bool) -> None:
    if not codes.size:
        return
    if _is_constant(codes):
        codes = codes[:1]  # one value, seen many times
    low = -1 if allow_missing else 0
    if codes.min() >= low and codes.max() < size:  # two passes, no temporary arrays
        return
    bad = (codes < low) | (codes >= size)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        valid = f"-1..{size - 1}" if allow_missing else f"0..{size - 1}"
        msg = f"column {name!r} has code {codes[row]} at row {row}; expected {valid}"
        raise DataError(msg)


def _canonical_dictionary(dictionary: ObjArray, *code_columns: npt.NDArray[Any]) -> tuple[Any, ...]:
    """Sort and deduplicate a dictionary and recode the columns that use it."""
    if not len(dictionary):
        return (dictionary, *code_columns)
    strings = _as_object_array([str(v) for v in dictionary])
    is_sorted_unique = bool(np.all(strings[1:] > strings[:-1])) if len(strings) > 1 else True
    if is_sorted_unique:
        return (strings, *code_columns)
    unique, inverse = np.unique(strings, return_inverse=True)
    inverse = inverse.astype(np.int32)
    recoded = tuple(
        _constant(inverse[col[0]] if col[0] >= 0 else -1, col.dtype, len(col))
        if _is_constant(col)
        else np.where(col >= 0, inverse[np.maximum(col, 0)], -1).astype(col.dtype)
        for col in code_columns
    )
    return (unique.astype(object), *recoded)


def _n_distinct(codes: npt.NDArray[np.generic], size: int) -> int:
    if not codes.size:
        return 0
    return int(np.count_nonzero(np.bincount(codes, minlength=size)))
