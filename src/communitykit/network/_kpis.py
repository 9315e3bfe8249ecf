"""Network KPIs over time: silo bridging, volunteer share, reciprocity, density, overlap.

Registered in code by the KPI registry (``communitykit.kpi._registry``) as the built-in
provider ``network``. Every function follows the :class:`~communitykit.kpi.Facts`
contract: one value per group and period, NaN where undefined (also when a KPI needs the
people directory and none was given), never a loop over events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from communitykit._numeric import isin_rows, unique_rows
from communitykit.events import ACTIVITY_KINDS
from communitykit.kpi import INTERACTIONS, KPI, KPIValues
from communitykit.network._model import INTERACTION_KINDS
from communitykit.network.ties import tie_events

if TYPE_CHECKING:
    from communitykit.kpi import Facts

__all__ = [
    "cross_unit_tie_share",
    "ei_index",
    "kpis",
    "network_density",
    "reporting_line_overlap",
    "tie_reciprocity",
    "volunteer_share",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_REF_EI: Final = "https://doi.org/10.2307/2786835"
_REF_KOTTER: Final = "https://hbr.org/2012/11/accelerate"
_GRAINS: Final = ("all", "community", "org_unit")


def _ties(facts: Facts, *, received: bool = True) -> tuple[I64, I64, I64]:
    """Return (cell, actor, addressee) of every tie-making event in range (codes into actors).

    With *received* and ``by="org_unit"``, a tie also lands in the addressee's unit.
    """
    src, dst, rows = tie_events(facts.log, INTERACTION_KINDS)
    keep = facts.in_range[rows]
    src, dst, rows = src[keep], dst[keep], rows[keep]
    if facts.directory is not None and not facts.include_bots:
        bot = facts.actor_has_role("bot")
        human = ~bot[dst]
        src, dst, rows = src[human], dst[human], rows[human]
    cell = facts.cells(facts.event_group[rows], facts.event_period[rows])
    if received and facts.by == "org_unit" and len(rows):
        # a unit's ties include those its people receive from other units
        unit = _unit_labels(facts)
        target_group = np.searchsorted(facts.groups, unit[dst])
        target_group = np.minimum(target_group, max(facts.n_groups - 1, 0))
        found = facts.groups[target_group] == unit[dst]
        other = found & (target_group != facts.event_group[rows])
        extra = facts.cells(target_group[other], facts.event_period[rows][other])
        cell = np.r_[cell, extra]
        src, dst = np.r_[src, src[other]], np.r_[dst, dst[other]]
    return cell.astype(np.int64), src.astype(np.int64), dst.astype(np.int64)


def _unit_labels(facts: Facts) -> npt.NDArray[np.object_]:
    """Org unit label of every actor code, as :class:`Facts` labels them."""
    assert facts.directory is not None
    rows = facts.directory.actor_rows(facts.log)
    units = facts.directory.org_units()
    out = np.empty(len(rows), dtype=object)
    out[:] = [units[r] if r >= 0 and units[r] else "(no org unit)" for r in rows.tolist()]
    return out


def _unit_codes(facts: Facts) -> I64:
    """Org unit code of every actor code; -1 for people outside the directory or without one."""
    assert facts.directory is not None
    rows = facts.directory.actor_rows(facts.log)
    units = facts.directory.org_units()
    labels = [units[r] if r >= 0 else None for r in rows.tolist()]
    names = sorted({u for u in labels if u})
    code = {u: i for i, u in enumerate(names)}
    return np.array([code.get(u, -1) if u else -1 for u in labels], dtype=np.int64)


def _pairs(cell: I64, a: I64, b: I64) -> tuple[I64, I64, I64]:
    """Distinct undirected pairs per cell."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if not len(cell):
        return cell, lo, hi
    uniq = unique_rows(np.column_stack([cell, lo, hi]))
    return uniq[:, 0], uniq[:, 1], uniq[:, 2]


def _people(facts: Facts, cell: I64, a: I64, b: I64) -> I64:
    """Distinct people in the ties of each cell, as a :attr:`Facts.shape` int array."""
    if not len(cell):
        return np.zeros(facts.shape, dtype=np.int64)
    both = unique_rows(np.column_stack([np.r_[cell, cell], np.r_[a, b]]))
    return facts.per_cell(both[:, 0]).astype(np.int64)


