"""
Organisational network analysis (ONA) for the dual operating system.

Every measure takes a networkx graph -- or a :class:`~communitykit.network.DualOS`, in which case
it uses the undirected interaction ties :attr:`DualOS.ties <communitykit.network.DualOS.ties>`
(every person a node, so people without ties count) -- and returns

* per person: a ``dict`` keyed by node (the networkx convention);
* per group and for the whole network: a tidy :class:`MeasureTable` (``to_records()``,
  ``to_pandas()``).

Path-based measures (betweenness, closeness) read *weight* as a **length** (networkx's
convention). Interaction counts are strengths, not lengths: a :class:`DualOS` stores
``distance = 1 / weight`` on each tie for that purpose (``weight="distance"``).

Engines: degree, components, group measures, constraint, effective size, clustering and
modularity are computed with numpy / scipy.sparse. Betweenness, closeness and community detection
run on networkx or, with ``engine="igraph"`` (or ``"auto"`` on graphs of
1,000 nodes or more, when python-igraph is
installed), on python-igraph; both give the same values. ``engine=`` also names an installed
networkx dispatch backend (``"parallel"``, ``"cugraph"``), handed to networkx's dispatch, so
nx-parallel or nx-cugraph work unchanged (``backend=`` is the deprecated old spelling).

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
from communitykit.network._measures.centrality import (
    betweenness,
    closeness,
    degree,
    eigenvector,
    pagerank,
    weighted_degree,
)
from communitykit.network._measures.dual_os import (
    Coverage,
    coalition_coverage,
    coalition_reach,
    dual_os_measures,
    reporting_overlap,
    silo_bridging,
    volunteer_share,
)
from communitykit.network._measures.groups import (
    community_alignment,
    cross_unit_tie_share,
    detect_communities,
    ei_index,
    group_measures,
    modularity,
    normalized_mutual_information,
)
from communitykit.network._measures.structural_holes import (
    BROKERAGE_ROLES,
    boundary_spanners,
    brokerage,
    constraint,
    effective_size,
)
from communitykit.network._measures.whole import (
    clustering,
    components,
    network_measures,
    reciprocity,
    transitivity,
)
from communitykit.network._table import MeasureTable

__all__ = [
    "BROKERAGE_ROLES",
    "Coverage",
    "MeasureTable",
    "betweenness",
    "boundary_spanners",
    "brokerage",
    "closeness",
    "clustering",
    "coalition_coverage",
    "coalition_reach",
    "community_alignment",
    "components",
    "constraint",
    "cross_unit_tie_share",
    "degree",
    "detect_communities",
    "dual_os_measures",
    "effective_size",
    "ei_index",
    "eigenvector",
    "group_measures",
    "modularity",
    "network_measures",
    "normalized_mutual_information",
    "pagerank",
    "reciprocity",
    "reporting_overlap",
    "silo_bridging",
    "transitivity",
    "volunteer_share",
    "weighted_degree",
]

__getattr__ = renamed_attributes(
    __name__, {"Table": "MeasureTable", "cross_group_tie_share": "cross_unit_tie_share"}
)
