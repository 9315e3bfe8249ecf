"""
Current values for key results and measures: from a KPI frame, a mapping, or an event log.

An internal module of :mod:`communitykit.frameworks`, shared with :mod:`communitykit.okr` and
:mod:`communitykit.measurement`: documented for contributors, not underscore-private so that
those packages may import it, but without a stability promise to users (the public names are
re-exported from :mod:`communitykit.frameworks`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import numpy as np

from communitykit._time import TimeLike, as_datetime64, completion_horizon

__all__ = [
    "READING_STATUSES",
    "KPIReading",
    "kpi_lookup",
    "kpi_reading",
    "resolve_readings",
    "resolve_values",
    "source_as_of",
]

READING_STATUSES: Final[tuple[str, ...]] = ("ok", "fallback", "suppressed", "no_data", "missing")
"""What a :class:`KPIReading` found: a value of the latest period (``ok``), an earlier
period's value on request (``fallback``), a value withheld for privacy (``suppressed``), an
undefined value (``no_data``), or no row for the KPI and group at all (``missing``)."""

_DAY: Final = np.timedelta64(1, "D")


def _iso(t: np.datetime64 | None) -> str | None:
    return None if t is None else f"{t}Z"


def period_label(
    start: np.datetime64 | None, end: np.datetime64 | None, tz: str | None = None
) -> str:
    """
    Return a short label of a period: ``"2026-02"``, ``"2026-Q1"``, ``"2026"``, a date, or an
    ISO 8601 interval ``start/end`` (end exclusive) for anything else.

    *tz* is the time zone of the period's calendar: the bounds are read as local dates there.
    Bounds off midnight (in *tz*, default UTC) are shown as UTC instants. ``""`` without
    bounds.

    Examples
    --------
    >>> m = np.datetime64("2026-02-01", "s")
    >>> period_label(m, np.datetime64("2026-03-01", "s")), period_label(m, m + 7 * 86400)
    ('2026-02', '2026-02-01/2026-02-08')
    >>> berlin = np.array(["2026-01-31T23:00", "2026-02-28T23:00"], dtype="datetime64[s]")
    >>> period_label(*berlin), period_label(*berlin, tz="Europe/Berlin")
    ('2026-01-31T23:00:00Z/2026-02-28T23:00:00Z', '2026-02')
    """
    if start is None or end is None:
        return ""
    lo, hi = start.astype("datetime64[s]"), end.astype("datetime64[s]")
    if tz is not None:
        from communitykit._time import wall_time

        lo_wall, hi_wall = wall_time(np.array([lo, hi]), tz)
        if (
            lo_wall.astype("datetime64[D]") == lo_wall
            and hi_wall.astype("datetime64[D]") == hi_wall
        ):
            lo, hi = lo_wall, hi_wall
    day_lo, day_hi = lo.astype("datetime64[D]"), hi.astype("datetime64[D]")
    if day_lo != lo or day_hi != hi:
        return f"{lo}Z/{hi}Z"
    month_lo = lo.astype("datetime64[M]")
    if month_lo == lo:
        months = int((hi.astype("datetime64[M]") - month_lo).astype(np.int64))
        if months == 1 and hi.astype("datetime64[M]") == hi:
            return str(month_lo)
        m = int(str(month_lo)[5:7])
        if months == 3 and (m - 1) % 3 == 0 and hi.astype("datetime64[M]") == hi:
            return f"{str(month_lo)[:4]}-Q{(m - 1) // 3 + 1}"
        if months == 12 and m == 1 and hi.astype("datetime64[Y]") == hi:
            return str(month_lo)[:4]
    if day_hi - day_lo == 1:
        return str(day_lo)
    return f"{day_lo}/{day_hi}"


@attrs.frozen
class KPIReading:
    """
    A KPI value read for a key result or measure, with the period it belongs to.

    Attributes
    ----------
    value
        The value; ``NaN`` unless :attr:`status` is ``ok`` or ``fallback``.
    status
        One of :data:`READING_STATUSES`.
    period_start, period_end
        The period the value (or the missing value) belongs to, end exclusive; ``None`` for
        a mapping source.
    reason
        Why there is no value (``suppressed``, ``no_data``, ``missing``), or which later
        period had none (``fallback``); ``""`` for ``ok``.
    tz
        The time zone of the periods' calendar (``None``: UTC), for the period's label.

    Examples
    --------
    >>> r = KPIReading(float("nan"), "suppressed", reason="suppressed for privacy (n=3)")
    >>> r.has_value, r.is_stale
    (False, False)

    .. versionadded:: 0.2
    """

    value: float = attrs.field(converter=float)
    status: str = attrs.field(validator=attrs.validators.in_(READING_STATUSES))
    period_start: np.datetime64 | None = None
    period_end: np.datetime64 | None = None
    reason: str = ""
    tz: str | None = None

    @property
    def has_value(self) -> bool:
        """Whether there is a value to score (``ok`` or ``fallback``)."""
        return self.status in {"ok", "fallback"}

    @property
    def is_stale(self) -> bool:
        """Whether the value is an earlier period's (a requested fallback)."""
        return self.status == "fallback"

    @property
    def period(self) -> str:
        """The period as a short label (see :func:`period_label`)."""
        return period_label(self.period_start, self.period_end, self.tz)

    def to_mapping(self) -> dict[str, object]:
        """Return the reading as a JSON-ready dict."""
        return {
            "value": self.value if self.has_value else None,
            "status": self.status,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "reason": self.reason,
            "period_tz": self.tz,
        }


