"""Graph plumbing shared by the measures: numpy edge arrays, engines, igraph conversion."""

from __future__ import annotations

import importlib.util
import multiprocessing
import random
import sys
import weakref
from collections.abc import Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Final

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from communitykit import _parallel
from communitykit._deprecation import Unset, warn_renamed_keyword
from communitykit.errors import ConfigError, DataError
from communitykit.network._triangles import Ties, triangle_counts, undirected_ties

if TYPE_CHECKING:
    import igraph

    from communitykit.typing import Seed

__all__ = [
    "ENGINES",
    "IGRAPH_THRESHOLD",
    "EdgeArrays",
    "as_graph",
    "backend_kwargs",
    "choose_engine",
    "edge_arrays",
    "engine_and_backend",
    "group_codes",
    "igraph_available",
    "igraph_betweenness",
    "make_rng",
    "seed_edge_arrays",
    "seed_int",
    "to_igraph",
]

ENGINES: Final[tuple[str, ...]] = ("auto", "networkx", "igraph")
IGRAPH_THRESHOLD: Final = 1_000
"""From this many nodes on, ``engine="auto"`` uses python-igraph when it is installed."""


def as_graph(G: object) -> nx.Graph:
    """Return *G* itself, or the undirected interaction ties of a :class:`DualOS`."""
    from communitykit.network._model import DualOS

    if isinstance(G, DualOS):
        return G.ties
    if isinstance(G, nx.Graph):
        if G.is_multigraph():
            msg = (
                "multigraphs are not supported; collapse parallel edges first, "
                "e.g. nx.Graph(G) or nx.DiGraph(G) (summing weights if they matter)"
            )
            raise DataError(msg)
        return G
    msg = f"expected a networkx graph or a DualOS, got {type(G).__name__}"
    raise DataError(msg)


def igraph_available() -> bool:
    """Return whether python-igraph can be imported."""
    return importlib.util.find_spec("igraph") is not None


def _dispatch_backends() -> tuple[str, ...]:
    """The networkx dispatch backends installed (``nx-parallel`` as ``"parallel"``...)."""
    from networkx.utils import backends

    return tuple(sorted(getattr(backends, "backend_info", {})))


def engine_and_backend(
    engine: str, backend: str | Unset | None, *, where: str
) -> tuple[str, str | None]:
    """
    Return ``(engine, networkx dispatch backend)`` for what a caller passed as *engine*.

    ``engine=`` is the one spelling: ``"auto"``, ``"networkx"``, ``"igraph"``, or the name of
    a networkx dispatch backend (``"parallel"`` with nx-parallel, ``"cugraph"`` with
    nx-cugraph), which runs on networkx through that backend. The older ``backend=`` still
    works for one release, with a ``DeprecationWarning``.
    """
    if not isinstance(backend, Unset) and backend is not None:
        warn_renamed_keyword(where, "backend", "engine", stacklevel=4)
        return engine, backend
    if engine in ENGINES:
        return engine, None
    installed = _dispatch_backends()
    if engine in installed:
        return "networkx", engine
    choices = ", ".join(repr(e) for e in (*ENGINES, *installed))
    msg = (
        f"{where}(engine={engine!r}): expected one of {choices} (or an installed networkx backend)"
    )
    raise ConfigError(msg)


def choose_engine(engine: str, G: nx.Graph, backend: str | None) -> str:
    """Resolve ``engine="auto"`` to ``networkx`` or ``igraph``; check the choice."""
    if engine not in ENGINES:
        msg = f"engine={engine!r}; expected one of {', '.join(ENGINES)}"
        raise ConfigError(msg)
    if engine == "igraph":
        if not igraph_available():
            msg = "engine='igraph' needs python-igraph: pip install 'communitykit[igraph]'"
            raise ConfigError(msg)
        if backend is not None:
            msg = f"backend={backend!r} is a networkx backend; use engine='networkx' with it"
            raise ConfigError(msg)
        return "igraph"
    if engine == "networkx" or backend is not None:
        return "networkx"
    if G.number_of_nodes() >= IGRAPH_THRESHOLD and igraph_available():
        return "igraph"
    return "networkx"


