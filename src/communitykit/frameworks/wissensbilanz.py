"""
Wissensbilanz - Made in Germany: the intellectual capital statement.

Factors of human, structural and relational capital (plus business processes and business
success) are self-assessed on quantity, quality and systematic development (QQS); an impact
matrix says how strongly each factor drives each other one; from it follow active and passive
sums, the relative influence weight, Vester's four roles, and the **potential portfolio**
that says which factors to develop, to stabilise, or to analyse further.

The QQS answers run from 0 to 120 % in 10 % steps (100 % = what the strategy needs, 120 % =
more than it needs), as the practice guides rate them (*Wissensbilanz - Made in Germany,
Leitfaden 2.0*, Alwert, Bornemann and Will, BMWi Dokumentation 574, 2008, and its toolbox;
Haufe's guide to the Wissensbilanz as a controlling instrument, where "the interval between 90
and 100 is excellent"); the coarse 0/30/60/90/120 % scale is an option (:data:`COARSE_QQS_LEVELS`,
``[qqs] scale = "coarse"``). Several numbers of the method were not confirmed against the
official guideline and are therefore configurable defaults: the impact scale 0-3, the factor
score as the plain mean of Q, Q and S, the influence weight ``AS_i / mean(AS)``, the Vester
split at the mean sums, and the portfolio split points (60 % on the assessment axis, the mean
weight 1.0 on the influence axis).

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit._deprecation import renamed_attributes
from communitykit._frame import FieldFrame
from communitykit._frozen import frozen_mapping
from communitykit._numeric import ARRAY_EQ, nan_key, nan_keys
from communitykit._repr import summarised
from communitykit._time import TimeLike
from communitykit.errors import ConfigError
from communitykit.frameworks.config import (
    ConfigSection,
    UnknownItemError,
    check_kpis,
    without_none,
)
from communitykit.frameworks.readings import resolve_values, source_as_of
from communitykit.frameworks.sustainability import DIMENSIONS, check_dimension
from communitykit.typing import PathLike

__all__ = [
    "COARSE_QQS_LEVELS",
    "DEFAULT_IMPACT_SCALE",
    "DEFAULT_QQS_LEVELS",
    "FACTOR_CATEGORIES",
    "FACTOR_COLUMNS",
    "Factor",
    "FactorResult",
    "FactorTable",
    "Wissensbilanz",
    "WissensbilanzResult",
]

__getattr__ = renamed_attributes(__name__, {"CATEGORIES": "FACTOR_CATEGORIES"})

FACTOR_CATEGORIES: Final[tuple[str, ...]] = (
    "human",
    "structural",
    "relational",
    "business_process",
    "business_success",
)
"""Factor categories: human (HK), structural (SK), relational (BK) capital, processes, success."""

DEFAULT_QQS_LEVELS: Final[tuple[float, ...]] = tuple(float(v) for v in range(0, 121, 10))
"""QQS answer levels in percent: 0 to 120 in 10 % steps (100 % = what the strategy needs), as
the practice guides rate quantity, quality and systematics (*Wissensbilanz - Made in Germany,
Leitfaden 2.0*, BMWi Dokumentation 574, 2008). Configurable."""

COARSE_QQS_LEVELS: Final[tuple[float, ...]] = (0.0, 30.0, 60.0, 90.0, 120.0)
"""The coarse QQS scale 0/30/60/90/120 % (the default before 0.2), as an option."""

_QQS_SCALES: Final[dict[str, tuple[float, ...]]] = {
    "fine": DEFAULT_QQS_LEVELS,
    "coarse": COARSE_QQS_LEVELS,
}

DEFAULT_IMPACT_SCALE: Final[tuple[int, ...]] = (0, 1, 2, 3)
"""Impact strengths: none, weak, strong, very strong (exponential); unconfirmed, configurable."""


def _check_dim(_i: object, _a: object, value: str | None) -> None:
    check_dimension(value)


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Factor:
    """
    One influencing factor (Einflussfaktor) with its QQS self-assessment.

    Attributes
    ----------
    id, title
        Identity and name (``"HK1"``, ``"Expertise of the members"``).
    category
        One of :data:`FACTOR_CATEGORIES`.
    quantity, quality, systematic
        The assessment in percent on the QQS scale (``None``: not assessed).
    indicators
        KPI ids that back the assessment with data.
    description
        What the factor means for this organisation.
    dimension
        Sustainability dimension.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    category: str = attrs.field(validator=attrs.validators.in_(FACTOR_CATEGORIES))
    quantity: float | None = None
    quality: float | None = None
    systematic: float | None = None
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    description: str = ""
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    @property
    def score(self) -> float:
        """Return the mean of the given QQS values (``NaN`` if none was given)."""
        vals = [v for v in (self.quantity, self.quality, self.systematic) if v is not None]
        return float(sum(vals) / len(vals)) if vals else math.nan


