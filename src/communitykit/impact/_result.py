"""The result of a programme-impact estimation: tidy tables, tests, sentences and a chart."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from communitykit._format import format_number
from communitykit._frame import FieldFrame
from communitykit._frozen import frozen_mapping
from communitykit._numeric import nan_key
from communitykit._schema import SCHEMA_VERSIONS, schema_id
from communitykit.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from communitykit.frameworks.benefits import Uncertain

__all__ = [
    "Aggregate",
    "AggregateTable",
    "GroupTimeEffect",
    "GroupTimeTable",
    "ImpactResult",
    "PreTrend",
    "Ratio",
    "Suppressed",
]

IMPACT_SCHEMA: Final = schema_id("impact")
"""The ``schema`` of :meth:`ImpactResult.to_mapping`."""
IMPACT_SCHEMA_VERSION: Final[int] = SCHEMA_VERSIONS["impact"]
"""The ``schema_version`` of :meth:`ImpactResult.to_mapping`."""

CELL_COLUMNS: Final = (
    "outcome",
    "cohort",
    "period",
    "event_time",
    "effect",
    "se",
    "ci_low",
    "ci_high",
    "n_treated",
    "n_control",
    "pre",
)
AGGREGATE_COLUMNS: Final = (
    "outcome",
    "kind",
    "key",
    "effect",
    "se",
    "ci_low",
    "ci_high",
    "band_low",
    "band_high",
)
PRETREND_LEVEL: Final = 0.05
"""Pre-trend p-values below this are reported as "the groups did not move alike before"."""


def _num(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


@attrs.frozen
class GroupTimeEffect:
    """
    One group-time effect ATT(cohort, period) of one outcome.

    Attributes
    ----------
    outcome, cohort, period, event_time
        The outcome, the cohort's first period, the period, and ``period - cohort`` in periods.
    effect, se, ci_low, ci_high
        The effect, its standard error and pointwise interval.
    n_treated, n_control
        People in the cohort and in the comparison group.
    pre
        Whether the cell lies before the start (a placebo cell of the pre-trend test).
    """

    outcome: str
    cohort: object
    period: object
    event_time: int
    effect: float = attrs.field(eq=nan_key)
    se: float = attrs.field(eq=nan_key)
    ci_low: float = attrs.field(eq=nan_key)
    ci_high: float = attrs.field(eq=nan_key)
    n_treated: int
    n_control: int
    pre: bool


@attrs.frozen
class Aggregate:
    """
    One aggregated effect: ``kind`` is ``simple``, ``dynamic`` (event study), ``group`` or
    ``calendar``; ``key`` is ``"overall"``, an event time, a cohort or a period.

    Attributes
    ----------
    outcome, kind, key
        What is aggregated, how, and which component.
    effect, se, ci_low, ci_high
        The effect, its standard error and pointwise interval.
    band_low, band_high
        The simultaneous band (event study only), else ``None``.
    """

    outcome: str
    kind: str
    key: object
    effect: float = attrs.field(eq=nan_key)
    se: float = attrs.field(eq=nan_key)
    ci_low: float = attrs.field(eq=nan_key)
    ci_high: float = attrs.field(eq=nan_key)
    band_low: float | None
    band_high: float | None


@attrs.frozen
class PreTrend:
    """
    The pre-trend (placebo) test of one outcome: are all pre-start effects zero?

    The headline test is a Wald test of the event-study effects before the start, referred to
    an F distribution (Hotelling's small-sample correction, with the smallest reported cohort
    as sample size), which keeps its size with a few hundred people per cohort. The test of
    the R package ``did`` (all pre-start group-time cells, chi-square) is given as well.

    Attributes
    ----------
    outcome
        The outcome.
    statistic, df, df_denominator, p_value
        The F statistic, its degrees of freedom and p-value (NaN without pre-start periods).
    cells_statistic, cells_df, cells_p_value
        ``did``'s chi-square Wald test over all pre-start group-time cells.
    """

    outcome: str
    statistic: float = attrs.field(eq=nan_key)
    df: int
    df_denominator: int
    p_value: float = attrs.field(eq=nan_key)
    cells_statistic: float = attrs.field(eq=nan_key)
    cells_df: int
    cells_p_value: float = attrs.field(eq=nan_key)

    @property
    def passed(self) -> bool | None:
        """``True`` if not rejected at 5 %, ``False`` if rejected, ``None`` if untestable."""
        if math.isnan(self.p_value):
            return None
        return self.p_value >= PRETREND_LEVEL


@attrs.frozen
class Ratio:
    """
    For a yes/no outcome: the probability with and without the programme, and their ratio.

    Attributes
    ----------
    p_treated, p_untreated
        The participants' probability after the start and its counterfactual.
    difference
        ``p_treated - p_untreated`` (the overall effect).
    ratio, ci_low, ci_high
        ``p_treated / p_untreated`` and its interval (NaN when the counterfactual is 0).
    """

    p_treated: float = attrs.field(eq=nan_key)
    p_untreated: float = attrs.field(eq=nan_key)
    difference: float = attrs.field(eq=nan_key)
    ratio: float = attrs.field(eq=nan_key)
    ci_low: float = attrs.field(eq=nan_key)
    ci_high: float = attrs.field(eq=nan_key)


@attrs.frozen
class Suppressed:
    """A cohort or cell that is not reported, and why."""

    outcome: str | None
    cohort: object
    period: object
    reason: str


def _effects(values: Iterable[GroupTimeEffect]) -> tuple[GroupTimeEffect, ...]:
    return tuple(values)


def _aggregates(values: Iterable[Aggregate]) -> tuple[Aggregate, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class GroupTimeTable(FieldFrame[GroupTimeEffect]):
    """
    The group-time effects of an impact estimation: :attr:`ImpactResult.cells`.

    A :class:`~communitykit.Frame` with one row per outcome, cohort and period and the
    columns of :data:`CELL_COLUMNS` (``to_records()``, ``to_pandas()``, ``==``, a notebook
    card); iterating and indexing give the :class:`GroupTimeEffect` objects.

    Attributes
    ----------
    effects
        The group-time effects.

    Examples
    --------
    >>> table = GroupTimeTable(
    ...     [GroupTimeEffect("posts", 3, 4, 1, 0.5, 0.1, 0.3, 0.7, 8, 20, False)]
    ... )
    >>> table
    <GroupTimeTable: 1 rows, 1 outcomes>
    >>> table.to_records()[0]["effect"], table[0].cohort
    (0.5, 3)

    .. versionadded:: 0.2
    """

    _row_fields = CELL_COLUMNS
    effects: tuple[GroupTimeEffect, ...] = attrs.field(converter=_effects)

    def _frame_rows(self) -> tuple[GroupTimeEffect, ...]:
        return self.effects

    def _repr_parts(self) -> list[str]:
        return [f"{len(self):,} rows", f"{len({r.outcome for r in self.effects}):,} outcomes"]


@attrs.frozen(eq=False, repr=False)
class AggregateTable(FieldFrame[Aggregate]):
    """
    The aggregated effects of an impact estimation: :attr:`ImpactResult.aggregates`.

    A :class:`~communitykit.Frame` with one row per outcome, kind and key and the columns of
    :data:`AGGREGATE_COLUMNS` (the simultaneous band is missing outside the event study);
    iterating and indexing give the :class:`Aggregate` objects.

    Attributes
    ----------
    aggregates
        The aggregated effects.

    Examples
    --------
    >>> table = AggregateTable(
    ...     [Aggregate("posts", "simple", "overall", 0.5, 0.1, 0.3, 0.7, None, None)]
    ... )
    >>> table.to_records()[0]["band_low"] is None, len(table)
    (True, 1)

    .. versionadded:: 0.2
    """

    _row_fields = AGGREGATE_COLUMNS
    aggregates: tuple[Aggregate, ...] = attrs.field(converter=_aggregates)

    def _frame_rows(self) -> tuple[Aggregate, ...]:
        return self.aggregates

    def _repr_parts(self) -> list[str]:
        return [f"{len(self):,} rows", f"{len({r.outcome for r in self.aggregates}):,} outcomes"]


def _cell_table(value: GroupTimeTable | Iterable[GroupTimeEffect]) -> GroupTimeTable:
    return value if isinstance(value, GroupTimeTable) else GroupTimeTable(value)


def _aggregate_table(value: AggregateTable | Iterable[Aggregate]) -> AggregateTable:
    return value if isinstance(value, AggregateTable) else AggregateTable(value)


@attrs.frozen
class ImpactResult:
    """
    Programme effects on each outcome, with intervals, the pre-trend test and what was withheld.

    Attributes
    ----------
    outcomes
        The outcomes, in order.
    periods
        The panel's periods.
    control, anticipation, alpha, n_boot, min_group_size
        The settings used.
    n_units, n_treated, n_never
        People in the estimation, of whom took part, and never took part.
    cells
        The group-time effects (the tidy table): a :class:`GroupTimeTable` frame
        (``result.cells.to_pandas()``); iterating gives the :class:`GroupTimeEffect` rows.
    aggregates
        Overall (``key="overall"``), event-study, cohort and calendar aggregates: an
        :class:`AggregateTable` frame; iterating gives the :class:`Aggregate` rows.
    pretrends
        Per outcome, the pre-trend test.
    ratios
        Per yes/no outcome, probabilities and their ratio.
    suppressed
        Cohorts and cells below the minimum group size, with the reason.
    dropped
        People left out of the estimation, by reason.
    period_name
        What a period is (``month``, ``quarter``, ...; ``period`` if unknown).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *cells* and *aggregates* are frames (were tuples; tuples given are wrapped), so the
       tables have the ``to_records()``, ``to_pandas()`` and equality of every table result.
    """

    outcomes: tuple[str, ...]
    periods: tuple[object, ...]
    control: str
    anticipation: int
    alpha: float
    n_boot: int
    min_group_size: int
    n_units: int
    n_treated: int
    n_never: int
    cells: GroupTimeTable = attrs.field(converter=_cell_table)
    aggregates: AggregateTable = attrs.field(converter=_aggregate_table)
    pretrends: Mapping[str, PreTrend] = attrs.field(converter=frozen_mapping)
    ratios: Mapping[str, Ratio] = attrs.field(converter=frozen_mapping)
    suppressed: tuple[Suppressed, ...]
    dropped: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    period_name: str = "period"

    def _check(self, outcome: str | None) -> str:
        if outcome is None:
            return self.outcomes[0]
        if outcome not in self.outcomes:
            msg = f"unknown outcome {outcome!r}; expected one of {', '.join(self.outcomes)}"
            raise ConfigError(msg)
        return outcome

    def overall(self, outcome: str | None = None) -> Aggregate | None:
        """Return the overall effect (``simple`` aggregation) of *outcome* (default the first)."""
        name = self._check(outcome)
        for a in self.aggregates:
            if a.outcome == name and a.kind == "simple":
                return a
        return None

    def aggregation(self, kind: str, outcome: str | None = None) -> AggregateTable:
        """
        Return the components of one aggregation (without the overall row).

        .. versionchanged:: 0.2
           An :class:`AggregateTable` frame (was a list of :class:`Aggregate`).
        """
        name = self._check(outcome)
        return AggregateTable(
            a
            for a in self.aggregates
            if a.outcome == name and a.kind == kind and a.key != "overall"
        )

    def event_study(self, outcome: str | None = None) -> AggregateTable:
        """
        Return the effect by periods since the start, with the simultaneous band.

        .. versionchanged:: 0.2
           An :class:`AggregateTable` frame (was a list of :class:`Aggregate`).
        """
        return self.aggregation("dynamic", outcome)

    def table(self, name: str = "cells") -> GroupTimeTable | AggregateTable:
        """
        Return the frame *name*: ``"cells"`` (:attr:`cells`) or ``"aggregates"``.

        Raises
        ------
        ConfigError
            For another *name*.

        .. versionadded:: 0.2
        """
        if name == "cells":
            return self.cells
        if name == "aggregates":
            return self.aggregates
        msg = f"table={name!r}; expected 'cells' or 'aggregates'"
        raise ConfigError(msg)

    def to_records(self, table: str = "cells") -> list[dict[str, Any]]:
        """
        Return the group-time table (``"cells"``) or the ``"aggregates"`` as dictionaries.

        The records of the frame (``result.cells.to_records()``): missing numbers are
        ``None``.

        Raises
        ------
        ConfigError
            For another *table*.

        .. versionchanged:: 0.2
           ``NaN`` is ``None``, as in every frame's records.
        """
        return self.table(table).to_records()

    def to_pandas(self, table: str = "cells") -> pd.DataFrame:
        """Return the frame's :meth:`~communitykit.Frame.to_pandas` (needs ``pandas``)."""
        return self.table(table).to_pandas()

    def to_mapping(self) -> dict[str, object]:
        """
        Return everything as plain JSON-ready data (``communitykit.impact``, version 2).

        Only ids of periods and cohorts, counts and numbers: no person-level value. Missing
        numbers are ``None``.
        """

        def clean(row: Mapping[str, object]) -> dict[str, object]:
            return {k: _num(v) if isinstance(v, float) else v for k, v in row.items()}

        return {
            "schema": IMPACT_SCHEMA,
            "schema_version": IMPACT_SCHEMA_VERSION,
            "settings": {
                "control": self.control,
                "anticipation": self.anticipation,
                "alpha": self.alpha,
                "bootstrap_draws": self.n_boot,
                "min_group_size": self.min_group_size,
                "method": "Callaway & Sant'Anna (2021), no covariates, varying base period",
                "period": self.period_name,
            },
            "sample": {
                "people": self.n_units,
                "took_part": self.n_treated,
                "never_took_part": self.n_never,
                "dropped": dict(self.dropped),
            },
            "outcomes": list(self.outcomes),
            "periods": list(self.periods),
            "group_time": [clean(r) for r in self.to_records("cells")],
            "aggregates": [clean(r) for r in self.to_records("aggregates")],
            "pretrend": [clean(attrs.asdict(p)) for p in self.pretrends.values()],
            "ratios": [{"outcome": k, **clean(attrs.asdict(r))} for k, r in self.ratios.items()],
            "suppressed": [attrs.asdict(s) for s in self.suppressed],
            "assumptions": list(ASSUMPTIONS),
            "sentences": {k: self.sentence(k) for k in self.outcomes},
        }

    def period_word(self, lang: str = "en") -> str:
        """
        Return the name of the result's period (``"month"``, ...) in *lang* (``"en"``, ``"de"``).

        The word the sentences and the report use: ``"Monat"`` for a monthly panel in German.
        """
        return period_label(self.period_name, lang)

    def sentence(
        self, outcome: str | None = None, *, who: str | None = None, lang: str = "en"
    ) -> str:
        """
        Say in one plain sentence what the programme changed in *outcome*, with the interval.

        The sentence states the interval, says plainly when no effect is detectable, and
        says whether the groups moved alike before the start. *lang* is ``"en"`` or ``"de"``.
        """
        name = self._check(outcome)
        t = _SENTENCES.get(lang, _SENTENCES["en"])
        who = who or t["who"]
        per = period_label(self.period_name, lang)
        level = round(100 * (1 - self.alpha))
        o = self.overall(name)
        pre = self.pretrends.get(name)
        if o is None or math.isnan(o.effect):
            return t["none"].format(name=name)

        def num(value: float, *, sign: bool = False, decimals: int | None = None) -> str:
            significant = None if decimals is not None else 3
            return format_number(
                value, lang=lang, sign=sign, decimals=decimals, significant=significant
            )

        if math.isnan(o.se):
            interval = t["no_interval"]
        else:
            interval = t["interval"].format(level=level, low=num(o.ci_low), high=num(o.ci_high))
        effect = num(o.effect, sign=True)
        if o.ci_low > 0 or o.ci_high < 0:
            text = t["effect"].format(name=name, who=who, effect=effect, per=per, interval=interval)
        else:
            text = t["null"].format(name=name, effect=effect, per=per, interval=interval)
        r = self.ratios.get(name)
        if r is not None and not math.isnan(r.ratio):
            text += t["ratio"].format(
                p_treated=num(r.p_treated),
                p_untreated=num(r.p_untreated),
                ratio=num(r.ratio),
                ratio_low=num(r.ci_low),
                ratio_high=num(r.ci_high),
                level=level,
            )
        if pre is None or pre.passed is None:
            text += t["untested"]
        elif pre.passed:
            text += t["alike"].format(p=num(pre.p_value, decimals=2))
        else:
            text += t["not_alike"].format(p3=num(pre.p_value, decimals=3))
        return text

    def uncertain(
        self, outcome: str | None = None, *, scale: float = 1.0, floor: float | None = None
    ) -> Uncertain:
        """
        Return the overall effect as a low / most likely / high number for the benefit model.

        The triangle is centred on the effect with the estimate's standard error (half-width
        ``sqrt(6) * se``, so the Monte Carlo of :mod:`communitykit.frameworks.benefits` carries
        the estimate's variance), times *scale* (e.g. participants x periods per benefit
        period). *floor* clips it from below (``0`` for occurrences, which cannot be negative:
        the clipped part is the chance that there is no benefit at all).

        Raises
        ------
        ConfigError
            If *outcome* has no overall effect with a standard error.

        Examples
        --------
        >>> from communitykit.impact import Panel, estimate_panel
        >>> p = Panel.from_long(
        ...     unit=np.repeat(np.arange(12), 3),
        ...     period=np.tile([1, 2, 3], 12),
        ...     start=np.repeat([3] * 6 + [0] * 6, 3),
        ...     outcomes={
        ...         "y": np.tile([1.0, 2.0, 4.0], 12)
        ...         + np.repeat([1.0] * 6 + [0.0] * 6, 3) * np.tile([0.0, 0.0, 1.0], 12)
        ...     },
        ... )
        >>> u = estimate_panel(p, n_boot=0).uncertain("y", scale=10)
        >>> u.mode, u.exact
        (10.0, True)
        """
        from communitykit.frameworks.benefits import Uncertain

        name = self._check(outcome)
        o = self.overall(name)
        if o is None or math.isnan(o.effect) or math.isnan(o.se):
            msg = f"outcome {name!r} has no overall effect with a standard error"
            raise ConfigError(msg)
        half = math.sqrt(6.0) * o.se * abs(scale)
        mode = o.effect * scale
        low, high = mode - half, mode + half
        if floor is not None:
            low, mode, high = max(low, floor), max(mode, floor), max(high, floor)
        return Uncertain(low, mode, high)

    def evidence(self, outcome: str | None = None) -> str:
        """Return a one-line description of the evidence for *outcome* (for a use case)."""
        name = self._check(outcome)
        o = self.overall(name)
        if o is None:
            return f"impact study of {name}: no estimate"
        level = round(100 * (1 - self.alpha))
        pre = self.pretrends.get(name)
        test = "" if pre is None or math.isnan(pre.p_value) else f", pre-trend p {pre.p_value:.2f}"
        return (
            f"impact study of {name}: {o.effect:+.3g} per {self.period_name} ({level} % interval "
            f"{o.ci_low:.3g} to {o.ci_high:.3g}{test}; {self.n_treated} participants, "
            f"{self.n_never} never)"
        )

    def __repr__(self) -> str:
        parts = []
        for name in self.outcomes:
            o = self.overall(name)
            if o is None:
                parts.append(f"{name}=n/a")
            else:
                parts.append(f"{name}={o.effect:+.3g} [{o.ci_low:.3g}, {o.ci_high:.3g}]")
        return (
            f"<ImpactResult {self.n_treated} took part, {self.n_never} never, "
            f"control={self.control}: {'; '.join(parts)}>"
        )

    def _repr_html_(self) -> str:
        rows = []
        for name in self.outcomes:
            o = self.overall(name)
            p = self.pretrends.get(name)
            eff = "n/a" if o is None else f"{o.effect:+.4g}"
            ci = "" if o is None else f"{o.ci_low:.4g} to {o.ci_high:.4g}"
            pv = "" if p is None or math.isnan(p.p_value) else f"{p.p_value:.3f}"
            rows.append(
                f"<tr><td>{html.escape(name)}</td><td>{eff}</td><td>{ci}</td><td>{pv}</td></tr>"
            )
        head = (
            f"<p>Programme impact: {self.n_treated} people took part, {self.n_never} never "
            f"(control: {html.escape(self.control)})</p>"
        )
        table = (
            "<table><thead><tr><th>outcome</th><th>overall effect</th>"
            f"<th>{round(100 * (1 - self.alpha))} % interval</th><th>pre-trend p</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        return head + table

    def plot(self, outcome: str | None = None, *, ax: Axes | None = None) -> Axes:
        """
        Draw the event study of *outcome*: effect by periods since the start, with pointwise
        intervals and the simultaneous band (needs matplotlib, the ``report`` extra).
        """
        import matplotlib.pyplot as plt

        name = self._check(outcome)
        rows = self.event_study(name)
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 3.6))
        e = [int(str(r.key)) for r in rows]
        eff = [r.effect for r in rows]
        colours = ["#9e9e9e" if k < 0 else "#1f77b4" for k in e]
        if rows and rows[0].band_low is not None:
            ax.fill_between(
                e,
                [r.band_low or math.nan for r in rows],
                [r.band_high or math.nan for r in rows],
                color="#1f77b4",
                alpha=0.12,
                step="mid",
                label="simultaneous band",
            )
        for k, v, r, c in zip(e, eff, rows, colours, strict=True):
            ax.plot([k, k], [r.ci_low, r.ci_high], color=c, linewidth=2)
            ax.plot([k], [v], "o", color=c)
        ax.axhline(0.0, color="black", linewidth=0.8)
        ax.axvline(-0.5, color="black", linewidth=0.8, linestyle=":")
        ax.set_xlabel("periods since the programme started")
        ax.set_ylabel(f"effect on {name}")
        ax.set_title(f"Event study: {name}")
        return ax


