"""
The release run of the reader fuzz suite: many hostile inputs per reader, hangs timed out.

Drives every reader with inputs from ``tests/fuzz/hostile.py`` (the generators the CI-sized
suite ``tests/fuzz/test_fuzz_readers.py`` uses with 12 seeds per format) and counts what
communitykit promises for hostile input: each input ends in a result (rows accounted, times in
the accepted range, no parent cycle, valid Unicode) or in one ``CommunityKitError``; never a
traceback, never a hang (each input gets ``--timeout`` seconds), never a lost row.

Run before a release (about 15 minutes for the default 1,000 seeds per format on 2 cores)::

    python benchmarks/fuzz_readers.py --seeds 1000 --write

``--write`` puts the table into ``benchmarks/RESULTS.md``. The exit status is 1 when any input
broke a promise; each such input is printed with its format and seed, so that
``random.Random(f"{fmt}-{seed}")`` in ``hostile.GENERATORS[fmt]`` replays it.
"""

from __future__ import annotations

import argparse
import collections
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from hostile import GENERATORS, check_promise


class _Hang(Exception):  # noqa: N818 - a signal, not an error of the library
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Hang


def run(seeds: int, timeout: int, formats: list[str], start: int = 0) -> dict[str, Any]:
    """Read *seeds* generated inputs per format; return the counts and the failures."""
    signal.signal(signal.SIGALRM, _alarm)
    counts: dict[str, collections.Counter[str]] = {f: collections.Counter() for f in formats}
    failures: list[str] = []
    began = time.perf_counter()
    for fmt in formats:
        for seed in range(start, start + seeds):
            with tempfile.TemporaryDirectory() as folder:
                path, options = GENERATORS[fmt](random.Random(f"{fmt}-{seed}"), Path(folder))
                signal.alarm(timeout)
                try:
                    outcome, result = check_promise(path, options)
                except _Hang:
                    counts[fmt]["hangs"] += 1
                    failures.append(f"{fmt} seed {seed}: no result after {timeout} s")
                    continue
                except AssertionError as exc:
                    counts[fmt]["rows lost or promise broken"] += 1
                    failures.append(f"{fmt} seed {seed}: {exc}")
                    continue
                except Exception as exc:
                    counts[fmt]["tracebacks"] += 1
                    where = traceback.extract_tb(exc.__traceback__)[-1]
                    failures.append(
                        f"{fmt} seed {seed}: {type(exc).__name__}: {exc} "
                        f"({Path(where.filename).name}:{where.lineno})"
                    )
                    continue
                finally:
                    signal.alarm(0)
                counts[fmt]["inputs"] += 1
                counts[fmt][outcome] += 1
                if result is not None:
                    counts[fmt]["rows read"] += result.rows_read
                    counts[fmt]["rejects"] += len(result.rejects)
                    counts[fmt]["events"] += len(result.events)
    return {"counts": counts, "failures": failures, "seconds": time.perf_counter() - began}


def table(report: dict[str, Any], seeds: int, timeout: int) -> str:
    """The Markdown section for RESULTS.md."""
    counts = report["counts"]
    head = (
        "| reader | inputs | results | clean errors | rows read | events | rejects "
        "| tracebacks | hangs | rows lost |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    total: collections.Counter[str] = collections.Counter()
    lines = []
    for fmt, c in counts.items():
        total.update(c)
        lines.append(_row(fmt, c))
    lines.append(_row("**all**", total))
    return (
        "## Hostile input (reader fuzz, release run)\n\n"
        f"`python benchmarks/fuzz_readers.py --seeds {seeds} --write`: {seeds} generated "
        f"hostile inputs per reader (`tests/fuzz/hostile.py`), each given {timeout} s; "
        f"{report['seconds']:.0f} s in all on 2 cores. A result must account for every row "
        "(`rows_read == events + rejects + skipped`), keep times in 1970 to 2100, hold no parent "
        "cycle and only valid Unicode; anything else but one `CommunityKitError` counts as a "
        "traceback, a hang or a lost row.\n\n" + head + "\n".join(lines) + "\n"
    )


def _row(name: str, c: collections.Counter[str]) -> str:
    inputs = c["inputs"] + c["tracebacks"] + c["hangs"] + c["rows lost or promise broken"]
    return (
        f"| {name} | {inputs:,} | {c['result']:,} | {c['clean error']:,} | {c['rows read']:,} "
        f"| {c['events']:,} | {c['rejects']:,} | {c['tracebacks']} | {c['hangs']} "
        f"| {c['rows lost or promise broken']} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--seeds", type=int, default=1000, help="inputs per reader")
    parser.add_argument("--start", type=int, default=0, help="first seed (CI uses 0-11)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per input")
    parser.add_argument("--formats", default=",".join(sorted(GENERATORS)))
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    report = run(args.seeds, args.timeout, args.formats.split(","), args.start)
    section = table(report, args.seeds, args.timeout)
    print(section)
    for failure in report["failures"]:
        print(failure)
    if args.write:
        from _results import write_section

        print(f"wrote {write_section(section)}")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
