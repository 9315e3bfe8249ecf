"""
``communitykit convert``: turn any supported source into CSV, JSON Lines or (partitioned) Parquet.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from communitykit.cli._common import Subcommands, add_source_arguments, load_source
from communitykit.cli._progress import ProgressBar
from communitykit.errors import ConfigError

__all__ = ["register", "run"]

_FORMATS = ("parquet", "csv", "jsonl")


def register(subparsers: Subcommands) -> None:
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
        nargs="+",
        metavar="FORMAT",
        help=f"output format: {', '.join(_FORMATS)} (default: from --out's suffix); "
        "the old form --to FORMAT OUT still works",
    )
    parser.add_argument(
        "--out", metavar="PATH", help="the file to write (a folder when partitioned)"
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


def _progress(quiet: bool) -> ProgressBar:
    """The rows read so far, on a terminal only (silent when piped or with --quiet)."""
    return ProgressBar(enabled=False) if quiet else ProgressBar()


def _target(args: argparse.Namespace) -> tuple[str, str]:
    """The format and file to write, from ``--to FORMAT --out PATH`` (or the old ``--to F OUT``)."""
    from communitykit.cli._common import FORMAT_SUFFIXES

    to = list(args.to or [])
    if len(to) > 2:
        msg = f"--to takes one FORMAT, not {' '.join(to)!r}; name the file with --out PATH"
        raise ConfigError(msg)
    if len(to) == 2 and args.out and not args.source and not args.demo:
        args.source = to.pop()  # `--to csv SOURCE --out PATH`
    if len(to) == 2:
        if args.out:
            msg = "give the output file once: --to FORMAT --out PATH"
            raise ConfigError(msg)
        print(
            "communitykit: note: --to FORMAT OUT is deprecated; use --to FORMAT --out OUT",
            file=sys.stderr,
        )
        return to[0].lower(), to[1]
    if not args.out or args.out == "-":
        msg = "name the file to write with --out PATH (convert does not write to stdout)"
        raise ConfigError(msg)
    if to:
        return to[0].lower(), args.out
    suffix = FORMAT_SUFFIXES.get(Path(args.out).suffix.lower())
    if suffix not in _FORMATS:
        msg = f"cannot tell the format from --out {args.out!r}; add --to {'|'.join(_FORMATS)}"
        raise ConfigError(msg)
    return str(suffix), args.out


def run(args: argparse.Namespace) -> int:
    """Run ``convert``; return the exit code."""
    from communitykit.io import write_events

    fmt, out = _target(args)
    if fmt not in _FORMATS:
        msg = f"cannot convert to {fmt!r}; expected one of {', '.join(_FORMATS)}"
        raise ConfigError(msg)
    if args.partition_by and fmt != "parquet":
        msg = f"--partition-by works with --to parquet only, not --to {fmt}"
        raise ConfigError(msg)
    bar = _progress(args.quiet)
    try:
        result, _ = load_source(args, progress=bar)
    finally:
        bar.close()
    partition = args.partition_by or None
    written = write_events(
        result.events, out, format=fmt, partition_by=partition, raw_cells=args.raw_cells
    )
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
