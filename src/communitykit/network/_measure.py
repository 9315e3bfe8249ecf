"""
The network measures of a dual operating system in one JSON-ready mapping.

:func:`measure` gives what ``communitykit network`` prints: the whole-network and per-group
measures of :func:`~communitykit.network.summary` (small groups suppressed) and, when asked
for, the per-person measures of :mod:`communitykit.network.metrics`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from communitykit._deprecation import renamed_keywords
from communitykit._limits import BETWEENNESS_SAMPLE, EXACT_LIMIT
from communitykit.network import metrics as m
from communitykit.network._model import DualOS
from communitykit.network._summary import _clean, summary
from communitykit.privacy import MIN_GROUP_SIZE

if TYPE_CHECKING:
    from communitykit.typing import Progress

__all__ = ["EXACT_LIMIT", "measure"]


@renamed_keywords(group="by")
def measure(
    dos: DualOS,
    *,
    by: str = "org_unit",
    engine: str = "auto",
    seed: int = 0,
    sample: int | None = None,
    depth: int | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    person_level: bool = True,
    progress: Progress | None = None,
) -> dict[str, object]:
    """
    Return the ``network`` / ``groups`` / ``nodes`` measures of *dos* as a JSON-ready dict.

    *by* names the person attribute that forms the groups; *depth* cuts path-like values
    (``"Sales/EMEA/Team A"``) to their first *depth* parts. Groups of fewer than
    *min_group_size* people show none of their numbers, not even their size
    (``"suppressed": true``); the network and group parts are
    :func:`communitykit.network.summary`.
    The per-person measures (betweenness, brokerage, constraint...) are the expensive part;
    with *person_level* ``False`` they are not computed and ``nodes`` is empty. *progress*
    is called as ``progress(step, fraction, 1.0)`` (:data:`~communitykit.typing.Progress`).

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}],
    ...     [
    ...         {"id": "a", "org_unit": "X"},
    ...         {"id": "b", "org_unit": "X"},
    ...         {"id": "c", "org_unit": "Y"},
    ...     ],
    ... )
    >>> from communitykit.network import measure
    >>> out = measure(dos, min_group_size=1)
    >>> sorted(out), out["groups"]["X"]["ei_index"], round(out["nodes"]["b"]["betweenness"], 2)
    (['groups', 'network', 'nodes'], 0.0, 1.0)
    """

    def step(name: str, fraction: float) -> None:
        if progress is not None:
            progress(name, fraction, 1.0)

    step("whole-network measures", 0.15)
    groups: dict[Hashable, Hashable] = {
        p: (g if depth is None else _cut(g, depth)) for p, g in dos.attribute(by).items()
    }
    step("detecting communities", 0.35)
    whole = summary(
        dos, by=by, depth=depth, min_group_size=min_group_size, engine=engine, seed=seed
    )
    nodes = _node_measures(
        dos, groups, engine=engine, seed=seed, sample=sample, step=step if person_level else None
    )
    step("group measures", 0.95)
    return {**whole.to_mapping(), "nodes": nodes}


def _node_measures(
    dos: DualOS,
    groups: dict[Hashable, Hashable],
    *,
    engine: str,
    seed: int,
    sample: int | None,
    step: Callable[[str, float], None] | None,
) -> dict[str, dict[str, Any]]:
    """The per-person measures; ``{}`` without *step* (person-level output is off)."""
    if step is None:
        return {}
    G = dos.ties
    n = G.number_of_nodes()
    k = sample if sample is not None else (None if n <= EXACT_LIMIT else min(BETWEENNESS_SAMPLE, n))
    step("betweenness", 0.45)
    between = m.betweenness(dos, k=k, seed=seed, weight="distance", engine=engine)
    step("closeness", 0.55)
    close = m.closeness(dos, weight="distance", engine=engine) if n <= EXACT_LIMIT else {}
    step("degree and pagerank", 0.6)
    per_node = {
        "degree": m.degree(dos),
        "weighted_degree": m.weighted_degree(dos),
        "betweenness": between,
        "closeness": close,
        "pagerank": m.pagerank(dos) if n else {},
    }
    step("constraint and effective size", 0.65)
    per_node["constraint"] = m.constraint(dos, weight="weight")
    per_node["effective_size"] = m.effective_size(dos, weight="weight")
    step("brokerage roles", 0.75)
    brokerage = m.brokerage(dos, groups) if groups else {}
    spanners = m.boundary_spanners(dos, groups) if groups else {}
    nodes: dict[str, dict[str, object]] = {}
    for node in G:
        row: dict[str, object] = {"group": groups.get(node)}
        for name, values in per_node.items():
            if values:
                row[name] = _clean(values.get(node))
        if brokerage:
            row["brokerage"] = brokerage[node]
            row["boundary_spanner"] = spanners[node]
        nodes[str(node)] = row
    return nodes


def _cut(value: Hashable, depth: int) -> Hashable:
    return "/".join(str(value).split("/")[:depth])
