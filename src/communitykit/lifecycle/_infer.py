"""
Stage inference: which lifecycle stage a community is in, by evidence from its activity.

Per group and period the engine derives *signals* (KPIs from :func:`communitykit.kpi.compute`
plus a few intermediates computed here from the log), evaluates *rules* on them, and lets each
rule that fires vote for a canonical phase with its weight. Every signal is computed from
data up to the end of its period only, so an assessment of March never looks at April.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._inputs import as_directory, as_event_log
from communitykit._time import Period, as_datetime64
from communitykit.errors import CommunityKitWarning, ConfigError, DataError
from communitykit.events import ACTIVITY_KINDS, CONTRIBUTION_KINDS, KINDS
from communitykit.lifecycle._model import (
    CANONICAL_PHASES,
    OPERATORS,
    SOURCE_STATUSES,
    LifecycleModel,
    Stage,
    load_model,
)
from communitykit.lifecycle._toml import read_toml
from communitykit.privacy import MIN_GROUP_SIZE, suppression_mask

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = [
    "SIGNALS",
    "Condition",
    "Evidence",
    "InferenceRules",
    "RuleFunction",
    "StageAssessment",
    "StageRule",
    "Threshold",
    "Windows",
    "compute_signals",
    "format_signal",
    "infer_stage",
    "infer_stages",
    "load_inference_rules",
    "theil_sen_slope",
]

F64: TypeAlias = npt.NDArray[np.float64]

SIGNALS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "age_months": "months from the group's first event to the assessment instant",
        "idle_days": "days since the group's last event, at the assessment instant",
        "active_members": "KPI active_members of the period (people who read, interacted, created)",
        "active_level": "mean of active_members over the level window (about a quarter: "
        "3 months, 13 weeks, 1 quarter, 1 year)",
        "peak_active": "highest active_level so far (the same smoothed level, so "
        "level_to_peak <= 1)",
        "level_to_peak": "active_level / peak_active",
        "latest_to_peak": "active_members of the period / peak_active (an abrupt collapse)",
        "low_since_peak": "lowest active_level since the peak, divided by the peak",
        "active_slope": "Theil-Sen slope of active_members over the trend window (about half a "
        "year, at least 2 periods), divided by peak_active, per month",
        "new_members": "KPI new_members of the period (people whose first activity falls in it)",
        "leavers": "mean leavers per period over the level window (people whose last activity "
        "lies about a quarter back)",
        "newcomer_ratio": "newcomers / (newcomers + leavers) over the level window",
        "contributions": "contributions of the period (create actions: posts, replies, commits, "
        "reviews, edits), per month",
        "member_generated_share": "KPI member_generated_share (needs a directory with roles)",
        "response_rate": "KPI response_rate of the period",
        "top_share": "KPI top_share of the period (share of events by the top 10 % of people)",
        "top_share_slope": "Theil-Sen slope of top_share over the trend window, per month",
        "absence_factor": "KPI contributor_absence_factor of the period (CHAOSS: the fewest "
        "people making half of the contributions)",
        "gini_activity": "KPI gini_activity of the period",
    }
)
"""The signals the inference rules can read, with their meaning."""

_KPIS: Final = (
    "active_members",
    "new_members",
    "response_rate",
    "top_share",
    "gini_activity",
    "contributor_absence_factor",
)
_MONTH_DAYS: Final = 30.436875
_PERIOD_DAYS: Final[Mapping[str, float]] = MappingProxyType(
    {"day": 1.0, "week": 7.0, "month": _MONTH_DAYS, "quarter": 3 * _MONTH_DAYS, "year": 365.2425}
)
LEVEL_DAYS: Final = 3 * _MONTH_DAYS
"""The level window in days (a quarter): the moving level averages the periods it spans."""
TREND_DAYS: Final = 6 * _MONTH_DAYS
"""The trend window in days (half a year): the robust slope reads the periods it spans."""
INACTIVE_DAYS: Final = 3 * _MONTH_DAYS
"""Days without activity after which a person counts as having left (a quarter)."""
PERSISTENCE_DAYS: Final = 2 * _MONTH_DAYS
"""How long a new phase must keep winning before it is reported (two months)."""
_NP_OPERATORS: Final[Mapping[str, Callable[[F64, float], npt.NDArray[np.bool_]]]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}
_DAY: Final = 86_400
_THEIL_SEN_CELLS: Final = 4_000_000  # pairwise slopes held at once
_UNCALIBRATED: Final = frozenset({"day", "week"})  # grids whose people counts are not monthly
_CONTRIBUTING: Final = tuple(KINDS.index(k) for k in CONTRIBUTION_KINDS)
_ACTIVE: Final = tuple(KINDS.index(k) for k in ACTIVITY_KINDS)


# ---------------------------------------------------------------------------- robust slope


def theil_sen_slope(values: npt.ArrayLike) -> float:
    """
    Return the Theil-Sen slope of *values* against their position: the median of all pairwise
    slopes, ignoring NaN.

    Returns ``NaN`` for fewer than two finite values.

    Examples
    --------
    >>> theil_sen_slope([1.0, 2.0, 3.0, 4.0, 40.0])  # one outlier does not move it
    1.0

    .. versionadded:: 0.1
    """
    y = np.asarray(values, dtype=np.float64)
    return float(_rolling_theil_sen(y[None, :], y.size)[0, -1]) if y.size else math.nan


def _rolling_theil_sen(series: F64, window: int) -> F64:
    """Theil-Sen slope over the trailing *window* values of each row, at every position."""
    g, p = series.shape
    if p == 0 or window < 2:
        return np.full((g, p), np.nan)
    padded = np.concatenate([np.full((g, window - 1), np.nan), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)  # (g, p, window)
    i, j = np.triu_indices(window, k=1)
    gaps = (j - i).astype(np.float64)
    out = np.full((g, p), np.nan)
    step = max(1, _THEIL_SEN_CELLS // max(g * i.size, 1))  # bound the memory of long windows
    for lo in range(0, p, step):
        part = w[:, lo : lo + step]
        slopes = (part[..., j] - part[..., i]) / gaps
        valid = np.isfinite(slopes)
        any_valid = valid.any(axis=-1)
        if any_valid.any():
            block = out[:, lo : lo + step]
            block[any_valid] = np.nanmedian(slopes[any_valid], axis=-1)
    return out


def _sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Distinct values, sorted (a sort and a diff: faster than hashing for large int arrays)."""
    ordered = np.sort(values, kind="stable")
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    out: npt.NDArray[np.int64] = ordered[keep]
    return out


