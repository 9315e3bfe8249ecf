"""
Reading 10 million events: communitykit's readers against pyarrow, in the same run.

    python benchmarks/bench_read.py [--rows 10000000] [--data DIR] [--kind suite|simple]
                                    [--repeat 3] [--extras] [--no-write]

``--kind suite`` (the default) reads the issue-17 suite's log (``bench_kpis.synthetic_log``,
with parents as row numbers); ``--kind simple`` generates (once, with numpy and pyarrow) an
event CSV with the columns
``time,actor,community,action`` (200,000 Zipf-distributed actors, 500 communities, two years,
sorted by time with ties) and the same events as Parquet (written by
``communitykit.io.write_events``: typed timestamp and dictionary columns). Every measurement
runs in a fresh process, so peak RSS is that of the measured call alone:

* ``pyarrow.csv.read_csv`` vs ``communitykit.read_events`` (pyarrow fast path), CSV;
* the pure-Python fallback (``engine="python"``) on the first million rows;
* ``pyarrow.parquet.read_table`` (bare, and with the dictionary codes every EventLog needs) vs
  ``read_events`` on two Parquet files: the one ``write_events`` writes and one with plain
  string columns, as other tools write them;
* writing partitioned Parquet (``write_parquet(..., partition_by="community")``).

Figures go into ``benchmarks/RESULTS.md`` under ``## Reading`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from _results import write_section  # benchmarks/_results.py

HERE = Path(__file__).resolve().parent
DATA = {
    "suite": (
        "the issue-17 suite's log (`bench_kpis.synthetic_log`: 100,000 actors, 2,000 "
        "communities, two years, a fifth of the events replies), columns "
        "`time,actor,community,action,parent` (parents as row numbers)"
    ),
    "simple": (
        "columns `time,actor,community,action` (200,000 Zipf-distributed actors, 500 "
        "communities, two years, times sorted with ties)"
    ),
}

# What dominates and what was tried (from profiles of this code; rewrite when the code changes).
NOTES = """\
* How the CSV is read: a UTF-8 file without quotes after its header is cut at line feeds into
  segments (8 MB, then 64 MB); `pyarrow.csv.read_csv` parses each with its threads, `actor`,
  `community`, `action` (and `target`) as dictionary columns, the time as a zoned timestamp,
  while the calling thread checks and encodes the previous segment; parents given as row
  numbers are cast by Arrow a chunk at a time and resolved by subtraction, and the cycle search
  is skipped when every parent is an earlier row. Quoted files and other encodings still go
  through the streaming reader (one parsing thread).
* What dominates (CPU of one 10M read at load 8, `time.thread_time` per thread): pyarrow's
  parse of the segments, about 3.9 s in its threads, as much as pyarrow's own `read_csv` of
  the whole file; then 1.6-1.8 s in the calling thread: `add_chunk` 0.7-0.9 s (coding names
  against the read's dictionary, 0.26 s: Arrow's `index_in` hashes the 100,000 known names
  again for each segment; parents 0.23 s; times, the time range, action codes) and `finish`
  0.65-0.9 s (the `EventLog` checks 0.29 s, joining chunk columns 0.18 s, parent positions
  0.24 s, mostly first touches of the 80 MB parent column). Under this load one reader's wall
  time spreads by up to 1.7x from run to run; the CPU ratio is the steadier figure.
* Tried and left: pyarrow string columns plus `dictionary_encode` afterwards (the same CPU,
  but single-threaded); parents parsed digit by digit in numpy (8x slower than Arrow's take
  and cast); parents typed `int64` in the parse (cheaper, but a reject would print `12` for a
  parent written `012` or `+12`); one `read_csv` over the whole file (the string table of the
  whole file in memory). The segments bound memory: the read peaks at 2.3-2.4x the final
  log (3.8x with the streaming reader). Not handing Arrow's freed memory back to the system
  after each segment saved 0.0-0.6 s CPU in three paired runs, with the same peak (701-807 MB
  either way): adopted after the run in the table.
"""

MEASURE = r"""
import json, os, resource, sys, time
import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import communitykit as ck
from communitykit.io import write_parquet

def rss():
    # VmHWM (peak resident set) of this process; ru_maxrss would survive exec from the parent.
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

import pyarrow.compute, pyarrow.dataset  # warm imports: pyarrow's side has its modules loaded too
import communitykit.io; communitykit.io.readers()
task, path = sys.argv[1], sys.argv[2]
base = rss()
t0 = time.perf_counter()
c0 = time.process_time()  # CPU time of every thread of the process
out = {}
if task == "pyarrow_csv":
    table = pcsv.read_csv(path)
    out["rows"] = table.num_rows
