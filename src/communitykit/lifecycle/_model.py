"""Stages, lifecycle models, the canonical phases and translation between models."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs
import networkx as nx

from communitykit._frozen import frozen_mapping
from communitykit._toml import builtin_files, dumps_toml, load_builtin_or_file, read_toml
from communitykit.errors import ConfigError, ModelError

__all__ = [
    "CANONICAL_PHASES",
    "OPERATORS",
    "SOURCE_STATUSES",
    "TASK_PHASES",
    "Assumption",
    "Competency",
    "Indicator",
    "LifecycleModel",
    "Parameter",
    "Source",
    "Stage",
    "available_models",
    "load_model",
    "translate",
]

CANONICAL_PHASES: Final[tuple[str, ...]] = (
    "inception",
    "launch",
    "growth",
    "maturity",
    "decline",
    "transformation",
    "closed",
)
"""The phases every model maps onto, in lifecycle order.

``inception`` (idea, concept, potential), ``launch`` (creation, first implementation, ramp-up,
go-live, coalescing), ``growth`` (establishment), ``maturity`` (active, stewardship, operation),
``decline`` (dispersed), ``transformation`` (renewal, mitosis, split, merge), ``closed`` (death,
closing, memorable).
"""

TASK_PHASES: Final[tuple[str, ...]] = ("start", "operate", "develop")
"""The three phases of the Cogneon task model: start, operate and develop a community."""

SOURCE_STATUSES: Final[tuple[str, ...]] = ("confirmed", "partly", "unconfirmed")
"""How well a fact is backed: seen in the source, partly seen, or background knowledge."""

OPERATORS: Final[Mapping[str, Callable[[float, float], bool]]] = MappingProxyType(
    {
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "==": operator.eq,
        "!=": operator.ne,
    }
)
"""Comparison operators allowed in indicators and rules."""

_ID_RE: Final = r"^[a-z][a-z0-9_]*$"


def _names(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return frozen_mapping(value)


def _check_names(
    _instance: object, attribute: attrs.Attribute[Any], value: Mapping[str, str]
) -> None:
    missing = [lang for lang in ("en", "de") if not str(value.get(lang, "")).strip()]
    if missing:
        msg = f"{attribute.name} {dict(value)!r} lacks a text for {missing}; give 'en' and 'de'"
        raise ModelError(msg)


def _to_tuple(value: Iterable[object]) -> tuple[Any, ...]:
    return tuple(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _indicator_tuple(value: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return tuple(value)


def _sorted_stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(sorted(value, key=lambda x: x.order))


@attrs.frozen
class Source:
    """
    A published source a model or catalogue rests on.

    Attributes
    ----------
    title
        Author, year and title.
    url
        Where it can be read (``""`` if there is no public address).
    status
        ``confirmed``, ``partly`` or ``unconfirmed`` (see :data:`SOURCE_STATUSES`).

    .. versionadded:: 0.1
    """

    title: str = attrs.field(validator=attrs.validators.min_len(1))
    url: str = ""
    status: str = attrs.field(default="confirmed", validator=attrs.validators.in_(SOURCE_STATUSES))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> Source:
        """Build a source from a mapping with ``title``, ``url`` and ``status``."""
        return cls(
            str(raw.get("title", "")), str(raw.get("url", "")), str(raw.get("status", "confirmed"))
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {"title": self.title, "url": self.url, "status": self.status}


@attrs.frozen
class Parameter:
    """
    A documented, configurable number of a model (a threshold, a period length).

    Attributes
    ----------
    id
        Name, e.g. ``"member_share_leave_inception"``.
    value
        The default value.
    description
        What it means and where it comes from.
    status
        How well the default is backed by the sources (``unconfirmed`` = a best guess to adjust).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_ID_RE))
    value: float
    description: str = ""
    status: str = attrs.field(default="confirmed", validator=attrs.validators.in_(SOURCE_STATUSES))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Parameter:
        """Build a parameter from a mapping with ``id``, ``value``, ``description``, ``status``."""
        return cls(
            str(raw.get("id", "")),
            float(raw["value"]),
            str(raw.get("description", "")),
            str(raw.get("status", "confirmed")),
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {
            "id": self.id,
            "value": self.value,
            "description": self.description,
            "status": self.status,
        }


@attrs.frozen
class Assumption:
    """
    A fact a model relies on that its sources do not (fully) confirm.

    Attributes
    ----------
    text
        The assumption, in words.
    status
        ``partly`` or ``unconfirmed`` (see :data:`SOURCE_STATUSES`).

    .. versionadded:: 0.1
    """

    text: str = attrs.field(validator=attrs.validators.min_len(1))
    status: str = attrs.field(
        default="unconfirmed", validator=attrs.validators.in_(SOURCE_STATUSES)
    )

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> Assumption:
        """Build an assumption from a mapping with ``text`` and ``status``."""
        return cls(str(raw.get("text", "")), str(raw.get("status", "unconfirmed")))

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {"text": self.text, "status": self.status}


@attrs.frozen
class Indicator:
    """
    A KPI condition typical of a stage, such as ``member_generated_share >= 0.9``.

    Attributes
    ----------
    kpi
        The KPI or inference signal it reads.
    op
        One of :data:`OPERATORS`.
    value
        The threshold.
    note
        Where the condition comes from.

    Examples
    --------
    >>> Indicator("member_generated_share", ">=", 0.9).holds(0.95)
    True
    >>> str(Indicator("member_generated_share", ">=", 0.9))
    'member_generated_share >= 0.9'

    .. versionadded:: 0.1
    """

    kpi: str = attrs.field(validator=attrs.validators.min_len(1))
    op: str = attrs.field(validator=attrs.validators.in_(tuple(OPERATORS)))
    value: float
    note: str = ""

    def holds(self, observed: float) -> bool:
        """Return whether *observed* meets the condition (``False`` for NaN)."""
        if observed != observed:  # noqa: PLR0124 - NaN never meets a condition
            return False
        return bool(OPERATORS[self.op](float(observed), self.value))

    def __str__(self) -> str:
        return f"{self.kpi} {self.op} {self.value:g}"

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Indicator:
        """Build an indicator from a mapping with ``kpi``, ``op``, ``value`` and ``note``."""
        return cls(
            str(raw.get("kpi", "")),
            str(raw.get("op", "")),
            float(raw["value"]),
            str(raw.get("note", "")),
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {"kpi": self.kpi, "op": self.op, "value": self.value, "note": self.note}


@attrs.frozen
class Stage:
    """
    One stage of a lifecycle model.

    Attributes
    ----------
    id
        Identifier, lower-case (``"coalescing"``).
    name
        Display name in the model's own language.
    names
        Localised names; at least ``en`` and ``de``.
    description
        What characterises the stage.
    phase
        The task-model phase it belongs to: ``start``, ``operate`` or ``develop``.
    canonical
        The canonical phase (:data:`CANONICAL_PHASES`) the stage maps onto.
    order
        Position in the model (0 first).
    covers
        Further canonical phases the stage also stands for when a model has no stage of its own
        for them (a coarse model's ``operate`` covers both ``growth`` and ``maturity``).
    activities
        Typical activities.
    indicators
        KPI conditions typical of the stage.

    Examples
    --------
    >>> s = Stage(
    ...     "active",
    ...     "Active",
    ...     {"en": "Active", "de": "Aktiv"},
    ...     phase="operate",
    ...     canonical="maturity",
    ...     order=2,
    ... )
    >>> s.localized_name("de"), s.stands_for("maturity")
    ('Aktiv', True)

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_ID_RE))
    name: str = attrs.field(validator=attrs.validators.min_len(1))
    names: Mapping[str, str] = attrs.field(converter=_names, validator=_check_names, hash=False)
    description: str = ""
    phase: str = attrs.field(default="operate", validator=attrs.validators.in_(TASK_PHASES))
    canonical: str = attrs.field(
        default="maturity", validator=attrs.validators.in_(CANONICAL_PHASES)
    )
    order: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    covers: tuple[str, ...] = attrs.field(
        default=(),
        converter=_str_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.in_(CANONICAL_PHASES)),
    )
    activities: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_indicator_tuple)

    def localized_name(self, lang: str = "en") -> str:
        """Return the name in *lang*, falling back to English, then to :attr:`name`."""
        return self.names.get(lang) or self.names.get("en") or self.name

    def stands_for(self, phase: str) -> bool:
        """Return whether the stage is, or covers, the canonical *phase*."""
        return phase == self.canonical or phase in self.covers

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, order: int = 0) -> Stage:
        """Build a stage from a mapping such as a ``[[stages]]`` table of a model file."""
        names = dict(raw.get("names", {}))
        name = str(raw.get("name", names.get("en", "")))
        return cls(
            id=str(raw.get("id", "")),
            name=name,
            names=names,
            description=str(raw.get("description", "")),
            phase=str(raw.get("phase", "operate")),
            canonical=str(raw.get("canonical", "")),
            order=int(raw.get("order", order)),
            covers=tuple(raw.get("covers", ())),
            activities=tuple(str(a) for a in raw.get("activities", ())),
            indicators=tuple(Indicator.from_mapping(i) for i in raw.get("indicators", ())),
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        out: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "phase": self.phase,
            "canonical": self.canonical,
            "order": self.order,
            "covers": list(self.covers),
            "activities": list(self.activities),
            "names": dict(self.names),
        }
        if self.indicators:
            out["indicators"] = [i.to_mapping() for i in self.indicators]
        return out


@attrs.frozen
class Competency:
    """
    One competency row of a maturity grid (the Community Roundtable model has eight).

    Attributes
    ----------
    id
        Identifier (``"strategy"``).
    names
        Localised names (``en``, ``de``).
    descriptors
        Free-text descriptor per stage id (the cells of the grid).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_ID_RE))
    names: Mapping[str, str] = attrs.field(converter=_names, validator=_check_names, hash=False)
    descriptors: Mapping[str, str] = attrs.field(converter=_names, hash=False)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Competency:
        """Build a competency from a ``[[competencies]]`` table."""
        return cls(
            str(raw.get("id", "")), dict(raw.get("names", {})), dict(raw.get("descriptors", {}))
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {"id": self.id, "names": dict(self.names), "descriptors": dict(self.descriptors)}


def _to_pairs(value: Iterable[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in value)


@attrs.frozen
class LifecycleModel:
    """
    An ordered set of stages and the transitions allowed between them.

    The transitions form a directed graph (:attr:`graph`); back edges (to a stage of lower or
    equal order) model iterative lifecycles. The model is validated on construction: unique stage
    ids, every transition between known stages, every stage reachable from the first one.

    Attributes
    ----------
    id
        Identifier (``"wenger1998"``).
    name
        Display name.
    stages
        The stages, sorted by :attr:`Stage.order`.
    transitions
        Allowed moves as ``(from_id, to_id)`` pairs.
    version
        Version of the model or its publication year.
    description
        What the model is and how to read it.
    iterative
        Whether the published model is a cycle.
    sources
        The publications it rests on.
    parameters
        Documented, configurable numbers (thresholds) of the model.
    competencies
        Rows of a maturity grid (empty for a plain lifecycle).
    assumptions
        What the model relies on beyond its sources (marked ``partly`` or ``unconfirmed``).

    Raises
    ------
    ModelError
        For duplicate stage ids, a transition naming an unknown stage, or an unreachable stage.

    Examples
    --------
    >>> m = load_model("wenger1998")
    >>> m.stage_ids
    ('potential', 'coalescing', 'active', 'dispersed', 'memorable')
    >>> m.successors("active")
    ('dispersed',)

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_ID_RE))
    name: str
    stages: tuple[Stage, ...] = attrs.field(
        converter=_sorted_stages,
        validator=attrs.validators.min_len(1),
    )
    transitions: tuple[tuple[str, str], ...] = attrs.field(converter=_to_pairs)
    version: str = ""
    description: str = ""
    iterative: bool = False
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_tuple)
    parameters: tuple[Parameter, ...] = attrs.field(default=(), converter=_to_tuple)
    competencies: tuple[Competency, ...] = attrs.field(default=(), converter=_to_tuple)
    assumptions: tuple[Assumption, ...] = attrs.field(default=(), converter=_to_tuple)

    def __attrs_post_init__(self) -> None:
        ids = [s.id for s in self.stages]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            msg = f"model {self.id!r} has duplicate stage ids {dupes}"
            raise ModelError(msg)
        known = set(ids)
        for a, b in self.transitions:
            for end in (a, b):
                if end not in known:
                    msg = (
                        f"model {self.id!r}: transition {a!r} -> {b!r} names the unknown "
                        f"stage {end!r}; known stages: {', '.join(ids)}"
                    )
                    raise ModelError(msg)
        reachable = {ids[0]} | nx.descendants(self.graph, ids[0])
        lost = [i for i in ids if i not in reachable]
        if lost:
            msg = (
                f"model {self.id!r}: stages {lost} cannot be reached from the first stage "
                f"{ids[0]!r}; add transitions into them"
            )
            raise ModelError(msg)
        for comp in self.competencies:
            extra = sorted(set(comp.descriptors) - known)
            if extra:
                msg = f"model {self.id!r}: competency {comp.id!r} describes unknown stages {extra}"
                raise ModelError(msg)
        pids = [p.id for p in self.parameters]
        if len(set(pids)) != len(pids):
            msg = f"model {self.id!r} defines a parameter twice: {pids}"
            raise ModelError(msg)

    # ------------------------------------------------------------------ graph and lookups

    @property
    def graph(self) -> nx.DiGraph:
        """The transitions as a new :class:`networkx.DiGraph` (nodes carry the stage data)."""
        G = nx.DiGraph()
        for s in self.stages:
            G.add_node(s.id, stage=s, order=s.order, canonical=s.canonical)
        order = {s.id: s.order for s in self.stages}
        for a, b in self.transitions:
            G.add_edge(a, b, back=order[b] <= order[a])
        return G

    @property
    def stage_ids(self) -> tuple[str, ...]:
        """The stage ids in order."""
        return tuple(s.id for s in self.stages)

    @property
    def initial(self) -> Stage:
        """The first stage."""
        return self.stages[0]

    def stage(self, stage_id: str | Stage) -> Stage:
        """
        Return the stage with id *stage_id*.

        Raises
        ------
        ModelError
            If the model has no such stage (the message lists the stages).
        """
        if isinstance(stage_id, Stage):
            stage_id = stage_id.id
        for s in self.stages:
            if s.id == stage_id:
                return s
        msg = f"model {self.id!r} has no stage {stage_id!r}; stages: {', '.join(self.stage_ids)}"
        raise ModelError(msg)

    def successors(self, stage_id: str | Stage) -> tuple[str, ...]:
        """Return the stages reachable in one legal move from *stage_id*, in model order."""
        sid = self.stage(stage_id).id
        nxt = {b for a, b in self.transitions if a == sid}
        return tuple(s.id for s in self.stages if s.id in nxt)

    def is_legal(self, from_id: str | Stage, to_id: str | Stage) -> bool:
        """Return whether the move *from_id* → *to_id* is an allowed transition."""
        return self.stage(to_id).id in self.successors(from_id)

    def is_back_edge(self, from_id: str | Stage, to_id: str | Stage) -> bool:
        """Return whether the move goes back to a stage of lower or equal order (a new cycle)."""
        return self.stage(to_id).order <= self.stage(from_id).order

    def parameter(self, name: str) -> float:
        """Return the value of the parameter *name*."""
        for p in self.parameters:
            if p.id == name:
                return p.value
        known = ", ".join(p.id for p in self.parameters) or "none"
        msg = f"model {self.id!r} has no parameter {name!r}; parameters: {known}"
        raise ModelError(msg)

    def stage_for(self, phase: str) -> Stage:
        """
        Return the stage that stands for the canonical *phase*.

        The first stage whose :attr:`~Stage.canonical` is *phase*; else the first that
        :attr:`~Stage.covers` it; else the stage whose canonical phase is nearest in
        :data:`CANONICAL_PHASES` order (ties go to the earlier phase).

        Examples
        --------
        >>> load_model("default").stage_for("growth").id
        'operate'
        """
        if phase not in CANONICAL_PHASES:
            msg = (
                f"unknown canonical phase {phase!r}; expected one of {', '.join(CANONICAL_PHASES)}"
            )
            raise ModelError(msg)
        for s in self.stages:
            if s.canonical == phase:
                return s
        for s in self.stages:
            if phase in s.covers:
                return s
        want = CANONICAL_PHASES.index(phase)
        return min(
            self.stages,
            key=lambda s: (
                abs(CANONICAL_PHASES.index(s.canonical) - want),
                CANONICAL_PHASES.index(s.canonical),
                s.order,
            ),
        )

    # ------------------------------------------------------------------ (de)serialisation

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, file: str | None = None) -> LifecycleModel:
        """
        Build a model from a mapping in the lifecycle file format.

        Raises
        ------
        ConfigError
            For a missing or malformed entry, or a model that does not validate (with *file*
            and the key of the offending entry).
        """
        head = raw.get("model")
        if not isinstance(head, Mapping):
            msg = "a lifecycle model needs a [model] table with at least 'id' and 'name'"
            raise ConfigError(msg, file=file, key="model")
        stages_raw = raw.get("stages", [])
        if not isinstance(stages_raw, list) or not stages_raw:
            msg = "a lifecycle model needs at least one [[stages]] table"
            raise ConfigError(msg, file=file, key="stages")
        stages: list[Stage] = []
        for i, s in enumerate(stages_raw):
            try:
                stages.append(Stage.from_mapping(s, order=i))
            except (KeyError, TypeError, ValueError) as exc:
                msg = f"stage {i} ({s.get('id', '?')!r}) is invalid: {exc}"
                raise ConfigError(msg, file=file, key=f"stages[{i}]") from None
        transitions = []
        for i, t in enumerate(raw.get("transitions", [])):
            try:
                transitions.append((str(t["from"]), str(t["to"])))
            except (KeyError, TypeError):
                msg = f"transition {i} is {t!r}; expected a table with 'from' and 'to'"
                raise ConfigError(msg, file=file, key=f"transitions[{i}]") from None
        try:
            return cls(
                id=str(head.get("id", "")),
                name=str(head.get("name", "")),
                stages=stages,
                transitions=transitions,
                version=str(head.get("version", "")),
                description=str(head.get("description", "")),
                iterative=bool(head.get("iterative", False)),
                sources=[Source.from_mapping(x) for x in raw.get("sources", [])],
                parameters=[Parameter.from_mapping(x) for x in raw.get("parameters", [])],
                competencies=[Competency.from_mapping(x) for x in raw.get("competencies", [])],
                assumptions=[Assumption.from_mapping(x) for x in raw.get("assumptions", [])],
            )
        except ModelError as exc:
            raise ConfigError(str(exc), file=file) from None
        except (KeyError, TypeError, ValueError) as exc:
            msg = f"invalid lifecycle model: {exc}"
            raise ConfigError(msg, file=file, key="model") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> LifecycleModel:
        """Read and validate a model file (see :doc:`/reference/lifecycle-files`)."""
        return cls.from_mapping(read_toml(path, prefix="cannot read TOML"), file=str(path))

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        out: dict[str, object] = {
            "model": {
                "id": self.id,
                "name": self.name,
                "version": self.version,
                "description": self.description,
                "iterative": self.iterative,
            },
            "sources": [s.to_mapping() for s in self.sources],
            "parameters": [p.to_mapping() for p in self.parameters],
            "stages": [s.to_mapping() for s in self.stages],
            "transitions": [{"from": a, "to": b} for a, b in self.transitions],
        }
        if self.competencies:
            out["competencies"] = [c.to_mapping() for c in self.competencies]
        if self.assumptions:
            out["assumptions"] = [a.to_mapping() for a in self.assumptions]
        return out

    def to_toml(self) -> str:
        """Return the model as TOML text that :meth:`from_toml` reads back unchanged."""
        return dumps_toml(self.to_mapping())


def _data_files() -> dict[str, Traversable]:
    return builtin_files("communitykit.lifecycle")


@functools.cache
def _builtin(name: str) -> LifecycleModel:
    with resources.as_file(_data_files()[name]) as path:
        return LifecycleModel.from_toml(path)


def available_models() -> tuple[str, ...]:
    """
    Return the ids of the built-in lifecycle models.

    Examples
    --------
    >>> available_models()  # doctest: +NORMALIZE_WHITESPACE
    ('community_roundtable', 'default', 'iriberri_leroy2009', 'lernos', 'mcdermott2000',
     'millington', 'wenger1998', 'wenger2002')

    .. versionadded:: 0.1
    """
    return tuple(sorted(_data_files()))


def load_model(name_or_path: str | Path | LifecycleModel) -> LifecycleModel:
    """
    Return a built-in model by id, or read and validate a model file.

    Parameters
    ----------
    name_or_path
        A built-in id (see :func:`available_models`), a path to a ``.toml`` file, or a model
        (returned as it is).

    Raises
    ------
    ConfigError
        For an unknown id (listing the built-ins), or a file that does not validate.

    Examples
    --------
    >>> load_model("millington").parameter("member_share_leave_inception")
    0.5

    .. versionadded:: 0.1
    """
    if isinstance(name_or_path, LifecycleModel):
        return name_or_path
    return load_builtin_or_file(
        name_or_path,
        _data_files(),
        _builtin,
        LifecycleModel.from_toml,
        kind="lifecycle model",
        plural="models",
    )


def translate(
    stage: Stage | str,
    to_model: LifecycleModel | str,
    *,
    from_model: LifecycleModel | str | None = None,
) -> Stage:
    """
    Return the stage of *to_model* that corresponds to *stage*, through the canonical phases.

    Parameters
    ----------
    stage
        A :class:`Stage`, a stage id of *from_model*, or a canonical phase name.
    to_model
        The model (or built-in id) to translate into.
    from_model
        The model *stage* belongs to, when *stage* is given as an id.

    Examples
    --------
    >>> wenger = load_model("wenger1998")
    >>> translate(wenger.stage("dispersed"), "iriberri_leroy2009").id
    'death'
    >>> translate("coalescing", "mcdermott2000", from_model="wenger2002").id
    'start_up'

    .. versionadded:: 0.1
    """
    target = load_model(to_model)
    if isinstance(stage, Stage):
        phase = stage.canonical
    elif from_model is not None:
        phase = load_model(from_model).stage(stage).canonical
    elif stage in CANONICAL_PHASES:
        phase = stage
    else:
        msg = (
            f"cannot translate {stage!r}: give a Stage, a canonical phase "
            f"({', '.join(CANONICAL_PHASES)}), or the stage id together with from_model="
        )
        raise ModelError(msg)
    return target.stage_for(phase)
