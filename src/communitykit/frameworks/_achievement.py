"""Progress towards a target: the one formula OKR key results and scorecard measures share."""

from __future__ import annotations

import math
from typing import Final

import attrs

from communitykit.errors import ConfigError

__all__ = ["TARGET_KINDS", "Bands", "progress"]

TARGET_KINDS: Final[tuple[str, ...]] = (
    "at_least",
    "at_most",
    "increase_to",
    "decrease_to",
    "milestone",
)
"""The kinds of target a key result or measure can have (Perdoo's four plus a milestone)."""


def progress(
    current: float,
    *,
    target: float,
    start: float = 0.0,
    kind: str = "increase_to",
    allow_over: bool = False,
    cap: float = 1.5,
) -> float:
    """
    Return how far *current* has come from *start* towards *target*, in ``[0, 1]``.

    Parameters
    ----------
    current
        The value now (``NaN``: no data yet, gives ``NaN``).
    target
        The value to reach.
    start
        The value at the start of the period (the baseline).
    kind
        ``increase_to`` / ``decrease_to``: ``(current - start) / (target - start)``.
        ``at_least`` / ``at_most``: the same linear progress, but a met threshold always counts
        as 1.0 (also when the start was already beyond it) and never more.
        ``milestone``: 1.0 when done (``current >= target``, target usually 1), else 0.0.
    allow_over
        Let ``increase_to`` / ``decrease_to`` exceed 1.0 (over-achievement), up to *cap*.
    cap
        The upper bound when *allow_over* is set.

    Returns
    -------
    float
        The progress, clipped to ``[0, 1]`` (or ``[0, cap]``).

    Raises
    ------
    ConfigError
        For an unknown *kind*.

    Notes
    -----
    When ``target == start`` there is nothing to travel: the progress is 1.0 if the target
    is met in the right direction, else 0.0.

    Examples
    --------
    >>> progress(30, start=20, target=40)
    0.5
    >>> progress(3.0, start=5.0, target=1.0, kind="decrease_to")
    0.5
    >>> progress(60, start=20, target=40, allow_over=True)
    1.5
    >>> progress(55, start=60, target=50, kind="at_least")
    1.0

    .. versionadded:: 0.1
    """
    if kind not in TARGET_KINDS:
        msg = f"unknown target kind {kind!r}; expected one of {', '.join(TARGET_KINDS)}"
        raise ConfigError(msg)
    if math.isnan(current):
        return math.nan
    if kind == "milestone":
        return 1.0 if current >= target else 0.0
    up = kind in {"at_least", "increase_to"}
    met = current >= target if up else current <= target
    span = target - start
    if span == 0 or (kind in {"at_least", "at_most"} and (span < 0) == up):
        # nothing to travel, or the threshold was already met at the start
        return 1.0 if met else 0.0
    if kind in {"increase_to", "decrease_to"} and (span > 0) != up:
        msg = (
            f"a {kind!r} target must lie {'above' if up else 'below'} the start; "
            f"got start {start!r}, target {target!r}"
        )
        raise ConfigError(msg)
    p = (current - start) / span
    if kind in {"at_least", "at_most"}:
        return 1.0 if met else min(max(p, 0.0), 1.0)
    upper = cap if allow_over else 1.0
    return float(min(max(p, 0.0), upper))


@attrs.frozen
class Bands:
    """
    Traffic-light bands on a 0-1 score: red below *yellow*, green from *green* on.

    The default is Doerr's OKR grading (*Measure What Matters*): 0.7-1.0 green,
    0.4-0.6 yellow, 0.0-0.3 red, read as half-open intervals ``[0.7, ∞)``, ``[0.4, 0.7)``,
    ``[0, 0.4)``.

    Attributes
    ----------
    yellow
        Lowest score that is yellow (default 0.4).
    green
        Lowest score that is green (default 0.7).

    Examples
    --------
    >>> b = Bands()
    >>> b(0.72), b(0.5), b(0.3)
    ('green', 'yellow', 'red')

    .. versionadded:: 0.1
    """

    yellow: float = 0.4
    green: float = 0.7

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.yellow <= self.green:
            msg = (
                "band thresholds must satisfy 0 <= yellow <= green, "
                f"got yellow={self.yellow!r}, green={self.green!r}"
            )
            raise ConfigError(msg)

    def __call__(self, score: float) -> str:
        """Return ``"green"``, ``"yellow"``, ``"red"``, or ``"none"`` for ``NaN``."""
        if math.isnan(score):
            return "none"
        if score >= self.green - 1e-12:
            return "green"
        if score >= self.yellow - 1e-12:
            return "yellow"
        return "red"

    def to_dict(self) -> dict[str, float]:
        """Return the thresholds."""
        return {"yellow": float(self.yellow), "green": float(self.green)}
