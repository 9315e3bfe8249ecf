"""
The dual operating system: a typed hierarchy layer and a typed network layer on networkx.

The :class:`DualOS` class, its fields, caches and queries. What its methods do lives in one
module per job: ``_layers`` (node and edge vocabulary, node keys, the checks every layer
passes), ``_build`` (from a directory, typed graphs or an edge table), ``_interactions`` (ties
from events), ``_groups`` (memberships, initiatives, the coalition) and ``_views`` (the
person-to-person views and both layers in one graph).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import networkx as nx

from communitykit._repr import summarised
from communitykit._time import TimeLike
from communitykit.errors import ConfigError, DataError, ModelError
from communitykit.events import EventLog
from communitykit.io.inputs import as_event_log
from communitykit.network import _build
from communitykit.network._groups import add_initiatives, add_memberships, coalition_network
from communitykit.network._interactions import (
    INTERACTION_KINDS,
    ORBIT_HALF_LIFE,
    add_tie_table,
    tie_table_from_log,
)
from communitykit.network._layers import (
    EDGE_TYPES,
    GRAPH_EQ,
    MEMBER_ROLES,
    NODE_TYPES,
    PREFIX,
    empty_hierarchy,
    empty_network,
    node_key,
)
from communitykit.network._tietable import TieTable
from communitykit.network._views import combined_view, interactions_view, ties_view
from communitykit.people import Directory
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

_TIE_VIEWS: Final = frozenset({"people", "tie_table", "interactions", "ties"})
"""Cached views that depend only on the people, their attributes and the ``interacts`` ties."""


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
        factory=empty_hierarchy, repr=False, eq=GRAPH_EQ, hash=False
    )
    network: nx.MultiDiGraph = attrs.field(
        factory=empty_network, repr=False, eq=GRAPH_EQ, hash=False
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
        return _build.from_directory(cls, directory, unit_parents, unit_separator)

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
        return _build.from_graphs(cls, hierarchy, network, coalition_name)

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
        return _build.from_edges(cls, edges, nodes, self_loops)

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
        names, table = tie_table_from_log(
            self, log, kinds, half_life, decay, as_of, unknown, exclude_roles
        )
        out, kept = add_tie_table(self, names, table, self._tie_table())
        if kept is not None:
            out._cache["tie_table"] = kept  # noqa: SLF001 - same class
        return out

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
        return add_memberships(self, source, active_as_member=active_as_member, unknown=unknown)

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
        coalition = name if name is not None else self.coalition_name
        out = DualOS(
            hierarchy=self.hierarchy,
            network=coalition_network(self, people, coalition),
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
        return add_initiatives(self, table, unknown=unknown)

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
            self._cache["interactions"] = interactions_view(
                self.network, self.people, self._person_view, self._tie_table()
            )
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
            self._cache["ties"] = ties_view(
                self.network, self.people, self._person_view, self._tie_table()
            )
        G: nx.Graph = self._cache["ties"]
        return G

    @property
    def combined(self) -> nx.MultiDiGraph:
        """Both layers in one frozen multigraph (edges keyed by type)."""
        if "combined" not in self._cache:
            self._cache["combined"] = combined_view(self.hierarchy, self.network)
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
        key = f"attribute:{name}"
        if key not in self._cache:  # read once per attribute: the layers never change
            found: dict[str, object] = {}
            for person in self.people:
                value = self._person_view(person).get(name)
                if value is not None and value != "":
                    found[person] = value
            self._cache[key] = found
        return dict(self._cache[key])

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

    def _names(self, node_type: str) -> list[str]:
        prefix = PREFIX[node_type]
        return [k[len(prefix) :] for k in self.nodes_of_type(node_type)]

    def _person_view(self, person: str) -> Mapping[str, Any]:
        """The person's attributes without a copy (read-only use)."""
        if person in self.hierarchy:
            data: Mapping[str, object] = self.hierarchy.nodes[person]
        else:
            data = self.network.nodes[person]
        return data
