"""
Measures of the dual operating system: guiding-coalition coverage and reach, volunteer share,
reporting overlap and silo bridging.

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frame import Frame
from communitykit.errors import ConfigError
from communitykit.network._engine import (
    edge_arrays,
)
from communitykit.network._measures.groups import cross_unit_tie_share, ei_index, group_measures
from communitykit.network._model import DualOS
from communitykit.network._table import MeasureTable
from communitykit.privacy import MIN_GROUP_SIZE


@attrs.frozen(eq=False, repr=False)
class Coverage(Frame):
    """
    How the guiding coalition covers the hierarchy's levels and org units.

    A :class:`~communitykit.Frame` of the table's rows; two coverages are equal when their
    tables and shares are.

    Attributes
    ----------
    table
        Columns ``dimension`` (``"level"`` or ``"org_unit"``), ``group``, ``people``,
        ``coalition`` (members in that level or unit) and ``covered``.
    level_share
        Share of hierarchy levels with at least one coalition member (``nan`` without levels).
    unit_share
        Share of org units with at least one coalition member (``nan`` without units).

    .. versionadded:: 0.1
    """

    table: MeasureTable
    level_share: float
    unit_share: float

    @property
    def missing_levels(self) -> list[Any]:
        """Levels without a coalition member."""
        return [r["group"] for r in self.table if r["dimension"] == "level" and not r["covered"]]

    @property
    def missing_units(self) -> list[Any]:
        """Org units without a coalition member."""
        return [r["group"] for r in self.table if r["dimension"] == "org_unit" and not r["covered"]]

    def _frame_columns(self) -> Mapping[str, npt.NDArray[Any]]:
        return self.table._frame_columns()  # noqa: SLF001 - the frame it wraps

    def _frame_missing(self) -> Mapping[str, npt.NDArray[np.bool_]]:
        return self.table._frame_missing()  # noqa: SLF001 - the frame it wraps

    def _frame_state(self) -> tuple[object, ...]:
        return (self.level_share, self.unit_share)

    def _repr_parts(self) -> list[str]:
        return [
            f"{len(self):,} rows",
            f"level share {self.level_share:.0%}",
            f"unit share {self.unit_share:.0%}",
        ]


def _person_groups(dos: DualOS, attribute: str) -> dict[Hashable, Hashable]:
    return {str(k): v for k, v in dos.attribute(attribute).items()}


def coalition_coverage(dos: DualOS, *, coalition: Iterable[str] | None = None) -> Coverage:
    """
    Return which hierarchy levels and org units have a member in the guiding coalition.

    Kotter: the coalition at the core of the network "represents each level in the hierarchy";
    a coalition drawn only from the top two levels misses what the front line knows.

    Parameters
    ----------
    dos
        The dual operating system (levels and units from its hierarchy).
    coalition
        People to use instead of ``dos.coalition`` (e.g. to test a proposed coalition).

    Examples
    --------
    >>> d = ck.Directory(
    ...     [
    ...         ck.Person("ceo", org_unit="Board"),
    ...         ck.Person("ana", org_unit="Sales", manager="ceo"),
    ...         ck.Person("bo", org_unit="IT", manager="ceo"),
    ...         ck.Person("cy", org_unit="IT", manager="bo"),
    ...     ]
    ... )
    >>> cov = coalition_coverage(ck.DualOS.from_directory(d).with_coalition(["ana", "cy"]))
    >>> round(cov.level_share, 3), round(cov.unit_share, 3), cov.missing_levels
    (0.667, 0.667, [0])

    .. versionadded:: 0.1
    """
    members = set(dos.coalition if coalition is None else coalition)
    rows: list[tuple[Any, ...]] = []
    shares = []
    for dimension in ("level", "org_unit"):
        mapping = _person_groups(dos, dimension)
        # counted in C over everyone; only the (few) coalition members are looked up one by one
        people = Counter(mapping.values())
        inside = Counter(mapping[p] for p in members if p in mapping)
        ordered = sorted(people, key=lambda g: (str(type(g)), g))
        rows += [(dimension, g, people[g], inside[g], inside[g] > 0) for g in ordered]
        shares.append(sum(1 for g in ordered if inside[g]) / len(ordered) if ordered else math.nan)
    return Coverage(
        MeasureTable(("dimension", "group", "people", "coalition", "covered"), rows),
        float(shares[0]),
        float(shares[1]),
    )


def coalition_reach(dos: DualOS, *, k: int = 2, coalition: Iterable[str] | None = None) -> float:
    """
    Return the share of people within *k* hops of the guiding coalition in the network layer.

    The coalition itself counts (0 hops). ``nan`` for a dual operating system without people;
    0.0 without a coalition.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [
    ...         {"source": "a", "target": "b"},
    ...         {"source": "b", "target": "c"},
    ...         {"source": "c", "target": "d"},
    ...     ]
    ... ).with_coalition(["a"])
    >>> coalition_reach(dos, k=1), coalition_reach(dos, k=2)
    (0.5, 0.75)

    .. versionadded:: 0.1
    """
    if k < 0:
        msg = f"k={k!r}; expected 0 or more hops"
        raise ConfigError(msg)
    G = dos.ties
    if G.number_of_nodes() == 0:
        return math.nan
    arrays = edge_arrays(G)
    members = set(dos.coalition if coalition is None else coalition)
    reached = np.array([n in members for n in arrays.nodes], dtype=bool)
    A = arrays.adjacency(weighted=False)
    for _ in range(k):
        grown = reached | (A @ reached.astype(np.float64) > 0)
        if (grown == reached).all():
            break
        reached = grown
    return float(reached.mean())


def volunteer_share(dos: DualOS, *, start: object = None, end: object = None) -> float:
    """
    Return the share of the workforce active in the network layer: Kotter's volunteer army.

    A volunteer is a person in the hierarchy (bots excluded) with a network-layer edge: an
    interaction tie (one active in ``[start, end)`` when a window is given), or, without a
    window, a community or initiative membership, a lead or sponsor role, or a coalition seat.
    Kotter's rule of thumb is a volunteer army of 5-10 % of the workforce.

    Parameters
    ----------
    dos
        The dual operating system.
    start, end
        Optional window: only interaction ties with events in it count
        (``last >= start`` and ``first < end``).

    Examples
    --------
    >>> d = ck.Directory([ck.Person(p) for p in "abcd"])
    >>> dos = ck.DualOS.from_directory(d).with_memberships([{"person": "a", "community": "x"}])
    >>> volunteer_share(dos)
    0.25

    .. versionadded:: 0.1
    """
    from communitykit._time import as_datetime64

    workforce = [
        p
        for p in dos.people
        if "bot" not in dos.hierarchy.nodes[p].get("roles", ())
        and (dos.hierarchy.nodes[p].get("level") is not None or not dos.hierarchy.number_of_edges())
    ]
    if not workforce:
        return math.nan
    lo = None if start is None else as_datetime64(start)
    hi = None if end is None else as_datetime64(end)
    window = lo is not None or hi is not None
    active: set[Hashable] = set()
    for u, v, key, d in dos.network.edges(keys=True, data=True):
        if key == "interacts":
            first, last = d.get("first"), d.get("last")
            if window and (
                first is None or (lo is not None and last < lo) or (hi is not None and first >= hi)
            ):
                continue
            active.update((u, v))
        elif not window:
            active.add(u)
    return sum(1 for p in workforce if p in active) / len(workforce)


def reporting_overlap(dos: DualOS) -> MeasureTable:
    """
    Return how far the network's ties run along the reporting lines.

    Returns
    -------
    MeasureTable
        ``measure``/``value`` rows: ``reporting_lines``, ``ties``, ``shared`` (ties between a
        person and their manager), ``tie_share`` (``shared / ties``: how much of the network
        merely mirrors the hierarchy) and ``line_share`` (``shared / reporting_lines``: how many
        manager-report pairs also interact). ``nan`` where the denominator is 0.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [{"source": "a", "target": "m"}, {"source": "a", "target": "b"}],
    ...     [{"id": "m"}, {"id": "a", "manager": "m"}, {"id": "b", "manager": "m"}],
    ... )
    >>> reporting_overlap(dos).to_dict()
    {'reporting_lines': 2, 'ties': 2, 'shared': 1, 'tie_share': 0.5, 'line_share': 0.5}

    .. versionadded:: 0.1
    """
    # unordered pairs of people as keys lo * n + hi (self-pairs and non-people kept apart)
    arrays = edge_arrays(dos.ties)
    n = arrays.n
    index = {p: i for i, p in enumerate(arrays.nodes)}
    pairs = {frozenset((u, v)) for u, v, t in dos.hierarchy.edges(data="type") if t == "reports_to"}
    ends = np.array(
        [[index[p] for p in pair] for pair in pairs if len(pair) == 2 and pair <= index.keys()],
        dtype=np.int64,
    ).reshape(-1, 2)
    lines = np.minimum(ends[:, 0], ends[:, 1]) * n + np.maximum(ends[:, 0], ends[:, 1])
    ties = _numeric.unique(
        np.minimum(arrays.src, arrays.dst) * n + np.maximum(arrays.src, arrays.dst)
    )
    looped = {frozenset((u,)) for u, _ in nx.selfloop_edges(dos.ties)}
    shared = int(np.isin(lines, ties).sum()) + len(pairs & looped)
    n_lines, n_ties = len(pairs), len(ties) + len(looped)
    return MeasureTable(
        ("measure", "value"),
        [
            ("reporting_lines", n_lines),
            ("ties", n_ties),
            ("shared", shared),
            ("tie_share", shared / n_ties if n_ties else math.nan),
            ("line_share", shared / n_lines if n_lines else math.nan),
        ],
    )


def silo_bridging(
    dos: DualOS,
    *,
    by: str = "org_unit",
    weight: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> MeasureTable:
    """
    Return, per org unit (or other person attribute *by*), how far its interactions leave it.

    This is :func:`group_measures` on the dual operating system's ties: ``ei_index`` near -1
    marks a silo, near +1 a unit that works mostly with others; ``partner_groups`` counts the
    units it is tied to; ``active`` counts its people with any tie. Units of fewer than
    *min_group_size* people are suppressed.

    Examples
    --------
    >>> dos = ck.DualOS.from_edges(
    ...     [{"source": "a", "target": "b"}],
    ...     [{"id": "a", "org_unit": "X"}, {"id": "b", "org_unit": "Y"}],
    ... )
    >>> silo_bridging(dos, min_group_size=0).column("ei_index")
    [1.0, 1.0]
    >>> silo_bridging(dos).column("suppressed")
    [True, True]

    .. versionadded:: 0.1
    """
    return group_measures(dos, by, weight=weight, min_group_size=min_group_size)


def dual_os_measures(dos: DualOS, *, k: int = 2, by: str = "org_unit") -> MeasureTable:
    """
    Return the dual-operating-system summary as a ``measure``/``value`` table.

    Rows: ``people``, ``coalition``, ``level_coverage``, ``unit_coverage``,
    ``coalition_reach`` (within *k* hops), ``volunteer_share``, ``tie_reporting_overlap``
    (share of ties along reporting lines), ``line_interaction_share`` (share of reporting lines
    that interact), ``ei_index`` and ``cross_unit_tie_share`` (by org unit).

    Examples
    --------
    >>> d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b", org_unit="Y", manager="a")])
    >>> dos = ck.DualOS.from_directory(d).with_coalition(["a"])
    >>> dual_os_measures(dos).to_dict()["level_coverage"]
    0.5

    .. versionadded:: 0.1
    """
    coverage = coalition_coverage(dos)
    overlap = reporting_overlap(dos).to_dict()
    return MeasureTable(
        ("measure", "value"),
        [
            ("people", len(dos.people)),
            ("coalition", len(dos.coalition)),
            ("level_coverage", coverage.level_share),
            ("unit_coverage", coverage.unit_share),
            ("coalition_reach", coalition_reach(dos, k=k)),
            ("volunteer_share", volunteer_share(dos)),
            ("tie_reporting_overlap", overlap["tie_share"]),
            ("line_interaction_share", overlap["line_share"]),
            ("ei_index", ei_index(dos, by)),
            ("cross_unit_tie_share", cross_unit_tie_share(dos, by)),
        ],
    )
