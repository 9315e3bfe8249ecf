"""A small tidy result table for group and whole-network measures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frame import Frame, columns_from_rows
from communitykit.errors import DataError

__all__ = ["MeasureTable"]


def _names(columns: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(c) for c in columns)


def _tuple_rows(rows: Sequence[Sequence[object]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(r) for r in rows)


@attrs.frozen(eq=False, repr=False)
class MeasureTable(Frame):
    """
    A tidy, immutable table of measures: one row per group (or per measure), named columns.

    Attributes
    ----------
    columns
        Column names.
    rows
        One tuple per row, in the order of *columns*.

    Examples
    --------
    >>> t = MeasureTable(("group", "size"), [("a", 2), ("b", 1)])
    >>> t.to_records()
    [{'group': 'a', 'size': 2}, {'group': 'b', 'size': 1}]
    >>> t.column("size"), len(t)
    ([2, 1], 2)
    >>> t
    <MeasureTable: 2 rows, 2 columns (group, size)>

    A table is a :class:`communitykit.Frame`: ``to_records()``, ``to_pandas()``,
    ``to_table()`` (the text the ``repr()`` showed before 0.2), a notebook card and equality
    by value (``NaN`` equals ``NaN``).

    .. versionchanged:: 0.2
       A :class:`~communitykit.Frame`: the ``repr()`` is one line, ``to_records()`` gives
       ``None`` for ``NaN``, and tables compare by their values.

    .. versionadded:: 0.1
    """

    columns: tuple[str, ...] = attrs.field(converter=_names)
    rows: tuple[tuple[Any, ...], ...] = attrs.field(converter=_tuple_rows)
    _data: tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]] = attrs.field(
        init=False, repr=False
    )

    @_data.default
    def _columns_of_rows(
        self,
    ) -> tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]]:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                msg = (
                    f"row {i} has {len(row)} values; expected {len(self.columns)} ({self.columns})"
                )
                raise DataError(msg)
        return columns_from_rows(self.columns, self.rows)

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        return self._data[0]

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return self._data[1]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """Return the values of column *name*."""
        try:
            i = self.columns.index(name)
        except ValueError:
            msg = f"no column {name!r}; columns: {', '.join(self.columns)}"
            raise DataError(msg) from None
        return [row[i] for row in self.rows]

    def row(self, key: object) -> dict[str, Any]:
        """Return the first row whose first column equals *key*, as a dict."""
        for row in self.rows:
            if row[0] == key:
                return dict(zip(self.columns, row, strict=True))
        msg = f"no row {key!r} in column {self.columns[0]!r}"
        raise DataError(msg)

    def to_dict(self) -> dict[Any, Any]:
        """
        Return ``{first column: second column}`` for a two-column table, else
        ``{first column: {other columns}}``.
        """
        if len(self.columns) == 2:
            return {row[0]: row[1] for row in self.rows}
        return {row[0]: dict(zip(self.columns[1:], row[1:], strict=True)) for row in self.rows}
