"""The "Programme impact" section: one plain sentence per outcome, the event study, the tests."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

from communitykit._format import format_number
from communitykit.report._blocks import Block, Cell, Figure, Note, Section, Table, Text
from communitykit.report._common import _chart

if TYPE_CHECKING:
    from communitykit.impact import ImpactResult

__all__ = ["impact_section"]

_TITLE = {"en": "Programme impact", "de": "Programmwirkung"}

_TEXT = {
    "en": {
        "intro": (
            "{treated} people took part, {never} never did; each participant is compared "
            "with colleagues who {who} (staggered difference-in-differences, "
            "Callaway & Sant'Anna 2021)."
        ),
        "never": "never took part",
        "not_yet": "had not yet started",
        "failing": (
            "Before the start, participants and comparison group did not move alike for "
            "{outcomes}: these estimates are not credible as effects."
        ),
        "outcome": "outcome",
        "effect_per": "effect per {per}",
        "interval": "{level} % interval",
        "pre_p": "pre-trend p",
        "to": "to",
        "caption": "Average effect after the start, over all cohorts (weighted by cohort size)",
        "chart": "event study of {outcome}",
        "figure": "Effect on {outcome} by {per}s since the start (grey: before)",
        "alt": "Event study of {outcome}",
        "withheld": "{n} cohort(s) or cell(s) withheld: fewer than {min} people.",
        "assumptions": "Assumptions: {items}.",
    },
    "de": {
        "intro": (
            "{treated} Personen nahmen teil, {never} nie; jede teilnehmende Person wird mit "
            "Kolleginnen und Kollegen verglichen, die {who} (gestaffelte "
            "Differenz-von-Differenzen-Schätzung, Callaway & Sant'Anna 2021)."
        ),
        "never": "nie teilnahmen",
        "not_yet": "noch nicht begonnen hatten",
        "failing": (
            "Vor dem Start entwickelten sich Teilnehmende und Vergleichsgruppe bei {outcomes} "
            "nicht gleich: diese Schätzungen sind als Wirkung nicht glaubwürdig."
        ),
        "outcome": "Zielgröße",
        "effect_per": "Wirkung pro {per}",
        "interval": "{level}-%-Intervall",
        "pre_p": "Vortrend p",
        "to": "bis",
        "caption": (
            "Mittlere Wirkung nach dem Start über alle Kohorten (nach Kohortengröße gewichtet)"
        ),
        "chart": "Ereignisstudie zu {outcome}",
        "figure": "Wirkung auf {outcome} nach Perioden ({per}) seit dem Start (grau: davor)",
        "alt": "Ereignisstudie zu {outcome}",
        "withheld": "{n} Kohorte(n) oder Zelle(n) zurückgehalten: weniger als {min} Personen.",
        "assumptions": "Annahmen: {items}.",
    },
}

_ASSUMPTIONS_DE = (
    (
        "parallele Trends: ohne das Programm hätten sich die Zielgrößen der Teilnehmenden wie "
        "die der Vergleichsgruppe entwickelt (vor dem Start mit dem Vortrend-Test geprüft)"
    ),
    "keine Vorwegnahme über die angegebenen Perioden hinaus",
    "keine Übertragung: die Vergleichsgruppe wird vom Programm nicht beeinflusst",
    "gestaffelte Teilnahme: wer begonnen hat, zählt dauerhaft als teilnehmend",
)


def _fmt(x: float | None, lang: str) -> str:
    if x is None or math.isnan(x):
        return ""
    return format_number(x, sign=True, significant=3, lang=lang)


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
    t = _TEXT.get(lang, _TEXT["en"])
    per = result.period_word(lang)
    blocks: list[Block] = []
    intro = t["intro"].format(
        treated=format_number(result.n_treated, decimals=0, lang=lang),
        never=format_number(result.n_never, decimals=0, lang=lang),
        who=t["never"] if result.control == "never" else t["not_yet"],
    )
    blocks.append(Text(intro))
    blocks.append(Text("\n\n".join(result.sentence(o, lang=lang) for o in result.outcomes)))
    failing = [o for o, p in result.pretrends.items() if p.passed is False]
    if failing:
        blocks.append(Note(t["failing"].format(outcomes=", ".join(failing)), "warning"))
    level = round(100 * (1 - result.alpha))
    rows: list[tuple[Cell, ...]] = []
    for o in result.outcomes:
        a = result.overall(o)
        p = result.pretrends.get(o)
        pv = (
            ""
            if p is None or math.isnan(p.p_value)
            else format_number(p.p_value, decimals=2, lang=lang)
        )
        if a is None:
            rows.append((o, "", "", pv))
        else:
            low, high = _fmt(a.ci_low, lang), _fmt(a.ci_high, lang)
            rows.append((o, _fmt(a.effect, lang), f"{low} {t['to']} {high}", pv))
    blocks.append(
        Table(
            (
                t["outcome"],
                t["effect_per"].format(per=per),
                t["interval"].format(level=level),
                t["pre_p"],
            ),
            rows,
            caption=t["caption"],
        )
    )
    blocks.extend(
        _chart(t["chart"].format(outcome=o), functools.partial(_figure, result, o, lang))
        for o in result.outcomes
        if result.event_study(o)
    )
    if result.suppressed:
        blocks.append(
            Note(t["withheld"].format(n=len(result.suppressed), min=result.min_group_size), "info")
        )
    from communitykit.impact import ASSUMPTIONS

    items = _ASSUMPTIONS_DE if lang == "de" else ASSUMPTIONS
    blocks.append(Text(t["assumptions"].format(items="; ".join(items))))
    status = "attention" if failing else "ok"
    return Section("impact", _TITLE.get(lang, _TITLE["en"]), blocks, status=status)


def _figure(result: ImpactResult, outcome: str, lang: str = "en") -> Figure:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from communitykit.report._svg import figure_to_svg

    t = _TEXT.get(lang, _TEXT["en"])
    per = result.period_word(lang)
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
        caption=t["figure"].format(outcome=outcome, per=per),
        alt=t["alt"].format(outcome=outcome),
        data=data,
    )
