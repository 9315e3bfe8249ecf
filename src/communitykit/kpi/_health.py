"""
Built-in health KPIs: six factors and an index *inspired by* the Lithium Community Health Index.

The published Lithium/Khoros Community Health Index (CHI) names six factors and, in a later
revision, quantile-normalises them; its exact formula and weights were never published. This
module implements the documented recipe -- raw factor → percentile across groups → weighted
mean x 1000 -- and does not claim to reproduce the proprietary index.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError
from communitykit.kpi._definition import ANSWERABLE, KPI, KPIValues
from communitykit.kpi._facts import CONSUME, CREATE, INTERACT, Facts

__all__ = [
    "FACTORS",
    "KPIS",
    "health_content",
    "health_index",
    "health_interaction",
    "health_liveliness",
    "health_members",
    "health_responsiveness",
    "health_traffic",
    "percentile_scores",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

FACTORS: Final[tuple[str, ...]] = (
    "health_members",
    "health_content",
    "health_traffic",
    "health_responsiveness",
    "health_interaction",
    "health_liveliness",
)
"""The six factor KPIs of :func:`health_index`, in weight order."""

_REF_CHI = "https://thomasknoll.info/community-health-index/"
_REF_CHI2 = (
    "https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index"
)


def _mean(total: F64, count: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


def health_members(facts: Facts) -> KPIValues:
    """
    Return the members at the end of the period: everyone ever seen in the group so far.

    Notes
    -----
    ``|{people with any event (joining included) in the group before the period end}|``,
    history before *start* included. The "Members" factor (growth). ``n`` is the value:
    the count rests on those members.

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    s = facts.sorted
    if not len(s.group):
        return KPIValues(facts.zeros(), np.zeros(facts.shape, dtype=np.int64))
    new = np.r_[True, (s.group[1:] != s.group[:-1]) | (s.actor[1:] != s.actor[:-1])]
    g, p = s.group[new], s.period[new]
    history = np.bincount(g[p < 0], minlength=facts.n_groups).astype(np.float64)
    inside = p >= 0
    firsts = facts.per_cell(facts.cells(g[inside], p[inside]))
    members = history[:, None] + np.cumsum(firsts, axis=1)
    return KPIValues(members, members.astype(np.int64))


def health_content(facts: Facts) -> KPIValues:
    """
    Return the period's posts weighted by how often they were viewed.

    Notes
    -----
    ``Σ_{posts in the period} (1 + views of the post)``, where a view is a ``consume``
    event whose parent is the post (up to ``as_of``). The "Content" factor (useful).

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    log = facts.log
    views_of = np.zeros(len(log))
    viewed = np.flatnonzero((log.kind == CONSUME) & (log.parent >= 0) & facts.valid)
    np.add.at(views_of, log.parent[viewed], 1.0)
    posters = facts.distinct_actors_of(facts.is_post)
    return KPIValues(facts.count(facts.is_post, weights=1.0 + views_of), posters)


def health_traffic(facts: Facts) -> KPIValues:
    """
    Return the traffic: ``consume`` events (views, reads, attendance) in the period.

    Notes
    -----
    Bots are excluded (the CHI discounts crawlers). The "Traffic" factor (popular).

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    * Lithium, "What's new in Lithium's Community Health Index", https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index
    """
    return KPIValues(facts.count(kinds=("consume",)), facts.distinct_actors(("consume",)))


def health_responsiveness(facts: Facts) -> KPIValues:
    """
    Return the mean hours between successive contributions within a thread.

    Notes
    -----
    For every ``create`` event in a thread after its first, the gap to the previous
    ``create`` event of the same thread (:attr:`~communitykit.kpi.Facts.thread_root`); the gap
    belongs to the period of the later event. Events on or below a parent cycle belong to no
    thread and are left out. Lower is better. ``NaN`` without any such gap. The
    "Responsiveness" factor.

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    * M. Marotta, "Online Community Health Index" (benchmarks), http://massmarotta.com/online-community-health-index/
    """
    log = facts.log
    rows = np.flatnonzero((log.kind == CREATE) & facts.valid & (facts.thread_root >= 0))
    if not len(rows):
        return KPIValues(facts.nans(), facts.n_active)
    root = facts.thread_root[rows]
    order = np.lexsort((rows, root))  # rows are in time order
    r, rt = rows[order], root[order]
    later = np.flatnonzero(rt[1:] == rt[:-1]) + 1
    gaps = (log.time[r[later]] - log.time[r[later - 1]]).astype(np.int64) / 3600.0
    ev = r[later]
    keep = facts.in_range[ev]
    cells = facts.cells(facts.event_group[ev[keep]], facts.event_period[ev[keep]])
    value = _mean(facts.per_cell(cells, gaps[keep]), facts.per_cell(cells))
    return KPIValues(value, facts.n_active)


def health_interaction(facts: Facts) -> KPIValues:
    """
    Return the mean number of distinct participants per thread active in the period.

    Notes
    -----
    A thread is active in a period if one of its events (``interact`` or ``create``) falls
    in it; its participants are the distinct people behind those events. Events on or below
    a parent cycle belong to no thread and are left out. ``NaN`` without an active thread.
    The "Interaction" factor (interactive).

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    log = facts.log
    kinds = (log.kind == CREATE) | (log.kind == INTERACT)
    rows = np.flatnonzero(kinds & facts.in_range & (facts.thread_root >= 0))
    if not len(rows):
        return KPIValues(facts.nans(), facts.n_active)
    root = facts.thread_root[rows]
    cell = facts.cells(facts.event_group[rows], facts.event_period[rows])
    key = np.lexsort((log.actor[rows], root, cell))
    c, rt, a = cell[key], root[key], log.actor[rows][key]
    thread_new = np.r_[True, (c[1:] != c[:-1]) | (rt[1:] != rt[:-1])]
    person_new = thread_new | np.r_[True, a[1:] != a[:-1]]
    return KPIValues(
        _mean(facts.per_cell(c[person_new]), facts.per_cell(c[thread_new])), facts.n_active
    )


