"""
Periods, rolling windows and bucketing of ``datetime64[s]`` times, with numpy only.

All times in communitykit are UTC ``datetime64[s]``.
A :class:`Period` cuts the time line into calendar buckets (ISO weeks start on Monday);
a :class:`Window` is a rolling span such as ``"28D"``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._numeric import ARRAY_EQ
from communitykit.errors import ConfigError, DataError

__all__ = [
    "DEFAULT_TIME_RANGE",
    "PERIODS",
    "Bins",
    "Period",
    "PeriodName",
    "TimeLike",
    "Window",
    "accepted_time_range",
    "as_datetime64",
    "bucket",
    "completion_horizon",
    "end_of_data",
    "now",
    "outside_time_range",
    "time_range",
    "time_range_problem",
    "wall_time",
]

PeriodName: TypeAlias = Literal["day", "week", "month", "quarter", "year", "all"]
TimeLike: TypeAlias = str | np.datetime64 | dt.datetime | dt.date
"""
A point in time as every ``as_of=``, ``start=`` and ``end=`` accepts it.

An ISO 8601 string (``"2024-05-01"``, ``"2024-05-01T10:00:00+02:00"``), a
:class:`datetime.datetime` (``pandas.Timestamp`` is one) or :class:`datetime.date`, or a
:class:`numpy.datetime64`; read by :func:`as_datetime64`.
"""
PERIODS: Final[tuple[str, ...]] = ("day", "week", "month", "quarter", "year", "all")

_SECONDS_PER_DAY: Final = 86_400
_EPOCH_WEEKDAY_SHIFT: Final = 3  # 1970-01-01 was a Thursday: (days + 3) % 7 == 0 on Mondays


def as_datetime64(value: object, *, tz: str | None = None) -> np.datetime64:
    """
    Convert one time value to a UTC ``datetime64[s]``.

    Parameters
    ----------
    value
        An ISO 8601 string (``"2024-05-01"``, ``"2024-05-01T10:00:00+02:00"``, ``"...Z"``),
        a :class:`datetime.datetime` or :class:`datetime.date`, or a :class:`numpy.datetime64`.
    tz
        IANA time zone for naive values (those without an offset). Without it a naive
        *datetime* is refused; a bare date is taken as midnight UTC.

    Returns
    -------
    numpy.datetime64
        The instant in UTC at second resolution.

    Raises
    ------
    DataError
        If the value cannot be read as a time, or a naive time comes without *tz*.

    Examples
    --------
    >>> as_datetime64("2024-05-01T10:00:00+02:00")
    np.datetime64('2024-05-01T08:00:00')
    >>> as_datetime64("2024-05-01")
    np.datetime64('2024-05-01T00:00:00')

    .. versionadded:: 0.1
    """
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            msg = "time is NaT; expected a real point in time"
            raise DataError(msg)
        seconds: np.datetime64 = value.astype("datetime64[s]")
        return seconds
    if isinstance(value, dt.datetime):
        return _from_datetime(value, tz=tz)
    if isinstance(value, dt.date):
        return np.datetime64(value.isoformat(), "s")
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE_ONLY.fullmatch(text):
                # through datetime.date: numpy reads year 0000 and rolls over bad days
                return np.datetime64(dt.date.fromisoformat(text).isoformat(), "s")
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            msg = f"cannot read {value!r} as an ISO 8601 time (e.g. '2024-05-01T10:00:00Z')"
            raise DataError(msg) from None
        return _from_datetime(parsed, tz=tz)
    msg = f"cannot read {value!r} of type {type(value).__name__} as a time"
    raise DataError(msg)


_DATE_ONLY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _from_datetime(value: dt.datetime, *, tz: str | None) -> np.datetime64:
    if value.tzinfo is None:
        if tz is None:
            msg = (
                f"naive time {value.isoformat()!r} has no UTC offset; "
                "pass tz='Europe/Berlin' (or another IANA zone) to say what it means"
            )
            raise DataError(msg)
        value = value.replace(tzinfo=_zone(tz))
    try:
        utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):  # an offset that moves the time past year 1 or 9999
        msg = f"time {value.isoformat()!r} lies outside the years 1 to 9999 in UTC"
        raise DataError(msg) from None
    return np.datetime64(utc.replace(microsecond=0).isoformat(), "s")


DEFAULT_TIME_RANGE: Final = ("1970-01-01T00:00:00", "2100-01-01T00:00:00")
"""The times readers accept by default: from 1970 up to (not including) 2100, in UTC."""

_RANGE: ContextVar[tuple[int, int]] = ContextVar(
    "communitykit_time_range",
    default=(
        int(np.datetime64(DEFAULT_TIME_RANGE[0], "s").astype(np.int64)),
        int(np.datetime64(DEFAULT_TIME_RANGE[1], "s").astype(np.int64)),
    ),
)
_RANGE_LIMIT: Final = (
    int(np.datetime64("0001-01-01T00:00:00", "s").astype(np.int64)),
    int(np.datetime64("9999-12-31T23:59:59", "s").astype(np.int64)),
)


def time_range() -> tuple[np.datetime64, np.datetime64]:
    """
    Return the accepted time range ``[start, end)`` in force (UTC ``datetime64[s]``).

    Readers reject every row whose time lies outside it, so that no single hostile row (a year
    10000, a ``0000-01-01``, an epoch of ``10**12``) can stretch a log over centuries and make
    period-by-period work proportional to a span the data's author chose.

    Examples
    --------
    >>> time_range()
    (np.datetime64('1970-01-01T00:00:00'), np.datetime64('2100-01-01T00:00:00'))

    .. versionadded:: 0.1
    """
    lo, hi = _RANGE.get()
    return np.datetime64(lo, "s"), np.datetime64(hi, "s")


@contextlib.contextmanager
def accepted_time_range(start: object, end: object) -> Iterator[None]:
    """
    Accept times in ``[start, end)`` instead of :data:`DEFAULT_TIME_RANGE` within the block.

    ``read_events(..., time_range=(start, end))`` uses this; it is a context variable, so
    threads and tasks each keep their own range.

    Raises
    ------
    ConfigError
        If a bound is no time, or *end* is not after *start*.

    Examples
    --------
    >>> with accepted_time_range("1900-01-01", "2200-01-01"):
    ...     str(time_range()[0])
    '1900-01-01T00:00:00'

    .. versionadded:: 0.1
    """
    try:
        lo = int(as_datetime64(start, tz="UTC").astype(np.int64))
        hi = int(as_datetime64(end, tz="UTC").astype(np.int64))
    except DataError as exc:
        msg = f"time_range=({start!r}, {end!r}): {exc}"
        raise ConfigError(msg) from None
    if hi <= lo:
        msg = f"time_range=({start!r}, {end!r}): the end must come after the start"
        raise ConfigError(msg)
    token = _RANGE.set((max(lo, _RANGE_LIMIT[0]), min(hi, _RANGE_LIMIT[1])))
    try:
        yield
    finally:
        _RANGE.reset(token)


def outside_time_range(seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Return where UTC *seconds* (since 1970) lie outside the accepted :func:`time_range`."""
    lo, hi = _RANGE.get()
    values = np.asarray(seconds, dtype=np.int64)
    out: npt.NDArray[np.bool_] = (values < lo) | (values >= hi)
    return out


