"""Current values for key results and measures: from a KPI frame, a mapping, or an event log."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from communitykit._time import as_datetime64

__all__ = ["kpi_lookup", "resolve_values"]


def kpi_lookup(
    source: Any,
    kpi: str,
    *,
    group: str | None = None,
    as_of: np.datetime64 | None = None,
    running: bool = False,
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
        Use the latest *complete* period at *as_of* (``period_end <= as_of``) that has a
        value; a period without data, or with a suppressed value, falls back to the one
        before. A period still running at *as_of* holds a partial value (a month read on
        its 5th day counts five days of activity) and is skipped. Without *as_of* the
        latest period counts.
    running
        Read the period running at *as_of* (the latest one starting before it) instead,
        partial value and all.

    Returns
    -------
    float
        The value, ``NaN`` if there is none (or it was suppressed).

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
    """
    if isinstance(source, Mapping):
        key = f"{kpi}@{group}" if group is not None else kpi
        v = source.get(key, math.nan)
        return float(v) if v is not None else math.nan
    records = source.to_records()
    rows = [r for r in records if r.get("kpi") == kpi]
    if group is not None:
        rows = [r for r in rows if str(r.get("group")) == group]
    else:
        ungrouped = [r for r in rows if r.get("group") in (None, "", "all")]
        groups = {str(r.get("group")) for r in rows}
        rows = ungrouped if ungrouped or len(groups) != 1 else rows
    best: tuple[np.datetime64, float] | None = None
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
        value = r.get("value")
        if value is None or math.isnan(float(value)):
            continue
        if best is None or t >= best[0]:
            best = (t, float(value))
    return math.nan if best is None else best[1]


def resolve_values(
    source: Any,
    needs: Iterable[tuple[str, str | None, str | None]],
    *,
    as_of: np.datetime64,
    period: str = "month",
    running: bool = False,
    **compute_options: Any,
) -> dict[tuple[str, str | None, str | None], float]:
    """
    Return the value of every ``(kpi, by, group)`` at *as_of*.

    *source* is a KPI frame or mapping (see :func:`kpi_lookup`), ``None`` (every value
    ``NaN``), or an :class:`~communitykit.EventLog`: then the KPIs are computed with
    :func:`communitykit.kpi.compute`, once per grouping *by*, counting events before *as_of*.
    The value is the latest complete period's (``period_end <= as_of``), or with *running*
    the period running at *as_of*.
    """
    wanted = list(dict.fromkeys(needs))
    if source is None:
        return dict.fromkeys(wanted, math.nan)
    from communitykit.events import EventLog

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
                as_of=as_of,
                **compute_options,
            )
    return {
        (k, b, g): kpi_lookup(
            frames[b] if frames else source, k, group=g, as_of=as_of, running=running
        )
        for k, b, g in wanted
    }