def _rows(source: Any, kpi: str, group: str | None) -> list[dict[str, Any]]:
    rows = [r for r in source.to_records() if r.get("kpi") == kpi]
    if group is not None:
        return [r for r in rows if str(r.get("group")) == group]
    ungrouped = [r for r in rows if r.get("group") in (None, "", "all")]
    groups = {str(r.get("group")) for r in rows}
    return ungrouped if ungrouped or len(groups) != 1 else rows


def _time_or_none(value: object) -> np.datetime64 | None:
    return None if value is None else as_datetime64(value)


def _no_value(r: Mapping[str, Any]) -> tuple[str, str]:
    """The status and reason of a row without a value."""
    if r.get("suppressed"):
        n = r.get("n")
        people = "" if n is None else f" ({int(n)} people)"
        return (
            "suppressed",
            f"suppressed for privacy: rests on fewer people than the minimum group size{people}",
        )
    return "no_data", "no value (no data, or undefined)"


def kpi_reading(
    source: Any,
    kpi: str,
    *,
    group: str | None = None,
    as_of: np.datetime64 | None = None,
    running: bool = False,
    fallback: bool = False,
    tz: str | None = None,
) -> KPIReading:
    """
    Read *kpi* (for *group*) in the latest complete period at *as_of*, with its period.

    Parameters
    ----------
    source
        A :class:`~communitykit.kpi.KPIFrame` (anything with ``to_records()`` giving ``kpi``,
        ``group``, ``period_start``, ``period_end``, ``value`` and ``suppressed``), or a
        mapping ``{"kpi": value}`` / ``{"kpi@group": value}``.
    kpi, group
        What to look up. Without *group* the ungrouped row counts (group ``None``, ``""`` or
        ``"all"``), or the only group there is.
    as_of
        Read the latest *complete* period at *as_of* (``period_end <= as_of``). A period
        still running at *as_of* holds a partial value (a month read on its 5th day counts
        five days of activity) and is skipped. Without *as_of* the latest period counts.
    running
        Read the period running at *as_of* (the latest one starting before it) instead,
        partial value and all.
    fallback
        When the latest period has no value (suppressed or undefined), use the latest
        earlier period that has one, as status ``fallback`` with that period. Off by
        default: a suppressed latest period reads as ``suppressed``, never as an older
        value.
    tz
        The time zone of the periods' calendar (``period_tz`` of the computation), so that
        the reading's period is labelled with local dates.

    Returns
    -------
    KPIReading
        The value and its period, or the reason there is none.

    Examples
    --------
    >>> frame = ck.kpi.compute(
    ...     ck.EventLog.from_records(
    ...         [
    ...             {
    ...                 "time": f"2026-{m:02d}-0{d}T10:00Z",
    ...                 "actor": f"p{d}",
    ...                 "community": "c",
    ...                 "action": "post",
    ...             }
    ...             for m, days in ((1, 8), (2, 3))
    ...             for d in range(1, days + 1)
    ...         ]
    ...     ),
    ...     ["active_members"],
    ...     by=None,
    ... )
    >>> t = np.datetime64("2026-03-01", "s")
    >>> r = kpi_reading(frame, "active_members", as_of=t)
    >>> r.status, r.value, r.period
    ('suppressed', nan, '2026-02')
    >>> r = kpi_reading(frame, "active_members", as_of=t, fallback=True)
    >>> r.status, r.value, r.period
    ('fallback', 8.0, '2026-01')

    .. versionadded:: 0.2
    """
    if isinstance(source, Mapping):
        key = f"{kpi}@{group}" if group is not None else kpi
        v = source.get(key)
        if v is None or math.isnan(float(v)):
            return KPIReading(math.nan, "missing", reason=f"no value given for {key!r}", tz=tz)
        return KPIReading(float(v), "ok", tz=tz)
    dated: list[tuple[np.datetime64, dict[str, Any]]] = []
    rows = _rows(source, kpi, group)
    if not rows and group is not None:
        known = sorted({str(r.get("group")) for r in source.to_records() if r.get("kpi") == kpi})
        shown = ", ".join(repr(g) for g in known[:5]) + (", ..." if len(known) > 5 else "")
        reason = f"no group {group!r} in the values of {kpi!r}" + (
            f" (its groups: {shown}; is the grouping `by` right?)" if known else ""
        )
        return KPIReading(math.nan, "missing", reason=reason, tz=tz)
    for r in rows:
        start = r.get("period_start")
        t = as_datetime64(start) if start is not None else np.datetime64(0, "s")
        if as_of is not None:
            end = r.get("period_end")
            if running or end is None:
                if t >= as_of:
                    continue  # starts at or after as_of: nothing of it is known yet
            elif as_datetime64(end) > as_of:
                continue  # still running at as_of: a partial value
        dated.append((t, r))
    if not dated:
        where = "" if group is None else f" for group {group!r}"
        return KPIReading(math.nan, "missing", reason=f"no period of {kpi!r}{where} yet", tz=tz)
    dated.sort(key=lambda item: item[0])
    latest = dated[-1][1]
    bounds = (_time_or_none(latest.get("period_start")), _time_or_none(latest.get("period_end")))
    value = latest.get("value")
    if value is not None and not math.isnan(float(value)) and not latest.get("suppressed"):
        return KPIReading(float(value), "ok", *bounds, tz=tz)
    status, reason = _no_value(latest)
    if fallback:
        for _, r in reversed(dated[:-1]):
            v = r.get("value")
            if v is None or math.isnan(float(v)) or r.get("suppressed"):
                continue
            older = (_time_or_none(r.get("period_start")), _time_or_none(r.get("period_end")))
            what = "is suppressed" if status == "suppressed" else "has no value"
            why = f"the latest period, {period_label(*bounds, tz)}, {what}"
            return KPIReading(float(v), "fallback", *older, reason=why, tz=tz)
    return KPIReading(math.nan, status, *bounds, reason=reason, tz=tz)


