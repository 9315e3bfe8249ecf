"""
The ``interacts`` ties of a dual operating system as numpy arrays (internal).

:class:`~communitykit.network.DualOS` keeps its network layer as a networkx multigraph, the
public data model. Its derived views (:attr:`~communitykit.network.DualOS.interactions`, the
directed ties, and :attr:`~communitykit.network.DualOS.ties`, the undirected ones) and the
edge arrays every measure runs on are built from one :class:`TieTable` instead of from
per-edge Python loops over the multigraph: on two million events that loop was most of the
``communitykit network`` command's time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit.network._engine import EdgeArrays, seed_edge_arrays

__all__ = ["TieTable", "directed_view", "time_scalars", "undirected_view"]


@attrs.frozen(eq=False)
class TieTable:
    """
    The directed ``interacts`` ties over a tuple of people (index ``i`` = ``people[i]``).

    ``first`` and ``last`` are ``datetime64`` arrays with ``NaT`` for a tie without times.
    Each ordered pair appears once; there are no self-ties.
    """

    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    count: npt.NDArray[np.int64]
    first: npt.NDArray[np.datetime64]
    last: npt.NDArray[np.datetime64]

    def __len__(self) -> int:
        return len(self.src)

    def sorted(self) -> TieTable:
        """Return the table in ``(src, dst)`` order (the order networkx iterates it in)."""
        order = np.lexsort((self.dst, self.src))
        return TieTable(*(a[order] for a in attrs.astuple(self, recurse=False)))

    def undirected(self) -> TieTable:
        """
        Return the undirected ties: each unordered pair once with ``src < dst``, in
        ``(src, dst)`` order; both directions' weights and counts summed, first and last
        times widened (``NaT`` ignored).
        """
        lo, hi = np.minimum(self.src, self.dst), np.maximum(self.src, self.dst)
        order = np.lexsort((hi, lo))
        lo, hi = lo[order], hi[order]
        if not len(lo):
            return TieTable(lo, hi, self.weight[:0], self.count[:0], self.first[:0], self.last[:0])
        starts = np.flatnonzero(np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])])
        return TieTable(
            lo[starts],
            hi[starts],
            np.add.reduceat(self.weight[order], starts),
            np.add.reduceat(self.count[order], starts),
            np.fmin.reduceat(self.first[order], starts),
            np.fmax.reduceat(self.last[order], starts),
        )

    def rows(
        self, names: npt.NDArray[np.object_]
    ) -> Iterator[tuple[str, str, float, int, np.datetime64 | None, np.datetime64 | None]]:
        """Yield ``(source, target, weight, count, first, last)`` per tie, people by name."""
        yield from zip(
            names[self.src].tolist(),
            names[self.dst].tolist(),
            self.weight.tolist(),
            self.count.tolist(),
            time_scalars(self.first),
            time_scalars(self.last),
            strict=True,
        )

    def attributes(self) -> Iterable[dict[str, object]]:
        """Yield each tie's networkx edge attributes, as :class:`DualOS` documents them."""
        first = time_scalars(self.first)
        last = time_scalars(self.last)
        for w, c, f, la in zip(self.weight.tolist(), self.count.tolist(), first, last, strict=True):
            yield {
                "weight": w,
                "count": c,
                "first": f,
                "last": la,
                "distance": (1.0 / w) if w > 0 else math.inf,
            }

    @classmethod
    def from_network(cls, network: nx.MultiDiGraph, people: tuple[str, ...]) -> TieTable | None:
        """
        Read the ``interacts`` edges of *network*; ``None`` when they do not fit the table
        (self-ties, times that are not ``datetime64``), so the caller falls back to networkx.
        """
        index = {p: i for i, p in enumerate(people)}
        src: list[int] = []
        dst: list[int] = []
        weight: list[float] = []
        count: list[int] = []
        first: list[object] = []
        last: list[object] = []
        for u, v, key, d in network.edges(keys=True, data=True):
            if key != "interacts":
                continue
            if u == v or u not in index or v not in index:
                return None
            src.append(index[u])
            dst.append(index[v])
            weight.append(float(d["weight"]) if "weight" in d else 1.0)
            c = d.get("count", 1)
            if not isinstance(c, int | np.integer) or isinstance(c, bool):
                return None
            count.append(int(c))
            first.append(d.get("first"))
            last.append(d.get("last"))
        times = [_as_time_array(first), _as_time_array(last)]
        if times[0] is None or times[1] is None:
            return None
        return cls(
            np.asarray(src, dtype=np.int64),
            np.asarray(dst, dtype=np.int64),
            np.asarray(weight, dtype=np.float64),
            np.asarray(count, dtype=np.int64),
            times[0],
            times[1],
        )


