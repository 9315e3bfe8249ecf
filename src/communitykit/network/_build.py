"""
Building a :class:`~communitykit.network.DualOS`: from a directory, from typed graphs, from tables.

The bodies of :meth:`~communitykit.network.DualOS.from_directory`,
:meth:`~communitykit.network.DualOS.from_graphs` and
:meth:`~communitykit.network.DualOS.from_edges` (whose rows :mod:`communitykit.io.inputs` reads
and ``_tables`` interprets).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from communitykit.errors import ConfigError, DataError, ModelError, SchemaError
from communitykit.io.inputs import as_directory, as_rows
from communitykit.network._interactions import merge_tie, merged_ties
from communitykit.network._layers import (
    EDGE_TYPES,
    HIERARCHY_EDGES,
    NETWORK_EDGES,
    assign_levels,
    check_person_id,
    check_tie,
    check_types,
    ensure_person,
    evolve,
    frozen,
    is_person,
    node_key,
    person_attrs,
    unit_parents,
)
from communitykit.network._tables import _directory_from_rows, _edge_times, _first, _weight

if TYPE_CHECKING:
    from communitykit.network._model import DualOS
    from communitykit.people import Directory
    from communitykit.typing import PathLike

__all__ = ["from_directory", "from_edges", "from_graphs"]


def from_directory(
    cls: type[DualOS],
    directory: Directory,
    unit_parents_: Mapping[str, str] | None,
    unit_separator: str | None,
) -> DualOS:
    """The hierarchy layer of *directory* (see ``DualOS.from_directory``)."""
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
        check_person_id(person.id)
        H.add_node(person.id, **person_attrs(person, int(levels[row])))
    for person in directory:
        if person.manager is not None:
            H.add_edge(person.id, person.manager, type="reports_to")
    units = {p.org_unit for p in directory if p.org_unit}
    parents = unit_parents(units, unit_parents_ or {}, unit_separator)
    for unit in sorted(units | set(parents) | set(parents.values())):
        H.add_node(node_key("org_unit", unit), type="org_unit", name=unit)
    for person in directory:
        if person.org_unit:
            H.add_edge(person.id, node_key("org_unit", person.org_unit), type="belongs_to")
    for child, parent in parents.items():
        H.add_edge(node_key("org_unit", child), node_key("org_unit", parent), type="belongs_to")
    return cls(hierarchy=frozen(H), directory=directory)


def from_graphs(
    cls: type[DualOS],
    hierarchy: nx.DiGraph | None,
    network: nx.MultiDiGraph | nx.DiGraph | None,
    coalition_name: str,
) -> DualOS:
    """Copies of typed graphs, checked (see ``DualOS.from_graphs``)."""
    H = nx.DiGraph()
    if hierarchy is not None:
        if not hierarchy.is_directed() or hierarchy.is_multigraph():
            msg = "the hierarchy must be a networkx.DiGraph"
            raise ModelError(msg)
        check_types(hierarchy, "hierarchy", {"person", "org_unit"}, HIERARCHY_EDGES)
        H.add_nodes_from((n, dict(d)) for n, d in hierarchy.nodes(data=True))
        H.add_edges_from((u, v, dict(d)) for u, v, d in hierarchy.edges(data=True))
    assign_levels(H)
    N = nx.MultiDiGraph()
    if network is not None:
        if not network.is_directed():
            msg = "the network layer must be a directed networkx graph"
            raise ModelError(msg)
        check_types(
            network,
            "network",
            {"person", "community", "initiative", "coalition"},
            NETWORK_EDGES,
        )
        N.add_nodes_from((n, dict(d)) for n, d in network.nodes(data=True))
        for u, v, d in network.edges(data=True):
            N.add_edge(u, v, key=d["type"], **dict(d))
        for u, v, d in N.edges(data=True):
            if d["type"] == "interacts":
                check_tie(u, v, d)
    for n, d in N.nodes(data=True):
        if d.get("type") == "person" and n not in H:
            H.add_node(n, **{**d, "level": None})
    return cls(hierarchy=frozen(H), network=frozen(N), coalition_name=coalition_name)


def from_edges(
    cls: type[DualOS],
    edges: PathLike | Iterable[Mapping[str, object]],
    nodes: PathLike | Iterable[Mapping[str, object]] | None,
    self_loops: str,
) -> DualOS:
    """An edge table and optional node table (see ``DualOS.from_edges``)."""
    if self_loops not in ("raise", "drop"):
        msg = f"self_loops={self_loops!r}; expected 'raise' or 'drop'"
        raise ConfigError(msg)
    edge_rows = as_rows(edges, "edge")
    node_rows = None if nodes is None else as_rows(nodes, "node")
    reports = [r for r in edge_rows if str(r.get("type") or "interacts").strip() == "reports_to"]
    if node_rows is not None or reports:
        base = cls.from_directory(_directory_from_rows(node_rows, reports))
        if node_rows is not None:
            base = _with_person_attributes(base, node_rows)
        strict = node_rows is not None
    else:
        base, strict = cls(), False
    return _with_edge_rows(
        base, [r for r in edge_rows if r not in reports], strict=strict, self_loops=self_loops
    )


_DIRECTORY_COLUMNS = frozenset(
    {
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
)


def _with_person_attributes(dos: DualOS, rows: list[dict[str, str]]) -> DualOS:
    """The node table's other columns as person attributes."""
    H = nx.DiGraph(dos.hierarchy)
    for row in rows:
        person = (row.get("id") or row.get("person") or "").strip()
        for key, value in row.items():
            if key not in _DIRECTORY_COLUMNS and value not in (None, ""):
                H.nodes[person][key] = value
    return evolve(dos, H, nx.MultiDiGraph(dos.network))


def _with_edge_rows(
    dos: DualOS, rows: list[dict[str, str]], *, strict: bool, self_loops: str
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
        if strict and not is_person(dos.hierarchy, dos.network, src):
            msg = f"edge row {i}: {src!r} is not in the node table"
            raise DataError(msg)
        if edge_type == "interacts":
            if strict and not is_person(dos.hierarchy, dos.network, dst):
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
            ties[(src, dst)] = new if old is None else merge_tie(old, new)
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
    if units:
        dos = _with_units(dos, units, strict=strict)
    if ties:
        dos = merged_ties(
            dos,
            ((u, v, d["weight"], d["count"], d["first"], d["last"]) for (u, v), d in ties.items()),
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


def _with_units(dos: DualOS, units: list[tuple[str, str]], *, strict: bool) -> DualOS:
    H = nx.DiGraph(dos.hierarchy)
    N = nx.MultiDiGraph(dos.network)
    for person, unit in units:
        if strict and not is_person(dos.hierarchy, dos.network, person):
            msg = f"belongs_to edge from {person!r}, who is not in the node table"
            raise DataError(msg)
        ensure_person(H, N, person)
        key = node_key("org_unit", unit)
        H.add_node(key, type="org_unit", name=unit)
        H.add_edge(person, key, type="belongs_to")
        H.nodes[person]["org_unit"] = unit
        if person in N:
            N.nodes[person]["org_unit"] = unit
    return evolve(dos, H, N)
