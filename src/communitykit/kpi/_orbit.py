"""Built-in Orbit-model KPIs: member love, orbit levels and community gravity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._numeric import ARRAY_EQ
from communitykit._parallel import map_threads
from communitykit._time import Period, Window, wall_time
from communitykit.errors import ConfigError
from communitykit.kpi._definition import KPI, KPIValues
from communitykit.kpi._facts import DAY, MEMBERSHIP, Facts

__all__ = [
    "KPIS",
    "LEVEL_NAMES",
    "Levels",
    "gravity",
    "gravity_series",
    "love",
    "orbit_level",
    "orbit_levels",
    "weighted_commitment",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

LEVEL_NAMES: Final[dict[int, str]] = {
    1: "Leading",
    2: "Contributing",
    3: "Participating",
    4: "Exploring",
}
"""Orbit levels: 1 is the innermost orbit (leaders), 4 the outermost (explorers)."""

_REF_LEVELS = "https://github.com/orbit-love/orbit-model/blob/9a1badb9e6c83abbf2d53ede30574b98f531a665/pages/love/orbit-levels.mdx"
_REF_LOVE = "https://github.com/orbit-love/orbit-model/blob/5e5c2e8fac5ca53d8ca01281d53ca6ff31101507/pages/love.mdx"
_REF_GRAVITY = (
    "https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/"
    "pages/gravity/measure.mdx"
)

# level by kind index: consume -> Exploring, interact -> Participating, create -> Contributing
_KIND_LEVEL: Final = np.array([4, 3, 2, 4], dtype=np.int64)
# presence milestones: (level, bucket, days per bucket)
_MILESTONES: Final = ((3, "week", 2), (2, "month", 7), (1, "quarter", 30))


def weighted_commitment(counts: Sequence[float], weights: Sequence[float] = (1, 4, 7, 10)) -> float:
    """
    Return Orbit's weighted commitment ``Σ weight(level)² x members(level)``.

    *counts* and *weights* run from the outermost level (Exploring) to the innermost (Leading).

    References
    ----------
    * Orbit Model, "Measure gravity", https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/pages/gravity/measure.mdx

    Examples
    --------
    >>> weighted_commitment([17, 8, 4, 1])
    441.0
    """
    c = np.asarray(counts, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if c.shape != w.shape:
        msg = f"got {len(c)} level counts for {len(w)} weights; give one count per level"
        raise ConfigError(msg)
    return float((w**2 * c).sum())


def gravity_series(
    counts: Sequence[Sequence[float]], weights: Sequence[float] = (1, 4, 7, 10)
) -> list[float]:
    """
    Return Orbit gravity between consecutive periods: ``Δ weighted commitment / members``.

    *counts* holds, per period, the members per level (outermost first). The result has one
    value fewer than *counts*; members are those of the later period.

    References
    ----------
    * Orbit Model, "Measure gravity", https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/pages/gravity/measure.mdx

    Examples
    --------
    >>> gravity_series([[17, 8, 4, 1], [15, 9, 5, 1], [12, 10, 6, 2]])
    [2.1, 5.4]
    """
    totals = [weighted_commitment(c, weights) for c in counts]
    members = [float(np.sum(c)) for c in counts]
    return [
        round((totals[i] - totals[i - 1]) / members[i], 10) if members[i] else float("nan")
        for i in range(1, len(counts))
    ]


@attrs.frozen
class Levels:
    """
    Orbit levels of the members of every group at the end of every period.

    Attributes
    ----------
    group, actor, period
        ``int64`` codes of each (member, period-end) row.
    level
        ``int64`` orbit level 1 (Leading) ... 4 (Exploring).
    love
        ``float64`` love: active days in the look-back, each weighted by the day's highest
        commitment (consume 1, interact 2, create 3).
    """

    group: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    actor: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    period: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    level: I64 = attrs.field(eq=ARRAY_EQ, hash=False)
    love: F64 = attrs.field(eq=ARRAY_EQ, hash=False)


def orbit_levels(facts: Facts, *, lookback: str = "365D") -> Levels:
    """
    Return every member's Orbit level and love at each period end (and at the range start,
    as period ``-1``).

    A member is anyone active in the look-back window before the instant. The level is the
    innermost of (a) the activity level -- ``consume`` → 4 Exploring, ``interact`` → 3
    Participating, ``create`` → 2 Contributing -- and (b) the presence milestones -- 2 active
    days in an ISO week → 3, 7 active days in a calendar month → 2, 30 active days in a
    quarter → 1 Leading. Days, weeks, months and quarters are those of the computation's
    calendar (``period_tz``); the look-back is a window of elapsed time, the same in every
    zone. Cached per call.

    References
    ----------
    * Orbit Model, "Orbit levels", https://github.com/orbit-love/orbit-model/blob/9a1badb9e6c83abbf2d53ede30574b98f531a665/pages/love/orbit-levels.mdx
    * Orbit Model, "Love", https://github.com/orbit-love/orbit-model/blob/5e5c2e8fac5ca53d8ca01281d53ca6ff31101507/pages/love.mdx
    """
    key = ("orbit_levels", lookback)
    if key in facts._memo:  # noqa: SLF001 - the facts cache is shared by the engine's KPIs
        return facts._memo[key]  # type: ignore[no-any-return]  # noqa: SLF001
    result = _levels(facts, Window.parse(lookback).seconds)
    facts._memo[key] = result  # noqa: SLF001
    return result


def _levels(facts: Facts, lookback: int) -> Levels:
    s = facts.sorted
    active = s.kind != MEMBERSHIP
    g, a, t = s.group[active].astype(np.int64), s.actor[active], s.time[active]
    k = s.kind[active].astype(np.int64)
    e = np.zeros(0, dtype=np.int64)
    empty = Levels(e, e, e, e, np.zeros(0))
    if not len(g) or facts.start is None:
        return empty
    tz = facts.period.tz
    local = not facts.period.is_utc
    if local:  # days, weeks, months and quarters of the local calendar (period_tz)
        t = wall_time(t.astype("datetime64[s]"), tz).view(np.int64)
    day = t // DAY
    new = np.r_[True, (g[1:] != g[:-1]) | (a[1:] != a[:-1]) | (day[1:] != day[:-1])]
    starts = np.flatnonzero(new)
    dg, da, dd = g[starts], a[starts], day[starts]
    dk = np.maximum.reduceat(k, starts)  # highest kind of the day (create > interact > consume)
    # the floor of each day of the span, read per active day (not computed per active day)
    d0 = int(dd.min())
    span = np.arange(d0, int(dd.max()) + 1).astype("datetime64[D]").astype("datetime64[s]")
    offset = dd - d0
    buckets = {
        name: Period(name).floor(span).view(np.int64)[offset]
        for name in ("week", "month", "quarter")
    }
    weight = np.array([1.0, 2.0, 3.0, 0.0])[dk]
    start_s = int(facts.start.astype(np.int64))
    ends = np.minimum(facts.period_ends, facts._observed_end).view(np.int64)  # noqa: SLF001
    if local:
        start_s = int(wall_time(np.array([start_s], dtype="datetime64[s]"), tz).view(np.int64)[0])
        ends = wall_time(ends.astype("datetime64[s]"), tz).view(np.int64)
    instants = [(-1, start_s), *((i, int(e)) for i, e in enumerate(ends))]
    n_act = max(facts.n_actors, 1)

    def at(item: tuple[int, int]) -> tuple[I64, I64, I64, I64, F64] | None:
        p, instant = item
        hi = (instant - 1) // DAY + 1  # days strictly before the instant
        lo = (instant - lookback) // DAY
        sel = np.flatnonzero((dd >= lo) & (dd < hi))
        if not len(sel):
            return None
        pair = dg[sel] * n_act + da[sel]  # sorted: days are sorted by (g, a, day)
        pstart = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        level = np.minimum.reduceat(_KIND_LEVEL[dk[sel]], pstart)
        love_v = np.add.reduceat(weight[sel], pstart)
        for milestone, bucket, days in _MILESTONES:
            b = buckets[bucket][sel]
            run = np.flatnonzero(np.r_[True, (pair[1:] != pair[:-1]) | (b[1:] != b[:-1])])
            lengths = np.diff(np.r_[run, len(sel)])
            hit = run[lengths >= days]
            if len(hit):
                owner = np.searchsorted(pstart, hit, side="right") - 1
                level[owner] = np.minimum(level[owner], milestone)
        first = sel[pstart]
        return dg[first], da[first], np.full(len(pstart), p), level, love_v

    # the instants are independent: they run over the threads the computation may use
    parts = [part for part in map_threads(at, instants) if part is not None]
    if not parts:
        return empty
    return Levels(
        np.concatenate([part[0] for part in parts]),
        np.concatenate([part[1] for part in parts]),
        np.concatenate([part[2] for part in parts]),
        np.concatenate([part[3] for part in parts]),
        np.concatenate([part[4] for part in parts]),
    )


def gravity(
    facts: Facts, *, lookback: str = "365D", weights: tuple[float, ...] = (1.0, 4.0, 7.0, 10.0)
) -> KPIValues:
    """
    Return Orbit gravity: the change in weighted commitment per member over the period.

    Parameters
    ----------
    lookback
        Look-back window that makes someone a member (Orbit default: one year).
    weights
        Level weights from Exploring (4) to Leading (1); Orbit uses 1, 4, 7, 10.

    Notes
    -----
    At each period end, ``WC = Σ_levels weight(level)² x members(level)`` over the members
    (see :func:`orbit_levels`); ``gravity(p) = (WC(end of p) - WC(end of p-1)) / members(end
    of p)``, with the range start as the end of the period before the first. Orbit's worked
    example, 441 → 504 → 666 with 30 members, gives +2.1 and +5.4. ``NaN`` for a group
    without members at the period end.

    References
    ----------
    * Orbit Model, "Measure gravity", https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/pages/gravity/measure.mdx
    """
    if len(weights) != 4:
        msg = f"gravity: weights={weights!r}; expected four level weights (Exploring .. Leading)"
        raise ConfigError(msg)
    lv = orbit_levels(facts, lookback=lookback)
    w2 = np.array([0.0, *reversed([float(x) ** 2 for x in weights])])  # index by level 1..4
    n_g, n_p = facts.shape
    wc = np.zeros((n_g, n_p + 1))
    members = np.zeros((n_g, n_p + 1), dtype=np.int64)
    np.add.at(wc, (lv.group, lv.period + 1), w2[lv.level])
    np.add.at(members, (lv.group, lv.period + 1), 1)
    delta = wc[:, 1:] - wc[:, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(members[:, 1:] > 0, delta / np.maximum(members[:, 1:], 1), np.nan)
    return KPIValues(value, members[:, 1:])


def love(facts: Facts, *, lookback: str = "365D") -> KPIValues:
    """
    Return Orbit love: presence weighted by commitment over the look-back window.

    Parameters
    ----------
    lookback
        Look-back window (Orbit default: one year).

    Notes
    -----
    Per member at the period end: ``Σ`` over active days in the look-back of the day's
    highest commitment weight (``consume`` 1, ``interact`` 2, ``create`` 3) -- frequency and
    recency through the window, commitment through the weight. For a community the value is
    the members' mean love; per person (``by="actor"``) the person's love. ``NaN`` without
    members.

    References
    ----------
    * Orbit Model, "Love", https://github.com/orbit-love/orbit-model/blob/5e5c2e8fac5ca53d8ca01281d53ca6ff31101507/pages/love.mdx
    """
    lv = orbit_levels(facts, lookback=lookback)
    keep = lv.period >= 0
    cells = facts.cells(lv.group[keep], lv.period[keep])
    total = facts.per_cell(cells, lv.love[keep])
    members = facts.per_cell(cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(members > 0, total / np.maximum(members, 1), np.nan)
    return KPIValues(value, members.astype(np.int64))


def orbit_level(facts: Facts, *, lookback: str = "365D") -> KPIValues:
    """
    Return each person's Orbit level (1 Leading ... 4 Exploring) at the period end.

    Notes
    -----
    Person level only (``by="actor"``); see :func:`orbit_levels` for the placement rule.
    ``NaN`` when the person is not a member (inactive for the whole look-back).

    References
    ----------
    * Orbit Model, "Orbit levels", https://github.com/orbit-love/orbit-model/blob/9a1badb9e6c83abbf2d53ede30574b98f531a665/pages/love/orbit-levels.mdx
    """
    lv = orbit_levels(facts, lookback=lookback)
    keep = lv.period >= 0
    value = facts.nans()
    value[lv.group[keep], lv.period[keep]] = lv.level[keep]
    return KPIValues(value, (~np.isnan(value)).astype(np.int64))


_O = "health"
KPIS: tuple[KPI, ...] = (
    KPI(
        "gravity",
        "Orbit gravity",
        gravity,
        description="Change in weighted commitment per member (Orbit model).",
        unit="score",
        category="growth",
        grains=("all", "community", "org_unit"),
        params={"lookback": "365D", "weights": (1.0, 4.0, 7.0, 10.0)},
        references=(
            "https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/pages/gravity/measure.mdx",
        ),
        formula="Δ Σ_levels weight(level)² · members(level) over the period / members",
    ),
    KPI(
        "love",
        "Orbit love",
        love,
        description="Active days in the last year weighted by commitment; members' mean.",
        unit="score",
        category="participation",
        params={"lookback": "365D"},
        references=(
            "https://github.com/orbit-love/orbit-model/blob/5e5c2e8fac5ca53d8ca01281d53ca6ff31101507/pages/love.mdx",
        ),
        formula="members' mean of Σ_active days in the look-back of the day's weight (1, 2, 3)",
    ),
    KPI(
        "orbit_level",
        "Orbit level",
        orbit_level,
        description="A person's Orbit level: 1 Leading ... 4 Exploring.",
        unit="level",
        direction="down",
        category="participation",
        grains=("actor",),
        params={"lookback": "365D"},
        references=(
            "https://github.com/orbit-love/orbit-model/blob/9a1badb9e6c83abbf2d53ede30574b98f531a665/pages/love/orbit-levels.mdx",
        ),
        formula="innermost of activity level and presence milestone (1 Leading .. 4 Exploring)",
    ),
)
