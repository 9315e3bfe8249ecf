"""Built-in responsiveness KPIs: how fast and how often posts get an answer."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._time import Window
from communitykit.errors import ConfigError
from communitykit.kpi._definition import ANSWERABLE, KPI, KPIValues
from communitykit.kpi._facts import Facts, FirstResponses

__all__ = [
    "KPIS",
    "group_quantile",
    "response_head_count",
    "response_rate",
    "time_to_first_response",
    "unanswered_share",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_REF_TTFR = (
    "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md"
)
_REF_IRT = "https://github.com/chaoss/wg-evolution/blob/0c30059cc7acd14c9110bccae82f96e563b386ae/focus-areas/issue-resolution/issue-response-time.md"


def _sort_by_cell(cell: I64, values: F64) -> tuple[I64, F64]:
    """Sort (cell, value) pairs; one packed integer sort when the values are whole seconds."""
    if (
        len(values)
        and np.all(values >= 0)
        and np.all(values == np.floor(values))
        and (int(cell.max()) + 1) * (int(values.max()) + 1) < 2**62
    ):
        width = int(values.max()) + 1
        key = cell.astype(np.int64) * width + values.astype(np.int64)
        key.sort()
        c, v = np.divmod(key, width)
        return c, v.astype(np.float64)
    order = np.lexsort((values, cell))
    return cell[order], values[order]


def group_quantile(cell: I64, values: F64, q: float, size: int) -> F64:
    """
    Return the *q*-quantile of *values* per cell (linear interpolation, as :func:`numpy.quantile`).

    Cells without values get ``NaN``. One sort for all cells.

    Examples
    --------
    >>> group_quantile(np.array([0, 0, 0, 2]), np.array([3.0, 1.0, 2.0, 5.0]), 0.5, 3).tolist()
    [2.0, nan, 5.0]
    """
    out = np.full(size, np.nan)
    if not len(cell):
        return out
    c, v = _sort_by_cell(cell, values)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    counts = np.diff(np.r_[starts, len(c)])
    pos = q * (counts - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, counts - 1)
    frac = pos - lo
    below, above = v[starts + lo], v[starts + hi]
    out[c[starts]] = below + (above - below) * frac
    return out


def _posts(facts: Facts, include_reactions: bool, direct_only: bool) -> tuple[FirstResponses, I64]:
    r = facts.responses(include_reactions=include_reactions, direct_only=direct_only)
    return r, facts.cells(r.group, r.period)


def _distinct_per_cell(facts: Facts, cells: I64, actors: I64) -> I64:
    """Distinct *actors* per cell."""
    if not len(cells):
        return np.zeros(facts.shape, dtype=np.int64)
    width = max(facts.n_actors, 1)
    key = _numeric.unique(cells * width + actors)
    return facts.per_cell(key // width).astype(np.int64)


def response_head_count(facts: Facts, r: FirstResponses, cells: I64) -> I64:
    """
    Return the people a responsiveness value rests on, per cell: ``n`` of the response KPIs.

    A value built on first responses rests on two groups of people: the posts' authors and
    the people who answered first. ``n`` is the smaller of the two -- six posts all answered
    by one moderator rest on one responder -- and the number of authors when no post of the
    cell was answered (then no responder's behaviour is in the value).

    Examples
    --------
    >>> log = ck.EventLog.from_columns(
    ...     time=[f"2024-01-0{d}T09:00Z" for d in range(1, 7)] * 2,
    ...     actor=["ana", "bo", "cy", "di", "ed", "fay"] + ["mod"] * 6,
    ...     community=["wol"] * 12,
    ...     action=["post"] * 6 + ["reply"] * 6,
    ...     parent=[-1] * 6 + [0, 1, 2, 3, 4, 5],
    ... )
    >>> facts = Facts(log)
    >>> r = facts.responses()
    >>> response_head_count(facts, r, facts.cells(r.group, r.period)).tolist()
    [[1]]
    """
    answered = r.responder >= 0
    authors = _distinct_per_cell(facts, cells, r.author)
    responders = _distinct_per_cell(facts, cells[answered], r.responder[answered])
    out: I64 = np.where(responders > 0, np.minimum(authors, responders), authors)
    return out


def time_to_first_response(
    facts: Facts,
    *,
    quantile: float = 0.5,
    include_reactions: bool = False,
    direct_only: bool = False,
) -> KPIValues:
    """
    Return the quantile (default median) of hours from a post to its first response.

    Parameters
    ----------
    quantile
        Which quantile of the latencies, in ``[0, 1]`` (0.5: median).
    include_reactions
        Count ``interact`` events (likes, votes) as responses too; by default only replies.
    direct_only
        Count only direct replies to the post; by default a response anywhere in the thread
        below the post counts (a reply to the author's own follow-up, a nested reply).

    Notes
    -----
    For every post (a ``create`` event without a parent) in the period, the latency is
    ``t(first response by someone other than the author) - t(post)`` in hours, where a
    response is a ``create`` event anywhere in the post's thread (the thread root is found
    by following ``parent``), as CHAOSS defines it; bots are excluded (Directory role
    ``bot``). Posts never answered up to ``as_of`` are left out (see
    :func:`unanswered_share`). ``NaN`` when no post of the period was answered. ``n`` is the
    smaller of the distinct post authors and the distinct first responders
    (:func:`response_head_count`): six posts all answered by one moderator rest on one
    person.

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    * CHAOSS, "Issue Response Time", https://github.com/chaoss/wg-evolution/blob/0c30059cc7acd14c9110bccae82f96e563b386ae/focus-areas/issue-resolution/issue-response-time.md
    """
    if not 0 <= quantile <= 1:
        msg = f"time_to_first_response: quantile={quantile!r}; expected a value in [0, 1]"
        raise ConfigError(msg)
    r, cells = _posts(facts, include_reactions, direct_only)
    answered = ~np.isnan(r.latency)
    size = facts.n_groups * facts.n_periods
    q = group_quantile(cells[answered], r.latency[answered], quantile, size) / 3600.0
    return KPIValues(q.reshape(facts.shape), response_head_count(facts, r, cells))


def response_rate(
    facts: Facts,
    *,
    window: str = "24h",
    include_reactions: bool = False,
    direct_only: bool = False,
) -> KPIValues:
    """
    Return the share of posts answered by someone else within *window*.

    Parameters
    ----------
    window
        How soon the first response must come (``"24h"``, ``"2D"``...).
    include_reactions
        Count ``interact`` events as responses too.
    direct_only
        Count only direct replies to the post; by default a response anywhere in the thread
        below the post counts.

    Notes
    -----
    ``|{posts with latency <= window}| / |posts|`` over the posts of the period, with the
    first response found in the whole thread as for :func:`time_to_first_response`; ``NaN``
    without posts. ``n`` is the smaller of the distinct post authors and the distinct first
    responders (:func:`response_head_count`).

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    """
    seconds = Window.parse(window).seconds
    r, cells = _posts(facts, include_reactions, direct_only)
    fast = r.latency <= seconds
    total = facts.per_cell(cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(total > 0, facts.per_cell(cells[fast]) / np.maximum(total, 1), np.nan)
    return KPIValues(value, response_head_count(facts, r, cells))


def unanswered_share(
    facts: Facts, *, include_reactions: bool = False, direct_only: bool = False
) -> KPIValues:
    """
    Return the share of posts nobody else has answered (up to ``as_of``).

    Parameters
    ----------
    include_reactions
        Count ``interact`` events as responses too.
    direct_only
        Count only direct replies to the post; by default a response anywhere in the thread
        below the post counts.

    Notes
    -----
    ``|{posts without a response by another person anywhere in their thread}| / |posts|``;
    ``NaN`` without posts. ``n`` is the smaller of the distinct post authors and the
    distinct first responders (:func:`response_head_count`).

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    """
    r, cells = _posts(facts, include_reactions, direct_only)
    total = facts.per_cell(cells)
    open_ = np.isnan(r.latency)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(total > 0, facts.per_cell(cells[open_]) / np.maximum(total, 1), np.nan)
    return KPIValues(value, response_head_count(facts, r, cells))


_R = "responsiveness"
KPIS: tuple[KPI, ...] = (
    KPI(
        "time_to_first_response",
        "Time to first response",
        time_to_first_response,
        description="Median hours from a post to the first response by someone else in its thread.",
        needs=ANSWERABLE,
        unit="hours",
        direction="down",
        category=_R,
        params={"quantile": 0.5, "include_reactions": False, "direct_only": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
            "https://github.com/chaoss/wg-evolution/blob/0c30059cc7acd14c9110bccae82f96e563b386ae/focus-areas/issue-resolution/issue-response-time.md",
        ),
        formula="quantile of hours from a post to the first reply by someone else in its thread",
    ),
    KPI(
        "response_rate",
        "Response rate",
        response_rate,
        description="Share of posts answered by someone else (in the thread) within 24 hours.",
        needs=ANSWERABLE,
        unit="ratio",
        category=_R,
        params={"window": "24h", "include_reactions": False, "direct_only": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
        ),
        formula="posts answered by someone else in the thread within window / posts",
    ),
    KPI(
        "unanswered_share",
        "Unanswered posts",
        unanswered_share,
        description="Share of posts that nobody else answered.",
        needs=ANSWERABLE,
        unit="ratio",
        direction="down",
        category=_R,
        params={"include_reactions": False, "direct_only": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
        ),
        formula="posts never answered by someone else (anywhere in the thread) / posts",
    ),
)
