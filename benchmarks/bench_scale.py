"""
Scale: the KPI suite on partitioned Parquet with Dask (LocalCluster, 2 workers) vs DuckDB SQL.

    python benchmarks/bench_scale.py generate --chunks 10     # 10 x 10M events (gitignored)
    python benchmarks/bench_scale.py run --chunks 1 3 10      # 10M, 30M, 100M events
    python benchmarks/bench_scale.py clean

Data: chunks of 10 million events built by ``bench_kpis.synthetic_log`` (100k actors, 2,000
communities, two years; 50 % views, 20 % reactions, 10 % posts, 20 % replies), one seed per
chunk, written with pyarrow as Parquet folders ``$CK_SCALE_DATA/cNN/community=…/`` (default
``/tmp/communitykit-scale``: data is generated at run time, never committed).
Parents are global 1-based row numbers with a ``_row`` column (as
:func:`communitykit.io.write_parquet` writes a partitioned log), so every chunk adds events to the
same 2,000 communities and a run over *k* chunks reads *k* folders.

The suite is ``bench_kpis.KPIS`` (MAU, stickiness, Gini of events per person, lurker share,
median time to first response, 90-day retention) per community and month. Dask runs
:func:`communitykit.distributed.compute_distributed` on a ``LocalCluster(n_workers=2,
threads_per_worker=1)``; DuckDB runs ``bench_kpis.SQL`` over a view of the same Parquet files
(2 threads, spilling to ``$CK_SCALE_DATA/duckdb.tmp``). Each run is a fresh process; peak
memory is the maximum resident set (``ru_maxrss``) of the driver and of each worker process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("CK_SCALE_DATA", "/tmp/communitykit-scale"))
CHUNK = 10_000_000


def generate(chunks: int, first: int = 0) -> None:
    """Write chunks *first* .. *chunks* - 1 of 10M events (skipping chunks already written)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    sys.path.insert(0, str(HERE))
    from bench_kpis import synthetic_log

    DATA.mkdir(parents=True, exist_ok=True)
    for i in range(first, chunks):
        folder = DATA / f"c{i:02d}"
        if (folder / "_done").exists():
            continue
        t = time.perf_counter()
        log = synthetic_log(CHUNK, seed=100 + i)
        offset = i * CHUNK
        names = np.array(log.vocabulary.names, dtype=object)
        has = log.parent >= 0
        table = pa.table(
            {
                "time": pa.array(log.time.astype(np.int64), type=pa.int64()).cast(
                    pa.timestamp("s", tz="UTC")
                ),
                "actor": pa.DictionaryArray.from_arrays(
                    pa.array(log.actor), pa.array(log.actors.tolist(), type=pa.string())
                ),
                "community": pa.DictionaryArray.from_arrays(
                    pa.array(log.community), pa.array(log.communities.tolist(), type=pa.string())
                ),
                "action": pa.DictionaryArray.from_arrays(
                    pa.array(log.action.astype(np.int32)), pa.array(names.tolist())
                ),
                "parent": pa.array(log.parent + 1 + offset, type=pa.int64(), mask=~has),
                "_row": pa.array(np.arange(1, len(log) + 1, dtype=np.int64) + offset),
            }
        )
        del log
        # Plain strings, as `write_parquet(partition_by=...)` writes them: each file then
        # stores only the names it uses, not a copy of the whole 100,000-name dictionary.
        for index in (1, 2, 3):
            table = table.set_column(
                index, table.schema.field(index).name, table.column(index).cast(pa.string())
            )
        table = table.sort_by("community")
        if folder.exists():
            shutil.rmtree(folder)
        ds.write_dataset(
            table,
            folder,
            format="parquet",
            partitioning=["community"],
            partitioning_flavor="hive",
            min_rows_per_group=1 << 17,
            max_rows_per_group=1 << 20,
        )
        (folder / "_done").write_text("ok\n")
        print(f"chunk {i}: {CHUNK:,} events in {time.perf_counter() - t:.1f} s", flush=True)


def _folders(chunks: int) -> list[Path]:
    return [DATA / f"c{i:02d}" for i in range(chunks)]


def _source(chunks: int) -> Path:
    """The folder to read: a chunk folder, or a folder of symlinks to the first *chunks*."""
    if chunks == 1:
        return _folders(1)[0]
    view = DATA / f"view{chunks}"
    if view.exists():
        shutil.rmtree(view)
    view.mkdir()
    for folder in _folders(chunks):
        for part in folder.glob("community=*"):
            target = view / part.name
            target.mkdir(exist_ok=True)
            for file in part.iterdir():
                (target / f"{folder.name}-{file.name}").symlink_to(file)
    return view


