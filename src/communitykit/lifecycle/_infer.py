"""
Stage inference: which lifecycle stage a community is in, by evidence from its activity.

Per group and period the engine derives *signals* (KPIs from :func:`communitykit.kpi.compute`
plus a few intermediates computed here from the log), evaluates *rules* on them, and lets each
rule that fires vote for a canonical phase with its weight. Every signal is computed from
data up to the end of its period only, so an assessment of March never looks at April.

The rules and their evidence live in ``_rules``, the windows and signals in ``_signals``; this
module holds the decision (votes, persistence, quarters and years read on months) and the
assessments.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frame import RowFrame
from communitykit._repr import summarised
from communitykit._time import Period, TimeLike, as_datetime64, completion_horizon, end_of_data
from communitykit.errors import CommunityKitWarning, DataError
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.lifecycle._model import (
    CANONICAL_PHASES,
    LifecycleModel,
    Stage,
    load_model,
)
from communitykit.lifecycle._rules import (
    Condition,
    Evidence,
    InferenceRules,
    RuleFunction,
    StageRule,
    Threshold,
    _clean,
    _frozen_floats,
    _number,
    _resolve_rules,
    format_signal,
    load_inference_rules,
    say_condition,
)
from communitykit.lifecycle._signals import (
    _UNCALIBRATED,
    LEVEL_DAYS,
    SIGNALS,
    Signals,
    Windows,
    _grid,
    _signals,
    compute_signals,
    theil_sen_slope,
)
from communitykit.privacy import MIN_GROUP_SIZE

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = [
    "SIGNALS",
    "Condition",
    "Evidence",
    "InferenceRules",
    "RuleFunction",
    "Signals",
    "StageAssessment",
    "StageAssessments",
    "StageRule",
    "Threshold",
    "Windows",
    "compute_signals",
    "format_signal",
    "infer_stage",
    "infer_stages",
    "load_inference_rules",
    "say_condition",
    "theil_sen_slope",
]

# ---------------------------------------------------------------------------- assessments


@summarised(
    lambda a: [
        a.group,
        f"{a.stage.name} ({a.canonical})",
        f"confidence {a.confidence:.0%}",
        f"period from {str(a.period_start)[:10]}",
    ],
    lambda a: a.explain(),
)
@attrs.frozen
class StageAssessment:
    """
    The inferred lifecycle stage of one group at one period, with the evidence.

    Attributes
    ----------
    group
        The community (or ``"all"``).
    period_start, period_end
        The period assessed; signals use data before ``period_end`` (or *as_of*) only.
    stage
        The stage of the model.
    canonical
        The canonical phase inferred (the model's stage stands for it).
    confidence
        In [0, 1]: the winning phase's share of all votes (with one vote of doubt added),
        scaled down while fewer than three periods of data exist.
    evidence
        The rules that fired (winning and losing), the stage's own indicators checked, warnings.
    signals
        Every signal value read (``NaN`` where unknown or suppressed for privacy).
    scores
        Sum of weights per canonical phase.
    model
        Id of the model.

    ``str(assessment)`` is :meth:`explain` (the stage, why, and what speaks against it);
    ``repr()`` is one line (``<StageAssessment: wol, Operate a community (maturity),
    confidence 50%, period from 2024-11-01>``) and a notebook shows the line and the
    explanation.

    .. versionadded:: 0.1
    """

    group: str
    period_start: np.datetime64
    period_end: np.datetime64
    stage: Stage
    canonical: str
    confidence: float
    evidence: tuple[Evidence, ...]
    signals: Mapping[str, float] = attrs.field(
        converter=_frozen_floats, eq=_numeric.nan_keys, hash=False
    )
    scores: Mapping[str, float] = attrs.field(
        converter=_frozen_floats, eq=_numeric.nan_keys, hash=False
    )
    model: str = "default"

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings of rules that fired."""
        return tuple(e.warning for e in self.evidence if e.warning)

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (the CLI's ``lifecycle infer --json`` rows)."""
        return {
            "group": self.group,
            "period_start": f"{self.period_start}Z",
            "period_end": f"{self.period_end}Z",
            "model": self.model,
            "stage": self.stage.id,
            "canonical": self.canonical,
            "confidence": self.confidence,
            "evidence": [e.to_mapping() for e in self.evidence],
            "signals": {k: _clean(v) for k, v in self.signals.items()},
            "warnings": list(self.warnings),
        }

    def __str__(self) -> str:
        return self.explain()

    def explain(self, lang: str = "en", *, numbers: bool = False) -> str:
        """
        Return the assessment and its evidence as a few lines of plain text.

        Parameters
        ----------
        lang
            Language of the evidence (``"en"`` or ``"de"``; English where a rule has no text
            in it).
        numbers
            Also quote each rule's conditions with the values and thresholds compared
            (``level_to_peak = 0.1644 < 0.75``).

        Examples
        --------
        >>> log = ck.EventLog.from_records([])
        >>> print(infer_stage(log, model="wenger1998").explain())
        all: no activity -> 'memorable' (closed), confidence 0.00

        .. versionchanged:: 0.2
           Plain language first (*lang*); the conditions only with ``numbers=True``.
        """
        head = (
            f"{self.group}: {'no activity' if not self.evidence else str(self.period_start)[:10]}"
            f" -> {self.stage.id!r} ({self.canonical}), confidence {self.confidence:.2f}"
        )
        lines = [head]
        for e in self.evidence:
            mark = "+" if e.phase == self.canonical else ("!" if e.warning else "-")
            lines.append(f"  {mark} {e.text(lang)}")
            if numbers:
                what = e.phase or ("warning" if e.warning else "indicator")
                lines.append(f"      [{e.rule}, {what} {e.weight:g}: {'; '.join(e.conditions)}]")
        return "\n".join(lines)


def _assessments(values: Iterable[StageAssessment]) -> tuple[StageAssessment, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class StageAssessments(RowFrame[StageAssessment]):
    """
    A time series of stage assessments: what :func:`infer_stages` returns.

    A :class:`~communitykit.Frame` with one row per (group, period) and the columns
    ``group``, ``period_start``, ``period_end``, ``model``, ``stage`` (the stage id),
    ``canonical`` and ``confidence``; iterating and indexing give the
    :class:`StageAssessment` objects with their evidence and signals
    (``series[-1].explain()``).

    Attributes
    ----------
    assessments
        The assessments, ordered by group, then period.

    Examples
    --------
    >>> series = infer_stages(ck.EventLog.from_records([]))
    >>> series, len(series), series.columns[:3]
    (<StageAssessments: 0 rows, 0 groups>, 0, ('group', 'period_start', 'period_end'))

    .. versionadded:: 0.2
    """

    assessments: tuple[StageAssessment, ...] = attrs.field(converter=_assessments)

    def _frame_rows(self) -> tuple[StageAssessment, ...]:
        return self.assessments

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        rows = self.assessments

        def text(values: Iterable[str]) -> npt.NDArray[Any]:
            out = np.empty(len(rows), dtype=object)
            out[:] = list(values)
            return out

        return {
            "group": text(a.group for a in rows),
            "period_start": np.array([a.period_start for a in rows], dtype="datetime64[s]"),
            "period_end": np.array([a.period_end for a in rows], dtype="datetime64[s]"),
            "model": text(a.model for a in rows),
            "stage": text(a.stage.id for a in rows),
            "canonical": text(a.canonical for a in rows),
            "confidence": np.array([a.confidence for a in rows], dtype=np.float64),
        }

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups, in order of first appearance."""
        return tuple(dict.fromkeys(a.group for a in self.assessments))

    def latest(self) -> dict[str, StageAssessment]:
        """Return each group's last assessment."""
        return {a.group: a for a in self.assessments}

    def _repr_parts(self) -> list[str]:
        return [f"{len(self):,} rows", f"{len(self.groups):,} groups"]


# ---------------------------------------------------------------------------- decisions


def _winner(scores: Mapping[str, float]) -> str:
    """The phase with the highest score; ties go to the earlier canonical phase."""
    return max(CANONICAL_PHASES, key=lambda ph: (scores[ph], -CANONICAL_PHASES.index(ph)))


def _decide(
    rules: InferenceRules,
    thresholds: Mapping[str, float],
    signals: Mapping[str, float],
    data: float,
    model: LifecycleModel,
    *,
    group: str,
    start: np.datetime64,
    end: np.datetime64,
    hold: tuple[str, int, int] | None = None,
    only: Iterable[int] | None = None,
) -> StageAssessment:
    fired = rules.evaluate(signals, thresholds, only=only)
    scores = dict.fromkeys(CANONICAL_PHASES, 0.0)
    for e in fired:
        if e.phase:
            scores[e.phase] += e.weight
    total = sum(scores.values())
    if total <= 0:
        # no rule voted: a group past its launch that keeps going is not "an idea" (a small
        # team whose counts are suppressed for privacy reads maturity with confidence 0)
        age = float(signals.get("age_months", math.nan))
        young = not age >= float(thresholds.get("launch_months", 4.0))
        phase = "inception" if young else "maturity"
        confidence = 0.0
        fired.append(
            Evidence(
                rule="no_rule",
                phase="",
                weight=0.0,
                conditions=("no rule fired",),
                values={},
                thresholds={},
                description="no rule fired: too few people or visible values to read a stage",
                summary={
                    "en": "No rule applies: too few people to read a level or a trend (or "
                    "their counts are hidden because they rest on fewer people than the "
                    "privacy minimum), so the stage is a default "
                    f"({'young' if young else 'past its launch'}), with confidence 0.",
                    "de": "Keine Regel greift: zu wenige Menschen, um Niveau oder Trend zu "
                    "lesen (oder ihre Zahlen sind verborgen, weil sie auf weniger Menschen als "
                    "dem Datenschutzminimum beruhen); die Phase ist ein Vorgabewert "
                    f"({'jung' if young else 'nach dem Start'}), mit Konfidenz 0.",
                },
            )
        )
    else:
        phase = _winner(scores)
        confidence = round(scores[phase] / (total + 1.0) * data, 4)
    if hold is not None:
        held, runs, needed = hold
        was, new = model.stage_for(held).names, model.stage_for(phase).names
        fired.append(
            Evidence(
                rule="persistence",
                phase=held,
                weight=0.0,
                conditions=(f"{phase} won {runs} of the {needed} periods in a row it needs",),
                values={},
                thresholds={"persistence": float(needed)},
                description=(
                    f"the stage stays {held!r} until {phase!r} wins {needed} periods in a row"
                ),
                summary={
                    "en": f"The reading stays {was.get('en', held)} until "
                    f"{new.get('en', phase)} has won {needed} periods in a row "
                    f"({runs} so far), so that one odd period does not change it.",
                    "de": f"Die Einstufung bleibt {was.get('de', held)}, bis "
                    f"{new.get('de', phase)} {needed} Perioden in Folge vorn liegt "
                    f"(bisher {runs}), damit eine einzelne auffällige Periode sie nicht ändert.",
                },
            )
        )
        phase = held
        confidence = round(scores[phase] / (total + 1.0) * data, 4) if total > 0 else 0.0
    stage = model.stage_for(phase)
    indicators = []
    for ind in stage.indicators:
        value = float(signals.get(ind.kpi, math.nan))
        met = ind.holds(value)
        indicators.append(
            Evidence(
                rule=f"indicator:{stage.id}",
                phase="",
                weight=0.0,
                conditions=(f"{ind} {'met' if met else 'not met'} ({ind.kpi} = {value:.4g})",),
                values={ind.kpi: value},
                thresholds={ind.kpi: ind.value},
                description=ind.note,
                summary={
                    "en": f"Typical of this stage: {ind.kpi} {ind.op} "
                    f"{format_signal(ind.kpi, ind.value)}; here "
                    f"{format_signal(ind.kpi, value)} ({'met' if met else 'not met'}).",
                    "de": f"Typisch für diese Phase: {ind.kpi} {ind.op} "
                    f"{format_signal(ind.kpi, ind.value, 'de')}; hier "
                    f"{format_signal(ind.kpi, value, 'de')} "
                    f"({'erfüllt' if met else 'nicht erfüllt'}).",
                },
            )
        )
    ordered = sorted(fired, key=lambda e: (e.phase != phase, -e.weight, e.rule))
    return StageAssessment(
        group=group,
        period_start=start,
        period_end=end,
        stage=stage,
        canonical=phase,
        confidence=float(confidence),
        evidence=(*ordered, *indicators),
        signals=dict(signals),
        scores={k: v for k, v in scores.items() if v},
        model=model.id,
    )


def infer_stages(
    log: EventLog,
    *,
    community: str | None = None,
    by: str | None = "community",
    model: LifecycleModel | str = "default",
    directory: Directory | None = None,
    as_of: TimeLike | None = None,
    period: str | Period = "month",
    period_tz: str | None = None,
    rules: object = None,
    thresholds: Mapping[str, float] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    trend_periods: int | None = None,
    level_periods: int | None = None,
    inactive_periods: int | None = None,
    persistence: int | None = None,
    partial: bool = False,
) -> StageAssessments:
    """
    Infer the lifecycle stage of each group for every period: a time series of assessments.

    Parameters
    ----------
    log
        The events.
    community
        Assess only this community.
    by
        ``"community"`` (default) or ``None`` (the whole log as one group, ``"all"``).
    model
        The lifecycle model (or built-in id) whose stages to report.
    directory
        People directory: enables ``member_generated_share`` (roles) and drops bots.
    as_of
        Use events before this instant only. The series ends with the last period complete
        at *as_of* (its end at or before it); the period still running is left out (see
        *partial*). Default: just after the last event of the whole log (also when
        *community* is given, so a community that fell silent long before the others reads as
        idle); then data reaching into a period's last day completes it.
    period
        The period of the series (default ``"month"``). The signals are defined in time, so
        the thresholds mean the same at every size (see :class:`Windows`): days, weeks and
        months are read on their own grid; a quarter or a year is read on months, and its
        assessment is the one of its last complete month (relabelled to the quarter or year).
    period_tz
        IANA time zone whose calendar the periods follow (default UTC; see
        :func:`communitykit.kpi.compute`).
    rules
        The rules: :class:`InferenceRules`, the path of a rules TOML file, a callable
        (:data:`RuleFunction`, replacing the defaults), or a list of those (combined).
        Default: the built-in rules (:func:`load_inference_rules`).
    thresholds
        Overrides of named thresholds (e.g. ``{"closed_idle_days": 90}``).
    min_group_size
        Privacy minimum passed to :func:`~communitykit.kpi.compute`; suppressed values are
        ``NaN`` in the signals (the trend reads a suppressed active count as the midpoint of
        ``[1, min_group_size - 1]``).
    trend_periods, level_periods, inactive_periods
        Window of the robust (Theil-Sen) slope, of the moving level, and the periods without
        activity after which a person counts as having left, in periods of the grid.
        Default ``None``: about half a year, a quarter and a quarter (:class:`Windows`).
    persistence
        A new phase is reported only after it has won this many grid periods in a row
        (default ``None``: about two months). ``closed`` and a phase won by an
        ``immediate`` rule (``decline_collapse``) are reported at once, and when they stop
        winning the new winner is reported at once too (a community that resumes leaves
        ``closed``); every period during a group's first level window is reported as it is.
        Until then the previous phase is kept, with a ``persistence`` evidence entry.
        ``1`` reports every period's winner as it is.
    partial
        Assess the period running at *as_of* too. Its counts cover only part of the period
        (active members on four days of a month are far fewer than in a whole month), so the
        assessment carries a ``partial_period`` evidence entry with a warning saying how much
        of the period the data covers. A group whose only period is still running is
        assessed on it either way, with the same warning.

    Returns
    -------
    StageAssessments
        A frame of the assessments (``to_records()``, ``to_pandas()``), ordered by group, then
        period; each group's series starts at its first active period. Iterating and indexing
        give the :class:`StageAssessment` objects.

    Notes
    -----
    The default rules (see the lifecycle-files reference) vote for canonical phases:

    * ``closed`` — no events for ``closed_idle_days`` (120) days;
    * ``inception`` — fewer than ``min_members`` (3) active people on average who contribute
      fewer than ``min_contributions`` (10) times a month, or a member-generated share below
      50 % (Millington's critical mass); still there after 9 months adds a warning;
    * ``launch`` — younger than ``launch_months`` (4);
    * ``growth`` — active members rising (relative Theil-Sen slope ≥ 0.04 of the peak per
      month) near the peak, more newcomers than leavers, 50-90 % member-generated;
    * ``maturity`` — a plateau within 75 % of the peak; ≥ 90 % member-generated;
    * ``decline`` — below 75 % of the peak and not rising, a collapse of the latest period
      below 10 % of the peak level (at once), falling fast, more leavers than newcomers,
      concentration (top share) rising;
    * ``transformation`` — a renewed rise after falling below 60 % of the peak;
    * a ``single_point_of_failure`` warning — one person makes at least half of the
      contributions (absence factor 1) and the top share is 70 % or more.

    The confidence is the winning phase's share of all votes with one vote of doubt added,
    scaled down while less than about a quarter of data exists.

    Examples
    --------
    >>> rows = [
    ...     {
    ...         "time": f"2024-{m:02d}-{d:02d}T10:00Z",
    ...         "actor": f"p{i}",
    ...         "community": "wol",
    ...         "action": "post",
    ...     }
    ...     for m in range(1, 7)
    ...     for i in range(6 * m)
    ...     for d in (3, 17)
    ... ]
    >>> series = infer_stages(
    ...     ck.EventLog.from_records(rows), model="iriberri_leroy2009", as_of="2024-07-01"
    ... )
    >>> [(str(a.period_start)[:7], a.stage.id) for a in series]  # doctest: +NORMALIZE_WHITESPACE
    [('2024-01', 'creation'), ('2024-02', 'growth'), ('2024-03', 'growth'),
     ('2024-04', 'growth'), ('2024-05', 'growth'), ('2024-06', 'growth')]
    >>> print(series[-1].evidence[0].text())  # plain language first
    Active people are rising (+20.0 % of the peak per month) at 100 % of their peak.
    >>> series[-1].evidence[0].conditions  # the numbers on demand
    ('peak_active = 30 >= 3', 'active_slope = 0.2 >= 0.04', 'level_to_peak = 1 >= 0.75')
    >>> print(series[-1].evidence[0].text("de"))  # doctest: +ELLIPSIS
    Die Zahl aktiver Menschen steigt (+20,0 % des Höchststands pro Monat) und liegt bei 100 % ...
    >>> series.to_records()[0]["stage"], series
    ('creation', <StageAssessments: 6 rows, 1 groups>)

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Returns a :class:`StageAssessments` frame (was a list).
    """
    log = as_event_log(log, where="infer_stages(log=)")
    directory = as_directory(directory, where="infer_stages(directory=)")
    period = Period.parse(period, tz=period_tz)
    lifecycle_model = load_model(model)
    rule_set = _resolve_rules(rules)
    limits = rule_set.threshold_values(thresholds)
    horizon = completion_horizon(log.time, as_of)  # periods ending by then are complete
    if community is not None:
        if community not in set(log.communities.tolist()):
            msg = (
                f"community {community!r} is not in the log; communities: "
                f"{', '.join(map(str, log.communities[:10]))}"
                + (" ..." if len(log.communities) > 10 else "")
            )
            raise DataError(msg)
        # the whole log's end, so a community that went quiet long ago reads as idle
        as_of = end_of_data(log.time, as_of)
        log = log.filter(communities=[community])
        by = "community"
    target = Period.parse(period)
    grid = _grid(target)  # quarters and years are read on months, at each period's end
    coarse = grid != target
    windows = Windows.of(
        grid,
        level_periods=level_periods,
        trend_periods=trend_periods,
        inactive_periods=inactive_periods,
        persistence=persistence,
    )
    sig = _signals(
        log,
        by=by,
        period=grid,
        as_of=as_of,
        directory=directory,
        min_group_size=min_group_size,
        windows=windows,
    )
    if grid.name in _UNCALIBRATED:
        warnings.warn(
            f"stage inference by {grid.name}: the windows and slopes are in time, but people "
            f"are counted per {grid.name} and the thresholds on those counts (min_members, "
            "collapse_share) are calibrated on months; small communities read inception and "
            "noisy ones decline more often (synthetic-shape recall 67/80 by week, 74/80 by "
            "month). Use period='month' for the calibrated reading",
            CommunityKitWarning,
            stacklevel=2,
        )
    immediate = {r.id for r in rule_set.rules if r.immediate}
    out: list[StageAssessment] = []
    names = list(sig.table)
    masks = rule_set.masks(sig.table, limits) if sig.table else None
    for gi, group in enumerate(sig.groups):
        if community is not None and group != community:
            continue
        first = int(sig.first_period[gi])
        if first < 0:
            continue
        current: str | None = None
        current_immediate = False  # the current reading came from an immediate rule
        pending, runs = "", 0
        last = len(sig.starts)
        if not partial and not coarse and horizon is not None:
            last = max(int(np.searchsorted(sig.ends, horizon, side="right")), first + 1)
        begin = len(out)
        for j in range(first, last):
            values = {name: float(sig.table[name][gi, j]) for name in names}
            end = sig.ends[j]
            if as_of is not None:
                end = min(end, as_datetime64(as_of))
            observed = int(sig.observed[gi, j])
            data = min(1.0, max(observed, 0) * windows.period_days / LEVEL_DAYS)
            args = (rule_set, limits, values, data, lifecycle_model)
            only = None if masks is None else np.flatnonzero(masks[:, gi, j]).tolist()
            raw = _decide(*args, group=group, start=sig.starts[j], end=end, only=only)
            phase = raw.canonical
            now_immediate = phase == "closed" or any(
                e.phase == phase and e.rule in immediate for e in raw.evidence
            )
            settling = observed <= windows.level  # first periods: no holding
            if (
                current is None
                or phase == current
                or now_immediate
                or current_immediate  # the collapse or the silence is over: follow at once
                or windows.persistence <= 1
                or settling
            ):
                current, pending, runs = phase, "", 0
                current_immediate = now_immediate
                out.append(raw)
                continue
            runs = runs + 1 if phase == pending else 1
            pending = phase
            if runs >= windows.persistence:
                current, pending, runs = phase, "", 0
                current_immediate = False
                out.append(raw)
                continue
            hold = (current, runs, windows.persistence)
            out.append(
                _decide(*args, group=group, start=sig.starts[j], end=end, hold=hold, only=only)
            )
        if coarse:
            months = out[begin:]
            del out[begin:]
            out.extend(
                _at_period_ends(
                    months,
                    sig.ends[first:],
                    target,
                    horizon=horizon,
                    as_of=as_of,
                    partial=partial,
                )
            )
        elif horizon is not None:  # one assessment per period: mark those still running
            for k in range(begin, len(out)):
                period_end = sig.ends[first + k - begin]
                if period_end > horizon:
                    out[k] = _mark_partial(out[k], period_end, horizon)
    return StageAssessments(out)


def _at_period_ends(
    months: Sequence[StageAssessment],
    month_ends: npt.NDArray[np.datetime64],
    target: Period,
    *,
    horizon: np.datetime64 | None,
    as_of: TimeLike | None,
    partial: bool,
) -> list[StageAssessment]:
    """
    Read a monthly series at the end of each quarter or year.

    A quarter's or year's assessment is the one of its last complete month, so the level
    still spans a quarter and the trend half a year; the period still running at *horizon*
    is kept only with *partial* (or when it is the group's only one), with a warning.
    """
    if not months:
        return []
    starts = target.range(months[0].period_start, months[-1].period_start + np.timedelta64(1, "s"))
    ends = target.shift(starts)
    limit = as_datetime64(as_of) if as_of is not None else None
    out: list[StageAssessment] = []
    for ps, pe in zip(starts, ends, strict=True):
        inside = [k for k, a in enumerate(months) if ps <= a.period_start < pe]
        if not inside:
            continue
        done = [k for k in inside if horizon is None or month_ends[k] <= horizon]
        complete = horizon is None or pe <= horizon
        if not complete and not partial and out:
            continue
        pick = months[(done or inside)[-1]]
        kept = tuple(e for e in pick.evidence if e.rule != "partial_period")
        end = pe if limit is None else min(pe, limit)
        a = attrs.evolve(pick, period_start=ps, period_end=end, evidence=kept)
        if not complete and horizon is not None:
            a = _mark_partial(a, pe, horizon)
        out.append(a)
    return out


def _mark_partial(
    a: StageAssessment, period_end: np.datetime64, horizon: np.datetime64
) -> StageAssessment:
    """Add a ``partial_period`` warning to an assessment of a period still running."""
    span = float((period_end - a.period_start) / np.timedelta64(1, "D"))
    covered = float((min(horizon, period_end) - a.period_start) / np.timedelta64(1, "D"))
    note = Evidence(
        rule="partial_period",
        phase="",
        weight=0.0,
        conditions=(f"data covers {covered:.3g} of the period's {span:.3g} days",),
        values={"covered_days": covered, "period_days": span},
        thresholds={},
        description="the period was still running when assessed",
        warning=(
            f"the period starting {str(a.period_start)[:10]} is not complete "
            f"({covered:.3g} of {span:.3g} days): counts such as active members are partial"
        ),
        summary={
            "en": f"The period starting {str(a.period_start)[:10]} is not complete "
            f"({covered:.3g} of {span:.3g} days): counts such as active members are partial.",
            "de": f"Die Periode ab {str(a.period_start)[:10]} ist nicht abgeschlossen "
            f"({_number(covered, 'de')} von {_number(span, 'de')} Tagen): Zahlen wie die "
            "aktiven Mitglieder sind unvollständig.",
        },
    )
    return attrs.evolve(a, evidence=(*a.evidence, note))


def infer_stage(
    log: EventLog,
    *,
    community: str | None = None,
    model: LifecycleModel | str = "default",
    directory: Directory | None = None,
    as_of: TimeLike | None = None,
    period: str | Period = "month",
    period_tz: str | None = None,
    rules: object = None,
    thresholds: Mapping[str, float] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    persistence: int | None = None,
    partial: bool = False,
) -> StageAssessment:
    """
    Infer the current lifecycle stage of one community (or of the whole log), with evidence.

    The assessment is the last one of :func:`infer_stages` for the community: the last
    period complete at *as_of* (default: the last event; with ``partial=True`` the period
    containing it). See :func:`infer_stages` for the parameters and the rules.

    Parameters
    ----------
    community
        The community to assess; may be left out when the log has one community. With
        several and none named, the whole log is assessed as group ``"all"``.

    Returns
    -------
    StageAssessment
        For a log without events: the model's stage for ``closed`` with confidence 0.

    Examples
    --------
    >>> rows = [
    ...     {
    ...         "time": f"2023-{m:02d}-10T10:00Z",
    ...         "actor": f"p{i}",
    ...         "community": "old",
    ...         "action": "post",
    ...     }
    ...     for m in range(1, 13)
    ...     for i in range(12)
    ... ]
    >>> a = infer_stage(ck.EventLog.from_records(rows), as_of="2024-09-01")
    >>> a.stage.id, a.canonical, a.confidence
    ('closed', 'closed', 0.8571)
    >>> a.evidence[0].conditions
    ('idle_days = 265.6 >= 120',)

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="infer_stage(log=)")
    directory = as_directory(directory, where="infer_stage(directory=)")
    by: str | None = "community"
    if community is None and len(_numeric.unique(log.community)) != 1:
        by = None
    series = infer_stages(
        log,
        community=community,
        by=by,
        model=model,
        directory=directory,
        as_of=as_of,
        period=period,
        period_tz=period_tz,
        rules=rules,
        thresholds=thresholds,
        min_group_size=min_group_size,
        persistence=persistence,
        partial=partial,
    )
    if not series:
        lifecycle_model = load_model(model)
        when = as_datetime64(as_of) if as_of is not None else np.datetime64("1970-01-01", "s")
        return StageAssessment(
            group=community or "all",
            period_start=when,
            period_end=when,
            stage=lifecycle_model.stage_for("closed"),
            canonical="closed",
            confidence=0.0,
            evidence=(),
            signals={},
            scores={},
            model=lifecycle_model.id,
        )
    return series[-1]