elif task == "ck_csv":
    result = ck.read_events(path)
    out["rows"] = result.rows_read
    out["events"] = len(result.events)
    out["log_bytes"] = int(result.events.nbytes)
elif task == "ck_csv_python":
    result = ck.read_events(path, engine="python")
    out["rows"] = result.rows_read
elif task == "pyarrow_parquet":
    table = pq.read_table(path)
    out["rows"] = table.num_rows
elif task == "pyarrow_parquet_dict":
    # The floor for any EventLog reader: read the table and take dictionary codes of the
    # string columns (encoding them when the file holds plain strings).
    table = pq.read_table(path)
    for name in ("actor", "community", "action", "target"):
        if name not in table.column_names:
            continue
        col = table.column(name)
        if not pa.types.is_dictionary(col.type):
            col = pyarrow.compute.dictionary_encode(col)
        col = col.unify_dictionaries().combine_chunks()
        codes = col.indices.to_numpy(zero_copy_only=False)
        values = col.dictionary.to_pylist()
    out["rows"] = table.num_rows
elif task == "ck_parquet":
    result = ck.read_events(path)
    out["rows"] = result.rows_read
    out["log_bytes"] = int(result.events.nbytes)
elif task == "ck_write_partitioned":
    log = ck.read_events(path).events
    t0 = time.perf_counter()
    c0 = time.process_time()
    write_parquet(log, sys.argv[3], partition_by="community")
    out["rows"] = len(log)
out["seconds"] = time.perf_counter() - t0
out["cpu"] = time.process_time() - c0
out["load"] = os.getloadavg()[0]
out["peak_rss"] = rss()
out["base_rss"] = base
print(json.dumps(out))
"""


def generate_suite(folder: Path, rows: int) -> tuple[Path, Path, Path, Path]:
    """
    The issue-17 suite's log (``bench_kpis.synthetic_log``: 100,000 actors, 2,000 communities,
    replies with parents) as CSV (``time,actor,community,action,parent``, parents as 1-based
    row numbers), its first million rows, the Parquet file ``write_events`` writes, and the
    same events as plain-string Parquet written by pyarrow.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    sys.path.insert(0, str(HERE))
    csv_path = folder / f"suite_{rows}.csv"
    small_path = folder / "suite_1000000.csv"
    parquet_path = folder / f"suite_{rows}.parquet"
    plain_path = folder / f"suite_{rows}_strings.parquet"
    if all(p.exists() for p in (csv_path, small_path, parquet_path, plain_path)):
        return csv_path, small_path, parquet_path, plain_path
    from bench_kpis import synthetic_log

    from communitykit.io import write_events

    log = synthetic_log(rows)
    write_events(log, parquet_path)
    has = log.parent >= 0
    names = np.array(log.vocabulary.names, dtype=object)
    times = np.char.add(np.datetime_as_string(log.time, unit="s"), "Z")
    table = pa.table(
        {
            "time": pa.array(times),
            "actor": pa.DictionaryArray.from_arrays(
                pa.array(log.actor), pa.array(log.actors.tolist())
            ).cast(pa.string()),
            "community": pa.DictionaryArray.from_arrays(
                pa.array(log.community), pa.array(log.communities.tolist())
            ).cast(pa.string()),
            "action": pa.DictionaryArray.from_arrays(
                pa.array(log.action.astype(np.int32)), pa.array(names.tolist())
            ).cast(pa.string()),
            "parent": pa.array(log.parent + 1, type=pa.int64(), mask=~has),
        }
    )
    del log
    options = pcsv.WriteOptions(quoting_style="none")
    pcsv.write_csv(table, csv_path, write_options=options)
    pcsv.write_csv(table.slice(0, min(rows, 1_000_000)), small_path, write_options=options)
    pq.write_table(pcsv.read_csv(csv_path), plain_path)
    return csv_path, small_path, parquet_path, plain_path


