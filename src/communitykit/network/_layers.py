"""
The two typed layers of a :class:`~communitykit.network.DualOS` and the rules they keep.

The node and edge vocabulary (:data:`NODE_TYPES`, :data:`EDGE_TYPES`, :data:`MEMBER_ROLES`), node
keys (:func:`node_key`), the checks a layer passes (typed nodes and edges, no reserved prefix in
a person id, no reporting cycle) and the small graph operations every builder shares (freeze, add
a person, a new dual operating system with new layers). Public names: :mod:`communitykit.network`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

import attrs
import networkx as nx

from communitykit.errors import ConfigError, DataError, ModelError

if TYPE_CHECKING:
    from communitykit.network._model import DualOS
    from communitykit.people import Person

__all__ = [
    "EDGE_TYPES",
    "GRAPH_EQ",
    "HIERARCHY_EDGES",
    "MEMBER_ROLES",
    "NETWORK_EDGES",
    "NODE_TYPES",
    "PREFIX",
    "assign_levels",
    "check_person_id",
    "check_tie",
    "check_types",
    "check_unknown",
    "empty_hierarchy",
    "empty_network",
    "ensure_person",
    "evolve",
    "frozen",
    "has_any_role",
    "is_person",
    "node_key",
    "person_attrs",
    "resolve_people",
    "unit_parents",
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

PREFIX: Final[dict[str, str]] = {
    "org_unit": "unit:",
    "community": "community:",
    "initiative": "initiative:",
    "coalition": "coalition:",
}
"""The key prefix of each node type but ``person`` (see :func:`node_key`)."""

HIERARCHY_EDGES: Final = frozenset({"reports_to", "belongs_to"})
NETWORK_EDGES: Final = frozenset({"member_of", "leads", "sponsors", "interacts"})


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
        return PREFIX[node_type] + name
    except KeyError:
        msg = f"unknown node type {node_type!r}; expected one of {', '.join(NODE_TYPES)}"
        raise ConfigError(msg) from None


def check_person_id(person_id: str) -> None:
    """Refuse a person id that starts with a node key prefix (``unit:``…)."""
    for prefix in PREFIX.values():
        if person_id.startswith(prefix):
            msg = (
                f"person id {person_id!r} starts with the reserved prefix {prefix!r}; "
                "rename the person (prefixes mark org units, communities, initiatives, coalitions)"
            )
            raise DataError(msg)


def frozen(G: nx.Graph) -> nx.Graph:
    """Return *G* frozen (read-only), as every layer and view of a :class:`DualOS` is."""
    return nx.freeze(G)


def empty_hierarchy() -> nx.DiGraph:
    """An empty, frozen hierarchy layer."""
    return frozen(nx.DiGraph())


def empty_network() -> nx.MultiDiGraph:
    """An empty, frozen network layer."""
    return frozen(nx.MultiDiGraph())


def _graphs_equal(a: nx.Graph, b: nx.Graph) -> bool:
    return type(a) is type(b) and bool(nx.utils.graphs_equal(a, b))


GRAPH_EQ = attrs.cmp_using(eq=_graphs_equal, class_name="GraphEq")
"""Equality of two layers: the same graph type, nodes, edges and attributes."""


def evolve(dos: DualOS, H: nx.DiGraph, N: nx.MultiDiGraph) -> DualOS:
    """Return a new dual operating system with the layers *H* and *N* (frozen here)."""
    return attrs.evolve(dos, hierarchy=frozen(H), network=frozen(N))


def person_attrs(person: Person, level: int) -> dict[str, object]:
    """The node attributes of a directory person at hierarchy *level*."""
    return {
        "type": "person",
        "name": person.name or person.id,
        "org_unit": person.org_unit,
        "level": level,
        "manager": person.manager,
        "roles": tuple(sorted(person.roles)),
    }


def is_person(H: nx.DiGraph, N: nx.MultiDiGraph, person: object) -> bool:
    """Whether *person* is a node of type ``person`` in either layer."""
    return any(person in G and G.nodes[person].get("type") == "person" for G in (H, N))


def has_any_role(H: nx.DiGraph, person: str, roles: Iterable[str]) -> bool:
    """Whether *person* has one of *roles* in the hierarchy (directory roles)."""
    wanted = set(roles)
    if not wanted or person not in H:
        return False
    return bool(wanted & set(H.nodes[person].get("roles", ())))


def ensure_person(H: nx.DiGraph, N: nx.MultiDiGraph, person: str) -> None:
    """Add *person* to both (unfrozen) layers if missing: no place in the hierarchy, a member."""
    check_person_id(person)
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


def check_unknown(unknown: str) -> str:
    """Read the *unknown* option of the builders (``"skip"`` is ``"drop"``)."""
    if unknown == "skip":
        return "drop"
    if unknown not in ("raise", "drop", "add"):
        msg = f"unknown={unknown!r}; expected 'raise', 'drop' (or 'skip') or 'add'"
        raise ConfigError(msg)
    return unknown


def resolve_people(
    dos: DualOS, rows: list[tuple[str, str, str]], unknown: str, *, what: str
) -> list[tuple[str, str, str]]:
    """Rows whose person (first field) *dos* knows, by the *unknown* rule (raise, drop, add)."""
    if not dos.people or unknown == "add":
        return rows
    missing = sorted({r[0] for r in rows if not is_person(dos.hierarchy, dos.network, r[0])})
    if missing and unknown == "raise":
        msg = (
            f"{what} {missing[0]!r} is not in the hierarchy ({len(missing)} unknown people); "
            "pass unknown='drop' or unknown='add'"
        )
        raise DataError(msg)
    return [r for r in rows if r[0] not in set(missing)]


def unit_parents(
    units: set[str], explicit: Mapping[str, str], separator: str | None
) -> dict[str, str]:
    """The parent of each org unit: *explicit*, else the path before *separator*; no cycles."""
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


def check_types(G: nx.Graph, layer: str, node_types: set[str], edge_types: frozenset[str]) -> None:
    """Refuse an untyped node or edge, an edge type of the other layer, or a self-loop."""
    for n, t in G.nodes(data="type"):
        if t not in node_types:
            expected = ", ".join(sorted(node_types))
            msg = f"{layer} node {n!r} has type {t!r}; expected one of {expected}"
            raise ModelError(msg)
        if t == "person":
            check_person_id(str(n))
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


def assign_levels(H: nx.DiGraph) -> None:
    """Set ``level`` on every person from the ``reports_to`` edges; raise on a cycle."""
    manager: dict[object, object] = {}
    for u, v, t in H.edges(data="type"):
        if t == "reports_to":
            if u in manager:
                msg = f"person {u!r} reports to both {manager[u]!r} and {v!r}"
                raise ModelError(msg)
            manager[u] = v
    level: dict[object, int] = {}
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


def check_tie(u: object, v: object, d: Mapping[str, object]) -> None:
    """Refuse an ``interacts`` edge whose weight is not a finite number >= 0."""
    weight = d.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or not weight >= 0 or not math.isfinite(weight):
        msg = f"interaction {u!r} -> {v!r} has weight {weight!r}; expected a number >= 0"
        raise ModelError(msg)
