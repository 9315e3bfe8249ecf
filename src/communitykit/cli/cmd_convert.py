"""
``communitykit convert``: turn any supported source into CSV, JSON Lines or (partitioned) Parquet.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from communitykit.cli._common import add_source_arguments, load_source, parse_assignments
from communitykit.errors import ConfigError

__all__ = ["register", "run"]

_FORMATS = ("parquet", "csv", "jsonl")


def register(subparsers: Any) -> None:
    """Add the ``convert`` subcommand."""
    parser = subparsers.add_parser(
        "convert",
        help="convert an event source to Parquet (a data lake), CSV or JSON Lines",
        description=(
            "Read SOURCE with every check of `inspect` and write the accepted events to OUT. "
            "Prints the count audit: rows read = events + rejected + skipped."
        ),
    )
    add_source_arguments(parser)
    parser.add_argument(
        "--to",
        dest="to",
        nargs=2,
        required=True,
        metavar=("FORMAT", "OUT"),
        help=f"output format ({', '.join(_FORMATS)}) and file (a folder when partitioned)",
    )
    parser.add_argument(
        "--partition-by",
        dest="partition_by",
        action="append",
        metavar="COLUMN",
        help="Parquet only: write a hive-partitioned folder, e.g. --partition-by community",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.set_defaults(func=run)


def _progress(quiet: bool) -> Any:
    if quiet:
        return None
    last = [time.monotonic()]

    def report(rows: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0:
            last[0] = now
            print(f"communitykit: read {rows:,} rows ...", file=sys.stderr)

    return report


def run(args: argparse.Namespace) -> int:
    """Run ``convert``; return the exit code."""
    from communitykit.io import read_events, write_events

    fmt, out = args.to
    if fmt not in _FORMATS:
        msg = f"cannot convert to {fmt!r}; expected one of {', '.join(_FORMATS)}"
        raise ConfigError(msg)
    if args.partition_by and fmt != "parquet":
        msg = f"--partition-by works with --to parquet only, not --to {fmt}"
        raise ConfigError(msg)
    if args.demo or not args.source:
        result, _ = load_source(args)
    else:
        mapping = parse_assignments(args.map, "--map")
        options: dict[str, Any] = parse_assignments(args.option, "--option")
        result = read_events(
            args.source,
            format=args.fmt,
            mapping=mapping or None,
            tz=args.tz,
            progress=_progress(args.quiet),
            **options,
        )
        if args.rejects:
            result.write_rejects(args.rejects)
        if args.strict:
            result.raise_if_rejects()
    partition = args.partition_by or None
    written = write_events(result.events, out, format=fmt, partition_by=partition)
    skipped = sum(result.skipped.values())
    print(
        f"read {result.rows_read:,} rows = {len(result.events):,} events + "
        f"{len(result.rejects):,} rejected + {skipped:,} skipped; "
        f"wrote {len(result.events):,} events to {written}"
        + (f" (partitioned by {', '.join(partition)})" if partition else "")
    )
    if result.rejects and not args.rejects:
        print(
            f"communitykit: {len(result.rejects):,} rows rejected; see them with --rejects FILE",
            file=sys.stderr,
        )
    return 0
