"""
The frame family: one base class for every tabular result.

:class:`Frame` gives a result that is a table the same ``to_records()``, ``to_pandas()``,
``to_table()``, one-line ``repr()``, notebook card (``_repr_html_``), ``len()``, iteration and
equality, whatever it stores: a subclass says which columns it has (``_frame_columns``), which
cells are missing beyond ``NaN`` (``_frame_missing``), what else its equality covers
(``_frame_state``) and the parts of its one-line repr (``_repr_parts``).

.. versionadded:: 0.1
"""

from __future__ import annotations

import abc
import html
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar, overload

import numpy as np
import numpy.typing as npt

from communitykit._repr import MAX_REPR

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CARD_ROWS", "FieldFrame", "Frame", "RowFrame", "columns_from_rows", "same_value"]

CARD_ROWS: Final = 20
"""How many rows a notebook card (``_repr_html_``) shows."""

Columns = Mapping[str, npt.NDArray[Any]]
R = TypeVar("R")


class Frame(abc.ABC):
    """
    Base class of the library's tabular results: named, equally long one-dimensional columns.

    Every frame has the same export and comparison methods: :meth:`to_records` (one dict per
    row with Python values: times as ISO 8601 strings ending in ``Z``, ``NaN`` and missing
    cells as ``None``), :meth:`to_pandas`, :meth:`to_table` (plain text), a one-line
    ``repr()`` (``<KPIFrame: 980 rows, 7 KPIs, 1 groups, 681 suppressed>``), a notebook card,
    ``len()`` (the rows), iteration over the records, and ``==``: two frames are equal when
    they are of the same class, have the same columns in the same order with equal values
    (``NaN`` equals ``NaN``; a missing cell equals only a missing cell) and equal other state
    (such as the two runs of a :class:`~communitykit.store.RunComparison`). Frames are not
    hashable.

    Subclasses implement ``_frame_columns()`` and may override ``_frame_missing()``,
    ``_frame_state()`` and ``_repr_parts()``. An attrs class that is a frame is declared with
    ``@attrs.frozen(eq=False, repr=False)`` so that this equality and repr are used.

    Examples
    --------
    >>> frame = ck.network.metrics.MeasureTable(("group", "size"), [("a", 2), ("b", None)])
    >>> isinstance(frame, ck.Frame), len(frame), frame.columns
    (True, 2, ('group', 'size'))
    >>> frame.to_records()
    [{'group': 'a', 'size': 2}, {'group': 'b', 'size': None}]
    >>> frame
    <MeasureTable: 2 rows, 2 columns (group, size)>
    >>> frame == ck.network.metrics.MeasureTable(("group", "size"), [("a", 2), ("b", None)])
    True

    .. versionadded:: 0.1
    """

    __slots__ = ()

    # ------------------------------------------------------------------ what a subclass gives

    @abc.abstractmethod
    def _frame_columns(self) -> Columns:
        """Return the columns, in order (one-dimensional arrays of one length)."""

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        """Return, per column that has them, a mask of cells that are missing (shown as None)."""
        return {}

    def _frame_state(self) -> tuple[object, ...]:
        """Return what else than the columns equality compares (``NaN`` equals ``NaN``)."""
        return ()

    def _repr_parts(self) -> list[str]:
        """Return the parts of the one-line ``repr()`` after the class name."""
        names = self.columns
        shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        return [f"{len(self):,} rows", f"{len(names)} columns ({shown})"]

    # ------------------------------------------------------------------ the shared methods

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(self._frame_columns())

    def __len__(self) -> int:
        for column in self._frame_columns().values():
            return len(column)
        return 0

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the records (a frame of result objects: over the objects)."""
        return iter(self.to_records())

    def to_records(self) -> list[dict[str, Any]]:
        """
        Return one dict per row with Python values.

        Times are ISO 8601 strings ending in ``Z``; ``NaN``, ``NaT`` and missing cells (a
        count hidden with its suppressed value) are ``None``, so the records are JSON-ready.
        """
        names, lists = self._python_columns()
        return [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]

    def _python_columns(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        """The column names and each column as a list of the values :meth:`to_records` gives."""
        columns = self._frame_columns()
        missing = self._frame_missing()
        names = tuple(columns)
        lists = []
        for name in names:
            values = _python_list(columns[name])
            mask = missing.get(name)
            if mask is not None:
                for i in np.flatnonzero(mask).tolist():
                    values[i] = None
            lists.append(values)
        return names, lists

    def to_pandas(self) -> pd.DataFrame:
        """
        Return a :class:`pandas.DataFrame` with the same columns (needs the ``pandas`` extra).

        Times are UTC; text columns have the ``string`` dtype; an integer column with missing
        cells is a nullable ``Int64`` column.
        """
        import pandas as pd

        columns = self._frame_columns()
        missing = self._frame_missing()
        data: dict[str, object] = {}
        for name, col in columns.items():
            nullable = name in missing  # a column that can have missing cells
            mask = _mask(missing.get(name), len(col))
            series: Any
            if col.dtype.kind == "M":
                times = pd.to_datetime(col.astype("datetime64[s]")).tz_localize("UTC")
                series = pd.Series(times.where(~mask))
            elif col.dtype.kind in "iub" and nullable:
                series = pd.Series(
                    pd.array(col, dtype="boolean" if col.dtype.kind == "b" else "Int64")
                )
                series[mask] = pd.NA
            elif col.dtype.kind == "O":
                values = [
                    None if m else v for v, m in zip(_python_list(col), mask.tolist(), strict=True)
                ]
                text = bool(values) and all(type(v) is str or v is None for v in values)
                series = pd.Series(values, dtype="string" if text else None)
            else:
                series = pd.Series(np.where(mask, np.nan, col) if mask.any() else col.copy())
            data[name] = series
        return pd.DataFrame(data, columns=list(columns))

    def to_table(self, *, max_rows: int = 60) -> str:
        """Return the rows as a plain-text table for terminals (the first *max_rows*)."""
        header = list(self.columns)
        rows = [[_cell(v) for v in r.values()] for r in self.to_records()[:max_rows]]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        if len(self) > max_rows:
            lines.append(f"... {len(self) - max_rows} more rows")
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        text = f"<{type(self).__name__}: {', '.join(p for p in self._repr_parts() if p)}>"
        return text if len(text) <= MAX_REPR else text[: MAX_REPR - 2] + "…>"

    def _repr_html_(self) -> str:
        name, _, rest = repr(self)[1:-1].partition(": ")
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in r.values()) + "</tr>"
            for r in self.to_records()[:CARD_ROWS]
        )
        more = f"<p>… {len(self) - CARD_ROWS:,} more rows</p>" if len(self) > CARD_ROWS else ""
        return (
            f'<div class="communitykit-result"><strong>{html.escape(name)}</strong>: '
            f"{html.escape(rest)}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"</table>{more}</div>"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Frame):
            return NotImplemented
        mine, theirs = self._frame_columns(), other._frame_columns()
        if tuple(mine) != tuple(theirs):
            return False
        my_missing, their_missing = self._frame_missing(), other._frame_missing()
        for name, a in mine.items():
            b = theirs[name]
            if a.shape != b.shape:
                return False
            hidden_a = _mask(my_missing.get(name), len(a))
            hidden_b = _mask(their_missing.get(name), len(b))
            if not np.array_equal(hidden_a, hidden_b):
                return False
            if not _column_equal(a[~hidden_a], b[~hidden_b]):
                return False
        return same_value(self._frame_state(), other._frame_state())

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]


def _mask(mask: npt.NDArray[np.bool_] | None, n: int) -> npt.NDArray[np.bool_]:
    return np.zeros(n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)


def _column_equal(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> bool:
    if a.dtype.kind == "O" or b.dtype.kind == "O":
        return all(same_value(x, y) for x, y in zip(a.tolist(), b.tolist(), strict=True))
    if a.dtype.kind in "fcmM" and b.dtype.kind in "fcmM":
        try:
            return bool(np.array_equal(a, b, equal_nan=True))
        except TypeError:  # a time and a number column
            return False
    return bool(np.array_equal(a, b))


def same_value(a: object, b: object) -> bool:
    """
    Return whether two plain values are equal, with ``NaN`` equal to ``NaN`` at any depth.

    Tuples, lists and dicts are compared item by item; arrays by their values.

    Examples
    --------
    >>> same_value((1.0, {"x": float("nan")}), (1.0, {"x": float("nan")}))
    True
    >>> same_value([1, 2], [1, 3])
    False
    """
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        x, y = np.asarray(a), np.asarray(b)
        return x.shape == y.shape and _column_equal(x.ravel(), y.ravel())
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(same_value(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # values whose == is not a truth value
        return False


def columns_from_rows(
    names: Sequence[str], rows: Sequence[Sequence[object]]
) -> tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]]:
    """
    Return the columns of row tuples, and the masks of their ``None`` cells.

    A column of booleans becomes a ``bool`` array, of integers an ``int64`` array, of floats a
    ``float64`` array (``None`` as ``NaN``); any other column (text, mixed numbers, labels)
    an ``object`` array that keeps the values as they are.

    Examples
    --------
    >>> cols, missing = columns_from_rows(("g", "n"), [("a", 1), ("b", None)])
    >>> cols["n"].dtype, cols["n"].tolist(), missing["n"].tolist()
    (dtype('int64'), [1, 0], [False, True])
    """
    data: dict[str, npt.NDArray[Any]] = {}
    missing: dict[str, npt.NDArray[np.bool_]] = {}
    for i, name in enumerate(names):
        values = [row[i] for row in rows]
        none = np.array([v is None for v in values], dtype=bool)
        present = [v for v in values if v is not None]
        column = _typed(values, present)
        if column.dtype.kind == "f":
            column[none] = np.nan
        elif none.any():
            missing[name] = none
        data[name] = column
    return data, missing


def _typed(values: list[Any], present: list[Any]) -> npt.NDArray[Any]:
    kinds = {_kind(v) for v in present}
    if kinds == {"b"}:
        return np.array([bool(v) if v is not None else False for v in values], dtype=bool)
    if kinds == {"i"}:
        try:
            return np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
        except OverflowError:  # integers beyond int64 stay Python integers
            pass
    if kinds == {"f"} or (not present and values):
        return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)
    column = np.empty(len(values), dtype=object)
    for j, v in enumerate(values):
        column[j] = v
    return column


def _kind(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "b"
    if isinstance(value, (int, np.integer)):
        return "i"
    if isinstance(value, (float, np.floating)):
        return "f"
    return "O"


def _python_list(col: npt.NDArray[np.generic]) -> list[Any]:
    if col.dtype.kind == "M":
        text = np.datetime_as_string(col.astype("datetime64[s]")).tolist()
        return [None if v == "NaT" else f"{v}Z" for v in text]
    if col.dtype.kind == "f":
        return [None if math.isnan(v) else float(v) for v in col.tolist()]
    values = list(col.tolist())
    if col.dtype.kind == "O":
        return [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    return values


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


class RowFrame(Frame, Generic[R]):
    """
    A frame whose rows are result objects (stage assessments, trend points).

    It is a sequence of those objects too: iteration, ``frame[i]`` and ``frame[-1]`` give the
    objects, ``frame[i:j]`` a frame of the same class; :meth:`to_records` gives the flat rows
    (the columns a subclass takes from each object). Equality compares the columns and the
    objects.

    Subclasses are attrs classes whose only init argument is the tuple of objects, and
    implement ``_frame_rows()`` and ``_frame_columns()``.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    @abc.abstractmethod
    def _frame_rows(self) -> tuple[R, ...]:
        """Return the result objects, one per row."""

    def _frame_state(self) -> tuple[object, ...]:
        return self._frame_rows()

    def __len__(self) -> int:
        return len(self._frame_rows())

    def __iter__(self) -> Iterator[R]:
        return iter(self._frame_rows())

    def __bool__(self) -> bool:
        return bool(self._frame_rows())

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> Self: ...

    def __getitem__(self, index: int | slice) -> R | Self:
        rows = self._frame_rows()
        if isinstance(index, slice):
            return type(self)(rows[index])  # type: ignore[call-arg]
        return rows[index]


class FieldFrame(RowFrame[R]):
    """
    A :class:`RowFrame` whose columns are fields of its row objects, named in ``_row_fields``.

    Each column is typed by :func:`columns_from_rows` (``None`` cells missing, ``None`` in a
    float column ``NaN``). Subclasses set ``_row_fields`` (a class attribute) and implement
    ``_frame_rows()``.

    .. versionadded:: 0.2
    """

    __slots__ = ()
    _row_fields: tuple[str, ...] = ()

    def _frame_columns(self) -> Columns:
        return self._field_columns()[0]

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return self._field_columns()[1]

    def _field_columns(
        self,
    ) -> tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]]:
        names = self._row_fields
        rows = [tuple(getattr(row, name) for name in names) for row in self._frame_rows()]
        return columns_from_rows(names, rows)