def _as_time_array(values: list[object]) -> npt.NDArray[np.datetime64] | None:
    """*values* (``datetime64`` scalars of one unit or ``None``) as one array, else ``None``."""
    present = [v for v in values if v is not None]
    if not all(isinstance(v, np.datetime64) for v in present):
        return None
    units = {np.datetime_data(v.dtype)[0] for v in present if isinstance(v, np.datetime64)}
    if len(units) > 1:
        return None
    dtype = np.dtype(f"datetime64[{units.pop() if units else 's'}]")
    out = np.full(len(values), np.datetime64("NaT"), dtype=dtype)
    for i, v in enumerate(values):
        if v is not None:
            out[i] = v
    return out


def time_scalars(values: npt.NDArray[np.datetime64]) -> list[np.datetime64 | None]:
    """The array as scalars, ``None`` for ``NaT`` (as the graphs' edge attributes hold them)."""
    missing = np.isnat(values).tolist()
    return [None if gone else t for t, gone in zip(values, missing, strict=True)]


def _view(
    graph: nx.Graph,
    table: TieTable,
    people: tuple[str, ...],
    node_data: Callable[[str], Mapping[str, object]],
) -> nx.Graph:
    """Fill *graph* with every person and the (sorted) ties of *table*; seed its edge arrays."""
    graph.add_nodes_from((p, node_data(p)) for p in people)
    names = np.asarray(people, dtype=object)
    graph.add_edges_from(
        zip(names[table.src].tolist(), names[table.dst].tolist(), table.attributes(), strict=True)
    )
    nx.freeze(graph)
    nodes: list[Hashable] = list(people)
    src, dst = table.src.copy(), table.dst.copy()
    for array in (src, dst):
        array.flags.writeable = False
    directed = graph.is_directed()
    with np.errstate(over="ignore"):  # 1 / 5e-324 is inf, as in Python
        distance = np.divide(
            1.0, table.weight, out=np.full(len(table), np.inf), where=table.weight > 0
        )
    for name, values in (
        (None, np.ones(len(table))),
        ("weight", table.weight.astype(np.float64)),
        ("count", table.count.astype(np.float64)),
        ("distance", distance),
    ):
        if np.isfinite(values).all():  # non-finite values raise when the arrays are asked for
            values.flags.writeable = False
            seed_edge_arrays(graph, name, EdgeArrays(nodes, src, dst, values, directed))
    return graph


def directed_view(
    table: TieTable, people: tuple[str, ...], node_data: Callable[[str], Mapping[str, object]]
) -> nx.DiGraph:
    """The frozen directed ties graph (every person a node), its edge arrays cached."""
    view: nx.DiGraph = _view(nx.DiGraph(), table.sorted(), people, node_data)
    return view


def undirected_view(
    table: TieTable, people: tuple[str, ...], node_data: Callable[[str], Mapping[str, object]]
) -> nx.Graph:
    """The frozen undirected ties graph (both directions summed), its edge arrays cached."""
    return _view(nx.Graph(), table.undirected(), people, node_data)
