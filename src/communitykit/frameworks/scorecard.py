"""
The Balanced Scorecard with its strategy map (Kaplan & Norton, 1992).

Perspectives (default: financial, customer, internal processes, learning & growth) hold
strategic objectives; objectives have measures (KPIs with targets and weights) and initiatives;
cause-and-effect links between objectives form the **strategy map**, an acyclic networkx
DiGraph. Achievement rolls up from measures to objectives, perspectives and the scorecard with a
configurable policy (weighted mean or minimum) and traffic lights.

There is no single standard for roll-ups and traffic lights; the defaults here (weighted mean;
green from 0.9, yellow from 0.7) are common conventions and configurable.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import networkx as nx

from communitykit._time import TimeLike
from communitykit.errors import ConfigError
from communitykit.frameworks._scorecard_result import (
    MeasureResult,
    NodeResult,
    ScorecardResult,
    iso,
)
from communitykit.frameworks.config import ConfigSection, check_kpis, without_none
from communitykit.frameworks.readings import (
    KPIReading,
    resolve_readings,
    source_as_of,
)
from communitykit.frameworks.sustainability import DIMENSIONS, check_dimension
from communitykit.frameworks.targets import PROGRESS_KINDS, Bands, progress
from communitykit.typing import PathLike

# the results live in _scorecard_result; documented and pickled as part of this module
for _cls in (MeasureResult, NodeResult, ScorecardResult):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "DEFAULT_PERSPECTIVES",
    "POLICIES",
    "Initiative",
    "Measure",
    "MeasureResult",
    "NodeResult",
    "Perspective",
    "Scorecard",
    "ScorecardResult",
    "StrategicObjective",
    "roll_up",
]

POLICIES: Final[tuple[str, ...]] = ("mean", "min")
"""Roll-up policies: weighted mean of the children, or the weakest child."""


def _check_dim(_i: object, _a: object, value: str | None) -> None:
    check_dimension(value)


def roll_up(values: Sequence[float], weights: Sequence[float], policy: str = "mean") -> float:
    """
    Combine child achievements into one (``NaN`` children are left out).

    Parameters
    ----------
    values, weights
        Child achievements and their weights.
    policy
        ``"mean"``: ``sum(w * a) / sum(w)``; ``"min"``: the smallest achievement among children
        with positive weight.

    Returns
    -------
    float
        Always between the smallest and the largest child; ``NaN`` without children.

    Examples
    --------
    >>> roll_up([1.0, 0.5], [1, 3]), roll_up([1.0, 0.5], [1, 3], "min")
    (0.625, 0.5)

    .. versionadded:: 0.1
    """
    if policy not in POLICIES:
        msg = f"unknown roll-up policy {policy!r}; expected one of {', '.join(POLICIES)}"
        raise ConfigError(msg)
    pairs = [
        (float(v), float(w)) for v, w in zip(values, weights, strict=True) if not math.isnan(v)
    ]
    pairs = [(v, w) for v, w in pairs if w > 0]
    if not pairs:
        return math.nan
    if policy == "min":
        return min(v for v, _ in pairs)
    total = sum(w for _, w in pairs)
    return float(sum(v * w for v, w in pairs) / total)


@attrs.frozen
class Perspective:
    """
    A scorecard perspective.

    Attributes
    ----------
    id, title
        Identity and name.
    weight
        Weight in the scorecard roll-up.
    lagging
        Whether its measures are lagging by default (the financial perspective; the others
        are leading indicators).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str = ""
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    lagging: bool = False


DEFAULT_PERSPECTIVES: Final[tuple[Perspective, ...]] = (
    Perspective("financial", "Financial", lagging=True),
    Perspective("customer", "Customer"),
    Perspective("internal_processes", "Internal processes"),
    Perspective("learning_growth", "Learning & growth"),
)
"""Kaplan & Norton's four perspectives; the usual causal chain runs from the last to the first."""


