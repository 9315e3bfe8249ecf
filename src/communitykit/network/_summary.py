"""Whole-network and per-group summaries of a dual operating system, with privacy suppression."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import attrs

from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.network import metrics as m
from communitykit.network._measures.groups import GROUP_MEASURE_COLUMNS
from communitykit.network._model import DualOS
from communitykit.network._table import MeasureTable
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size, is_suppressed

__all__ = ["NetworkSummary", "summary"]


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@summarised(
    lambda s: [
        f"{s.network.get('nodes', 0):,} people" if isinstance(s.network.get("nodes"), int) else "",
        f"{len(s.groups)} groups",
        "suppressed" if s.suppressed else "",
    ]
)
@attrs.frozen
class NetworkSummary:
    """
    Whole-network and per-group measures of a :class:`~communitykit.network.DualOS`.

    Attributes
    ----------
    network
        Whole-network measures by name (``nodes``, ``ties``, ``density``, ``people``,
        ``coalition``, ``ei_index``, ``cross_unit_tie_share``, ...; ``None`` where undefined
        or suppressed).
    groups
        One row per group: ``group``, ``size``, ``active``, ``internal_ties``,
        ``external_ties``, ``density``, ``ei_index``, ``external_share``,
        ``partner_groups`` and ``suppressed``. A suppressed group shows none of its
        numbers, its size included.
    suppressed
        ``True`` when the whole network has fewer people than the minimum group size: every
        measure is then ``None``.
    min_group_size
        The threshold that applied.

    .. versionadded:: 0.1
    """

    network: Mapping[str, object] = attrs.field(converter=frozen_mapping)
    groups: MeasureTable
    suppressed: bool = False
    min_group_size: int = MIN_GROUP_SIZE

    def to_mapping(self) -> dict[str, object]:
        """Return ``{"network": {...}, "groups": {group: {...}}}``, JSON-ready."""
        groups = {
            str(r["group"]): {k: v for k, v in r.items() if k != "group"}
            for r in self.groups.to_records()
        }
        return {"network": dict(self.network), "groups": groups}


def _groups_of(
    dos: DualOS, by: str | Mapping[Hashable, Hashable], depth: int | None
) -> dict[Hashable, Hashable]:
    source = dos.attribute(by) if isinstance(by, str) else by
    raw: dict[Hashable, Hashable] = {p: g for p, g in source.items()}  # noqa: C416 - widened keys
    if depth is None:
        return raw
    return {p: "/".join(str(g).split("/")[:depth]) for p, g in raw.items()}


def summary(
    dos: DualOS,
    *,
    by: str | Mapping[Hashable, Hashable] = "org_unit",
    depth: int | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    communities: bool = True,
    engine: str = "auto",
    seed: int = 0,
) -> NetworkSummary:
    """
    Return the whole-network and per-group measures of *dos*, with small groups suppressed.

    This is the one place where network measures about groups of people meet the privacy
    rule (:func:`communitykit.privacy.suppression_mask`): a group of fewer than
    *min_group_size* people shows none of its numbers, not even its size, and a network of
    fewer people shows no whole-network measure. The functions of
    :mod:`communitykit.network.metrics` are the unsuppressed building blocks.

    Parameters
    ----------
    dos
        The dual operating system.
    by
        A person attribute (``"org_unit"``, default) or a mapping person -> group.
    depth
        Cut path-like groups (``"Sales/EMEA/Team A"``) to their first *depth* parts.
    min_group_size
        Privacy threshold (default :data:`communitykit.privacy.MIN_GROUP_SIZE`).
    communities
        Also detect communities and compare them with the groups (``detected_communities``,
        ``detected_modularity``, ``community_group_nmi``).
    engine, seed
        Community detection engine and seed.

    Returns
    -------
    NetworkSummary

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
    >>> s = summary(dos, min_group_size=1)
    >>> s.network["nodes"], s.to_mapping()["groups"]["X"]["ei_index"]
    (3, 0.0)
    >>> hidden = summary(dos)  # 3 people < 5: nothing is shown
    >>> hidden.suppressed, hidden.network["nodes"], hidden.to_mapping()["groups"]["X"]["size"]
    (True, None, None)

    .. versionadded:: 0.1
    """
    minimum = check_min_group_size(min_group_size)
    groups = _groups_of(dos, by, depth)
    graph = dos.ties
    network = m.network_measures(dos, by=groups).to_dict()
    network.update(
        {
            k: v
            for k, v in m.dual_os_measures(dos, by=by if isinstance(by, str) else "org_unit")
            .to_dict()
            .items()
            if k != "people"
        }
    )
    network["people"] = len(dos.people)
    network["ei_index"] = m.ei_index(dos, groups)
    if communities and graph.number_of_edges() and groups:
        alignment = m.community_alignment(dos, groups, seed=seed, engine=engine).to_dict()
        network["detected_communities"] = alignment["communities"]
        network["detected_modularity"] = alignment["modularity"]
        network["community_group_nmi"] = alignment["nmi"]
    elif communities and graph.number_of_edges():
        found = m.detect_communities(dos, seed=seed, engine=engine)
        network["detected_communities"] = len(set(found.values()))
    whole_hidden = is_suppressed(graph.number_of_nodes(), min_group_size=minimum)
    network = {k: None if whole_hidden else _clean(v) for k, v in network.items()}
    rows = []
    if groups:
        for record in m.group_measures(dos, groups, min_group_size=minimum):
            hidden = whole_hidden or bool(record["suppressed"])
            rows.append(
                (
                    record["group"],
                    *(None if hidden else _clean(record[c]) for c in GROUP_MEASURE_COLUMNS[1:-1]),
                    hidden,
                )
            )
    return NetworkSummary(network, MeasureTable(GROUP_MEASURE_COLUMNS, rows), whole_hidden, minimum)
