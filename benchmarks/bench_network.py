"""
Benchmark the dual operating system at organisation scale, both engines on the same graphs.

* hierarchy: 100,000 people, 8 reports per manager on average, org units by subtree;
* interaction network: about 60,000 active people and 200,000 ties (mentions between people,
  60 % of them inside the same unit), built through ``DualOS.with_interactions``.

Each measure is timed on the same graph with communitykit's numpy/scipy path, networkx and
python-igraph. Sampled networkx betweenness runs exactly once (it takes over a minute).

Run: ``python benchmarks/bench_network.py [--write]`` (``--write`` replaces the ``## Network``
section of ``benchmarks/RESULTS.md``). ``--versus-igraph`` times only the measures python-igraph
also computes, ours and igraph's interleaved, best of ``--repeat``, in wall and CPU time, and
writes the section ``## Network measures against igraph``. networkx's Louvain takes about ten minutes here and runs
only with ``BENCH_NETWORK_NX_LOUVAIN=1``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
from _results import write_section  # benchmarks/_results.py

import communitykit as ck
from communitykit.network import DualOS
from communitykit.network import metrics as m

SCALE = float(os.environ.get("BENCH_NETWORK_SCALE", "1"))  # < 1 for a quick smoke run
PEOPLE = int(100_000 * SCALE)
ACTIVE = int(60_000 * SCALE)
TIES = int(200_000 * SCALE)
SEED = 1
K = 100  # sample sources for betweenness
LOAD = os.getloadavg()


def timed(
    label: str, fn: Callable[[], Any], rows: list[tuple[str, str, float]], engine: str
) -> Any:
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    rows.append((label, engine, seconds))
    print(f"{label:<42} {engine:<10} {seconds:8.2f} s", flush=True)
    return out


def make_directory(rng: np.random.Generator) -> ck.Directory:
    """A tree of PEOPLE people: person i reports to a random earlier person of the previous layer."""
    parent = np.full(PEOPLE, -1, dtype=np.int64)
    layer_start, layer_end, nxt = 0, 1, 1
    while nxt < PEOPLE:
        size = min((layer_end - layer_start) * 8, PEOPLE - nxt)
        parent[nxt : nxt + size] = rng.integers(layer_start, layer_end, size)
        layer_start, layer_end, nxt = nxt, nxt + size, nxt + size
    unit = np.empty(PEOPLE, dtype=object)
    unit[0] = "Board"
    for i in range(1, PEOPLE):  # unit = path of the level-1 and level-2 ancestors
        p = parent[i]
        unit[i] = f"D{i}" if p == 0 else (f"{unit[p]}/T{i}" if unit[p].count("/") == 0 else unit[p])
    ids = [f"p{i:06d}" for i in range(PEOPLE)]
    return ck.Directory(
        ck.Person(ids[i], org_unit=unit[i], manager=None if parent[i] < 0 else ids[parent[i]])
        for i in range(PEOPLE)
    )


def make_log(rng: np.random.Generator, directory: ck.Directory) -> ck.EventLog:
    """Mentions among ACTIVE people: 60 % inside the unit, the rest anywhere."""
    ids = directory.ids
    units = directory.org_units()
    active = np.sort(rng.choice(PEOPLE, ACTIVE, replace=False))
    unit_codes = np.unique(units[active].astype(str), return_inverse=True)[1]
    order = np.argsort(unit_codes, kind="stable")
    starts = np.searchsorted(unit_codes[order], np.arange(unit_codes.max() + 1))
    ends = np.r_[starts[1:], len(order)]
    n = TIES  # a few pairs repeat, so slightly fewer distinct ties
    src = rng.integers(0, ACTIVE, n)
    inside = rng.random(n) < 0.6
    u = unit_codes[src]
    dst_inside = order[starts[u] + (rng.random(n) * (ends[u] - starts[u])).astype(np.int64)]
    dst = np.where(inside, dst_inside, rng.integers(0, ACTIVE, n))
    keep = src != dst
    src, dst = active[src[keep]], active[dst[keep]]
    times = np.datetime64("2025-01-01", "s") + rng.integers(0, 365 * 86400, len(src)).astype(
        "timedelta64[s]"
    )
    people, codes = np.unique(np.r_[ids[src], ids[dst]].astype(str), return_inverse=True)
    vocab = ck.events.default_vocabulary()
    return ck.EventLog(
        time=times,
        actor=codes[: len(src)].astype(np.int32),
        target=codes[len(src) :].astype(np.int32),
        community=np.zeros(len(src), dtype=np.int32),
        action=np.full(len(src), vocab.code("mention"), dtype=np.int16),
        actors=people.astype(object),
        communities=["all"],
        vocabulary=vocab,
    )


def python_ei(G: nx.Graph, groups: dict[str, str]) -> dict[str, float]:
    """The idiomatic baseline: a loop over the edges."""
    internal: dict[str, int] = {}
    external: dict[str, int] = {}
    for u, v in G.edges():
        gu, gv = groups.get(u), groups.get(v)
        if gu is None or gv is None:
            continue
        if gu == gv:
            internal[gu] = internal.get(gu, 0) + 1
        else:
            external[gu] = external.get(gu, 0) + 1
            external[gv] = external.get(gv, 0) + 1
    return {
        g: (external.get(g, 0) - internal.get(g, 0)) / (external.get(g, 0) + internal.get(g, 0))
        for g in set(internal) | set(external)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument("--versus-igraph", action="store_true", help="only the igraph comparison")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (best counts)")
    args = parser.parse_args()
    if args.versus_igraph:
        versus_igraph(args.repeat, write=args.write)
        return
    rng = np.random.default_rng(SEED)
    rows: list[tuple[str, str, float]] = []

    directory = timed(
        "Directory (100k people, checks)", lambda: make_directory(rng), rows, "python"
    )
    log = make_log(rng, directory)
    dos = timed("DualOS.from_directory", lambda: DualOS.from_directory(directory), rows, "networkx")
    dos = timed(
        "with_interactions (200k mentions)",
        lambda: dos.with_interactions(log, unknown="drop"),
        rows,
        "numpy+nx",
    )
    G = timed("ties view (undirected graph)", lambda: dos.ties, rows, "networkx")
    active = G.subgraph([n for n, d in G.degree() if d > 0]).copy()
    print(
        f"hierarchy {len(dos.people):,} people; network {active.number_of_nodes():,} active "
        f"people, {active.number_of_edges():,} ties"
    )
    groups = dos.attribute("org_unit")
    top_units = {p: u.split("/")[0] for p, u in groups.items()}

    import igraph  # noqa: F401 - warm the import (about 2 s on this machine) before timing

    from communitykit.network import _engine

    timed("edge arrays (once per frozen graph)", lambda: _engine.edge_arrays(G), rows, "numpy")
    # The per-person measures run on the active people's graph, frozen like a DualOS layer so its
    # arrays (ours) and its igraph copy (igraph's) are built once, outside the measure's time.
    nx.freeze(active)
    arrays = timed(
        "edge arrays of the active graph", lambda: _engine.edge_arrays(active), rows, "numpy"
    )
    ig_graph = timed(
        "igraph graph of the active graph", lambda: _engine.to_igraph(arrays), rows, "igraph-direct"
    )
    timed("degree", lambda: m.degree(G), rows, "numpy")
    timed("degree", lambda: dict(G.degree()), rows, "networkx")
    timed("components", lambda: m.components(G), rows, "scipy")
    timed("components", lambda: nx.number_connected_components(G), rows, "networkx")
    timed("E-I per unit (group_measures)", lambda: m.group_measures(G, groups), rows, "numpy")
    timed("E-I per unit (group_measures)", lambda: python_ei(G, groups), rows, "python")
    timed("modularity of the units", lambda: m.modularity(G, top_units), rows, "numpy")
    parts: dict[str, set[str]] = {}
    for p in G:
        parts.setdefault(top_units.get(p, p), set()).add(p)
    timed(
        "modularity of the units",
        lambda: nx.community.modularity(G, parts.values()),
        rows,
        "networkx",
    )
    timed("constraint (Burt)", lambda: m.constraint(active), rows, "numpy")
    timed("constraint (Burt)", ig_graph.constraint, rows, "igraph-direct")
    timed("constraint (Burt)", lambda: nx.constraint(active), rows, "networkx")
    timed("effective size (Burt)", lambda: m.effective_size(active), rows, "numpy")
    timed("brokerage roles (Gould & Fernandez)", lambda: m.brokerage(active, groups), rows, "numpy")
    timed(
        "whole-network measures (clustering, transitivity, components, reciprocity)",
        lambda: m.network_measures(active),
        rows,
        "numpy",
    )
    timed(
        "whole-network measures (clustering, transitivity, components, reciprocity)",
        lambda: (
            ig_graph.transitivity_avglocal_undirected(mode="zero"),
            ig_graph.transitivity_undirected(),
            ig_graph.connected_components(mode="weak"),
            ig_graph.density(),
            ig_graph.reciprocity(),
        ),
        rows,
        "igraph-direct",
    )
    timed(
        "whole-network measures (clustering, transitivity, components, reciprocity)",
        lambda: nx.average_clustering(active),
        rows,
        "networkx",
    )
    b_ig = timed(
        f"betweenness, k={K} sources",
        lambda: m.betweenness(G, k=K, seed=SEED, engine="igraph"),
        rows,
        "igraph",
    )
    b_nx = timed(
        f"betweenness, k={K} sources",
        lambda: m.betweenness(G, k=K, seed=SEED, engine="networkx"),
        rows,
        "networkx",
    )
    Gi = _engine.to_igraph(_engine.edge_arrays(G))
    sources = np.sort(_engine.make_rng(SEED).choice(len(G), K, replace=False)).tolist()
    timed(
        f"betweenness, k={K} sources",
        lambda: Gi.betweenness(sources=sources, targets=None),
        rows,
        "igraph-direct",
    )
    worst = max(abs(b_ig[n] - b_nx[n]) for n in G)
    print(f"  largest difference between the engines: {worst:.2e}")
    timed("Louvain", lambda: m.detect_communities(G, seed=SEED, engine="igraph"), rows, "igraph")
    merged = _engine.to_igraph(_engine.edge_arrays(G, "weight").merged())
    timed("Louvain", lambda: merged.community_multilevel(weights="weight"), rows, "igraph-direct")
    if os.environ.get("BENCH_NETWORK_NX_LOUVAIN"):  # about ten minutes; off by default
        timed(
            "Louvain",
            lambda: m.detect_communities(G, seed=SEED, engine="networkx"),
            rows,
            "networkx",
        )
    timed("Leiden", lambda: m.detect_communities(G, method="leiden", seed=SEED), rows, "igraph")
    sub = active.subgraph(sorted(active, key=lambda n: -active.degree(n))[:5_000]).copy()
    print(f"closeness on the 5,000 best-connected people: {sub.number_of_edges():,} ties")
    timed(
        "closeness (5k-person subgraph)", lambda: m.closeness(sub, engine="igraph"), rows, "igraph"
    )
    timed(
        "closeness (5k-person subgraph)",
        lambda: m.closeness(sub, engine="networkx"),
        rows,
        "networkx",
    )
    coalition = [p for p in dos.people if directory.level(p) <= 2][:60]
    dos2 = dos.with_coalition(coalition)
    timed(
        "coalition coverage + reach (k=2)",
        lambda: (m.coalition_coverage(dos2), m.coalition_reach(dos2, k=2)),
        rows,
        "numpy",
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")
    if args.write:
        write_results(rows, active, peak, worst)


def _best(fn: Callable[[], Any], wall: list[float], cpu: list[float]) -> None:
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)


def versus_igraph(repeat: int, *, write: bool) -> None:
    """Each measure igraph also computes, ours and igraph's on the same frozen graph."""
    import igraph as ig

    from communitykit.network import _engine

    rng = np.random.default_rng(SEED)
    directory = make_directory(rng)
    log = make_log(rng, directory)
    dos = DualOS.from_directory(directory).with_interactions(log, unknown="drop")
    ties = dos.ties
    active = nx.freeze(ties.subgraph([n for n, d in ties.degree() if d > 0]).copy())
    arrays = _engine.edge_arrays(active)
    g = _engine.to_igraph(arrays)  # igraph's copy, built once (as our edge arrays are)
    weighted = _engine.to_igraph(_engine.edge_arrays(active, "weight").merged())
    sources = np.sort(_engine.make_rng(SEED).choice(len(active), 256, replace=False)).tolist()
    n, m_ = active.number_of_nodes(), active.number_of_edges()
    print(f"{n:,} active people, {m_:,} ties; load {os.getloadavg()[0]:.1f}", flush=True)

    def cold() -> None:
        """Forget what our measures cache per graph (ties, triangles, components), keeping only
        the edge arrays and the igraph copy, the counterparts of igraph's own graph."""
        for cached in _engine._FROZEN_ARRAYS[active].values():  # noqa: SLF001
            for a in (cached, *cached._merged):  # noqa: SLF001
                a._ties.clear()  # noqa: SLF001
                a._triangles.clear()  # noqa: SLF001
                a._components.clear()  # noqa: SLF001

    def ig_seeded(fn: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with _engine.igraph_seed(SEED):
                return fn()

        return run

    pairs: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "local clustering (per person)",
            lambda: m.clustering(active),
            lambda: g.transitivity_local_undirected(mode="zero"),
        ),
        (
            "average clustering + transitivity",
            lambda: m.network_measures(active),
            lambda: (
                g.transitivity_avglocal_undirected(mode="zero"),
                g.transitivity_undirected(),
                g.connected_components(mode="weak"),
                g.density(),
                g.reciprocity(),
            ),
        ),
        ("transitivity", lambda: m.transitivity(active), g.transitivity_undirected),
        ("constraint (Burt)", lambda: m.constraint(active), g.constraint),
        (
            "betweenness, k=256 sources",
            lambda: m.betweenness(active, k=256, seed=SEED, engine="igraph"),
            lambda: g.betweenness(sources=sources, targets=None),
        ),
        (
            "Louvain",
            lambda: m.detect_communities(active, seed=SEED, engine="igraph"),
            ig_seeded(lambda: weighted.community_multilevel(weights="weight")),
        ),
        (
            "Leiden (modularity)",
            lambda: m.detect_communities(active, method="leiden", seed=SEED),
            ig_seeded(
                lambda: weighted.community_leiden(
                    objective_function="modularity", weights="weight", n_iterations=-1
                )
            ),
        ),
    ]
    rows = []
    load_start = os.getloadavg()[0]
    for label, ours, theirs in pairs:
        ours()  # warm: the graph's cached arrays and igraph copy are built once per graph
        walls: tuple[list[float], list[float]] = ([], [])
        cpus: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeat):
            cold()
            _best(ours, walls[0], cpus[0])
            _best(theirs, walls[1], cpus[1])
        row = (label, min(walls[0]), min(walls[1]), min(cpus[0]), min(cpus[1]))
        rows.append(row)
        print(
            f"{label:<36} ours {row[1]:.3f} s  igraph {row[2]:.3f} s  "
            f"ratio {row[1] / row[2]:.2f} (CPU {row[3] / row[4]:.2f})",
            flush=True,
        )
    # Effective size: igraph has none (networkx's, a Python loop, takes minutes here)
    eff: list[float] = []
    for _ in range(repeat):
        cold()
        _best(lambda: m.effective_size(active), eff, [])
    print(f"effective size: ours {min(eff):.3f} s (igraph has none)")
    load_end = os.getloadavg()[0]
    if not write:
        return
    lines = [
        "## Network measures against igraph",
        "",
        (
            f"`python benchmarks/bench_network.py --versus-igraph --repeat {repeat} --write` "
            f"(Python {platform.python_version()}, python-igraph {ig.__version__}, networkx "
            f"{nx.__version__}; load average {load_start:.1f} at the start, {load_end:.1f} at the "
            f"end). The active people's interaction graph of the `## Network` benchmark: {n:,} "
            f"people, {m_:,} ties, frozen. Each measure runs once to warm (the graph's cached edge "
            "arrays and igraph copy, built once per graph, as igraph's own copy is built once "
            f"before timing), then ours and igraph's alternate {repeat} times, ours each time cold (the per-graph "
            "caches of ties, triangles and components cleared); best wall and best "
            "CPU time (all threads and, for sampled betweenness, the worker processes are not "
            "counted in CPU: see the wall column). igraph is called directly on its copy."
        ),
        "",
        "| measure | communitykit (s) | igraph (s) | ratio (wall) | ratio (CPU) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {label} | {w0:.3f} | {w1:.3f} | {w0 / w1:.2f}x | {c0 / c1:.2f}x |"
        for label, w0, w1, c0, c1 in rows
    ]
    lines += [
        f"| effective size (Burt; igraph has none) | {min(eff):.3f} | | | |",
        "",
        (
            "Average clustering + transitivity compares `network_measures` (nodes, ties, density, "
            "components, largest component, isolates, average clustering, transitivity, "
            "reciprocity) with igraph's five calls for the same numbers. Louvain and Leiden run "
            "igraph's own implementation on the merged weighted ties: the difference is the "
            "labelling of the result."
        ),
        "",
    ]
    print(f"wrote {write_section(chr(10).join(lines))}")