@summarised(lambda f: [f.id, f"score {f.score:.2f}", f.role])
@attrs.frozen
class FactorResult:
    """
    Everything the analysis says about one factor.

    Attributes
    ----------
    id, title, category
        The factor.
    score
        Mean QQS assessment (percent).
    active, passive
        Active sum (row: how strongly it drives the others) and passive sum (column: how
        strongly it is driven).
    influence
        Relative influence weight ``active / mean(active)``.
    role
        Vester role: ``active``, ``critical``, ``reactive`` or ``buffering``.
    action
        Potential portfolio: ``develop``, ``stabilise`` or ``analyse``.
    indicators
        Indicator values by KPI id (``NaN`` when no KPI source was given).

    .. versionadded:: 0.1
    """

    id: str
    title: str
    category: str
    score: float = attrs.field(eq=nan_key)
    active: float = attrs.field(eq=nan_key)
    passive: float = attrs.field(eq=nan_key)
    influence: float = attrs.field(eq=nan_key)
    role: str
    action: str
    indicators: Mapping[str, float] = attrs.field(converter=frozen_mapping)

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        out = attrs.asdict(self)
        out["indicators"] = dict(self.indicators)
        return out


FACTOR_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "title",
    "category",
    "score",
    "active",
    "passive",
    "influence",
    "role",
    "action",
)
"""The columns of a :class:`FactorTable`: the fields of :class:`FactorResult` but its indicators."""


