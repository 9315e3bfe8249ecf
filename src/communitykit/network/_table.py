"""A small tidy result table for group and whole-network measures."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from communitykit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table"]


def _names(columns: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(c) for c in columns)


def _tuple_rows(rows: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(r) for r in rows)


@attrs.frozen
class Table:
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
    >>> t = Table(("group", "size"), [("a", 2), ("b", 1)])
    >>> t.to_records()
    [{'group': 'a', 'size': 2}, {'group': 'b', 'size': 1}]
    >>> t.column("size"), len(t)
    ([2, 1], 2)

    .. versionadded:: 0.1
    """

    columns: tuple[str, ...] = attrs.field(converter=_names)
    rows: tuple[tuple[Any, ...], ...] = attrs.field(converter=_tuple_rows)

    @rows.validator
    def _check_rows(self, _attribute: object, value: tuple[tuple[Any, ...], ...]) -> None:
        for i, row in enumerate(value):
            if len(row) != len(self.columns):
                msg = (
                    f"row {i} has {len(row)} values; expected {len(self.columns)} ({self.columns})"
                )
                raise DataError(msg)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_records())

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

    def to_records(self) -> list[dict[str, Any]]:
        """Return one dict per row."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_dict(self) -> dict[Any, Any]:
        """
        Return ``{first column: second column}`` for a two-column table, else
        ``{first column: {other columns}}``.
        """
        if len(self.columns) == 2:
            return {row[0]: row[1] for row in self.rows}
        return {row[0]: dict(zip(self.columns[1:], row[1:], strict=True)) for row in self.rows}

    def to_pandas(self) -> pd.DataFrame:
        """Return the table as a :class:`pandas.DataFrame` (requires the pandas extra)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns))

    def __repr__(self) -> str:
        widths = [
            max([len(c), *(len(_fmt(r[i])) for r in self.rows[:20])])
            for i, c in enumerate(self.columns)
        ]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines += [
            "  ".join(_fmt(v).ljust(w) for v, w in zip(r, widths, strict=True))
            for r in self.rows[:20]
        ]
        if len(self.rows) > 20:
            lines.append(f"... {len(self.rows) - 20} more rows")
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>"
            for r in self.rows
        )
        return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.4g}"
    return str(value)