ASSUMPTIONS: Final = (
    (
        "parallel trends: without the programme, participants' outcomes would have moved like "
        "those of the comparison group (tested before the start by the pre-trend test)"
    ),
    "no anticipation beyond the declared anticipation periods",
    "no spill-over: the comparison group is not affected by the programme",
    "staggered adoption: once started, a person counts as a participant for good",
)
"""The identifying assumptions every result states."""


_SENTENCES: Final = {
    "en": {
        "who": "participants",
        "none": "{name}: no effect can be estimated (no reportable cohort after its start).",
        "no_interval": "no interval available",
        "interval": "{level} % interval {low} to {high}",
        "effect": (
            "{name}: after their start, {who} had {effect} per {per} "
            "compared with colleagues who did not take part ({interval})"
        ),
        "null": (
            "{name}: no detectable effect ({effect} per {per}, {interval}, which includes zero)"
        ),
        "ratio": (
            "; probability {p_treated} against {p_untreated} without the programme, "
            "x{ratio} ({level} % interval x{ratio_low} to x{ratio_high})"
        ),
        "untested": (
            "; the parallel-trends assumption could not be tested (no period before the start)."
        ),
        "alike": "; before the start both groups moved alike (pre-trend test p = {p}).",
        "not_alike": (
            "; CAUTION: before the start the groups did not move alike (pre-trend test "
            "p = {p3}), so this estimate is not credible."
        ),
    },
    "de": {
        "who": "Teilnehmende",
        "none": "{name}: keine Wirkung schätzbar (keine berichtbare Kohorte nach ihrem Start).",
        "no_interval": "kein Intervall verfügbar",
        "interval": "{level}-%-Intervall {low} bis {high}",
        "effect": (
            "{name}: nach ihrem Start hatten {who} {effect} pro {per} im Vergleich "
            "mit Kolleginnen und Kollegen, die nicht teilnahmen ({interval})"
        ),
        "null": (
            "{name}: keine nachweisbare Wirkung ({effect} pro {per}, {interval}, "
            "das die Null einschließt)"
        ),
        "ratio": (
            "; Wahrscheinlichkeit {p_treated} gegenüber {p_untreated} ohne das "
            "Programm, x{ratio} ({level}-%-Intervall x{ratio_low} bis x{ratio_high})"
        ),
        "untested": (
            "; die Annahme paralleler Trends ließ sich nicht prüfen (keine Periode vor dem Start)."
        ),
        "alike": (
            "; vor dem Start entwickelten sich beide Gruppen gleich (Vortrend-Test p = {p})."
        ),
        "not_alike": (
            "; ACHTUNG: vor dem Start entwickelten sich die Gruppen nicht gleich (Vortrend-Test "
            "p = {p3}), diese Schätzung ist daher nicht glaubwürdig."
        ),
    },
}
"""The sentences of :meth:`ImpactResult.sentence`, per language."""

_PERIOD_NAMES: Final = {
    "de": {
        "day": "Tag",
        "week": "Woche",
        "month": "Monat",
        "quarter": "Quartal",
        "year": "Jahr",
        "period": "Periode",
    },
}


def period_label(name: str, lang: str = "en") -> str:
    """The name of a period (``month``, ...) in *lang*, as the impact sentences use it."""
    return _PERIOD_NAMES.get(lang, {}).get(name, name)