def _factor_results(values: Iterable[FactorResult]) -> tuple[FactorResult, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class FactorTable(FieldFrame[FactorResult]):
    """
    The factors of an analysed Wissensbilanz: :attr:`WissensbilanzResult.factors`.

    A :class:`~communitykit.Frame` with one row per factor and the columns of
    :data:`FACTOR_COLUMNS` (``to_records()``, ``to_pandas()``, ``==``, a notebook card);
    iterating and indexing give the :class:`FactorResult` objects (with their indicator
    values).

    Attributes
    ----------
    results
        The factor results, in input order.

    .. versionadded:: 0.2
    """

    _row_fields = FACTOR_COLUMNS
    results: tuple[FactorResult, ...] = attrs.field(converter=_factor_results)

    def _frame_rows(self) -> tuple[FactorResult, ...]:
        return self.results

    def _repr_parts(self) -> list[str]:
        roles = ", ".join(sorted({r.role for r in self.results}))
        return [f"{len(self):,} factors", f"roles {roles}" if roles else ""]


def _factor_table(value: FactorTable | Iterable[FactorResult]) -> FactorTable:
    return value if isinstance(value, FactorTable) else FactorTable(value)


@summarised(lambda r: [repr(r.name), f"{len(r.factors)} factors"])
@attrs.frozen
class WissensbilanzResult:
    """
    The analysed intellectual capital statement.

    Attributes
    ----------
    name
        The statement's name.
    factors
        One result per factor, in input order: a :class:`FactorTable` frame
        (``result.factors.to_pandas()``); iterating gives the :class:`FactorResult` objects.
    category_scores
        Mean factor score per category.
    split_x, split_y
        The portfolio split points used.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *factors* is a :class:`FactorTable` frame (was a tuple; a tuple given is wrapped).
    """

    name: str
    factors: FactorTable = attrs.field(converter=_factor_table)
    category_scores: Mapping[str, float] = attrs.field(converter=frozen_mapping, eq=nan_keys)
    split_x: float = attrs.field(eq=nan_key)
    split_y: float = attrs.field(eq=nan_key)

    def __getitem__(self, ident: str) -> FactorResult:
        """
        Return the result of factor *ident*.

        Raises
        ------
        communitykit.frameworks.UnknownItemError
            A :class:`LookupError` listing the known ids.
        """
        for f in self.factors:
            if f.id == ident:
                return f
        raise UnknownItemError("factor", ident, [f.id for f in self.factors])

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        return {
            "name": self.name,
            "split_x": self.split_x,
            "split_y": self.split_y,
            "category_scores": dict(self.category_scores),
            "factors": [f.to_mapping() for f in self.factors],
        }

    def to_text(self) -> str:
        """Return a table: factor, score, active/passive sums, weight, role, action."""
        head = f"{'factor':<28}{'QQS %':>7}{'AS':>6}{'PS':>6}{'weight':>8}  {'role':<10}action"
        lines = [self.name, head]
        for f in self.factors:
            score = "n/a" if math.isnan(f.score) else f"{f.score:.0f}"
            lines.append(
                f"{(f.id + ' ' + f.title)[:27]:<28}{score:>7}{f.active:>6g}{f.passive:>6g}"
                f"{f.influence:>8.2f}  {f.role:<10}{f.action}"
            )
        return "\n".join(lines)


def _matrix(value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    out = np.array(value, dtype=np.float64)  # a copy: the caller's array stays writeable
    out.setflags(write=False)
    return out


def _lag_matrix(value: npt.ArrayLike | None) -> npt.NDArray[Any] | None:
    """A read-only copy of the lags; ``None`` when no cell has one (every cell ``""``)."""
    if value is None:
        return None
    out = np.array(value)
    if out.size == 0 or all(cell == "" for cell in out.ravel().tolist()):
        return None
    out.setflags(write=False)
    return out


def _factor_tuple(value: Iterable[Factor]) -> tuple[Factor, ...]:
    return tuple(value)


@attrs.frozen
class Wissensbilanz:
    """
    An intellectual capital statement: factors, QQS assessment and the impact matrix.

    Immutable: its invariants are checked when it is built (also by :func:`attrs.evolve`),
    its matrices are read-only copies, and :meth:`evaluate` returns a result without
    changing it. Two statements are equal when their fields (matrices by value) are; it is
    not hashable (it holds arrays).

    Attributes
    ----------
    factors
        The influencing factors.
    impact
        Square matrix (factors x factors); ``impact[i, j]`` is the strength of i's influence
        on j, on *impact_scale*; the diagonal is 0.
    lags
        Optional time lag per cell (``"short"``, ``"medium"``, ``"long"`` or any label;
        ``""`` for none).
    qqs_levels
        The allowed QQS answers in percent: by default 0 to 120 in 10 % steps
        (:data:`DEFAULT_QQS_LEVELS`); :data:`COARSE_QQS_LEVELS` for 0/30/60/90/120.
    impact_scale
        The allowed impact strengths.
    split_x
        Portfolio split on the assessment axis (percent).
    split_y
        Portfolio split on the influence axis; default (``None``): the mean weight (1.0 for
        ``relative`` weights, ``1 / n_factors`` for ``share``).
    influence
        Influence weight: ``"relative"`` = ``AS_i / mean(AS)`` (default) or ``"share"`` =
        ``AS_i / sum(AS)``.
    score_method
        Factor score from the QQS values: ``"mean"`` (default) or ``"min"`` (the weakest of
        quantity, quality and systematic).
    role_split
        Where Vester's roles split the active and passive sums: ``"mean"`` (default) or
        ``"median"``.
    name, source
        Title and file (the file is where errors point; not part of equality).

    Raises
    ------
    ConfigError
        For an assessment or impact off its scale, a wrong matrix shape, or a self-influence.

    Examples
    --------
    >>> wb = Wissensbilanz(
    ...     [
    ...         Factor("HK1", "Expertise", "human", 60, 30, 30),
    ...         Factor("SK1", "Knowledge base", "structural", 90, 90, 60),
    ...         Factor("GE1", "Innovation", "business_success", 60, 60, 60),
    ...     ],
    ...     [[0, 2, 3], [1, 0, 0], [0, 1, 0]],
    ... )
    >>> r = wb.evaluate()
    >>> for f in r.factors:
    ...     print(f.id, f.active, f.passive, f.role, f.action)
    HK1 5.0 1.0 active develop
    SK1 1.0 3.0 reactive stabilise
    GE1 1.0 3.0 reactive stabilise

    .. versionadded:: 0.1
    """

    factors: tuple[Factor, ...] = attrs.field(converter=_factor_tuple)
    impact: npt.NDArray[np.float64] = attrs.field(converter=_matrix, eq=ARRAY_EQ, hash=False)
    lags: npt.NDArray[Any] | None = attrs.field(
        default=None, converter=_lag_matrix, eq=ARRAY_EQ, hash=False
    )
    qqs_levels: tuple[float, ...] = DEFAULT_QQS_LEVELS
    impact_scale: tuple[float, ...] = DEFAULT_IMPACT_SCALE
    split_x: float = 60.0
    split_y: float | None = None
    influence: str = attrs.field(
        default="relative", validator=attrs.validators.in_(("relative", "share"))
    )
    score_method: str = attrs.field(default="mean", validator=attrs.validators.in_(("mean", "min")))
    role_split: str = attrs.field(
        default="mean", validator=attrs.validators.in_(("mean", "median"))
    )
    name: str = "Wissensbilanz"
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        self.validate()

    def _error(self, msg: str, key: str) -> ConfigError:
        return ConfigError(msg, file=self.source, key=key)

    __hash__ = None  # type: ignore[assignment]  # holds arrays: equal by value, not hashable

    def validate(self) -> None:
        """
        Check ids, scales and the matrix; raise :class:`ConfigError`.

        Run when the statement is built; as it cannot change afterwards, this never raises
        on one that exists.
        """
        ids = [f.id for f in self.factors]
        if not ids:
            raise self._error("a Wissensbilanz needs at least one factor", "factors")
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise self._error(f"duplicate factor id {dup!r}", "factors")
        for i, f in enumerate(self.factors):
            for dim in ("quantity", "quality", "systematic"):
                v = getattr(f, dim)
                if v is not None and not any(math.isclose(v, lv) for lv in self.qqs_levels):
                    msg = (
                        f"{dim} of factor {f.id!r} is {v!r}, not on the QQS scale "
                        f"{list(self.qqs_levels)}"
                    )
                    raise self._error(msg, f"factors[{i}].{dim}")
        k = len(ids)
        if self.impact.shape != (k, k):
            msg = (
                f"the impact matrix must be {k} x {k} (one row per factor), got {self.impact.shape}"
            )
            raise self._error(msg, "impact")
        on_scale = np.isin(self.impact, np.asarray(self.impact_scale, dtype=np.float64))
        if not on_scale.all():
            i, j = (int(x) for x in np.argwhere(~on_scale)[0])
            msg = (
                f"impact of {ids[i]!r} on {ids[j]!r} is {float(self.impact[i, j])!r}, not on the "
                f"scale {list(self.impact_scale)}"
            )
            raise self._error(msg, f"impact[{ids[i]}][{ids[j]}]")
        if np.diagonal(self.impact).any():
            i = int(np.flatnonzero(np.diagonal(self.impact))[0])
            raise self._error(f"factor {ids[i]!r} cannot influence itself", f"impact[{ids[i]}]")
        if self.lags is not None and self.lags.shape != (k, k):
            raise self._error(f"lags must be {k} x {k}", "impacts")
        if self.lags is not None and any(cell != "" for cell in np.diagonal(self.lags).tolist()):
            i = next(i for i, cell in enumerate(np.diagonal(self.lags).tolist()) if cell != "")
            msg = f"factor {ids[i]!r} cannot influence itself (it has a lag)"
            raise self._error(msg, f"impacts[{ids[i]}]")

    # ------------------------------------------------------------------ analysis
    @property
    def ids(self) -> list[str]:
        """Factor ids in matrix order."""
        return [f.id for f in self.factors]

    def active_sums(self) -> npt.NDArray[np.float64]:
        """Return row sums: how strongly each factor influences the system."""
        return np.asarray(self.impact.sum(axis=1), dtype=np.float64)

    def passive_sums(self) -> npt.NDArray[np.float64]:
        """Return column sums: how strongly each factor is influenced."""
        return np.asarray(self.impact.sum(axis=0), dtype=np.float64)

    def influence_weights(self) -> npt.NDArray[np.float64]:
        """
        Return each factor's influence weight from its active sum.

        ``relative``: ``AS_i / mean(AS)`` (1.0 = average influence); ``share``:
        ``AS_i / sum(AS)``. When nothing acts on anything, every factor gets the mean weight.
        """
        a = self.active_sums()
        total = float(a.sum())
        if total == 0:
            a = np.ones_like(a)
            total = float(len(a))
        return a / total * (len(a) if self.influence == "relative" else 1)

    @property
    def influence_split(self) -> float:
        """The portfolio split on the influence axis (:attr:`split_y` or the mean weight)."""
        if self.split_y is not None:
            return float(self.split_y)
        return 1.0 if self.influence == "relative" else 1.0 / len(self.factors)

    def roles(self) -> list[str]:
        """
        Return each factor's Vester role, splitting both sums at :attr:`role_split`.

        High active and low passive sum: ``active`` (a lever); high and high: ``critical``
        (networked, amplifies); low and high: ``reactive`` (an indicator); low and low:
        ``buffering`` (inert). "High" means at or above the split (mean or median).
        """
        a, p = self.active_sums(), self.passive_sums()
        centre = np.mean if self.role_split == "mean" else np.median
        hi_a, hi_p = a >= centre(a), p >= centre(p)
        table = {
            (True, False): "active",
            (True, True): "critical",
            (False, True): "reactive",
            (False, False): "buffering",
        }
        return [table[(bool(x), bool(y))] for x, y in zip(hi_a, hi_p, strict=True)]

    def score(self, factor: Factor) -> float:
        """Return *factor*'s score under :attr:`score_method` (``NaN`` if not assessed)."""
        vals = [v for v in (factor.quantity, factor.quality, factor.systematic) if v is not None]
        if not vals:
            return math.nan
        return float(min(vals)) if self.score_method == "min" else factor.score

    def actions(self) -> list[str]:
        """
        Return each factor's potential-portfolio action.

        Right of *split_x* (good assessment): ``stabilise``; left of it and at or above
        *split_y* (strong influence): ``develop`` (the Handlungssektor); left and below:
        ``analyse`` further before investing. A factor without assessment is ``analyse``.
        """
        out = []
        for f, w in zip(self.factors, self.influence_weights(), strict=True):
            s = self.score(f)
            if not math.isnan(s) and s >= self.split_x:
                out.append("stabilise")
            elif not math.isnan(s) and w >= self.influence_split - 1e-12:
                out.append("develop")
            else:
                out.append("analyse")
        return out

    def network(self) -> nx.DiGraph:
        """
        Return the impact network: an edge i -> j for every non-zero impact.

        Edges carry ``weight`` (the strength) and ``lag``; nodes carry ``title``,
        ``category`` and ``score``.
        """
        G = nx.DiGraph()
        for f in self.factors:
            G.add_node(f.id, title=f.title, category=f.category, score=self.score(f))
        ids = self.ids
        for i, j in np.argwhere(self.impact != 0):
            lag = "" if self.lags is None else str(self.lags[i, j] or "")
            G.add_edge(ids[i], ids[j], weight=float(self.impact[i, j]), lag=lag)
        return G

    def needs(self) -> list[tuple[str, str | None, str | None]]:
        """Return the ``(kpi, by, group)`` triples of the indicators (whole log)."""
        return [(k, None, None) for f in self.factors for k in f.indicators]

    def evaluate(
        self, source: Any = None, *, as_of: TimeLike | None = None, **options: Any
    ) -> WissensbilanzResult:
        """
        Analyse the statement; fill indicator values from *source* if given.

        Parameters
        ----------
        source
            KPI values for the indicators: a KPI frame, a mapping, an event log, or ``None``.
        as_of
            The date for indicator values: each indicator reads the latest complete period
            at *as_of* (``period_end <= as_of``). Default: the end of the data, never the wall
            clock -- for an event log one day after its last event
            (:func:`~communitykit.periods.completion_horizon`), for a KPI frame the end of its
            last period.
        options
            ``running=True`` reads the period running at *as_of* instead; ``period`` and
            the rest are passed to :func:`communitykit.kpi.compute` for a log.
        """
        source, t = source_as_of(source, as_of)
        values = resolve_values(source, self.needs(), as_of=t, **options)
        a, p, w = self.active_sums(), self.passive_sums(), self.influence_weights()
        roles, actions = self.roles(), self.actions()
        results = tuple(
            FactorResult(
                id=f.id,
                title=f.title,
                category=f.category,
                score=self.score(f),
                active=float(a[i]),
                passive=float(p[i]),
                influence=round(float(w[i]), 12),
                role=roles[i],
                action=actions[i],
                indicators={k: values[(k, None, None)] for k in f.indicators},
            )
            for i, f in enumerate(self.factors)
        )
        cats: dict[str, float] = {}
        for c in FACTOR_CATEGORIES:
            scores = [r.score for r in results if r.category == c and not math.isnan(r.score)]
            if scores:
                cats[c] = float(np.mean(scores))
        return WissensbilanzResult(self.name, results, cats, self.split_x, self.influence_split)

    def elements(self) -> Iterable[tuple[str, str, str | None]]:
        """Yield ``(kind, id, dimension)`` of the factors."""
        for f in self.factors:
            yield ("factor", f.id, f.dimension)

    # ------------------------------------------------------------------ plot
    def plot_portfolio(self, ax: Any = None, *, path: PathLike | None = None) -> Any:
        """
        Draw the potential portfolio (needs matplotlib, the ``report`` extra).

        x: mean QQS assessment (percent); y: relative influence weight; dashed lines at the
        split points; quadrant labels develop / stabilise / analyse. Saves to *path* if given.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        try:
            import matplotlib as mpl

            if ax is None:
                mpl.use("Agg", force=False)
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the environment
            msg = "plotting needs matplotlib: pip install 'communitykit[report]'"
            raise ConfigError(msg) from exc
        r = self.evaluate()
        fig = None
        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 5))
        colours = {c: f"C{i}" for i, c in enumerate(FACTOR_CATEGORIES)}
        top = max(self.influence_split, *(f.influence for f in r.factors)) * 1.15
        right = max(self.qqs_levels) * 1.05
        for f in r.factors:
            x = 0.0 if math.isnan(f.score) else f.score
            ax.scatter(x, f.influence, color=colours[f.category], label=f.category)
            ax.annotate(f.id, (x, f.influence), xytext=(4, 4), textcoords="offset points")
        ax.axvline(self.split_x, color="grey", linestyle="--", linewidth=1)
        ax.axhline(self.influence_split, color="grey", linestyle="--", linewidth=1)
        ax.text(2, top * 0.95, "develop", va="top")
        ax.text(right * 0.98, top * 0.95, "stabilise", va="top", ha="right")
        ax.text(2, 0.05 * top, "analyse")
        ax.set_xlim(0, right)
        ax.set_ylim(0, top)
        ax.set_xlabel("assessment (mean QQS, %)")
        ax.set_ylabel("relative influence weight")
        ax.set_title(f"{self.name}: potential portfolio")
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        ax.legend(unique.values(), unique.keys(), fontsize="small", loc="center right")
        if path is not None:
            ax.figure.savefig(path, bbox_inches="tight")
        if fig is not None and path is not None:
            plt.close(fig)
        return ax

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_mapping(
        cls,
        raw: Mapping[str, object],
        *,
        file: str | None = None,
        extra_kpis: Iterable[str] = (),
    ) -> Wissensbilanz:
        """
        Build a statement from a mapping with the layout of a Wissensbilanz TOML file.

        *extra_kpis* are further KPI ids the indicators may name (formula KPIs defined alongside).
        """
        return cls._from_section(ConfigSection(raw, file), extra_kpis=extra_kpis)

    def to_mapping(self) -> dict[str, object]:
        """
        Return the statement as a mapping with the layout of a Wissensbilanz TOML file.

        The inverse of :meth:`from_mapping`: ``Wissensbilanz.from_mapping(wb.to_mapping()) ==
        wb`` (pass *extra_kpis* for indicators that are not registered KPIs). The impact
        matrix is written whole (``[impact] matrix``, factors in order); each cell with a
        time lag is an ``[[impacts]]`` entry. Entries that are ``None`` are left out.

        Examples
        --------
        >>> wb = Wissensbilanz(
        ...     [Factor("HK1", "Expertise", "human", 60), Factor("SK1", "Base", "structural")],
        ...     [[0, 2], [1, 0]],
        ...     lags=[["", "long"], ["", ""]],
        ... )
        >>> raw = wb.to_mapping()
        >>> raw["impact"]["matrix"], raw["impacts"]
        ([[0.0, 2.0], [1.0, 0.0]], [{'from': 'HK1', 'to': 'SK1', 'strength': 2.0, 'lag': 'long'}])
        >>> Wissensbilanz.from_mapping(raw) == wb
        True

        .. versionadded:: 0.2
        """
        ids = self.ids
        impacts = []
        lags = [] if self.lags is None else self.lags.tolist()
        for i, row in enumerate(lags):
            for j, lag in enumerate(row):
                if lag != "":
                    strength = float(self.impact[i, j])
                    impacts.append({"from": ids[i], "to": ids[j], "strength": strength, "lag": lag})
        return {
            "name": self.name,
            "qqs": {"levels": list(self.qqs_levels)},
            "impact": {"scale": list(self.impact_scale), "matrix": self.impact.tolist()},
            "portfolio": without_none(
                {
                    "split_x": self.split_x,
                    "split_y": self.split_y,
                    "influence": self.influence,
                    "score_method": self.score_method,
                    "role_split": self.role_split,
                }
            ),
            "factors": [
                without_none(
                    {
                        "id": f.id,
                        "title": f.title,
                        "category": f.category,
                        "quantity": f.quantity,
                        "quality": f.quality,
                        "systematic": f.systematic,
                        "indicators": list(f.indicators),
                        "description": f.description,
                        "dimension": f.dimension,
                    }
                )
                for f in self.factors
            ],
            "impacts": impacts,
        }

    @classmethod
    def from_toml(cls, path: PathLike, *, extra_kpis: Iterable[str] = ()) -> Wissensbilanz:
        """
        Load a statement from a TOML file (see :doc:`/reference/framework-files`).

        Raises
        ------
        ConfigError
            Naming the file and the dotted key of the first problem, e.g. an indicator that
            names no registered KPI (nor one of *extra_kpis*).
        """
        return cls._from_section(ConfigSection.load(path), extra_kpis=extra_kpis)

    @classmethod
    def _from_section(cls, s: ConfigSection, *, extra_kpis: Iterable[str] = ()) -> Wissensbilanz:
        s.check_keys({"name", "qqs", "impact", "portfolio", "factors", "impacts"})
        qqs = s.table("qqs", optional=True)
        qqs.check_keys({"levels", "scale"})
        if "levels" in qqs and "scale" in qqs:
            raise qqs.error("give either levels or scale, not both", "scale")
        named = _QQS_SCALES[qqs.choice("scale", tuple(_QQS_SCALES), "fine")]
        levels = tuple(_numbers(qqs, "levels", named))
        imp = s.table("impact", optional=True)
        imp.check_keys({"scale", "matrix"})
        scale = tuple(_numbers(imp, "scale", DEFAULT_IMPACT_SCALE))
        port = s.table("portfolio", optional=True)
        port.check_keys({"split_x", "split_y", "influence", "score_method", "role_split"})
        factors = []
        for f in s.tables("factors", optional=False):
            f.check_keys(
                {
                    "id",
                    "title",
                    "category",
                    "quantity",
                    "quality",
                    "systematic",
                    "indicators",
                    "description",
                    "dimension",
                }
            )
            vals = {}
            for dim in ("quantity", "quality", "systematic"):
                v = f.number(dim, None)
                if v is not None and not any(math.isclose(v, lv) for lv in levels):
                    msg = f"{dim} {v!r} is not on the QQS scale {list(levels)}"
                    raise f.error(msg, dim)
                vals[dim] = v
            factors.append(
                Factor(
                    f.text("id"),
                    f.title(),
                    f.choice("category", FACTOR_CATEGORIES),
                    indicators=f.strs("indicators", ()),
                    description=f.raw("description", ""),
                    dimension=f.choice("dimension", DIMENSIONS, None),
                    **vals,
                )
            )
        check_kpis(
            (
                (kpi, f"factors[{i}].indicators")
                for i, factor in enumerate(factors)
                for kpi in factor.indicators
            ),
            file=s.file,
            extra=extra_kpis,
        )
        ids = [f.id for f in factors]
        index = {fid: i for i, fid in enumerate(ids)}
        k = len(ids)
        matrix = np.zeros((k, k))
        lags = np.full((k, k), "", dtype=object)
        if "matrix" in imp:
            raw = imp.raw("matrix")
            try:
                matrix = np.array(raw, dtype=np.float64)
            except (TypeError, ValueError):
                raise imp.error(f"matrix must be a list of {k} rows of numbers", "matrix") from None
            if matrix.shape != (k, k):
                msg = f"matrix must be {k} x {k} (factors in file order), got {matrix.shape}"
                raise imp.error(msg, "matrix")
        for e in s.tables("impacts"):
            e.check_keys({"from", "to", "strength", "lag"})
            src, dst = e.text("from"), e.text("to")
            for name, fid in (("from", src), ("to", dst)):
                if fid not in index:
                    msg = f"unknown factor {fid!r}; factors: {', '.join(ids)}"
                    raise e.error(msg, name)
            v = e.number("strength")
            if not any(math.isclose(v, lv) for lv in scale):
                raise e.error(
                    f"strength {v!r} is not on the impact scale {list(scale)}", "strength"
                )
            if src == dst:
                raise e.error(f"factor {src!r} cannot influence itself", "to")
            matrix[index[src], index[dst]] = v
            lags[index[src], index[dst]] = e.raw("lag", "")
        return cls(
            factors,
            matrix,
            lags,
            qqs_levels=levels,
            impact_scale=scale,
            split_x=port.number("split_x", 60.0),
            score_method=port.choice("score_method", ("mean", "min"), "mean"),
            role_split=port.choice("role_split", ("mean", "median"), "mean"),
            split_y=port.number("split_y", None),
            influence=port.choice("influence", ("relative", "share"), "relative"),
            name=s.raw("name", "Wissensbilanz"),
            source=s.file,
        )


def _numbers(s: ConfigSection, name: str, default: Sequence[float]) -> list[float]:
    raw = s.raw(name, list(default))
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
    ):
        raise s.error(f"{name!r} must be a non-empty list of numbers, got {raw!r}", name)
    return [float(v) for v in raw]
