"""
Benchmark the synthetic community generator at 1 and 10 million events.

Each size runs in a fresh subprocess so that its peak resident memory is its own.
Usage::

    python benchmarks/bench_synthetic.py            # 1M and 10M, prints a Markdown table
    python benchmarks/bench_synthetic.py --write    # also updates benchmarks/RESULTS.md

The issue's target: 10 million events in under a minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

from _results import write_section  # benchmarks/_results.py

SIZES = (1_000_000, 10_000_000)
SECTION = "## Synthetic data"

CHILD = r"""
import json, resource, sys, time
import numpy as np
from communitykit.datasets import synthetic

n = int(sys.argv[1])
actors, communities = max(2_000, n // 100), max(12, n // 50_000)
t0 = time.perf_counter()
data = synthetic(n, n_actors=actors, n_communities=communities, seed=1)
seconds = time.perf_counter() - t0
log = data.events
core = log.nbytes
print(json.dumps({
    "events": len(log), "actors": actors, "communities": communities,
    "seconds": round(seconds, 2),
    "events_per_second": round(len(log) / seconds),
    "core_bytes_per_event": round(core / len(log), 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def run(n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def table(rows: list[dict[str, float]]) -> str:
    head = (
        "| events | people | communities | seconds | events/s | core bytes/event | peak RSS (MB) |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    body = "".join(
        f"| {r['events']:,} | {r['actors']:,} | {r['communities']} | {r['seconds']:.1f} | "
        f"{r['events_per_second']:,} | {r['core_bytes_per_event']} | {r['peak_rss_mb']:,} |\n"
        for r in rows
    )
    return head + body


def section(rows: list[dict[str, float]]) -> str:
    cpu = os.cpu_count()
    return (
        f"{SECTION}\n\n"
        "`communitykit.datasets.synthetic(n, n_actors=n // 100, n_communities=n // 50_000, "
        "seed=1)`, wall time including the `EventLog` construction (canonical sort) and the "
        "`Directory`; each size in a fresh process "
        f"(`python benchmarks/bench_synthetic.py`, Python {platform.python_version()}, "
        f"{cpu} cores).\n\n"
        f"{table(rows)}\n"
        "Target (issue 2): 10 million events in under a minute on this 2-core machine.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    rows = [run(n) for n in SIZES]
    text = section(rows)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
