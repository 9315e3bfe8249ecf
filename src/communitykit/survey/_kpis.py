"""Survey measures as KPIs, so OKRs and scorecards can target them.

Survey answers become a separate event log (:func:`communitykit.survey.responses_to_log`):
one ``rate`` event per answer, the (reverse-coded) answer as ``weight``, and the attributes
``item``, ``top`` and ``bottom`` (1.0 when the answer is in the top or bottom box).
The KPIs below read such a log
through :class:`~communitykit.kpi.Facts`; on a log without survey answers they are ``NaN``.
Registered in code by the KPI registry as the built-in provider ``survey``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit.kpi import KPI, KPIFunction, KPIValues
from communitykit.survey._log import RATE_ACTION

if TYPE_CHECKING:
    from communitykit.kpi import Facts

__all__ = [
    "kpis",
    "survey_mean",
    "survey_net_score",
    "survey_respondents",
    "survey_top_box",
    "survey_would_recommend",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_GRAINS: Final = ("all", "community")


def _answers(facts: Facts, item: str) -> tuple[I64, I64, npt.NDArray[np.bool_]]:
    """Return (cell, actor, event mask) of the in-range answers (to *item* if given)."""
    log = facts.log
    if "item" not in log.attributes or RATE_ACTION not in log.vocabulary:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(len(log), dtype=bool)
    code = log.vocabulary.code(RATE_ACTION)
    mask = facts.in_range & (log.action == code)
    if item:
        mask &= log.attributes["item"] == item
    rows = np.flatnonzero(mask)
    cells = facts.cells(facts.event_group[rows], facts.event_period[rows])
    return cells.astype(np.int64), log.actor[rows].astype(np.int64), mask


def _respondents(facts: Facts, cells: I64, actors: I64) -> I64:
    size = facts.n_groups * facts.n_periods
    if size == 0 or len(cells) == 0:
        return np.zeros(facts.shape, dtype=np.int64)
    pairs = _numeric.unique(cells * (facts.n_actors + 1) + actors)
    return np.bincount(pairs // (facts.n_actors + 1), minlength=size).reshape(facts.shape)


def _mean_of(facts: Facts, item: str, values: F64 | None) -> KPIValues:
    cells, actors, mask = _answers(facts, item)
    w = facts.log.weight[mask].astype(np.float64) if values is None else values[mask]
    total = facts.per_cell(cells, w)
    count = facts.per_cell(cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)
    return KPIValues(value, _respondents(facts, cells, actors))


def survey_respondents(facts: Facts, item: str = "") -> KPIValues:
    """Distinct respondents with at least one answer (to *item*, if given)."""
    cells, actors, _ = _answers(facts, item)
    n = _respondents(facts, cells, actors)
    return KPIValues(n.astype(np.float64), n)


def survey_mean(facts: Facts, item: str = "") -> KPIValues:
    """Mean (reverse-coded) answer over all answers (to *item*, if given); NaN without answers."""
    return _mean_of(facts, item, None)


def survey_top_box(facts: Facts, item: str = "") -> KPIValues:
    """Share (0-1) of answers in the top box (top-2-box on a 5-point scale)."""
    top = np.asarray(facts.log.attributes.get("top", np.zeros(len(facts.log))), dtype=np.float64)
    return _mean_of(facts, item, top)


def survey_net_score(facts: Facts, item: str = "") -> KPIValues:
    """Top-box share minus bottom-box share (NPS / 100 on the 0-10 scale)."""
    zeros = np.zeros(len(facts.log))
    top = np.asarray(facts.log.attributes.get("top", zeros), dtype=np.float64)
    bottom = np.asarray(facts.log.attributes.get("bottom", zeros), dtype=np.float64)
    return _mean_of(facts, item, top - bottom)


def survey_would_recommend(facts: Facts, item: str = "recommend") -> KPIValues:
    """Percentage (0-100) of answers to the recommend *item* in the top box."""
    v = survey_top_box(facts, item)
    return KPIValues(v.value * 100, v.n)


def _kpi(
    kpi_id: str, name: str, fn: KPIFunction, description: str, *, unit: str, item: str = ""
) -> KPI:
    """Return a survey KPI: category ``survey``, dimension ``social``, parameter ``item``."""
    return KPI(
        kpi_id,
        name,
        fn,
        description=description,
        unit=unit,
        params={"item": item},
        category="survey",
        dimension="social",
        grains=_GRAINS,
    )


def kpis() -> list[KPI]:
    """
    Return the survey KPIs (the built-in provider ``survey`` of the KPI registry).

    Examples
    --------
    >>> len(kpis()), sorted(k.id for k in kpis())[0]
    (5, 'survey_mean')

    .. versionadded:: 0.1
    """
    return [
        _kpi(
            "survey_respondents",
            "Survey respondents",
            survey_respondents,
            "Distinct people who answered the survey in the period.",
            unit="people",
        ),
        _kpi(
            "survey_mean",
            "Mean survey answer",
            survey_mean,
            "Mean Likert answer (reverse-coded items mirrored) in the period.",
            unit="score",
        ),
        _kpi(
            "survey_top_box",
            "Top-box share",
            survey_top_box,
            "Share of answers in the top box (top-2-box on a 5-point scale).",
            unit="ratio",
        ),
        _kpi(
            "survey_net_score",
            "Net score",
            survey_net_score,
            "Top-box share minus bottom-box share (the NPS / 100 on 0-10 scales).",
            unit="ratio",
        ),
        _kpi(
            "survey_would_recommend",
            "Would recommend",
            survey_would_recommend,
            "Percentage of answers to the recommend item in the top box.",
            unit="%",
            item="recommend",
        ),
    ]