def write_results(
    rows: list[tuple[str, str, float]], active: nx.Graph, peak: float, worst: float
) -> None:
    by_label: dict[str, dict[str, float]] = {}
    for label, engine, seconds in rows:
        by_label.setdefault(label, {})[engine] = seconds
    lines = [
        "## Network",
        "",
        (
            f"`python benchmarks/bench_network.py --write` (Python {platform.python_version()}, "
            f"networkx {nx.__version__}, python-igraph {__import__('igraph').__version__}, 2 shared "
            "cores, one run). Hierarchy of 100,000 people (8 reports per manager, units by "
            f"subtree); interaction network of {active.number_of_nodes():,} active people and "
            f"{active.number_of_edges():,} ties built from 200k mentions with "
            "`DualOS.with_interactions`. Every measure runs on the same graph with each engine; "
            '"numpy"/"scipy" is communitykit\'s vectorised path, "python" an idiomatic loop.'
        ),
        "",
        "| step | communitykit (numpy/scipy/igraph) | networkx / python | speed-up | igraph called directly | communitykit / igraph |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    baselines = ("networkx", "python", "igraph-direct")
    for label, engines in by_label.items():
        fast = min((v for k, v in engines.items() if k not in baselines), default=None)
        slow = min((v for k, v in engines.items() if k in ("networkx", "python")), default=None)
        direct = engines.get("igraph-direct")
        if (
            fast is not None
            and slow is not None
            and label not in ("DualOS.from_directory", "ties view (undirected graph)")
        ):
            ratio = f"{slow / fast:,.0f}x" if fast > 0 else "-"
        else:
            ratio = ""
        f = (
            ""
            if fast is None
            else f"{fast:.2f} s ({', '.join(k for k in engines if k not in baselines)})"
        )
        s = "" if slow is None else f"{slow:.2f} s"
        d = "" if direct is None else f"{direct:.2f} s"
        vs = "" if direct is None or fast is None or direct <= 0 else f"{fast / direct:.2f}x"
        lines.append(f"| {label} | {f} | {s} | {ratio} | {d} | {vs} |")
    lines += [
        "",
        (
            f"Sampled betweenness: both engines use the same {K} seeded sources; the largest "
            f"difference between their values is {worst:.1e}. Peak RSS {peak:,.0f} MB. "
            f"Load average {LOAD[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the end: "
            "other work shared the 2 cores, so absolute times are inflated; the ratios between "
            "engines on the same graph are the point."
        ),
        (
            '"igraph called directly" runs python-igraph\'s own method on an igraph copy of the same '
            "frozen graph, built once beforehand (its build time is its own row, as the edge "
            "arrays are ours); the last column is communitykit's time over igraph's."
        ),
        '`engine="auto"` picks igraph from 1,000 nodes on when it is installed.',
        "",
    ]
    path = write_section("\n".join(lines))
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    main()
