"""KPIFrame: the tidy result of every KPI computation."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from communitykit._files import write_text
from communitykit._frame import Frame
from communitykit.errors import ConfigError, SchemaError
from communitykit.kpi._target import Target

if TYPE_CHECKING:
    import pandas as pd

    from communitykit.typing import PathLike

__all__ = ["COLUMNS", "MOSTLY_SUPPRESSED", "KPIFrame"]

COLUMNS: Final[tuple[str, ...]] = (
    "kpi",
    "group",
    "period_start",
    "period_end",
    "value",
    "n",
    "suppressed",
)
"""The columns every :class:`KPIFrame` has, in order."""

MOSTLY_SUPPRESSED: Final = 0.5
"""Above this share of suppressed values (:meth:`KPIFrame.suppression_counts`), the command line
and the report say once that most values are suppressed and which option changes that."""

_TARGET_COLUMNS: Final[tuple[str, ...]] = ("target", "achievement", "status")
_DTYPES: Final[dict[str, Any]] = {
    "kpi": object,
    "group": object,
    "period_start": "datetime64[s]",
    "period_end": "datetime64[s]",
    "value": np.float64,
    "n": np.int64,
    "suppressed": bool,
    "applicable": bool,
    "target": np.float64,
    "achievement": np.float64,
    "status": object,
}


class KPIFrame(Frame):
    """
    KPI values in tidy form: one row per (kpi, group, period).

    ==================  ===================  ===============================================
    column              dtype                meaning
    ==================  ===================  ===============================================
    ``kpi``             object (str)         KPI id
    ``group``           object (str)         community, org unit, person, or ``"all"``
    ``period_start``    ``datetime64[s]``    start of the period (UTC)
    ``period_end``      ``datetime64[s]``    end of the period (exclusive)
    ``value``           ``float64``          the value; ``NaN`` if undefined or suppressed
    ``n``               ``int64``            how many distinct people the value rests on
                                             (``0`` where suppressed: hidden too)
    ``suppressed``      ``bool``             withheld for privacy (``n`` below the minimum)
    ==================  ===================  ===============================================

    :func:`~communitykit.kpi.compute` adds ``applicable`` (``bool``): ``False`` for a KPI
    the log cannot measure (it lacks the actions the KPI needs); its values are ``NaN``.
    :meth:`with_targets` adds ``target``, ``achievement`` and ``status`` (``"n/a"`` for
    rows that are not applicable).

    Parameters
    ----------
    columns
        A mapping from column name to an array-like; all of equal length.

    Examples
    --------
    >>> f = KPIFrame(
    ...     {
    ...         "kpi": ["posts"],
    ...         "group": ["wol"],
    ...         "period_start": ["2024-01-01"],
    ...         "period_end": ["2024-02-01"],
    ...         "value": [3.0],
    ...         "n": [6],
    ...         "suppressed": [False],
    ...     }
    ... )
    >>> len(f), f.value("posts", "wol")
    (1, 3.0)

    .. versionadded:: 0.1
    """

    __slots__ = ("_cells", "_columns")
    _cells: dict[tuple[str, str], list[int]]  # (kpi, group) -> rows, built on first use

    def __init__(self, columns: Mapping[str, npt.ArrayLike]) -> None:
        missing = [c for c in COLUMNS if c not in columns]
        if missing:
            msg = f"KPIFrame lacks columns {missing}; expected {', '.join(COLUMNS)}"
            raise SchemaError(msg)
        cols: dict[str, npt.NDArray[Any]] = {}
        for name, values in columns.items():
            if name not in _DTYPES:
                msg = f"unknown KPIFrame column {name!r}; expected some of {', '.join(_DTYPES)}"
                raise SchemaError(msg)
            arr = np.asarray(values)
            if _DTYPES[name] is object:
                out = np.empty(len(arr), dtype=object)
                if arr.dtype == object and all(type(v) is str for v in dict.fromkeys(arr.tolist())):
                    out[:] = arr  # already strings (the engine's output): no conversion
                else:
                    out[:] = [str(v) for v in arr.tolist()]
                arr = out
            else:
                arr = arr.astype(_DTYPES[name])
            arr.flags.writeable = False
            cols[name] = arr
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            msg = f"KPIFrame columns differ in length: {sorted(lengths)}"
            raise SchemaError(msg)
        hidden = cols["suppressed"]
        if hidden.any():
            # a suppressed value hides its head count too (privacy.suppress)
            for name, blank in (("value", np.nan), ("n", 0)):
                if not np.array_equal(
                    cols[name][hidden], np.full(hidden.sum(), blank), equal_nan=True
                ):
                    column = cols[name].copy()
                    column[hidden] = blank
                    column.flags.writeable = False
                    cols[name] = column
        self._columns = cols

    @classmethod
    def _trusted(cls, columns: dict[str, npt.NDArray[np.generic]]) -> KPIFrame:
        """Wrap arrays that already have the right dtypes (the engine's output), no copies."""
        frame = object.__new__(cls)
        for array in columns.values():
            array.flags.writeable = False
        frame._columns = columns
        return frame

    @classmethod
    def empty(cls) -> KPIFrame:
        """Return a frame with no rows."""
        return cls({c: [] for c in COLUMNS})

    @classmethod
    def concat(cls, frames: Iterable[KPIFrame]) -> KPIFrame:
        """Stack frames (e.g. computed per partition); columns present in all are kept."""
        parts = list(frames)
        if not parts:
            return cls.empty()
        names = [c for c in parts[0].columns if all(c in p.columns for p in parts)]
        return cls({c: np.concatenate([p[c] for p in parts]) for c in names})

    # ------------------------------------------------------------------ access

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(self._columns)

    def __getitem__(self, column: str) -> npt.NDArray[Any]:
        try:
            return self._columns[column]
        except KeyError:
            msg = f"no column {column!r}; columns: {', '.join(self._columns)}"
            raise KeyError(msg) from None

    @property
    def kpis(self) -> tuple[str, ...]:
        """The KPI ids, in order of first appearance."""
        return tuple(dict.fromkeys(self._columns["kpi"].tolist()))

    @property
    def groups(self) -> tuple[str, ...]:
        """The group labels, in order of first appearance."""
        return tuple(dict.fromkeys(self._columns["group"].tolist()))

    def select(
        self,
        kpi: str | Iterable[str] | None = None,
        group: str | Iterable[str] | None = None,
        *,
        start: object = None,
        end: object = None,
    ) -> KPIFrame:
        """
        Return the rows for the given KPIs, groups and period starts in ``[start, end)``.

        Examples
        --------
        >>> f = KPIFrame(
        ...     {
        ...         "kpi": ["a", "b"],
        ...         "group": ["x", "x"],
        ...         "period_start": ["2024-01-01"] * 2,
        ...         "period_end": ["2024-02-01"] * 2,
        ...         "value": [1.0, 2.0],
        ...         "n": [5, 5],
        ...         "suppressed": [False, False],
        ...     }
        ... )
        >>> len(f.select(kpi="b"))
        1
        """
        from communitykit._time import as_datetime64

        if isinstance(kpi, str) and isinstance(group, str) and start is None and end is None:
            return self.take(self._cell_rows(kpi, group))  # one series: from the index
        keep = np.ones(len(self), dtype=bool)
        for column, wanted in (("kpi", kpi), ("group", group)):
            if wanted is None:
                continue
            items = [wanted] if isinstance(wanted, str) else list(wanted)
            keep &= np.isin(self._columns[column], np.array(items, dtype=object))
        if start is not None:
            keep &= self._columns["period_start"] >= as_datetime64(start)
        if end is not None:
            keep &= self._columns["period_start"] < as_datetime64(end)
        return self.take(keep)

    def _cell_rows(self, kpi: str, group: str) -> npt.NDArray[np.intp]:
        """Row numbers of one KPI and group, in frame order (an index built once per frame)."""
        try:
            index = self._cells
        except AttributeError:
            index = {}
            keys = zip(self._columns["kpi"].tolist(), self._columns["group"].tolist(), strict=True)
            for row, key in enumerate(keys):
                index.setdefault(key, []).append(row)
            self._cells = index
        return np.asarray(index.get((kpi, group), ()), dtype=np.intp)

    def take(self, rows: npt.ArrayLike) -> KPIFrame:
        """Return the rows selected by a boolean mask or row numbers."""
        index = np.asarray(rows)
        return KPIFrame({k: v[index] for k, v in self._columns.items()})

    def value(self, kpi: str, group: str | None = None, period_start: object = None) -> float:
        """
        Return one value as a Python float.

        *group* may be left out when the KPI has one group, *period_start* when it has one
        period.

        Raises
        ------
        KeyError
            If no row or more than one row matches.
        """
        sub = self.select(kpi=kpi, group=group)
        if period_start is not None:
            from communitykit._time import as_datetime64

            sub = sub.take(sub["period_start"] == as_datetime64(period_start))
        if len(sub) != 1:
            msg = (
                f"{len(sub)} rows match kpi={kpi!r}, group={group!r}, "
                f"period_start={period_start!r}; expected exactly one"
            )
            raise KeyError(msg)
        return float(sub["value"][0])

    def values(self, kpi: str, group: str | None = None) -> list[float]:
        """Return the values of one KPI (and group) in period order, as Python floats."""
        sub = self.select(kpi=kpi, group=group)
        order = np.argsort(sub["period_start"], kind="stable")
        return [float(v) for v in sub["value"][order]]

    # ------------------------------------------------------------------ targets

    def with_targets(self, targets: Iterable[Target] | Mapping[str, Target]) -> KPIFrame:
        """
        Return the frame with ``target``, ``achievement`` and ``status`` columns.

        Rows of KPIs without a target get ``NaN`` and status ``""``; suppressed or undefined
        values get status ``"unknown"``.

        Raises
        ------
        ConfigError
            If two targets name the same KPI.

        Examples
        --------
        >>> f = KPIFrame(
        ...     {
        ...         "kpi": ["posts"],
        ...         "group": ["wol"],
        ...         "period_start": ["2024-01-01"],
        ...         "period_end": ["2024-02-01"],
        ...         "value": [30.0],
        ...         "n": [6],
        ...         "suppressed": [False],
        ...     }
        ... )
        >>> f.with_targets([Target("posts", "at_least", 40)])["status"].tolist()
        ['green']
        """
        items = list(targets.values()) if isinstance(targets, Mapping) else list(targets)
        by_kpi: dict[str, Target] = {}
        for t in items:
            if t.kpi in by_kpi:
                msg = f"two targets for KPI {t.kpi!r}; give one target per KPI"
                raise ConfigError(msg)
            by_kpi[t.kpi] = t
        n = len(self)
        target = np.full(n, np.nan)
        achievement = np.full(n, np.nan)
        status = np.full(n, "", dtype=object)
        kpi_col = self._columns["kpi"]
        for kpi_id, t in by_kpi.items():
            rows = kpi_col == kpi_id
            target[rows] = t.value
            achievement[rows] = t.achievements(self._columns["value"][rows])
            status[rows] = t.bands.statuses(achievement[rows])
        if "applicable" in self._columns:
            status[~self._columns["applicable"]] = "n/a"
        cols = {k: v for k, v in self._columns.items() if k not in _TARGET_COLUMNS}
        cols.update(target=target, achievement=achievement, status=status)
        return KPIFrame(cols)

    # ------------------------------------------------------------------ export

    def pivot(
        self, index: str = "period_start", columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """
        Return the values as a wide :class:`pandas.DataFrame`.

        One row per *index* value and one column per *columns* combination. By default the
        columns are the KPIs, and the KPIs and groups when the frame has several groups and
        *index* is not ``"group"``.

        Raises
        ------
        ConfigError
            If *index* and *columns* leave several rows for one cell (e.g. ``columns=("kpi",)``
            on a frame with several groups), instead of silently keeping one of them.
        """
        df = self.to_pandas()
        if columns is None:
            several_groups = len(set(df["group"].tolist())) > 1
            columns = ("kpi", "group") if several_groups and index != "group" else ("kpi",)
        keys = [index, *columns]
        if df.duplicated(subset=keys).any():
            msg = (
                f"pivot on index {index!r} and columns {list(columns)!r} would put several "
                "values in one cell; add 'group' (or 'period_start') to index or columns"
            )
            raise ConfigError(msg)
        return df.pivot_table(
            index=index, columns=list(columns), values="value", aggfunc="first", dropna=False
        )

    def to_json(self, path: PathLike | None = None) -> str:
        """Return (and with *path*, write) the rows as a JSON list of objects."""
        text = json.dumps(self.to_records(), indent=2, ensure_ascii=False)
        if path is not None:
            write_text(path, text + "\n")
        return text

    def to_csv(self, path: PathLike | None = None, *, raw_cells: bool = False) -> str:
        """Return (and with *path*, write) the rows as CSV (empty cells for ``NaN``).

        A text cell a spreadsheet would run as a formula (a group named ``=HYPERLINK(...)``)
        gets a leading ``'`` unless *raw_cells* (:func:`~communitykit.io.safe_cell`).
        """
        from communitykit._files import safe_cell

        names, lists = self._python_columns()
        if not raw_cells:  # each distinct text once: a column repeats its groups and KPIs
            for name, column in zip(names, lists, strict=True):
                if self._columns[name].dtype.kind in "OU":
                    safe = {v: safe_cell(v) if isinstance(v, str) else v for v in set(column)}
                    column[:] = [safe[v] for v in column]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(zip(*lists, strict=True))  # None is written as an empty cell
        text = buffer.getvalue()
        if path is not None:
            write_text(path, text)
        return text

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """The KPIs the log could not measure (``applicable`` is ``False``), in order."""
        if "applicable" not in self._columns:
            return ()
        rows = ~self._columns["applicable"]
        return tuple(dict.fromkeys(self._columns["kpi"][rows].tolist()))

    def suppression_counts(self) -> tuple[int, int]:
        """
        Return how many values are suppressed, and of how many values that rest on people.

        Counted are the rows of KPIs that apply to the source (``applicable``) and that either
        are suppressed or rest on at least one person (``n > 0``); empty cells (no one in the
        group and period) count in neither. Above :data:`MOSTLY_SUPPRESSED` as a share, the
        command line and the report say that most values are suppressed.

        Examples
        --------
        >>> log = ck.EventLog.from_records(
        ...     [{"time": "2024-01-01T10:00Z", "actor": "ana", "community": "c", "action": "post"}]
        ... )
        >>> ck.compute(log, ["posts", "active_members"]).suppression_counts()
        (2, 2)
        >>> ck.compute(log, ["posts"], min_group_size=1).suppression_counts()
        (0, 1)

        .. versionadded:: 0.1
        """
        columns = self._columns
        rows = columns["suppressed"] | (columns["n"] > 0)
        if "applicable" in columns:
            rows &= columns["applicable"]
        return int(columns["suppressed"][rows].sum()), int(rows.sum())

    # ------------------------------------------------------------------ the frame

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        return self._columns

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return {"n": self._columns["suppressed"]}  # a suppressed value hides its head count

    def _repr_parts(self) -> list[str]:
        lacking = len(self.not_applicable)
        return [
            f"{len(self):,} rows",
            f"{len(self.kpis)} KPIs",
            f"{len(self.groups)} groups",
            f"{int(self._columns['suppressed'].sum()):,} suppressed",
            f"{lacking} not applicable" if lacking else "",
        ]