def time_range_problem(seconds: int | np.datetime64) -> str | None:
    """
    Return why the UTC time *seconds* is refused, or ``None`` if it lies in the time range.

    Examples
    --------
    >>> time_range_problem(np.datetime64("2024-05-01T10:00:00")) is None
    True
    >>> print(time_range_problem(np.datetime64("9999-12-31T00:00:00"))[:60])
    time 9999-12-31T00:00:00 lies outside the accepted range [19

    .. versionadded:: 0.1
    """
    value = (
        int(seconds.astype("datetime64[s]").astype(np.int64))
        if isinstance(seconds, np.datetime64)
        else int(seconds)
    )
    lo, hi = _RANGE.get()
    if lo <= value < hi:
        return None
    shown = str(np.datetime64(value, "s")) if -(2**40) < value < 2**40 else str(value)
    return (
        f"time {shown} lies outside the accepted range "
        f"[{np.datetime64(lo, 's')}, {np.datetime64(hi, 's')}); "
        "pass time_range= (a start and an end) to widen it"
    )


def _zone(tz: str) -> dt.tzinfo:
    if tz.upper() in {"UTC", "Z"}:
        return dt.UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {tz!r}; expected an IANA name such as 'Europe/Berlin' or 'UTC'"
        raise ConfigError(msg) from None