def generate(folder: Path, rows: int) -> tuple[Path, Path, Path, Path]:
    """Write the benchmark CSV, its first million rows and the two Parquet files (if absent)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    csv_path = folder / f"events_{rows}.csv"
    small_path = folder / "events_1000000.csv"
    parquet_path = folder / f"events_{rows}.parquet"
    if not csv_path.exists():
        rng = np.random.default_rng(1)
        start = np.datetime64("2022-01-01T00:00:00", "s").astype(np.int64)
        seconds = np.sort(rng.integers(start, start + 2 * 365 * 86_400, rows))
        times = np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s"), "Z")
        actors = pa.array([f"user{i:06d}" for i in range(200_000)])
        communities = pa.array([f"community-{i:03d}" for i in range(500)])
        actions = pa.array(["view", "post", "reply", "like", "comment"])
        zipf = np.minimum(rng.zipf(1.6, rows) - 1, 199_999).astype(np.int32)
        table = pa.table(
            {
                "time": pa.array(times),
                "actor": pa.DictionaryArray.from_arrays(zipf, actors).cast(pa.string()),
                "community": pa.DictionaryArray.from_arrays(
                    rng.integers(0, 500, rows).astype(np.int32), communities
                ).cast(pa.string()),
                "action": pa.DictionaryArray.from_arrays(
                    rng.choice(5, rows, p=[0.6, 0.1, 0.1, 0.15, 0.05]).astype(np.int32), actions
                ).cast(pa.string()),
            }
        )
        options = pcsv.WriteOptions(quoting_style="none")
        pcsv.write_csv(table, csv_path, write_options=options)
        pcsv.write_csv(table.slice(0, min(rows, 1_000_000)), small_path, write_options=options)
    if not parquet_path.exists():
        import communitykit as ck
        from communitykit.io import write_events

        write_events(ck.read_events(csv_path).events, parquet_path)
    plain_path = folder / f"events_{rows}_strings.parquet"
    if not plain_path.exists():
        # The same events as another tool writes them: plain string columns, as read by
        # pyarrow's CSV reader (times become timestamp[s, UTC]).
        import pyarrow.parquet as pq

        pq.write_table(pcsv.read_csv(csv_path), plain_path)
    return csv_path, small_path, parquet_path, plain_path


def measure(task: str, *args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, task, *args], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/communitykit-bench"))
    parser.add_argument("--no-write", action="store_true", help="print, do not edit RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each compared reader")
    parser.add_argument(
        "--extras",
        action="store_true",
        help="also time the Python CSV reader (1M rows) and a partitioned write, once each",
    )
    parser.add_argument(
        "--kind",
        choices=["suite", "simple"],
        default="suite",
        help="suite: the issue-17 log with parents (default); simple: four columns, no parents",
    )
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    make = generate_suite if args.kind == "suite" else generate
    csv_path, small_path, parquet_path, plain_path = make(args.data, args.rows)
    load_before = os.getloadavg()[0]

    # The compared pairs run interleaved, best of --repeat, so a busy machine hurts both alike.
    pairs = [
        ("pyarrow_csv", "pyarrow_csv", csv_path),
        ("ck_csv", "ck_csv", csv_path),
        ("pyarrow_parquet", "pyarrow_parquet", parquet_path),
        ("pyarrow_parquet_dict", "pyarrow_parquet_dict", parquet_path),
        ("ck_parquet", "ck_parquet", parquet_path),
        ("pyarrow_strings", "pyarrow_parquet", plain_path),
        ("pyarrow_strings_dict", "pyarrow_parquet_dict", plain_path),
        ("ck_strings", "ck_parquet", plain_path),
    ]
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in pairs}
    for _ in range(args.repeat):
        for label, task, path in pairs:
            runs[label].append(measure(task, str(path)))
    results = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    cpu = {name: min(x["cpu"] for x in r) for name, r in runs.items()}
    if args.extras:
        results["ck_csv_python"] = measure("ck_csv_python", str(small_path))
        results["ck_write_partitioned"] = measure(
            "ck_write_partitioned", str(parquet_path), str(args.data / "lake")
        )
    for name, r in results.items():
        print(
            f"{name:22s} {r['seconds']:7.2f} s  CPU {r['cpu']:6.2f} s  load {r['load']:4.1f}  "
            f"peak RSS {mb(r['peak_rss'])} MB  rows {r['rows']:,}"
        )
    for name, r in runs.items():
        print(name, " ".join(f"{x['seconds']:.2f}s/{x['cpu']:.2f}cpu@{x['load']:.1f}" for x in r))

    load_after = os.getloadavg()[0]
    csv_ratio = results["ck_csv"]["seconds"] / results["pyarrow_csv"]["seconds"]
    csv_cpu = cpu["ck_csv"] / cpu["pyarrow_csv"]
    load_text = f"load average {load_before:.1f} at the start, {load_after:.1f} at the end"
    pq_ratio = results["ck_parquet"]["seconds"] / results["pyarrow_parquet"]["seconds"]
    pq_fair = results["ck_parquet"]["seconds"] / results["pyarrow_parquet_dict"]["seconds"]
    pq_cpu = cpu["ck_parquet"] / cpu["pyarrow_parquet_dict"]
    st_ratio = results["ck_strings"]["seconds"] / results["pyarrow_strings"]["seconds"]
    st_fair = results["ck_strings"]["seconds"] / results["pyarrow_strings_dict"]["seconds"]
    log_bytes = results["ck_csv"]["log_bytes"]
    mem_ratio = (results["ck_csv"]["peak_rss"] - results["ck_csv"]["base_rss"]) / log_bytes
    rows = args.rows
    size = csv_path.stat().st_size

    def line(what: str, key: str, base: str | None) -> str:
        r = results[key]
        vs = "-" if base is None else "1.00"
        if base is not None and base != key:
            vs = f"{r['seconds'] / results[base]['seconds']:.2f}"
            vs += f" (CPU {cpu[key] / cpu[base]:.2f})"
        return (
            f"| {what} | {r['seconds']:.2f} | {cpu.get(key, r['cpu']):.2f} | {r['load']:.1f} | "
            f"{r['rows'] / r['seconds']:,.0f} | {mb(r['peak_rss'])} | {vs} |\n"
        )

    table = (
        line("`pyarrow.csv.read_csv`", "pyarrow_csv", "pyarrow_csv")
        + line("`read_events` CSV (pyarrow fast path)", "ck_csv", "pyarrow_csv")
        + line("`pyarrow.parquet.read_table`, communitykit file", "pyarrow_parquet", None)
        + line("`read_table` + dictionary codes, communitykit file", "pyarrow_parquet_dict", None)
        + line("`read_events` Parquet, communitykit file", "ck_parquet", "pyarrow_parquet")
        + line("`pyarrow.parquet.read_table`, string columns", "pyarrow_strings", "pyarrow_strings")
        + line("`read_table` + `dictionary_encode`, string columns", "pyarrow_strings_dict", None)
        + line("`read_events` Parquet, string columns", "ck_strings", "pyarrow_strings")
    )
    if args.extras:
        table += line(
            '`read_events` CSV, `engine="python"`, first 1,000,000 rows', "ck_csv_python", None
        )
        table += line('`write_parquet(partition_by="community")`', "ck_write_partitioned", None)
    section = f"""## Reading

