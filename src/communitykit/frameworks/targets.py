"""
Progress towards a target: the one formula OKR key results and scorecard measures share.

An internal module of :mod:`communitykit.frameworks`, shared with :mod:`communitykit.okr` and
:mod:`communitykit.measurement`: documented for contributors, not underscore-private so that
those packages may import it, but without a stability promise to users (the public names are
re-exported from :mod:`communitykit.frameworks`).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from communitykit.errors import ConfigError
from communitykit.kpi import TARGET_KINDS as KPI_TARGET_KINDS
from communitykit.kpi import Bands, Target

__all__ = ["PROGRESS_KINDS", "Bands", "progress"]

PROGRESS_KINDS: Final[tuple[str, ...]] = (*KPI_TARGET_KINDS, "milestone")
"""The kinds of target a key result or measure can have: the KPI engine's four plus a milestone."""


def progress(
    current: float,
    *,
    target: float,
    start: float = 0.0,
    kind: str = "increase_to",
    allow_over: bool = False,
    cap: float = 1.5,
    label: str = "key result",
) -> float:
    """
    Return how far *current* has come from *start* towards *target*, in ``[0, 1]``.

    The formula is the KPI engine's: :meth:`communitykit.kpi.Target.achievement` with
    ``baseline=start``; this function adds the ``milestone`` kind and checks that an
    ``increase_to`` / ``decrease_to`` target lies on the right side of the start.

    Parameters
    ----------
    current
        The value now (``NaN``: no data yet, gives ``NaN``).
    target
        The value to reach.
    start
        The value at the start of the period (the baseline).
    kind
        ``increase_to`` / ``decrease_to`` / ``at_least``: ``(current - start) / (target - start)``
        (an ``at_least`` target already met at the start counts ``current / target``).
        ``at_most``: ``target / current`` (1 while at or under the limit).
        ``milestone``: 1.0 when done (``current >= target``, target usually 1), else 0.0.
    allow_over
        Let the progress exceed 1.0 (over-achievement), up to *cap*.
    cap
        The upper bound when *allow_over* is set.
    label
        Names the key result or measure in error messages.

    Returns
    -------
    float
        The progress, clipped to ``[0, 1]`` (or ``[0, cap]``).

    Raises
    ------
    ConfigError
        For an unknown *kind*, or a target on the wrong side of the start.

    Examples
    --------
    >>> progress(30, start=20, target=40)
    0.5
    >>> progress(3.0, start=5.0, target=1.0, kind="decrease_to")
    0.5
    >>> progress(60, start=20, target=40, allow_over=True)
    1.5
    >>> progress(48, target=24, kind="at_most")
    0.5

    .. versionadded:: 0.1
    """
    if kind not in PROGRESS_KINDS:
        msg = f"unknown target kind {kind!r}; expected one of {', '.join(PROGRESS_KINDS)}"
        raise ConfigError(msg)
    if kind == "milestone":
        if math.isnan(current):
            return math.nan
        return 1.0 if current >= target else 0.0
    if kind in {"increase_to", "decrease_to"}:
        up = kind == "increase_to"
        if (target > start) != up or target == start:
            msg = (
                f"the {kind!r} target of {label} must lie {'above' if up else 'below'} its "
                f"start; got start {start!r}, target {target!r}"
            )
            raise ConfigError(msg)
    baseline: float | None = start
    if kind == "at_most" or (kind == "at_least" and start >= target):
        baseline = None
    t = Target(label, kind, target, baseline=baseline, cap=cap if allow_over else 1.0)
    with np.errstate(over="ignore"):  # a tiny actual under an at_most target overflows to inf
        return t.achievement(current)
