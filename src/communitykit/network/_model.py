"""The dual operating system: a typed hierarchy layer and a typed network layer on networkx."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import Any, Final, cast

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit._repr import summarised
from communitykit._time import TimeLike, as_datetime64
from communitykit.errors import ConfigError, DataError, ModelError, SchemaError
from communitykit.events import EventLog
from communitykit.io.inputs import as_directory, as_event_log, as_rows
from communitykit.network._tables import (
    _cell,
    _directory_from_rows,
    _edge_times,
    _first,
    _ids,
    _weight,
)
from communitykit.network._tietable import TieTable, directed_view, undirected_view
from communitykit.network.ties import tie_events
from communitykit.people import Directory, Person
from communitykit.typing import PathLike

__all__ = [
    "EDGE_TYPES",
    "INTERACTION_KINDS",
    "MEMBER_ROLES",
    "NODE_TYPES",
    "ORBIT_HALF_LIFE",
    "DualOS",
    "node_key",
]

NODE_TYPES: Final[tuple[str, ...]] = (
    "person",
    "org_unit",
    "community",
    "initiative",
    "coalition",
)
"""The node types of a :class:`DualOS` (stored in the node attribute ``type``)."""

EDGE_TYPES: Final[tuple[str, ...]] = (
    "reports_to",
    "belongs_to",
    "member_of",
    "leads",
    "sponsors",
    "interacts",
)
"""The edge types of a :class:`DualOS` (the edge attribute ``type``; the key in multigraphs)."""

MEMBER_ROLES: Final[tuple[str, ...]] = ("member", "manager", "core")
"""The roles on a ``member_of`` edge."""

INTERACTION_KINDS: Final[tuple[str, ...]] = ("reply", "mention", "react")
"""What :meth:`DualOS.with_interactions` turns into ties."""

ORBIT_HALF_LIFE: Final = np.timedelta64(200, "D")
"""The half-life equivalent to the Orbit model's reach decay of 0.9 per idle month.