def health_liveliness(facts: Facts) -> KPIValues:
    """
    Return the contributions (``create`` events) per week of the period.

    Notes
    -----
    ``creates / (observed days of the period / 7)``; the Lithium benchmark is about 50 posts
    per forum per week. Observed days are the calendar days the span from *start* (default:
    the first event) to ``as_of`` (default: just after the last event) overlaps
    (:attr:`~communitykit.kpi.Facts.period_days`), the same rule at both ends of the range as
    for ``dau``, ``wau`` and ``mau``. 0 for an empty period. The "Liveliness" factor
    (lively). ``n`` is the number of distinct people behind the ``create`` events.

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    * M. Marotta, "Online Community Health Index" (benchmarks), http://massmarotta.com/online-community-health-index/
    """
    weeks = facts.period_days / 7.0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(
            weeks > 0, facts.count(kinds=("create",)) / np.where(weeks > 0, weeks, 1), 0.0
        )
    return KPIValues(value, facts.distinct_actors(("create",)))


def percentile_scores(values: npt.ArrayLike, *, higher_is_better: bool = True) -> F64:
    """
    Return each group's percentile among the groups, per period (column), in ``[0, 1]``.

    The percentile is ``(below + equal / 2) / count`` over the finite values of the column
    (mid-rank, so ties share a score and a single group scores 0.5). ``NaN`` stays ``NaN``.

    References
    ----------
    * Lithium, "What's new in Lithium's Community Health Index", https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index

    Examples
    --------
    >>> percentile_scores([[1.0], [2.0], [3.0], [np.nan]]).ravel().tolist()
    [0.16666666666666666, 0.5, 0.8333333333333334, nan]
    """
    x = np.asarray(values, dtype=np.float64)
    if not higher_is_better:
        x = -x
    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        ok = np.isfinite(col)
        v = np.sort(col[ok])
        if not len(v):
            continue
        below = np.searchsorted(v, col[ok], side="left")
        upto = np.searchsorted(v, col[ok], side="right")
        out[ok, j] = (below + (upto - below) / 2.0) / len(v)
    return out