@attrs.frozen
class Measure:
    """
    A measure of a strategic objective: a KPI (or a manual value) with a target.

    Attributes
    ----------
    id, title
        Identity and name.
    target
        Target value.
    kind
        Target kind (``at_least``, ``at_most``, ``increase_to``, ``decrease_to``, ``milestone``).
    baseline
        Start value for the achievement formula.
    kpi
        KPI id that supplies the value (``None``: manual *current*).
    by, group
        KPI grouping and the group whose value counts.
    weight
        Weight in the objective roll-up.
    lead
        ``"leading"`` or ``"lagging"``; default from the perspective.
    current
        Manual value.
    dimension
        Sustainability dimension.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    target: float = attrs.field(converter=float)
    kind: str = attrs.field(default="at_least", validator=attrs.validators.in_(PROGRESS_KINDS))
    baseline: float = attrs.field(default=0.0, converter=float)
    kpi: str | None = None
    by: str | None = None
    group: str | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    lead: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.in_(("leading", "lagging"))),
    )
    current: float | None = None
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    def __attrs_post_init__(self) -> None:
        progress(
            self.baseline, target=self.target, start=self.baseline, kind=self.kind, label=self.id
        )

    def achievement(self, value: float) -> float:
        """Return the achievement of *value* (see :func:`communitykit.frameworks.progress`)."""
        return progress(
            value, target=self.target, start=self.baseline, kind=self.kind, label=self.id
        )


def _measures(value: Iterable[Measure]) -> tuple[Measure, ...]:
    return tuple(value)


def _strs(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class StrategicObjective:
    """
    A strategic objective in one perspective.

    Attributes
    ----------
    id, title
        Identity and name.
    perspective
        The perspective's id.
    measures
        How it is measured.
    causes
        Ids of the objectives it drives (strategy-map edges ``self -> effect``).
    weight
        Weight in the perspective roll-up.
    dimension
        Sustainability dimension.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    perspective: str
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=_measures)
    causes: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    dimension: str | None = attrs.field(default=None, validator=_check_dim)


