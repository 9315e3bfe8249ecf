"""Survey answers as an event log, the input of the survey KPIs."""

from __future__ import annotations

from typing import Final

import numpy as np

from communitykit.errors import DataError
from communitykit.events import EventLog, register_action
from communitykit.survey._scale import Responses

__all__ = ["RATE_ACTION", "responses_to_log"]

RATE_ACTION: Final = "rate"
"""The action of a survey answer event (kind ``interact``)."""


def responses_to_log(responses: Responses) -> EventLog:
    """
    Return one ``rate`` event per non-missing answer (respondent = actor, group = community).

    Parameters
    ----------
    responses
        Answers with a ``time`` per row. Respondents without an id become ``r1``, ``r2``, …;
        rows without a group go to the community ``"all"``.

    Examples
    --------
    >>> from communitykit.survey import Responses
    >>> r = Responses(
    ...     [[5, 4], [2, np.nan]],
    ...     items=["useful", "rec"],
    ...     time=["2026-01-05", "2026-01-06"],
    ...     group=["c1", "c1"],
    ... )
    >>> log = responses_to_log(r)
    >>> len(log), sorted(log.weight.tolist()), sorted(log.attributes["item"].tolist())
    (3, [2.0, 4.0, 5.0], ['rec', 'useful', 'useful'])

    .. versionadded:: 0.1
    """
    if responses.time is None:
        msg = "survey KPIs need answer times; give Responses a `time` column"
        raise DataError(msg)
    register_action(RATE_ACTION, "interact")
    coded = responses.coded()
    rows, cols = np.nonzero(~np.isnan(coded))
    values = coded[rows, cols]
    sc = responses.scale
    who = (
        responses.respondent
        if responses.respondent is not None
        else np.array([f"r{i + 1}" for i in range(responses.n_respondents)], dtype=object)
    )
    where = (
        responses.group
        if responses.group is not None
        else np.full(responses.n_respondents, "all", dtype=object)
    )
    items = np.asarray(responses.items, dtype=object)
    return EventLog.from_columns(
        time=responses.time[rows],
        actor=who[rows],
        community=where[rows],
        action=np.full(len(rows), RATE_ACTION, dtype=object),
        weight=values,
        attributes={
            "item": items[cols],
            "top": np.isin(values, sc.top_values).astype(np.float64),
            "bottom": np.isin(values, sc.bottom_values).astype(np.float64),
        },
    )
