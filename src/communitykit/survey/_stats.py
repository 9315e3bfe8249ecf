"""Survey statistics: per-item summaries, Cronbach's alpha, confidence intervals, trends."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._deprecation import UNSET, Unset, warn_renamed_keyword
from communitykit._frame import FieldFrame, RowFrame
from communitykit._frozen import frozen_mapping
from communitykit._numeric import nan_key, nan_keys
from communitykit._repr import summarised
from communitykit._time import Period, bucket
from communitykit.errors import CommunityKitWarning, ConfigError, DataError
from communitykit.privacy import MIN_GROUP_SIZE, is_suppressed
from communitykit.survey._scale import Responses
from communitykit.typing import Seed

__all__ = [
    "ITEM_COLUMNS",
    "MIN_GROUP_SIZE",
    "ItemStats",
    "ItemTable",
    "SurveySummary",
    "SurveyTrend",
    "TrendPoint",
    "confidence_interval",
    "cronbach_alpha",
    "item_stats",
    "summarize",
    "trend",
    "would_recommend",
]


def _f(value: float) -> float:
    return float(value)


def confidence_interval(
    values: npt.ArrayLike,
    *,
    level: float = 0.95,
    method: str = "t",
    n_boot: int = 2000,
    seed: Seed = None,
) -> tuple[float, float]:
    """
    Return a confidence interval for the mean of *values* (``NaN`` ignored).

    Parameters
    ----------
    values
        The answers (missing ones as ``NaN``).
    level
        Coverage, between 0 and 1.
    method
        ``"t"``: mean ± t₍₁₊level₎/₂,ₙ₋₁ · s/√n (Student's t).
        ``"bootstrap"``: percentile interval of *n_boot* resampled means.
    n_boot
        Bootstrap resamples.
    seed
        Randomness for the bootstrap.

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` for fewer than two answers.

    Examples
    --------
    >>> lo, hi = confidence_interval([4, 5, 3, 4, 4])
    >>> round(lo, 3), round(hi, 3)
    (3.122, 4.878)

    .. versionadded:: 0.1
    """
    if not 0 < level < 1:
        msg = f"level must lie between 0 and 1, got {level!r}"
        raise ConfigError(msg)
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 2:
        return (math.nan, math.nan)
    if method == "t":
        from scipy import stats

        mean = float(x.mean())
        half = float(stats.t.ppf((1 + level) / 2, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
        return (mean - half, mean + half)
    if method == "bootstrap":
        if n_boot < 1:
            msg = f"n_boot must be at least 1, got {n_boot!r}"
            raise ConfigError(msg)
        rng = np.random.default_rng(seed)
        means = x[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
        alpha = (1 - level) / 2
        lo, hi = np.quantile(means, [alpha, 1 - alpha])
        return (float(lo), float(hi))
    msg = f"unknown method {method!r}; expected 't' or 'bootstrap'"
    raise ConfigError(msg)


def cronbach_alpha(data: npt.ArrayLike) -> float:
    """
    Return Cronbach's alpha of a respondents x items table [1]_.

    Parameters
    ----------
    data
        Answers, already reverse-coded where needed; rows with a missing answer are left out
        (listwise deletion).

    Returns
    -------
    float
        ``k/(k-1) · (1 - Σσᵢ² / σₜ²)`` with σᵢ² the item variances and σₜ² the variance of the
        respondents' sum scores. ``NaN`` (with a warning) for fewer than two items, fewer than two
        complete rows, or zero total variance.

    Warns
    -----
    CommunityKitWarning
        When alpha is undefined.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika 16, 297-334.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 2], [2, 3], [3, 3]]), 4)
    0.8571

    .. versionadded:: 0.1
    """
    a = np.asarray(data, dtype=np.float64)
    if a.ndim != 2:
        msg = f"cronbach_alpha needs a respondents x items table, got {a.ndim} dimension(s)"
        raise DataError(msg)
    a = a[~np.isnan(a).any(axis=1)]
    n, k = a.shape
    if k < 2 or n < 2:
        warnings.warn(
            f"Cronbach's alpha needs at least 2 items and 2 complete rows, got {k} and {n}",
            CommunityKitWarning,
            stacklevel=2,
        )
        return math.nan
    total_var = float(a.sum(axis=1).var(ddof=1))
    if total_var == 0:
        warnings.warn(
            "Cronbach's alpha is undefined: every respondent has the same sum score",
            CommunityKitWarning,
            stacklevel=2,
        )
        return math.nan
    item_var = float(a.var(axis=0, ddof=1).sum())
    return _f(k / (k - 1) * (1 - item_var / total_var))


@attrs.frozen
class ItemStats:
    """
    Summary of one item (computed on reverse-coded answers).

    Attributes
    ----------
    item
        The item name.
    n
        Non-missing answers; ``None`` when suppressed (the count is hidden with the
        statistics).
    mean, median, sd
        Location and spread (``sd`` with ``ddof=1``).
    top_box, bottom_box
        Shares (0-1) of answers in the top and bottom box.
    net
        ``top_box - bottom_box`` (the Net Promoter Score / 100 on a 0-10 NPS scale).
    ci_low, ci_high
        Confidence interval of the mean.
    suppressed
        ``True`` when the answers are fewer than the minimum group size: the statistics are
        then ``NaN`` and *n* is ``None`` (:func:`communitykit.privacy.suppression_mask`).

    .. versionadded:: 0.1
    """

    item: str
    n: int | None
    mean: float = attrs.field(eq=nan_key)
    median: float = attrs.field(eq=nan_key)
    sd: float = attrs.field(eq=nan_key)
    top_box: float = attrs.field(eq=nan_key)
    bottom_box: float = attrs.field(eq=nan_key)
    net: float = attrs.field(eq=nan_key)
    ci_low: float = attrs.field(eq=nan_key)
    ci_high: float = attrs.field(eq=nan_key)
    suppressed: bool = False

    def to_mapping(self) -> dict[str, object]:
        """Return the fields as a JSON-ready dict."""
        return attrs.asdict(self)


def _item_stats(
    name: str,
    x: npt.NDArray[np.float64],
    top: npt.NDArray[np.int64],
    bottom: npt.NDArray[np.int64],
    *,
    min_group_size: int,
    ci: str,
    level: float,
    seed: Seed,
) -> ItemStats:
    x = x[~np.isnan(x)]
    n = int(x.size)
    nan = math.nan
    if is_suppressed(n, min_group_size=min_group_size):
        return ItemStats(name, None, nan, nan, nan, nan, nan, nan, nan, nan, suppressed=True)
    if n == 0:
        return ItemStats(name, 0, nan, nan, nan, nan, nan, nan, nan, nan)
    top_share = float(np.isin(x, top).mean())
    bottom_share = float(np.isin(x, bottom).mean())
    lo, hi = confidence_interval(x, level=level, method=ci, seed=seed)
    return ItemStats(
        item=name,
        n=n,
        mean=float(x.mean()),
        median=float(np.median(x)),
        sd=float(x.std(ddof=1)) if n > 1 else math.nan,
        top_box=top_share,
        bottom_box=bottom_share,
        net=top_share - bottom_share,
        ci_low=lo,
        ci_high=hi,
    )


def item_stats(
    responses: Responses,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    ci: str = "t",
    level: float = 0.95,
    seed: Seed = None,
) -> ItemTable:
    """
    Return n, mean, median, sd, top-/bottom-box shares, net score and CI for every item.

    The result is an :class:`ItemTable` frame, one row per item; indexing gives the
    :class:`ItemStats` objects.

    Parameters
    ----------
    responses
        The survey answers; reverse-coded items are mirrored first.
    min_group_size
        Items with fewer answers are reported as suppressed (statistics ``NaN``).
    ci, level, seed
        Confidence interval method (``"t"`` or ``"bootstrap"``), coverage, and bootstrap seed.

    Examples
    --------
    >>> from communitykit.survey import LikertScale, Responses
    >>> r = Responses([[5], [4], [4], [2], [5]], items=["useful"], scale=LikertScale(5))
    >>> s = item_stats(r)[0]
    >>> s.n, s.mean, s.median, s.top_box, s.bottom_box, round(s.net, 2)
    (5, 4.0, 4.0, 0.8, 0.2, 0.6)

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Returns an :class:`ItemTable` (was a tuple of :class:`ItemStats`).
    """
    coded = responses.coded()
    sc = responses.scale
    return ItemTable(
        _item_stats(
            name,
            coded[:, j],
            sc.top_values,
            sc.bottom_values,
            min_group_size=min_group_size,
            ci=ci,
            level=level,
            seed=seed,
        )
        for j, name in enumerate(responses.items)
    )


def would_recommend(
    responses: Responses,
    item: str,
    *,
    threshold: float | None = None,
    as_percent: bool = True,
    min_group_size: int = MIN_GROUP_SIZE,
) -> float:
    """
    Return the share of respondents who would recommend (answer in the top box, or ≥ *threshold*).

    Parameters
    ----------
    responses
        The survey answers.
    item
        The "would you recommend …?" item.
    threshold
        Count answers at or above this code instead of the top box.
    as_percent
        Return 0-100 (default, as the Bosch WOL survey reported "99 % would recommend") or 0-1.
    min_group_size
        With fewer answers than this the share is suppressed (``NaN``), as every number about
        a group (:func:`communitykit.privacy.suppression_mask`).

    Returns
    -------
    float
        The share; ``NaN`` (with a warning) when nobody answered, ``NaN`` when suppressed.

    Examples
    --------
    >>> from communitykit.survey import LikertScale, Responses
    >>> r = Responses([[5], [4], [3], [5], [2], [4], [np.nan]], items=["rec"], scale=LikertScale(5))
    >>> round(would_recommend(r, "rec"), 2)
    66.67
    >>> would_recommend(Responses([[5], [5], [4], [5]], items=["rec"]), "rec")
    nan

    .. versionchanged:: 0.2 Suppressed below *min_group_size* answers (was shown for any number).

    .. versionadded:: 0.1
    """
    x = responses.coded()[:, responses.column(item)]
    x = x[~np.isnan(x)]
    if x.size == 0:
        warnings.warn(f"nobody answered {item!r}", CommunityKitWarning, stacklevel=2)
        return math.nan
    if is_suppressed(int(x.size), min_group_size=min_group_size):
        return math.nan
    yes = x >= threshold if threshold is not None else np.isin(x, responses.scale.top_values)
    share = float(yes.mean())
    return share * 100 if as_percent else share


@attrs.frozen
class TrendPoint:
    """
    One group's answers in one period.

    Attributes
    ----------
    group
        The group (``"all"`` when the responses carry none).
    period_start, period_end
        The period (``datetime64[s]``; end exclusive).
    n
        Answers in the period (non-missing values over the trended items); ``None`` when
        suppressed.
    respondents
        Respondent rows in the period; ``None`` when suppressed.
    mean
        Mean answer (reverse-coded), ``NaN`` if empty or suppressed.
    top_box
        Share of answers in the top box.
    change
        ``mean - previous period's mean`` of the same group (``NaN`` for the first period or
        when either is missing).
    suppressed
        ``True`` when fewer than *min_group_size* respondents answered: the mean, top box,
        change and both counts are hidden.

    .. versionadded:: 0.1
    """

    group: str
    period_start: np.datetime64
    period_end: np.datetime64
    n: int | None
    respondents: int | None
    mean: float = attrs.field(eq=nan_key)
    top_box: float = attrs.field(eq=nan_key)
    change: float = attrs.field(eq=nan_key)
    suppressed: bool = False

    def to_mapping(self) -> dict[str, object]:
        """Return the fields as a JSON-ready dict (times as ISO strings)."""
        out = attrs.asdict(self)
        out["period_start"] = f"{self.period_start}Z"
        out["period_end"] = f"{self.period_end}Z"
        return out


def _points(values: Iterable[TrendPoint]) -> tuple[TrendPoint, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class SurveyTrend(RowFrame[TrendPoint]):
    """
    The mean answer per group and period: what :func:`trend` returns.

    A :class:`~communitykit.Frame` with one row per (group, period) and the columns of
    :class:`TrendPoint` (``group``, ``period_start``, ``period_end``, ``n``, ``respondents``,
    ``mean``, ``top_box``, ``change``, ``suppressed``; the counts are missing where
    suppressed); iterating and indexing give the :class:`TrendPoint` objects.

    Attributes
    ----------
    points
        The points, ordered by group, then period.

    .. versionadded:: 0.2
    """

    points: tuple[TrendPoint, ...] = attrs.field(converter=_points)

    def _frame_rows(self) -> tuple[TrendPoint, ...]:
        return self.points

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        points = self.points
        group = np.empty(len(points), dtype=object)
        group[:] = [p.group for p in points]
        return {
            "group": group,
            "period_start": np.array([p.period_start for p in points], dtype="datetime64[s]"),
            "period_end": np.array([p.period_end for p in points], dtype="datetime64[s]"),
            "n": np.array([p.n or 0 for p in points], dtype=np.int64),
            "respondents": np.array([p.respondents or 0 for p in points], dtype=np.int64),
            "mean": np.array([p.mean for p in points], dtype=np.float64),
            "top_box": np.array([p.top_box for p in points], dtype=np.float64),
            "change": np.array([p.change for p in points], dtype=np.float64),
            "suppressed": np.array([p.suppressed for p in points], dtype=bool),
        }

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return {
            "n": np.array([p.n is None for p in self.points], dtype=bool),
            "respondents": np.array([p.respondents is None for p in self.points], dtype=bool),
        }

    def _repr_parts(self) -> list[str]:
        groups = len({p.group for p in self.points})
        hidden = sum(p.suppressed for p in self.points)
        return [f"{len(self):,} rows", f"{groups:,} groups", f"{hidden:,} suppressed"]


def trend(
    responses: Responses,
    *,
    items: Sequence[str] | None = None,
    period: str | Period = "week",
    period_tz: str | None = None,
    by: str | None = "group",
    min_group_size: int = MIN_GROUP_SIZE,
    by_group: bool | Unset = UNSET,
) -> SurveyTrend:
    """
    Return the mean answer per group and period, with the change from the period before.

    Every period between the first and the last answer appears, empty ones included
    (``n = 0``, ``mean = NaN``), so a circle that skipped a week shows a gap instead of a jump.

    Parameters
    ----------
    responses
        Answers with a ``time`` per row (and a ``group`` per row for per-group trends).
    items
        Items to average (default: all).
    period
        ``"week"`` (ISO, Monday first; the weekly circle rhythm), ``"month"``, …
    period_tz
        IANA time zone whose calendar the periods follow (default: the zone of a period
        object passed as *period*, else UTC): with ``"Europe/Berlin"`` a week starts at
        local midnight on Monday, so an answer at 00:30 local time on a Monday counts in
        that week.
    by
        ``"group"``: one series per group of the answers (e.g. per Working Out Loud circle);
        ``None`` (or ``"all"``): one series over everyone, group ``"all"``.
    min_group_size
        Periods with fewer respondents are suppressed (:mod:`communitykit.privacy`). Circles have
        4-5 members, so lower it deliberately (and with the works council's consent) for
        per-circle trends.
    by_group
        Deprecated: ``by_group=False`` is ``by=None``.

    .. versionchanged:: 0.1 The grouping keyword is *by* (was *by_group*).

    Raises
    ------
    DataError
        If the responses have no times.

    Examples
    --------
    >>> from communitykit.survey import Responses
    >>> r = Responses(
    ...     [[4], [5], [3], [5]],
    ...     items=["useful"],
    ...     group=["c1", "c1", "c1", "c1"],
    ...     time=["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"],
    ... )
    >>> [(p.n, p.mean, p.change) for p in trend(r, min_group_size=1)]
    [(2, 4.5, nan), (2, 4.0, -0.5)]
    >>> trend(r, min_group_size=1)
    <SurveyTrend: 2 rows, 1 groups, 0 suppressed>

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Returns a :class:`SurveyTrend` frame (was a tuple of :class:`TrendPoint`).
    """
    if not isinstance(by_group, Unset):
        warn_renamed_keyword("communitykit.survey.trend", "by_group", "by")
        by = "group" if by_group else None
    if by not in ("group", "all", None):
        msg = f"trend(by={by!r}): expected 'group' or None (one series over everyone)"
        raise ConfigError(msg)
    if responses.time is None:
        msg = "a trend needs answer times; give Responses a `time` column"
        raise DataError(msg)
    cols = [responses.column(i) for i in (items if items is not None else responses.items)]
    coded = responses.coded()[:, cols]
    if responses.n_respondents == 0:
        return SurveyTrend(())
    bins = bucket(responses.time, Period.parse(period, tz=period_tz))
    groups = (
        responses.group
        if by == "group" and responses.group is not None
        else np.full(responses.n_respondents, "all", dtype=object)
    )
    top = responses.scale.top_values
    out: list[TrendPoint] = []
    for g in sorted(set(groups.tolist())):
        rows = groups == g
        prev = math.nan
        for b in range(len(bins)):
            sel = rows & (bins.index == b)
            x = coded[sel]
            x = x[~np.isnan(x)]
            k = int(sel.sum())
            suppressed = is_suppressed(k, min_group_size=min_group_size)
            if x.size == 0 or suppressed:
                mean = top_box = math.nan
            else:
                mean = float(x.mean())
                top_box = float(np.isin(x, top).mean())
            change = mean - prev if not (math.isnan(mean) or math.isnan(prev)) else math.nan
            out.append(
                TrendPoint(
                    group=str(g),
                    period_start=bins.starts[b],
                    period_end=bins.ends[b],
                    n=None if suppressed else int(x.size),
                    respondents=None if suppressed else k,
                    mean=mean,
                    top_box=top_box,
                    change=change,
                    suppressed=suppressed,
                )
            )
            prev = mean
    return SurveyTrend(out)


ITEM_COLUMNS: Final[tuple[str, ...]] = (
    "item",
    "n",
    "mean",
    "median",
    "sd",
    "top_box",
    "bottom_box",
    "net",
    "ci_low",
    "ci_high",
    "suppressed",
)
"""The columns of an :class:`ItemTable` (the fields of :class:`ItemStats`)."""


def _item_stats_tuple(values: Iterable[ItemStats]) -> tuple[ItemStats, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class ItemTable(FieldFrame[ItemStats]):
    """
    The per-item statistics of a survey: :attr:`SurveySummary.items`.

    A :class:`~communitykit.Frame` with one row per item and the columns of
    :data:`ITEM_COLUMNS` (``n`` is missing where suppressed); iterating and indexing give
    the :class:`ItemStats` objects.

    Attributes
    ----------
    stats
        The item statistics, in item order.

    .. versionadded:: 0.2
    """

    _row_fields = ITEM_COLUMNS
    stats: tuple[ItemStats, ...] = attrs.field(converter=_item_stats_tuple)

    def _frame_rows(self) -> tuple[ItemStats, ...]:
        return self.stats

    def _repr_parts(self) -> list[str]:
        hidden = sum(s.suppressed for s in self.stats)
        return [f"{len(self):,} items", f"{hidden:,} suppressed"]


def _item_table(value: ItemTable | Iterable[ItemStats]) -> ItemTable:
    return value if isinstance(value, ItemTable) else ItemTable(value)


@summarised(
    lambda s: [
        "suppressed" if s.suppressed else f"{s.n_respondents or 0:,} respondents",
        f"{len(s.items)} items",
    ]
)
@attrs.frozen
class SurveySummary:
    """
    Everything a report needs about one survey.

    Attributes
    ----------
    n_respondents
        Rows in the survey; ``None`` when suppressed.
    items
        Per-item statistics: an :class:`ItemTable` frame (``summary.items.to_pandas()``);
        iterating gives the :class:`ItemStats` objects.
    alpha
        Cronbach's alpha per subscale.
    recommend
        "Would recommend" percentage (``None`` if no recommend item was named).
    recommend_item
        The item used for *recommend*.
    suppressed
        ``True`` when fewer than the minimum group size responded: the respondent count,
        alpha and *recommend* are hidden (``None``, ``NaN``), as are all item statistics.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *items* is an :class:`ItemTable` frame (was a tuple; a tuple given is wrapped).
    """

    n_respondents: int | None
    items: ItemTable = attrs.field(converter=_item_table)
    alpha: Mapping[str, float] = attrs.field(converter=frozen_mapping, eq=nan_keys)
    recommend: float | None = attrs.field(default=None, eq=nan_key)
    recommend_item: str | None = None
    suppressed: bool = False

    def item(self, name: str) -> ItemStats:
        """Return the statistics of item *name*."""
        for s in self.items:
            if s.item == name:
                return s
        msg = f"no item {name!r}; the items are {[s.item for s in self.items]}"
        raise DataError(msg)

    def to_mapping(self) -> dict[str, object]:
        """Return the summary as a JSON-ready dict."""
        return {
            "n_respondents": self.n_respondents,
            "items": [s.to_mapping() for s in self.items],
            "alpha": dict(self.alpha),
            "recommend": self.recommend,
            "recommend_item": self.recommend_item,
            "suppressed": self.suppressed,
        }


def summarize(
    responses: Responses,
    *,
    recommend_item: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    ci: str = "t",
    level: float = 0.95,
    seed: Seed = None,
) -> SurveySummary:
    """
    Return item statistics, Cronbach's alpha per subscale and the "would recommend" share.

    Alpha of a subscale with a single item is ``NaN`` (silently: one item has no consistency).
    Fewer than *min_group_size* respondents suppress the whole summary (alpha, the
    "would recommend" share and the respondent count); fewer answers to one item suppress
    that item's statistics.

    Examples
    --------
    >>> from communitykit.survey import Responses
    >>> r = Responses(
    ...     [[5, 4, 5], [4, 4, 5], [3, 2, 3], [4, 3, 4], [5, 5, 5]],
    ...     items=["a", "b", "rec"],
    ... )
    >>> s = summarize(r, recommend_item="rec")
    >>> round(s.alpha["all"], 3), s.recommend
    (0.955, 80.0)

    .. versionadded:: 0.1
    """
    coded = responses.coded()
    alpha: dict[str, float] = {}
    hidden = is_suppressed(responses.n_respondents, min_group_size=min_group_size)
    for name, members in responses.item_sets().items():
        if len(members) < 2 or hidden:
            alpha[name] = math.nan
            continue
        block = coded[:, [responses.column(m) for m in members]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CommunityKitWarning)
            alpha[name] = cronbach_alpha(block)
    rec = None
    if recommend_item is not None and hidden:
        responses.column(recommend_item)  # an unknown item is still an error
        rec = math.nan
    elif recommend_item is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CommunityKitWarning)
            rec = would_recommend(responses, recommend_item, min_group_size=min_group_size)
    items = item_stats(responses, min_group_size=min_group_size, ci=ci, level=level, seed=seed)
    if hidden:
        nan = math.nan
        items = ItemTable(
            ItemStats(s.item, None, nan, nan, nan, nan, nan, nan, nan, nan, suppressed=True)
            for s in items
        )
    return SurveySummary(
        n_respondents=None if hidden else responses.n_respondents,
        items=items,
        alpha=alpha,
        recommend=rec,
        recommend_item=recommend_item,
        suppressed=hidden,
    )
