"""
Stage-inference rules: thresholds, conditions, rules as data, and their evidence in plain language.

.. versionadded:: 0.2
   Split out of the inference module (rules, signals, decisions).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._format import format_number
from communitykit._frozen import frozen_mapping
from communitykit._toml import read_toml
from communitykit.errors import ConfigError
from communitykit.lifecycle._model import (
    CANONICAL_PHASES,
    OPERATORS,
    SOURCE_STATUSES,
)

__all__ = [
    "Condition",
    "Evidence",
    "InferenceRules",
    "RuleFunction",
    "StageRule",
    "Threshold",
    "format_signal",
    "load_inference_rules",
    "say_condition",
]

F64: TypeAlias = npt.NDArray[np.float64]

_NP_OPERATORS: Final[Mapping[str, Callable[[F64, float], npt.NDArray[np.bool_]]]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}

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
        "lead_share",
        "top_share_year",
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
    return frozen_mapping({str(k): str(v) for k, v in dict(value).items()})


def _number(value: float, lang: str, decimals: int = 0) -> str:
    return format_number(value, decimals=decimals, lang=lang)


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


_OP_WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {"<": "below", "<=": "at most", ">": "above", ">=": "at least", "==": "equal to"}
        ),
        "de": MappingProxyType(
            {"<": "unter", "<=": "höchstens", ">": "über", ">=": "mindestens", "==": "gleich"}
        ),
    }
)


def say_condition(signal: str, op: str, value: float, limit: float, lang: str = "en") -> str:
    """
    Return a condition that held as a reader would say it, value first, then the threshold.

    Examples
    --------
    >>> say_condition("response_rate", "<", 0.32, 0.5)
    'response_rate 32 %, below 50 %'
    >>> say_condition("idle_days", ">=", 130.0, 120.0, "de")
    'idle_days 130 Tage, mindestens 120 Tage'

    .. versionadded:: 0.2
    """
    words = _OP_WORDS.get(lang, _OP_WORDS["en"])
    return (
        f"{signal} {format_signal(signal, value, lang)}, "
        f"{words.get(op, op)} {format_signal(signal, limit, lang)}"
    )


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
    return frozen_mapping({str(k): float(v) for k, v in value.items()})


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
    values: Mapping[str, float] = attrs.field(
        converter=_frozen_floats, eq=_numeric.nan_keys, hash=False
    )
    thresholds: Mapping[str, float] = attrs.field(
        converter=_frozen_floats, eq=_numeric.nan_keys, hash=False
    )
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

    def to_mapping(self) -> dict[str, Any]:
        """
        Return the rule set as a mapping in the inference-rules file format.

        The inverse of :meth:`from_mapping`: ``InferenceRules.from_mapping(r.to_mapping()) ==
        r``. Rules given as callables (:attr:`functions`) cannot be written; they are left
        out (as they are out of the set's equality).

        Examples
        --------
        >>> rules = load_inference_rules()
        >>> raw = rules.to_mapping()
        >>> raw["inference"]["id"], raw["rules"][0]["when"][0]["signal"]
        ('default', 'idle_days')
        >>> InferenceRules.from_mapping(raw) == rules
        True

        .. versionadded:: 0.2
        """
        return {
            "inference": {"id": self.id, "version": self.version, "description": self.description},
            "thresholds": [
                {"id": t.id, "value": t.value, "description": t.description, "status": t.status}
                for t in self.thresholds
            ],
            "rules": [
                {
                    "id": r.id,
                    "phase": r.phase,
                    "when": [
                        {"signal": c.signal, "op": c.op, "threshold": c.threshold} for c in r.when
                    ],
                    "weight": r.weight,
                    "description": r.description,
                    "warning": r.warning,
                    "immediate": r.immediate,
                    "summary": dict(r.summary),
                }
                for r in self.rules
            ],
        }


@functools.cache
def _default_rules() -> InferenceRules:
    ref = resources.files("communitykit.lifecycle").joinpath("data", "inference", "default.toml")
    with resources.as_file(ref) as path:
        return InferenceRules.from_mapping(
            read_toml(path, prefix="cannot read TOML"), file=str(path)
        )


def load_inference_rules(path: str | Path | None = None) -> InferenceRules:
    """
    Return the default inference rules, or read a rules file.

    .. versionadded:: 0.1
    """
    if path is None:
        return _default_rules()
    return InferenceRules.from_mapping(read_toml(path, prefix="cannot read TOML"), file=str(path))


def _resolve_rules(rules: object) -> InferenceRules:
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