def _tz_name(value: object) -> str:
    """Return the canonical name of a time zone (``"UTC"`` for ``None``), validated."""
    if value is None:
        return "UTC"
    if not isinstance(value, str):
        msg = f"time zone must be an IANA name such as 'Europe/Berlin'; got {value!r}"
        raise ConfigError(msg)
    name = value.strip()
    if name.upper() in {"UTC", "Z"}:
        return "UTC"
    _zone(name)  # raises ConfigError for an unknown zone
    return name


_EPOCH: Final = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose (wall clock)
_SECOND: Final = dt.timedelta(seconds=1)


def _to_wall(instant: np.datetime64, zone: dt.tzinfo) -> np.datetime64:
    """The wall-clock time in *zone* at the UTC *instant* (naive ``datetime64[s]``)."""
    seconds = int(instant.astype("datetime64[s]").astype(np.int64))
    aware = (_EPOCH + dt.timedelta(seconds=seconds)).replace(tzinfo=dt.UTC)
    wall = aware.astimezone(zone).replace(tzinfo=None)
    return np.datetime64((wall - _EPOCH) // _SECOND, "s")


def _to_instant(wall: np.datetime64, zone: dt.tzinfo) -> np.datetime64:
    """
    The UTC instant at which the wall clock in *zone* first shows *wall* or later.

    A wall time skipped by a DST switch maps to the switch itself (the first instant of the
    local day or month), so period starts stay increasing.
    """
    seconds = int(wall.astype("datetime64[s]").astype(np.int64))
    naive = _EPOCH + dt.timedelta(seconds=seconds)
    utc = naive.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64((utc - _EPOCH) // _SECOND, "s")


def _floor_wall(name: str, t: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """Calendar floor of wall-clock (or UTC) times, by plain datetime64 arithmetic."""
    if name == "day":
        return t.astype("datetime64[D]").astype("datetime64[s]")
    if name == "week":
        days = t.astype("datetime64[D]").astype(np.int64)
        monday = days - (days + _EPOCH_WEEKDAY_SHIFT) % 7
        return monday.astype("datetime64[D]").astype("datetime64[s]")
    if name == "month":
        return t.astype("datetime64[M]").astype("datetime64[s]")
    if name == "quarter":
        months = t.astype("datetime64[M]").astype(np.int64)
        return (months - months % 3).astype("datetime64[M]").astype("datetime64[s]")
    if name == "year":
        return t.astype("datetime64[Y]").astype("datetime64[s]")
    msg = "the period 'all' has no calendar floor; use bucket() with a start and an end"
    raise ConfigError(msg)


def _shift_wall(name: str, s: npt.NDArray[np.datetime64], n: int) -> npt.NDArray[np.datetime64]:
    """Calendar shift of wall-clock (or UTC) period starts by *n* periods."""
    if name in {"day", "week"}:
        days = n if name == "day" else 7 * n
        return (s.astype("datetime64[D]") + np.timedelta64(days, "D")).astype("datetime64[s]")
    if name in {"month", "quarter"}:
        step = n if name == "month" else 3 * n
        return (s.astype("datetime64[M]") + np.timedelta64(step, "M")).astype("datetime64[s]")
    if name == "year":
        return (s.astype("datetime64[Y]") + np.timedelta64(n, "Y")).astype("datetime64[s]")
    msg = "the period 'all' cannot be shifted"
    raise ConfigError(msg)


def _range_wall(name: str, first: np.datetime64, last: np.datetime64) -> npt.NDArray[np.datetime64]:
    """Every period start from *first* to *last* (both period starts), inclusive."""
    if name == "day":
        return np.arange(first, last + np.timedelta64(1, "D"), np.timedelta64(1, "D"))
    if name == "week":
        return np.arange(first, last + np.timedelta64(7, "D"), np.timedelta64(7, "D"))
    if name in {"month", "quarter"}:
        step = 1 if name == "month" else 3
        months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1, step)
        return months.astype("datetime64[s]")
    years = np.arange(first.astype("datetime64[Y]"), last.astype("datetime64[Y]") + 1)
    return years.astype("datetime64[s]")


def now() -> np.datetime64:
    """
    Return the wall clock now: a UTC ``datetime64[s]`` (whole seconds).

    The one clock of the library, for what records when something happened (a lifecycle
    transition, a task status, a stored run); calculators measure "as of" the end of their data.
    """
    return np.datetime64(dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0), "s")


def wall_time(times: npt.ArrayLike, tz: str | None) -> npt.NDArray[np.datetime64]:
    """
    Return the wall-clock times in *tz* of UTC instants (naive ``datetime64[s]``), for labels.

    ``None`` or ``"UTC"`` returns the instants unchanged.

    Examples
    --------
    >>> wall_time(np.array(["2024-10-31T23:00"], dtype="datetime64[s]"), "Europe/Berlin")
    array(['2024-11-01T00:00:00'], dtype='datetime64[s]')
    """
    t = np.asarray(times, dtype="datetime64[s]")
    name = _tz_name(tz)
    if name == "UTC" or t.size == 0:
        return t.copy()
    zone = _zone(name)
    unique, inverse = np.unique(t, return_inverse=True)
    walls = np.array(
        [u if np.isnat(u) else _to_wall(u, zone) for u in unique], dtype="datetime64[s]"
    )
    out: npt.NDArray[np.datetime64] = walls[inverse].reshape(t.shape)
    return out


@attrs.frozen
class Period:
    """
    A calendar period: ``day``, ISO ``week`` (Monday first), ``month``, ``quarter``, ``year``,
    or ``all`` (one bucket spanning the whole range), in the calendar of a time zone.

    Times stay UTC instants; *tz* only says where the periods begin. With ``tz="UTC"`` (the
    default) a month runs from midnight UTC on its first day. With ``tz="Europe/Berlin"`` it
    runs from local midnight on its first day, which is a different UTC instant in winter
    (23:00 the day before) and summer (22:00): the boundaries are computed per period with
    the zone's rules, so a day containing a daylight-saving switch lasts 23 or 25 hours.

    Attributes
    ----------
    name
        The period's name.
    tz
        IANA time zone whose calendar the periods follow (``"UTC"`` by default).

    Examples
    --------
    >>> t = np.array(["2024-02-29T23:00", "2024-03-01T01:00"], dtype="datetime64[s]")
    >>> Period("month").floor(t)
    array(['2024-02-01T00:00:00', '2024-03-01T00:00:00'], dtype='datetime64[s]')

    In Berlin, 23:30 UTC on 31 October is 00:30 on 1 November (local winter time):

    >>> berlin = Period("month", tz="Europe/Berlin")
    >>> berlin.floor(np.array(["2024-10-31T23:30"], dtype="datetime64[s]"))
    array(['2024-10-31T23:00:00'], dtype='datetime64[s]')

    The day of the switch back to winter time lasts 25 hours:

    >>> day = Period("day", tz="Europe/Berlin")
    >>> start = day.range("2024-10-27T12:00+01:00", "2024-10-27T13:00+01:00")
    >>> start, (day.shift(start) - start).astype("timedelta64[h]")
    (array(['2024-10-26T22:00:00'], dtype='datetime64[s]'), array([25], dtype='timedelta64[h]'))

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *tz*: periods in a local calendar.
    """

    name: str = attrs.field(validator=attrs.validators.in_(PERIODS))
    tz: str = attrs.field(default="UTC", converter=_tz_name)

    @classmethod
    def parse(cls, value: str | Period, *, tz: str | None = None) -> Period:
        """
        Return *value* as a :class:`Period`, with a clear error for unknown names.

        *tz*, when given, sets the time zone of the calendar (also of a :class:`Period`
        passed in); without it a name gives a UTC period and a :class:`Period` keeps its own.
        """
        if isinstance(value, Period):
            return value if tz is None else attrs.evolve(value, tz=tz)
        name = str(value).strip().lower()
        aliases = {"d": "day", "w": "week", "m": "month", "q": "quarter", "y": "year"}
        name = aliases.get(name, name)
        if name not in PERIODS:
            msg = f"unknown period {value!r}; expected one of {', '.join(PERIODS)}"
            raise ConfigError(msg)
        return cls(name, tz=tz)

    @property
    def is_utc(self) -> bool:
        """Whether the periods follow the UTC calendar."""
        return self.tz == "UTC"

    def floor(self, times: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """Return the start of the period containing each time."""
        t = np.asarray(times, dtype="datetime64[s]")
        if self.is_utc or self.name == "all":
            return _floor_wall(self.name, t)
        if t.size == 0:
            return t.copy()
        starts = self.range(t.min(), t.max() + np.timedelta64(1, "s"))
        index = np.searchsorted(starts, t, side="right") - 1
        out: npt.NDArray[np.datetime64] = starts[np.maximum(index, 0)]
        return out

    def shift(self, starts: npt.ArrayLike, n: int = 1) -> npt.NDArray[np.datetime64]:
        """Return the period starts *n* periods after *starts* (which must be period starts)."""
        s = np.asarray(starts, dtype="datetime64[s]")
        if self.is_utc or self.name == "all":
            return _shift_wall(self.name, s, n)
        zone = _zone(self.tz)
        unique, inverse = np.unique(s, return_inverse=True)
        out = np.empty(unique.shape, dtype="datetime64[s]")
        for i, instant in enumerate(unique):
            wall = _floor_wall(self.name, np.array([_to_wall(instant, zone)]))
            out[i] = _to_instant(_shift_wall(self.name, wall, n)[0], zone)
        shifted: npt.NDArray[np.datetime64] = out[inverse].reshape(s.shape)
        return shifted

    def range(self, start: object, end: object) -> npt.NDArray[np.datetime64]:
        """
        Return the starts of every period that overlaps ``[start, end)``.

        Examples
        --------
        >>> Period("quarter").range("2024-02-10", "2024-07-01")
        array(['2024-01-01T00:00:00', '2024-04-01T00:00:00'], dtype='datetime64[s]')
        """
        lo, hi = as_datetime64(start), as_datetime64(end)
        if hi <= lo:
            return np.empty(0, dtype="datetime64[s]")
        if self.name == "all":
            msg = "the period 'all' has no calendar range; use bucket() with a start and an end"
            raise ConfigError(msg)
        last_second = hi - np.timedelta64(1, "s")
        if self.is_utc:
            first = _floor_wall(self.name, np.array([lo]))[0]
            last = _floor_wall(self.name, np.array([last_second]))[0]
            return _range_wall(self.name, first, last)
        zone = _zone(self.tz)
        first = _floor_wall(self.name, np.array([_to_wall(lo, zone)]))[0]
        last = _floor_wall(self.name, np.array([_to_wall(last_second, zone)]))[0]
        walls = _range_wall(self.name, first, last)
        return np.array([_to_instant(w, zone) for w in walls], dtype="datetime64[s]")


@attrs.frozen
class Bins:
    """
    The result of :func:`bucket`: one bin index per time and the bins' bounds.

    Attributes
    ----------
    index
        ``int64`` bin number per input time, ``-1`` for times outside ``[start, end)``.
    starts, ends
        ``datetime64[s]`` bounds of each bin (``ends`` exclusive).
    """

    index: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False)
    starts: npt.NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, hash=False)
    ends: npt.NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, hash=False)

    def __len__(self) -> int:
        return len(self.starts)


