"""
The per-call cache of shared aggregates that every KPI compute function reads.

One :class:`Facts` object is built per :func:`~communitykit.kpi.compute` call. Everything in it
is lazy and cached, so thirty KPIs share one sort of the log. The sort does not depend on the
period, so later calls on the same log with the same grouping and valid events reuse it (a small,
bounded cache that holds the immutable log weakly); each call only bins the times again.

Partitioning and merging
------------------------
The facts are designed so a distributed engine can compute them per partition of communities
and combine them:

* with ``by="community"`` (or ``"actor"``, ``"org_unit"`` with partitions by that key) every
  group's facts come from the events of that group alone: run the engine per partition and
  concatenate the :class:`~communitykit.kpi.KPIFrame` rows. The only exception is the
  ``health_*`` percentile step, which ranks groups against each other and must run after the
  concatenation on the six factor KPIs (see :func:`percentile_scores`);
* with ``by=None`` the mergeable partial states are: per (period) sorted unique actor arrays
  (merge: concatenate, sort, drop repeats), event counts (merge: add), first/last activity per
  actor (merge: element-wise min/max), per (period, actor) event counts (merge: add, then the
  distribution KPIs -- Gini, top share, absence factor, onion layers -- are computed on the merged
  counts), and first responses per post (local to the post's community, so they are
  concatenated).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric, _parallel
from communitykit._frozen import frozen_mapping
from communitykit._numeric import ARRAY_EQ
from communitykit._time import Period, TimeLike, end_of_data
from communitykit.errors import CommunityKitWarning, ConfigError
from communitykit.events import ACTIVITY_KINDS, CONTRIBUTION_KINDS, KINDS

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.kpi._definition import KPI, KPIValues
    from communitykit.people import Directory

__all__ = ["ActorCounts", "Facts", "FirstLast", "FirstResponses", "Sorted", "thread_roots"]

I64 = npt.NDArray[np.int64]
IArr = npt.NDArray[np.signedinteger[Any]]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

CONSUME: Final = KINDS.index("consume")
INTERACT: Final = KINDS.index("interact")
CREATE: Final = KINDS.index("create")
MEMBERSHIP: Final = KINDS.index("membership")
ACTIVE_KINDS: Final[tuple[str, ...]] = ACTIVITY_KINDS  # what makes a member active
DAY: Final = 86_400
_PACK_BITS = 62  # bits available for (group, actor, time, kind) in one int64 sort key
_TABLE_MAX = 1 << 21  # most entries of a per-day (hour, minute) table of period bins
_CHUNK = 1 << 18  # events per chunk of the element-wise passes of the shared sort
_SHARED_SORTS = 2  # sorts kept for later compute calls on the same log (the biggest entries)
T = TypeVar("T")


@attrs.frozen
class Sorted:
    """
    The valid events sorted by (group, actor, time, kind): the one sort every KPI shares.

    Attributes
    ----------
    group
        Group code per sorted event, in the smallest signed integer type that holds the
        codes (``int8`` for ``by=None``): cast it (or use :meth:`Facts.cells`) before
        arithmetic that could overflow.
    actor
        ``int32`` actor code.
    time
        ``int64`` seconds since the epoch.
    kind
        ``int8`` kind index (:data:`~communitykit.events.KINDS`).
    period
        ``int32`` period bin (``-1`` before the range).
    """

    group: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    actor: IArr = attrs.field(eq=ARRAY_EQ, hash=False)
    time: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    kind: npt.NDArray[np.int8] = attrs.field(eq=ARRAY_EQ, hash=False)
    period: IArr = attrs.field(eq=ARRAY_EQ, hash=False)


class _SortInfo(NamedTuple):
    """What the shared sort learns on the way: its time bounds and events per kind."""

    tmin: int
    tmax: int
    kinds: tuple[int, ...]
    origin: int = 0  # the sorted times are seconds after this instant (int32 when they fit)


class _SortResult(NamedTuple):
    """The shared sort's arrays (see :class:`Sorted`, without the per-call period bins)."""

    group: IArr
    actor: npt.NDArray[np.int32]
    time: IArr  # seconds after ``info.origin``
    kind: npt.NDArray[np.int8]
    info: _SortInfo


_Binner = Callable[[IArr, npt.NDArray[np.int32], int], None]


def _kind_counts(kind: npt.NDArray[np.int8]) -> tuple[int, ...]:
    """Events per kind code (``count_nonzero`` per code is faster than ``bincount`` of int8)."""
    return tuple(int(np.count_nonzero(kind == code)) for code in range(len(KINDS)))


@attrs.frozen
class ActorCounts:
    """
    Events per (group, period, actor), for actors with at least one counted event.

    Attributes
    ----------
    cell
        ``int64`` flat cell index ``group * n_periods + period``; rows are sorted by
        group, actor and period.
    actor
        ``int64`` actor code.
    count
        ``int64`` number of events.
    """

    cell: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    actor: IArr = attrs.field(eq=ARRAY_EQ, hash=False)
    count: I64 = attrs.field(eq=ARRAY_EQ, hash=False)


@attrs.frozen
class FirstLast:
    """
    First and last activity of every (group, actor) pair, over all history up to ``as_of``.

    Attributes
    ----------
    group, actor
        ``int64`` codes, sorted by group then actor.
    first, last
        ``int64`` seconds since the epoch.
    first_period, last_period
        Period bin of the first and last activity (``-1`` before the range).
    """

    group: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    actor: IArr = attrs.field(eq=ARRAY_EQ, hash=False)
    first: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    last: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    first_period: IArr = attrs.field(eq=ARRAY_EQ, hash=False)
    last_period: IArr = attrs.field(eq=ARRAY_EQ, hash=False)


@attrs.frozen
class FirstResponses:
    """
    Every post in range with its first response by someone other than its author.

    Attributes
    ----------
    row
        Log row of the post.
    group, period
        The post's group and period bin.
    author
        Actor code of the post's author.
    latency
        Seconds from the post to its first response (``NaN``: none up to ``as_of``).
    responder
        Actor code of the first responder (``-1``: none up to ``as_of``).
    """

    row: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    group: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    period: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    author: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    latency: F64 = attrs.field(eq=ARRAY_EQ, hash=False)
    responder: I64 = attrs.field(eq=ARRAY_EQ, hash=False)


def thread_roots(parent: npt.ArrayLike) -> I64:
    """
    Return the row of the thread root of every event, following ``parent`` to the top.

    The root of an event without a parent is the event itself; the root of a reply is the
    first event up its chain of parents that has no parent. Rows whose chain never reaches
    such an event -- rows on a parent cycle (``a -> b -> c -> a``) and rows below one -- have
    no thread: their root is ``-1``. The walk doubles pointers a fixed number of times
    (``ceil(log2(n)) + 1``), so it ends whatever the parents hold.

    Parameters
    ----------
    parent
        Parent row per event, ``-1`` for none (:attr:`communitykit.EventLog.parent`).

    Returns
    -------
    numpy.ndarray
        ``int64`` root row per event, ``-1`` for rows on or below a parent cycle.

    Examples
    --------
    >>> thread_roots([-1, 0, 1, -1, 3]).tolist()
    [0, 0, 0, 3, 3]
    >>> thread_roots([2, 0, 1, 1]).tolist()  # rows 0-2 form a cycle; row 3 hangs below it
    [-1, -1, -1, -1]

    .. versionadded:: 0.1
    """
    up = np.asarray(parent, dtype=np.int64)
    n = len(up)
    root: I64 = np.arange(n, dtype=np.int64)
    # only rows with a parent move: a row without one is its own root at every step
    moving = np.flatnonzero(up >= 0)
    top = up[moving]
    root[moving] = top
    # after k doublings root[i] is the ancestor 2**k steps up (or the top): 2**k >= n reaches
    # the top of every chain, so the loop is bounded by construction, not by a fixed point
    for _ in range(max(n, 1).bit_length() + 1):
        nxt = root[top]
        if np.array_equal(nxt, top):
            break
        root[moving] = nxt
        top = nxt
    # the "top" still has a parent: the chain runs in a cycle
    root[moving[up[top] >= 0]] = -1
    return root


