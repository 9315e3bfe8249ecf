"""
Who belongs where in the network layer: community memberships, initiatives, the guiding coalition.

The bodies of :meth:`~communitykit.network.DualOS.with_memberships`,
:meth:`~communitykit.network.DualOS.with_initiatives` and
:meth:`~communitykit.network.DualOS.with_coalition`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np

from communitykit.errors import DataError
from communitykit.events import EventLog
from communitykit.io.inputs import as_event_log
from communitykit.network._layers import (
    MEMBER_ROLES,
    check_unknown,
    ensure_person,
    evolve,
    frozen,
    is_person,
    node_key,
    resolve_people,
)
from communitykit.network._tables import _cell, _ids

if TYPE_CHECKING:
    from communitykit.network._model import DualOS

__all__ = ["add_initiatives", "add_memberships", "coalition_network"]


def add_memberships(
    dos: DualOS,
    source: EventLog | Iterable[Mapping[str, object]],
    *,
    active_as_member: bool,
    unknown: str,
) -> DualOS:
    """*dos* with ``member_of`` edges from a log or a table (see ``DualOS.with_memberships``)."""
    if type(source).__name__ == "DataFrame":  # a table of person, community, role
        source = cast("Any", source).to_dict("records")
    elif isinstance(source, (str, os.PathLike)) or not isinstance(source, Iterable):
        source = as_event_log(source, where="DualOS.with_memberships(source=)")
    unknown = check_unknown(unknown)
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
    rows = resolve_people(dos, rows, unknown, what="member")
    N = nx.MultiDiGraph(dos.network)
    H = nx.DiGraph(dos.hierarchy)
    for person, community, role in rows:
        ensure_person(H, N, person)
        key = node_key("community", community)
        if key not in N:
            N.add_node(key, type="community", name=community)
        N.add_edge(person, key, key="member_of", type="member_of", role=role)
    return evolve(dos, H, N)


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


def add_initiatives(dos: DualOS, table: Iterable[Mapping[str, object]], *, unknown: str) -> DualOS:
    """*dos* with initiatives and who drives them (see ``DualOS.with_initiatives``)."""
    unknown = check_unknown(unknown)
    N = nx.MultiDiGraph(dos.network)
    H = nx.DiGraph(dos.hierarchy)
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
        resolved = resolve_people(dos, links, unknown, what=f"row {i}: initiative person")
        for person, target, edge_type in resolved:
            ensure_person(H, N, person)
            attrs_ = {"role": "member"} if edge_type == "member_of" else {}
            N.add_edge(person, target, key=edge_type, type=edge_type, **attrs_)
        community = _cell(rec, "community", i)
        if community:
            ckey = node_key("community", community)
            if ckey not in N:
                N.add_node(ckey, type="community", name=community)
            N.add_edge(key, ckey, key="belongs_to", type="belongs_to")
    return evolve(dos, H, N)


def coalition_network(dos: DualOS, people: Iterable[str], name: str) -> nx.MultiDiGraph:
    """The network layer of *dos* with the coalition *name* of *people* (replacing any other)."""
    members = list(dict.fromkeys(str(p) for p in people))
    for person in members:
        if not is_person(dos.hierarchy, dos.network, person):
            msg = (
                f"coalition member {person!r} is not in the directory; "
                f"the dual operating system knows {len(dos.people):,} people"
            )
            raise DataError(msg)
    N = nx.MultiDiGraph(dos.network)
    N.remove_nodes_from([n for n, t in N.nodes(data="type") if t == "coalition"])
    key = node_key("coalition", name)
    N.add_node(key, type="coalition", name=name)
    for person in members:
        if person not in N:
            N.add_node(person, **dict(dos.hierarchy.nodes[person]))
        N.add_edge(person, key, key="member_of", type="member_of", role="member")
    return frozen(N)