def health_index(facts: Facts, *, weights: tuple[float, ...] = (1.0,) * 6) -> KPIValues:
    """
    Return a 0-1000 community health index inspired by the Lithium Community Health Index.

    Parameters
    ----------
    weights
        Weights of the six factors in the order of :data:`FACTORS` (equal by default).

    Notes
    -----
    For each period, each factor of :data:`FACTORS` is turned into a percentile among the
    groups active in that period (:func:`percentile_scores`; responsiveness reversed, as
    lower is better); the index is ``1000 x Σ w_f · pct_f / Σ w_f`` over the factors
    defined for the group (weights renormalised when a factor is ``NaN``). A single active
    group scores 500. ``NaN`` for a group without activity in the period. *Inspired by*, not
    the proprietary CHI (whose formula is unpublished). Not group-local: it ranks groups
    against each other.

    References
    ----------
    * Lithium Community Health Index factors, https://thomasknoll.info/community-health-index/
    * Lithium, "What's new in Lithium's Community Health Index", https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (len(FACTORS),) or (w < 0).any() or w.sum() <= 0:
        msg = f"health_index: weights={weights!r}; expected six non-negative numbers, not all 0"
        raise ConfigError(msg)
    active = facts.n_active > 0
    total = facts.zeros()
    weight = facts.zeros()
    for wf, factor in zip(w, FACTORS, strict=True):
        raw = facts.kpi(factor).value.copy()
        raw[~active] = np.nan
        pct = percentile_scores(raw, higher_is_better=factor != "health_responsiveness")
        ok = np.isfinite(pct)
        total[ok] += wf * pct[ok]
        weight[ok] += wf
    value = np.where(active & (weight > 0), 1000.0 * total / np.maximum(weight, 1e-300), np.nan)
    return KPIValues(value, facts.n_active)


_H = "health"
_GR = ("all", "community", "org_unit")
KPIS: tuple[KPI, ...] = (
    KPI(
        "health_members",
        "Health: members",
        health_members,
        description="People seen in the group up to the period end (CHI factor 'members').",
        unit="people",
        category=_H,
        grains=_GR,
        references=("https://thomasknoll.info/community-health-index/",),
        formula="people with any event in the group before the period end",
    ),
    KPI(
        "health_content",
        "Health: content",
        health_content,
        description="Posts weighted by their views (CHI factor 'content').",
        unit="score",
        category=_H,
        grains=_GR,
        references=("https://thomasknoll.info/community-health-index/",),
        formula="Σ over the period's posts of (1 + views of the post)",
    ),
    KPI(
        "health_traffic",
        "Health: traffic",
        health_traffic,
        description="Views, reads and attendance (CHI factor 'traffic').",
        needs=("consume",),
        unit="events",
        category=_H,
        grains=_GR,
        references=(
            "https://thomasknoll.info/community-health-index/",
            "https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index",
        ),
        formula="count of consume events, bots excluded",
    ),
    KPI(
        "health_responsiveness",
        "Health: responsiveness",
        health_responsiveness,
        description="Mean hours between successive contributions in a thread (CHI factor).",
        needs=ANSWERABLE,
        unit="hours",
        direction="down",
        category=_H,
        grains=_GR,
        references=(
            "https://thomasknoll.info/community-health-index/",
            "http://massmarotta.com/online-community-health-index/",
        ),
        formula="mean hours between successive create events of a thread",
    ),
    KPI(
        "health_interaction",
        "Health: interaction",
        health_interaction,
        description="Distinct participants per active thread (CHI factor 'interaction').",
        needs=ANSWERABLE,
        unit="people",
        category=_H,
        grains=_GR,
        references=("https://thomasknoll.info/community-health-index/",),
        formula="mean distinct participants per thread active in the period",
    ),
    KPI(
        "health_liveliness",
        "Health: liveliness",
        health_liveliness,
        description="Contributions per week (CHI factor 'liveliness').",
        unit="events",
        category=_H,
        grains=_GR,
        references=(
            "https://thomasknoll.info/community-health-index/",
            "http://massmarotta.com/online-community-health-index/",
        ),
        formula="create events / (observed days of the period / 7)",
    ),
    KPI(
        "health_index",
        "Health index (CHI-inspired)",
        health_index,
        description="Percentile-normalised, weighted mean of the six health factors, 0-1000.",
        unit="score",
        category=_H,
        grains=_GR,
        params={"weights": (1.0,) * 6},
        references=(
            "https://thomasknoll.info/community-health-index/",
            "https://www.lithium.com/resources/white-papers/whats-new-in-lithiums-community-health-index",
        ),
        formula="1000 · weighted mean of the six health factors' percentiles among the groups",
    ),
)
