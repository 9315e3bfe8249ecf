"""The "Programme impact" section: one plain sentence per outcome, the event study, the tests."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from communitykit.report._blocks import Block, Figure, Note, Section, Table, Text
from communitykit.report._common import _chart

if TYPE_CHECKING:
    from communitykit.impact import ImpactResult

__all__ = ["impact_section"]

_TITLE = {"en": "Programme impact", "de": "Programmwirkung"}


def _fmt(x: float | None) -> str:
    return "" if x is None or math.isnan(x) else f"{x:+.3g}"


def impact_section(result: ImpactResult, *, lang: str = "en") -> Section:
    """
    Build the report section of an impact study.

    It says in one sentence per outcome what changed (with the interval), says plainly when no
    effect is detectable or when the groups did not move alike before the start, shows the
    event study of each outcome and states the assumptions. Only aggregates appear.

    Examples
    --------
    >>> from communitykit.impact import Panel, estimate_panel
    >>> p = Panel.from_long(
    ...     unit=np.repeat(np.arange(12), 3),
    ...     period=np.tile([1, 2, 3], 12),
    ...     start=np.repeat([3] * 6 + [0] * 6, 3),
    ...     outcomes={"y": np.tile([1.0, 2.0, 4.0], 12) + np.repeat([0.0] * 6 + [1.0] * 6, 3)},
    ... )
    >>> section = impact_section(estimate_panel(p, n_boot=0))
    >>> section.title, section.status
    ('Programme impact', 'ok')

    .. versionadded:: 0.1
    """
    blocks: list[Block] = []
    intro = (
        f"{result.n_treated:,} people took part, {result.n_never:,} never did; each participant "
        "is compared with colleagues who "
        + ("never took part" if result.control == "never" else "had not yet started")
        + " (staggered difference-in-differences, Callaway & Sant'Anna 2021)."
    )
    blocks.append(Text(intro))
    blocks.append(Text("\n\n".join(result.sentence(o) for o in result.outcomes)))
    failing = [o for o, p in result.pretrends.items() if p.passed is False]
    if failing:
        blocks.append(
            Note(
                "Before the start, participants and comparison group did not move alike for "
                f"{', '.join(failing)}: these estimates are not credible as effects.",
                "warning",
            )
        )
    level = round(100 * (1 - result.alpha))
    rows: list[tuple[Any, ...]] = []
    for o in result.outcomes:
        a = result.overall(o)
        p = result.pretrends.get(o)
        pv = "" if p is None or math.isnan(p.p_value) else f"{p.p_value:.2f}"
        if a is None:
            rows.append((o, "", "", pv))
        else:
            rows.append((o, _fmt(a.effect), f"{_fmt(a.ci_low)} to {_fmt(a.ci_high)}", pv))
    blocks.append(
        Table(
            ("outcome", f"effect per {result.period_name}", f"{level} % interval", "pre-trend p"),
            rows,
            caption="Average effect after the start, over all cohorts (weighted by cohort size)",
        )
    )
    blocks.extend(
        _chart(f"event study of {o}", functools.partial(_figure, result, o))
        for o in result.outcomes
        if result.event_study(o)
    )
    if result.suppressed:
        blocks.append(
            Note(
                f"{len(result.suppressed)} cohort(s) or cell(s) withheld: fewer than "
                f"{result.min_group_size} people.",
                "info",
            )
        )
    from communitykit.impact import ASSUMPTIONS

    blocks.append(Text("Assumptions: " + "; ".join(ASSUMPTIONS) + "."))
    status = "attention" if failing else "ok"
    return Section("impact", _TITLE.get(lang, _TITLE["en"]), blocks, status=status)


def _figure(result: ImpactResult, outcome: str) -> Figure:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from communitykit.report._svg import figure_to_svg

    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    result.plot(outcome, ax=ax)
    rows = result.event_study(outcome)
    data = {
        "event_time": [int(str(a.key)) for a in rows],
        "effect": [a.effect for a in rows],
        "ci_low": [a.ci_low for a in rows],
        "ci_high": [a.ci_high for a in rows],
    }
    return Figure(
        figure_to_svg(fig),
        caption=f"Effect on {outcome} by {result.period_name}s since the start (grey: before)",
        alt=f"Event study of {outcome}",
        data=data,
    )