``0.9 ** m == 0.5 ** (m / h)`` gives ``h = ln 0.5 / ln 0.9 = 6.58`` months of 30.44 days, i.e.
200 days."""

_PREFIX: Final[dict[str, str]] = {
    "org_unit": "unit:",
    "community": "community:",
    "initiative": "initiative:",
    "coalition": "coalition:",
}
_HIERARCHY_EDGES: Final = frozenset({"reports_to", "belongs_to"})
_NETWORK_EDGES: Final = frozenset({"member_of", "leads", "sponsors", "interacts"})
_SECONDS_PER_DAY: Final = 86_400.0
_TIE_VIEWS: Final = frozenset({"people", "tie_table", "interactions", "ties"})
"""Cached views that depend only on the people, their attributes and the ``interacts`` ties."""


def node_key(node_type: str, name: str) -> str:
    """
    Return the node key a :class:`DualOS` uses for a node of *node_type* called *name*.

    People are keyed by their id; every other node gets a prefix (``unit:``, ``community:``,
    ``initiative:``, ``coalition:``) so that a community and a person may share a name.

    Examples
    --------
    >>> node_key("person", "ana"), node_key("org_unit", "Sales")
    ('ana', 'unit:Sales')

    .. versionadded:: 0.1
    """
    if node_type == "person":
        return name
    try:
        return _PREFIX[node_type] + name
    except KeyError:
        msg = f"unknown node type {node_type!r}; expected one of {', '.join(NODE_TYPES)}"
        raise ConfigError(msg) from None


def _check_person_id(person_id: str) -> None:
    for prefix in _PREFIX.values():
        if person_id.startswith(prefix):
            msg = (
                f"person id {person_id!r} starts with the reserved prefix {prefix!r}; "
                "rename the person (prefixes mark org units, communities, initiatives, coalitions)"
            )
            raise DataError(msg)


def _frozen(G: nx.Graph) -> nx.Graph:
    return nx.freeze(G)


def _empty_hierarchy() -> nx.DiGraph:
    return _frozen(nx.DiGraph())


def _empty_network() -> nx.MultiDiGraph:
    return _frozen(nx.MultiDiGraph())


def _seconds(span: object) -> float:
    """Return a positive duration in seconds from a timedelta64, a number of days or ``"30D"``."""
    if isinstance(span, np.timedelta64):
        seconds = float(span / np.timedelta64(1, "s"))
    elif isinstance(span, (int, float)) and not isinstance(span, bool):
        seconds = float(span) * _SECONDS_PER_DAY
    elif isinstance(span, str) and span.strip().upper().endswith("D"):
        try:
            seconds = float(span.strip()[:-1]) * _SECONDS_PER_DAY
        except ValueError:
            seconds = math.nan
    else:
        seconds = math.nan
    if not seconds > 0 or not math.isfinite(seconds):
        msg = (
            f"cannot read half_life={span!r}; expected a positive number of days, "
            "a string such as '30D', or a numpy.timedelta64"
        )
        raise ConfigError(msg)
    return seconds


def _graphs_equal(a: nx.Graph, b: nx.Graph) -> bool:
    return type(a) is type(b) and bool(nx.utils.graphs_equal(a, b))


_GRAPH_EQ = attrs.cmp_using(eq=_graphs_equal, class_name="GraphEq")


@summarised(None)
@attrs.frozen
class DualOS:
    """
    Kotter's dual operating system: the hierarchy and the network of communities beside it.

    Two typed layers on networkx graphs, both frozen (read-only) so they can be handed to any
    networkx function without risk:

    * :attr:`hierarchy` -- a :class:`networkx.DiGraph` of people and org units with
      ``reports_to`` (person -> manager) and ``belongs_to`` (person -> unit, unit -> parent unit)
      edges;
    * :attr:`network` -- a :class:`networkx.MultiDiGraph` of people, communities, initiatives
      and the guiding coalition with ``member_of`` (attribute ``role``), ``leads``, ``sponsors``
      and ``interacts`` (person -> person; ``weight``, ``count``, ``first``, ``last``) edges,
      keyed by edge type;

    plus derived views: :attr:`combined` (both layers), :attr:`interactions` (the directed
    person-to-person ties) and :attr:`ties` (the same, undirected, weights summed), which is the
    graph the ONA measures in :mod:`communitykit.network.metrics` use for a :class:`DualOS`.

    People are keyed by their id, other nodes by :func:`node_key` (``"unit:Sales"``). Every node
    has the attribute ``type`` (one of :data:`NODE_TYPES`) and ``name``; people also carry
    ``org_unit``, ``level`` (0 at the top), ``manager`` and ``roles``, and any extra columns read
    by :meth:`from_edges`.

    Build one with :meth:`from_directory`, :meth:`from_edges` or :meth:`from_graphs`, then add
    layers with the ``with_*`` methods. Every builder returns a *new* :class:`DualOS`; nothing
    is changed in place, and graphs passed in are copied, never mutated.

    Attributes
    ----------
    hierarchy
        The hierarchy layer (frozen).
    network
        The network layer (frozen).
    directory
        The :class:`~communitykit.people.Directory` the hierarchy was built from, if any.
    coalition_name
        Name of the guiding coalition node.

    Examples
    --------
    >>> d = ck.Directory(
    ...     [
    ...         ck.Person("ceo", org_unit="Board"),
    ...         ck.Person("ana", org_unit="Sales", manager="ceo"),
    ...         ck.Person("bo", org_unit="IT", manager="ceo"),
    ...     ]
    ... )
    >>> dos = DualOS.from_directory(d).with_coalition(["ana", "bo"])
    >>> sorted(dos.coalition), dos.hierarchy.nodes["ana"]["level"]
    (['ana', 'bo'], 1)
    >>> dos.hierarchy.has_edge("ana", "ceo"), dos.hierarchy.edges["ana", "ceo"]["type"]
    (True, 'reports_to')

    .. versionadded:: 0.1
    """

    # equal when both graphs hold the same nodes, edges and attributes, and the same directory
    hierarchy: nx.DiGraph = attrs.field(
        factory=_empty_hierarchy, repr=False, eq=_GRAPH_EQ, hash=False
    )
    network: nx.MultiDiGraph = attrs.field(
        factory=_empty_network, repr=False, eq=_GRAPH_EQ, hash=False
    )
    directory: Directory | None = attrs.field(default=None, repr=False, hash=False)
    coalition_name: str = "guiding coalition"
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for G in (self.hierarchy, self.network):
            if not nx.is_frozen(G):
                msg = "DualOS layers must be frozen graphs; build with DualOS.from_graphs()"
                raise ModelError(msg)

    def __repr__(self) -> str:
        counts = self.summary()
        return (
            f"<DualOS: {counts['people']:,} people, {counts['org_units']:,} org units, "
            f"{counts['communities']:,} communities, {counts['initiatives']:,} initiatives, "
            f"{counts['coalition']:,} in the coalition, {counts['ties']:,} ties>"
        )

    # ------------------------------------------------------------------ builders

    @classmethod
    def from_directory(
        cls,
        directory: Directory,
        *,
        unit_parents: Mapping[str, str] | None = None,
        unit_separator: str | None = "/",
    ) -> DualOS:
        """
        Build the hierarchy layer from a :class:`~communitykit.people.Directory`.

        Parameters
        ----------
        directory
            People with their managers and org units (already checked for reporting cycles and
            unknown managers by the directory itself).
        unit_parents
            Parent of each org unit (``{"EMEA Sales": "Sales"}``), for ``belongs_to`` edges
            between units.
        unit_separator
            If not ``None``, a unit named like a path (``"Sales/EMEA"``) belongs to the unit
            before the last separator (``"Sales"``), and so on up to the root.

        Returns
        -------
        DualOS
            A dual operating system with an empty network layer.

        Raises
        ------
        ModelError
            For a cycle among the unit parents.
        DataError
            For a person id that uses a reserved prefix such as ``"unit:"``.

        Examples
        --------
        >>> d = ck.Directory([ck.Person("a", org_unit="Sales/EMEA"), ck.Person("b")])
        >>> dos = DualOS.from_directory(d)
        >>> sorted(dos.hierarchy.successors("unit:Sales/EMEA"))
        ['unit:Sales']
        """
        found = as_directory(directory, where="DualOS.from_directory(directory=)")
        if found is None:
            msg = (
                "DualOS.from_directory() needs a Directory; got None. Pass a Directory, the "
                "result of communitykit.read_directory(path) (or its .directory), or a path"
            )
            raise ConfigError(msg)
        directory = found
        H = nx.DiGraph()
        levels = directory.levels
        for row, person in enumerate(directory):
            _check_person_id(person.id)
            H.add_node(person.id, **_person_attrs(person, int(levels[row])))
        for person in directory:
            if person.manager is not None:
                H.add_edge(person.id, person.manager, type="reports_to")
        units = {p.org_unit for p in directory if p.org_unit}
        parents = _unit_parents(units, unit_parents or {}, unit_separator)
        for unit in sorted(units | set(parents) | set(parents.values())):
            H.add_node(node_key("org_unit", unit), type="org_unit", name=unit)
        for person in directory:
            if person.org_unit:
                H.add_edge(person.id, node_key("org_unit", person.org_unit), type="belongs_to")
        for child, parent in parents.items():
            H.add_edge(node_key("org_unit", child), node_key("org_unit", parent), type="belongs_to")
        return cls(hierarchy=_frozen(H), directory=directory)

    @classmethod
    def from_graphs(
        cls,
        hierarchy: nx.DiGraph | None = None,
        network: nx.MultiDiGraph | nx.DiGraph | None = None,
        *,
        coalition_name: str = "guiding coalition",
    ) -> DualOS:
        """
        Build a dual operating system from typed networkx graphs (copied, never mutated).

        Parameters
        ----------
        hierarchy
            A directed graph whose nodes carry ``type`` (``person`` or ``org_unit``) and whose
            edges carry ``type`` (``reports_to`` or ``belongs_to``).
        network
            A directed (multi)graph of ``person``, ``community``, ``initiative`` and
            ``coalition`` nodes with ``member_of``, ``leads``, ``sponsors`` and ``interacts``
            edges. ``interacts`` edges need a ``weight``.
        coalition_name
            Name of the coalition node (key ``"coalition:<name>"``).

        Raises
        ------
        ModelError
            For an untyped node or edge, an edge type in the wrong layer, or a reporting cycle.

        Examples
        --------
        >>> H = nx.DiGraph()
        >>> H.add_node("a", type="person")
        >>> H.add_node("b", type="person")
        >>> H.add_edge("a", "b", type="reports_to")
        >>> DualOS.from_graphs(H).hierarchy.nodes["a"]["level"]
        1
        """
        H = nx.DiGraph()
        if hierarchy is not None:
            if not hierarchy.is_directed() or hierarchy.is_multigraph():
                msg = "the hierarchy must be a networkx.DiGraph"
                raise ModelError(msg)
            _check_types(hierarchy, "hierarchy", {"person", "org_unit"}, _HIERARCHY_EDGES)
            H.add_nodes_from((n, dict(d)) for n, d in hierarchy.nodes(data=True))
            H.add_edges_from((u, v, dict(d)) for u, v, d in hierarchy.edges(data=True))
        _assign_levels(H)
        N = nx.MultiDiGraph()
        if network is not None:
            if not network.is_directed():
                msg = "the network layer must be a directed networkx graph"
                raise ModelError(msg)
            _check_types(
                network,
                "network",
                {"person", "community", "initiative", "coalition"},
                _NETWORK_EDGES,
            )
            N.add_nodes_from((n, dict(d)) for n, d in network.nodes(data=True))
            for u, v, d in network.edges(data=True):
                N.add_edge(u, v, key=d["type"], **dict(d))
            for u, v, d in N.edges(data=True):
                if d["type"] == "interacts":
                    _check_tie(u, v, d)
        for n, d in N.nodes(data=True):
            if d.get("type") == "person" and n not in H:
                H.add_node(n, **{**d, "level": None})
        return cls(hierarchy=_frozen(H), network=_frozen(N), coalition_name=coalition_name)

    @classmethod
    def from_edges(
        cls,
        edges: PathLike | Iterable[Mapping[str, object]],
        nodes: PathLike | Iterable[Mapping[str, object]] | None = None,
        *,
        self_loops: str = "raise",
    ) -> DualOS:
        """
        Build a dual operating system from an edge list (and optionally a node table).

        Parameters
        ----------
        edges
            A CSV file or mappings with the columns ``source`` and ``target`` (also read:
            ``from``/``to``, ``src``/``dst``, and Viva Insights' ``PrimaryCollaborator_PersonId``
            / ``SecondaryCollaborator_PersonId``), optionally ``weight`` (default 1), ``type``
            (an edge type from :data:`EDGE_TYPES`, default ``interacts``), ``role`` (for
            ``member_of``) and ``time`` (or ``first`` and ``last``).
            For ``member_of``, ``leads`` and ``sponsors`` the target is a community (or an
            initiative: write ``initiative:<name>``); for ``belongs_to`` an org unit;
            ``reports_to`` builds the hierarchy like a directory's ``manager`` column.
        nodes
            A CSV file or mappings with one row per person: ``id`` (or ``person``), and
            optionally ``name``, ``org_unit``, ``manager``, ``roles``, ``email`` -- the
            directory columns -- plus any other columns, kept as node attributes (usable as a
            grouping, e.g. ``region``). When given, every edge must name known people.
        self_loops
            ``"raise"`` (default) or ``"drop"`` for an interaction from a person to themselves.

        Returns
        -------
        DualOS

        Raises
        ------
        FileNotFoundError
            If *edges* or *nodes* is a path that does not exist (``filename`` is the path; the
            message says which table).
        SchemaError
            If the edge table lacks a source or target column.
        DataError
            For a path that is not a file, an empty id, an unknown edge type, a negative or
            non-numeric weight, a self-loop (with ``self_loops="raise"``), or -- with *nodes* --
            a person not in the node table (the message names the row).

        Notes
        -----
        Duplicate interaction rows for the same ordered pair are summed (``weight``, ``count``)
        and keep the earliest ``first`` and latest ``last`` time.

        Examples
        --------
        >>> dos = DualOS.from_edges(
        ...     [
        ...         {"source": "ana", "target": "bo", "weight": 2},
        ...         {"source": "bo", "target": "ana"},
        ...         {"source": "ana", "target": "bo"},
        ...     ]
        ... )
        >>> dos.interactions.edges["ana", "bo"]["weight"], dos.ties.edges["ana", "bo"]["weight"]
        (3.0, 4.0)
        """
        if self_loops not in ("raise", "drop"):
            msg = f"self_loops={self_loops!r}; expected 'raise' or 'drop'"
            raise ConfigError(msg)
        edge_rows = as_rows(edges, "edge")
        node_rows = None if nodes is None else as_rows(nodes, "node")
        reports = [
            r for r in edge_rows if str(r.get("type") or "interacts").strip() == "reports_to"
        ]
        if node_rows is not None or reports:
            base = cls.from_directory(_directory_from_rows(node_rows, reports))
            if node_rows is not None:
                base = base._with_person_attributes(node_rows)  # noqa: SLF001 - same class
            strict = node_rows is not None
        else:
            base, strict = cls(), False
        return base._with_edge_rows(
            [r for r in edge_rows if r not in reports], strict=strict, self_loops=self_loops
        )

    def with_interactions(
        self,
        log: EventLog,
        *,
        kinds: Iterable[str] = INTERACTION_KINDS,
        half_life: object = None,
        decay: str = "event",
        as_of: TimeLike | None = None,
        unknown: str = "raise",
        exclude_roles: Iterable[str] = ("bot",),
    ) -> DualOS:
        """
        Return a copy with ``interacts`` ties built from an event log.

        Parameters
        ----------
        log
            The events.
        kinds
            Which events make ties, any of :data:`INTERACTION_KINDS`:
            ``"reply"`` -- a ``create``-kind event (reply, comment, answer, ...) that answers
            another event (``log.parent``) ties its actor to the parent's actor, or, without a
            parent, to ``log.target``; ``"mention"`` -- a ``mention`` ties the actor to the
            target; ``"react"`` -- any other ``interact``-kind event (react, like, vote, share,
            ...) ties the actor to the parent's actor or the target.
        half_life
            ``None`` (default): a tie's ``weight`` is the number of events. Otherwise a
            duration (days as a number, ``"30D"``, or a :class:`numpy.timedelta64`) after
            which an event counts half; :data:`ORBIT_HALF_LIFE` (200 days) matches the Orbit
            model's "strength x 0.9 per idle month".
        decay
            ``"event"`` (default): every event decays from its own time,
            ``weight = sum 0.5 ** ((as_of - t) / half_life)``. ``"idle"``: the Orbit rule,
            the count decays with the time since the tie's last event,
            ``weight = count * 0.5 ** ((as_of - last) / half_life)``.
        as_of
            The time decay is measured to (default: the log's last event).
        unknown
            What to do with people who are not in the hierarchy: ``"raise"`` (default),
            ``"drop"`` their ties (``"skip"`` is a synonym), or ``"add"`` them as people without a
            place in the hierarchy.
            A dual operating system without any people always adds them.
        exclude_roles
            Ties to or from people with these directory roles are left out (bots by default).

        Returns
        -------
        DualOS
            A new dual operating system; ties already present are added to (weights and counts
            summed, first and last times widened).

        Raises
        ------
        ConfigError
            For an unknown kind, *decay* or *unknown* value, or a bad *half_life*.
        DataError
            For actors or targets missing from the hierarchy with ``unknown="raise"`` (the
            message names a few and says how many).

        Notes
        -----
        Self-ties (answering one's own post) are not ties and are skipped.
        The tie direction is from the actor to the person answered, so
        :func:`~communitykit.network.metrics.reciprocity` can be measured.

        Examples
        --------
        >>> log = ck.EventLog.from_records(
        ...     [
        ...         {
        ...             "time": "2024-01-01T09:00Z",
        ...             "actor": "ana",
        ...             "community": "c",
        ...             "action": "post",
        ...         },
        ...         {
        ...             "time": "2024-01-01T10:00Z",
        ...             "actor": "bo",
        ...             "community": "c",
        ...             "action": "reply",
        ...             "parent": 0,
        ...         },
        ...         {
        ...             "time": "2024-01-02T10:00Z",
        ...             "actor": "cy",
        ...             "community": "c",
        ...             "action": "like",
        ...             "parent": 0,
        ...         },
        ...         {
        ...             "time": "2024-01-03T10:00Z",
        ...             "actor": "ana",
        ...             "community": "c",
        ...             "action": "mention",
        ...             "target": "bo",
        ...         },
        ...     ]
        ... )
        >>> dos = DualOS().with_interactions(log)
        >>> sorted((u, v, d["weight"]) for u, v, d in dos.interactions.edges(data=True))
        [('ana', 'bo', 1.0), ('bo', 'ana', 1.0), ('cy', 'ana', 1.0)]
        >>> dos.with_interactions(log).ties.edges["ana", "bo"]["count"]
        4
        """
        log = as_event_log(log, where="DualOS.with_interactions(log=)")
        wanted = tuple(kinds)
        bad = [k for k in wanted if k not in INTERACTION_KINDS]
        if bad:
            msg = (
                f"unknown interaction kinds {bad}; expected some of {', '.join(INTERACTION_KINDS)}"
            )
            raise ConfigError(msg)
        if decay not in ("event", "idle"):
            msg = f"decay={decay!r}; expected 'event' or 'idle'"
            raise ConfigError(msg)
        unknown = _check_unknown(unknown)
        half = None if half_life is None else _seconds(half_life)
        src, dst, rows = tie_events(log, wanted)
        people = np.asarray(log.actors, dtype=object)
        if self.hierarchy.number_of_nodes() or self.people:
            known = np.array([self._is_person(a) for a in people.tolist()], dtype=bool)
            excluded = np.array(
                [self._has_any_role(a, exclude_roles) for a in people.tolist()], dtype=bool
            )
            keep = ~(excluded[src] | excluded[dst]) if len(src) else np.ones(0, dtype=bool)
            src, dst, rows = src[keep], dst[keep], rows[keep]
            missing = ~known[src] | ~known[dst]
            if missing.any() and unknown != "add":
                if unknown == "raise":
                    names = sorted(set(people[src[~known[src]]]) | set(people[dst[~known[dst]]]))
                    msg = (
                        f"{len(names)} people in the log are not in the hierarchy "
                        f"(e.g. {', '.join(map(repr, names[:5]))}); pass unknown='drop' to "
                        "leave their ties out or unknown='add' to add them"
                    )
                    raise DataError(msg)
                src, dst, rows = src[~missing], dst[~missing], rows[~missing]
        times = log.time[rows]
        stamp = (
            (log.time[-1] if len(log) else np.datetime64(0, "s"))
            if as_of is None
            else as_datetime64(as_of)
        )
        table = _aggregate_ties(src, dst, times, stamp, half, decay)
        return self._merged_tie_table(people, table)

    def with_memberships(
        self,
        source: EventLog | Iterable[Mapping[str, object]],
        *,
        active_as_member: bool = True,
        unknown: str = "raise",
    ) -> DualOS:
        """
        Return a copy with ``member_of`` edges from people to communities.

        Parameters
        ----------
        source
            An event log -- ``join`` and ``leave`` events (the last one per person and
            community wins) and, with *active_as_member*, anyone who created or interacted in a
            community -- or a table of mappings with the columns ``person``, ``community`` and
            optionally ``role`` (``member``, ``manager`` or ``core``; default ``member``).
        active_as_member
            Count people active in a community as members even without a ``join`` event.
        unknown
            ``"raise"`` (default), ``"drop"`` or ``"add"`` people missing from the hierarchy
            (see :meth:`with_interactions`).

        Raises
        ------
        DataError
            For an unknown role, an empty field, or an unknown person with ``unknown="raise"``.

        Examples
        --------
        >>> dos = DualOS().with_memberships(
        ...     [
        ...         {"person": "ana", "community": "wol", "role": "manager"},
        ...         {"person": "bo", "community": "wol"},
        ...     ]
        ... )
        >>> dos.network.edges["ana", "community:wol", "member_of"]["role"], dos.members("wol")
        ('manager', ('ana', 'bo'))
        """
        if type(source).__name__ == "DataFrame":  # a table of person, community, role
            source = cast("Any", source).to_dict("records")
        elif isinstance(source, (str, os.PathLike)) or not isinstance(source, Iterable):
            source = as_event_log(source, where="DualOS.with_memberships(source=)")
        unknown = _check_unknown(unknown)
        rows: list[tuple[str, str, str]]
        if isinstance(source, EventLog):
            rows = _memberships_from_log(source, active_as_member=active_as_member)
        else:
            rows = []
            for i, rec in enumerate(source):
                person = _cell(rec, "person", i) or _cell(rec, "id", i)
                community = _cell(rec, "community", i)
                role = _cell(rec, "role", i) or "member"
                if not person or not community:
                    msg = f"row {i}: 'person' and 'community' must not be empty; got {dict(rec)!r}"
                    raise DataError(msg)
                if role not in MEMBER_ROLES:
                    msg = f"row {i}: role {role!r}; expected one of {', '.join(MEMBER_ROLES)}"
                    raise DataError(msg)
                rows.append((person, community, role))
        rows = self._resolve_people(rows, unknown, what="member")
        N = nx.MultiDiGraph(self.network)
        H = nx.DiGraph(self.hierarchy)
        for person, community, role in rows:
            self._ensure_person(H, N, person)
            key = node_key("community", community)
            if key not in N:
                N.add_node(key, type="community", name=community)
            N.add_edge(person, key, key="member_of", type="member_of", role=role)
        return self._evolve(H, N)

    def with_coalition(self, people: Iterable[str], *, name: str | None = None) -> DualOS:
        """
        Return a copy whose guiding coalition is *people* (replacing any earlier coalition).

        Parameters
        ----------
        people
            Person ids; every one must be a person of this dual operating system.
        name
            Name of the coalition (default: keep :attr:`coalition_name`).

        Raises
        ------
        DataError
            For a coalition member who is not in the directory.

        Examples
        --------
        >>> d = ck.Directory([ck.Person("a"), ck.Person("b", manager="a")])
        >>> DualOS.from_directory(d).with_coalition(["b"]).coalition
        frozenset({'b'})
        >>> DualOS.from_directory(d).with_coalition(["zed"])
        Traceback (most recent call last):
        ...
        communitykit.errors.DataError: coalition member 'zed' is not in the directory; ...
        """
        members = list(dict.fromkeys(str(p) for p in people))
        for person in members:
            if not self._is_person(person):
                msg = (
                    f"coalition member {person!r} is not in the directory; "
                    f"the dual operating system knows {len(self.people):,} people"
                )
                raise DataError(msg)
        coalition = name if name is not None else self.coalition_name
        N = nx.MultiDiGraph(self.network)
        N.remove_nodes_from([n for n, t in N.nodes(data="type") if t == "coalition"])
        key = node_key("coalition", coalition)
        N.add_node(key, type="coalition", name=coalition)
        for person in members:
            if person not in N:
                N.add_node(person, **dict(self.hierarchy.nodes[person]))
            N.add_edge(person, key, key="member_of", type="member_of", role="member")
        out = DualOS(
            hierarchy=self.hierarchy,
            network=_frozen(N),
            directory=self.directory,
            coalition_name=coalition,
        )
        # the same people, person attributes and ties: the tie views carry over
        out._cache.update({k: v for k, v in self._cache.items() if k in _TIE_VIEWS})
        return out

    def with_initiatives(
        self, table: Iterable[Mapping[str, object]], *, unknown: str = "raise"
    ) -> DualOS:
        """
        Return a copy with change initiatives (Kotter's accelerator 3) and who drives them.

        Parameters
        ----------
        table
            Mappings (CSV rows, records) with ``initiative`` (the name) and optionally
            ``leads``, ``sponsors``, ``members`` (person ids separated by ``;``) and
            ``community`` (the community it grew from: a ``belongs_to`` edge). Other columns
            (``status``, ``accelerator``, ...) become node attributes.
        unknown
            ``"raise"`` (default), ``"drop"`` or ``"add"`` people missing from the hierarchy.

        Raises
        ------
        DataError
            For a row without an initiative name or a person not in the hierarchy.

        Examples
        --------
        >>> dos = DualOS().with_initiatives(
        ...     [{"initiative": "paperless", "leads": "ana", "sponsors": "ceo", "status": "pilot"}],
        ...     unknown="add",
        ... )
        >>> dos.network.nodes["initiative:paperless"]["status"]
        'pilot'
        >>> sorted(dos.network.predecessors("initiative:paperless"))
        ['ana', 'ceo']
        """
        unknown = _check_unknown(unknown)
        N = nx.MultiDiGraph(self.network)
        H = nx.DiGraph(self.hierarchy)
        for i, rec in enumerate(table):
            name = _cell(rec, "initiative", i) or _cell(rec, "name", i)
            if not name:
                msg = f"row {i}: 'initiative' is empty; every initiative needs a name"
                raise DataError(msg)
            key = node_key("initiative", name)
            extra = {
                str(k): v
                for k, v in rec.items()
                if k not in ("initiative", "name", "leads", "sponsors", "members", "community")
                and v not in (None, "")
            }
            N.add_node(key, **{**N.nodes.get(key, {}), **extra, "type": "initiative", "name": name})
            links = [
                (person, key, edge_type)
                for column, edge_type in (
                    ("leads", "leads"),
                    ("sponsors", "sponsors"),
                    ("members", "member_of"),
                )
                for person in _ids(rec.get(column))
            ]
            resolved = self._resolve_people(links, unknown, what=f"row {i}: initiative person")
            for person, target, edge_type in resolved:
                self._ensure_person(H, N, person)
                attrs_ = {"role": "member"} if edge_type == "member_of" else {}
                N.add_edge(person, target, key=edge_type, type=edge_type, **attrs_)
            community = _cell(rec, "community", i)
            if community:
                ckey = node_key("community", community)
                if ckey not in N:
                    N.add_node(ckey, type="community", name=community)
                N.add_edge(key, ckey, key="belongs_to", type="belongs_to")
        return self._evolve(H, N)

    # ------------------------------------------------------------------ views

    @property
    def people(self) -> tuple[str, ...]:
        """Ids of every person (hierarchy and network), sorted."""
        if "people" not in self._cache:
            found = {n for n, t in self.hierarchy.nodes(data="type") if t == "person"}
            found |= {n for n, t in self.network.nodes(data="type") if t == "person"}
            self._cache["people"] = tuple(sorted(found))
        people: tuple[str, ...] = self._cache["people"]
        return people

    @property
    def coalition(self) -> frozenset[str]:
        """Ids of the guiding coalition's members."""
        key = node_key("coalition", self.coalition_name)
        if key not in self.network:
            return frozenset()
        return frozenset(self.network.predecessors(key))

    @property
    def interactions(self) -> nx.DiGraph:
        """
        The directed person-to-person ``interacts`` ties, every person a node (frozen).

        Edge attributes: ``weight`` (count or decayed count), ``count``, ``first``, ``last``
        (``datetime64[s]`` or ``None``), ``distance`` (``1 / weight``, for path measures).
        """
        if "interactions" not in self._cache:
            table = self._tie_table()
            if table is not None:
                self._cache["interactions"] = directed_view(table, self.people, self._person_view)
            else:
                D = nx.DiGraph()
                D.add_nodes_from((p, self._person_view(p)) for p in self.people)
                D.add_edges_from(
                    (u, v, _tie_attrs(d))
                    for u, v, k, d in self.network.edges(keys=True, data=True)
                    if k == "interacts"
                )
                self._cache["interactions"] = _frozen(D)
        G: nx.DiGraph = self._cache["interactions"]
        return G

    @property
    def ties(self) -> nx.Graph:
        """
        The undirected interaction network: every person a node, both directions summed (frozen).

        This is the graph every measure in :mod:`communitykit.network.metrics` uses when it is
        given a :class:`DualOS`. Edge attributes as in :attr:`interactions`.
        """
        if "ties" not in self._cache:
            table = self._tie_table()
            if table is not None:
                self._cache["ties"] = undirected_view(table, self.people, self._person_view)
            else:
                self._cache["ties"] = self._legacy_ties()
        G: nx.Graph = self._cache["ties"]
        return G

    @property
    def combined(self) -> nx.MultiDiGraph:
        """Both layers in one frozen multigraph (edges keyed by type)."""
        if "combined" not in self._cache:
            C = nx.MultiDiGraph()
            C.add_nodes_from(self.hierarchy.nodes(data=True))
            for n, d in self.network.nodes(data=True):
                C.add_node(n, **{**C.nodes.get(n, {}), **d})
            C.add_edges_from((u, v, d["type"], d) for u, v, d in self.hierarchy.edges(data=True))
            C.add_edges_from(self.network.edges(keys=True, data=True))
            self._cache["combined"] = _frozen(C)
        G: nx.MultiDiGraph = self._cache["combined"]
        return G

    def nodes_of_type(self, node_type: str) -> tuple[str, ...]:
        """
        Return the keys of every node of *node_type*, sorted.

        Examples
        --------
        >>> DualOS().with_memberships([{"person": "a", "community": "x"}]).nodes_of_type(
        ...     "community"
        ... )
        ('community:x',)
        """
        if node_type not in NODE_TYPES:
            msg = f"unknown node type {node_type!r}; expected one of {', '.join(NODE_TYPES)}"
            raise ConfigError(msg)
        if node_type == "person":
            return self.people
        layer = self.hierarchy if node_type == "org_unit" else self.network
        return tuple(sorted(n for n, t in layer.nodes(data="type") if t == node_type))

    def members(self, community: str) -> tuple[str, ...]:
        """Return the ids of the members of *community* (its name, not its key), sorted."""
        key = node_key("community", community)
        if key not in self.network:
            msg = f"no community {community!r}; known: {', '.join(self._names('community'))}"
            raise DataError(msg)
        return tuple(sorted(self.network.predecessors(key)))

    def attribute(self, name: str) -> dict[str, Any]:
        """
        Return a person attribute (``org_unit``, ``level``, or any node column) keyed by person.

        People without the attribute are left out.

        Examples
        --------
        >>> d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b")])
        >>> DualOS.from_directory(d).attribute("org_unit")
        {'a': 'X'}
        """
        out: dict[str, object] = {}
        for person in self.people:
            value = self._person_view(person).get(name)
            if value is not None and value != "":
                out[person] = value
        return out

    def attribute_names(self) -> list[str]:
        """
        Return the sorted names of the attributes at least one person has.

        Examples
        --------
        >>> d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b")])
        >>> "org_unit" in DualOS.from_directory(d).attribute_names()
        True
        """
        names = {str(k) for p in self.people for k in self._person_view(p)}
        return sorted(names - {"type"})

    def summary(self) -> dict[str, int]:
        """Return node and edge counts per type (JSON-ready)."""
        return {
            "people": len(self.people),
            "org_units": len(self.nodes_of_type("org_unit")),
            "communities": len(self.nodes_of_type("community")),
            "initiatives": len(self.nodes_of_type("initiative")),
            "coalition": len(self.coalition),
            "reporting_lines": sum(
                1 for _, _, t in self.hierarchy.edges(data="type") if t == "reports_to"
            ),
            "ties": self.ties.number_of_edges(),
        }

    # ------------------------------------------------------------------ helpers

    def _tie_table(self) -> TieTable | None:
        """The ``interacts`` ties as arrays over :attr:`people` (``None``: they do not fit)."""
        if "tie_table" not in self._cache:
            self._cache["tie_table"] = TieTable.from_network(self.network, self.people)
        table: TieTable | None = self._cache["tie_table"]
        return table

    def _legacy_ties(self) -> nx.Graph:
        """The undirected ties built edge by edge (ties the arrays cannot hold)."""
        pairs: dict[tuple[Any, Any], dict[str, Any]] = {}
        for u, v, k, d in self.network.edges(keys=True, data=True):
            if k != "interacts":
                continue
            old = pairs.get((v, u))
            if old is None:
                pairs[(u, v)] = _tie_attrs(d)
                continue
            old["weight"] += float(d.get("weight", 1.0))
            old["count"] += int(d.get("count", 1))
            for key, pick in (("first", min), ("last", max)):
                value = d.get(key)
                if value is not None:
                    old[key] = value if old[key] is None else pick(old[key], value)
            old["distance"] = 1.0 / old["weight"] if old["weight"] > 0 else math.inf
        U = nx.Graph()
        U.add_nodes_from((p, self._person_view(p)) for p in self.people)
        U.add_edges_from((u, v, d) for (u, v), d in pairs.items())
        return _frozen(U)

    def _names(self, node_type: str) -> list[str]:
        prefix = _PREFIX[node_type]
        return [k[len(prefix) :] for k in self.nodes_of_type(node_type)]

    def _person_view(self, person: str) -> Mapping[str, Any]:
        """The person's attributes without a copy (read-only use)."""
        if person in self.hierarchy:
            data: Mapping[str, object] = self.hierarchy.nodes[person]
        else:
            data = self.network.nodes[person]
        return data

    def _is_person(self, person: object) -> bool:
        for G in (self.hierarchy, self.network):
            if person in G and G.nodes[person].get("type") == "person":
                return True
        return False

    def _has_any_role(self, person: str, roles: Iterable[str]) -> bool:
        wanted = set(roles)
        if not wanted or person not in self.hierarchy:
            return False
        return bool(wanted & set(self.hierarchy.nodes[person].get("roles", ())))

    def _resolve_people(
        self, rows: list[tuple[str, str, str]], unknown: str, *, what: str
    ) -> list[tuple[str, str, str]]:
        if not self.people or unknown == "add":
            return rows
        missing = sorted({r[0] for r in rows if not self._is_person(r[0])})
        if missing and unknown == "raise":
            msg = (
                f"{what} {missing[0]!r} is not in the hierarchy ({len(missing)} unknown people); "
                "pass unknown='drop' or unknown='add'"
            )
            raise DataError(msg)
        return [r for r in rows if r[0] not in set(missing)]

    def _ensure_person(self, H: nx.DiGraph, N: nx.MultiDiGraph, person: str) -> None:
        _check_person_id(person)
        if person not in H:
            H.add_node(
                person,
                type="person",
                name=person,
                org_unit=None,
                level=None,
                manager=None,
                roles=("member",),
            )
        if person not in N:
            N.add_node(person, **dict(H.nodes[person]))

    def _evolve(self, H: nx.DiGraph, N: nx.MultiDiGraph) -> DualOS:
        return DualOS(
            hierarchy=_frozen(H),
            network=_frozen(N),
            directory=self.directory,
            coalition_name=self.coalition_name,
        )

    def _merged_tie_table(self, names: npt.NDArray[np.object_], table: TieTable) -> DualOS:
        """
        Add the ties of *table* (indices into *names*) to the network layer.

        Without ties yet (the usual case) they are added in one pass and the new DualOS keeps
        the table, so its views and edge arrays need no loop over the graph; otherwise they
        are merged tie by tie (:meth:`_merged_ties`).
        """
        own = self._tie_table()
        if own is None or len(own):
            return self._merged_ties(table.rows(names))
        # people in order of first appearance, as the tie-by-tie merge adds them
        both = np.column_stack([table.src, table.dst]).ravel()
        codes, at = np.unique(both, return_index=True)
        used = codes[np.argsort(at, kind="stable")]
        everyone = names[used].tolist()
        newcomers = [p for p in everyone if p not in self.hierarchy or p not in self.network]
        H = (
            nx.DiGraph(self.hierarchy)
            if any(p not in self.hierarchy for p in newcomers)
            else self.hierarchy
        )
        N = nx.MultiDiGraph(self.network)
        for person in newcomers:
            self._ensure_person(H, N, person)
        N.add_edges_from(
            (u, v, "interacts", _interacts(w, c, f, la)) for u, v, w, c, f, la in table.rows(names)
        )
        out = self._evolve(H, N)
        # the same ties over the new DualOS's people
        position = {p: i for i, p in enumerate(out.people)}
        recode = np.full(len(names), -1, dtype=np.int64)
        recode[used] = [position[p] for p in everyone]
        out._cache["tie_table"] = TieTable(  # noqa: SLF001 - same class
            recode[table.src],
            recode[table.dst],
            table.weight,
            table.count,
            table.first,
            table.last,
        )
        return out

    def _merged_ties(
        self,
        ties: Iterable[tuple[str, str, float, int, np.datetime64 | None, np.datetime64 | None]],
    ) -> DualOS:
        rows = list(ties)
        everyone = {u for u, *_ in rows} | {r[1] for r in rows}
        # the hierarchy is copied only when people must be added (frozen graphs can be shared)
        newcomers = any(p not in self.hierarchy for p in everyone)
        H = nx.DiGraph(self.hierarchy) if newcomers else self.hierarchy
        N = nx.MultiDiGraph(self.network)
        for u, v, weight, count, first, last in rows:
            for person in (u, v):
                if person not in N:
                    self._ensure_person(H, N, person)
            new = {
                "type": "interacts",
                "weight": weight,
                "count": count,
                "first": first,
                "last": last,
            }
            if N.has_edge(u, v, key="interacts"):
                old = N.edges[u, v, "interacts"]
                old.update(_merge_tie(old, new))
            else:
                N.add_edge(u, v, key="interacts", **new)
        return self._evolve(H, N)

    def _with_person_attributes(self, rows: list[dict[str, str]]) -> DualOS:
        H = nx.DiGraph(self.hierarchy)
        skip = {
            "id",
            "person",
            "name",
            "email",
            "org_unit",
            "manager",
            "roles",
            "affiliation",
            "aliases",
            "type",
            "level",
        }
        for row in rows:
            person = (row.get("id") or row.get("person") or "").strip()
            for key, value in row.items():
                if key not in skip and value not in (None, ""):
                    H.nodes[person][key] = value
        return self._evolve(H, nx.MultiDiGraph(self.network))

    def _with_edge_rows(
        self, rows: list[dict[str, str]], *, strict: bool, self_loops: str
    ) -> DualOS:
        ties: dict[tuple[str, str], dict[str, Any]] = {}
        memberships: list[dict[str, object]] = []
        initiatives: dict[str, dict[str, list[str]]] = {}
        units: list[tuple[str, str]] = []
        for i, row in enumerate(rows):
            src = _first(row, ("source", "from", "src", "PrimaryCollaborator_PersonId"))
            dst = _first(row, ("target", "to", "dst", "SecondaryCollaborator_PersonId"))
            if src is None or dst is None:
                msg = (
                    f"edge row {i} has no source/target column; expected 'source' and 'target' "
                    f"(got columns {sorted(row)})"
                )
                raise SchemaError(msg)
            if not src or not dst:
                msg = f"edge row {i}: empty source or target ({src!r} -> {dst!r})"
                raise DataError(msg)
            edge_type = (row.get("type") or "interacts").strip()
            if edge_type not in EDGE_TYPES:
                msg = f"edge row {i}: type {edge_type!r}; expected one of {', '.join(EDGE_TYPES)}"
                raise DataError(msg)
            if strict and not self._is_person(src):
                msg = f"edge row {i}: {src!r} is not in the node table"
                raise DataError(msg)
            if edge_type == "interacts":
                if strict and not self._is_person(dst):
                    msg = f"edge row {i}: {dst!r} is not in the node table"
                    raise DataError(msg)
                if src == dst:
                    if self_loops == "drop":
                        continue
                    msg = (
                        f"edge row {i}: {src!r} interacts with themselves; "
                        "skip such rows with self_loops='drop' "
                        "(communitykit network: --self-loops drop)"
                    )
                    raise DataError(msg)
                weight = _weight(row.get("weight"), i)
                first, last = _edge_times(row, i)
                new = {"weight": weight, "count": 1, "first": first, "last": last}
                old = ties.get((src, dst))
                ties[(src, dst)] = new if old is None else _merge_tie(old, new)
            elif edge_type == "member_of":
                if dst.startswith("initiative:"):
                    initiatives.setdefault(dst[11:], {}).setdefault("members", []).append(src)
                else:
                    memberships.append(
                        {
                            "person": src,
                            "community": dst.removeprefix("community:"),
                            "role": row.get("role") or "member",
                        }
                    )
            elif edge_type in ("leads", "sponsors"):
                name = dst.removeprefix("initiative:")
                initiatives.setdefault(name, {}).setdefault(edge_type, []).append(src)
            else:  # belongs_to
                units.append((src, dst.removeprefix("unit:")))
        unknown = "raise" if strict else "add"
        dos = self
        if units:
            dos = dos._with_units(units, strict=strict)
        if ties:
            dos = dos._merged_ties(  # noqa: SLF001 - same class
                (u, v, d["weight"], d["count"], d["first"], d["last"]) for (u, v), d in ties.items()
            )
        if memberships:
            dos = dos.with_memberships(memberships, unknown=unknown)
        if initiatives:
            dos = dos.with_initiatives(
                [
                    {"initiative": k, **{c: ";".join(p) for c, p in v.items()}}
                    for k, v in initiatives.items()
                ],
                unknown=unknown,
            )
        return dos

    def _with_units(self, units: list[tuple[str, str]], *, strict: bool) -> DualOS:
        H = nx.DiGraph(self.hierarchy)
        N = nx.MultiDiGraph(self.network)
        for person, unit in units:
            if strict and not self._is_person(person):
                msg = f"belongs_to edge from {person!r}, who is not in the node table"
                raise DataError(msg)
            self._ensure_person(H, N, person)
            key = node_key("org_unit", unit)
            H.add_node(key, type="org_unit", name=unit)
            H.add_edge(person, key, type="belongs_to")
            H.nodes[person]["org_unit"] = unit
            if person in N:
                N.nodes[person]["org_unit"] = unit
        return self._evolve(H, N)


# ---------------------------------------------------------------------- helpers


def _check_unknown(unknown: str) -> str:
    if unknown == "skip":
        return "drop"
    if unknown not in ("raise", "drop", "add"):
        msg = f"unknown={unknown!r}; expected 'raise', 'drop' (or 'skip') or 'add'"
        raise ConfigError(msg)
    return unknown


def _person_attrs(person: Person, level: int) -> dict[str, Any]:
    return {
        "type": "person",
        "name": person.name or person.id,
        "org_unit": person.org_unit,
        "level": level,
        "manager": person.manager,
        "roles": tuple(sorted(person.roles)),
    }


def _unit_parents(
    units: set[str], explicit: Mapping[str, str], separator: str | None
) -> dict[str, str]:
    parents = {str(k): str(v) for k, v in explicit.items()}
    if separator:
        todo = sorted(units | set(parents) | set(parents.values()))
        while todo:
            unit = todo.pop()
            head, sep, _ = unit.rpartition(separator)
            if sep and head and unit not in parents:
                parents[unit] = head
                todo.append(head)
    for start in parents:
        seen = [start]
        node = parents.get(start)
        while node is not None:
            if node in seen:
                cycle = [*seen[seen.index(node) :], node]
                msg = f"org unit cycle: {' -> '.join(cycle)}"
                raise ModelError(msg)
            seen.append(node)
            node = parents.get(node)
    return parents


def _check_types(G: nx.Graph, layer: str, node_types: set[str], edge_types: frozenset[str]) -> None:
    for n, t in G.nodes(data="type"):
        if t not in node_types:
            expected = ", ".join(sorted(node_types))
            msg = f"{layer} node {n!r} has type {t!r}; expected one of {expected}"
            raise ModelError(msg)
        if t == "person":
            _check_person_id(str(n))
    for u, v, t in G.edges(data="type"):
        if t not in edge_types and not (t == "belongs_to" and layer == "network"):
            msg = (
                f"{layer} edge {u!r} -> {v!r} has type {t!r}; expected one of "
                f"{', '.join(sorted(edge_types))}"
            )
            raise ModelError(msg)
        if u == v:
            msg = f"{layer} edge {u!r} -> {v!r} is a self-loop"
            raise ModelError(msg)


def _assign_levels(H: nx.DiGraph) -> None:
    """Set ``level`` on every person from the ``reports_to`` edges; raise on a cycle."""
    manager: dict[Any, Any] = {}
    for u, v, t in H.edges(data="type"):
        if t == "reports_to":
            if u in manager:
                msg = f"person {u!r} reports to both {manager[u]!r} and {v!r}"
                raise ModelError(msg)
            manager[u] = v
    level: dict[Any, int] = {}
    for start in [n for n, t in H.nodes(data="type") if t == "person"]:
        path: list[object] = []
        node = start
        while node is not None and node not in level:
            if node in path:
                cycle = [*path[path.index(node) :], node]
                msg = f"reporting cycle: {' -> '.join(map(str, cycle))}"
                raise ModelError(msg)
            path.append(node)
            node = manager.get(node)
        base = -1 if node is None else level[node]
        for depth, member in enumerate(reversed(path), start=1):
            level[member] = base + depth
    for person, lvl in level.items():
        H.nodes[person]["level"] = lvl
        H.nodes[person].setdefault("manager", manager.get(person))
        H.nodes[person].setdefault("name", str(person))


def _check_tie(u: object, v: object, d: Mapping[str, object]) -> None:
    weight = d.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or not weight >= 0 or not math.isfinite(weight):
        msg = f"interaction {u!r} -> {v!r} has weight {weight!r}; expected a number >= 0"
        raise ModelError(msg)


def _interacts(weight: float, count: int, first: object, last: object) -> dict[str, Any]:
    return {"type": "interacts", "weight": weight, "count": count, "first": first, "last": last}


def _tie_attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    weight = float(d["weight"]) if "weight" in d else 1.0
    return {
        "weight": weight,
        "count": d.get("count", 1),
        "first": d.get("first"),
        "last": d.get("last"),
        "distance": (1.0 / weight) if weight > 0 else math.inf,
    }


def _merge_tie(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    weight = float(old.get("weight", 1.0)) + float(new.get("weight", 1.0))
    firsts = [t for t in (old.get("first"), new.get("first")) if t is not None]
    lasts = [t for t in (old.get("last"), new.get("last")) if t is not None]
    merged = {
        "weight": weight,
        "count": int(old.get("count", 1)) + int(new.get("count", 1)),
        "first": min(firsts) if firsts else None,
        "last": max(lasts) if lasts else None,
    }
    if "distance" in old or "distance" in new:
        merged["distance"] = (1.0 / weight) if weight > 0 else math.inf
    return merged


def _aggregate_ties(  # noqa: PLR0917 - private helper over parallel arrays
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    times: npt.NDArray[np.datetime64],
    as_of: np.datetime64,
    half_life: float | None,
    decay: str,
) -> TieTable:
    """Group tie events by ordered pair: weight, count, first and last time (numpy only)."""
    if not len(src):
        empty = np.zeros(0, dtype=np.int64)
        return TieTable(empty, empty, np.zeros(0), empty, times[:0], times[:0])
    width = int(max(src.max(), dst.max())) + 1
    key = src * width + dst
    order = np.lexsort((times, key))
    key, times = key[order], times[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    counts = np.diff(np.r_[starts, len(key)])
    first = times[starts]
    last = times[np.r_[starts[1:], len(key)] - 1]
    if half_life is None:
        weight = counts.astype(np.float64)
    elif decay == "event":
        age = (as_of - times).astype(np.float64)
        weight = np.add.reduceat(0.5 ** (np.maximum(age, 0.0) / half_life), starts)
    else:
        idle = np.maximum((as_of - last).astype(np.float64), 0.0)
        weight = counts * 0.5 ** (idle / half_life)
    pair = key[starts]
    return TieTable(
        pair // width, pair % width, weight.astype(np.float64), counts.astype(np.int64), first, last
    )


def _memberships_from_log(log: EventLog, *, active_as_member: bool) -> list[tuple[str, str, str]]:
    names = log.vocabulary.names
    status: dict[tuple[int, int], bool] = {}
    if active_as_member:
        active = (log.kind == 1) | (log.kind == 2)
        pairs = np.unique(np.stack([log.actor[active], log.community[active]], axis=1), axis=0)
        for a, c in pairs.tolist():
            status[(a, c)] = True
    join = names.index("join") if "join" in names else -1
    leave = names.index("leave") if "leave" in names else -1
    rows = np.flatnonzero((log.action == join) | (log.action == leave))
    for r in rows.tolist():  # membership events only, in time order
        status[(int(log.actor[r]), int(log.community[r]))] = int(log.action[r]) == join
    return [
        (str(log.actors[a]), str(log.communities[c]), "member")
        for (a, c), member in sorted(status.items())
        if member
    ]