def kpi_lookup(
    source: object,
    kpi: str,
    *,
    group: str | None = None,
    as_of: np.datetime64 | None = None,
    running: bool = False,
    fallback: bool = False,
) -> float:
    """
    Return the value of *kpi* (for *group*) in the latest complete period at *as_of*.

    Parameters
    ----------
    source
        A :class:`~communitykit.kpi.KPIFrame` (anything with ``to_records()`` giving ``kpi``,
        ``group``, ``period_start``, ``value``), or a mapping ``{"kpi": value}`` /
        ``{"kpi@group": value}``.
    kpi, group
        What to look up. Without *group* the ungrouped row counts (group ``None``, ``""`` or
        ``"all"``), or the only group there is.
    as_of
        Use the latest *complete* period at *as_of* (``period_end <= as_of``). A period
        still running at *as_of* holds a partial value (a month read on its 5th day counts
        five days of activity) and is skipped. Without *as_of* the latest period counts.
    running
        Read the period running at *as_of* (the latest one starting before it) instead,
        partial value and all.
    fallback
        When the latest period has no value, use the latest earlier one that has (see
        :func:`kpi_reading`, which also says which period the value is from).

    Returns
    -------
    float
        The value, ``NaN`` if the latest period has none (no data, or suppressed).

    Examples
    --------
    >>> kpi_lookup(
    ...     {"active_members": 12.0, "active_members@wol": 7.0}, "active_members", group="wol"
    ... )
    7.0
    >>> frame = ck.kpi.compute(
    ...     ck.EventLog.from_records(
    ...         [
    ...             {
    ...                 "time": f"2026-{m:02d}-0{d}T10:00Z",
    ...                 "actor": f"p{d}",
    ...                 "community": "c",
    ...                 "action": "post",
    ...             }
    ...             for m, days in ((1, 6), (2, 2))
    ...             for d in range(1, days + 1)
    ...         ]
    ...     ),
    ...     ["active_members"],
    ...     by=None,
    ...     min_group_size=1,
    ... )
    >>> t = np.datetime64("2026-02-03", "s")
    >>> (
    ...     kpi_lookup(frame, "active_members", as_of=t),
    ...     kpi_lookup(frame, "active_members", as_of=t, running=True),
    ... )
    (6.0, 2.0)

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       A suppressed or empty latest period gives ``NaN``, not the period before's value;
       *fallback* asks for the old behaviour.
    """
    reading = kpi_reading(source, kpi, group=group, as_of=as_of, running=running, fallback=fallback)
    return reading.value