def bucket(
    times: npt.ArrayLike,
    period: str | Period,
    *,
    start: object = None,
    end: object = None,
) -> Bins:
    """
    Assign each time to a period bin between *start* and *end*.

    Parameters
    ----------
    times
        ``datetime64`` values (any resolution; converted to seconds).
    period
        A period name or :class:`Period`; ``"all"`` makes one bin ``[start, end)``.
    start, end
        The range to cover. Default: from the earliest time to one second after the latest.
        Every period overlapping the range gets a bin, even one without any time in it.

    Returns
    -------
    Bins
        Bin index per time (``-1`` outside the range) and each bin's start and end.

    Examples
    --------
    >>> t = np.array(["2024-01-31", "2024-03-15"], dtype="datetime64[s]")
    >>> b = bucket(t, "month")
    >>> b.index.tolist(), len(b)
    ([0, 2], 3)

    .. versionadded:: 0.1
    """
    t = np.asarray(times, dtype="datetime64[s]")
    p = Period.parse(period)
    if start is None:
        if t.size == 0:
            empty = np.empty(0, dtype="datetime64[s]")
            return Bins(np.empty(0, dtype=np.int64), empty, empty)
        lo = t.min()
    else:
        lo = as_datetime64(start)
    hi = (t.max() + np.timedelta64(1, "s")) if end is None and t.size else as_datetime64(end)
    if hi <= lo:
        empty = np.empty(0, dtype="datetime64[s]")
        return Bins(np.full(t.shape, -1, dtype=np.int64), empty, empty)
    inside = (t >= lo) & (t < hi)
    if p.name == "all":
        index = np.where(inside, 0, -1).astype(np.int64)
        return Bins(index, np.array([lo]), np.array([hi]))
    starts = p.range(lo, hi)
    ends = p.shift(starts)
    # searchsorted on the starts: the bin is the last start <= t.
    index = np.searchsorted(starts, t, side="right").astype(np.int64) - 1
    index[~inside] = -1
    return Bins(index, starts, ends)


