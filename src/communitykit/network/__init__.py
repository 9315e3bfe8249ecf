"""
The dual operating system: hierarchy and network graphs, and organisational network analysis.

:class:`DualOS` holds Kotter's two systems -- the hierarchy (people, managers, org units) and the
network (communities, initiatives, the guiding coalition, interaction ties) -- as typed networkx
graphs. :mod:`communitykit.network.metrics` measures them; :func:`summary` gives the whole-network
and per-group measures with small groups suppressed, :func:`measure` those and the per-person
measures in one mapping (what ``communitykit network`` prints); :func:`draw_dual_os` draws them.

Where things are: the :class:`DualOS` class in ``_model``; what its methods do in ``_layers``
(node and edge types, :func:`node_key`, the checks a layer passes), ``_build`` (from a directory,
graphs or an edge table, whose rows ``_tables`` interprets), ``_interactions`` (ties from events:
:data:`INTERACTION_KINDS`, :data:`ORBIT_HALF_LIFE`), ``_groups`` (memberships, initiatives, the
coalition) and ``_views`` (the tie views); :mod:`communitykit.network.ties` which events make ties;
``_tietable`` the ties as arrays. The measures: :mod:`communitykit.network.metrics`, one module per
topic in ``_measures/`` (centrality, groups, structural holes, whole network, dual operating
system; their tables in ``_table``) on the graph plumbing ``_engine`` and ``_triangles``;
``_summary`` :func:`summary`, ``_measure`` :func:`measure`, ``_kpis`` the network KPIs, ``_draw``
the drawings.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.network._draw import draw_dual_os, drawing_format, hierarchy_layout
from communitykit.network._measure import EXACT_LIMIT, measure
from communitykit.network._model import (
    EDGE_TYPES,
    INTERACTION_KINDS,
    MEMBER_ROLES,
    NODE_TYPES,
    ORBIT_HALF_LIFE,
    DualOS,
    node_key,
)
from communitykit.network._summary import NetworkSummary, summary

DualOS.__module__ = __name__  # documented and cross-referenced as communitykit.network.DualOS

__all__ = [
    "EDGE_TYPES",
    "EXACT_LIMIT",
    "INTERACTION_KINDS",
    "MEMBER_ROLES",
    "NODE_TYPES",
    "ORBIT_HALF_LIFE",
    "DualOS",
    "NetworkSummary",
    "draw_dual_os",
    "drawing_format",
    "hierarchy_layout",
    "measure",
    "node_key",
    "summary",
]
