"""
``communitykit history``: KPI values and runs from a measurement store.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import Any

from communitykit.cli._common import dump_json

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``history`` subcommand."""
    parser = subparsers.add_parser(
        "history",
        help="show the KPI history (or the runs) kept in a measurement store",
        description=(
            "Read a measurement store (SQLite) and print the stored KPI values — for each KPI, "
            "group and period the value of the latest run — or, with --runs, the runs "
            "themselves, or with --compare A B, how two runs differ."
        ),
    )
    parser.add_argument("--store", required=True, metavar="DB", help="the store file")
    parser.add_argument("--kpi", action="append", metavar="ID", help="only this KPI; repeatable")
    parser.add_argument("--group", action="append", metavar="G", help="only this group; repeatable")
    parser.add_argument("--since", metavar="DATE", help="only periods starting at or after DATE")
    parser.add_argument("--until", metavar="DATE", help="only periods starting before DATE")
    parser.add_argument("--run", metavar="RUN", help="only the values of this run (id or prefix)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--runs", action="store_true", help="list the runs instead of values")
    what.add_argument(
        "--compare", nargs=2, metavar=("A", "B"), help="compare the values of runs A and B"
    )
    parser.add_argument("--max-rows", type=int, default=60, metavar="N", help="rows to print")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the history, the runs or a comparison; return the exit code."""
    from communitykit.store import Store

    with Store(args.store, create=False) as store:
        if args.runs:
            runs = store.runs()
            if args.json:
                dump_json([r.to_mapping() for r in runs])
                return 0
            print(f"{len(runs)} runs in {args.store}")
            for r in runs:
                label = f"  {r.label}" if r.label else ""
                print(
                    f"{r.id[:12]}  as of {r.time}Z  stored {r.stored_at}Z  "
                    f"{r.counts['kpi_values']:,} KPI values{label}"
                )
            return 0
        if args.compare:
            comparison = store.compare(*args.compare)
            if args.json:
                dump_json(
                    {
                        "run_a": comparison.run_a.id,
                        "run_b": comparison.run_b.id,
                        "parameters_changed": comparison.parameters_changed,
                        "inputs_changed": list(comparison.inputs_changed),
                        "versions_changed": comparison.versions_changed,
                        "rows": comparison.to_records(),
                    }
                )
                return 0
            _print_comparison(comparison, args.max_rows)
            return 0
        frame = store.history(
            kpi=args.kpi, group=args.group, since=args.since, until=args.until, run=args.run
        )
        if args.json:
            dump_json(frame.to_records())
        else:
            print(frame.to_table(max_rows=args.max_rows) if len(frame) else "no stored values")
    return 0


def _print_comparison(comparison: Any, max_rows: int) -> None:
    a, b = comparison.run_a, comparison.run_b
    print(f"a = {a.id[:12]} (as of {a.time}Z), b = {b.id[:12]} (as of {b.time}Z)")
    for name, (va, vb) in comparison.parameters_changed.items():
        print(f"parameter {name}: {va!r} -> {vb!r}")
    for name in comparison.inputs_changed:
        print(f"input changed: {name}")
    for name, (va, vb) in comparison.versions_changed.items():
        print(f"version {name}: {va} -> {vb}")
    changed = comparison.changed()
    print(f"{len(comparison):,} values compared, {len(changed):,} changed")
    for r in changed[:max_rows]:
        va = "-" if r["value_a"] is None else f"{r['value_a']:.6g}"
        vb = "-" if r["value_b"] is None else f"{r['value_b']:.6g}"
        print(f"  {r['kpi']}  {r['group']}  {r['period_start'][:10]}  {va} -> {vb}")