_WINDOW_UNITS: Final = {
    "s": 1,
    "min": 60,
    "h": 3600,
    "d": _SECONDS_PER_DAY,
    "w": 7 * _SECONDS_PER_DAY,
}
_WINDOW_RE: Final = re.compile(r"\s*(\d+)\s*(s|min|h|d|w)\s*", re.IGNORECASE)


@attrs.frozen
class Window:
    """
    A rolling span of time such as ``"28D"``, ``"90D"``, ``"24h"`` or ``"4W"``.

    Attributes
    ----------
    seconds
        The span's length in seconds (positive).

    Examples
    --------
    >>> Window.parse("28D").days
    28.0
    >>> Window.parse("24h") == Window.parse("1D")
    True

    .. versionadded:: 0.1
    """

    seconds: int = attrs.field(validator=attrs.validators.gt(0))

    @classmethod
    def parse(cls, value: str | int | Window | np.timedelta64) -> Window:
        """Read ``"<n><unit>"`` with unit ``s``, ``min``, ``h``, ``D`` or ``W``."""
        if isinstance(value, Window):
            return value
        if isinstance(value, np.timedelta64):
            return cls(int(value.astype("timedelta64[s]").astype(np.int64)))
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        match = _WINDOW_RE.fullmatch(str(value))
        if match is None or int(match.group(1)) == 0:
            msg = f"cannot read window {value!r}; expected e.g. '28D', '90D', '24h', '4W'"
            raise ConfigError(msg)
        return cls(int(match.group(1)) * _WINDOW_UNITS[match.group(2).lower()])

    @property
    def delta(self) -> np.timedelta64:
        """The span as a ``timedelta64[s]``."""
        return np.timedelta64(self.seconds, "s")

    @property
    def days(self) -> float:
        """The span in days."""
        return self.seconds / _SECONDS_PER_DAY