def _trailing_mean(series: F64, window: int) -> F64:
    g = series.shape[0]
    padded = np.concatenate([np.full((g, window - 1), np.nan), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    finite = np.isfinite(w)
    count = finite.sum(axis=-1)
    total = np.where(finite, w, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: F64 = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return mean


def _trailing_sum(series: F64, window: int) -> F64:
    g = series.shape[0]
    padded = np.concatenate([np.zeros((g, window - 1)), series], axis=1)
    w = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)
    total: F64 = np.nansum(w, axis=-1)
    return total


# ---------------------------------------------------------------------------- plain language

_SHARES: Final = frozenset(
    {
        "level_to_peak",
        "latest_to_peak",
        "low_since_peak",
        "newcomer_ratio",
        "member_generated_share",
        "response_rate",
        "top_share",
        "gini_activity",
    }
)
_RATES: Final[Mapping[str, str]] = MappingProxyType(
    {"active_slope": "of_peak_per_month", "top_share_slope": "points_per_month"}
)
_UNITS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "days": "days",
                "months": "months",
                "of_peak_per_month": "of the peak per month",
                "points_per_month": "points per month",
            }
        ),
        "de": MappingProxyType(
            {
                "days": "Tage",
                "months": "Monate",
                "of_peak_per_month": "des Höchststands pro Monat",
                "points_per_month": "Prozentpunkte pro Monat",
            }
        ),
    }
)


def _texts(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in dict(value).items()})


