"""Targets for KPIs: the four kinds OKR tools use, achievement and traffic-light status."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError

__all__ = ["TARGET_KINDS", "Bands", "Target"]

TARGET_KINDS: Final[tuple[str, ...]] = ("at_least", "at_most", "increase_to", "decrease_to")
"""The kinds of target: reach at least / stay at most a value, increase or decrease to it."""


@attrs.frozen
class Bands:
    """
    Status bands on achievement: ``green`` at or above *green*, ``yellow`` at or above *yellow*,
    ``red`` below; ``NaN`` achievement has status ``"unknown"``.

    Attributes
    ----------
    green, yellow
        Lower bounds (``0 <= yellow <= green``).

    Examples
    --------
    >>> Bands().status(0.55)
    'yellow'

    .. versionadded:: 0.1
    """

    green: float = 0.7
    yellow: float = attrs.field(default=0.4)

    @yellow.validator
    def _check_yellow(self, _attribute: object, value: float) -> None:
        if not 0 <= value <= self.green:
            msg = (
                "band bounds must satisfy 0 <= yellow <= green; "
                f"got yellow={value!r}, green={self.green!r}"
            )
            raise ConfigError(msg)

    def status(self, achievement: float) -> str:
        """Return ``"green"``, ``"yellow"``, ``"red"`` or ``"unknown"`` (for ``NaN``)."""
        if achievement != achievement:  # noqa: PLR0124 - NaN check
            return "unknown"
        if achievement >= self.green:
            return "green"
        if achievement >= self.yellow:
            return "yellow"
        return "red"

    def statuses(self, achievement: npt.ArrayLike) -> npt.NDArray[np.object_]:
        """Vectorised :meth:`status`."""
        a = np.asarray(achievement, dtype=np.float64)
        out = np.full(a.shape, "red", dtype=object)
        out[a >= self.yellow] = "yellow"
        out[a >= self.green] = "green"
        out[np.isnan(a)] = "unknown"
        return out


@attrs.frozen
class Target:
    """
    A target for one KPI, scored to an achievement in ``[0, cap]`` and a status.

    Attributes
    ----------
    kpi
        The KPI id.
    kind
        ``at_least``: ``actual / value`` (with a *baseline* below *value*: the share of the way
        from baseline to value; a baseline at or above the value is ignored);
        ``at_most``: ``value / actual`` (so 1 or more while at or under the limit);
        ``increase_to`` and ``decrease_to``: the share of the way from *baseline*
        (default 0 for ``increase_to``) to *value*. Achievement is clipped to ``[0, cap]``.
    value
        The target value.
    baseline
        Where the KPI started; required for ``decrease_to``, default 0 for ``increase_to``.
    cap
        Highest achievement reported (1 by default; e.g. 1.2 to show over-achievement).
    bands
        The :class:`Bands` that turn achievement into a status.

    Examples
    --------
    >>> t = Target("active_members", "increase_to", 120, baseline=100)
    >>> t.achievement(110), t.status(110)
    (0.5, 'yellow')
    >>> Target("time_to_first_response", "at_most", 24).achievement(48)
    0.5

    .. versionadded:: 0.1
    """

    kpi: str = attrs.field(validator=attrs.validators.instance_of(str))
    kind: str = attrs.field()
    value: float = attrs.field(converter=float)
    baseline: float | None = attrs.field(default=None, converter=attrs.converters.optional(float))
    cap: float = attrs.field(default=1.0, converter=float)
    bands: Bands = attrs.field(factory=Bands)

    @kind.validator
    def _check_kind(self, _attribute: object, value: str) -> None:
        if value not in TARGET_KINDS:
            msg = (
                f"unknown target kind {value!r} for KPI {self.kpi!r}; "
                f"expected one of {', '.join(TARGET_KINDS)}"
            )
            raise ConfigError(msg)

    @cap.validator
    def _check_cap(self, _attribute: object, value: float) -> None:
        if not (value >= 1 and math.isfinite(value)):
            msg = f"target cap must be a finite number of at least 1; got {value!r}"
            raise ConfigError(msg)

    @value.validator
    def _check_value(self, _attribute: object, value: float) -> None:
        if not math.isfinite(value):
            msg = f"target value for KPI {self.kpi!r} must be a finite number; got {value!r}"
            raise ConfigError(msg)

    @baseline.validator
    def _check_baseline(self, _attribute: object, value: float | None) -> None:
        if value is not None and not math.isfinite(value):
            msg = f"target baseline for KPI {self.kpi!r} must be a finite number; got {value!r}"
            raise ConfigError(msg)

    def __attrs_post_init__(self) -> None:
        if self.kind == "decrease_to" and self.baseline is None:
            msg = f"a 'decrease_to' target for KPI {self.kpi!r} needs a baseline"
            raise ConfigError(msg)
        if self.kind != "at_most" and self.baseline == self.value:
            msg = f"target for KPI {self.kpi!r}: baseline equals the target value {self.value!r}"
            raise ConfigError(msg)
        wrong_way = {
            "increase_to": self.baseline is not None and self.baseline > self.value,
            "decrease_to": self.baseline is not None and self.baseline < self.value,
        }
        if wrong_way.get(self.kind, False):
            way = "above" if self.kind == "increase_to" else "below"
            msg = (
                f"an {self.kind!r} target for KPI {self.kpi!r} must lie {way} its baseline; "
                f"got baseline {self.baseline!r} and value {self.value!r}"
            )
            raise ConfigError(msg)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Target:
        """
        Build a target from a mapping such as parsed TOML.

        Keys: ``kpi``, ``kind``, ``value``, optional ``baseline``, ``cap``, ``green``,
        ``yellow``.
        """
        missing = [k for k in ("kpi", "kind", "value") if k not in raw]
        if missing:
            msg = f"target {dict(raw)!r} lacks {', '.join(missing)}"
            raise ConfigError(msg)
        try:
            bands = Bands(float(raw.get("green", 0.7)), float(raw.get("yellow", 0.4)))
            return cls(
                str(raw["kpi"]),
                str(raw["kind"]),
                raw["value"],
                raw.get("baseline"),
                raw.get("cap", 1.0),
                bands,
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ConfigError):
                raise
            msg = f"cannot read target {dict(raw)!r}: {exc}"
            raise ConfigError(msg) from None

    def to_mapping(self) -> dict[str, Any]:
        """
        Return the target as the mapping :meth:`from_mapping` reads (``baseline`` only if set).

        Examples
        --------
        >>> t = Target("posts", "at_least", 40, baseline=10)
        >>> t.to_mapping()  # doctest: +NORMALIZE_WHITESPACE
        {'kpi': 'posts', 'kind': 'at_least', 'value': 40.0, 'cap': 1.0, 'green': 0.7,
         'yellow': 0.4, 'baseline': 10.0}
        >>> Target.from_mapping(t.to_mapping()) == t
        True

        .. versionadded:: 0.2
        """
        out: dict[str, Any] = {
            "kpi": self.kpi,
            "kind": self.kind,
            "value": self.value,
            "cap": self.cap,
            "green": self.bands.green,
            "yellow": self.bands.yellow,
        }
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out

    def achievements(self, actual: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`achievement`: one achievement per actual value."""
        x = np.asarray(actual, dtype=np.float64)
        v = self.value
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if self.kind == "at_least":
                if self.baseline is not None and self.baseline < v:
                    raw = (x - self.baseline) / (v - self.baseline)
                elif v > 0:
                    raw = x / v
                else:
                    raw = np.where(x >= v, 1.0, 0.0)
            elif self.kind == "at_most":
                raw = np.where(x > 0, v / np.where(x > 0, x, 1.0), np.where(x <= v, self.cap, 0.0))
            elif self.kind == "increase_to":
                base = 0.0 if self.baseline is None else self.baseline
                raw = (x - base) / (v - base)
            else:
                assert self.baseline is not None
                raw = (self.baseline - x) / (self.baseline - v)
        out = np.clip(np.asarray(raw, dtype=np.float64), 0.0, self.cap)
        out[np.isnan(x)] = np.nan
        return out

    def achievement(self, actual: float) -> float:
        """
        Return the achievement for *actual*: 0 (nothing), 1 (met), up to :attr:`cap`.

        ``NaN`` for a ``NaN`` actual value.
        """
        return round(float(self.achievements(np.array([actual]))[0]), 10)

    def status(self, actual: float) -> str:
        """Return the status for *actual* from :attr:`bands`."""
        return self.bands.status(self.achievement(actual))