def _memo(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache a method's results on the instance (not globally, so big arrays are freed)."""

    @functools.wraps(fn)
    def wrapper(self: Facts, *args: object, **kwargs: object) -> T:
        key = (fn.__name__, *args, *sorted(kwargs.items()))
        if key not in self._memo:
            self._memo[key] = fn(self, *args, **kwargs)
        return self._memo[key]  # type: ignore[no-any-return]

    return wrapper


class Facts:
    """
    Shared, lazily computed aggregates of one log for one grouping and period.

    KPI compute functions receive a ``Facts`` as their first argument. Every derived array is
    computed once per :func:`~communitykit.kpi.compute` call and cached; results are arrays of
    shape :attr:`shape` = ``(n_groups, n_periods)``.

    The contract for a compute function ``fn(facts, **params)``:

    * read the log only through these facts (or :attr:`log` with the masks :attr:`valid`,
      :attr:`event_group`, :attr:`event_period`), never loop over events;
    * return a :class:`~communitykit.kpi.KPIValues` (values and head counts) or a bare float
      array of shape :attr:`shape` (head counts then default to :attr:`n_active`);
    * return ``0`` for counts over nothing and ``NaN`` for undefined ratios; never raise for an
      empty group or period;
    * use :meth:`kpi` to reuse another KPI's values (dependencies are cached, cycles refused);
    * report statistical caveats with :meth:`warn` (a :class:`CommunityKitWarning`).

    Attributes
    ----------
    log
        The whole log (bots, people with an excluded role and events after ``as_of`` are
        masked out by :attr:`valid`, not removed, so parent links stay intact).
    directory
        The :class:`~communitykit.people.Directory`, or ``None``.
    by
        ``None``, ``"community"``, ``"org_unit"`` or ``"actor"``.
    period
        The :class:`~communitykit.periods.Period`.
    groups
        Group labels (object array of str), length ``n_groups``.
    period_starts, period_ends
        ``datetime64[s]`` bin bounds, length ``n_periods``.
    start, end, as_of
        The range ``[start, end)`` and the instant after which events are ignored.
    observed_start
        Where observation begins: *start* when given, else the first event (``None`` for an
        empty log). With ``as_of`` it bounds the observed span that means over sub-periods
        divide by (:meth:`n_sub_periods`, :attr:`period_days`).

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": "2024-01-05T10:00Z", "actor": "ana", "community": "wol", "action": "post"},
    ...         {"time": "2024-01-06T10:00Z", "actor": "bo", "community": "wol", "action": "view"},
    ...     ]
    ... )
    >>> facts = Facts(log, by="community", period="month")
    >>> facts.shape, facts.n_active.tolist(), facts.count(kinds=["create"]).tolist()
    ((1, 1), [[2]], [[1.0]])

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        log: EventLog,
        *,
        by: str | None = "community",
        period: str | Period = "month",
        start: object = None,
        end: object = None,
        as_of: TimeLike | None = None,
        directory: Directory | None = None,
        include_bots: bool = False,
        exclude_roles: Iterable[str] = (),
        catalogue: Mapping[str, KPI] | None = None,
        params: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        from communitykit._time import as_datetime64, bucket

        self.log = log
        self.directory = directory
        self.by = by
        self.period = Period.parse(period)
        self.include_bots = include_bots
        self.exclude_roles: tuple[str, ...] = _check_roles(exclude_roles)
        self._catalogue: Mapping[str, KPI] = catalogue or {}
        self._params = {k: dict(v) for k, v in (params or {}).items()}
        self._cache: dict[tuple[Any, ...], KPIValues] = {}
        self._stack: list[str] = []
        self._memo: dict[tuple[Any, ...], Any] = {}
        times = log.time
        last = end_of_data(times[-1:])
        self.as_of: np.datetime64 | None = (
            as_datetime64(as_of)
            if as_of is not None
            else (as_datetime64(end) if end is not None else last)
        )
        if end is not None:
            self.end: np.datetime64 | None = as_datetime64(end)
        elif last is None:
            self.end = None
        elif self.period.name == "all":
            self.end = self.as_of
        else:
            upto = last if self.as_of is None else min(self.as_of, last)
            anchor = upto - np.timedelta64(1, "s")
            self.end = self.period.shift(self.period.floor(np.array([anchor])))[0]
        # the observed span starts at start= or at the first event (not at the floor of its
        # period), as it ends at as_of: one rule for both ends of the range
        self.observed_start: np.datetime64 | None = (
            as_datetime64(start) if start is not None else (times[0] if len(log) else None)
        )
        if start is not None:
            self.start: np.datetime64 | None = as_datetime64(start)
        elif not len(log):
            self.start = None
        elif self.period.name == "all":
            self.start = times[0]
        else:
            self.start = self.period.floor(times[:1])[0]
        if self.start is not None and self.end is not None and self.end <= self.start:
            msg = f"end {self.end} is not after start {self.start}; expected start < end"
            raise ConfigError(msg)
        self._bins = (
            bucket(times[:0], self.period, start=self.start, end=self.end)
            if (self.start is not None)
            else bucket(times, self.period)
        )
        self.period_starts = self._bins.starts
        self.period_ends = self._bins.ends
        self.groups, group = self._grouping()
        self.event_group: IArr = group
        if self.directory is not None:  # a directory that cannot be read fails here
            for role in ("bot", *self.exclude_roles):
                self.actor_has_role(role)

    @functools.cached_property
    def _valid_upto(self) -> int | None:
        """
        ``k`` when :attr:`valid` is exactly the rows ``[0, k)``, else ``None``.

        Group codes are never negative (the log refuses missing codes), so without a directory
        that masks people the valid rows are those before ``min(end, as_of)``: a prefix of the
        time-ordered log, found by one search.
        """
        if self.directory is not None and (not self.include_bots or self.exclude_roles):
            return None
        cut = [t for t in (self.as_of, self.end) if t is not None]
        times = self.log.time
        if not cut:
            return len(times)
        return int(np.searchsorted(times, min(cut), side="left"))

    @functools.cached_property
    def valid(self) -> B:
        """
        Events the computation counts: not bots (unless *include_bots*), not people with an
        excluded role, before ``as_of`` and ``end``. Read-only.
        """
        upto = self._valid_upto
        if upto is not None:
            valid = np.zeros(len(self.log), dtype=bool)
            valid[:upto] = True
        else:
            times = self.log.time
            valid = self.event_group >= 0
            if self.as_of is not None:
                valid &= times < self.as_of
            if self.end is not None:
                valid &= times < self.end
            if not self.include_bots:
                valid &= ~self._bot_events()
            if self.exclude_roles:
                valid &= ~self._role_events(self.exclude_roles)
        valid.flags.writeable = False
        return valid

    @functools.cached_property
    def event_period(self) -> IArr:
        """The period bin of every event of :attr:`log` (``-1``: not valid or out of range)."""
        times = self.log.time
        if self.start is not None:
            # the bins alone (no per-event search): the log is in time order, so each bin's
            # events are one slice, found by a search of the bin edges in the times
            out = self._bin_sorted(times.view(np.int64), self._bins.starts.view(np.int64))
        else:
            out = self._bins.index.astype(np.int32)
        upto = self._valid_upto
        if upto is not None:
            out[upto:] = -1
        else:
            out[~self.valid] = -1
        out.flags.writeable = False
        return out

    @functools.cached_property
    def _range_rows(self) -> slice | None:
        """The rows of :attr:`in_range` as one slice, when they are one (see :attr:`valid`)."""
        upto = self._valid_upto
        if upto is None:
            return None
        times = self.log.time
        if self.start is None or self.end is None:
            return slice(0, 0)
        lo = int(np.searchsorted(times, self.start, side="left"))
        hi = int(np.searchsorted(times, self.end, side="left"))
        return slice(lo, max(lo, min(hi, upto)))

    @functools.cached_property
    def in_range(self) -> B:
        """Valid events inside ``[start, end)`` (:attr:`event_period` ``>= 0``). Read-only."""
        rows = self._range_rows
        if rows is not None:
            out = np.zeros(len(self.log), dtype=bool)
            out[rows] = True
        else:
            out = self.event_period >= 0
        out.flags.writeable = False
        return out

    def _bin_sorted(self, seconds: I64, starts: I64) -> npt.NDArray[np.int32]:
        """
        Return the bin of each time of the time-ordered *seconds* (``-1`` outside the range),
        as :func:`~communitykit.periods.bucket` does, from a search of the bin edges alone.
        """
        assert self.start is not None
        assert self.end is not None
        edges = np.empty(len(starts) + 1, dtype=np.int64)
        edges[0] = self.start.astype("datetime64[s]").astype(np.int64)
        edges[1:-1] = starts[1:]
        edges[-1] = self.end.astype("datetime64[s]").astype(np.int64)
        cuts = np.searchsorted(seconds, edges, side="left")
        labels = np.arange(-1, len(starts) + 1, dtype=np.int32)
        labels[-1] = -1
        sizes = np.diff(cuts, prepend=0, append=len(seconds))
        return np.repeat(labels, sizes)

    # ------------------------------------------------------------------ shape

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.groups)

    @property
    def n_periods(self) -> int:
        """Number of period bins."""
        return len(self.period_starts)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_groups, n_periods)``: the shape of every KPI array."""
        return (self.n_groups, self.n_periods)

    @property
    def n_actors(self) -> int:
        """Size of the log's actor dictionary."""
        return len(self.log.actors)

    def zeros(self) -> F64:
        """Return a float array of zeros of :attr:`shape`."""
        return np.zeros(self.shape, dtype=np.float64)

    def nans(self) -> F64:
        """Return a float array of ``NaN`` of :attr:`shape`."""
        return np.full(self.shape, np.nan, dtype=np.float64)

    def cells(self, group: IArr, period: IArr) -> I64:
        """Return flat ``int64`` cell indices ``group * n_periods + period``."""
        out: I64 = group.astype(np.int64) * self.n_periods
        out += period
        return out

    def per_cell(self, cells: I64, weights: npt.ArrayLike | None = None) -> F64:
        """Sum *weights* (default 1) per flat cell into a :attr:`shape` float array."""
        size = self.n_groups * self.n_periods
        if size == 0:
            return self.zeros()
        out = np.bincount(cells, weights=weights, minlength=size).astype(np.float64)
        return out.reshape(self.shape)

    @functools.cached_property
    def period_seconds(self) -> I64:
        """Seconds of each bin inside the observed span ``[observed_start, min(end, as_of))``."""
        if not self.n_periods:
            return np.zeros(0, dtype=np.int64)
        lo, hi = self._observed_bounds()
        return np.maximum((hi - lo).astype("timedelta64[s]").astype(np.int64), 0)

    def _observed_bounds(self) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
        """Per bin, the part of it inside the observed span (``lo >= hi``: none)."""
        assert self.observed_start is not None
        lo = np.maximum(self.period_starts, self.observed_start)
        hi = np.minimum(self.period_ends, self._observed_end)
        return lo, hi

    @property
    def _observed_end(self) -> np.datetime64:
        assert self.end is not None
        if self.as_of is None:
            return self.end
        return min(self.end, self.as_of)

    @property
    def period_days(self) -> F64:
        """
        Observed days of each bin: the calendar days that overlap its observed part.

        The observed span runs from *start* (default: the first event, not the start of its
        period) to ``as_of`` (default: just after the last event); a day counts when the span
        overlaps it, so the first and the last period are treated alike. One event on
        15 January observes one day of January. Equal to :meth:`n_sub_periods` ``("day")``.
        """
        return self.n_sub_periods("day")

    # ------------------------------------------------------------------ grouping

    def _grouping(self) -> tuple[npt.NDArray[np.object_], IArr]:
        log = self.log
        if self.by is None:
            labels = np.array(["all"], dtype=object)
            return labels, np.zeros(len(log), dtype=np.int8)
        if self.by == "community":
            return log.communities, log.community  # int32 codes, shared with the log
        if self.by == "actor":
            return log.actors, log.actor
        if self.by == "org_unit":
            if self.directory is None:
                msg = "by='org_unit' needs a directory=; pass the people Directory"
                raise ConfigError(msg)
            rows = self.directory.actor_rows(log)
            units = self.directory.org_units()
            unit_of_actor = np.array(
                [units[r] if r >= 0 and units[r] else "(no org unit)" for r in rows.tolist()],
                dtype=object,
            )
            labels, codes = (
                np.unique(unit_of_actor, return_inverse=True)
                if len(unit_of_actor)
                else (np.empty(0, dtype=object), np.empty(0, dtype=np.int64))
            )
            return labels.astype(object), codes.astype(np.int32)[log.actor]
        msg = f"unknown grouping by={self.by!r}; expected None, 'community', 'org_unit' or 'actor'"
        raise ConfigError(msg)

    def _bot_events(self) -> B:
        if self.directory is None or not len(self.log):
            return np.zeros(len(self.log), dtype=bool)
        return self.actor_has_role("bot")[self.log.actor]

    def _role_events(self, roles: tuple[str, ...]) -> B:
        if self.directory is None or not len(self.log):
            return np.zeros(len(self.log), dtype=bool)
        excluded = np.zeros(self.n_actors, dtype=bool)
        for role in roles:
            excluded |= self.actor_has_role(role)
        out: B = excluded[self.log.actor]
        return out

    def actor_has_role(self, role: str) -> B:
        """Return, per actor code, whether the Directory gives the actor *role*."""
        if self.directory is None:
            return np.zeros(self.n_actors, dtype=bool)
        rows = self.directory.actor_rows(self.log)
        flags = self.directory.has_role(role)
        if not len(flags):
            return np.zeros(self.n_actors, dtype=bool)
        out: B = (rows >= 0) & flags[np.maximum(rows, 0)]
        return out

    # ------------------------------------------------------------------ event masks and counts

    def kind_mask(self, kinds: Iterable[str] | None = None) -> B:
        """Return the mask of events whose kind is in *kinds* (default: every kind)."""
        if kinds is None:
            return np.ones(len(self.log), dtype=bool)
        codes = [KINDS.index(k) for k in _check_kinds(kinds)]
        return np.isin(self.log.kind, np.array(codes, dtype=np.int8))

    def count(
        self,
        mask: B | None = None,
        *,
        kinds: Iterable[str] | None = None,
        weights: npt.ArrayLike | None = None,
    ) -> F64:
        """
        Count (or sum *weights* of) the in-range events matching *mask* and *kinds*.

        Returns a :attr:`shape` float array; empty cells are 0.
        """
        keep = self.in_range if mask is None else self.in_range & mask
        if kinds is not None:
            keep = keep & self.kind_mask(kinds)
        w = None if weights is None else np.asarray(weights, dtype=np.float64)[keep]
        return self.per_cell(self.cells(self.event_group[keep], self.event_period[keep]), w)

    @functools.cached_property
    def is_post(self) -> B:
        """Events that start a thread: ``create`` events without a parent."""
        out: B = (self.log.kind == CREATE) & (self.log.parent < 0)
        return out

    @functools.cached_property
    def is_reply(self) -> B:
        """Events that answer another one: ``create`` events with a parent."""
        out: B = (self.log.kind == CREATE) & (self.log.parent >= 0)
        return out

    # ------------------------------------------------------------------ the shared sort

    @functools.cached_property
    def sorted(self) -> Sorted:
        """
        The valid events sorted by (group, actor, time, kind), packed into one ``int64``.

        Events before ``start`` are included (``period == -1``) so that first activity is
        known over the whole history. The sort does not depend on the period or the range
        beyond the :attr:`valid` mask, so calls on one log with the same grouping and mask
        share it (:func:`_shared_sort`); only the period bins are computed per call.
        """
        group, actor, _, kind, _ = self._shared
        ts = self._seconds(slice(None))
        ts.flags.writeable = False
        return Sorted(group, actor, ts, kind, self._sorted_period)

    def _seconds(self, at: slice | I64) -> I64:
        """Seconds since the epoch of the events of the shared sort at *at* (it keeps them as
        ``int32`` offsets when they fit: four bytes an event less for as long as it is kept)."""
        t = self._shared.time[at]
        origin = self._shared.info.origin
        if t.dtype == np.int64 and not origin:
            return t
        out = t.astype(np.int64)
        out += origin
        return out

    @functools.cached_property
    def _shared(self) -> _SortResult:
        return _shared_sort(self)

    @functools.cached_property
    def _sorted_period(self) -> npt.NDArray[np.int32]:
        """The period bin of every event of :attr:`sorted` (what only this call computes)."""
        info = self._shared.info
        n = len(self._shared.time)
        binner = self._binner(info.tmin, info.tmax) if n and self.n_periods else None
        if not n or not self.n_periods:
            return np.full(n, -1, dtype=np.int32)
        if binner is None:  # one period holding every event
            return np.zeros(n, dtype=np.int32)
        out = np.empty(n, dtype=np.int32)

        def work(c: slice) -> None:  # in chunks over the threads: no full-size scratch
            binner(self._shared.time[c], out[c], info.origin)

        _parallel.map_threads(work, _chunks(n))
        return out

    def _period_at(self, positions: I64) -> IArr:
        """The period bins of the events of :attr:`sorted` at *positions* (read from the
        per-event bins when this call has them, else binned here: a few events cost less
        than binning every event)."""
        if "_sorted_period" in self.__dict__:
            return self._sorted_period[positions]
        if self._sorted_in_range and self.n_periods == 1:
            return np.zeros(len(positions), dtype=np.int32)
        return self._period_of_seconds(self._seconds(positions))

    @functools.cached_property
    def _sort_info(self) -> _SortInfo:
        """Earliest and latest time and events per kind of :attr:`sorted` (kept with it)."""
        return self._shared.info

    def _sort(self) -> _SortResult:
        """Sort the valid events by (group, actor, time, kind): the work :attr:`sorted` shares."""
        upto = self._valid_upto
        v: slice | I64 = slice(0, upto) if upto is not None else np.flatnonzero(self.valid)
        times = self.log.time.view(np.int64)
        n = upto if upto is not None else len(v)  # type: ignore[arg-type]
        if not n:
            e = np.zeros(0, dtype=np.int64)
            return _SortResult(
                e.astype(np.int32),
                e.astype(np.int32),
                e,
                np.zeros(0, dtype=np.int8),
                _SortInfo(0, -1, (0,) * len(KINDS)),
            )
        # the log is in time order: the valid rows' first and last times bound them
        first, last = (0, n - 1) if isinstance(v, slice) else (int(v[0]), int(v[-1]))
        t0, t_last = int(times[first]), int(times[last])
        span = t_last - t0 + 1
        n_actors = max(self.n_actors, 1)
        time_bits = max(span.bit_length(), 1)
        ga_max = (self.n_groups or 1) * n_actors
        small = next(
            t for t in (np.int8, np.int16, np.int32, np.int64) if self.n_groups <= np.iinfo(t).max
        )
        if ga_max.bit_length() + time_bits + 2 > _PACK_BITS:
            g = self.event_group[v].astype(np.int64)
            a = self.log.actor[v]
            t = times[v]
            k = self.log.kind[v]
            order = np.lexsort((k, t, a, g))
            kind_sorted = k[order]
            return _SortResult(
                g[order].astype(small),
                a[order].astype(np.int32),
                t[order],
                kind_sorted,
                _SortInfo(t0, t_last, _kind_counts(kind_sorted)),
            )
        # pack (group, actor, time, kind) into one int64 and sort once. The keys are built and
        # read back in chunks (over the threads the computation may use), and the sorted keys
        # become the times in place: the peak is the keys and the outputs, no full-size scratch
        shift = time_bits + 2
        one_group = self.n_groups <= 1
        key = np.empty(n, dtype=np.int64)
        chunks = _chunks(n)

        def encode(c: slice) -> None:
            rows = c if isinstance(v, slice) else v[c]
            out = key[c]
            if one_group:  # by=None: the group is 0
                out[...] = self.log.actor[rows]
            else:
                out[...] = self.event_group[rows]
                out *= n_actors
                out += self.log.actor[rows]
            out <<= shift
            rel = times[rows] - t0
            rel <<= 2
            out |= rel
            out |= self.log.kind[rows]

        _parallel.map_threads(encode, chunks)
        _sort_packed(key)
        group: IArr = np.zeros(n, dtype=small)
        actor = np.empty(n, dtype=np.int32)
        kind = np.empty(n, dtype=np.int8)
        compact = time_bits <= 30  # offsets from t0 (plus a day) fit int32: four bytes, not eight
        time: IArr = np.empty(n, dtype=np.int32) if compact else key

        def decode(c: slice) -> tuple[int, ...]:
            k = key[c]
            np.bitwise_and(k, 3, out=kind[c], casting="unsafe")
            ga = k >> shift
            if not one_group:  # else the groups stay 0 (pages never written)
                g = ga // n_actors  # a division by a constant is fast; a remainder is not
                group[c] = g
                g *= n_actors
                ga -= g
            actor[c] = ga
            k >>= 2
            k &= (1 << time_bits) - 1
            if compact:
                time[c] = k
            else:
                k += t0  # the key is now the time
            return _kind_counts(kind[c])

        per_chunk = _parallel.map_threads(decode, chunks)
        counts = tuple(int(sum(c[i] for c in per_chunk)) for i in range(len(KINDS)))
        info = _SortInfo(t0, t_last, counts, t0 if compact else 0)
        return _SortResult(group, actor, time, kind, info)

    def _period_of_seconds(
        self, seconds: I64, bounds: tuple[int, int] | None = None
    ) -> npt.NDArray[np.int32]:
        """
        Return the period bin of each time (``-1`` outside ``[start, end)``), in any order.

        When every bin edge is a whole day (hour, minute) the bin is read from a table per
        day (hour, minute) of the times' span, not searched per time. *bounds*, when known,
        are the smallest and largest of the times (saves a pass over them). Computed in
        chunks over the threads: no full-size scratch.
        """
        n = len(seconds)
        if not self.n_periods or not n:
            return np.full(n, -1, dtype=np.int32)
        tmin, tmax = bounds if bounds is not None else (int(seconds.min()), int(seconds.max()))
        binner = self._binner(tmin, tmax)
        if binner is None:  # one period holding every time
            return np.zeros(n, dtype=np.int32)
        out = np.empty(n, dtype=np.int32)

        def work(c: slice) -> None:
            binner(seconds[c], out[c], 0)

        _parallel.map_threads(work, _chunks(n))
        return out

    def _binner(self, tmin: int, tmax: int) -> _Binner | None:
        """
        Return ``bin(seconds, out, origin)``, which writes the period bin of the times
        ``origin + seconds`` in ``[tmin, tmax]`` to *out* (``-1`` outside ``[start, end)``) in
        the calling thread; ``None`` when every such time is in the one period (bin 0).
        """
        assert self.start is not None
        assert self.end is not None
        starts = self.period_starts.astype("datetime64[s]").view(np.int64)
        lo = int(self.start.astype("datetime64[s]").astype(np.int64))
        hi = int(self.end.astype("datetime64[s]").astype(np.int64))
        if self.n_periods == 1:
            if lo <= tmin and tmax < hi:
                return None

            def one(seconds: IArr, out: npt.NDArray[np.int32], origin: int = 0) -> None:
                seconds = seconds.astype(np.int64) + origin if origin else seconds
                out[...] = 0
                out[(seconds < lo) | (seconds >= hi)] = -1

            return one
        edges = np.append(starts, [lo, hi])
        unit = next((u for u in (DAY, 3600, 60) if not (edges % u).any()), 1)
        first, last = tmin // unit, tmax // unit
        if last - first < _TABLE_MAX:
            # every edge is a multiple of unit: all times of one unit share a bin
            grid = np.arange(first, last + 1, dtype=np.int64) * unit
            table = (np.searchsorted(starts, grid, side="right") - 1).astype(np.int32)
            table[(grid < lo) | (grid >= hi)] = -1

            def look_up(seconds: IArr, out: npt.NDArray[np.int32], origin: int = 0) -> None:
                if origin:  # offsets after origin (int32): stay in their type
                    slot = seconds + (origin - first * unit)  # under a unit: no overflow
                    slot //= unit
                else:
                    slot = seconds // unit
                    slot -= first
                np.take(table, slot, out=out, mode="clip")  # slots are in the table

            return look_up

        def search(seconds: IArr, out: npt.NDArray[np.int32], origin: int = 0) -> None:
            seconds = seconds.astype(np.int64) + origin if origin else seconds
            out[...] = np.searchsorted(starts, seconds, side="right")
            out -= 1
            out[(seconds < lo) | (seconds >= hi)] = -1

        return search

    def _or_changes(self, new: B, key: Callable[[slice], npt.NDArray[Any]]) -> None:
        """
        Set ``new[i]`` where ``key(i) != key(i - 1)``, for a per-position key computed by
        ``key(slice)`` in chunks over the threads (the key of every position is never held).
        """
        n = len(new)

        def work(c: slice) -> None:
            lo = max(c.start - 1, 0)
            k = key(slice(lo, c.stop))
            new[lo + 1 : c.stop] |= k[1:] != k[:-1]

        _parallel.map_threads(work, _chunks(n))

    def _period_changes(self, new: B) -> None:
        """:meth:`_or_changes` by the period of the events of :attr:`sorted`."""
        if "_sorted_period" in self.__dict__:
            p = self._sorted_period
            new[1:] |= p[1:] != p[:-1]
            return
        info = self._shared.info
        binner = self._binner(info.tmin, info.tmax)
        if binner is None:
            return

        def key(c: slice) -> npt.NDArray[np.int32]:
            out = np.empty(c.stop - c.start, dtype=np.int32)
            binner(self._shared.time[c], out, info.origin)
            return out

        self._or_changes(new, key)

    @functools.cached_property
    def _pair_starts(self) -> B:
        """Where each (group, actor) run of :attr:`sorted` starts (shared like the sort)."""
        s = self._shared
        return _shared_pair_starts(self, s.group, s.actor)

    @functools.cached_property
    def _sorted_in_range(self) -> bool:
        """Whether every event of :attr:`sorted` is inside ``[start, end)`` (period ``>= 0``)."""
        info = self._sort_info
        if not self.n_periods or info.tmax < info.tmin:
            return False
        assert self.start is not None
        assert self.end is not None
        lo = int(self.start.astype("datetime64[s]").astype(np.int64))
        hi = int(self.end.astype("datetime64[s]").astype(np.int64))
        return lo <= info.tmin and info.tmax < hi

    def _covers(self, codes: Iterable[int]) -> bool:
        """Whether the kinds *codes* include every kind :attr:`sorted` holds."""
        wanted = set(codes)
        return all(code in wanted for code, n in enumerate(self._sort_info.kinds) if n)

    def _sorted_rows(self, codes: tuple[int, ...], *, in_range: bool) -> slice | I64:
        """Positions in :attr:`sorted` of the events of kinds *codes* (and in range): a slice
        when that is every event (then indexing makes views, not copies)."""
        s = self._shared
        if self._covers(codes) and (not in_range or self._sorted_in_range):
            return slice(None)
        mask = np.isin(s.kind, np.array(codes, dtype=np.int8))
        if in_range:
            mask &= self._sorted_period >= 0
        return _where(mask)

    @functools.cached_property
    def _pair_runs(self) -> tuple[slice | I64, I64, I64, IArr]:
        """
        The (group, actor, period) runs of the in-range events of :attr:`sorted`: the
        positions of those events, where each run starts among them, and each run's cell and
        actor. Within a (group, actor) run periods increase, so equal (group, actor, period)
        events are one run.
        """
        s = self._shared
        idx = self._sorted_rows(tuple(range(len(KINDS))), in_range=True)
        g, a = s.group[idx], s.actor[idx]
        if not len(g):
            e = np.zeros(0, dtype=np.int64)
            return idx, e, e, e
        if isinstance(idx, slice):  # every event in range: the shared (group, actor) starts
            if self.n_periods == 1:
                starts = np.flatnonzero(self._pair_starts)
                return idx, starts, g[starts].astype(np.int64), a[starts]
            new = self._pair_starts.copy()
            self._period_changes(new)  # the period per event is never held
            starts = np.flatnonzero(new)
            del new
            return idx, starts, self.cells(g[starts], self._period_at(starts)), a[starts]
        p = self._sorted_period[idx]
        # events before the range dropped: a run may start at any kept event
        new = np.empty(len(g), dtype=bool)
        new[0] = True
        np.not_equal(g[1:], g[:-1], out=new[1:])
        new[1:] |= a[1:] != a[:-1]
        new[1:] |= p[1:] != p[:-1]
        starts = np.flatnonzero(new)
        del new
        return idx, starts, self.cells(g[starts], p[starts]), a[starts]

    @functools.cached_property
    def _run_lengths(self) -> I64:
        """Events in each run of :attr:`_pair_runs` (read-only)."""
        idx, starts, _, _ = self._pair_runs
        out = np.diff(starts, append=len(self._shared.kind[idx]))
        out.flags.writeable = False
        return out

    @_memo
    def _kind_column(self, code: int) -> npt.NDArray[np.int32]:
        """Events of kind *code* in each run of :attr:`_pair_runs` (a sum over each run)."""
        idx, starts, _, _ = self._pair_runs
        if not self._sort_info.kinds[code] or not len(starts):
            return np.zeros(len(starts), dtype=np.int32)
        hit = self._shared.kind[idx] == code  # one byte per event, no per-event int64
        out: npt.NDArray[np.int32] = np.add.reduceat(hit, starts, dtype=np.int32)
        return out

    def _run_counts(self, codes: Iterable[int]) -> I64:
        """Events of the kinds *codes* in each run of :attr:`_pair_runs`."""
        _, starts, _, _ = self._pair_runs
        present = {code for code, n in enumerate(self._sort_info.kinds) if n}
        wanted = set(codes) & present
        if wanted == present:  # every event counts: the run lengths
            return self._run_lengths
        rest = present - wanted
        if len(rest) < len(wanted):  # fewer columns to take away than to add up
            out = self._run_lengths.copy()
            for code in sorted(rest):
                out -= self._kind_column(code)
            return out
        out = np.zeros(len(starts), dtype=np.int64)
        for code in sorted(wanted):
            out += self._kind_column(code)
        return out

    @functools.cached_property
    def pair_kind_counts(self) -> tuple[I64, IArr, npt.NDArray[np.int32]]:
        """
        In-range events per (group, actor, period) and kind -- ``cell``, ``actor`` and an
        ``(n_pairs, 4)`` count matrix (one column per kind), sorted by group, actor, period.
        """
        _, starts, cell, actor = self._pair_runs
        counts = np.zeros((len(starts), len(KINDS)), dtype=np.int32)
        for code in range(len(KINDS)):
            counts[:, code] = self._kind_column(code)
        return cell, actor, counts

    @_memo
    def actor_counts(self, kinds: tuple[str, ...] = ACTIVE_KINDS) -> ActorCounts:
        """
        Return events per (group, period, actor) for in-range events of *kinds*.

        Sorted by group, actor, then period (not by cell); only pairs with at least one event.
        """
        codes = [KINDS.index(k) for k in _check_kinds(kinds)]
        _, _, cell, actor = self._pair_runs
        count = self._run_counts(codes)
        keep = count > 0
        if keep.all():
            return ActorCounts(cell, actor, count)
        return ActorCounts(cell[keep], actor[keep], count[keep])

    def distinct_actors(self, kinds: Iterable[str] = ACTIVE_KINDS) -> I64:
        """Return the number of distinct actors with an event of *kinds* per cell."""
        codes = [KINDS.index(k) for k in _check_kinds(kinds)]
        if self._covers(codes) and self._sorted_in_range:  # every run counts: no counts needed
            return self.per_cell(self._pair_runs[2]).astype(np.int64)
        counts = self.actor_counts(tuple(kinds))
        return self.per_cell(counts.cell).astype(np.int64)

    def distinct_actors_of(self, mask: B) -> I64:
        """Return the number of distinct actors of the in-range events matching *mask* per cell."""
        keep = self.in_range & mask
        cells = self.cells(self.event_group[keep], self.event_period[keep])
        width = max(self.n_actors, 1)
        pairs = _numeric.unique(cells * width + self.log.actor[keep])
        return self.per_cell(pairs // width).astype(np.int64)

    @functools.cached_property
    def n_active(self) -> I64:
        """Distinct people with a ``consume``, ``interact`` or ``create`` event per cell."""
        return self.distinct_actors(ACTIVE_KINDS)

    @functools.cached_property
    def n_contributors(self) -> I64:
        """
        Distinct contributors per cell.

        A contributor has a contribution (:data:`~communitykit.events.CONTRIBUTION_KINDS`,
        the ``create`` kind) in the cell.
        """
        return self.distinct_actors(CONTRIBUTION_KINDS)

    @functools.cached_property
    def first_last(self) -> FirstLast:
        """
        First and last activity of every member in every group.

        Activity is :data:`~communitykit.events.ACTIVITY_KINDS` (``consume``, ``interact``,
        ``create``).
        """
        return self._first_last(tuple(KINDS.index(k) for k in ACTIVE_KINDS))

    @functools.cached_property
    def contributor_first_last(self) -> FirstLast:
        """
        First and last contribution of every contributor in every group.

        Contributions are :data:`~communitykit.events.CONTRIBUTION_KINDS`; the CHAOSS
        contributor KPIs read them.
        """
        return self._first_last(tuple(KINDS.index(k) for k in CONTRIBUTION_KINDS))

    def _first_last(self, codes: tuple[int, ...]) -> FirstLast:
        s = self._shared
        idx = self._sorted_rows(codes, in_range=False)
        g, a = s.group[idx], s.actor[idx]
        if not len(g):
            e = np.zeros(0, dtype=np.int64)
            return FirstLast(e, e, e, e, e, e)
        if isinstance(idx, slice):  # every event: the shared (group, actor) starts
            starts = np.flatnonzero(self._pair_starts)
        else:
            new = np.ones(len(g), dtype=bool)
            new[1:] = g[1:] != g[:-1]
            new[1:] |= a[1:] != a[:-1]
            starts = np.flatnonzero(new)
            del new
        ends = np.append(starts[1:], len(g)) - 1
        if not isinstance(idx, slice):  # positions in the sort
            starts_at, ends_at = idx[starts], idx[ends]
        else:
            starts_at, ends_at = starts, ends
        return FirstLast(
            g[starts].astype(np.int64),
            a[starts],
            self._seconds(starts_at),
            self._seconds(ends_at),
            self._period_at(starts_at),
            self._period_at(ends_at),
        )

    @_memo
    def sub_period_actives(self, unit: str) -> F64:
        """
        Return, per cell, the sum over *unit* buckets (``"day"``, ``"week"``, ``"month"``) of
        the distinct active actors in each bucket; buckets are clipped to the period.

        Divide by :meth:`n_sub_periods` for a mean (DAU, WAU, MAU).
        """
        if unit == self.period.name:
            return self.n_active.astype(np.float64)
        s = self._shared
        idx = self._sorted_rows(tuple(KINDS.index(k) for k in ACTIVE_KINDS), in_range=True)
        g, a = s.group[idx], s.actor[idx]
        if not len(g):
            return self.zeros()
        by_day = unit == "day" and self.period.is_utc and self._midnight_periods
        if isinstance(idx, slice) and by_day:
            return self._day_actives()
        p = self._sorted_period[idx]
        sub = self._sub_floor(self._seconds(idx), p, unit)
        if isinstance(idx, slice):  # every event: the shared (group, actor) starts
            new = self._pair_starts.copy()
        else:
            new = np.ones(len(g), dtype=bool)
            new[1:] = g[1:] != g[:-1]
            new[1:] |= a[1:] != a[:-1]
        new[1:] |= sub[1:] != sub[:-1]
        del sub
        return self.per_cell(self.cells(g[new], p[new]))

    def _day_actives(self) -> F64:
        """
        :meth:`sub_period_actives` by day when every sorted event counts and periods start at
        midnight: the (group, actor, day) runs are found and counted per cell chunk by chunk,
        over the threads, so nothing per event is held.
        """
        s = self._shared
        pairs = self._pair_starts
        info = s.info
        binner = self._binner(info.tmin, info.tmax)
        size = self.n_groups * self.n_periods

        def work(c: slice) -> npt.NDArray[np.intp]:
            new = pairs[c].copy()
            day = s.time[max(c.start - 1, 0) : c.stop] + info.origin % DAY  # days after origin's
            day //= DAY
            new[1 if c.start == 0 else 0 :] |= day[1:] != day[:-1]
            at = np.flatnonzero(new)
            at += c.start
            period = np.zeros(len(at), dtype=np.int32)
            if binner is not None:
                binner(s.time[at], period, info.origin)
            out: npt.NDArray[np.intp] = np.bincount(self.cells(s.group[at], period), minlength=size)
            return out

        parts = _parallel.map_threads(work, _chunks(len(pairs)))
        total: F64 = np.sum(parts, axis=0).astype(np.float64)
        return total.reshape(self.shape)

    @functools.cached_property
    def _midnight_periods(self) -> bool:
        """Whether every period starts at midnight (UTC), the range's start included."""
        assert self.start is not None
        starts = np.maximum(self.period_starts, self.start).astype("datetime64[s]")
        return not (starts.view(np.int64) % DAY).any()

    def _sub_floor(self, seconds: I64, period: IArr, unit: str) -> I64:
        """Return a bucket id per time: the *unit* floor, clipped to the period's start."""
        assert self.start is not None
        starts = np.maximum(self.period_starts, self.start).astype("datetime64[s]").view(np.int64)
        if not self.period.is_utc:
            # local calendar: sub-period boundaries per local day/week (DST-correct)
            sub = Period(unit, tz=self.period.tz)
            floor = sub.floor(seconds.astype("datetime64[s]")).view(np.int64)
        elif unit == "day" and not (starts % DAY).any():
            # periods start at midnight: the day number identifies the bucket
            day: I64 = seconds // DAY
            return day
        elif unit == "day":
            floor = seconds % DAY
            np.subtract(seconds, floor, out=floor)
        elif unit == "week":
            days = seconds // DAY
            floor = (days - (days + 3) % 7) * DAY  # 1970-01-01 was a Thursday
        else:
            floor = Period.parse(unit).floor(seconds.astype("datetime64[s]")).view(np.int64)
        out: I64 = np.maximum(floor, starts[period])
        return out

    @_memo
    def n_sub_periods(self, unit: str) -> F64:
        """
        Number of *unit* buckets (days, weeks, months) in each period's observed part.

        The one rule for partial periods, at both ends of the range: a bucket counts when it
        overlaps the observed span, which runs from *start* (default: the first event of the
        log) to ``as_of`` (default: just after the last event). Days before the first event
        and after ``as_of`` were not observed and are not counted, so one event on 15 January
        gives a DAU of 1 over one observed day, not 1/15 or 1/31. Observation belongs to the
        log, not to a group: a community founded mid-range counts every day of the range.

        Examples
        --------
        >>> log = ck.EventLog.from_records(
        ...     [{"time": "2024-01-15T10:00Z", "actor": "ana", "community": "c", "action": "post"}]
        ... )
        >>> Facts(log).n_sub_periods("day").tolist()
        [1.0]
        >>> Facts(log, start="2024-01-01", end="2024-02-01").n_sub_periods("day").tolist()
        [31.0]
        """
        out = np.zeros(self.n_periods, dtype=np.float64)
        if not self.n_periods:
            return out
        lo, hi = self._observed_bounds()
        unit_p = Period.parse(unit, tz=self.period.tz)
        for i in range(self.n_periods):
            if hi[i] <= lo[i]:
                continue
            starts = unit_p.range(lo[i], hi[i])
            out[i] = len(starts)
        return out

    @_memo
    def active_sub_periods(self, unit: str) -> F64:
        """Number of *unit* buckets with at least one active event, per cell."""
        s = self._shared
        idx = self._sorted_rows(tuple(KINDS.index(k) for k in ACTIVE_KINDS), in_range=True)
        if not len(s.kind[idx]):
            return self.zeros()
        p = self._sorted_period[idx]
        sub = self._sub_floor(self._seconds(idx), p, unit)
        cell = self.cells(s.group[idx], p)
        sub_index = sub - sub.min()  # bucket ids: day numbers or seconds
        width = int(sub_index.max()) + 1
        key = np.sort(cell * width + sub_index)
        new = np.ones(len(key), dtype=bool)
        new[1:] = key[1:] != key[:-1]
        return self.per_cell(key[new] // width)

    # ------------------------------------------------------------------ responses

    @functools.cached_property
    def thread_root(self) -> I64:
        """
        Row of the thread root of every event of :attr:`log` (see :func:`thread_roots`).

        ``-1`` for rows on or below a parent cycle: they belong to no thread.
        """
        out = thread_roots(self.log.parent)
        out.flags.writeable = False
        return out

    @_memo
    def responses(
        self, include_reactions: bool = False, direct_only: bool = False
    ) -> FirstResponses:
        """
        Return every in-range post with the latency of its first response by someone else.

        A response is a valid ``create`` event (with *include_reactions* also an ``interact``
        event) anywhere in the post's thread below it -- a reply, a reply to a reply, and so on
        (:attr:`thread_root`) -- whose actor differs from the post's author (CHAOSS: the first
        response to the activity). With *direct_only*, only events whose parent is the post
        count. Bots are excluded by :attr:`valid`. The first response is the earliest one (the
        log is in time order); it may come after the period of the post, up to ``as_of``.
        """
        log = self.log
        rows = self._range_rows
        if rows is not None:  # the in-range rows are one slice: look only there
            lo = rows.start
            is_post = self.is_post[rows]
        else:
            lo = 0
            is_post = self.is_post & self.in_range
        post_rows = np.flatnonzero(is_post)
        post_rows += lo
        upto = self._valid_upto
        valid = slice(0, upto) if upto is not None else slice(None)
        kind, parent = log.kind[valid], log.parent[valid]
        kinds = kind == CREATE
        if include_reactions:
            kinds |= kind == INTERACT
        kinds &= parent >= 0
        if upto is None:
            kinds &= self.valid
        resp = np.flatnonzero(kinds)
        del kinds, kind, parent
        top = log.parent[resp] if direct_only else self._roots_of(resp)
        keep = top >= 0
        if not keep.all():
            resp, top = resp[keep], top[keep]
        keep = log.actor[resp] != log.actor[top]
        resp, top = resp[keep], top[keep]
        # first response per post, indexed by the post's position among the posts: a running
        # count of the posts gives the position (a search per response misses the cache)
        top -= lo
        ok = (top >= 0) & (top < len(is_post))
        ok[ok] = is_post[top[ok]]
        slot = _ranks(is_post, top[ok])
        slot -= 1
        del is_post
        none = np.iinfo(np.int64).max
        first = np.full(len(post_rows), none, dtype=np.int64)
        np.minimum.at(first, slot, resp[ok])  # rows are in time order: the earliest
        answered = first != none
        latency = np.full(len(post_rows), np.nan)
        responder = np.full(len(post_rows), -1, dtype=np.int64)
        first = first[answered]
        seconds = log.time.view(np.int64)
        latency[answered] = (seconds[first] - seconds[post_rows[answered]]).astype(np.float64)
        responder[answered] = log.actor[first]
        period = (
            self.event_period[post_rows]
            if "event_period" in self.__dict__
            else self._period_of_seconds(seconds[post_rows])  # in range: the same bins
        )
        return FirstResponses(
            post_rows.astype(np.int64),
            self.event_group[post_rows].astype(np.int64),
            period.astype(np.int64),
            log.actor[post_rows].astype(np.int64),
            latency,
            responder,
        )

    def _roots_of(self, rows: I64, steps: int = 8) -> I64:
        """
        The thread root (:attr:`thread_root`) of each of *rows*, which all have a parent.

        Threads are mostly shallow: walk up from these rows alone, a few steps, and read the
        whole-log :attr:`thread_root` only when a chain is deeper (or runs in a cycle).
        """
        parent = self.log.parent
        top = parent[rows]
        moving = np.arange(len(top))
        for _ in range(steps):
            up = parent[top[moving]]
            climbing = up >= 0
            if not climbing.any():
                return top
            moving = moving[climbing]
            top[moving] = up[climbing]
        out: I64 = self.thread_root[rows]
        return out

    # ------------------------------------------------------------------ other KPIs

    def kpi(self, kpi: str | KPI, **params: object) -> KPIValues:
        """
        Return the raw (unsuppressed) values of another KPI, computed once and cached.

        Parameters not given take the caller's ``params=`` for that KPI, then its defaults.

        Raises
        ------
        UnknownKPIError
            If *kpi_id* is not registered nor passed to this computation.
        ConfigError
            If KPIs depend on each other in a cycle.
        """
        from communitykit.kpi._definition import KPIValues

        definition = self._lookup(kpi)
        kpi_id = definition.id
        resolved = definition.resolve_params({**self._params.get(kpi_id, {}), **params})
        key = (kpi_id, tuple(sorted((k, repr(v)) for k, v in resolved.items())))
        if key in self._cache:
            return self._cache[key]
        if kpi_id in self._stack:
            chain = " -> ".join([*self._stack[self._stack.index(kpi_id) :], kpi_id])
            msg = f"KPIs depend on each other in a cycle: {chain}"
            raise ConfigError(msg)
        self._stack.append(kpi_id)
        try:
            raw = definition.function(self, **resolved)
        finally:
            self._stack.pop()
        result = raw if isinstance(raw, KPIValues) else KPIValues(raw, self.n_active)
        if result.value.shape != self.shape:
            msg = (
                f"KPI {kpi_id!r} returned values of shape {result.value.shape}; "
                f"expected {self.shape} (n_groups, n_periods)"
            )
            raise ConfigError(msg)
        self._cache[key] = result
        return result

    def _lookup(self, kpi_id: str | KPI) -> KPI:
        from communitykit.kpi._definition import KPI

        if isinstance(kpi_id, KPI):
            return kpi_id
        if kpi_id in self._catalogue:
            return self._catalogue[kpi_id]
        from communitykit.kpi._registry import get_kpi

        return get_kpi(kpi_id)

    def warn(self, message: str) -> None:
        """Emit a :class:`~communitykit.errors.CommunityKitWarning` (a statistical caveat)."""
        warnings.warn(message, CommunityKitWarning, stacklevel=3)


class _SharedWork:
    """
    Work that compute calls on one log share, kept for the last *size* (log, key) pairs.

    An :class:`~communitykit.EventLog` is immutable, so what is derived from it alone (and
    from the arguments in *key*) stays right while the log lives. The cache holds the log
    weakly: an entry goes when its log is collected or when newer entries push it out.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, Any], tuple[weakref.ref[EventLog], Any]] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, log: EventLog, key: object, build: Callable[[], T]) -> T:
        """Return the value for (*log*, *key*), built by *build* on a miss."""
        full = (id(log), key)
        with self._lock:
            hit = self._items.get(full)
            if hit is not None and hit[0]() is log:
                self._items.move_to_end(full)
                return hit[1]  # type: ignore[no-any-return]
        value = build()
        ref = weakref.ref(log, self._forget)
        with self._lock:
            self._items[full] = (ref, value)
            self._items.move_to_end(full)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def _forget(self, ref: weakref.ref[EventLog]) -> None:
        with self._lock:
            for key in [k for k, (r, _) in self._items.items() if r is ref]:
                del self._items[key]

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_SORTS: Final = _SharedWork(_SHARED_SORTS)
_PAIRS: Final = _SharedWork(_SHARED_SORTS)  # the (group, actor) run starts of those sorts
_SMALL: Final = _SharedWork(16)


def clear_shared_work() -> None:
    """Forget the work kept for later compute calls (as if every log were new)."""
    _SORTS.clear()
    _PAIRS.clear()
    _SMALL.clear()


def _mask_key(facts: Facts) -> object:
    """A short key for which events are valid (:attr:`Facts.valid`), for the shared work."""
    upto = facts._valid_upto  # noqa: SLF001
    if upto is not None:
        return b"all" if upto == len(facts.log) else ("upto", upto)
    mask = facts.valid
    if mask.all():
        return b"all"
    return hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=16).digest()


def _shared_sort(facts: Facts) -> _SortResult:
    """
    Return ``facts._sort()``, shared with earlier calls on the same log, grouping and mask.

    The arrays are read-only: every compute call on the log reads the same ones.
    """
    if facts.by == "org_unit":  # the groups come from the directory, not from the log alone
        return facts._sort()  # noqa: SLF001

    def build() -> _SortResult:
        out = facts._sort()  # noqa: SLF001
        for array in out[:4]:
            array.flags.writeable = False
        return out

    return _SORTS.get(facts.log, ("sort", facts.by, _mask_key(facts)), build)


def _shared_pair_starts(facts: Facts, group: IArr, actor: IArr) -> B:
    """The (group, actor) run starts of the shared sort, kept with it (read-only)."""

    def build() -> B:
        new = np.empty(len(group), dtype=bool)
        new[:1] = True
        np.not_equal(group[1:], group[:-1], out=new[1:])
        new[1:] |= actor[1:] != actor[:-1]
        new.flags.writeable = False
        return new

    if facts.by == "org_unit":
        return build()
    return _PAIRS.get(facts.log, ("pairs", facts.by, _mask_key(facts)), build)


@attrs.frozen
class LogActions:
    """The action counts of a log and its vocabulary (what :func:`not_applicable` reads)."""

    vocabulary: Any
    counts: dict[str, int] = attrs.field(converter=frozen_mapping)

    def action_counts(self) -> dict[str, int]:
        """Return how many events each action has."""
        return self.counts


def log_actions(log: EventLog) -> LogActions:
    """Return the log's action counts, counted once for the compute calls on it."""
    return _SMALL.get(log, ("actions",), lambda: LogActions(log.vocabulary, log.action_counts()))


def _sort_packed(key: I64) -> None:
    """Sort the packed (group, actor, time, kind) keys in place: the shared sort."""
    _parallel.sort_inplace(key)


def _chunks(n: int) -> list[slice]:
    """Slices of ``_CHUNK`` positions covering ``range(n)``."""
    return [slice(i, min(i + _CHUNK, n)) for i in range(0, n, _CHUNK)]


_RANK_BLOCK = 1 << 15  # positions per block of :func:`_ranks` (its counts fit uint16)


def _ranks(mask: B, at: I64) -> I64:
    """
    Return ``numpy.cumsum(mask)[at]``: how many of ``mask[: i + 1]`` are set, for each *at*.

    Held as a count per block of ``_RANK_BLOCK`` positions and a two-byte running count
    within each block, not a cumulative count per position (half the memory of ``int32``).
    """
    n, size = len(mask), _RANK_BLOCK
    local = np.empty(n, dtype=np.uint16)
    full = n // size * size
    if full:
        np.cumsum(
            mask[:full].reshape(-1, size),
            axis=1,
            dtype=np.uint16,
            out=local[:full].reshape(-1, size),
        )
    if n > full:
        np.cumsum(mask[full:], dtype=np.uint16, out=local[full:])
    ends = np.minimum(np.arange(size - 1, n + size - 1, size), n - 1)  # last position per block
    base = np.zeros(len(ends), dtype=np.int64)
    np.cumsum(local[ends[:-1]], out=base[1:])
    out: I64 = base[at // size]
    out += local[at]
    return out


def _where(mask: B) -> slice | I64:
    """Return ``slice(None)`` if *mask* selects everything (indexing then makes views)."""
    if mask.all():
        return slice(None)
    return np.flatnonzero(mask)


def _check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    out = tuple(kinds)
    bad = [k for k in out if k not in KINDS]
    if bad:
        msg = f"unknown action kinds {bad}; expected some of {', '.join(KINDS)}"
        raise ConfigError(msg)
    return out


def _check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """The excluded Directory roles as a tuple (one role may be given as a str)."""
    from communitykit.people import ROLES

    out = (roles,) if isinstance(roles, str) else tuple(roles)
    for role in out:
        if role == "bot":
            msg = "exclude_roles=['bot']: bots are left out by default; use include_bots instead"
            raise ConfigError(msg)
        if role not in ROLES:
            valid = ", ".join(r for r in ROLES if r != "bot")
            msg = f"unknown role {role!r} in exclude_roles; expected some of {valid}"
            raise ConfigError(msg)
    return tuple(dict.fromkeys(out))
