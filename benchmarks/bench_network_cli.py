"""
``communitykit network`` end to end on a large log: wall time, CPU time and peak memory.

Generates ``communitykit.datasets.synthetic(2_000_000, n_actors=20_000, ...)`` into a
temporary folder (never committed), then runs the command as a user would -- the default
output and ``--person-level`` -- each in a fresh process, best of ``--repeat``. With
``--baseline REV`` the same commands also run on another commit of the library (checked out
with ``git worktree`` into a temporary folder), in the same run, alternating, so the two are
measured under the same load.

    python benchmarks/bench_network_cli.py [--events 2000000] [--people 20000]
        [--repeat 2] [--baseline 8ee8fc3] [--write]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import communitykit as ck
from communitykit.io import write_parquet

sys.path.insert(0, str(Path(__file__).parent))
from _results import write_section

ROOT = Path(__file__).resolve().parents[1]


def make_data(folder: Path, events: int, people: int) -> tuple[Path, Path]:
    data = ck.datasets.synthetic(events, n_actors=people, n_communities=40, seed=1)
    log_path = write_parquet(data.events, folder / "events.parquet")
    people_path = folder / "people.csv"
    records = data.directory.to_records()
    columns = list(records[0])
    with people_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for row in records:
            writer.writerow(
                {
                    k: ";".join(v) if isinstance(v, tuple) else ("" if v is None else v)
                    for k, v in row.items()
                }
            )
    return log_path, people_path


def run_once(src: Path, args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS in MB of one run (with its worker processes)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "communitykit", "network", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode != 0:
        msg = f"communitykit network {' '.join(args)} failed ({status})"
        raise RuntimeError(msg)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--baseline", help="a git revision to compare with, same run")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ck-network-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        log_path, people_path = make_data(folder, opts.events, opts.people)
        print(f"data: {time.perf_counter() - t0:.1f} s", flush=True)
        versions = {"this commit": ROOT / "src"}
        if opts.baseline:
            tree = folder / "baseline"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "-f",
                    "--detach",
                    str(tree),
                    opts.baseline,
                ],
                check=True,
                capture_output=True,
            )
            versions[f"baseline {opts.baseline}"] = tree / "src"
        outputs = {"default": [], "--person-level": ["--person-level"]}
        results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        loads = [os.getloadavg()[0]]
        try:
            for _ in range(opts.repeat):
                for out_name, extra in outputs.items():
                    for name, src in versions.items():
                        args = [
                            str(log_path),
                            "--directory",
                            str(people_path),
                            *extra,
                            "--to",
                            "json",
                            "--out",
                            str(folder / "out.json"),
                        ]
                        r = run_once(src, args)
                        results.setdefault((out_name, name), []).append(r)
                        print(out_name, name, f"{r[0]:.1f} s wall, {r[1]:.1f} s CPU", flush=True)
                        loads.append(os.getloadavg()[0])
        finally:
            if opts.baseline:
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(ROOT),
                        "worktree",
                        "remove",
                        "--force",
                        str(folder / "baseline"),
                    ],
                    check=False,
                    capture_output=True,
                )
    lines = [
        "## Network command",
        "",
        f"`python benchmarks/bench_network_cli.py --events {opts.events} --people {opts.people} "
        f"--repeat {opts.repeat}" + (f" --baseline {opts.baseline}" if opts.baseline else "") + "`"
        f" (Python {platform.python_version()}, {os.cpu_count()} cores shared with other work; "
        f"load average {min(loads):.1f}-{max(loads):.1f} during the run). Data: "
        f"`communitykit.datasets.synthetic({opts.events:_}, n_actors={opts.people:_}, "
        "n_communities=40, seed=1)` written as Parquet, its directory as CSV; "
        "`communitykit network EVENTS --directory PEOPLE.csv --to json --out FILE`, each run in a "
        "fresh process; best of the runs (wall), CPU = user + system of the process and its "
        "worker processes.",
        "",
        "| output | version | wall (best) | CPU | peak RSS |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for (out_name, name), runs in results.items():
        best = min(runs)
        lines.append(
            f"| {out_name} | {name} | {best[0]:.1f} s | {best[1]:.1f} s | {best[2]:,.0f} MB |"
        )
    text = "\n".join(lines)
    print(text)
    if opts.write:
        write_section(text)


if __name__ == "__main__":
    main()
