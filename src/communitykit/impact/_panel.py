"""The balanced person x period panel the estimator works on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frozen import frozen_mapping
from communitykit.errors import DataError

__all__ = ["Panel"]

PeriodLabel = int | str


def _readonly(a: npt.NDArray[np.generic]) -> npt.NDArray[Any]:
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


@attrs.frozen
class Panel:
    """
    Outcomes of people over consecutive periods, and when each person's programme started.

    Build it with :meth:`from_long` (one row per person and period, as the ``mpdta`` data or
    an outcomes CSV), or let :func:`communitykit.impact.estimate` build it from an event log.
    The panel must be balanced: a person missing in a period is dropped (and counted in
    :attr:`dropped`).

    Attributes
    ----------
    units
        Person (or unit) ids, one per row.
    periods
        The period labels in order (integers or ISO dates).
    cohort
        Per person, the index in :attr:`periods` of the first period in the programme; ``-1``
        for people who never took part within the window.
    outcomes
        Per outcome name, a ``(people, periods)`` float array.
    dropped
        Why people were left out, with counts (e.g. ``{"unbalanced": 3}``).
    period_name
        What a period is (``month``, ``quarter``, ...), for sentences; ``period`` if unknown.

    Examples
    --------
    >>> from communitykit.impact import Panel
    >>> p = Panel.from_long(
    ...     unit=["a", "a", "b", "b"],
    ...     period=[1, 2, 1, 2],
    ...     start=[2, 2, 0, 0],
    ...     outcomes={"posts": [1.0, 3.0, 1.0, 1.0]},
    ... )
    >>> p.periods, p.cohort.tolist(), p.outcomes["posts"].tolist()
    ((1, 2), [1, -1], [[1.0, 3.0], [1.0, 1.0]])

    .. versionadded:: 0.1
    """

    units: npt.NDArray[Any] = attrs.field(converter=_readonly, eq=False)
    periods: tuple[PeriodLabel, ...]
    cohort: npt.NDArray[np.int64] = attrs.field(converter=_readonly, eq=False)
    outcomes: Mapping[str, npt.NDArray[np.float64]] = attrs.field(
        converter=frozen_mapping, eq=False
    )
    dropped: Mapping[str, int] = attrs.field(converter=frozen_mapping, factory=dict)
    period_name: str = "period"

    @classmethod
    def from_long(
        cls,
        *,
        unit: Sequence[object] | npt.ArrayLike,
        period: Sequence[object] | npt.ArrayLike,
        start: Sequence[object] | npt.ArrayLike,
        outcomes: Mapping[str, Sequence[float] | npt.ArrayLike],
    ) -> Panel:
        """
        Build a panel from long rows: unit, period, programme start and outcome values.

        Parameters
        ----------
        unit, period
            One value per row; periods are integers (years, period numbers) or ISO dates.
        start
            Per row, the period the person's programme started (a value of the *period*
            column); ``0``, ``None`` or an empty string means never. A start after the last
            period counts as never within the window.
        outcomes
            Per outcome name, one float per row.

        Raises
        ------
        DataError
            For columns of different lengths, a duplicated (unit, period), a person with two
            start values, or a start that is no period of the panel.
        """
        units = np.asarray(unit, dtype=object)
        periods_raw = np.asarray(period, dtype=object)
        starts = np.asarray(start, dtype=object)
        n = units.size
        values = {k: np.asarray(v, dtype=np.float64) for k, v in outcomes.items()}
        for name, arr in {"period": periods_raw, "start": starts, **values}.items():
            if arr.shape != (n,):
                msg = f"column {name!r} has {arr.size} values; expected {n} (one per row)"
                raise DataError(msg)
        labels = sorted({_label(p) for p in periods_raw.tolist()}, key=_sort_key)
        index = {p: i for i, p in enumerate(labels)}
        col = np.array([index[_label(p)] for p in periods_raw.tolist()], dtype=np.int64)
        ids, row = np.unique(units.astype(str), return_inverse=True)
        key = row.astype(np.int64) * len(labels) + col
        if _numeric.unique(key).size != key.size:
            first = int(np.flatnonzero(np.bincount(key) > 1)[0])
            msg = (
                f"person {ids[first // len(labels)]!r} has two rows for period "
                f"{labels[first % len(labels)]!r}; expected one row per person and period"
            )
            raise DataError(msg)
        seen = np.bincount(row, minlength=ids.size)
        cohort = np.full(ids.size, -2, dtype=np.int64)
        for r, s in zip(row.tolist(), starts.tolist(), strict=True):
            c = _cohort_of(s, index, labels)
            if cohort[r] not in (-2, c):
                msg = f"person {ids[r]!r} has two different programme starts; expected one"
                raise DataError(msg)
            cohort[r] = c
        mats = {}
        for name, v in values.items():
            m = np.full((ids.size, len(labels)), np.nan)
            m[row, col] = v
            mats[name] = m
        complete = seen == len(labels)
        for m in mats.values():
            complete &= ~np.isnan(m).any(axis=1)
        dropped = {"unbalanced": int((~complete).sum())} if not complete.all() else {}
        return cls(
            ids[complete].astype(object),
            tuple(labels),
            cohort[complete],
            {k: m[complete] for k, m in mats.items()},
            dropped,
        )

    @property
    def n_units(self) -> int:
        """People in the panel."""
        return int(self.units.size)


def _label(value: object) -> PeriodLabel:
    if isinstance(value, (bool, np.bool_)):
        msg = f"period {value!r}; expected an integer or an ISO date"
        raise DataError(msg)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    if not text:
        msg = "empty period; expected an integer or an ISO date"
        raise DataError(msg)
    try:
        np.datetime64(text, "D")
    except ValueError:
        msg = f"period {value!r}; expected an integer or an ISO date"
        raise DataError(msg) from None
    return str(np.datetime64(text, "D"))


def _sort_key(label: PeriodLabel) -> tuple[int, int | str]:
    return (0, label) if isinstance(label, int) else (1, label)


def _is_never(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    text = str(value).strip()
    return text in {"", "0", "0.0", "nan", "NaN", "None"}


def _cohort_of(
    value: object, index: Mapping[PeriodLabel, int], labels: Sequence[PeriodLabel]
) -> int:
    if _is_never(value):
        return -1
    label = _label(value)
    if label in index:
        return index[label]
    if type(label) is type(labels[-1]) and _sort_key(label) > _sort_key(labels[-1]):
        return -1
    if type(label) is type(labels[0]) and _sort_key(label) < _sort_key(labels[0]):
        return -3
    msg = (
        f"programme start {value!r} is no period of the panel; "
        f"expected one of {labels[0]!r}..{labels[-1]!r}"
    )
    raise DataError(msg)
