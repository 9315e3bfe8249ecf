"""Seeded synthetic Likert answers (for examples, demos and tests; never committed as data)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from communitykit._time import as_datetime64
from communitykit.survey._scale import LikertScale, Responses
from communitykit.typing import Seed

__all__ = ["WOL_ITEMS", "synthetic_responses"]

WOL_ITEMS: tuple[str, ...] = (
    "circle_useful",
    "learned_something",
    "network_grew",
    "work_visible",
    "felt_alone",
    "recommend",
)
"""Items of the example weekly Working Out Loud circle survey (``felt_alone`` is reverse-coded).

The Bosch weekly survey's items are not published; these are illustrative.
"""


def synthetic_responses(
    *,
    groups: int | Sequence[str] = 8,
    members: int = 5,
    weeks: int = 12,
    items: Sequence[str] = WOL_ITEMS,
    reverse: Sequence[str] = ("felt_alone",),
    scale: LikertScale | None = None,
    start: object = "2025-09-01",
    response_rate: float = 0.8,
    missing_rate: float = 0.03,
    growth: float = 0.08,
    seed: Seed = None,
) -> Responses:
    """
    Return weekly answers of circle members, drawn from a latent-trait model.

    Each member has a latent attitude (normal, sd 0.8) that grows by *growth* scale points per
    week (circles tend to get better over their 12 weeks); each item adds its own offset; the
    answer is the rounded sum clipped to the scale, mirrored for reverse-coded items.
    A member answers a given week with probability *response_rate*; single answers are
    missing with probability *missing_rate*.

    Parameters
    ----------
    groups
        Number of circles (named ``circle-01``, …) or their names.
    members, weeks
        Circle size (4-5 in Working Out Loud) and number of weekly sessions (12).
    items, reverse
        Item names and the reverse-coded ones.
    scale
        Answer scale (default 5 points).
    start
        Monday of the first week.
    response_rate, missing_rate, growth
        See above.
    seed
        Randomness.

    Examples
    --------
    >>> r = synthetic_responses(groups=2, weeks=3, seed=1)
    >>> r.n_items, sorted(set(r.group.tolist()))
    (6, ['circle-01', 'circle-02'])

    .. versionadded:: 0.1
    """
    rng = np.random.default_rng(seed)
    if isinstance(groups, int):
        names = [f"circle-{i + 1:02d}" for i in range(groups)]
    else:
        names = list(groups)
    sc = scale or LikertScale(5, reverse=[i for i in reverse if i in items])
    k = len(items)
    mid = (sc.low + sc.high) / 2
    item_offset = rng.normal(0.3, 0.3, size=k)
    t0 = as_datetime64(start)
    rows, who, where, when = [], [], [], []
    for g in names:
        trait = rng.normal(0.4, 0.8, size=members)
        for w in range(weeks):
            answering = rng.random(members) < response_rate
            for m in np.flatnonzero(answering):
                latent = mid + trait[m] + growth * w + item_offset + rng.normal(0, 0.6, size=k)
                rows.append(latent)
                who.append(f"{g}-m{m + 1}")
                where.append(g)
                when.append(t0 + np.timedelta64(7 * w, "D") + np.timedelta64(int(m) * 3600, "s"))
    data = np.clip(np.rint(np.array(rows).reshape(len(rows), k)), sc.low, sc.high)
    rev = [items.index(i) for i in sc.reverse]
    data[:, rev] = sc.mirror(data[:, rev])
    data[rng.random(data.shape) < missing_rate] = np.nan
    empty = np.isnan(data).all(axis=1)
    data[empty, 0] = mid if float(mid).is_integer() else sc.high
    return Responses(
        data,
        items=items,
        scale=sc,
        respondent=who,
        group=where,
        time=np.array(when, dtype="datetime64[s]"),
    )