@attrs.frozen
class Initiative:
    """
    A project or action that moves one or more objectives.

    Attributes
    ----------
    id, title
        Identity and name.
    objectives
        Ids of the objectives it serves.
    owner, status
        Free text.
    budget
        Optional cost.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    objectives: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    owner: str = ""
    status: str = ""
    budget: float | None = None


def _objective_tuple(value: Iterable[StrategicObjective]) -> tuple[StrategicObjective, ...]:
    return tuple(value)


def _perspective_tuple(value: Iterable[Perspective]) -> tuple[Perspective, ...]:
    return tuple(value)


def _initiative_tuple(value: Iterable[Initiative]) -> tuple[Initiative, ...]:
    return tuple(value)


@attrs.frozen
class Scorecard:
    """
    A Balanced Scorecard: perspectives, objectives, measures, initiatives and a strategy map.

    Immutable (and hashable): its invariants are checked when it is built (also by
    :func:`attrs.evolve`), and :meth:`evaluate` returns a result without changing it.

    Attributes
    ----------
    objectives
        Strategic objectives.
    perspectives
        The perspectives (default: :data:`DEFAULT_PERSPECTIVES`).
    initiatives
        Initiatives.
    policy
        Roll-up policy, ``"mean"`` (weighted) or ``"min"``.
    bands
        Traffic lights (default green from 0.9, yellow from 0.7; a convention, configurable).
    name, source
        Title and the file it came from (where errors point; not part of equality).

    Raises
    ------
    ConfigError
        For duplicate ids, unknown perspectives or objectives, or a cyclic strategy map.

    Examples
    --------
    >>> sc = Scorecard(
    ...     [
    ...         StrategicObjective(
    ...             "skills",
    ...             "Build skills",
    ...             "learning_growth",
    ...             (Measure("circles", "Circles", target=20, current=15),),
    ...             causes="reuse",
    ...         ),
    ...         StrategicObjective(
    ...             "reuse",
    ...             "Reuse knowledge",
    ...             "internal_processes",
    ...             (Measure("answers", "Answered questions", target=100, current=100),),
    ...         ),
    ...     ]
    ... )
    >>> r = sc.evaluate(as_of="2026-03-01")
    >>> r.achievement, [(p.id, p.achievement) for p in r.perspectives if p.children]
    (0.875, [('internal_processes', 1.0), ('learning_growth', 0.75)])
    >>> list(sc.strategy_map().edges)
    [('skills', 'reuse')]

    .. versionadded:: 0.1
    """

    objectives: tuple[StrategicObjective, ...] = attrs.field(converter=_objective_tuple)
    perspectives: tuple[Perspective, ...] = attrs.field(
        default=DEFAULT_PERSPECTIVES, converter=_perspective_tuple
    )
    initiatives: tuple[Initiative, ...] = attrs.field(default=(), converter=_initiative_tuple)
    policy: str = "mean"
    bands: Bands = attrs.field(factory=lambda: Bands(green=0.9, yellow=0.7))
    name: str = "Balanced Scorecard"
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        self.validate()

    def _error(self, msg: str, key: str) -> ConfigError:
        return ConfigError(msg, file=self.source, key=key)

    def validate(self) -> None:
        """
        Check ids, references and that the strategy map is acyclic; raise :class:`ConfigError`.

        Run when the scorecard is built; as it cannot change afterwards, this never raises
        on one that exists.
        """
        if self.policy not in POLICIES:
            msg = f"unknown roll-up policy {self.policy!r}; expected one of {', '.join(POLICIES)}"
            raise self._error(msg, "policy")
        pids = [p.id for p in self.perspectives]
        if len(set(pids)) != len(pids):
            raise self._error(f"duplicate perspective ids in {pids!r}", "perspectives")
        oids: set[str] = set()
        for i, o in enumerate(self.objectives):
            if o.id in oids:
                raise self._error(f"duplicate objective id {o.id!r}", f"objectives[{i}].id")
            oids.add(o.id)
            if o.perspective not in pids:
                msg = (
                    f"objective {o.id!r} names unknown perspective {o.perspective!r}; "
                    f"expected one of {', '.join(pids)}"
                )
                raise self._error(msg, f"objectives[{i}].perspective")
            mids = [m.id for m in o.measures]
            if len(set(mids)) != len(mids):
                raise self._error(
                    f"duplicate measure ids in {o.id!r}: {mids!r}", f"objectives[{i}].measures"
                )
        for i, o in enumerate(self.objectives):
            for c in o.causes:
                if c not in oids:
                    msg = f"objective {o.id!r} causes unknown objective {c!r}"
                    raise self._error(msg, f"objectives[{i}].causes")
        for i, ini in enumerate(self.initiatives):
            for oid in ini.objectives:
                if oid not in oids:
                    msg = f"initiative {ini.id!r} serves unknown objective {oid!r}"
                    raise self._error(msg, f"initiatives[{i}].objectives")
        G = self.strategy_map()
        if not nx.is_directed_acyclic_graph(G):
            cycle = [u for u, _ in nx.find_cycle(G)]
            msg = f"the strategy map has a cycle: {' -> '.join([*cycle, cycle[0]])}"
            raise self._error(msg, "objectives")

    def strategy_map(self) -> nx.DiGraph:
        """
        Return the strategy map: objectives as nodes, cause -> effect edges.

        Nodes carry ``perspective`` and ``title``; initiatives are listed in the node
        attribute ``initiatives``.
        """
        G = nx.DiGraph()
        for o in self.objectives:
            G.add_node(
                o.id,
                title=o.title,
                perspective=o.perspective,
                initiatives=[i.id for i in self.initiatives if o.id in i.objectives],
            )
        for o in self.objectives:
            for c in o.causes:
                G.add_edge(o.id, c)
        return G

    def lead(self, o: StrategicObjective, m: Measure) -> str:
        """Return whether measure *m* is ``"leading"`` or ``"lagging"``."""
        if m.lead is not None:
            return m.lead
        p = next(p for p in self.perspectives if p.id == o.perspective)
        return "lagging" if p.lagging else "leading"

    def needs(self) -> list[tuple[str, str | None, str | None]]:
        """Return the ``(kpi, by, group)`` triples the measures need."""
        return [(m.kpi, m.by, m.group) for o in self.objectives for m in o.measures if m.kpi]

    def evaluate(
        self,
        source: Any = None,
        *,
        as_of: TimeLike | None = None,
        period: str = "month",
        running: bool = False,
        fallback: bool = False,
        **compute_options: Any,
    ) -> ScorecardResult:
        """
        Score every measure and roll the achievement up.

        Parameters
        ----------
        source
            KPI values: a :class:`~communitykit.kpi.KPIFrame`, a mapping, an
            :class:`~communitykit.EventLog` (computed with :func:`communitykit.kpi.compute`),
            or ``None`` (manual values only).
        as_of
            The date. Default: the end of the data, never the wall clock -- for an event log
            one day after its last event (a period the data reaches into the last day of
            counts as complete; :func:`~communitykit.periods.completion_horizon`), for a KPI
            frame the end of its last period; a mapping's values carry no time. A KPI-bound
            measure reads the latest *complete* period
            at *as_of* (``period_end <= as_of``). If that period has no value (suppressed for
            privacy, or empty), the measure shows so (status ``suppressed`` or ``no_data``,
            no value, light ``unknown``, a reason) and is left out of the roll-up; it never
            shows an older period's value, nor its manual ``current``, in its place.
        running
            Read the period running at *as_of* instead (a partial value).
        fallback
            Use the latest earlier period with a value when the latest has none; the measure
            then carries that period and status ``fallback`` in every output.
        period, compute_options
            Passed to :func:`communitykit.kpi.compute` for a log.

        Notes
        -----
        Measure achievement: :func:`communitykit.frameworks.progress`. Objective, perspective
        and scorecard: :func:`roll_up` of their children with the children's weights under
        :attr:`policy`; children without a value are left out. So every roll-up lies between
        its weakest and strongest child.
        """
        source, t = source_as_of(source, as_of)
        readings = resolve_readings(
            source,
            self.needs(),
            as_of=t,
            period=period,
            running=running,
            fallback=fallback,
            **compute_options,
        )
        measures: list[MeasureResult] = []
        objectives: list[NodeResult] = []
        by_obj: dict[str, NodeResult] = {}
        for o in self.objectives:
            results = []
            for m in o.measures:
                reading: KPIReading | None = None
                if m.kpi:
                    reading = readings[(m.kpi, m.by, m.group)]
                    if reading.status == "missing" and m.current is not None:
                        reading = None  # the source has nothing for it: the manual value
                value = (
                    reading.value
                    if reading is not None
                    else (math.nan if m.current is None else float(m.current))
                )
                a = m.achievement(value)
                results.append(
                    MeasureResult(
                        id=m.id,
                        objective=o.id,
                        kpi=m.kpi,
                        lead=self.lead(o, m),
                        value=value,
                        target=m.target,
                        achievement=a,
                        light=self.bands.status(a),
                        status="manual" if reading is None else reading.status,
                        period_start=None if reading is None else iso(reading.period_start),
                        period_end=None if reading is None else iso(reading.period_end),
                        reason="" if reading is None else reading.reason,
                        period_tz=None if reading is None else reading.tz,
                    )
                )
            measures += results
            a = roll_up(
                [r.achievement for r in results], [m.weight for m in o.measures], self.policy
            )
            node = NodeResult(
                o.id, o.title, "objective", a, self.bands.status(a), tuple(m.id for m in o.measures)
            )
            objectives.append(node)
            by_obj[o.id] = node
        perspectives = []
        for p in self.perspectives:
            members = [o for o in self.objectives if o.perspective == p.id]
            a = roll_up(
                [by_obj[o.id].achievement for o in members],
                [o.weight for o in members],
                self.policy,
            )
            perspectives.append(
                NodeResult(
                    p.id,
                    p.title or p.id,
                    "perspective",
                    a,
                    self.bands.status(a),
                    tuple(o.id for o in members),
                )
            )
        total = roll_up(
            [p.achievement for p in perspectives],
            [p.weight for p in self.perspectives],
            self.policy,
        )
        return ScorecardResult(
            name=self.name,
            as_of=t,
            measures=tuple(measures),
            objectives=tuple(objectives),
            perspectives=tuple(perspectives),
            achievement=total,
            light=self.bands.status(total),
            policy=self.policy,
        )

    def elements(self) -> Iterable[tuple[str, str, str | None]]:
        """Yield ``(kind, id, dimension)`` of objectives and measures."""
        for o in self.objectives:
            yield ("objective", o.id, o.dimension)
            for m in o.measures:
                yield ("kpi", m.kpi or m.id, m.dimension or o.dimension)

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_mapping(
        cls,
        raw: Mapping[str, object],
        *,
        file: str | None = None,
        extra_kpis: Iterable[str] = (),
    ) -> Scorecard:
        """
        Build a scorecard from a mapping with the layout of a scorecard TOML file.

        *extra_kpis* are KPI ids known besides the registered ones; see :meth:`from_toml`.
        """
        return cls._from_section(ConfigSection(raw, file), extra_kpis=extra_kpis)

    def to_mapping(self) -> dict[str, object]:
        """
        Return the scorecard as a mapping with the layout of a scorecard TOML file.

        The inverse of :meth:`from_mapping`: ``Scorecard.from_mapping(sc.to_mapping()) == sc``
        (pass *extra_kpis* for measures bound to KPIs that are not registered). Entries that
        are ``None`` are left out; the perspectives are always written, also the default ones.

        Examples
        --------
        >>> sc = Scorecard(
        ...     [StrategicObjective("skills", "Build skills", "learning_growth", causes=())]
        ... )
        >>> raw = sc.to_mapping()
        >>> raw["objectives"]  # doctest: +NORMALIZE_WHITESPACE
        [{'id': 'skills', 'title': 'Build skills', 'perspective': 'learning_growth',
          'causes': [], 'weight': 1.0, 'measures': []}]
        >>> Scorecard.from_mapping(raw) == sc
        True

        .. versionadded:: 0.2
        """
        return {
            "name": self.name,
            "policy": self.policy,
            "bands": {"green": self.bands.green, "yellow": self.bands.yellow},
            "perspectives": [
                {"id": p.id, "title": p.title, "weight": p.weight, "lagging": p.lagging}
                for p in self.perspectives
            ],
            "objectives": [
                without_none(
                    {
                        "id": o.id,
                        "title": o.title,
                        "perspective": o.perspective,
                        "causes": list(o.causes),
                        "weight": o.weight,
                        "dimension": o.dimension,
                        "measures": [_measure_mapping(m) for m in o.measures],
                    }
                )
                for o in self.objectives
            ],
            "initiatives": [
                without_none(
                    {
                        "id": i.id,
                        "title": i.title,
                        "objectives": list(i.objectives),
                        "owner": i.owner,
                        "status": i.status,
                        "budget": i.budget,
                    }
                )
                for i in self.initiatives
            ],
        }

    @classmethod
    def from_toml(cls, path: PathLike, *, extra_kpis: Iterable[str] = ()) -> Scorecard:
        """
        Load a scorecard from a TOML file (see :doc:`/reference/framework-files`).

        Parameters
        ----------
        path
            The file.
        extra_kpis
            KPI ids known besides :func:`communitykit.kpi.available_kpis` (formula KPIs
            defined alongside, e.g. in a measurement model).

        Raises
        ------
        ConfigError
            Naming the file and the dotted key of the first problem; a measure's ``kpi`` that
            is no known KPI is one (the message lists close matches).
        """
        return cls._from_section(ConfigSection.load(path), extra_kpis=extra_kpis)

    @classmethod
    def _from_section(cls, s: ConfigSection, *, extra_kpis: Iterable[str] = ()) -> Scorecard:
        s.check_keys({"name", "policy", "bands", "perspectives", "objectives", "initiatives"})
        bands = s.table("bands", optional=True)
        bands.check_keys({"green", "yellow"})
        try:
            b = Bands(green=bands.number("green", 0.9), yellow=bands.number("yellow", 0.7))
        except ConfigError as exc:
            raise bands.error(str(exc)) from None
        found = []
        for p in s.tables("perspectives"):
            p.check_keys({"id", "title", "weight", "lagging"})
            found.append(
                Perspective(
                    p.text("id"),
                    p.title(),
                    weight=p.number("weight", 1.0, lo=0),
                    lagging=p.flag("lagging", default=False),
                )
            )
        perspectives = tuple(found) if "perspectives" in s else DEFAULT_PERSPECTIVES
        objectives = []
        for o in s.tables("objectives"):
            o.check_keys(
                {"id", "title", "perspective", "measures", "causes", "weight", "dimension"}
            )
            measures = []
            for m in o.tables("measures"):
                m.check_keys(
                    {
                        "id",
                        "title",
                        "kpi",
                        "target",
                        "kind",
                        "baseline",
                        "by",
                        "group",
                        "weight",
                        "lead",
                        "current",
                        "dimension",
                    }
                )
                target = m.number("target")
                kind = m.choice("kind", PROGRESS_KINDS, "at_least")
                baseline = m.number("baseline", 0.0)
                kpi = m.text("kpi", None)
                by = m.text("by", None)
                group = m.text("group", None)
                weight = m.number("weight", 1.0, lo=0)
                lead = m.choice("lead", ("leading", "lagging"), None)
                current = m.number("current", None)
                dimension = m.choice("dimension", DIMENSIONS, None)
                if kpi is not None:
                    check_kpis([(kpi, m.path("kpi"))], file=s.file, extra=extra_kpis)
                ident = m.text("id") if "id" in m else m.text("kpi")
                try:
                    measures.append(
                        Measure(
                            ident,
                            m.title(default=ident),
                            target=target,
                            kind=kind,
                            baseline=baseline,
                            kpi=kpi,
                            by=by,
                            group=group,
                            weight=weight,
                            lead=lead,
                            current=current,
                            dimension=dimension,
                        )
                    )
                except ConfigError as exc:
                    raise m.error(str(exc), "target") from None
            objectives.append(
                StrategicObjective(
                    o.text("id"),
                    o.title(),
                    o.text("perspective"),
                    tuple(measures),
                    causes=o.strs("causes", ()),
                    weight=o.number("weight", 1.0, lo=0),
                    dimension=o.choice("dimension", DIMENSIONS, None),
                )
            )
        initiatives = []
        for i in s.tables("initiatives"):
            i.check_keys({"id", "title", "objectives", "owner", "status", "budget"})
            initiatives.append(
                Initiative(
                    i.text("id"),
                    i.title(),
                    i.strs("objectives", ()),
                    owner=i.raw("owner", ""),
                    status=i.raw("status", ""),
                    budget=i.number("budget", None, lo=0),
                )
            )
        return cls(
            objectives,
            perspectives,
            tuple(initiatives),
            policy=s.choice("policy", POLICIES, "mean"),
            bands=b,
            name=s.raw("name", "Balanced Scorecard"),
            source=s.file,
        )


def _measure_mapping(m: Measure) -> dict[str, object]:
    """A measure as a ``[[objectives.measures]]`` table."""
    return without_none(
        {
            "id": m.id,
            "title": m.title,
            "kpi": m.kpi,
            "target": m.target,
            "kind": m.kind,
            "baseline": m.baseline,
            "by": m.by,
            "group": m.group,
            "weight": m.weight,
            "lead": m.lead,
            "current": m.current,
            "dimension": m.dimension,
        }
    )
