"""
Stage-inference signals: the windows (defined in time) and the signals per group and period.

Every signal is computed from data up to the end of its period only, so an assessment of March
never looks at April.

.. versionadded:: 0.2
   Split out of the inference module (rules, signals, decisions).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frame import Frame
from communitykit._frozen import frozen_mapping
from communitykit._time import Period, TimeLike, as_datetime64, end_of_data
from communitykit.errors import ConfigError
from communitykit.events import ACTIVITY_KINDS, CONTRIBUTION_KINDS, KINDS
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.privacy import MIN_GROUP_SIZE, suppression_mask

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = [
    "INACTIVE_DAYS",
    "LEVEL_DAYS",
    "PERSISTENCE_DAYS",
    "SIGNALS",
    "TREND_DAYS",
    "Signals",
    "Windows",
    "compute_signals",
    "theil_sen_slope",
]

F64: TypeAlias = npt.NDArray[np.float64]

SIGNALS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "age_months": "months from the group's first event to the assessment instant",
        "idle_days": "days since the group's last event, at the assessment instant",
        "active_members": "KPI active_members of the period (people who read, interacted, created)",
        "active_level": "mean of active_members over the level window (about a quarter: "
        "3 months, 13 weeks, 1 quarter, 1 year)",
        "peak_active": "highest active_level so far (the same smoothed level, so "
        "level_to_peak <= 1)",
        "level_to_peak": "active_level / peak_active",
        "latest_to_peak": "active_members of the period / peak_active (an abrupt collapse)",
        "low_since_peak": "lowest active_level since the peak, divided by the peak",
        "active_slope": "Theil-Sen slope of active_members over the trend window (about half a "
        "year, at least 2 periods), divided by peak_active, per month",
        "new_members": "KPI new_members of the period (people whose first activity falls in it)",
        "leavers": "mean leavers per period over the level window (people whose last activity "
        "lies about a quarter back)",
        "newcomer_ratio": "newcomers / (newcomers + leavers) over the level window",
        "contributions": "contributions of the period (create actions: posts, replies, commits, "
        "reviews, edits), per month",
        "member_generated_share": "KPI member_generated_share (needs a directory with roles)",
        "response_rate": "KPI response_rate of the period",
        "top_share": "KPI top_share of the period (share of events by the top 10 % of people)",
        "top_share_slope": "Theil-Sen slope of top_share over the trend window, per month",
        "lead_share": "share of the contributions made by the most active person over the "
        "last year (at least 0.5 is a CHAOSS contributor absence factor of 1)",
        "top_share_year": "share of the contributions made by the most active 10 % of "
        "contributors over the last year",
        "absence_factor": "KPI contributor_absence_factor of the period (CHAOSS: the fewest "
        "people making half of the contributions)",
        "gini_activity": "KPI gini_activity of the period",
    }
)
"""The signals the inference rules can read, with their meaning."""

_KPIS: Final = (
    "active_members",
    "new_members",
    "response_rate",
    "top_share",
    "gini_activity",
    "contributor_absence_factor",
)
_MONTH_DAYS: Final = 30.436875
_PERIOD_DAYS: Final[Mapping[str, float]] = MappingProxyType(
    {"day": 1.0, "week": 7.0, "month": _MONTH_DAYS, "quarter": 3 * _MONTH_DAYS, "year": 365.2425}
)
LEVEL_DAYS: Final = 3 * _MONTH_DAYS
"""The level window in days (a quarter): the moving level averages the periods it spans."""
TREND_DAYS: Final = 6 * _MONTH_DAYS
"""The trend window in days (half a year): the robust slope reads the periods it spans."""
INACTIVE_DAYS: Final = 3 * _MONTH_DAYS
"""Days without activity after which a person counts as having left (a quarter)."""
PERSISTENCE_DAYS: Final = 2 * _MONTH_DAYS
"""How long a new phase must keep winning before it is reported (two months)."""
_DAY: Final = 86_400
_THEIL_SEN_CELLS: Final = 4_000_000  # pairwise slopes held at once
_CONCENTRATION_CELLS: Final = 30_000_000  # (person, period) contribution counts held at once
_UNCALIBRATED: Final = frozenset({"day", "week"})  # grids whose people counts are not monthly
_CONTRIBUTING: Final = tuple(KINDS.index(k) for k in CONTRIBUTION_KINDS)
_ACTIVE: Final = tuple(KINDS.index(k) for k in ACTIVITY_KINDS)


# ---------------------------------------------------------------------------- robust slope


def theil_sen_slope(values: npt.ArrayLike) -> float:
    """
    Return the Theil-Sen slope of *values* against their position: the median of all pairwise
    slopes, ignoring NaN.

    Returns ``NaN`` for fewer than two finite values.

    Examples
    --------
    >>> theil_sen_slope([1.0, 2.0, 3.0, 4.0, 40.0])  # one outlier does not move it
    1.0

    .. versionadded:: 0.1
    """
    y = np.asarray(values, dtype=np.float64)
    return float(_rolling_theil_sen(y[None, :], y.size)[0, -1]) if y.size else math.nan


def _rolling_theil_sen(series: F64, window: int) -> F64:
    """Theil-Sen slope over the trailing *window* values of each row, at every position."""
    g, p = series.shape
    if p == 0 or window < 2:
        return np.full((g, p), np.nan)
    padded = np.concatenate([np.full((g, window - 1), np.nan), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)  # (g, p, window)
    i, j = np.triu_indices(window, k=1)
    gaps = (j - i).astype(np.float64)
    out = np.full((g, p), np.nan)
    step = max(1, _THEIL_SEN_CELLS // max(g * i.size, 1))  # bound the memory of long windows
    for lo in range(0, p, step):
        part = w[:, lo : lo + step]
        slopes = (part[..., j] - part[..., i]) / gaps
        valid = np.isfinite(slopes)
        any_valid = valid.any(axis=-1)
        if any_valid.any():
            block = out[:, lo : lo + step]
            block[any_valid] = np.nanmedian(slopes[any_valid], axis=-1)
    return out


def _trailing_mean(series: F64, window: int) -> F64:
    g = series.shape[0]
    padded = np.concatenate([np.full((g, window - 1), np.nan), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    finite = np.isfinite(w)
    count = finite.sum(axis=-1)
    total = np.where(finite, w, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: F64 = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return mean


def _trailing_sum(series: F64, window: int) -> F64:
    g = series.shape[0]
    padded = np.concatenate([np.zeros((g, window - 1)), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    total: F64 = np.nansum(w, axis=-1)
    return total


# ---------------------------------------------------------------------------- signals


@attrs.frozen
class Windows:
    """
    The windows of the inference signals for one period size, in periods of its grid.

    The windows are defined in time (:data:`LEVEL_DAYS`, :data:`TREND_DAYS`,
    :data:`INACTIVE_DAYS`, :data:`PERSISTENCE_DAYS`) and converted to whole periods of the
    *grid* the signals are computed on, so a level spans about a quarter and a trend about
    half a year whatever the period size. Days, weeks and months are their own grid;
    quarters and years are read on months, at the end of each quarter or year (a window of a
    quarter cannot be made of whole years).

    Attributes
    ----------
    period_days
        The nominal length of one grid period in days (a month is 30.44 days).
    level, trend, inactive, persistence
        The windows in grid periods.
    year
        A year in grid periods (the window of the concentration signals).
    grid
        The period the signals are computed on.

    Examples
    --------
    >>> [Windows.of(p).level for p in ("week", "month", "quarter", "year")]
    [13, 3, 3, 3]
    >>> [Windows.of(p).trend for p in ("week", "month", "quarter", "year")]
    [26, 6, 6, 6]
    >>> Windows.of("year").grid
    'month'

    .. versionadded:: 0.2
    """

    period_days: float
    level: int
    trend: int
    inactive: int
    persistence: int
    grid: str = "month"
    year: int = 12

    @classmethod
    def of(
        cls,
        period: str | Period,
        *,
        level_periods: int | None = None,
        trend_periods: int | None = None,
        inactive_periods: int | None = None,
        persistence: int | None = None,
    ) -> Windows:
        """
        Return the windows for *period*; a number given overrides the one derived from time.

        Raises
        ------
        ConfigError
            For the period ``all`` or a window that is not a whole number large enough.
        """
        name = _grid(Period.parse(period)).name
        if name == "all":
            msg = (
                "stage inference needs a calendar period (day, week, month, quarter, year), "
                "not 'all'"
            )
            raise ConfigError(msg)
        days = _PERIOD_DAYS[name]

        def pick(label: str, given: int | None, span: float, low: int) -> int:
            if given is None:
                return max(low, round(span / days))
            number: object = given
            if isinstance(number, bool) or not isinstance(number, int) or number < low:
                msg = f"{label} must be an integer of at least {low}; got {given!r}"
                raise ConfigError(msg)
            return given

        return cls(
            days,
            pick("level_periods", level_periods, LEVEL_DAYS, 1),
            pick("trend_periods", trend_periods, TREND_DAYS, 2),
            pick("inactive_periods", inactive_periods, INACTIVE_DAYS, 1),
            pick("persistence", persistence, PERSISTENCE_DAYS, 1),
            name,
            max(1, round(_PERIOD_DAYS["year"] / days)),
        )

    @property
    def per_month(self) -> float:
        """The factor that turns a change per period into a change per month."""
        return _MONTH_DAYS / self.period_days


@attrs.frozen(eq=False)  # an intermediate of one computation: identity, not value
class _Signals:
    groups: tuple[str, ...]
    starts: npt.NDArray[np.datetime64] = attrs.field(eq=False)
    ends: npt.NDArray[np.datetime64] = attrs.field(eq=False)
    first_period: npt.NDArray[np.int64] = attrs.field(eq=False)  # per group, -1 if no events
    table: Mapping[str, F64] = attrs.field(eq=False)  # signal -> (groups, periods)
    observed: npt.NDArray[np.int64] = attrs.field(eq=False)  # periods of data so far


def _signal_table(table: Mapping[str, npt.ArrayLike]) -> Mapping[str, F64]:
    out = {}
    for name, values in table.items():
        array = np.array(values, dtype=np.float64, ndmin=2)
        array.flags.writeable = False
        out[str(name)] = array
    return frozen_mapping(out)


def _labels(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _times(values: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    array = np.array(values, dtype="datetime64[s]").reshape(-1)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False, repr=False)
class Signals(Frame):
    """
    The inference signals of every group and period: what :func:`compute_signals` returns.

    A :class:`~communitykit.Frame` with one row per (group, period): the columns ``group``,
    ``period_start``, ``period_end`` and one column per signal (:data:`SIGNALS`; ``NaN`` where
    unknown or suppressed for privacy).

    Attributes
    ----------
    groups
        The groups, in order.
    period_start, period_end
        The periods (``datetime64[s]``, the same for every group).
    table
        Signal name -> ``float64`` array of shape ``(groups, periods)``.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {
    ...             "time": f"2024-0{m}-02T10:00Z",
    ...             "actor": f"p{i}",
    ...             "community": "c",
    ...             "action": "post",
    ...         }
    ...         for m in (1, 2)
    ...         for i in range(6)
    ...     ]
    ... )
    >>> signals = compute_signals(log, as_of="2024-03-01")
    >>> signals
    <Signals: 2 rows, 1 groups, 2 periods, 21 signals>
    >>> signals.group("c")["active_members"]
    [6.0, 6.0]

    .. versionadded:: 0.2
    """

    groups: tuple[str, ...] = attrs.field(converter=_labels)
    period_start: npt.NDArray[np.datetime64] = attrs.field(converter=_times)
    period_end: npt.NDArray[np.datetime64] = attrs.field(converter=_times)
    table: Mapping[str, F64] = attrs.field(converter=_signal_table)

    def group(self, name: str) -> dict[str, list[float]]:
        """
        Return one group's signals as ``{signal: values per period}``.

        Raises
        ------
        KeyError
            If the group is not in the signals.
        """
        try:
            i = self.groups.index(name)
        except ValueError:
            msg = f"no group {name!r}; groups: {', '.join(self.groups[:10])}"
            raise KeyError(msg) from None
        return {k: [float(v) for v in arr[i]] for k, arr in self.table.items()}

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        n_groups, n_periods = len(self.groups), len(self.period_start)
        group = np.empty(n_groups * n_periods, dtype=object)
        group[:] = [g for g in self.groups for _ in range(n_periods)]
        columns: dict[str, npt.NDArray[Any]] = {
            "group": group,
            "period_start": np.tile(self.period_start, n_groups),
            "period_end": np.tile(self.period_end, n_groups),
        }
        for name, arr in self.table.items():
            columns[name] = arr.reshape(-1) if arr.size else np.zeros(0)
        return columns

    def _frame_state(self) -> tuple[object, ...]:
        return (self.groups,)

    def _repr_parts(self) -> list[str]:
        return [
            f"{len(self):,} rows",
            f"{len(self.groups):,} groups",
            f"{len(self.period_start):,} periods",
            f"{len(self.table)} signals",
        ]


def _group_codes(log: EventLog, by: str | None) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    if by is None or str(by).lower() in {"none", "all"}:
        return np.zeros(len(log), dtype=np.int64), ("all",)
    if str(by).lower() == "community":
        return log.community.astype(np.int64), tuple(str(c) for c in log.communities)
    msg = f"stage inference groups by 'community' or None, not {by!r}"
    raise ConfigError(msg)


def compute_signals(
    log: EventLog,
    *,
    by: str | None = "community",
    period: str | Period = "month",
    as_of: TimeLike | None = None,
    directory: Directory | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    trend_periods: int | None = None,
    level_periods: int | None = None,
    inactive_periods: int | None = None,
) -> Signals:
    """
    Return the inference signals of every group and period.

    The signals are described in :data:`SIGNALS`; periods run from the log's first period to
    the one containing *as_of*. Useful to calibrate thresholds on your own data. The windows
    default to those of :class:`Windows` for the period size.

    Returns
    -------
    Signals
        A frame with one row per (group, period) and one column per signal;
        ``signals.group("wol")`` is one group's ``{signal: values per period}``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Windows default to spans of time (a quarter, half a year), not to 3 and 6 periods.
       Returns a :class:`Signals` frame (was ``{group: {signal: values per period}}``;
       ``signals.group(name)`` gives that inner mapping).
    """
    log = as_event_log(log, where="compute_signals(log=)")
    directory = as_directory(directory, where="compute_signals(directory=)")
    target = Period.parse(period)
    grid = _grid(target)
    sig = _signals(
        log,
        by=by,
        period=grid,
        as_of=as_of,
        directory=directory,
        min_group_size=min_group_size,
        windows=Windows.of(
            grid,
            level_periods=level_periods,
            trend_periods=trend_periods,
            inactive_periods=inactive_periods,
        ),
    )
    columns = np.arange(len(sig.starts))
    period_start, period_end = sig.starts, sig.ends
    if grid != target and len(sig.starts):
        # a quarter or year reads its last month (complete at as_of, if one is)
        horizon = sig.ends[-1] if as_of is None else as_datetime64(as_of)
        starts = target.range(sig.starts[0], sig.starts[-1] + np.timedelta64(1, "s"))
        picks = []
        for ps, pe in zip(starts, target.shift(starts), strict=True):
            inside = np.flatnonzero((sig.starts >= ps) & (sig.starts < pe))
            done = inside[sig.ends[inside] <= horizon]
            picks.append(int((done if done.size else inside)[-1]))
        columns = np.array(picks, dtype=np.int64)
        period_start, period_end = starts, target.shift(starts)
    if grid != target and len(sig.starts):
        period_start = starts
        period_end = target.shift(starts)
    else:
        period_start, period_end = sig.starts[columns], sig.ends[columns]
    return Signals(
        sig.groups,
        period_start,
        period_end,
        {
            name: arr[:, columns].reshape(len(sig.groups), len(columns))
            for name, arr in sig.table.items()
        },
    )


def _signals(
    log: EventLog,
    *,
    by: str | None,
    period: Period,
    as_of: TimeLike | None,
    directory: Directory | None,
    min_group_size: int,
    windows: Windows,
) -> _Signals:
    from communitykit.kpi import compute

    level_periods, trend_periods = windows.level, windows.trend
    codes, groups = _group_codes(log, by)
    grouped = groups != ("all",) or str(by).lower() == "community"
    keep = np.ones(len(log), dtype=bool)
    end: np.datetime64 | None
    end = end_of_data(log.time, as_of)
    if as_of is not None and end is not None:
        keep &= log.time < end
    if directory is not None and len(directory):
        rows = directory.actor_rows(log)
        bots = np.zeros(len(log.actors), dtype=bool)
        known = rows >= 0
        bots[known] = directory.has_role("bot")[rows[known]]
        keep &= ~bots[log.actor]
    times, codes = log.time[keep], codes[keep]
    actors = log.actor.astype(np.int64)[keep]
    kinds = log.kind[keep]
    active_kind = np.isin(kinds, _ACTIVE)  # membership events (join, leave) are not activity
    if end is None or not active_kind.any():
        empty = np.empty(0, dtype="datetime64[s]")
        none = {name: np.empty((len(groups), 0)) for name in SIGNALS}  # every signal, no period
        return _Signals(groups, empty, empty, np.full(len(groups), -1), none, np.empty(0, np.int64))
    start = period.floor(times.min()[None])[0]
    starts = period.range(start, end)
    ends = period.shift(starts)
    g, p = len(groups), len(starts)
    instant = np.minimum(ends, end)  # assessment instant per period
    pidx = np.searchsorted(starts, times, side="right") - 1

    # first/last event per group, idle days and age at every period's instant
    first_t = np.full(g, np.iinfo(np.int64).max)
    np.minimum.at(first_t, codes[active_kind], times[active_kind].astype(np.int64))
    has = first_t < np.iinfo(np.int64).max
    first_period = np.where(has, np.searchsorted(starts.astype(np.int64), first_t, "right") - 1, -1)
    order = _numeric.stable_order(codes)  # the log is in time order: by code, then time
    t_sorted, c_sorted = times[order].astype(np.int64), codes[order]
    inst = instant.astype(np.int64)
    idle = np.full((g, p), np.nan)
    age = np.full((g, p), np.nan)
    bounds = np.searchsorted(c_sorted, np.arange(g + 1))
    for gi in np.flatnonzero(has):
        ts = t_sorted[bounds[gi] : bounds[gi + 1]]
        k = np.searchsorted(ts, inst, side="left") - 1  # last event strictly before the instant
        ok = k >= 0
        idle[gi, ok] = (inst[ok] - ts[k[ok]]) / _DAY
        age[gi, ok] = (inst[ok] - ts[0]) / (_DAY * _MONTH_DAYS)

    # newcomers and leavers from distinct (group, actor, period) triples of activity
    act = active_kind
    key_g, key_a, key_p = codes[act], actors[act], pidx[act]
    n_actors = max(len(log.actors), 1)
    triple = _numeric.unique((key_g * n_actors + key_a) * p + key_p)
    ga, per = triple // p, triple % p
    newcomers = np.zeros((g, p))
    leavers = np.zeros((g, p))
    if triple.size:
        first_of_pair = np.concatenate([[True], ga[1:] != ga[:-1]])
        np.add.at(newcomers, (ga[first_of_pair] // n_actors, per[first_of_pair]), 1.0)
        nxt = np.concatenate([per[1:], [np.iinfo(np.int64).max]])
        same_next = np.concatenate([ga[1:] == ga[:-1], [False]])
        gone_at = per + windows.inactive
        leaves = (~same_next | (nxt > gone_at)) & (gone_at < p)
        np.add.at(leavers, (ga[leaves] // n_actors, gone_at[leaves]), 1.0)

    # contributions (events.CONTRIBUTION_KINDS: posts, replies, commits, reviews, edits)
    made = np.isin(kinds, _CONTRIBUTING)
    contributions = np.zeros((g, p))
    np.add.at(contributions, (codes[made], pidx[made]), 1.0)

    # KPIs from the engine
    names = list(_KPIS)
    with_roles = directory is not None and directory.has_any_roles()
    if with_roles:
        names.append("member_generated_share")
    frame = compute(
        log,
        names,
        by="community" if grouped else None,
        period=period,
        start=starts[0],
        end=end,
        directory=directory,
        min_group_size=min_group_size,
    )
    gpos = {name: i for i, name in enumerate(groups)}
    kpi_col, grp_col = frame["kpi"], frame["group"]
    ppos = np.searchsorted(starts, frame["period_start"])
    table: dict[str, F64] = {}
    suppressed: dict[str, npt.NDArray[np.bool_]] = {}
    people = np.zeros((g, p))
    for name in [*_KPIS, "member_generated_share"]:
        arr = np.full((g, p), np.nan)
        sup = np.zeros((g, p), dtype=bool)
        rows = np.flatnonzero(kpi_col == name)
        if rows.size:
            grow = np.array([gpos.get(str(x), -1) for x in grp_col[rows]], dtype=np.int64)
            ok = (grow >= 0) & (ppos[rows] < p)
            arr[grow[ok], ppos[rows][ok]] = frame["value"][rows][ok]
            sup[grow[ok], ppos[rows][ok]] = frame["suppressed"][rows][ok]
            if name == "active_members":
                people[grow[ok], ppos[rows][ok]] = frame["n"][rows][ok]
        table[name] = arr
        suppressed[name] = sup

    # the trend uses suppressed active counts at the midpoint of [1, min_group_size - 1]
    active = table["active_members"].copy()
    active[suppressed["active_members"]] = max(min_group_size, 2) / 2.0
    before = np.arange(p)[None, :] < first_period[:, None]
    active[before] = np.nan
    level = _trailing_mean(active, level_periods)
    # the peak is the highest value of the same smoothed level: level_to_peak <= 1
    peak = np.fmax.accumulate(np.where(np.isnan(level), -np.inf, level), axis=1)
    peak[np.isinf(peak)] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        level_to_peak = np.where(peak > 0, np.minimum(level / peak, 1.0), np.nan)
        latest_to_peak = np.where(peak > 0, active / peak, np.nan)
        slope = _rolling_theil_sen(active, trend_periods)
        rel_slope = np.where(peak > 0, slope / peak * windows.per_month, np.nan)
    # lowest level since the highest level so far (a loop over groups and periods only)
    trough = np.full((g, p), np.nan)
    for row in range(g):
        run_low = math.inf
        best = -math.inf
        for j in range(p):
            v = float(level[row, j])
            if math.isnan(v):
                continue
            if v >= best:
                best, run_low = v, v
            else:
                run_low = min(run_low, v)
            trough[row, j] = run_low / best if best > 0 else math.nan
    new_sum = _trailing_sum(newcomers, level_periods)
    gone_sum = _trailing_sum(leavers, level_periods)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(new_sum + gone_sum > 0, new_sum / (new_sum + gone_sum), np.nan)
    ratio = _private(ratio, new_sum + gone_sum, min_group_size)
    gone_mean = _private(gone_sum / level_periods, gone_sum, min_group_size)
    made_per_month = _private(contributions * windows.per_month, people, min_group_size)
    lead, top_year = _concentration(
        codes[made],
        actors[made],
        pidx[made],
        (g, p),
        window=windows.year,
        min_group_size=min_group_size,
    )
    top_slope = _rolling_theil_sen(table["top_share"], trend_periods) * windows.per_month
    observed = np.arange(p)[None, :] - first_period[:, None] + 1

    out: dict[str, F64] = {
        "age_months": age,
        "idle_days": idle,
        "active_members": table["active_members"],
        "active_level": level,
        "peak_active": peak,
        "level_to_peak": level_to_peak,
        "latest_to_peak": latest_to_peak,
        "low_since_peak": trough,
        "active_slope": rel_slope,
        "new_members": table["new_members"],
        "leavers": gone_mean,
        "newcomer_ratio": ratio,
        "contributions": made_per_month,
        "member_generated_share": table["member_generated_share"],
        "response_rate": table["response_rate"],
        "top_share": table["top_share"],
        "top_share_slope": top_slope,
        "lead_share": lead,
        "top_share_year": top_year,
        "absence_factor": table["contributor_absence_factor"],
        "gini_activity": table["gini_activity"],
    }
    for column in out.values():
        column[before] = np.nan
    return _Signals(groups, starts, ends, first_period, out, observed)


def _concentration(
    groups: npt.NDArray[np.int64],
    actors: npt.NDArray[np.int64],
    periods: npt.NDArray[np.int64],
    shape: tuple[int, int],
    *,
    window: int,
    min_group_size: int,
) -> tuple[F64, F64]:
    """
    Per group and period, over the trailing *window* periods (a year): the lead person's share
    of the contributions and the share of the most active 10 % of contributors.

    Values resting on fewer contributors than *min_group_size* are hidden.
    """
    g, p = shape
    lead = np.full((g, p), np.nan)
    top = np.full((g, p), np.nan)
    if groups.size == 0 or p == 0:
        return lead, top
    pair_key = groups * (int(actors.max()) + 1) + actors
    pairs, pair_of = np.unique(pair_key, return_inverse=True)
    if pairs.size * p > _CONCENTRATION_CELLS:  # too large to hold: left unknown
        return lead, top
    counts = np.zeros((pairs.size, p + 1))
    np.add.at(counts, (pair_of, periods + 1), 1.0)
    running = np.cumsum(counts, axis=1)
    lagged = np.concatenate([np.zeros((pairs.size, window)), running], axis=1)[:, : p + 1]
    sums = (running - lagged)[:, 1:]  # (pairs, periods): contributions in the trailing window
    pair_group = pairs // (int(actors.max()) + 1)
    for gi in np.unique(pair_group):
        rows = -np.sort(-sums[pair_group == gi], axis=0)  # descending per period
        total = rows.sum(axis=0)
        people = (rows > 0).sum(axis=0)
        k = np.ceil(0.1 * people - 1e-9).astype(np.int64)
        cum = np.cumsum(rows, axis=0)
        top_sum = np.where(k > 0, cum[np.maximum(k - 1, 0), np.arange(p)], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            lead[gi] = np.where(total > 0, rows[0] / total, np.nan)
            top[gi] = np.where(total > 0, top_sum / total, np.nan)
        lead[gi] = _private(lead[gi], people.astype(np.float64), min_group_size)
        top[gi] = _private(top[gi], people.astype(np.float64), min_group_size)
    return lead, top


def _private(values: F64, people: F64, min_group_size: int) -> F64:
    """*values* with those resting on too few people hidden (NaN), by the one privacy rule
    (:func:`communitykit.privacy.suppression_mask`: a 0 resting on nobody is shown)."""
    out = values.copy()
    out[suppression_mask(np.maximum(people, 0), values, min_group_size=min_group_size)] = np.nan
    return out


def _grid(period: Period) -> Period:
    """The grid the signals are computed on: months for quarters and years, else the period."""
    if period.name in {"quarter", "year"}:
        return attrs.evolve(period, name="month")
    return period
