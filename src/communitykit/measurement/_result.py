"""
The result of evaluating a measurement model: :class:`Measurement`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, overload

import attrs
import numpy as np

from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit._time import as_datetime64, wall_time
from communitykit.frameworks.benefits import BenefitCase, SimulationResult
from communitykit.frameworks.scorecard import ScorecardResult
from communitykit.frameworks.sustainability import CoverageReport
from communitykit.frameworks.wissensbilanz import WissensbilanzResult
from communitykit.kpi import KPIFrame
from communitykit.okr import OKRResult
from communitykit.survey import SurveySummary, SurveyTrend, TrendPoint

if TYPE_CHECKING:
    from communitykit.impact import ImpactResult

from communitykit._schema import schema_id
from communitykit.measurement._schema import MEASUREMENT_SCHEMA_VERSION

__all__ = ["Measurement"]


def _survey_trend(value: SurveyTrend | Iterable[TrendPoint]) -> SurveyTrend:
    """The trend as a frame (a sequence of points, as before 0.2, is wrapped)."""
    return value if isinstance(value, SurveyTrend) else SurveyTrend(tuple(value))


@summarised(
    lambda m: [
        repr(m.model),
        f"as of {str(m.as_of)[:10]}" if m.as_of is not None else "no time",
        f"{len(m.kpis):,} KPI rows",
        *(
            name
            for name in ("okrs", "scorecard", "wissensbilanz", "survey", "benefits")
            if getattr(m, name) is not None
        ),
    ]
)
@attrs.frozen
class Measurement:
    """
    Everything one evaluation of a measurement model found, typed and JSON-serialisable.

    Attributes
    ----------
    model, purpose
        The model's name and purpose.
    as_of
        The instant measured (events at or after it are ignored): the *as_of* given, else the
        end of the data; ``None`` when neither events nor answers give a time (an impact
        study or manual values alone), never the wall clock.
    period
        The KPI period.
    sources
        What was read (paths, row and reject counts).
    kpis
        The KPI values (with targets, achievement and status where the model set a target).
    okrs, scorecard, wissensbilanz
        Framework results, or ``None``.
    survey
        Survey summary, or ``None``.
    survey_trend
        The trend of the answers per group and period (:class:`~communitykit.survey.SurveyTrend`,
        a frame: ``to_records()``, ``to_pandas()``; iterating and indexing give the
        :class:`~communitykit.survey.TrendPoint` objects as the tuple did); empty without
        timed answers.
    benefits
        The benefit case, or ``None``.
    simulation
        The Monte Carlo result of the benefit case, or ``None``.
    coverage
        The sustainability coverage of the model.
    warnings
        Caveats met on the way (missing data, suppressed values).
    horizon
        Periods ending by this instant are complete; key results, measures and indicators
        read the latest complete period. It is *as_of* when that was given, else one day
        after the last event or answer (data reaching into a period's last day completes it).
    impact
        The result of the model's impact study (:class:`~communitykit.impact.ImpactResult`),
        or ``None``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *survey_trend* is a :class:`~communitykit.survey.SurveyTrend` frame (was a tuple of
       points; a tuple given is wrapped).
    """

    model: str
    purpose: str
    as_of: np.datetime64 | None
    period: str
    sources: Mapping[str, object] = attrs.field(converter=frozen_mapping)
    kpis: KPIFrame
    okrs: OKRResult | None
    scorecard: ScorecardResult | None
    wissensbilanz: WissensbilanzResult | None
    survey: SurveySummary | None
    survey_trend: SurveyTrend = attrs.field(converter=_survey_trend)
    benefits: BenefitCase | None
    simulation: SimulationResult | None
    coverage: CoverageReport
    warnings: tuple[str, ...] = ()
    horizon: np.datetime64 | None = None
    impact: ImpactResult | None = None
    period_tz: str | None = None

    def to_mapping(self) -> dict[str, object]:
        """Return the measurement as JSON-ready data (layout: :data:`MEASUREMENT_SCHEMA`)."""
        survey = None
        if self.survey is not None:
            survey = self.survey.to_mapping()
            survey["trend"] = [p.to_mapping() for p in self.survey_trend]
        benefits = None
        if self.benefits is not None:
            benefits = self.benefits.to_mapping()
            simulation = self.simulation
            benefits["simulation"] = None if simulation is None else simulation.to_mapping()
        out: dict[str, object] = _clean(
            {
                "schema": schema_id("measurement"),
                "schema_version": MEASUREMENT_SCHEMA_VERSION,
                "model": self.model,
                "purpose": self.purpose,
                "as_of": None if self.as_of is None else f"{self.as_of}Z",
                "period": self.period,
                "sources": dict(self.sources),
                "kpis": self.kpis.to_records(),
                "okrs": None if self.okrs is None else self.okrs.to_mapping(),
                "scorecard": None if self.scorecard is None else self.scorecard.to_mapping(),
                "wissensbilanz": (
                    None if self.wissensbilanz is None else self.wissensbilanz.to_mapping()
                ),
                "survey": survey,
                "benefits": benefits,
                "coverage": self.coverage.to_mapping(),
                "warnings": list(self.warnings),
            }
        )
        if self.impact is not None:
            out["impact"] = _clean(self.impact.to_mapping())
        if self.period_tz is not None:
            out["period_tz"] = self.period_tz
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return :meth:`to_mapping` as JSON text (``NaN`` written as ``null``)."""
        return json.dumps(self.to_mapping(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_text(self) -> str:
        """Return a plain-text summary for the terminal."""
        when = "no time" if self.as_of is None else f"as of {self.as_of}Z"
        lines = [f"{self.model} ({when})", f"purpose: {self.purpose}", ""]
        horizon = self.horizon if self.horizon is not None else self.as_of
        latest = _latest(self.kpis, horizon)
        if latest:
            lines.append("KPIs (latest complete period):")
            for r in latest:
                v = "suppressed" if r.get("suppressed") else _fmt(r.get("value"))
                extra = ""
                if r.get("status") not in (None, ""):
                    extra = f"  target {_fmt(r.get('target'))}, {r['status']}"
                when = _period_label(str(r["period_start"]), self.period, self.period_tz)
                lines.append(f"  {r['kpi']:<28} {r['group']:<18} {when:<10} {v:>10}{extra}")
            lines.append("")
        if self.okrs is not None:
            lines += ["OKRs:", *("  " + x for x in self.okrs.to_text().splitlines()), ""]
        if self.scorecard is not None:
            lines += ["Scorecard:", *("  " + x for x in self.scorecard.to_text().splitlines()), ""]
        if self.wissensbilanz is not None:
            lines += [*self.wissensbilanz.to_text().splitlines(), ""]
        if self.survey is not None:
            rec = self.survey.recommend
            alpha = ", ".join(f"{k} {_fmt(v)}" for k, v in self.survey.alpha.items())
            lines.append(
                f"Survey: {self.survey.n_respondents} answers; alpha {alpha}; would recommend "
                f"{_fmt(rec)} %"
            )
            lines.append("")
        if self.benefits is not None:
            lines.append(
                f"Benefit ({self.benefits.period}, {self.benefits.currency}): expected "
                f"{self.benefits.expected_benefit():,.0f} (product of modes "
                f"{self.benefits.benefit():,.0f})"
            )
            if self.simulation is not None:
                sim = self.simulation
                lines.append(
                    f"  Headline: expected (mean) {sim.benefit_mean:,.0f}, median "
                    f"{sim.benefit_median:,.0f}, 5-95 % range {sim.benefit_p5:,.0f} - "
                    f"{sim.benefit_p95:,.0f}"
                )
                b, roi = self.simulation.benefit, self.simulation.roi
                lines.append(
                    "  Monte Carlo: benefit "
                    + ", ".join(f"{k} {v:,.0f}" for k, v in b.items())
                    + "; ROI "
                    + ", ".join(f"{k} {_fmt(v)}" for k, v in roi.items())
                )
            est = self.benefits.estimated_story_impact()
            if est["stories"]:
                lines.append(f"  {est['label']}: {est['total']:,.0f} {est['currency']}")
            lines.append("")
        if self.impact is not None:
            lines.append("Programme impact:")
            lines += ["  " + self.impact.sentence(o) for o in self.impact.outcomes]
            lines.append("")
        lines.append("Sustainability coverage:")
        lines += ["  " + x for x in self.coverage.to_text().splitlines()]
        if self.warnings:
            lines += ["", "Warnings:", *(f"  - {w}" for w in self.warnings)]
        return "\n".join(lines)


def _fmt(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _period_label(start: str, period: str, tz: str | None = None) -> str:
    """``2026-02`` for a month, ``2026`` for a year, the start day otherwise (local in *tz*)."""
    start = str(wall_time(as_datetime64(start), tz))
    if period == "month":
        return start[:7]
    if period == "year":
        return start[:4]
    return start[:10]


def _latest(frame: KPIFrame, horizon: np.datetime64 | None = None) -> list[dict[str, object]]:
    """
    Per KPI and group, the latest period complete by *horizon*, with or without a value.

    A suppressed or empty latest period is shown as such, never replaced by an older value.
    """
    best: dict[tuple[str, str], dict[str, object]] = {}
    for r in frame.to_records():
        if horizon is not None and as_datetime64(r["period_end"]) > horizon:
            continue  # still running: a partial value
        key = (r["kpi"], r["group"])
        if key not in best or r["period_start"] > best[key]["period_start"]:
            best[key] = r
    return list(best.values())


@overload
def _clean(value: Mapping[object, object]) -> dict[str, object]: ...
@overload
def _clean(value: object) -> object: ...
def _clean(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.floating):
        return _clean(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.datetime64):
        return f"{value}Z"
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