`python benchmarks/bench_read.py` ({time.strftime("%Y-%m-%d")}, Python {platform.python_version()},
{platform.machine()}, 2 cores shared with other work: {load_text}, so absolute times are slow and
noisy; every reader ran {args.repeat} times, interleaved, each time in a fresh process; seconds are
the best wall time, CPU the best `time.process_time()` (all threads), load the load average at
the end of the best run; ratios are taken within this run).
Data: {rows:,} events, {DATA[args.kind]} ({mb(size)} MB CSV), and the
same events as Parquet twice: written by `communitykit.io.write_events` (timestamp and dictionary
columns, the "communitykit file") and by `pyarrow.parquet.write_table` from pyarrow's CSV reader
(plain string columns, as other tools write them).

| what | seconds | CPU s | load | rows/s | peak RSS (MB) | ratio (wall, CPU) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{table}
* Targets (issue 17): CSV within 1.3x of `pyarrow.csv.read_csv` — measured **{csv_ratio:.2f}x**
  wall, **{csv_cpu:.2f}x** CPU; Parquet within 1.5x of `pyarrow.parquet.read_table` plus the
  dictionary encoding an EventLog needs (dictionary codes of `actor`, `community`, `action` and
  `target`, encoded with `pyarrow.compute.dictionary_encode` when the file holds plain strings)
  — measured **{pq_fair:.2f}x** ({pq_cpu:.2f}x CPU) on the file `write_events` wrote (dictionary
  columns, **{pq_ratio:.2f}x** of the bare `read_table`) and **{st_fair:.2f}x** on the same events
  with plain string columns (**{st_ratio:.2f}x** of the bare `read_table`).
* Memory (issue 2): the final EventLog holds {log_bytes / rows:.1f} bytes per event in its core
  columns ({mb(log_bytes)} MB); reading the CSV peaked at {mb(results["ck_csv"]["peak_rss"] - results["ck_csv"]["base_rss"])} MB above the
  process's start, **{mem_ratio:.1f}x** the final log (target: about 3x).
* `read_events` times include every check (times, empty actors, actions), the dictionary
  encoding and the `EventLog` construction (the canonical order: a linear check, and a sort of
  the rows that tie on time when they are out of order, as in the CSV and the string file).
* Times vary from run to run on this shared virtual machine (first touches of fresh memory
  cost from 12 to 170 ms per 80 MB); the figures are the best of the interleaved runs.
{NOTES}"""
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
