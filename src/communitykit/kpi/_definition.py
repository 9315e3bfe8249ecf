"""The KPI definition: a frozen value naming a metric, its meaning and its compute function."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frozen import frozen_mapping
from communitykit._numeric import ARRAY_EQ
from communitykit.errors import ConfigError

__all__ = [
    "ANSWERABLE",
    "CATEGORIES",
    "DIMENSIONS",
    "DIRECTIONS",
    "GRAINS",
    "INTERACTIONS",
    "KPI",
    "KPIFunction",
    "KPIValues",
    "not_applicable",
]

CATEGORIES: Final[tuple[str, ...]] = (
    "activity",
    "participation",
    "responsiveness",
    "growth",
    "retention",
    "health",
    "network",
    "survey",
    "business",
)
"""The categories a KPI can belong to."""

DIRECTIONS: Final[tuple[str, ...]] = ("up", "down", "target")
"""Which way is better: ``up`` (more is better), ``down`` (less is better), ``target``."""

DIMENSIONS: Final[tuple[str, ...]] = ("economic", "ecological", "social")
"""The three dimensions of the sustainability triangle."""

GRAINS: Final[tuple[str, ...]] = ("all", "community", "org_unit", "actor")
"""What a KPI can be computed for: the whole log, a community, an org unit, one person."""

ANSWERABLE: Final[tuple[str, ...]] = ("post", "reply", "comment", "answer")
"""Actions of a conversation platform: posts that others can answer, and the answers.

A log with none of them (a git history: only commits) has nothing a response KPI can measure.
"""

INTERACTIONS: Final[tuple[str, ...]] = (*ANSWERABLE, "review", "interact")
"""Actions that tie one person to another (answers, reviews, every ``interact`` action)."""

_ID_RE: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?")


def _floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def _ints(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@attrs.frozen
class KPIValues:
    """
    What a KPI compute function returns: values and head counts per group and period.

    Attributes
    ----------
    value
        ``float64`` array of shape ``(n_groups, n_periods)`` (``facts.shape``); ``NaN`` where
        the KPI is undefined (a ratio over nothing).
    n
        ``int64`` array of the same shape: how many distinct people each value rests on.
        The engine hides a value by the one rule of
        :func:`communitykit.privacy.suppression_mask` (fewer than *min_group_size* people,
        except an empty cell).

    Examples
    --------
    >>> v = KPIValues(np.array([[1.0, 2.0]]), np.array([[5, 6]]))
    >>> v.value.shape, v.n.dtype
    ((1, 2), dtype('int64'))

    .. versionadded:: 0.1
    """

    value: npt.NDArray[np.float64] = attrs.field(converter=_floats, eq=ARRAY_EQ, hash=False)
    n: npt.NDArray[np.int64] = attrs.field(converter=_ints, eq=ARRAY_EQ, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.value.shape != self.n.shape or self.value.ndim != 2:
            msg = (
                f"KPI values have shape {self.value.shape} and head counts {self.n.shape}; "
                "both must be (n_groups, n_periods)"
            )
            raise ConfigError(msg)


KPIFunction: TypeAlias = Callable[..., "KPIValues | npt.NDArray[np.float64]"]
"""
The compute function of a KPI: ``fn(facts, **params) -> KPIValues | ndarray``.

