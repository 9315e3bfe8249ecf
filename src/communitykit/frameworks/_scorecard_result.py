"""
The result of evaluating a Balanced Scorecard: :class:`ScorecardResult` with a
:class:`NodeResult` per objective and perspective and a :class:`MeasureResult` per measure.

Public names: :mod:`communitykit.frameworks.scorecard`.
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from communitykit._repr import summarised
from communitykit._time import as_datetime64
from communitykit.frameworks.readings import period_label

__all__ = ["MeasureResult", "NodeResult", "ScorecardResult", "iso", "opt_time"]


@summarised(lambda m: [m.id, f"achievement {m.achievement:.2f}", m.light])
@attrs.frozen
class MeasureResult:
    """
    One measure's value and achievement.

    Attributes
    ----------
    id, objective, kpi, lead
        What was measured.
    value, target
        Actual and target.
    achievement
        In ``[0, 1]`` (``NaN`` without a value).
    light
        Traffic light of the achievement (``unknown``, no colour, without a value).
    status
        How the KPI was read (:data:`communitykit.frameworks.READING_STATUSES`): ``ok``,
        ``fallback`` (an earlier period's value, on request), ``suppressed`` (withheld for
        privacy), ``no_data``, ``missing``; ``manual`` for a measure without a KPI value.
    period_start, period_end
        ISO times of the KPI period the value belongs to (``None`` for manual values).
    reason
        Why there is no value, or why it is an earlier period's.
    period_tz
        The time zone of the KPI periods' calendar (``None``: UTC), for the period's label.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *status*, *period_start*, *period_end* and *reason*.
    """

    id: str
    objective: str
    kpi: str | None
    lead: str
    value: float
    target: float
    achievement: float
    light: str
    status: str = "manual"
    period_start: str | None = None
    period_end: str | None = None
    reason: str = ""
    period_tz: str | None = None

    @property
    def period(self) -> str:
        """The KPI period of the value as a short label (``""`` for manual values)."""
        start, end = opt_time(self.period_start), opt_time(self.period_end)
        return period_label(start, end, self.period_tz)

    @property
    def stale(self) -> bool:
        """Whether the value is an earlier period's than the latest (a requested fallback)."""
        return self.status == "fallback"

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict (``null`` for a missing value)."""
        out = attrs.asdict(self)
        for key in ("value", "achievement"):
            if math.isnan(out[key]):
                out[key] = None
        out["stale"] = self.stale
        return out


@summarised(lambda n: [n.id, n.level, f"achievement {n.achievement:.2f}", n.light])
@attrs.frozen
class NodeResult:
    """
    The rolled-up achievement of an objective or perspective.

    Attributes
    ----------
    id, title, level
        The node (``level``: ``"objective"`` or ``"perspective"``).
    achievement, light
        Rolled-up achievement and traffic light.
    children
        Ids of the measures (objectives) or objectives (perspectives) it rolls up.

    .. versionadded:: 0.1
    """

    id: str
    title: str
    level: str
    achievement: float
    light: str
    children: tuple[str, ...]

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        out = attrs.asdict(self)
        out["children"] = list(self.children)
        return out


@summarised(
    lambda r: [
        repr(r.name),
        f"{len(r.measures)} measures",
        f"{len(r.perspectives)} perspectives",
        f"achievement {r.achievement:.2f}",
        r.light,
    ]
)
@attrs.frozen
class ScorecardResult:
    """
    A scored scorecard: measures, objectives, perspectives and the overall achievement.

    Attributes
    ----------
    name
        The scorecard's name.
    as_of
        The date scored: the *as_of* given, else the end of the data (``None`` when the values
        carry no time: a mapping or manual values).
    measures, objectives, perspectives
        Results per level.
    achievement, light
        The scorecard's roll-up.
    policy
        The roll-up policy used.

    .. versionadded:: 0.1
    """

    name: str
    as_of: np.datetime64 | None
    measures: tuple[MeasureResult, ...]
    objectives: tuple[NodeResult, ...]
    perspectives: tuple[NodeResult, ...]
    achievement: float
    light: str
    policy: str

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        return {
            "name": self.name,
            "as_of": None if self.as_of is None else f"{self.as_of}Z",
            "policy": self.policy,
            "achievement": self.achievement,
            "light": self.light,
            "perspectives": [p.to_mapping() for p in self.perspectives],
            "objectives": [o.to_mapping() for o in self.objectives],
            "measures": [m.to_mapping() for m in self.measures],
        }

    def to_text(self) -> str:
        """Return perspectives, objectives and measures as an indented text view."""

        def fmt(x: float) -> str:
            return "n/a" if math.isnan(x) else f"{x:.2f}"

        objs = {o.id: o for o in self.objectives}
        meas = {(m.objective, m.id): m for m in self.measures}
        lines = [f"{self.name}: {fmt(self.achievement)} {self.light} ({self.policy})"]
        for p in self.perspectives:
            if not p.children:
                continue  # a perspective without objectives has nothing to show
            lines.append(f"  {p.title}: {fmt(p.achievement)} {p.light}")
            for oid in p.children:
                o = objs[oid]
                lines.append(f"    {o.title}: {fmt(o.achievement)} {o.light}")
                for mid in o.children:
                    m = meas[(oid, mid)]
                    lines.append(f"      {m.id} ({m.lead}): {_measure_value(m)}")
        return "\n".join(lines)


def opt_time(value: str | None) -> np.datetime64 | None:
    """A time read from a result or a file, or ``None``."""
    return None if value is None else as_datetime64(value)


def iso(t: np.datetime64 | None) -> str | None:
    """A time as the scorecard documents write it (``2024-03-31T00:00:00Z``), or ``None``."""
    return None if t is None else f"{t}Z"


def _measure_value(m: MeasureResult) -> str:
    """A measure's value with its period, or why it has none (text view)."""
    when = f" [{m.period}]" if m.period else ""
    ach = "n/a" if math.isnan(m.achievement) else f"{m.achievement:.2f}"
    if math.isnan(m.value):
        shown = "suppressed" if m.status == "suppressed" else "n/a"
        why = f": {m.reason}" if m.reason else ""
        return f"{shown} / {m.target:g}{when} -> {ach} {m.light}{why}"
    stale = f" (earlier period; {m.reason})" if m.stale else ""
    return f"{m.value:.4g} / {m.target:g}{when}{stale} -> {ach} {m.light}"