def source_as_of(source: object, as_of: TimeLike | None) -> tuple[Any, np.datetime64 | None]:
    """
    Return *source* ready to read (a path or read result becomes its event log) and *as_of*.

    The one default of the frameworks' ``as_of=`` (OKRs, scorecards, the Wissensbilanz): the
    end of the data, never the wall clock, so a call gives the same result on any day. For
    an event log that is :func:`~communitykit.periods.completion_horizon` of its events (a
    period the data reaches into the last day of counts as complete), for a KPI frame the
    end of its last period, and ``None`` for a mapping or no source (their values carry no
    time: the latest value counts).

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [{"time": "2026-01-31T17:00:00Z", "actor": "a", "community": "c", "action": "post"}]
    ... )
    >>> source_as_of(log, None)[1], source_as_of(log, "2026-01-15")[1]
    (np.datetime64('2026-02-01T17:00:00'), np.datetime64('2026-01-15T00:00:00'))
    >>> source_as_of({"m": 1.0}, None)[1] is None
    True
    """
    if source is None:
        return None, None if as_of is None else as_datetime64(as_of)
    from communitykit.events import EventLog
    from communitykit.io import ReadResult
    from communitykit.kpi import KPIFrame

    if isinstance(source, (ReadResult, str, os.PathLike)):  # what read_events returns, a path
        from communitykit.io.inputs import as_event_log

        source = as_event_log(source, where="the events")
    if isinstance(source, EventLog):
        return source, completion_horizon(source.time, as_of)
    if isinstance(source, KPIFrame) and as_of is None and len(source):
        return source, np.datetime64(source["period_end"].max(), "s")
    return source, None if as_of is None else as_datetime64(as_of)


def resolve_readings(
    source: Any,
    needs: Iterable[tuple[str, str | None, str | None]],
    *,
    as_of: np.datetime64 | None,
    period: str = "month",
    running: bool = False,
    fallback: bool = False,
    period_tz: str | None = None,
    **compute_options: Any,
) -> dict[tuple[str, str | None, str | None], KPIReading]:
    """
    Return the reading of every ``(kpi, by, group)`` at *as_of*.

    *source* is a KPI frame or mapping (see :func:`kpi_reading`), ``None`` (every reading
    ``missing``), or an :class:`~communitykit.EventLog`: then the KPIs are computed with
    :func:`communitykit.kpi.compute`, once per grouping *by*, counting events before *as_of*
    (*compute_options* such as ``period_tz=`` or ``min_group_size=`` are passed on).
    The reading is the latest complete period's (``period_end <= as_of``), or with *running*
    the period running at *as_of*; *fallback* allows an earlier period's value when the
    latest has none. *period_tz* is the time zone of the periods' calendar: passed to
    :func:`~communitykit.kpi.compute` for a log, and used to label the periods (also of a
    KPI frame computed with it).
    """
    wanted = list(dict.fromkeys(needs))
    if source is None:
        nothing = KPIReading(math.nan, "missing", reason="no KPI source given", tz=period_tz)
        return dict.fromkeys(wanted, nothing)
    from communitykit.events import EventLog
    from communitykit.io import ReadResult

    if isinstance(source, (ReadResult, str, os.PathLike)):  # what read_events returns, a path
        from communitykit.io.inputs import as_event_log

        source = as_event_log(source, where="the events")
    frames: dict[str | None, Any] = {}
    if isinstance(source, EventLog):
        from communitykit.kpi import compute

        for by in dict.fromkeys(b for _, b, _ in wanted):
            ids = sorted({k for k, b, _ in wanted if b == by})
            frames[by] = compute(
                source,
                ids,
                by=by,
                period=period,
                period_tz=period_tz,
                as_of=as_of,
                **compute_options,
            )
    return {
        (k, b, g): kpi_reading(
            frames[b] if frames else source,
            k,
            group=g,
            as_of=as_of,
            running=running,
            fallback=fallback,
            tz=period_tz,
        )
        for k, b, g in wanted
    }


def resolve_values(
    source: Any,
    needs: Iterable[tuple[str, str | None, str | None]],
    *,
    as_of: np.datetime64 | None,
    period: str = "month",
    running: bool = False,
    fallback: bool = False,
    **compute_options: Any,
) -> dict[tuple[str, str | None, str | None], float]:
    """
    Return the value of every ``(kpi, by, group)`` at *as_of* (``NaN`` without one).

    The values of :func:`resolve_readings`, without their periods and reasons.
    """
    readings = resolve_readings(
        source,
        needs,
        as_of=as_of,
        period=period,
        running=running,
        fallback=fallback,
        **compute_options,
    )
    return {need: r.value for need, r in readings.items()}
