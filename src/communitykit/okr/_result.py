"""The results of scoring an OKR set: :class:`OKRResult`, :class:`ObjectiveScore`, :class:`KRScore`.

Public names: :mod:`communitykit.okr`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs
import numpy as np

from communitykit._numeric import nan_key
from communitykit._repr import summarised
from communitykit._time import as_datetime64
from communitykit.frameworks.config import UnknownItemError
from communitykit.frameworks.readings import period_label
from communitykit.okr._model import ScoringPolicy

if TYPE_CHECKING:
    from communitykit.okr._set import OKRSet

__all__ = ["KRScore", "OKRResult", "ObjectiveScore", "iso", "opt_time"]


def opt_time(value: object) -> np.datetime64 | None:
    """A time read from a result or a file, or ``None``."""
    return None if value is None else as_datetime64(value)


def iso(t: np.datetime64 | None) -> str | None:
    """A time as the OKR documents write it (``2024-03-31T00:00:00Z``), or ``None``."""
    return None if t is None else f"{t}Z"


@attrs.frozen
class KRScore:
    """
    The score of one key result at a date.

    Attributes
    ----------
    id, objective
        The key result and the objective it belongs to.
    value
        The current value (``NaN``: no check-in and no KPI value yet, or the KPI's latest
        period has no value; see *status* and *reason*).
    progress
        Progress towards the target in ``[0, 1]`` (``[0, 1.5]`` with over-achievement);
        ``NaN`` without a value.
    band
        ``green`` / ``yellow`` / ``red`` / ``unknown`` (no value: no colour), in the bands
        of the objective's kind.
    expected
        Expected progress at the date (linear over the period, times the kind's expectation).
    status
        ``on_track`` / ``at_risk`` / ``off_track`` / ``accomplished`` / ``no_data`` /
        ``suppressed`` (the KPI's latest period is withheld for privacy).
    confidence
        The latest confidence (1-10) or ``None``.
    period_start, period_end
        ISO times of the KPI period the value belongs to (``None`` for manual values).
    stale
        Whether the value is an earlier period's than the latest (only when a fallback was
        asked for; *reason* says what the latest period lacked).
    reason
        Why there is no value, or why it is an earlier period's.
    period_tz
        The time zone of the KPI periods' calendar (``None``: UTC), for the period's label.

    .. versionadded:: 0.1
    """

    id: str
    objective: str
    title: str
    value: float = attrs.field(eq=nan_key)
    target: float
    progress: float = attrs.field(eq=nan_key)
    band: str
    expected: float = attrs.field(eq=nan_key)
    status: str
    confidence: int | None
    period_start: str | None = None
    period_end: str | None = None
    stale: bool = False
    reason: str = ""
    period_tz: str | None = None

    @property
    def period(self) -> str:
        """The KPI period of the value as a short label (``""`` for manual values)."""
        start, end = opt_time(self.period_start), opt_time(self.period_end)
        return period_label(start, end, self.period_tz)

    def to_mapping(self) -> dict[str, object]:
        """Return the score as a JSON-ready dict (``null`` for a missing value)."""
        out = attrs.asdict(self)
        for key in ("value", "progress"):
            if math.isnan(out[key]):
                out[key] = None
        return out


@attrs.frozen
class ObjectiveScore:
    """
    The score of one objective (or umbrella theme) at a date.

    Attributes
    ----------
    id, title, kind
        The objective (``kind == "theme"`` for an umbrella theme).
    score
        Weighted mean of its key results' progress (and of aligned children if the policy
        says so); ``NaN`` if it has nothing to average.
    band
        Traffic light of *score*.
    expected
        Expected score at the date.
    status
        Pace status (or the weakest child's, by policy).
    note
        What the kind expects: committed objectives 1.0, aspirational ones about 0.7.
    parents, children
        Alignment links.
    key_results
        The key results' scores.

    .. versionadded:: 0.1
    """

    id: str
    title: str
    kind: str
    score: float = attrs.field(eq=nan_key)
    band: str
    expected: float = attrs.field(eq=nan_key)
    status: str
    note: str
    parents: tuple[str, ...]
    children: tuple[str, ...]
    key_results: tuple[KRScore, ...] = ()

    def to_mapping(self) -> dict[str, object]:
        """Return the score as a JSON-ready dict."""
        out = attrs.asdict(self, recurse=False)
        out["parents"] = list(self.parents)
        out["children"] = list(self.children)
        out["key_results"] = [k.to_mapping() for k in self.key_results]
        return out


@summarised(
    lambda r: [
        f"{len(r.objectives)} objectives",
        f"overall {r.overall:.2f}",
        f"as of {str(r.as_of)[:10]}",
    ],
    lambda r: r.to_markdown(),
)
@attrs.frozen
class OKRResult:
    """
    Scores of every objective, key result and theme of an OKR set at one date.

    Attributes
    ----------
    as_of
        The date scored.
    objectives
        Objective and theme scores in alignment order (roots first).
    overall
        Weighted mean of the root scores.
    policy
        The scoring policy used.
    okrs
        The OKR set scored: after :meth:`OKRSet.evaluate` with ``record=True``, a new set
        holding the KPI check-ins of this evaluation (the evaluated set is unchanged). Not
        part of the result's equality, ``repr`` or :meth:`to_mapping`.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *okrs* added: evaluation no longer records check-ins in the evaluated set.
    """

    as_of: np.datetime64
    objectives: tuple[ObjectiveScore, ...]
    overall: float = attrs.field(eq=nan_key)
    policy: ScoringPolicy
    okrs: OKRSet | None = attrs.field(default=None, eq=False, repr=False)

    def __getitem__(self, ident: str) -> ObjectiveScore:
        """
        Return the score of objective or theme *ident*.

        Raises
        ------
        communitykit.frameworks.UnknownItemError
            A :class:`LookupError` listing the known ids.
        """
        for o in self.objectives:
            if o.id == ident:
                return o
        raise UnknownItemError("objective or theme", ident, [o.id for o in self.objectives])

    def key_result(self, ident: str) -> KRScore:
        """
        Return the score of key result *ident*.

        Raises
        ------
        communitykit.frameworks.UnknownItemError
            A :class:`LookupError` listing the known ids.
        """
        for o in self.objectives:
            for k in o.key_results:
                if k.id == ident:
                    return k
        known = [k.id for o in self.objectives for k in o.key_results]
        raise UnknownItemError("key result", ident, known)

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        return {
            "as_of": iso(self.as_of),
            "overall": self.overall,
            "policy": self.policy.to_mapping(),
            "objectives": [o.to_mapping() for o in self.objectives],
        }

    def _lines(self, *, markdown: bool) -> list[str]:
        by_id = {o.id: o for o in self.objectives}
        roots = [o for o in self.objectives if not o.parents]
        lines: list[str] = []

        def fmt(x: float) -> str:
            return "n/a" if math.isnan(x) else f"{x:.2f}"

        def walk(o: ObjectiveScore, depth: int) -> None:
            pad = "  " * depth
            label = "theme" if o.kind == "theme" else o.kind
            head = f"{o.id} {o.title}" if not markdown else f"**{o.title}** (`{o.id}`)"
            bullet = "- " if markdown else ("* " if depth else "")
            lines.append(f"{pad}{bullet}{head} [{label}] score {fmt(o.score)} {o.band}, {o.status}")
            if o.kind != "theme":
                lines.append(f"{pad}  - _{o.note}_" if markdown else f"{pad}  ({o.note})")
            lines.extend(f"{pad}  - KR {k.id} {k.title}: {_kr_value(k)}" for k in o.key_results)
            for c in o.children:
                walk(by_id[c], depth + 1)

        for r in roots:
            walk(r, 0)
        return lines

    def to_text(self) -> str:
        """Return the alignment tree as indented text with scores, bands and statuses."""
        return "\n".join(self._lines(markdown=False))

    def to_markdown(self) -> str:
        """Return the alignment tree as a nested Markdown list."""
        return "\n".join(self._lines(markdown=True))


def _kr_value(k: KRScore) -> str:
    """One key result's value with its period, or why it has none, for text and Markdown."""
    when = f" [{k.period}]" if k.period else ""
    if math.isnan(k.value):
        why = f": {k.reason}" if k.reason else ""
        shown = "suppressed" if k.status == "suppressed" else "n/a"
        return f"{shown} of {k.target:g}{when} -> n/a {k.band}, {k.status}{why}"
    stale = f" (earlier period; {k.reason})" if k.stale else ""
    prog = "n/a" if math.isnan(k.progress) else f"{k.progress:.2f}"
    return f"{k.value:.4g} of {k.target:g}{when}{stale} -> {prog} {k.band}, {k.status}"
