"""
The KPI engine: ``compute(log, kpis, by=, period=)`` → :class:`~communitykit.kpi.KPIFrame`.

How it works: one :class:`~communitykit.kpi.Facts` per call holds the shared aggregates (one
sort of the log by group, actor and time; active sets; first/last activity per actor; first
response per post). Each KPI's compute function reads from it, so thirty KPIs cost one sort.
The sort itself is kept for the next calls on the same log (the last two groupings and masks;
the log is held weakly), so ``compute(log, ..., period="month")`` followed by
``compute(log, ..., period="all")`` sorts once and only bins the sorted times again.

Which KPIs are local to a group
-------------------------------
Every built-in KPI except the ``health_index`` is *group-local*: its value for a group and
period depends on that group's events only (and, for growth and retention, on the group's
earlier history, which a partition by group contains). So a distributed run partitions the
log by community, runs :func:`compute` per partition (all partitions with the same *start*,
*end* and *as_of*), keeps each partition's own groups (:meth:`KPIFrame.select` -- a filtered
log keeps the whole community dictionary) and concatenates the frames with
:meth:`KPIFrame.concat`. ``health_index`` ranks groups against each other; compute its six
``health_*`` factors per partition and combine them afterwards with
:func:`~communitykit.kpi.percentile_scores`. The whole-log grouping (``by=None``) merges
partial states as described in :mod:`communitykit.kpi._facts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from communitykit._parallel import check_threads, using_threads
from communitykit._time import Period, TimeLike
from communitykit.errors import ConfigError
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.kpi._definition import KPI, not_applicable
from communitykit.kpi._facts import Facts, log_actions
from communitykit.kpi._frame import KPIFrame
from communitykit.kpi._registry import available_kpis, get_kpi
from communitykit.kpi.params import normalise_params
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size, suppress

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = ["compute"]

_BY = {
    None: "all",
    "none": "all",
    "all": "all",
    "community": "community",
    "org_unit": "org_unit",
    "actor": "actor",
}


def compute(
    log: EventLog,
    kpis: str | KPI | Iterable[str | KPI] | None = None,
    *,
    by: str | None = "community",
    period: str | Period = "month",
    period_tz: str | None = None,
    start: object = None,
    end: object = None,
    as_of: TimeLike | None = None,
    directory: Directory | None = None,
    params: Mapping[str, object] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    allow_person_level: bool = False,
    include_bots: bool = False,
    exclude_roles: Iterable[str] = (),
    check_needs: bool = True,
    threads: int | None = None,
) -> KPIFrame:
    """
    Compute KPIs for every group and period of a log.

    Parameters
    ----------
    log
        The events.
    kpis
        KPI ids or :class:`KPI` objects (e.g. formula KPIs from
        :func:`~communitykit.kpi.load_kpi_file`); ``None`` computes every registered KPI
        that supports the grouping.
    by
        ``"community"`` (default), ``None`` (the whole log, group ``"all"``), ``"org_unit"``
        (through *directory*) or ``"actor"`` (person level, needs *allow_person_level*).
    period
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` or ``"all"``.
    period_tz
        IANA time zone whose calendar the periods follow (default: the zone of a
        period object passed as *period*, else ``"UTC"``). With
        ``"Europe/Berlin"`` a month starts at local midnight on its first day, so an event at
        00:30 local time on 1 November counts in November; days containing a daylight-saving
        switch last 23 or 25 hours (``dau`` and ``mau`` count local days). Times themselves
        stay UTC instants; give *start* and *end* with an offset (a bare date is midnight UTC).
    start, end
        The range ``[start, end)``; default from the first event to just after the last.
        Every period overlapping it appears in the result, empty ones included (0 for
        counts, ``NaN`` where undefined). Events before *start* still count as history
        (first activity, cohorts). Partial periods follow one rule at both ends: only the
        observed part of a period, from *start* (default: the first event) to *as_of*
        (default: just after the last event), counts for means over sub-periods (``dau``,
        ``wau``, ``mau``, ``stickiness``, ``health_liveliness``); see
        :meth:`Facts.n_sub_periods <communitykit.kpi.Facts.n_sub_periods>`.
    as_of
        Ignore events at or after this instant (default: *end*), so results are reproducible
        while the log grows.
    directory
        The people directory: bots (role ``bot``) are excluded, ``org_unit`` grouping,
        roles for ``member_generated_share``, affiliations for ``elephant_factor``.
    params
        KPI parameters, ``{"retention": {"window": "30D"}}`` or ``{"retention.window": "30D"}``.
    min_group_size
        A value resting on fewer than this many distinct people is suppressed (``NaN``,
        ``suppressed=True``, and its ``n`` hidden too: ``0`` in the array, missing in every
        export), by the rule of :func:`communitykit.privacy.suppression_mask`. Each KPI's ``n``
        is the number of distinct people its value rests on: the actors of the counted events
        for event counts, the people counted for head counts, the population a share or rate is
        taken over for ratios. The only value shown with ``n < min_group_size`` is an empty cell
        (0 or ``NaN`` with ``n == 0``); a non-zero value with ``n == 0`` (a plugin's mistake) is
        suppressed too. Not applied to person-level results, which need the explicit opt-in
        instead.
    allow_person_level
        Required for ``by="actor"``.
    include_bots
        Count events of directory bots too.
    exclude_roles
        Leave out the events of people with any of these Directory roles, as bots are left
        out: ``exclude_roles=("staff", "community_manager")`` measures the members alone.
        Their events stay in the log (replies to them keep their parent); ``"bot"`` is not
        accepted here (bots follow *include_bots*). ``member_generated_share`` already
        tells these roles apart (its denominator includes them), so leave them in when you
        compute it: excluded, it is trivially 1.
    check_needs
        Mark the KPIs the log cannot measure as not applicable (see Returns). ``False``
        computes every KPI as if it applied: for a part of a bigger log (a partition of a
        distributed computation), where the whole log decides.
    threads
        Threads the array kernels may use (the shared sort, per-event passes); default: the
        ``COMMUNITYKIT_THREADS`` environment variable, else every core this process may run
        on. The values are the same for every number of threads.

    Returns
    -------
    KPIFrame
        One row per KPI, group and period, in that order. A KPI that does not apply to the
        log (it needs actions the log lacks, :attr:`KPI.needs`: a response rate on a git
        history) has ``applicable=False``, ``NaN`` values and ``n == 0``: not measured, which
        is not the same as 0.

    Raises
    ------
    UnknownKPIError
        For an id that is not registered (the message lists close matches).
    ConfigError
        For an argument of the wrong type (a path for *log* or *directory*, a list for
        *params*...), a bad grouping, period, parameter or range, person-level results without
        the opt-in, or a KPI that cannot be computed for the grouping.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": f"2024-01-0{d}T10:00Z", "actor": a, "community": "wol", "action": "post"}
    ...         for d, a in enumerate(["ana", "bo", "cy", "di", "ed", "ana"], start=1)
    ...     ]
    ... )
    >>> frame = compute(log, ["posts", "active_members"])
    >>> frame.value("posts", "wol"), frame.value("active_members", "wol")
    (6.0, 5.0)

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="compute(log=)")
    directory = as_directory(directory, where="compute(directory=)")
    kpis = _check_types(kpis, params, exclude_roles)
    grain = _BY.get(by if by is None else str(by).lower())
    if grain is None:
        msg = f"unknown grouping by={by!r}; expected None, 'community', 'org_unit' or 'actor'"
        raise ConfigError(msg)
    if grain == "actor" and not allow_person_level:
        msg = (
            "by='actor' gives person-level results; pass allow_person_level=True if your "
            "organisation's rules allow measuring individuals"
        )
        raise ConfigError(msg)
    check_min_group_size(min_group_size)
    threads = check_threads(threads)
    definitions = _resolve(kpis, grain)
    for kpi in definitions:
        if grain not in kpi.grains:
            msg = (
                f"KPI {kpi.id!r} cannot be computed by {grain!r}; "
                f"it supports {', '.join(kpi.grains)}"
            )
            raise ConfigError(msg)
    nested = normalise_params(params, definitions)
    catalogue = {**available_kpis(), **{k.id: k for k in definitions}}
    with using_threads(threads):
        facts = Facts(
            log,
            by=None if grain == "all" else grain,
            period=Period.parse(period, tz=period_tz),
            start=start,
            end=end,
            as_of=as_of,
            directory=directory,
            include_bots=include_bots,
            exclude_roles=exclude_roles,
            catalogue=catalogue,
            params=nested,
        )
    g, p = facts.shape
    group_col = np.repeat(facts.groups.astype(object), p)
    start_col = np.tile(facts.period_starts, g)
    end_col = np.tile(facts.period_ends, g)
    parts: dict[str, list[Any]] = {
        c: []
        for c in (
            "kpi",
            "group",
            "period_start",
            "period_end",
            "value",
            "n",
            "suppressed",
            "applicable",
        )
    }
    lacking = not_applicable(log_actions(log), definitions) if check_needs else {}
    person_level = grain == "actor"
    with using_threads(threads):
        results = [facts.kpi(kpi.id) for kpi in definitions]
    del facts  # free the shared aggregates before the frame is built
    for kpi, result in zip(definitions, results, strict=True):
        value, n, suppressed = suppress(
            result.value.ravel(),
            result.n.ravel(),
            min_group_size=0 if person_level else min_group_size,
        )
        applies = kpi.id not in lacking
        if not applies:  # nothing to measure: not 0, not suppressed
            value[:] = np.nan
            n = np.zeros(len(value), dtype=np.int64)
            suppressed = np.zeros(len(value), dtype=bool)
        parts["kpi"].append(np.full(len(value), kpi.id, dtype=object))
        parts["group"].append(group_col)
        parts["period_start"].append(start_col)
        parts["period_end"].append(end_col)
        parts["value"].append(value)
        parts["n"].append(n)
        parts["suppressed"].append(suppressed)
        parts["applicable"].append(np.full(len(value), applies, dtype=bool))
    if not definitions:
        return KPIFrame.empty()
    return KPIFrame._trusted({k: np.concatenate(v) for k, v in parts.items()})  # noqa: SLF001


def _check_types(kpis: object, params: object, exclude_roles: object) -> list[str | KPI] | None:
    """Raise ConfigError for arguments of the wrong type, before any work; return *kpis* as a
    list (a generator is read once) or ``None``."""
    if kpis is not None and not isinstance(kpis, (str, KPI, Iterable)):
        msg = f"kpis must be a KPI id, a KPI, a list of them or None; got {kpis!r}"
        raise ConfigError(msg)
    items: list[object] = (
        [] if kpis is None else [kpis] if isinstance(kpis, (str, KPI)) else list(kpis)
    )
    for item in items:
        if not isinstance(item, (str, KPI)):
            msg = f"kpis must be a KPI id, a KPI, a list of them or None; got {item!r}"
            raise ConfigError(msg)
    if params is not None and not isinstance(params, Mapping):
        msg = f"params must be a mapping like {{'retention.window': '30D'}} or None; got {params!r}"
        raise ConfigError(msg)
    if isinstance(exclude_roles, str) or not isinstance(exclude_roles, Iterable):
        msg = f"exclude_roles must be a list of role names like ['staff']; got {exclude_roles!r}"
        raise ConfigError(msg)
    return None if kpis is None else [item for item in items if isinstance(item, (str, KPI))]


def _resolve(kpis: str | KPI | Iterable[str | KPI] | None, grain: str) -> list[KPI]:
    if kpis is None:
        return [k for k in available_kpis().values() if grain in k.grains]
    items: Iterable[str | KPI] = [kpis] if isinstance(kpis, (str, KPI)) else kpis
    out: list[KPI] = []
    seen: set[str] = set()
    for item in items:
        kpi = get_kpi(item)
        if kpi.id in seen:
            continue
        seen.add(kpi.id)
        out.append(kpi)
    return out
