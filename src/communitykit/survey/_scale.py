"""Likert scales and survey responses (respondents x items, ``NaN`` for a missing answer)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frozen import frozen_mapping
from communitykit._numeric import ARRAY_EQ
from communitykit._time import as_datetime64
from communitykit.errors import ConfigError, DataError

__all__ = ["LikertScale", "Responses"]


def _labels(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v) for v in value)


@attrs.frozen
class LikertScale:
    """
    A rating scale with *points* consecutive integer answers starting at *start*.

    Attributes
    ----------
    points
        How many answer options there are (5 and 7 are common; 11 for a 0-10 scale).
    start
        The lowest answer code (1 for "1 = strongly disagree … 5 = strongly agree", 0 for 0-10).
    labels
        Optional label per point, lowest first.
    reverse
        Items that are reverse-coded ("I feel left alone in my circle"): their answers are
        mirrored (``low + high - x``) before any statistic is computed.
    top
        How many points count as the top box (default 2: "top-2-box").
    bottom
        How many points count as the bottom box (default 2). For the Net Promoter Score on
        0-10 use ``LikertScale.nps()`` (top 2 = promoters 9-10, bottom 7 = detractors 0-6).

    Examples
    --------
    >>> s = LikertScale(5)
    >>> s.values.tolist(), s.top_values.tolist(), s.bottom_values.tolist()
    ([1, 2, 3, 4, 5], [4, 5], [1, 2])
    >>> LikertScale.nps().bottom_values.tolist()
    [0, 1, 2, 3, 4, 5, 6]

    .. versionadded:: 0.1
    """

    points: int = attrs.field(validator=attrs.validators.ge(2))
    start: int = 1
    labels: tuple[str, ...] = attrs.field(default=(), converter=_labels)
    reverse: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    top: int = attrs.field(default=2, validator=attrs.validators.ge(1))
    bottom: int = attrs.field(default=2, validator=attrs.validators.ge(1))

    @labels.validator
    def _check_labels(self, _: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
        if value and len(value) != self.points:
            msg = f"a {self.points}-point scale needs {self.points} labels, got {len(value)}"
            raise ConfigError(msg)

    def __attrs_post_init__(self) -> None:
        if self.top + self.bottom > self.points:
            msg = (
                f"top box ({self.top}) and bottom box ({self.bottom}) overlap on a "
                f"{self.points}-point scale"
            )
            raise ConfigError(msg)

    @classmethod
    def nps(cls) -> LikertScale:
        """Return the 0-10 "would you recommend" scale (promoters 9-10, detractors 0-6)."""
        return cls(11, start=0, top=2, bottom=7)

    @property
    def low(self) -> int:
        """The lowest answer code."""
        return self.start

    @property
    def high(self) -> int:
        """The highest answer code."""
        return self.start + self.points - 1

    @property
    def values(self) -> npt.NDArray[np.int64]:
        """Every answer code, lowest first."""
        return np.arange(self.low, self.high + 1, dtype=np.int64)

    @property
    def top_values(self) -> npt.NDArray[np.int64]:
        """The answer codes in the top box."""
        return self.values[-self.top :]

    @property
    def bottom_values(self) -> npt.NDArray[np.int64]:
        """The answer codes in the bottom box."""
        return self.values[: self.bottom]

    def contains(self, values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Return whether each value is a valid answer code (``NaN`` = missing counts as valid)."""
        x = np.asarray(values, dtype=np.float64)
        valid = (x >= self.low) & (x <= self.high) & (x == np.round(x))
        return np.asarray(valid | np.isnan(x), dtype=np.bool_)

    def mirror(self, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return reverse-coded values ``low + high - x`` (``NaN`` stays ``NaN``)."""
        return float(self.low + self.high) - np.asarray(values, dtype=np.float64)

    @classmethod
    def from_mapping(
        cls, raw: Mapping[str, Any], *, file: str | None = None, key: str = "scale"
    ) -> LikertScale:
        """Build a scale from a mapping (``points``, ``start``, ``labels``, ``reverse``, …)."""
        known = {"points", "start", "labels", "reverse", "top", "bottom"}
        extra = set(raw) - known
        if extra:
            msg = f"unknown scale keys {sorted(extra)!r}; expected some of {sorted(known)}"
            raise ConfigError(msg, file=file, key=f"{key}.{min(extra)}")
        if "points" not in raw:
            raise ConfigError("a scale needs 'points'", file=file, key=f"{key}.points")
        try:
            return cls(
                int(raw["points"]),
                start=int(raw.get("start", 1)),
                labels=raw.get("labels", ()),
                reverse=raw.get("reverse", ()),
                top=int(raw.get("top", 2)),
                bottom=int(raw.get("bottom", 2)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad scale: {exc}", file=file, key=key) from None

    def to_mapping(self) -> dict[str, object]:
        """
        Return the scale as the mapping :meth:`from_mapping` reads.

        Examples
        --------
        >>> scale = LikertScale(5, labels=list("abcde"), reverse=["q3"])
        >>> LikertScale.from_mapping(scale.to_mapping()) == scale
        True

        .. versionadded:: 0.2
        """
        return {
            "points": self.points,
            "start": self.start,
            "labels": list(self.labels),
            "reverse": sorted(self.reverse),
            "top": self.top,
            "bottom": self.bottom,
        }


def _float_matrix(value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    a = np.array(value, dtype=np.float64)
    if a.ndim != 2:
        msg = f"responses must be a respondents x items table, got {a.ndim} dimension(s)"
        raise DataError(msg)
    a.setflags(write=False)
    return a


def _opt_obj(value: Sequence[object] | npt.ArrayLike | None) -> npt.NDArray[Any] | None:
    if value is None:
        return None
    a = np.array([str(v) for v in np.asarray(value, dtype=object)], dtype=object)
    a.setflags(write=False)
    return a


def _opt_time(value: npt.ArrayLike | None) -> npt.NDArray[np.datetime64] | None:
    if value is None:
        return None
    raw = np.asarray(value)
    if np.issubdtype(raw.dtype, np.datetime64):
        t = raw.astype("datetime64[s]")
    else:
        t = np.array([as_datetime64(v) for v in raw.tolist()], dtype="datetime64[s]")
    t.setflags(write=False)
    return t


@attrs.frozen
class Responses:
    """
    Answers of many respondents to the items of one Likert questionnaire.

    Attributes
    ----------
    data
        ``float64`` array, respondents x items; ``NaN`` marks a missing answer.
        Raw codes as answered (reverse-coded items are *not* yet mirrored; see :meth:`coded`).
    items
        Item names, one per column.
    scale
        The answer scale shared by all items.
    respondent
        Optional respondent id per row.
    group
        Optional group per row (a Working Out Loud circle, a community, a team).
    time
        Optional ``datetime64[s]`` answer time per row (for weekly trends).
    subscales
        Named sets of items that measure one construct; Cronbach's alpha is reported per set.
        Default: one subscale ``"all"`` over every item.

    Raises
    ------
    DataError
        If a value is not on the scale, or the column counts do not match.

    Examples
    --------
    >>> r = Responses([[5, 4], [4, np.nan]], items=["useful", "recommend"], scale=LikertScale(5))
    >>> r.n_respondents, r.n_items
    (2, 2)

    .. versionadded:: 0.1
    """

    data: npt.NDArray[np.float64] = attrs.field(converter=_float_matrix, eq=ARRAY_EQ, hash=False)
    items: tuple[str, ...] = attrs.field(converter=_labels)
    scale: LikertScale = attrs.field(factory=lambda: LikertScale(5))
    respondent: npt.NDArray[Any] | None = attrs.field(
        default=None, converter=_opt_obj, eq=ARRAY_EQ, hash=False
    )
    group: npt.NDArray[Any] | None = attrs.field(
        default=None, converter=_opt_obj, eq=ARRAY_EQ, hash=False
    )
    time: npt.NDArray[np.datetime64] | None = attrs.field(
        default=None, converter=_opt_time, eq=ARRAY_EQ, hash=False
    )
    subscales: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=frozen_mapping, hash=False
    )

    def __attrs_post_init__(self) -> None:
        n, k = self.data.shape
        if k != len(self.items):
            msg = f"{k} answer columns but {len(self.items)} item names"
            raise DataError(msg)
        if len(set(self.items)) != len(self.items):
            msg = f"item names must be unique, got {list(self.items)!r}"
            raise DataError(msg)
        for name, col in (("respondent", self.respondent), ("group", self.group)):
            if col is not None and len(col) != n:
                msg = f"{name} has {len(col)} entries for {n} respondents"
                raise DataError(msg)
        if self.time is not None and len(self.time) != n:
            msg = f"time has {len(self.time)} entries for {n} respondents"
            raise DataError(msg)
        bad = ~self.scale.contains(self.data)
        if bad.any():
            r, c = (int(i) for i in np.argwhere(bad)[0])
            msg = (
                f"answer {float(self.data[r, c])!r} of respondent row {r + 1}, item "
                f"{self.items[c]!r} is not on the scale {self.scale.low}..{self.scale.high}"
            )
            raise DataError(msg)
        unknown_rev = sorted(self.scale.reverse - set(self.items))
        if unknown_rev:
            msg = f"reverse-coded items {unknown_rev!r} are not among the items {list(self.items)}"
            raise DataError(msg)
        for name, members in self.subscales.items():
            missing = sorted(set(members) - set(self.items))
            if missing:
                msg = f"subscale {name!r} names unknown items {missing!r}"
                raise DataError(msg)

    @property
    def n_respondents(self) -> int:
        """The number of rows."""
        return int(self.data.shape[0])

    @property
    def n_items(self) -> int:
        """The number of items."""
        return int(self.data.shape[1])

    def column(self, item: str) -> int:
        """Return the column index of *item*."""
        try:
            return self.items.index(item)
        except ValueError:
            msg = f"unknown item {item!r}; the items are {list(self.items)}"
            raise DataError(msg) from None

    def coded(self) -> npt.NDArray[np.float64]:
        """Return the answers with reverse-coded items mirrored (higher = more agreement)."""
        out = np.array(self.data, dtype=np.float64)
        for item in self.scale.reverse:
            j = self.column(item)
            out[:, j] = self.scale.mirror(out[:, j])
        return out

    def take(self, rows: npt.ArrayLike) -> Responses:
        """Return the responses of the given rows (an index array or a boolean mask)."""
        idx = np.asarray(rows)
        return Responses(
            self.data[idx],
            items=self.items,
            scale=self.scale,
            respondent=None if self.respondent is None else self.respondent[idx],
            group=None if self.group is None else self.group[idx],
            time=None if self.time is None else self.time[idx],
            subscales=self.subscales,
        )

    def item_sets(self) -> dict[str, tuple[str, ...]]:
        """Return the subscales, or ``{"all": items}`` if none were given."""
        return dict(self.subscales) if self.subscales else {"all": self.items}
