"""
``communitykit history``: KPI values and runs from a measurement store.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    emit,
    json_text,
    max_rows_argument,
    output_format,
    shown_rows,
)

if TYPE_CHECKING:
    from communitykit.store import RunComparison

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
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
    max_rows_argument(parser, 60)
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the history, the runs or a comparison; return the exit code."""
    from communitykit.store import Store

    json_out = output_format(args) == "json"
    with Store.open(args.store, create=False) as store:
        if args.runs:
            runs = store.runs()
            if json_out:
                emit(
                    args,
                    json_text([r.to_mapping() for r in runs], kind="history.runs", key="runs"),
                )
                return 0
            lines = [f"{len(runs)} runs in {args.store}"]
            for r in runs:
                label = f"  {r.label}" if r.label else ""
                lines.append(
                    f"{r.id[:12]}  as of {r.time}Z  stored {r.stored_at}Z  "
                    f"{r.counts['kpi_values']:,} KPI values{label}"
                )
            emit(args, "\n".join(lines))
            return 0
        if args.compare:
            comparison = store.compare(*args.compare)
            if json_out:
                emit(
                    args,
                    json_text(
                        {
                            "run_a": comparison.run_a.id,
                            "run_b": comparison.run_b.id,
                            "parameters_changed": comparison.parameters_changed,
                            "inputs_changed": list(comparison.inputs_changed),
                            "versions_changed": comparison.versions_changed,
                            "rows": comparison.to_records(),
                        },
                        kind="history.comparison",
                    ),
                )
                return 0
            emit(args, _comparison_text(args, comparison))
            return 0
        frame = store.history(
            kpi=args.kpi, group=args.group, since=args.since, until=args.until, run=args.run
        )
        if json_out:
            emit(args, json_text(frame.to_records(), kind="history", key="rows"))
        elif not len(frame):
            emit(args, "no stored values")
        else:
            to_file = bool(args.out) and args.out != "-"
            emit(args, frame.to_table(max_rows=shown_rows(args, len(frame), all_rows=to_file)))
    return 0


def _comparison_text(args: argparse.Namespace, comparison: RunComparison) -> str:
    a, b = comparison.run_a, comparison.run_b
    lines = [f"a = {a.id[:12]} (as of {a.time}Z), b = {b.id[:12]} (as of {b.time}Z)"]
    for name, (va, vb) in comparison.parameters_changed.items():
        lines.append(f"parameter {name}: {va!r} -> {vb!r}")
    lines.extend(f"input changed: {name}" for name in comparison.inputs_changed)
    for name, (va, vb) in comparison.versions_changed.items():
        lines.append(f"version {name}: {va} -> {vb}")
    changed = comparison.changed()
    lines.append(f"{len(comparison):,} values compared, {len(changed):,} changed")
    to_file = bool(args.out) and args.out != "-"
    limit = shown_rows(args, len(changed), all_rows=to_file)
    for r in changed[:limit]:
        va = "-" if r["value_a"] is None else f"{r['value_a']:.6g}"
        vb = "-" if r["value_b"] is None else f"{r['value_b']:.6g}"
        lines.append(f"  {r['kpi']}  {r['group']}  {r['period_start'][:10]}  {va} -> {vb}")
    if limit < len(changed):
        lines.append(f"  … {len(changed) - limit:,} more changed values (--max-rows 0 shows all)")
    return "\n".join(lines)
