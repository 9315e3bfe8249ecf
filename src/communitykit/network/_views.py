"""
The derived views of a :class:`~communitykit.network.DualOS`: person-to-person ties and both layers.

:func:`interactions_view` (directed ties), :func:`ties_view` (undirected, both directions summed:
the graph the measures use) and :func:`combined_view` (both layers in one multigraph). The ties
are built from a :class:`~communitykit.network._tietable.TieTable` when the ties fit its arrays,
else edge by edge. The dual operating system caches each view.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from communitykit.network._layers import frozen
from communitykit.network._tietable import TieTable, directed_view, undirected_view

__all__ = ["combined_view", "interactions_view", "tie_attrs", "ties_view"]

PersonView = Callable[[str], Mapping[str, object]]


def tie_attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes of a tie in a view: weight, count, first, last and ``distance = 1/weight``."""
    weight = float(d["weight"]) if "weight" in d else 1.0
    return {
        "weight": weight,
        "count": d.get("count", 1),
        "first": d.get("first"),
        "last": d.get("last"),
        "distance": (1.0 / weight) if weight > 0 else math.inf,
    }


def interactions_view(
    network: nx.MultiDiGraph,
    people: tuple[str, ...],
    person_view: PersonView,
    table: TieTable | None,
) -> nx.DiGraph:
    """The directed ``interacts`` ties, every person a node (frozen)."""
    if table is not None:
        return directed_view(table, people, person_view)
    D = nx.DiGraph()
    D.add_nodes_from((p, person_view(p)) for p in people)
    D.add_edges_from(
        (u, v, tie_attrs(d))
        for u, v, k, d in network.edges(keys=True, data=True)
        if k == "interacts"
    )
    return frozen(D)


def ties_view(
    network: nx.MultiDiGraph,
    people: tuple[str, ...],
    person_view: PersonView,
    table: TieTable | None,
) -> nx.Graph:
    """The undirected ties, both directions summed, every person a node (frozen)."""
    if table is not None:
        return undirected_view(table, people, person_view)
    # ties the arrays cannot hold: edge by edge
    pairs: dict[tuple[Any, Any], dict[str, Any]] = {}
    for u, v, k, d in network.edges(keys=True, data=True):
        if k != "interacts":
            continue
        old = pairs.get((v, u))
        if old is None:
            pairs[(u, v)] = tie_attrs(d)
            continue
        old["weight"] += float(d.get("weight", 1.0))
        old["count"] += int(d.get("count", 1))
        for key, pick in (("first", min), ("last", max)):
            value = d.get(key)
            if value is not None:
                old[key] = value if old[key] is None else pick(old[key], value)
        old["distance"] = 1.0 / old["weight"] if old["weight"] > 0 else math.inf
    U = nx.Graph()
    U.add_nodes_from((p, person_view(p)) for p in people)
    U.add_edges_from((u, v, d) for (u, v), d in pairs.items())
    return frozen(U)


def combined_view(hierarchy: nx.DiGraph, network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Both layers in one frozen multigraph (edges keyed by type)."""
    C = nx.MultiDiGraph()
    C.add_nodes_from(hierarchy.nodes(data=True))
    for n, d in network.nodes(data=True):
        C.add_node(n, **{**C.nodes.get(n, {}), **d})
    C.add_edges_from((u, v, d["type"], d) for u, v, d in hierarchy.edges(data=True))
    C.add_edges_from(network.edges(keys=True, data=True))
    return frozen(C)
