"""Built-in responsiveness KPIs: how fast and how often posts get an answer."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from communitykit._time import Window
from communitykit.errors import ConfigError
from communitykit.kpi._definition import KPI, KPIValues
from communitykit.kpi._facts import Facts, Responses

__all__ = [
    "KPIS",
    "group_quantile",
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


def _posts(facts: Facts, include_reactions: bool) -> tuple[Responses, I64]:
    r = facts.responses(include_reactions=include_reactions)
    return r, facts.cells(r.group, r.period)


def _poster_counts(facts: Facts, r: Responses, cells: I64) -> I64:
    """Distinct post authors per cell (the people a responsiveness value rests on)."""
    if not len(cells):
        return np.zeros(facts.shape, dtype=np.int64)
    key = np.sort(cells * max(facts.n_actors, 1) + r.author)
    new = np.r_[True, key[1:] != key[:-1]]
    return facts.per_cell(key[new] // max(facts.n_actors, 1)).astype(np.int64)


def time_to_first_response(
    facts: Facts, *, quantile: float = 0.5, include_reactions: bool = False
) -> KPIValues:
    """
    Return the quantile (default median) of hours from a post to its first response.

    Parameters
    ----------
    quantile
        Which quantile of the latencies, in ``[0, 1]`` (0.5: median).
    include_reactions
        Count ``interact`` events (likes, votes) as responses too; by default only replies.

    Notes
    -----
    For every post (a ``create`` event without a parent) in the period, the latency is
    ``t(first reply by someone other than the author) - t(post)`` in hours; bots are excluded
    (Directory role ``bot``). Posts never answered up to ``as_of`` are left out (see
    :func:`unanswered_share`). ``NaN`` when no post of the period was answered. ``n`` is the
    number of distinct post authors.

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    * CHAOSS, "Issue Response Time", https://github.com/chaoss/wg-evolution/blob/0c30059cc7acd14c9110bccae82f96e563b386ae/focus-areas/issue-resolution/issue-response-time.md
    """
    if not 0 <= quantile <= 1:
        msg = f"time_to_first_response: quantile={quantile!r}; expected a value in [0, 1]"
        raise ConfigError(msg)
    r, cells = _posts(facts, include_reactions)
    answered = ~np.isnan(r.latency)
    size = facts.n_groups * facts.n_periods
    q = group_quantile(cells[answered], r.latency[answered], quantile, size) / 3600.0
    return KPIValues(q.reshape(facts.shape), _poster_counts(facts, r, cells))


def response_rate(
    facts: Facts, *, window: str = "24h", include_reactions: bool = False
) -> KPIValues:
    """
    Return the share of posts answered by someone else within *window*.

    Parameters
    ----------
    window
        How soon the first response must come (``"24h"``, ``"2D"``...).
    include_reactions
        Count ``interact`` events as responses too.

    Notes
    -----
    ``|{posts with latency <= window}| / |posts|`` over the posts of the period; ``NaN``
    without posts. ``n`` is the number of distinct post authors.

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    """
    seconds = Window.parse(window).seconds
    r, cells = _posts(facts, include_reactions)
    fast = r.latency <= seconds
    total = facts.per_cell(cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(total > 0, facts.per_cell(cells[fast]) / np.maximum(total, 1), np.nan)
    return KPIValues(value, _poster_counts(facts, r, cells))


def unanswered_share(facts: Facts, *, include_reactions: bool = False) -> KPIValues:
    """
    Return the share of posts nobody else has answered (up to ``as_of``).

    Notes
    -----
    ``|{posts without a response by another person}| / |posts|``; ``NaN`` without posts.

    References
    ----------
    * CHAOSS, "Time to First Response", https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md
    """
    r, cells = _posts(facts, include_reactions)
    total = facts.per_cell(cells)
    open_ = np.isnan(r.latency)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(total > 0, facts.per_cell(cells[open_]) / np.maximum(total, 1), np.nan)
    return KPIValues(value, _poster_counts(facts, r, cells))


_R = "responsiveness"
KPIS: tuple[KPI, ...] = (
    KPI(
        "time_to_first_response",
        "Time to first response",
        time_to_first_response,
        description="Median hours from a post to the first reply by someone else.",
        unit="hours",
        direction="down",
        category=_R,
        params={"quantile": 0.5, "include_reactions": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
            "https://github.com/chaoss/wg-evolution/blob/0c30059cc7acd14c9110bccae82f96e563b386ae/focus-areas/issue-resolution/issue-response-time.md",
        ),
        formula="quantile of hours from a post to its first reply by someone else",
    ),
    KPI(
        "response_rate",
        "Response rate",
        response_rate,
        description="Share of posts answered by someone else within 24 hours.",
        unit="ratio",
        category=_R,
        params={"window": "24h", "include_reactions": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
        ),
        formula="posts answered by someone else within window / posts",
    ),
    KPI(
        "unanswered_share",
        "Unanswered posts",
        unanswered_share,
        description="Share of posts that nobody else answered.",
        unit="ratio",
        direction="down",
        category=_R,
        params={"include_reactions": False},
        references=(
            "https://github.com/chaoss/wg-common/blob/main/focus-areas/time/time-to-first-response.md",
        ),
        formula="posts never answered by someone else / posts",
    ),
)