def _cpu() -> float:
    """CPU seconds (user + system) this process has used so far, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_dask(chunks: int) -> dict[str, object]:
    """Compute the suite with communitykit.distributed on a 2-worker LocalCluster."""
    from distributed import Client, LocalCluster

    sys.path.insert(0, str(HERE))
    from bench_kpis import KPIS

    from communitykit import distributed

    source = _source(chunks)
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit="6GiB",
            dashboard_address=None,
            local_directory=str(DATA / "dask.tmp"),
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        load = os.getloadavg()[0]
        cpu = _cpu() + sum(client.run(_cpu).values())
        t = time.perf_counter()
        frame = distributed.compute_distributed(
            source, KPIS, by="community", period="month", client=client, min_group_size=0
        )
        seconds = time.perf_counter() - t
        cpu = _cpu() + sum(client.run(_cpu).values()) - cpu
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        limits = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
        alive = len(client.scheduler_info()["workers"])
        restarted = sorted(set(pids.values()) ^ set(client.run(os.getpid).values()))
    return {
        "engine": "dask",
        "events": chunks * CHUNK,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load": load,
        "rows": len(frame),
        "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": [v / 1024 for v in workers.values()],
        "worker_limit_mb": [v / 2**20 for v in limits],
        "workers_alive": alive,
        "workers_restarted": len(restarted) // 2,
    }


def run_duckdb(chunks: int) -> dict[str, object]:
    """Compute the suite with DuckDB SQL over the same Parquet files."""
    import duckdb

    sys.path.insert(0, str(HERE))
    from bench_kpis import SQL

    tmp = DATA / "duckdb.tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET memory_limit = '12GB'")
    files = [str(f / "**" / "*.parquet") for f in _folders(chunks)]
    con.execute(
        f"""CREATE VIEW events AS SELECT time, actor, community,
            CASE action WHEN 'view' THEN 0 WHEN 'react' THEN 1 ELSE 2 END AS kind,
            coalesce(parent - 1, -1) AS parent, _row - 1 AS row
        FROM read_parquet({files!r}, hive_partitioning = true)"""
    )
    load = os.getloadavg()[0]
    cpu = _cpu()
    t = time.perf_counter()
    rows = len(con.execute(SQL).fetchall())
    seconds = time.perf_counter() - t
    cpu = _cpu() - cpu
    return {
        "engine": "duckdb",
        "events": chunks * CHUNK,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load": load,
        "rows": rows,
        "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _write(
    rows: list[
        tuple[int, dict[str, dict[str, object]], float, float, list[tuple[dict[str, Any], ...]]]
    ],
    repeat: int,
) -> None:
    """Write the ``## Scale`` section of RESULTS.md from the best runs."""
    import platform

    from _results import write_section  # benchmarks/_results.py

    lines = []
    notes = []
    for chunks, best, before, after, runs in rows:
        dask, duck = best["dask"], best["duckdb"]
        ratio = float(dask["seconds"]) / float(duck["seconds"])  # type: ignore[arg-type]
        workers = " / ".join(f"{v:,.0f}" for v in dask["worker_peak_mb"])  # type: ignore[attr-defined]
        lines.append(
            f"| {chunks * CHUNK:,} | {dask['seconds']:.1f} ({dask['load']:.1f}) | "
            f"{duck['seconds']:.1f} ({duck['load']:.1f}) | **{ratio:.2f}x** | "
            f"{dask['cpu_seconds']:.1f} | {duck['cpu_seconds']:.1f} | {workers} | "
            f"{dask['driver_peak_mb']:,.0f} | {duck['driver_peak_mb']:,.0f} | "
            f"{dask['workers_restarted']} | {before:.1f} / {after:.1f} |"
        )
        pairs = "; ".join(
            f"{d['seconds']:.1f} vs {k['seconds']:.1f} s = {d['seconds'] / k['seconds']:.2f}x "
            f"(load {d['load']:.1f} / {k['load']:.1f})"
            for d, k in runs
        )
        notes.append(f"* Every interleaved pair at {chunks * CHUNK:,} (Dask vs DuckDB): {pairs}.")
    table = "\n".join(lines)
    paired = "\n".join(notes)
    section = f"""## Scale

`python benchmarks/bench_scale.py generate --chunks 1` then `run --chunks 1 --repeat {repeat} --write`
({time.strftime("%Y-%m-%d %H:%M")}, Python {platform.python_version()}; 2 cores shared with
other agents; best of {repeat} interleaved runs, each in a fresh process; the load average
(1 min) when each best run started is in brackets, and at the start / end of each size in the
last column). Data: chunks of 10M events from `bench_kpis.synthetic_log` (100,000 actors, 2,000
communities, two years, 50 % views, 20 % reactions, 10 % posts, 20 % replies), written with
pyarrow as hive folders `community=…/` (2,001 files for 10M) with global `_row`/`parent` row
numbers and plain string columns, as `write_parquet(partition_by="community")` writes them.
Suite: `bench_kpis.KPIS` per community and month. Dask:
`communitykit.distributed.compute_distributed(folder, KPIS, client=...)` on
`LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="6GiB")` (fresh workers each
run); DuckDB: `bench_kpis.SQL` over a `read_parquet` view of the same files (2 threads). CPU =
user + system seconds of the timed call (Dask: driver and both workers). Peak memory =
`ru_maxrss`.

| events | Dask (s) | DuckDB (s) | Dask / DuckDB | Dask CPU (s) | DuckDB CPU (s) | Dask workers' peak RSS (MB) | Dask driver peak (MB) | DuckDB peak RSS (MB) | workers restarted | load avg |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{table}

{paired}
* Goal (issue 17): Dask within 1.5x of DuckDB at 10M events.
* Where the time goes (10M, CPU profile of one 2.5M-event partition of 1,122 files, load 8):
  reading the files 1.0 s (0.7 s in Arrow's `read_row_groups`, about 0.6 ms a file: DuckDB
  reads the same 2,001 files), checking and encoding the columns 0.45 s, resolving parents
  0.6 s, the assembler's finish (parent checks, canonical order) 0.8 s, the KPIs 0.45 s: about
  3.4 s of CPU per partition, four partitions on two workers. The driver reads the 2,001
  footers (0.6-3 s wall depending on the load) and assembles the frame (about 1 s). A fresh
  worker spends 1.4 s of CPU importing the engine and its KPI catalogue before its first
  partition; the workers now do that while the driver reads the footers. Under a load average
  of 8-10 on 2 cores each process gets a fraction of a core, so wall times are 2-5 times the
  CPU times, for DuckDB as for Dask.
* What changed (from 2.3-2.6x): dask read a whole partition before any work to learn the
  columns of its DataFrame (now built only for layouts that need a shuffle); three partitions
  of 4, 4 and 2 million rows left one of the two workers idle for a third of the time (now a
  multiple of the worker threads, equal in rows); parents were searched twice per partition,
  each time through a table as large as the whole log's row range; every file's community
  became a string per row; the canonical sort of a partition (files one community after
  another, so not in time order) was a lexsort of every key (now a sort by time, then only the
  rows that tie on time); the time range came from a datetime per row group; the workers
  fetched the task spec from one another.
* The issue's 4.2x came from files that each stored the whole 100,000-name actor dictionary
  (Arrow decodes every file's dictionary page, about 17 ms of CPU per file, 35 s for 2,000
  files); communitykit's writer stores plain strings per partition file, and so does the
  generator now. Such files still cost that decoding (in Arrow's reader, not in communitykit).
* Tried and not kept: reading a partition's files with one `pyarrow.dataset` scan (slower than
  the per-file loop here: 2.0-2.7 s of CPU against 1.1-1.3 s); reading the actor and action
  columns as dictionaries from the files' dictionary pages and unifying them (saves the
  hashing of every value, but the unification costs as much: 0.97-1.2 s against 1.05-1.12 s
  per partition); glibc's trim threshold that dask's nanny sets (no measurable difference).
* Not done: the assembler's parent checks and canonical order (0.8 s per partition) and the
  KPIs (0.45 s) are shared with the local reader and engine; the per-file cost of Arrow's
  Parquet reader (0.6 ms a file) stays.
"""
    write_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--chunks", type=int, default=10)
    g.add_argument("--first", type=int, default=0, help="first chunk to write (default 0)")
    r = sub.add_parser("run")
    r.add_argument("--chunks", type=int, nargs="+", default=[1, 10])
    r.add_argument("--engines", nargs="+", default=["dask", "duckdb"])
    r.add_argument("--repeat", type=int, default=3, help="interleaved runs; the best is kept")
    r.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    one = sub.add_parser("one")  # one measurement in this (fresh) process
    one.add_argument("engine", choices=["dask", "duckdb"])
    one.add_argument("chunks", type=int)
    sub.add_parser("clean")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.chunks, args.first)
    elif args.command == "one":
        fn = run_dask if args.engine == "dask" else run_duckdb
        print(json.dumps(fn(args.chunks)))
    elif args.command == "run":
        rows = []
        for chunks in args.chunks:
            load_before = os.getloadavg()[0]
            best: dict[str, dict[str, object]] = {}
            runs: list[tuple[dict[str, Any], ...]] = []
            for _ in range(args.repeat):  # interleaved: a busy machine hurts both alike
                pair = []
                for engine in args.engines:
                    out = subprocess.run(
                        [sys.executable, __file__, "one", engine, str(chunks)],
                        check=True,
                        capture_output=True,
                        text=True,
                        env={**os.environ, "PYTHONWARNINGS": "ignore"},
                    )
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    print(json.dumps(result), flush=True)
                    pair.append(result)
                    if engine not in best or result["seconds"] < best[engine]["seconds"]:
                        best[engine] = result
                runs.append(tuple(pair))
            rows.append((chunks, best, load_before, os.getloadavg()[0], runs))
        if args.write and {"dask", "duckdb"} <= set(args.engines):
            _write(rows, args.repeat)
    else:
        shutil.rmtree(DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