*facts* is a :class:`~communitykit.kpi.Facts` (the per-call cache of shared aggregates);
the keyword arguments are the KPI's parameters (its declared defaults, overridden by the
caller's ``params=``). Return a :class:`KPIValues` or a bare ``(n_groups, n_periods)`` float
array, in which case ``n`` is taken from :attr:`Facts.n_active`.
"""


def _check_id(_instance: object, _attribute: object, value: str) -> None:
    if not _ID_RE.fullmatch(value):
        msg = (
            f"invalid KPI id {value!r}; expected snake_case such as 'active_members', "
            "or 'vendor.name' for a plugin KPI"
        )
        raise ConfigError(msg)


def _check_in(choices: tuple[str, ...], what: str) -> Callable[[object, object, str], None]:
    def check(_instance: object, _attribute: object, value: str) -> None:
        if value not in choices:
            msg = f"invalid KPI {what} {value!r}; expected one of {', '.join(choices)}"
            raise ConfigError(msg)

    return check


def _grains(value: object) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
    return tuple(str(v) for v in items)


def _check_grains(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    bad = [g for g in value if g not in GRAINS]
    if bad or not value:
        msg = f"invalid KPI grains {value!r}; expected some of {', '.join(GRAINS)}"
        raise ConfigError(msg)


def _needs(value: object) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
    return tuple(str(v).strip().lower() for v in items)


def _params(value: Mapping[str, object] | None) -> Mapping[str, Any]:
    return frozen_mapping(value)


@attrs.frozen
class KPI:
    """
    A key performance indicator: what it measures, how to read it, and how to compute it.

    KPIs are values: two definitions with the same fields are equal (the compute function is
    not compared). Built-ins and plugins are registered through the entry-point group
    ``communitykit.kpis``; see :func:`available_kpis`.

    Attributes
    ----------
    id
        Unique snake_case id (``"active_members"``); plugin KPIs are namespaced
        (``"acme.nps"``).
    name
        Human-readable name.
    description
        What the KPI means, in one or two sentences (the compute function's docstring holds the
        exact formula).
    function
        The compute function ``fn(facts, **params)``; see :data:`KPIFunction`.
    unit
        ``"people"``, ``"events"``, ``"hours"``, ``"ratio"``, ``"%"``, ``"score"``...
    direction
        ``"up"``, ``"down"`` or ``"target"``: which way is better.
    category
        One of :data:`CATEGORIES`.
    dimension
        Dimension of the sustainability triangle (:data:`DIMENSIONS`).
    grains
        What it can be computed for (:data:`GRAINS`).
    params
        Parameter names and their defaults (read-only mapping).
    references
        URLs of the published definitions it follows.
    version
        Version of the definition; bump it when the formula changes.
    formula
        The formula text, for formula KPIs (empty for Python KPIs).
    source
        Where the definition came from (distribution name or file); set by the registry.
    needs
        The actions the KPI needs: action names (``"post"``) or action kinds (``"consume"``,
        ``"interact"``, ``"create"``, ``"membership"``). The KPI applies to a log that has an
        event of at least one of them and is *not applicable* to any other log (its values are
        ``NaN``, never 0; see :meth:`applies_to`). Empty: it applies to every log. Response
        KPIs need :data:`ANSWERABLE` actions, so a git history (only commits) gets no response
        rate.

    Examples
    --------
    >>> def doubled_events(facts):
    ...     return 2 * facts.count()
    >>> kpi = KPI("acme.doubled", "Doubled events", doubled_events, unit="events")
    >>> kpi.id, kpi.direction, kpi.grains
    ('acme.doubled', 'up', ('all', 'community', 'org_unit', 'actor'))

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    function: KPIFunction = attrs.field(eq=False, repr=False)
    description: str = ""
    unit: str = ""
    direction: str = attrs.field(default="up", validator=_check_in(DIRECTIONS, "direction"))
    category: str = attrs.field(default="activity", validator=_check_in(CATEGORIES, "category"))
    dimension: str = attrs.field(default="social", validator=_check_in(DIMENSIONS, "dimension"))
    grains: tuple[str, ...] = attrs.field(
        default=GRAINS, converter=_grains, validator=_check_grains
    )
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_params, eq=False, hash=False)
    references: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    version: str = "1"
    formula: str = ""
    source: str = ""
    needs: tuple[str, ...] = attrs.field(default=(), converter=_needs)

    @function.validator
    def _check_function(self, _attribute: object, value: object) -> None:
        if not callable(value):
            msg = f"KPI {self.id!r}: function {value!r} is not callable"
            raise ConfigError(msg)

    @property
    def doc(self) -> str:
        """The compute function's docstring (the exact formula), or the description."""
        text = getattr(self.function, "__doc__", None)
        return inspect.cleandoc(str(text)) if text else self.description

    def resolve_params(self, given: Mapping[str, object] | None = None) -> dict[str, Any]:
        """
        Return the defaults overridden by *given*, converted to the defaults' types.

        Raises
        ------
        ConfigError
            For an unknown parameter name or a value that cannot be converted.

        Examples
        --------
        >>> kpi = KPI("acme.x", "X", lambda facts, q=0.5: facts.count(), params={"q": 0.5})
        >>> kpi.resolve_params({"q": "0.9"})
        {'q': 0.9}
        """
        out = dict(self.params)
        for key, raw in (given or {}).items():
            if key not in self.params:
                known = ", ".join(self.params) or "none"
                msg = f"KPI {self.id!r} has no parameter {key!r}; its parameters: {known}"
                raise ConfigError(msg)
            out[key] = _convert(raw, self.params[key], f"{self.id}.{key}")
        return out

    def applies_to(self, actions: object) -> bool:
        """
        Return whether the KPI can be measured on a log with these actions.

        *actions* is an :class:`~communitykit.EventLog` or the action names its events use.

        Examples
        --------
        >>> kpi = KPI("acme.answers", "Answers", lambda facts: facts.count(), needs=ANSWERABLE)
        >>> kpi.applies_to(["commit"]), kpi.applies_to(["commit", "post"])
        (False, True)
        """
        if not self.needs:
            return True
        present = _present(actions)
        return any(need in present for need in self.needs)

    def needs_text(self) -> str:
        """Say what the KPI needs, for the note on a log that lacks it (``"post or reply"``)."""
        return " or ".join(self.needs)

    def with_source(self, source: str) -> KPI:
        """Return a copy that records where it came from."""
        return attrs.evolve(self, source=source)