_ONE_SECOND: Final = np.timedelta64(1, "s")
_ONE_DAY: Final = np.timedelta64(1, "D")


def end_of_data(times: npt.ArrayLike, as_of: TimeLike | None = None) -> np.datetime64 | None:
    """
    Return *as_of* as ``datetime64[s]``, by default the end of the data: after its last time.

    The one default of every ``as_of=``: one second after the latest of *times* (events,
    answers, check-ins), so every event counts and a call gives the same result on any day.
    ``None`` without *as_of* and without times.

    Examples
    --------
    >>> times = np.array(["2024-05-01T10:00", "2024-05-31T17:00"], dtype="datetime64[s]")
    >>> end_of_data(times)
    np.datetime64('2024-05-31T17:00:01')
    >>> end_of_data(times, as_of="2024-05-15")
    np.datetime64('2024-05-15T00:00:00')
    >>> end_of_data(np.array([], dtype="datetime64[s]")) is None
    True

    .. versionadded:: 0.1
    """
    if as_of is not None:
        return as_datetime64(as_of)
    t = np.asarray(times, dtype="datetime64[s]")
    t = t[~np.isnat(t)]
    return t.max() + _ONE_SECOND if t.size else None


def completion_horizon(times: npt.ArrayLike, as_of: TimeLike | None = None) -> np.datetime64 | None:
    """
    Return the instant by which periods count as complete: *as_of*, or one day after the data.

    Frameworks (OKRs, scorecards, the Wissensbilanz, measurement models) read a KPI's latest
    *complete* period. Given *as_of*, that is the period ending by *as_of*. By default it is
    the period ending within a day after the last of *times*: data that reaches into a
    period's last day completes it (an export taken on the evening of 31 December reads
    December, not November). ``None`` without *as_of* and without times.

    Examples
    --------
    >>> times = np.array(["2024-05-31T17:00"], dtype="datetime64[s]")
    >>> completion_horizon(times)
    np.datetime64('2024-06-01T17:00:00')
    >>> completion_horizon(times, as_of="2024-05-15")
    np.datetime64('2024-05-15T00:00:00')

    .. versionadded:: 0.1
    """
    if as_of is not None:
        return as_datetime64(as_of)
    t = np.asarray(times, dtype="datetime64[s]")
    t = t[~np.isnat(t)]
    return t.max() + _ONE_DAY if t.size else None
