"""
Reading the values the :class:`~communitykit.events.EventLog` constructors take: times, parents,
weights, missing values; and comparing columns by value.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from communitykit._time import as_datetime64
from communitykit.errors import DataError, SchemaError
from communitykit.events._codes import ObjArray

__all__: list[str] = []


def _parse_time_column(
    values: Iterable[object] | npt.ArrayLike, *, tz: str | None
) -> npt.NDArray[np.datetime64]:
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[s]")
    out = []
    for row, value in enumerate(values):  # type: ignore[arg-type]
        try:
            out.append(as_datetime64(value, tz=tz))
        except DataError as exc:
            msg = f"row {row}: field 'time': {exc}"
            raise DataError(msg) from None
    return np.array(out, dtype="datetime64[s]")


def _resolve_parents(
    parent: Iterable[object] | None, ids: ObjArray | None, n: int
) -> npt.NDArray[np.int64] | None:
    if parent is None:
        return None
    values = list(parent)
    if len(values) != n:
        msg = f"column 'parent' has {len(values)} values; 'time' has {n}"
        raise SchemaError(msg)
    if ids is None:
        rows = np.empty(n, dtype=np.int64)
        for row, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                msg = (
                    f"row {row}: field 'parent' is {value!r}; without ids a parent is "
                    "a row number or -1"
                )
                raise DataError(msg)
            rows[row] = int(value)
            if not -1 <= rows[row] < n:
                msg = f"row {row}: parent row {value} does not exist (the log has {n} rows)"
                raise DataError(msg)
        return rows
    position: dict[object, int] = {}
    for row, key in enumerate(ids.tolist()):
        if key in position:
            msg = f"row {row}: event id {key!r} is not unique (also at row {position[key]})"
            raise DataError(msg)
        position[key] = row
    rows = np.full(n, -1, dtype=np.int64)
    for row, value in enumerate(values):
        if value is None or value == "":
            continue
        if value not in position:
            msg = f"row {row}: field 'parent' is {value!r}, which is no event id in the log"
            raise DataError(msg)
        rows[row] = position[value]
    return rows


def _float(value: object, row: int) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        msg = f"row {row}: field 'weight' is {value!r}; expected a number"
        raise DataError(msg) from None


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT  # noqa: PLR0124
    except (TypeError, ValueError):
        return False


def _equal_arrays(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> bool:
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    if object in (a.dtype, b.dtype):
        return bool(all(_same(x, y) for x, y in zip(a.tolist(), b.tolist(), strict=True)))
    return bool(np.array_equal(a, b))


def _same(x: object, y: object) -> bool:
    if _is_missing(x) and _is_missing(y):
        return True
    return bool(x == y)