def _present(actions: object) -> frozenset[str]:
    """The action names, and their kinds, that occur in a log (or an iterable of names)."""
    counts = getattr(actions, "action_counts", None)
    vocabulary = getattr(actions, "vocabulary", None)
    if callable(counts) and vocabulary is not None:
        names = list(counts())
        return frozenset(names) | frozenset(vocabulary.kind(name) for name in names)
    from communitykit.events import default_vocabulary

    vocab = default_vocabulary()
    names = [str(a) for a in actions]  # type: ignore[attr-defined]
    kinds = [vocab.kind(n) for n in names if n in vocab.names]
    return frozenset(names) | frozenset(kinds)


def not_applicable(actions: object, kpis: Iterable[KPI]) -> dict[str, str]:
    """
    Return ``{kpi id: what it needs}`` for the KPIs that do not apply to a log.

    *actions* is an :class:`~communitykit.EventLog` or the action names its events use.

    Examples
    --------
    >>> answers = KPI("acme.answers", "Answers", lambda facts: facts.count(), needs=ANSWERABLE)
    >>> not_applicable(["commit"], [answers])
    {'acme.answers': 'post or reply or comment or answer'}
    """
    present = _present(actions)
    return {k.id: k.needs_text() for k in kpis if not k.applies_to(present)}


def _convert(raw: object, default: object, where: str) -> Any:
    """Convert *raw* (often a CLI string) to the type of *default*."""
    if not isinstance(raw, str) or isinstance(default, str) or default is None:
        return raw
    text = raw.strip()
    try:
        if isinstance(default, bool):
            if text.lower() in {"true", "yes", "1", "on"}:
                return True
            if text.lower() in {"false", "no", "0", "off"}:
                return False
            raise ValueError(text)  # noqa: TRY301 - same message as the other conversions
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, tuple):
            items = [t.strip() for t in text.split(",") if t.strip()]
            kind = type(default[0]) if default else str
            return tuple(kind(t) for t in items)
    except ValueError:
        msg = f"cannot read parameter {where}={raw!r} as {type(default).__name__}"
        raise ConfigError(msg) from None
    return raw
