"""Built-in growth and retention KPIs, and the cohort retention table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frame import Frame
from communitykit._numeric import ARRAY_EQ
from communitykit._time import Period, TimeLike, Window
from communitykit.errors import ConfigError
from communitykit.events import CONTRIBUTION_KINDS
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.kpi._definition import KPI, KPIValues
from communitykit.kpi._facts import Facts, FirstLast
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size, suppression_mask

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = [
    "KPIS",
    "RetentionTable",
    "churn_rate",
    "contributor_churn_rate",
    "growth_rate",
    "inactive_contributors",
    "inactive_members",
    "new_contributors",
    "new_members",
    "retention",
    "retention_table",
    "returning_members",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_REF_NEW = "https://github.com/chaoss/wg-evolution/blob/0018510cb9a25a09ea411fee6fb1b5b88bfb0771/focus-areas/community-growth/new-contributors.md"
_REF_INACTIVE = "https://github.com/chaoss/wg-evolution/blob/067e67ad9357dd8c4fe28529a0b1da843111cd6a/focus-areas/community-growth/inactive-contributors.md"
_REF_HU = "https://support.healthunlocked.com/article/87-community-metrics"
_REF_VIVA = "https://github.com/microsoft/vivainsights-py/blob/27e118d97201fbe928708e28b10032b84f120024/vivainsights/identify_churn.py"


def _ratio(num: F64, den: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


def _new(facts: Facts, fl: FirstLast | None = None) -> F64:
    fl = facts.first_last if fl is None else fl
    inside = fl.first_period >= 0
    return facts.per_cell(facts.cells(fl.group[inside], fl.first_period[inside]))


def new_members(facts: Facts) -> KPIValues:
    """
    Count the people whose first activity in the group falls in the period.

    Notes
    -----
    The *member* version of CHAOSS New Contributors: activity is any ``consume``,
    ``interact`` or ``create`` event (:data:`~communitykit.events.ACTIVITY_KINDS`), reading
    included, so someone who only reads in January and first posts in March is new in
    January. For the first *contribution* (CHAOSS) use :func:`new_contributors`. First
    activity is taken over the whole history up to ``as_of`` (events before *start* count),
    so a person is new exactly once per group. 0 for an empty period.

    References
    ----------
    * HealthUnlocked, "Community metrics" (new members), https://support.healthunlocked.com/article/87-community-metrics
    """
    return KPIValues(_new(facts), facts.n_active)


def new_contributors(facts: Facts) -> KPIValues:
    """
    Count the people whose first contribution in the group falls in the period (CHAOSS).

    Notes
    -----
    A contribution is a ``create`` event -- post, reply, comment, answer, edit, commit,
    review, upload (:data:`~communitykit.events.CONTRIBUTION_KINDS`); views and reactions
    are not. Someone who only reads in January and first posts in March is a new
    contributor in March. The first contribution is taken over the whole history up to
    ``as_of`` (contributions before *start* count), so a person is new exactly once per
    group. 0 for an empty period. ``n`` is the number of contributors of the period.

    References
    ----------
    * CHAOSS, "New Contributors", https://github.com/chaoss/wg-evolution/blob/0018510cb9a25a09ea411fee6fb1b5b88bfb0771/focus-areas/community-growth/new-contributors.md
    """
    return KPIValues(_new(facts, facts.contributor_first_last), facts.n_contributors)


def returning_members(facts: Facts) -> KPIValues:
    """
    Count the active people whose first activity in the group was before the period.

    Notes
    -----
    ``active_members - new_members`` (members: any activity,
    :data:`~communitykit.events.ACTIVITY_KINDS`); 0 for an empty period.

    References
    ----------
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    """
    return KPIValues(facts.n_active - _new(facts), facts.n_active)


def _inactive(facts: Facts, fl: FirstLast, interval: str) -> F64:
    seconds = Window.parse(interval).seconds
    if facts.as_of is None or not len(fl.group):
        return facts.zeros()
    as_of = int(facts.as_of.astype(np.int64))
    gone = (as_of - fl.last > seconds) & (fl.last_period >= 0)
    return facts.per_cell(facts.cells(fl.group[gone], fl.last_period[gone]))


def inactive_members(facts: Facts, *, interval: str = "90D") -> KPIValues:
    """
    Count the people who went inactive, in the period of their last activity.

    Parameters
    ----------
    interval
        Inactivity interval: people whose last activity lies more than this before ``as_of``
        are inactive. The reporting period is the ``period`` of the computation.

    Notes
    -----
    The *member* version of CHAOSS Inactive Contributors: activity is any ``consume``,
    ``interact`` or ``create`` event (:data:`~communitykit.events.ACTIVITY_KINDS`), so a
    person who still reads is not inactive. For contributions (CHAOSS) use
    :func:`inactive_contributors`. For each (group, person) take the last activity
    ``t_last``; if ``as_of - t_last > interval`` the person is inactive and counted in the
    period containing ``t_last``. 0 for an empty period.

    References
    ----------
    * Microsoft vivainsights, "identify_churn", https://github.com/microsoft/vivainsights-py/blob/27e118d97201fbe928708e28b10032b84f120024/vivainsights/identify_churn.py
    """
    return KPIValues(_inactive(facts, facts.first_last, interval), facts.n_active)


def inactive_contributors(facts: Facts, *, interval: str = "90D") -> KPIValues:
    """
    Count the contributors who stopped contributing, in the period of their last contribution.

    Parameters
    ----------
    interval
        Inactivity interval: people whose last contribution lies more than this before
        ``as_of`` are inactive contributors (CHAOSS: the interval and the reporting period
        are the two parameters; the period is the ``period`` of the computation).

    Notes
    -----
    Contributions are ``create`` events (:data:`~communitykit.events.CONTRIBUTION_KINDS`);
    someone who still reads or likes but no longer contributes is an inactive contributor.
    For each (group, person) take the last contribution ``t_last``; if
    ``as_of - t_last > interval`` the person is counted in the period containing ``t_last``.
    0 for an empty period. ``n`` is the number of contributors of the period.

    References
    ----------
    * CHAOSS, "Inactive Contributors", https://github.com/chaoss/wg-evolution/blob/067e67ad9357dd8c4fe28529a0b1da843111cd6a/focus-areas/community-growth/inactive-contributors.md
    """
    value = _inactive(facts, facts.contributor_first_last, interval)
    return KPIValues(value, facts.n_contributors)


def _period_pairs(facts: Facts, kinds: tuple[str, ...] | None = None) -> tuple[I64, I64, I64]:
    """Active (group, actor, period) triples sorted by group, actor, period."""
    counts = facts.actor_counts() if kinds is None else facts.actor_counts(kinds)
    g, p = np.divmod(counts.cell, max(facts.n_periods, 1))
    return g, counts.actor, p


def _churn(facts: Facts, kinds: tuple[str, ...] | None, present: I64) -> KPIValues:
    """Share of the people *present* in ``p-1`` (by *kinds*) who are not present in ``p``."""
    g, a, p = _period_pairs(facts, kinds)
    prev = np.zeros(facts.shape, dtype=np.int64)
    prev[:, 1:] = present[:, :-1]
    if len(g):
        nxt = np.r_[(g[1:] == g[:-1]) & (a[1:] == a[:-1]) & (p[1:] == p[:-1] + 1), False]
        leaves = ~nxt & (p + 1 < facts.n_periods)
        churned = facts.per_cell(facts.cells(g[leaves], p[leaves] + 1))
    else:
        churned = facts.zeros()
    return KPIValues(_ratio(churned, prev.astype(np.float64)), prev)


def churn_rate(facts: Facts) -> KPIValues:
    """
    Return the share of the previous period's active people who are not active in this one.

    Notes
    -----
    ``|active(p-1) \\ active(p)| / |active(p-1)|`` over members (any activity,
    :data:`~communitykit.events.ACTIVITY_KINDS`); for contributors use
    :func:`contributor_churn_rate`. ``NaN`` for the first period of the range and after a
    period without activity. ``n`` is the number of people active in ``p-1``.

    References
    ----------
    * Microsoft vivainsights, "identify_churn", https://github.com/microsoft/vivainsights-py/blob/27e118d97201fbe928708e28b10032b84f120024/vivainsights/identify_churn.py
    """
    return _churn(facts, None, facts.n_active)


def contributor_churn_rate(facts: Facts) -> KPIValues:
    """
    Return the share of the previous period's contributors who did not contribute in this one.

    Notes
    -----
    ``|contributors(p-1) \\ contributors(p)| / |contributors(p-1)|`` with contributions the
    ``create`` events (:data:`~communitykit.events.CONTRIBUTION_KINDS`): a contributor who
    only reads in ``p`` has churned as a contributor. ``NaN`` for the first period of the
    range and after a period without contributions. ``n`` is the number of contributors in
    ``p-1``.

    References
    ----------
    * CHAOSS, "Inactive Contributors", https://github.com/chaoss/wg-evolution/blob/067e67ad9357dd8c4fe28529a0b1da843111cd6a/focus-areas/community-growth/inactive-contributors.md
    * Microsoft vivainsights, "identify_churn", https://github.com/microsoft/vivainsights-py/blob/27e118d97201fbe928708e28b10032b84f120024/vivainsights/identify_churn.py
    """
    return _churn(facts, CONTRIBUTION_KINDS, facts.n_contributors)


def growth_rate(facts: Facts) -> KPIValues:
    """
    Return the new members of the period relative to the members known before it.

    Notes
    -----
    ``new_members(p) / |{people whose first activity is before the start of p}|``, the
    history before *start* included; members: any activity
    (:data:`~communitykit.events.ACTIVITY_KINDS`). ``NaN`` when nobody was known before (the
    group's first period).

    References
    ----------
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    """
    fl = facts.first_last
    new = _new(facts)
    history = np.zeros(facts.n_groups)
    before = fl.first_period < 0
    np.add.at(history, fl.group[before], 1.0)
    known = history[:, None] + np.cumsum(new, axis=1) - new
    return KPIValues(_ratio(new, known), facts.n_active)


def retention(facts: Facts, *, window: str = "90D") -> KPIValues:
    """
    Return the share of the period's newcomers still active *window* after their first activity.

    Parameters
    ----------
    window
        How long after the first activity a person must be active again (default 90 days).

    Notes
    -----
    The cohort of period ``p`` is the people whose first activity (any activity,
    :data:`~communitykit.events.ACTIVITY_KINDS`) in the group falls in ``p``. A person is
    *retained* if their last activity is at least *window* after their first
    (``t_last - t_first >= window``); people whose ``t_first + window`` lies after
    ``as_of`` cannot be judged yet and are left out. Value in ``[0, 1]``; ``NaN`` for an
    empty or not yet observable cohort. ``n`` is the number of people judged.

    References
    ----------
    * Microsoft vivainsights, "identify_churn", https://github.com/microsoft/vivainsights-py/blob/27e118d97201fbe928708e28b10032b84f120024/vivainsights/identify_churn.py
    """
    seconds = Window.parse(window).seconds
    fl = facts.first_last
    if facts.as_of is None or not len(fl.group):
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    as_of = int(facts.as_of.astype(np.int64))
    cohort = fl.first_period >= 0
    judged = cohort & (fl.first + seconds <= as_of)
    kept = judged & (fl.last - fl.first >= seconds)
    total = facts.per_cell(facts.cells(fl.group[judged], fl.first_period[judged]))
    value = _ratio(facts.per_cell(facts.cells(fl.group[kept], fl.first_period[kept])), total)
    return KPIValues(value, total.astype(np.int64))


@attrs.frozen(eq=False, repr=False)
class RetentionTable(Frame):
    """
    Cohort retention: of the people first active in a period, the share active k periods later.

    A :class:`~communitykit.Frame` in long form: one row per (group, cohort, offset) with the
    columns ``group``, ``cohort``, ``size`` (missing for a suppressed cohort), ``offset`` and
    ``share``; two tables are equal when their arrays are (``NaN`` equals ``NaN``).

    Attributes
    ----------
    groups
        Group labels.
    cohorts
        ``datetime64[s]`` start of each cohort period.
    sizes
        ``int64`` array ``(n_groups, n_cohorts)``: people in each cohort; ``0`` for a
        suppressed cohort, whose size is hidden with its shares (:meth:`to_records` and
        :meth:`to_pandas` show it as missing).
    shares
        ``float64`` array ``(n_groups, n_cohorts, n_offsets)``: share of the cohort active
        ``k`` periods after its first (``k = 0`` is always 1); ``NaN`` beyond the data, for
        empty cohorts and for suppressed cohorts.
    suppressed
        ``bool`` array ``(n_groups, n_cohorts)``: cohorts of at least one and fewer than
        ``min_group_size`` people, whose shares and size are hidden for privacy
        (:func:`communitykit.privacy.suppression_mask`).

    .. versionchanged:: 0.2
       A :class:`~communitykit.Frame`: ``len()`` counts the rows, ``to_pandas()`` gives the
       cohort as a UTC time and the size as a nullable integer.

    .. versionadded:: 0.1
    """

    groups: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ, hash=False)
    cohorts: npt.NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, hash=False)
    sizes: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    shares: F64 = attrs.field(eq=ARRAY_EQ, hash=False)
    suppressed: npt.NDArray[np.bool_] = attrs.field(eq=ARRAY_EQ, hash=False)

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        if self.shares.ndim != 3:
            empty = np.zeros(0, dtype=np.int64)
            return {
                "group": np.asarray(self.groups)[:0],
                "cohort": np.zeros(0, dtype="datetime64[s]"),
                "size": empty,
                "offset": empty,
                "share": np.zeros(0),
            }
        n_groups, n_cohorts, n_offsets = self.shares.shape
        return {
            "group": np.repeat(np.asarray(self.groups), n_cohorts * n_offsets),
            "cohort": np.tile(np.repeat(self.cohorts, n_offsets), n_groups),
            "size": np.repeat(self.sizes.ravel(), n_offsets).astype(np.int64),
            "offset": np.tile(np.arange(n_offsets, dtype=np.int64), n_groups * n_cohorts),
            "share": self.shares.ravel().astype(np.float64),
        }

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        offsets = self.shares.shape[-1] if self.shares.ndim == 3 else 0
        return {"size": np.repeat(np.asarray(self.suppressed, dtype=bool).ravel(), offsets)}

    def _frame_state(self) -> tuple[object, ...]:
        return (self.groups, self.cohorts, self.sizes, self.shares, self.suppressed)

    def _repr_parts(self) -> list[str]:
        return [
            f"{len(self.groups):,} groups",
            f"{len(self.cohorts):,} cohorts",
            f"{self.shares.shape[-1] if self.shares.ndim else 0} offsets",
            f"{int(self.suppressed.sum()):,} suppressed",
        ]


def retention_table(
    log: EventLog,
    *,
    by: str | None = "community",
    period: str | Period = "month",
    period_tz: str | None = None,
    offsets: int = 12,
    start: object = None,
    end: object = None,
    as_of: TimeLike | None = None,
    directory: Directory | None = None,
    include_bots: bool = False,
    min_group_size: int = MIN_GROUP_SIZE,
) -> RetentionTable:
    """
    Return the cohort retention matrix of a log.

    Parameters
    ----------
    log
        The events.
    by, period, period_tz, start, end, as_of, directory, include_bots
        As for :func:`~communitykit.kpi.compute` (``by="actor"`` is not allowed): with
        *period_tz* the cohorts are the periods of that zone's local calendar.
    offsets
        How many periods after the first to follow (columns ``0..offsets``).
    min_group_size
        Privacy threshold: a cohort of at least one and fewer than this many people is
        suppressed (its shares are ``NaN`` and :attr:`RetentionTable.suppressed` is set), as
        :func:`~communitykit.kpi.compute` suppresses small groups. ``0`` turns it off.

    Returns
    -------
    RetentionTable
        Cohort sizes and the share of each cohort active ``k`` periods after its first.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": t, "actor": a, "community": "c", "action": "post"}
    ...         for t, a in [
    ...             ("2024-01-02T00:00Z", "ana"),
    ...             ("2024-01-03T00:00Z", "bo"),
    ...             ("2024-02-02T00:00Z", "ana"),
    ...         ]
    ...     ]
    ... )
    >>> table = retention_table(log, offsets=1, min_group_size=0)
    >>> table.sizes.tolist(), table.shares[0, 0].tolist()
    ([[2, 0]], [1.0, 0.5])

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="retention_table(log=)")
    directory = as_directory(directory, where="retention_table(directory=)")
    if by == "actor":
        msg = "retention_table by='actor' makes no sense: a cohort is a group of people"
        raise ConfigError(msg)
    if offsets < 0:
        msg = f"offsets must be >= 0; got {offsets!r}"
        raise ConfigError(msg)
    check_min_group_size(min_group_size)
    facts = Facts(
        log,
        by=by,
        period=Period.parse(period, tz=period_tz),
        start=start,
        end=end,
        as_of=as_of,
        directory=directory,
        include_bots=include_bots,
    )
    n_g, n_p = facts.shape
    fl = facts.first_last
    size = np.zeros((n_g, n_p), dtype=np.int64)
    inside = fl.first_period >= 0
    np.add.at(size, (fl.group[inside], fl.first_period[inside]), 1)
    g, a, p = _period_pairs(facts)
    # first period of each triple's (group, actor): the triples are sorted by (g, a, p) like
    # first_last, so a run-index lookup maps each triple to its pair
    pair_key = fl.group * max(facts.n_actors, 1) + fl.actor
    trip_key = g * max(facts.n_actors, 1) + a
    first_p = fl.first_period[np.searchsorted(pair_key, trip_key)] if len(g) else g
    k = p - first_p
    keep = (first_p >= 0) & (k >= 0) & (k <= offsets)
    active = np.zeros((n_g, n_p, offsets + 1), dtype=np.float64)
    np.add.at(active, (g[keep], first_p[keep], k[keep]), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(size[:, :, None] > 0, active / np.maximum(size, 1)[:, :, None], np.nan)
    beyond = np.arange(n_p)[:, None] + np.arange(offsets + 1)[None, :] >= n_p
    shares[:, beyond] = np.nan
    suppressed = suppression_mask(size, min_group_size=min_group_size)
    shares[suppressed] = np.nan
    size[suppressed] = 0
    return RetentionTable(facts.groups, facts.period_starts, size, shares, suppressed)


_G = "growth"
_R = "retention"
_MEMBER_GRAINS = ("all", "community", "org_unit")
KPIS: tuple[KPI, ...] = (
    KPI(
        "new_members",
        "New members",
        new_members,
        description="People whose first activity of any kind (reading included) is in the period.",
        unit="people",
        category=_G,
        grains=_MEMBER_GRAINS,
        references=(_REF_HU,),
        formula="distinct people whose first activity in the group falls in the period",
    ),
    KPI(
        "new_contributors",
        "New contributors",
        new_contributors,
        description="People whose first contribution (post, reply, commit...) is in the period.",
        unit="people",
        category=_G,
        grains=_MEMBER_GRAINS,
        references=(_REF_NEW,),
        formula="distinct people whose first create event in the group falls in the period",
    ),
    KPI(
        "returning_members",
        "Returning members",
        returning_members,
        description="Active people who were active before the period.",
        unit="people",
        category=_R,
        grains=_MEMBER_GRAINS,
        references=(_REF_HU,),
        formula="active_members - new_members",
    ),
    KPI(
        "inactive_members",
        "Inactive members",
        inactive_members,
        description="People whose last activity of any kind is longer ago than the interval.",
        unit="people",
        direction="down",
        category=_R,
        grains=_MEMBER_GRAINS,
        params={"interval": "90D"},
        references=(_REF_VIVA,),
        formula="people whose last activity, in this period, is more than interval before as_of",
    ),
    KPI(
        "inactive_contributors",
        "Inactive contributors",
        inactive_contributors,
        description="Contributors whose last contribution is longer ago than the interval.",
        unit="people",
        direction="down",
        category=_R,
        grains=_MEMBER_GRAINS,
        params={"interval": "90D"},
        references=(_REF_INACTIVE,),
        formula="people whose last create event, in this period, is more than interval before "
        "as_of",
    ),
    KPI(
        "churn_rate",
        "Churn rate",
        churn_rate,
        description="Share of last period's active people not active this period.",
        unit="ratio",
        direction="down",
        category=_R,
        grains=_MEMBER_GRAINS,
        references=(_REF_VIVA,),
        formula="people active in p-1 but not in p / people active in p-1",
    ),
    KPI(
        "contributor_churn_rate",
        "Contributor churn rate",
        contributor_churn_rate,
        description="Share of last period's contributors who did not contribute this period.",
        unit="ratio",
        direction="down",
        category=_R,
        grains=_MEMBER_GRAINS,
        references=(_REF_INACTIVE, _REF_VIVA),
        formula="contributors of p-1 without a create event in p / contributors of p-1",
    ),
    KPI(
        "growth_rate",
        "Growth rate",
        growth_rate,
        description="New members relative to the members known before the period.",
        unit="ratio",
        category=_G,
        grains=_MEMBER_GRAINS,
        references=(_REF_HU,),
        formula="new_members / people first active before the period",
    ),
    KPI(
        "retention",
        "Retention",
        retention,
        description="Share of the period's newcomers active again 90 days after joining.",
        unit="ratio",
        category=_R,
        grains=_MEMBER_GRAINS,
        params={"window": "90D"},
        references=(_REF_VIVA,),
        formula="newcomers still active window after their first activity / newcomers judged",
    ),
)