def _number(value: float, lang: str, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\u2009").replace(".", ",")
    return text


def format_signal(signal: str, value: float, lang: str = "en") -> str:
    """
    Return a signal value as a reader would say it: shares in per cent, rates per month.

    Examples
    --------
    >>> format_signal("level_to_peak", 0.1644)
    '16 %'
    >>> format_signal("active_slope", -0.052, "de")
    '-5,2 % des Höchststands pro Monat'
    >>> format_signal("idle_days", 265.6)
    '266 days'

    .. versionadded:: 0.2
    """
    if math.isnan(value):
        return "\u2013"
    units = _UNITS.get(lang, _UNITS["en"])
    if signal in _SHARES:
        return f"{_number(value * 100, lang)} %"
    if signal in _RATES:
        sign = "+" if value > 0 else ""
        unit = units[_RATES[signal]]
        per_cent = " %" if signal == "active_slope" else ""
        return f"{sign}{_number(value * 100, lang, 1)}{per_cent} {unit}"
    if signal == "idle_days":
        return f"{_number(value, lang)} {units['days']}"
    if signal == "age_months":
        return f"{_number(value, lang)} {units['months']}"
    decimals = 0 if float(value).is_integer() or abs(value) >= 10 else 1
    return _number(value, lang, decimals)


def _fill(template: str, numbers: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders; an unknown name stays as it is."""

    class _Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(numbers))


# ---------------------------------------------------------------------------- rules


@attrs.frozen
class Threshold:
    """
    A named, documented threshold of the inference rules.

    Attributes
    ----------
    id
        Name used in rule conditions (``"growth_slope"``).
    value
        Default value.
    description
        Meaning and origin.
    status
        How well the default is backed (``confirmed`` by a source, or an ``unconfirmed`` best
        guess to calibrate on your own data).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    value: float
    description: str = ""
    status: str = attrs.field(
        default="unconfirmed", validator=attrs.validators.in_(SOURCE_STATUSES)
    )


@attrs.frozen
class Condition:
    """
    One comparison of a signal with a threshold (a number, or the id of a :class:`Threshold`).

    Examples
    --------
    >>> c = Condition("idle_days", ">=", "closed_idle_days")
    >>> c.check({"idle_days": 200.0}, {"closed_idle_days": 120.0})
    (True, 200.0, 120.0)

    .. versionadded:: 0.1
    """

    signal: str = attrs.field(validator=attrs.validators.min_len(1))
    op: str = attrs.field(validator=attrs.validators.in_(tuple(OPERATORS)))
    threshold: float | str

    def resolve(self, thresholds: Mapping[str, float]) -> float:
        """Return the numeric threshold."""
        if isinstance(self.threshold, str):
            try:
                return float(thresholds[self.threshold])
            except KeyError:
                msg = (
                    f"condition on {self.signal!r} names the unknown threshold "
                    f"{self.threshold!r}; thresholds: {', '.join(sorted(thresholds))}"
                )
                raise ConfigError(msg) from None
        return float(self.threshold)

    def check(
        self, signals: Mapping[str, float], thresholds: Mapping[str, float]
    ) -> tuple[bool, float, float]:
        """Return ``(holds, value, threshold)``; a missing or NaN signal never holds."""
        limit = self.resolve(thresholds)
        value = float(signals.get(self.signal, math.nan))
        if math.isnan(value):
            return False, value, limit
        return bool(OPERATORS[self.op](value, limit)), value, limit


@attrs.frozen
class StageRule:
    """
    A rule: when all conditions hold, vote for a canonical phase with a weight (or warn).

    Attributes
    ----------
    id
        Identifier.
    phase
        The canonical phase it votes for; ``""`` for a rule that only warns.
    when
        The conditions (all must hold).
    weight
        The vote's weight.
    description
        What the rule means, with its source.
    warning
        Text of a warning to attach when the rule fires.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    phase: str = attrs.field(validator=attrs.validators.in_(("", *CANONICAL_PHASES)))
    when: tuple[Condition, ...] = attrs.field(validator=attrs.validators.min_len(1))
    weight: float = 1.0
    description: str = ""
    warning: str = ""
    immediate: bool = False
    summary: Mapping[str, str] = attrs.field(factory=dict, converter=_texts, hash=False)

    def evaluate(
        self, signals: Mapping[str, float], thresholds: Mapping[str, float]
    ) -> Evidence | None:
        """Return the evidence if the rule fires, else ``None``."""
        values: dict[str, float] = {}
        limits: dict[str, float] = {}
        quoted = []
        unit_of: dict[str, str] = {}
        for cond in self.when:
            holds, value, limit = cond.check(signals, thresholds)
            if not holds:
                return None
            values[cond.signal] = value
            key = cond.threshold if isinstance(cond.threshold, str) else cond.signal
            limits[key] = limit
            unit_of[key] = cond.signal
            quoted.append(f"{cond.signal} = {value:.4g} {cond.op} {limit:g}")
        summary = {}
        for lang, template in self.summary.items():
            numbers = {k: format_signal(k, v, lang) for k, v in values.items()}
            numbers.update({k: format_signal(unit_of[k], v, lang) for k, v in limits.items()})
            summary[lang] = _fill(template, numbers)
        return Evidence(
            rule=self.id,
            phase=self.phase,
            weight=self.weight,
            conditions=tuple(quoted),
            values=values,
            thresholds=limits,
            description=self.description,
            warning=self.warning,
            summary=summary,
        )


def _frozen_floats(value: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType({str(k): float(v) for k, v in value.items()})


@attrs.frozen
class Evidence:
    """
    Why an assessment came out as it did: one rule that fired, with what it read.

    Attributes
    ----------
    rule
        The rule's id.
    phase
        The canonical phase it voted for (``""`` for warnings and stage indicators).
    weight
        The vote's weight.
    conditions
        The conditions as quoted text (``"active_slope = 0.12 >= 0.04"``).
    values
        The signal values read.
    thresholds
        The thresholds compared with.
    description
        The rule's description.
    warning
        A warning text, if the rule warns.
    summary
        The evidence in plain language per language code (``{"en": ..., "de": ...}``), with
        the values said as a reader would say them; :meth:`text` picks one.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *summary* and :meth:`text`: plain language first, the conditions on demand.
    """

    rule: str
    phase: str
    weight: float
    conditions: tuple[str, ...]
    values: Mapping[str, float] = attrs.field(converter=_frozen_floats, hash=False)
    thresholds: Mapping[str, float] = attrs.field(converter=_frozen_floats, hash=False)
    description: str = ""
    warning: str = ""
    summary: Mapping[str, str] = attrs.field(factory=dict, converter=_texts, hash=False)

    def text(self, lang: str = "en") -> str:
        """
        Return the evidence in plain language in *lang* (English if there is none in it).

        Examples
        --------
        >>> e = Evidence("r", "decline", 1.0, ("level_to_peak = 0.16 < 0.75",), {}, {})
        >>> e.text()  # no summary: the description, else the conditions
        'level_to_peak = 0.16 < 0.75'
        """
        for key in (lang, "en"):
            if self.summary.get(key):
                return self.summary[key]
        return self.description or "; ".join(self.conditions) or self.rule

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (NaN as ``None``)."""
        return {
            "rule": self.rule,
            "phase": self.phase,
            "weight": self.weight,
            "conditions": list(self.conditions),
            "values": {k: _clean(v) for k, v in self.values.items()},
            "thresholds": dict(self.thresholds),
            "description": self.description,
            "text": dict(self.summary),
            "warning": self.warning or None,
        }


def _clean(v: float) -> float | None:
    return None if math.isnan(v) else round(v, 6)


RuleFunction: TypeAlias = Callable[[Mapping[str, float], Mapping[str, float]], Iterable[Evidence]]
"""A rule as a callable: ``(signals, thresholds) -> evidence of the rules that fired``."""


@attrs.frozen
class InferenceRules:
    """
    A set of inference rules and their thresholds, usually read from TOML.

    Attributes
    ----------
    rules
        The data rules.
    thresholds
        Named thresholds with documented defaults.
    functions
        Extra rules as callables (:data:`RuleFunction`).
    id, version, description
        What the set is.

    Examples
    --------
    >>> rules = load_inference_rules()
    >>> rules.threshold_values()["member_share_mature"]
    0.9

    .. versionadded:: 0.1
    """

    rules: tuple[StageRule, ...]
    thresholds: tuple[Threshold, ...] = ()
    functions: tuple[RuleFunction, ...] = attrs.field(default=(), eq=False)
    id: str = "custom"
    version: str = ""
    description: str = ""

    def threshold_values(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """
        Return ``{id: value}``, with *overrides* applied.

        Raises
        ------
        ConfigError
            For an override of a threshold the set does not define.
        """
        out = {t.id: t.value for t in self.thresholds}
        for key, value in (overrides or {}).items():
            if key not in out:
                msg = f"unknown threshold {key!r}; thresholds: {', '.join(sorted(out))}"
                raise ConfigError(msg)
            out[key] = float(value)
        return out

    def masks(
        self, table: Mapping[str, npt.NDArray[np.float64]], thresholds: Mapping[str, float]
    ) -> npt.NDArray[np.bool_]:
        """
        Return, per data rule, where it fires on arrays of signals (vectorised evaluation).

        The result has shape ``(len(rules), *shape)``; a missing or NaN signal never fires.
        """
        shape = next(iter(table.values())).shape if table else (0,)
        out = np.zeros((len(self.rules), *shape), dtype=bool)
        for k, rule in enumerate(self.rules):
            mask = np.ones(shape, dtype=bool)
            for cond in rule.when:
                limit = cond.resolve(thresholds)
                values = table.get(cond.signal)
                if values is None:
                    mask[...] = False
                    break
                finite = ~np.isnan(values)
                compared = np.zeros(shape, dtype=bool)
                compared[finite] = _NP_OPERATORS[cond.op](values[finite], limit)
                mask &= compared
            out[k] = mask
        return out

    def evaluate(
        self,
        signals: Mapping[str, float],
        thresholds: Mapping[str, float],
        *,
        only: Iterable[int] | None = None,
    ) -> list[Evidence]:
        """
        Return the evidence of every rule (data and callable) that fires.

        *only* restricts the data rules to these positions (those :meth:`masks` found firing).
        """
        chosen = self.rules if only is None else [self.rules[k] for k in only]
        fired = [e for r in chosen if (e := r.evaluate(signals, thresholds)) is not None]
        for fn in self.functions:
            items: Iterable[object] = fn(signals, thresholds)
            for item in items:
                if not isinstance(item, Evidence):
                    msg = f"rule function {fn!r} returned {item!r}; expected Evidence objects"
                    raise ConfigError(msg)
                fired.append(item)
        return fired

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, file: str | None = None) -> InferenceRules:
        """Build the rule set from a mapping in the inference-rules file format."""
        head = dict(raw.get("inference", {}))
        try:
            thresholds = tuple(
                Threshold(
                    str(t.get("id", "")),
                    float(t["value"]),
                    str(t.get("description", "")),
                    str(t.get("status", "unconfirmed")),
                )
                for t in raw.get("thresholds", [])
            )
        except (KeyError, TypeError, ValueError) as exc:
            msg = f"invalid threshold: {exc}"
            raise ConfigError(msg, file=file, key="thresholds") from None
        known = {t.id for t in thresholds}
        rules = []
        for i, r in enumerate(raw.get("rules", [])):
            for c in r.get("when", []):
                limit = c.get("threshold") if isinstance(c, Mapping) else None
                if isinstance(limit, str) and limit not in known:
                    msg = f"unknown threshold {limit!r}; thresholds: {', '.join(sorted(known))}"
                    raise ConfigError(msg, file=file, key=f"rules[{i}].when")
            try:
                conds = []
                for c in r.get("when", []):
                    limit = c["threshold"]
                    conds.append(
                        Condition(
                            str(c["signal"]),
                            str(c["op"]),
                            limit if isinstance(limit, str) else float(limit),
                        )
                    )
                rules.append(
                    StageRule(
                        id=str(r.get("id", "")),
                        phase=str(r.get("phase", "")),
                        when=tuple(conds),
                        weight=float(r.get("weight", 1.0)),
                        description=str(r.get("description", "")),
                        warning=str(r.get("warning", "")),
                        immediate=bool(r.get("immediate", False)),
                        summary=dict(r.get("summary", {})),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                msg = f"rule {i} ({r.get('id', '?')!r}) is invalid: {exc}"
                raise ConfigError(msg, file=file, key=f"rules[{i}]") from None
        return cls(
            tuple(rules),
            thresholds,
            (),
            str(head.get("id", "custom")),
            str(head.get("version", "")),
            str(head.get("description", "")),
        )


@functools.cache
def _default_rules() -> InferenceRules:
    ref = resources.files("communitykit.lifecycle").joinpath("data", "inference", "default.toml")
    with resources.as_file(ref) as path:
        return InferenceRules.from_mapping(read_toml(path), file=str(path))


def load_inference_rules(path: str | Path | None = None) -> InferenceRules:
    """
    Return the default inference rules, or read a rules file.

    .. versionadded:: 0.1
    """
    if path is None:
        return _default_rules()
    return InferenceRules.from_mapping(read_toml(path), file=str(path))


def _resolve_rules(rules: Any) -> InferenceRules:
    if rules is None:
        return _default_rules()
    if isinstance(rules, InferenceRules):
        return rules
    if isinstance(rules, (str, Path)):
        return load_inference_rules(rules)
    if callable(rules):
        return InferenceRules((), _default_rules().thresholds, (rules,), "callable")
    if isinstance(rules, Sequence):
        parts = [_resolve_rules(r) for r in rules]
        thresholds: dict[str, Threshold] = {}
        for p in parts:
            for t in p.thresholds:
                thresholds.setdefault(t.id, t)
        return InferenceRules(
            tuple(r for p in parts for r in p.rules),
            tuple(thresholds.values()),
            tuple(f for p in parts for f in p.functions),
            "+".join(p.id for p in parts),
        )
    msg = f"rules must be InferenceRules, a callable, a TOML path or a list of those; got {rules!r}"
    raise ConfigError(msg)


# ---------------------------------------------------------------------------- assessments


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

    .. versionadded:: 0.1
    """

    group: str
    period_start: np.datetime64
    period_end: np.datetime64
    stage: Stage
    canonical: str
    confidence: float
    evidence: tuple[Evidence, ...]
    signals: Mapping[str, float] = attrs.field(converter=_frozen_floats, hash=False)
    scores: Mapping[str, float] = attrs.field(converter=_frozen_floats, hash=False)
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


# ---------------------------------------------------------------------------- signals


@attrs.frozen
class Windows:
    """
    The windows of the inference signals for one period size, in periods of its grid.

    The windows are defined in time (:data:`LEVEL_DAYS`, :data:`TREND_DAYS`,
    :data:`INACTIVE_DAYS`, :data:`PERSISTENCE_DAYS`) and converted to whole periods of the
    *grid* the signals are computed on, so a level spans about a quarter and a trend about
    half a year whatever the period size. Days, weeks and months are their own grid;
    quarters and years are read on months, at the end of each quarter or year (a window of a
    quarter cannot be made of whole years).

    Attributes
    ----------
    period_days
        The nominal length of one grid period in days (a month is 30.44 days).
    level, trend, inactive, persistence
        The windows in grid periods.
    grid
        The period the signals are computed on.

    Examples
    --------
    >>> [Windows.of(p).level for p in ("week", "month", "quarter", "year")]
    [13, 3, 3, 3]
    >>> [Windows.of(p).trend for p in ("week", "month", "quarter", "year")]
    [26, 6, 6, 6]
    >>> Windows.of("year").grid
    'month'

    .. versionadded:: 0.2
    """

    period_days: float
    level: int
    trend: int
    inactive: int
    persistence: int
    grid: str = "month"

    @classmethod
    def of(
        cls,
        period: str | Period,
        *,
        level_periods: int | None = None,
        trend_periods: int | None = None,
        inactive_periods: int | None = None,
        persistence: int | None = None,
    ) -> Windows:
        """
        Return the windows for *period*; a number given overrides the one derived from time.

        Raises
        ------
        ConfigError
            For the period ``all`` or a window that is not a whole number large enough.
        """
        name = _grid(Period.parse(period)).name
        if name == "all":
            msg = (
                "stage inference needs a calendar period (day, week, month, quarter, year), "
                "not 'all'"
            )
            raise ConfigError(msg)
        days = _PERIOD_DAYS[name]

        def pick(label: str, given: int | None, span: float, low: int) -> int:
            if given is None:
                return max(low, round(span / days))
            number: object = given
            if isinstance(number, bool) or not isinstance(number, int) or number < low:
                msg = f"{label} must be an integer of at least {low}; got {given!r}"
                raise ConfigError(msg)
            return given

        return cls(
            days,
            pick("level_periods", level_periods, LEVEL_DAYS, 1),
            pick("trend_periods", trend_periods, TREND_DAYS, 2),
            pick("inactive_periods", inactive_periods, INACTIVE_DAYS, 1),
            pick("persistence", persistence, PERSISTENCE_DAYS, 1),
            name,
        )

    @property
    def per_month(self) -> float:
        """The factor that turns a change per period into a change per month."""
        return _MONTH_DAYS / self.period_days


@attrs.frozen
class _Signals:
    groups: tuple[str, ...]
    starts: npt.NDArray[np.datetime64] = attrs.field(eq=False)
    ends: npt.NDArray[np.datetime64] = attrs.field(eq=False)
    first_period: npt.NDArray[np.int64] = attrs.field(eq=False)  # per group, -1 if no events
    table: Mapping[str, F64] = attrs.field(eq=False)  # signal -> (groups, periods)
    observed: npt.NDArray[np.int64] = attrs.field(eq=False)  # periods of data so far


def _group_codes(log: EventLog, by: str | None) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    if by is None or str(by).lower() in {"none", "all"}:
        return np.zeros(len(log), dtype=np.int64), ("all",)
    if str(by).lower() == "community":
        return log.community.astype(np.int64), tuple(str(c) for c in log.communities)
    msg = f"stage inference groups by 'community' or None, not {by!r}"
    raise ConfigError(msg)


def compute_signals(
    log: EventLog,
    *,
    by: str | None = "community",
    period: str | Period = "month",
    as_of: object = None,
    directory: Directory | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    trend_periods: int | None = None,
    level_periods: int | None = None,
    inactive_periods: int | None = None,
) -> dict[str, dict[str, list[float]]]:
    """
    Return the inference signals per group as ``{group: {signal: values per period}}``.

    The signals are described in :data:`SIGNALS`; periods run from the log's first period to
    the one containing *as_of*. Useful to calibrate thresholds on your own data. The windows
    default to those of :class:`Windows` for the period size.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Windows default to spans of time (a quarter, half a year), not to 3 and 6 periods.
    """
    target = Period.parse(period)
    grid = _grid(target)
    sig = _signals(
        log,
        by=by,
        period=grid,
        as_of=as_of,
        directory=directory,
        min_group_size=min_group_size,
        windows=Windows.of(
            grid,
            level_periods=level_periods,
            trend_periods=trend_periods,
            inactive_periods=inactive_periods,
        ),
    )
    columns = np.arange(len(sig.starts))
    if grid != target and len(sig.starts):
        # a quarter or year reads its last month (complete at as_of, if one is)
        horizon = sig.ends[-1] if as_of is None else as_datetime64(as_of)
        starts = target.range(sig.starts[0], sig.starts[-1] + np.timedelta64(1, "s"))
        picks = []
        for ps, pe in zip(starts, target.shift(starts), strict=True):
            inside = np.flatnonzero((sig.starts >= ps) & (sig.starts < pe))
            done = inside[sig.ends[inside] <= horizon]
            picks.append(int((done if done.size else inside)[-1]))
        columns = np.array(picks, dtype=np.int64)
    return {
        g: {name: [float(v) for v in arr[i, columns]] for name, arr in sig.table.items()}
        for i, g in enumerate(sig.groups)
    }


def _signals(
    log: EventLog,
    *,
    by: str | None,
    period: Period,
    as_of: object,
    directory: Directory | None,
    min_group_size: int,
    windows: Windows,
) -> _Signals:
    from communitykit.kpi import compute

    level_periods, trend_periods = windows.level, windows.trend
    codes, groups = _group_codes(log, by)
    grouped = groups != ("all",) or str(by).lower() == "community"
    keep = np.ones(len(log), dtype=bool)
    end: np.datetime64 | None
    if as_of is None:
        end = (log.time.max() + np.timedelta64(1, "s")) if len(log) else None
    else:
        end = as_datetime64(as_of)
        keep &= log.time < end
    if directory is not None and len(directory):
        rows = directory.actor_rows(log)
        bots = np.zeros(len(log.actors), dtype=bool)
        known = rows >= 0
        bots[known] = directory.has_role("bot")[rows[known]]
        keep &= ~bots[log.actor]
    times, codes = log.time[keep], codes[keep]
    actors = log.actor.astype(np.int64)[keep]
    kinds = log.kind[keep]
    active_kind = np.isin(kinds, _ACTIVE)  # membership events (join, leave) are not activity
    if end is None or not active_kind.any():
        empty = np.empty(0, dtype="datetime64[s]")
        return _Signals(groups, empty, empty, np.full(len(groups), -1), {}, np.empty(0, np.int64))
    start = period.floor(times.min()[None])[0]
    starts = period.range(start, end)
    ends = period.shift(starts)
    g, p = len(groups), len(starts)
    instant = np.minimum(ends, end)  # assessment instant per period
    pidx = np.searchsorted(starts, times, side="right") - 1

    # first/last event per group, idle days and age at every period's instant
    first_t = np.full(g, np.iinfo(np.int64).max)
    np.minimum.at(first_t, codes[active_kind], times[active_kind].astype(np.int64))
    has = first_t < np.iinfo(np.int64).max
    first_period = np.where(has, np.searchsorted(starts.astype(np.int64), first_t, "right") - 1, -1)
    order = np.lexsort((times, codes))
    t_sorted, c_sorted = times[order].astype(np.int64), codes[order]
    inst = instant.astype(np.int64)
    idle = np.full((g, p), np.nan)
    age = np.full((g, p), np.nan)
    bounds = np.searchsorted(c_sorted, np.arange(g + 1))
    for gi in np.flatnonzero(has):
        ts = t_sorted[bounds[gi] : bounds[gi + 1]]
        k = np.searchsorted(ts, inst, side="left") - 1  # last event strictly before the instant
        ok = k >= 0
        idle[gi, ok] = (inst[ok] - ts[k[ok]]) / _DAY
        age[gi, ok] = (inst[ok] - ts[0]) / (_DAY * _MONTH_DAYS)

    # newcomers and leavers from distinct (group, actor, period) triples of activity
    act = active_kind
    key_g, key_a, key_p = codes[act], actors[act], pidx[act]
    n_actors = max(len(log.actors), 1)
    triple = _sorted_unique((key_g * n_actors + key_a) * p + key_p)
    ga, per = triple // p, triple % p
    newcomers = np.zeros((g, p))
    leavers = np.zeros((g, p))
    if triple.size:
        first_of_pair = np.concatenate([[True], ga[1:] != ga[:-1]])
        np.add.at(newcomers, (ga[first_of_pair] // n_actors, per[first_of_pair]), 1.0)
        nxt = np.concatenate([per[1:], [np.iinfo(np.int64).max]])
        same_next = np.concatenate([ga[1:] == ga[:-1], [False]])
        gone_at = per + windows.inactive
        leaves = (~same_next | (nxt > gone_at)) & (gone_at < p)
        np.add.at(leavers, (ga[leaves] // n_actors, gone_at[leaves]), 1.0)

    # contributions (events.CONTRIBUTION_KINDS: posts, replies, commits, reviews, edits)
    made = np.isin(kinds, _CONTRIBUTING)
    contributions = np.zeros((g, p))
    np.add.at(contributions, (codes[made], pidx[made]), 1.0)

    # KPIs from the engine
    names = list(_KPIS)
    with_roles = directory is not None and directory.has_any_roles()
    if with_roles:
        names.append("member_generated_share")
    frame = compute(
        log,
        names,
        by="community" if grouped else None,
        period=period,
        start=starts[0],
        end=end,
        directory=directory,
        min_group_size=min_group_size,
    )
    gpos = {name: i for i, name in enumerate(groups)}
    kpi_col, grp_col = frame["kpi"], frame["group"]
    ppos = np.searchsorted(starts, frame["period_start"])
    table: dict[str, F64] = {}
    suppressed: dict[str, npt.NDArray[np.bool_]] = {}
    people = np.zeros((g, p))
    for name in [*_KPIS, "member_generated_share"]:
        arr = np.full((g, p), np.nan)
        sup = np.zeros((g, p), dtype=bool)
        rows = np.flatnonzero(kpi_col == name)
        if rows.size:
            grow = np.array([gpos.get(str(x), -1) for x in grp_col[rows]], dtype=np.int64)
            ok = (grow >= 0) & (ppos[rows] < p)
            arr[grow[ok], ppos[rows][ok]] = frame["value"][rows][ok]
            sup[grow[ok], ppos[rows][ok]] = frame["suppressed"][rows][ok]
            if name == "active_members":
                people[grow[ok], ppos[rows][ok]] = frame["n"][rows][ok]
        table[name] = arr
        suppressed[name] = sup

    # the trend uses suppressed active counts at the midpoint of [1, min_group_size - 1]
    active = table["active_members"].copy()
    active[suppressed["active_members"]] = max(min_group_size, 2) / 2.0
    before = np.arange(p)[None, :] < first_period[:, None]
    active[before] = np.nan
    level = _trailing_mean(active, level_periods)
    # the peak is the highest value of the same smoothed level: level_to_peak <= 1
    peak = np.fmax.accumulate(np.where(np.isnan(level), -np.inf, level), axis=1)
    peak[np.isinf(peak)] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        level_to_peak = np.where(peak > 0, np.minimum(level / peak, 1.0), np.nan)
        latest_to_peak = np.where(peak > 0, active / peak, np.nan)
        slope = _rolling_theil_sen(active, trend_periods)
        rel_slope = np.where(peak > 0, slope / peak * windows.per_month, np.nan)
    # lowest level since the highest level so far (a loop over groups and periods only)
    trough = np.full((g, p), np.nan)
    for row in range(g):
        run_low = math.inf
        best = -math.inf
        for j in range(p):
            v = float(level[row, j])
            if math.isnan(v):
                continue
            if v >= best:
                best, run_low = v, v
            else:
                run_low = min(run_low, v)
            trough[row, j] = run_low / best if best > 0 else math.nan
    new_sum = _trailing_sum(newcomers, level_periods)
    gone_sum = _trailing_sum(leavers, level_periods)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(new_sum + gone_sum > 0, new_sum / (new_sum + gone_sum), np.nan)
    ratio = _private(ratio, new_sum + gone_sum, min_group_size)
    gone_mean = _private(gone_sum / level_periods, gone_sum, min_group_size)
    made_per_month = _private(contributions * windows.per_month, people, min_group_size)
    top_slope = _rolling_theil_sen(table["top_share"], trend_periods) * windows.per_month
    observed = np.arange(p)[None, :] - first_period[:, None] + 1

    out: dict[str, F64] = {
        "age_months": age,
        "idle_days": idle,
        "active_members": table["active_members"],
        "active_level": level,
        "peak_active": peak,
        "level_to_peak": level_to_peak,
        "latest_to_peak": latest_to_peak,
        "low_since_peak": trough,
        "active_slope": rel_slope,
        "new_members": table["new_members"],
        "leavers": gone_mean,
        "newcomer_ratio": ratio,
        "contributions": made_per_month,
        "member_generated_share": table["member_generated_share"],
        "response_rate": table["response_rate"],
        "top_share": table["top_share"],
        "top_share_slope": top_slope,
        "absence_factor": table["contributor_absence_factor"],
        "gini_activity": table["gini_activity"],
    }
    for column in out.values():
        column[before] = np.nan
    return _Signals(groups, starts, ends, first_period, out, observed)


def _private(values: F64, people: F64, min_group_size: int) -> F64:
    """*values* with those resting on too few people hidden (NaN), by the one privacy rule
    (:func:`communitykit.privacy.suppression_mask`: a 0 resting on nobody is shown)."""
    out = values.copy()
    out[suppression_mask(np.maximum(people, 0), values, min_group_size=min_group_size)] = np.nan
    return out


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
                description="no rule fired: too few visible signals to read a stage",
                summary={
                    "en": "No rule applies: too few visible signals (values resting on fewer "
                    "than the privacy minimum of people are suppressed), so the stage is a "
                    f"default ({'young' if young else 'past its launch'}), with confidence 0.",
                    "de": "Keine Regel greift: zu wenige sichtbare Signale (Werte, die auf zu "
                    "wenigen Menschen beruhen, werden aus Datenschutzgründen unterdrückt); die "
                    f"Phase ist ein Vorgabewert ({'jung' if young else 'nach dem Start'}), "
                    "mit Konfidenz 0.",
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
    as_of: object = None,
    period: str | Period = "month",
    period_tz: str | None = None,
    rules: Any = None,
    thresholds: Mapping[str, float] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    trend_periods: int | None = None,
    level_periods: int | None = None,
    inactive_periods: int | None = None,
    persistence: int | None = None,
    partial: bool = False,
) -> list[StageAssessment]:
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
    list of StageAssessment
        Ordered by group, then period; each group's series starts at its first active period.

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
      below 25 % of the peak level (at once), falling fast, more leavers than newcomers,
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

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="infer_stages(log=)")
    directory = as_directory(directory, where="infer_stages(directory=)")
    period = Period.parse(period, tz=period_tz)
    lifecycle_model = load_model(model)
    rule_set = _resolve_rules(rules)
    limits = rule_set.threshold_values(thresholds)
    horizon: np.datetime64 | None = None  # periods ending by then are complete
    if as_of is not None:
        horizon = as_datetime64(as_of)
    elif len(log):
        horizon = np.datetime64(log.time.max(), "s") + np.timedelta64(1, "D")
    if community is not None:
        if community not in set(log.communities.tolist()):
            msg = (
                f"community {community!r} is not in the log; communities: "
                f"{', '.join(map(str, log.communities[:10]))}"
                + (" ..." if len(log.communities) > 10 else "")
            )
            raise DataError(msg)
        if as_of is None and len(log):
            # the whole log's end, so a community that went quiet long ago reads as idle
            as_of = log.time.max() + np.timedelta64(1, "s")
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
            "noisy ones decline more often (synthetic-shape recall 61/80 by week, 74/80 by "
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
    return out


def _grid(period: Period) -> Period:
    """The grid the signals are computed on: months for quarters and years, else the period."""
    if period.name in {"quarter", "year"}:
        return attrs.evolve(period, name="month")
    return period


def _at_period_ends(
    months: Sequence[StageAssessment],
    month_ends: npt.NDArray[np.datetime64],
    target: Period,
    *,
    horizon: np.datetime64 | None,
    as_of: object,
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
    as_of: object = None,
    period: str | Period = "month",
    period_tz: str | None = None,
    rules: Any = None,
    thresholds: Mapping[str, float] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    persistence: int = 2,
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