def _internal_external(facts: Facts) -> tuple[F64, F64, I64] | None:
    if facts.directory is None:
        return None
    cell, a, b = _pairs(*_ties(facts))
    unit = _unit_codes(facts)
    ua, ub = unit[a], unit[b]
    known = (ua >= 0) & (ub >= 0)
    internal = facts.per_cell(cell[known & (ua == ub)])
    external = facts.per_cell(cell[known & (ua != ub)])
    return internal, external, _people(facts, cell[known], a[known], b[known])


def ei_index(facts: Facts) -> KPIValues:
    """
    Krackhardt & Stern's E-I index of the period's interaction ties across org units.

    Ties are the distinct pairs of people linked by a reply, mention or reaction in the period
    (as :meth:`~communitykit.network.DualOS.with_interactions` builds them); ties with someone
    outside the directory or without an org unit are left out.
    ``(external - internal) / (external + internal)``: -1 when every tie stays inside a unit
    (silos), +1 when every tie crosses units. By community: how far the community's
    conversations cross units; by org unit: the unit's ties, received ones included. NaN
    without ties or without a directory.
    """
    counts = _internal_external(facts)
    if counts is None:
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    internal, external, people = counts
    total = internal + external
    value = np.divide(external - internal, total, out=np.full(facts.shape, np.nan), where=total > 0)
    return KPIValues(value, people)


def cross_unit_tie_share(facts: Facts) -> KPIValues:
    """
    Share of the period's interaction ties that link people of different org units.

    ``external / (external + internal)`` on the ties of :func:`ei_index`; NaN without ties or
    without a directory.
    """
    counts = _internal_external(facts)
    if counts is None:
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    internal, external, people = counts
    total = internal + external
    value = np.divide(external, total, out=np.full(facts.shape, np.nan), where=total > 0)
    return KPIValues(value, people)


def volunteer_share(facts: Facts) -> KPIValues:
    """
    Share of the workforce that interacted or created in the period (Kotter's volunteer army).

    The workforce is every person in the directory without the ``bot`` role; by org unit, the
    unit's people. Only actors found in the directory count as volunteers. By community: the
    share of the whole workforce active in that community. NaN without a directory.
    """
    if facts.directory is None or not len(facts.directory):
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    directory = facts.directory
    workforce = ~directory.has_role("bot")
    rows = directory.actor_rows(facts.log)
    in_workforce = (rows >= 0) & workforce[np.maximum(rows, 0)]
    mask = facts.in_range & facts.kind_mask(("interact", "create"))
    mask &= in_workforce[facts.log.actor]
    cells = facts.cells(facts.event_group[mask], facts.event_period[mask])
    actors = facts.log.actor[mask].astype(np.int64)
    if len(cells):
        distinct = unique_rows(np.column_stack([cells, actors]))
        active = facts.per_cell(distinct[:, 0])
    else:
        active = facts.zeros()
    if facts.by == "org_unit":
        units = directory.org_units()
        labels = np.array([u or "(no org unit)" for u in units[workforce].tolist()], dtype=object)
        size = np.array([(labels == g).sum() for g in facts.groups.tolist()], dtype=np.float64)
    else:
        size = np.full(facts.n_groups, float(workforce.sum()))
    value = np.divide(
        active, size[:, None], out=np.full(facts.shape, np.nan), where=size[:, None] > 0
    )
    return KPIValues(value, active.astype(np.int64))


def tie_reciprocity(facts: Facts) -> KPIValues:
    """
    Share of the period's directed interaction ties that were returned in the same period.

    A directed tie is a distinct (actor, person answered) pair; it is reciprocated when the
    other person answered back. NaN without ties.
    """
    cell, a, b = _ties(facts)
    if not len(cell):
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    arcs = unique_rows(np.column_stack([cell, a, b]))
    returned = isin_rows(arcs[:, [0, 2, 1]], arcs)
    total = facts.per_cell(arcs[:, 0])
    hits = facts.per_cell(arcs[returned, 0])
    value = np.divide(hits, total, out=np.full(facts.shape, np.nan), where=total > 0)
    return KPIValues(value, _people(facts, arcs[:, 0], arcs[:, 1], arcs[:, 2]))


