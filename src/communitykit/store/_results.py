"""What the store answers besides KPI values: a run's record and the comparison of two runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypedDict

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frame import Frame, RowFrame, columns_from_rows
from communitykit._frozen import frozen_mapping, frozen_mappings
from communitykit.store._run import Input

__all__ = ["RunComparison", "RunInfo", "RunTable", "StoredRows", "parse_time"]


class ComparisonRow(TypedDict):
    """One row of a :class:`RunComparison`: a (kpi, group, period) in either run."""

    kpi: str
    group: str
    period_start: str
    period_end: str
    value_a: float | None
    value_b: float | None
    change: float | None
    n_a: int | None
    n_b: int | None


def parse_time(text: str | None) -> np.datetime64 | None:
    """A time as the store writes it (``2026-01-31T12:00:00Z``) as ``datetime64[s]``."""
    return None if text is None else np.datetime64(text.removesuffix("Z"), "s")


@attrs.frozen
class RunInfo:
    """
    What the store knows about one run.

    Attributes
    ----------
    id
        The run id (a content hash; see :attr:`Run.id`).
    time
        The run's *as of* time.
    stored_at
        When it was written to the store.
    label
        Its human-readable name.
    parameters, versions
        The settings and the library and plugin versions.
    inputs
        The inputs with their content hashes.
    counts
        Rows stored per table (``kpi_values``, ``okr_checkins``, …).

    .. versionadded:: 0.1
    """

    id: str
    time: np.datetime64
    stored_at: np.datetime64
    label: str
    parameters: dict[str, object] = attrs.field(converter=frozen_mapping, hash=False)
    versions: dict[str, str] = attrs.field(converter=frozen_mapping, hash=False)
    inputs: tuple[Input, ...]
    counts: dict[str, int] = attrs.field(converter=frozen_mapping, hash=False)

    def to_mapping(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "id": self.id,
            "time": f"{self.time}Z",
            "stored_at": f"{self.stored_at}Z",
            "label": self.label,
            "parameters": self.parameters,
            "versions": self.versions,
            "inputs": [i.to_mapping() for i in self.inputs],
            "counts": self.counts,
        }


def _stored_rows(values: Iterable[Mapping[str, object]]) -> tuple[Mapping[str, object], ...]:
    return tuple(frozen_mapping(dict(v)) for v in values)


@attrs.frozen(eq=False, repr=False)
class StoredRows(RowFrame[Mapping[str, object]]):
    """
    Stored records of one kind: what :meth:`Store.checkins`, :meth:`Store.assessments`,
    :meth:`Store.transitions` and :meth:`Store.tasks` return.

    A :class:`~communitykit.Frame` with one row per record and a column per field any record
    has (in the order they first appear; a record without it is missing there); iterating and
    indexing give the records as read-only mappings (``row["stage"]``).

    Attributes
    ----------
    records
        The records.

    Examples
    --------
    >>> rows = StoredRows([{"grp": "a", "stage": "grow"}, {"grp": "b", "stage": "sustain"}])
    >>> rows.to_records()[1], rows[0]["stage"], len(rows)
    ({'grp': 'b', 'stage': 'sustain'}, 'grow', 2)

    .. versionadded:: 0.2
    """

    records: tuple[Mapping[str, object], ...] = attrs.field(converter=_stored_rows)

    def _frame_rows(self) -> tuple[Mapping[str, object], ...]:
        return self.records

    def _names(self) -> list[str]:
        return list(dict.fromkeys(k for r in self.records for k in r))

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        names = self._names()
        return columns_from_rows(names, [[r.get(k) for k in names] for r in self.records])[0]

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        names = self._names()
        return columns_from_rows(names, [[r.get(k) for k in names] for r in self.records])[1]


def _run_infos(values: Iterable[RunInfo]) -> tuple[RunInfo, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class RunTable(RowFrame[RunInfo]):
    """
    The runs of a store: what :meth:`Store.runs` returns.

    A :class:`~communitykit.Frame` with one row per run, oldest *as of* time first, and the
    columns ``id``, ``time``, ``stored_at``, ``label``, ``inputs`` (how many) and
    ``kpi_values`` (rows stored); iterating and indexing give the :class:`RunInfo` records.

    Attributes
    ----------
    runs
        The runs.

    .. versionadded:: 0.2
    """

    runs: tuple[RunInfo, ...] = attrs.field(converter=_run_infos)

    def _frame_rows(self) -> tuple[RunInfo, ...]:
        return self.runs

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        runs = self.runs
        text = np.empty((2, len(runs)), dtype=object)
        text[0, :] = [r.id for r in runs]
        text[1, :] = [r.label for r in runs]
        return {
            "id": text[0],
            "time": np.array([r.time for r in runs], dtype="datetime64[s]"),
            "stored_at": np.array([r.stored_at for r in runs], dtype="datetime64[s]"),
            "label": text[1],
            "inputs": np.array([len(r.inputs) for r in runs], dtype=np.int64),
            "kpi_values": np.array([r.counts.get("kpi_values", 0) for r in runs], dtype=np.int64),
        }


_COMPARISON_COLUMNS: Final = (
    "kpi",
    "group",
    "period_start",
    "period_end",
    "value_a",
    "value_b",
    "change",
    "n_a",
    "n_b",
)


@attrs.frozen(eq=False, repr=False)
class RunComparison(Frame):
    """
    KPI values of two runs side by side, with what changed in their settings and inputs.

    A :class:`~communitykit.Frame` of the rows; two comparisons are equal when their rows,
    runs and changes are.

    Attributes
    ----------
    run_a, run_b
        The two runs.
    rows
        One mapping per (kpi, group, period) present in either run: ``value_a``, ``value_b``,
        ``change`` (b - a, ``None`` if either is missing), ``n_a``, ``n_b``.
    parameters_changed
        Parameter name -> (value in a, value in b), for the parameters that differ.
    inputs_changed
        Input names whose content hash differs, or that only one run has.
    versions_changed
        Distribution -> (version in a, version in b), where they differ.

    .. versionadded:: 0.1
    """

    run_a: RunInfo
    run_b: RunInfo
    rows: tuple[ComparisonRow, ...] = attrs.field(converter=frozen_mappings)
    parameters_changed: dict[str, tuple[object, object]] = attrs.field(
        converter=frozen_mapping, hash=False
    )
    inputs_changed: tuple[str, ...]
    versions_changed: dict[str, tuple[str | None, str | None]] = attrs.field(
        converter=frozen_mapping, hash=False
    )
    _data: tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]] = attrs.field(
        init=False, repr=False
    )

    @_data.default
    def _columns_of_rows(
        self,
    ) -> tuple[dict[str, npt.NDArray[Any]], dict[str, npt.NDArray[np.bool_]]]:
        rows = [tuple(r.get(c) for c in _COMPARISON_COLUMNS) for r in self.rows]
        return columns_from_rows(_COMPARISON_COLUMNS, rows)

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        return self._data[0]

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return self._data[1]

    def _frame_state(self) -> tuple[object, ...]:
        return (
            self.run_a,
            self.run_b,
            self.parameters_changed,
            self.inputs_changed,
            self.versions_changed,
        )

    def _repr_parts(self) -> list[str]:
        return [
            f"{self.run_a.id[:8]} -> {self.run_b.id[:8]}",
            f"{len(self):,} rows",
            f"{len(self.changed()):,} changed",
        ]

    def changed(self, *, tolerance: float = 0.0) -> tuple[ComparisonRow, ...]:
        """Return the rows whose value differs by more than *tolerance* or is in one run only."""
        out: list[ComparisonRow] = []
        for r in self.rows:
            if r["change"] is None:
                if (r["value_a"] is None) != (r["value_b"] is None):
                    out.append(r)
            elif abs(r["change"]) > tolerance:
                out.append(r)
        return tuple(out)
