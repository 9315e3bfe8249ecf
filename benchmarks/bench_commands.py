"""
`communitykit compute --all` and `communitykit report` on 10M events (issue 17): wall time, CPU
time and peak memory of each command in a fresh process.

    python benchmarks/bench_commands.py                    # 10M events, once
    python benchmarks/bench_commands.py --events 2000000 --repeat 2

The events are generated at run time with ``communitykit.datasets.synthetic(n,
n_actors=n // 100, n_communities=n // 50_000, seed=1)`` and written to a temporary Parquet file
with ``write_events`` (never committed). Each command runs under ``/usr/bin/time``-like
accounting (``resource.getrusage`` of the child): wall seconds, user + system CPU seconds and the
peak resident set. On a machine shared with other work the wall time follows the load; the CPU
time is what the command itself spent (both are printed, with the load average).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "read_events": [
        sys.executable,
        "-c",
        "import sys; from communitykit.io import read_events; read_events(sys.argv[1])",
        "{src}",
    ],
    "compute --all": [
        sys.executable,
        "-m",
        "communitykit",
        "compute",
        "{src}",
        "--all",
        "--out",
        "{out}/all.csv",
    ],
    "report": [sys.executable, "-m", "communitykit", "report", "{src}", "--out", "{out}/r.html"],
}


def make_events(n: int, path: Path) -> None:
    """Write the synthetic events to *path* (Parquet)."""
    from communitykit.datasets import synthetic
    from communitykit.io import write_events

    data = synthetic(n, n_actors=n // 100, n_communities=max(n // 50_000, 1), seed=1)
    write_events(data.events, path)


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Run *cmd*; return wall seconds, CPU seconds (user + system) and peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "events.parquet"
        make_events(args.events, src)
        print(f"{args.events:,} events, {src.stat().st_size / 1e6:.0f} MB Parquet")
        print("| command | wall (s) | CPU user+sys (s) | peak RSS (MB) | load avg |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, template in COMMANDS.items():
            cmd = [part.format(src=src, out=tmp) for part in template]
            best = min((run(cmd) for _ in range(args.repeat)), key=lambda r: r[0])
            wall, cpu, rss = best
            print(
                f"| `{name}` | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