def network_density(facts: Facts) -> KPIValues:
    """
    Density of the period's interaction ties among the group's active people.

    ``ties / (n (n - 1) / 2)`` with *n* the people active in the group and period and *ties*
    the distinct pairs of them linked by a reply, mention or reaction there (the Orbit model's
    community density). NaN below two active people.
    """
    cell, a, b = _pairs(*_ties(facts, received=False))
    counts = facts.actor_counts(ACTIVITY_KINDS)  # the people n_active counts
    active = np.column_stack([counts.cell, counts.actor.astype(np.int64)])
    inside = isin_rows(np.column_stack([cell, a]), active) & isin_rows(
        np.column_stack([cell, b]), active
    )
    ties = facts.per_cell(cell[inside])
    n = facts.n_active.astype(np.float64)
    possible = n * (n - 1) / 2
    value = np.divide(ties, possible, out=np.full(facts.shape, np.nan), where=possible > 0)
    return KPIValues(value, facts.n_active)


def reporting_line_overlap(facts: Facts) -> KPIValues:
    """
    Share of the period's interaction ties between a person and their line manager.

    High values mean the network mostly mirrors the hierarchy; the dual operating system wants
    ties across it. NaN without ties or without a directory.
    """
    if facts.directory is None:
        return KPIValues(facts.nans(), np.zeros(facts.shape, dtype=np.int64))
    cell, a, b = _pairs(*_ties(facts))
    directory = facts.directory
    rows = directory.actor_rows(facts.log)
    manager_row = np.where(rows >= 0, directory.manager_rows[np.maximum(rows, 0)], -1)
    actor_row = rows
    line = ((manager_row[a] >= 0) & (manager_row[a] == actor_row[b])) | (
        (manager_row[b] >= 0) & (manager_row[b] == actor_row[a])
    )
    total = facts.per_cell(cell)
    shared = facts.per_cell(cell[line])
    value = np.divide(shared, total, out=np.full(facts.shape, np.nan), where=total > 0)
    return KPIValues(value, _people(facts, cell, a, b))


def kpis() -> list[KPI]:
    """
    Return the network KPIs (the built-in provider ``network`` of the KPI registry).

    Examples
    --------
    >>> sorted(k.id for k in kpis())[:3]
    ['cross_unit_tie_share', 'ei_index', 'network_density']

    .. versionadded:: 0.1
    """
    return [
        KPI(
            "ei_index",
            "E-I index across org units",
            ei_index,
            description=(
                "Krackhardt & Stern's E-I index of the interaction ties across org units: "
                "-1 all ties inside units (silos), +1 all across."
            ),
            needs=INTERACTIONS,
            unit="score",
            direction="up",
            category="network",
            grains=_GRAINS,
            references=(_REF_EI,),
        ),
        KPI(
            "cross_unit_tie_share",
            "Cross-unit tie share",
            cross_unit_tie_share,
            description="Share of interaction ties that link people of different org units.",
            needs=INTERACTIONS,
            unit="ratio",
            category="network",
            grains=_GRAINS,
            references=(_REF_EI,),
        ),
        KPI(
            "volunteer_share",
            "Volunteer share",
            volunteer_share,
            description=(
                "Share of the workforce active in the network in the period (Kotter's "
                "volunteer army; rule of thumb 5-10 %)."
            ),
            unit="ratio",
            category="participation",
            grains=_GRAINS,
            references=(_REF_KOTTER,),
        ),
        KPI(
            "tie_reciprocity",
            "Tie reciprocity",
            tie_reciprocity,
            description="Share of directed interaction ties answered in the same period.",
            needs=INTERACTIONS,
            unit="ratio",
            category="network",
            grains=_GRAINS,
        ),
        KPI(
            "network_density",
            "Network density",
            network_density,
            description="Interaction ties among the active people over all possible pairs.",
            needs=INTERACTIONS,
            unit="ratio",
            category="network",
            grains=_GRAINS,
        ),
        KPI(
            "reporting_line_overlap",
            "Reporting-line overlap",
            reporting_line_overlap,
            description="Share of interaction ties between a person and their line manager.",
            needs=INTERACTIONS,
            unit="ratio",
            direction="down",
            category="network",
            grains=_GRAINS,
            references=(_REF_KOTTER,),
        ),
    ]