def backend_kwargs(backend: str | None) -> dict[str, Any]:
    """Return ``{"backend": backend}`` for networkx dispatch, or nothing."""
    return {} if backend is None else {"backend": backend}


def make_rng(seed: Seed) -> np.random.Generator:
    """
    Return ``np.random.default_rng(seed)`` after checking *seed*.

    Raises
    ------
    ConfigError
        If *seed* is not ``None``, a :class:`numpy.random.Generator` or an integer >= 0.
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    value: object = seed
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"seed={value!r}; expected an integer >= 0, a numpy Generator or None"
        raise ConfigError(msg)
    if value < 0:
        msg = f"seed={value!r}; expected an integer >= 0 (or None)"
        raise ConfigError(msg)
    return np.random.default_rng(int(value))


def seed_int(seed: Seed) -> int:
    """Turn any ``seed=`` into a plain int for libraries that want one (checked as by make_rng)."""
    return int(make_rng(seed).integers(0, 2**31 - 1))


@attrs.frozen(eq=False)  # a per-graph cache: compared (and hashed) by identity
class EdgeArrays:
    """The edges of a graph as numpy index arrays (self-loops removed)."""

    nodes: list[Hashable]
    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    directed: bool
    self_loops: int = 0
    """Self-loops the graph had (left out of the arrays; counted by ``number_of_edges``)."""
    _igraph: list[igraph.Graph] = attrs.field(factory=list, init=False, eq=False, repr=False)
    """The python-igraph copy, built once by :func:`to_igraph` (arrays of frozen graphs are
    cached, so their igraph copy is too)."""

    _merged: list[EdgeArrays] = attrs.field(factory=list, init=False, eq=False, repr=False)
    _ties: list[Ties] = attrs.field(factory=list, init=False, eq=False, repr=False)
    _components: list[tuple[int, npt.NDArray[np.int64]]] = attrs.field(
        factory=list, init=False, eq=False, repr=False
    )
    _triangles: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = attrs.field(
        factory=list, init=False, eq=False, repr=False
    )

    @property
    def n(self) -> int:
        return len(self.nodes)

    def merged(self) -> EdgeArrays:
        """
        Return the undirected ties: each unordered pair once, ``src < dst``, arcs in both
        directions merged with their weights summed (built once).
        """
        if self._merged:
            return self._merged[0]
        ties = self.ties()
        out = EdgeArrays(self.nodes, ties.u, ties.v, ties.weight, directed=False)
        self._merged.append(out)
        return out

    def ties(self) -> Ties:
        """
        Return the undirected simple ties (each unordered pair once, weights summed), built
        once: the triangle-based measures (clustering, constraint, effective size, brokerage)
        of one graph share them.
        """
        if not self._ties:
            ties = undirected_ties(self.n, self.src, self.dst, self.weight)
            for array in (ties.u, ties.v, ties.weight):
                array.flags.writeable = False  # shared by every measure of the graph
            self._ties.append(ties)
        return self._ties[0]

    def components(self) -> tuple[int, npt.NDArray[np.int64]]:
        """
        Return the number of (weakly) connected components and each node's component label,
        computed once from the undirected ties.
        """
        if not self._components:
            ties = self.ties()
            # the ties are sorted by (u, v): their upper-triangle CSR needs no conversion
            indptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(ties.u, minlength=self.n), out=indptr[1:])
            upper = sp.csr_array(
                (np.ones(len(ties.u), dtype=np.int8), ties.v, indptr), shape=(self.n, self.n)
            )
            count, labels = connected_components(upper, directed=True, connection="weak")
            labels = labels.astype(np.int64)
            labels.flags.writeable = False
            self._components.append((int(count), labels))
        return self._components[0]

    def triangle_counts(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """
        Return the number of triangles at each node and its number of distinct neighbours
        (undirected, unweighted ties), computed once.
        """
        if not self._triangles:
            counts, degree = triangle_counts(self.n, self.src, self.dst)
            counts.flags.writeable = False
            degree.flags.writeable = False
            self._triangles.append((counts, degree))
        return self._triangles[0]

    def adjacency(self, *, symmetric: bool = False, weighted: bool = True) -> sp.csr_array:
        """Return the (n, n) sparse adjacency; *symmetric* adds both directions."""
        w = self.weight if weighted else np.ones(len(self.src))
        src, dst = self.src, self.dst
        if symmetric or not self.directed:
            src, dst, w = np.r_[src, dst], np.r_[dst, src], np.r_[w, w]
        return sp.csr_array((w, (src, dst)), shape=(self.n, self.n))


_FROZEN_ARRAYS: weakref.WeakKeyDictionary[nx.Graph, dict[str | None, EdgeArrays]] = (
    weakref.WeakKeyDictionary()
)


def edge_arrays(G: nx.Graph, weight: str | None = None) -> EdgeArrays:
    """
    Return the edges of *G* as index arrays; weights from *weight* (default 1).

    Frozen graphs (such as the layers of a DualOS) cannot change, so their arrays are cached.
    """
    if nx.is_frozen(G):
        cache = _FROZEN_ARRAYS.setdefault(G, {})
        if weight not in cache:
            cache[weight] = _edge_arrays(G, weight)
        return cache[weight]
    return _edge_arrays(G, weight)


def seed_edge_arrays(G: nx.Graph, weight: str | None, arrays: EdgeArrays) -> None:
    """
    Cache *arrays* as the edge arrays of the frozen graph *G* for *weight*.

    For graphs built from arrays in the first place (the views of a DualOS): the arrays must
    be exactly what :func:`edge_arrays` would compute from *G*, in ``G.edges()`` order.
    """
    _FROZEN_ARRAYS.setdefault(G, {})[weight] = arrays


def _edge_arrays(G: nx.Graph, weight: str | None) -> EdgeArrays:
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    w = np.ones(m, dtype=np.float64)
    for e, (u, v, d) in enumerate(G.edges(data=True)):
        src[e] = index[u]
        dst[e] = index[v]
        if weight is not None:
            w[e] = d.get(weight, 1.0)
    keep = src != dst
    if weight is not None and not np.isfinite(w).all():
        msg = f"edge attribute {weight!r} has a non-finite value; expected finite numbers"
        raise DataError(msg)
    src, dst, w = src[keep], dst[keep], w[keep]
    for array in (src, dst, w):
        array.flags.writeable = False  # shared through the cache of frozen graphs
    return EdgeArrays(nodes, src, dst, w, G.is_directed(), self_loops=int(m - keep.sum()))


def group_codes(
    G: nx.Graph, groups: Mapping[Hashable, Hashable] | str
) -> tuple[npt.NDArray[np.int64], list[Hashable]]:
    """
    Return, per node of *G* (in ``list(G)`` order), a group code (``-1`` for none) and the
    sorted group labels.

    *groups* is a node attribute name or a mapping node -> group. An attribute name that no
    node has (a misspelling) is a :class:`~communitykit.errors.ConfigError` listing the node
    attributes there are; nodes with the attribute but no value have no group.
    """
    spec: object = groups
    if isinstance(spec, str):
        labels = [G.nodes[n].get(spec) for n in G]
        if len(G) and not any(spec in d for _, d in G.nodes(data=True)):
            known = sorted({str(k) for _, d in G.nodes(data=True) for k in d} - {"type"})
            msg = (
                f"groups={spec!r}: no node has this attribute; "
                f"node attributes: {', '.join(known) if known else '(none)'}"
            )
            raise ConfigError(msg)
    elif isinstance(spec, Mapping):
        labels = [spec.get(n) for n in G]
    else:
        msg = f"groups must be a node attribute name or a mapping node -> group, got {spec!r}"
        raise DataError(msg)
    present = {lab for lab in labels if lab is not None and lab != ""}
    try:
        names: list[Hashable] = sorted(present)  # type: ignore[type-var,unused-ignore]
    except TypeError:
        names = sorted(present, key=repr)
    code = {lab: i for i, lab in enumerate(names)}
    codes = np.fromiter((code.get(lab, -1) for lab in labels), dtype=np.int64, count=len(labels))
    return codes, names


def to_igraph(arrays: EdgeArrays) -> igraph.Graph:
    """Build a python-igraph graph with vertex i = ``arrays.nodes[i]`` and edge weights."""
    if arrays._igraph:  # noqa: SLF001 - the memo of this module's own class
        return arrays._igraph[0]  # noqa: SLF001
    import igraph as ig

    g = ig.Graph(n=arrays.n, directed=arrays.directed)
    g.add_edges(np.column_stack([arrays.src, arrays.dst]))  # an array: no list of pairs
    g.es["weight"] = arrays.weight.tolist()
    arrays._igraph.append(g)  # noqa: SLF001
    return g


PARALLEL_WORK = 20_000_000
"""Sampled betweenness runs in several processes from this many source x edge steps on."""

_SHARED: list[igraph.Graph] = []
"""The graph the worker processes read (inherited when they are forked, never pickled)."""


def igraph_betweenness(
    arrays: EdgeArrays, sources: npt.NDArray[np.int64] | None, *, weighted: bool
) -> npt.NDArray[np.float64]:
    """
    Return igraph's (subset) betweenness of the graph of *arrays* from *sources* (all: None).

    python-igraph holds the GIL, so a large sample of sources is split over worker processes
    (as many as :func:`communitykit._parallel.threads` allows; forked, on platforms that fork)
    and their subset betweenness summed: the value from a set of sources is the sum of the
    values from its parts.
    """
    g = to_igraph(arrays)
    jobs = 1 if sources is None else min(_parallel.threads(), len(sources))
    if (
        jobs > 1
        and sources is not None
        and len(sources) * len(arrays.src) >= PARALLEL_WORK
        and sys.platform.startswith("linux")
    ):
        _SHARED[:] = [g]
        tasks = [(arrays.directed, weighted, c.tolist()) for c in np.array_split(sources, jobs)]
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                parts = list(pool.map(_betweenness_part, tasks))
        finally:
            _SHARED.clear()
        total = np.zeros(arrays.n)
        for part in parts:
            total += part
        return total
    return _betweenness(g, arrays.directed, weighted, None if sources is None else sources.tolist())


def _betweenness_part(task: tuple[bool, bool, list[int]]) -> npt.NDArray[np.float64]:
    """The subset betweenness from some sources, in a worker process."""
    directed, weighted, sources = task
    return _betweenness(_SHARED[0], directed, weighted, sources)


def _betweenness(
    g: igraph.Graph, directed: bool, weighted: bool, sources: list[int] | None
) -> npt.NDArray[np.float64]:
    return np.asarray(
        g.betweenness(
            directed=directed,
            weights="weight" if weighted else None,
            sources=sources,
            targets=None,
        ),
        dtype=np.float64,
    )


class igraph_seed:  # noqa: N801 - used like a function in a with-statement
    """Seed igraph's random number generator for a block, then restore the default."""

    def __init__(self, seed: Seed) -> None:
        self._rng = random.Random(seed_int(seed))

    def __enter__(self) -> None:
        import igraph as ig

        ig.set_random_number_generator(self._rng)

    def __exit__(self, *exc: object) -> None:
        import igraph as ig

        ig.set_random_number_generator(random)
