"""
``communitykit pseudonymise``: write a copy of a source with keyed pseudonyms for people.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from communitykit.cli._common import Subcommands, add_source_arguments, load_directory, load_source
from communitykit.errors import ConfigError

__all__ = ["register", "run"]

_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl"}


def register(subparsers: Subcommands) -> None:
    """Add the ``pseudonymise`` subcommand."""
    parser = subparsers.add_parser(
        "pseudonymise",
        help="write a pseudonymised copy (CSV or Parquet) of a source and its directory",
        description=(
            "Replace person ids, names and e-mail addresses by keyed hashes (HMAC-SHA-256) "
            "consistently in the events and the directory, and write both. The same key gives "
            "the same pseudonyms, so runs stay comparable; keep the key file away from the data."
        ),
    )
    add_source_arguments(parser)
    parser.add_argument(
        "--key-file",
        required=True,
        metavar="FILE",
        help="file holding the secret key (>= 16 bytes)",
    )
    parser.add_argument(
        "--out", required=True, metavar="PATH", help="output file: .csv, .parquet or .jsonl"
    )
    parser.add_argument(
        "--to",
        choices=sorted(set(_SUFFIXES.values())),
        metavar="FORMAT",
        help="output format: csv, jsonl or parquet (default: from --out's suffix)",
    )
    parser.add_argument(
        "--directory", metavar="FILE", help="directory CSV to pseudonymise along with the events"
    )
    parser.add_argument(
        "--hash-org-units", action="store_true", help="replace org units by pseudonyms too"
    )
    parser.add_argument("--drop-affiliations", action="store_true", help="leave affiliations out")
    parser.add_argument(
        "--length", type=int, default=16, metavar="N", help="hex digits per pseudonym (8-64)"
    )
    parser.add_argument(
        "--communities",
        choices=["people", "all", "keep"],
        default="people",
        help="hash community names that embed people, such as Slack group DMs (people, the "
        "default), every community name (all) or none (keep)",
    )
    parser.set_defaults(func=run)


def read_key(path: str) -> bytes:
    """Return the key in *path* (:func:`communitykit.privacy.read_key`, the one key reader)."""
    from communitykit.privacy import read_key as read

    return read(path)


def directory_path(out: Path) -> Path:
    """Return where the directory of *out* is written: ``<stem>.directory.csv`` beside it."""
    return out.with_name(f"{out.stem}.directory.csv")


def run(args: argparse.Namespace) -> int:
    """Pseudonymise and write (see ``communitykit pseudonymise --help``)."""
    from communitykit.io import write_events
    from communitykit.privacy import pseudonymise

    out = Path(args.out)
    fmt = args.to or _SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        msg = f"--out {args.out!r}: expected a .csv, .parquet or .jsonl file (or give --to)"
        raise ConfigError(msg)
    key = read_key(args.key_file)
    result, demo_directory = load_source(args)
    directory = load_directory(
        args.directory, result.directory or demo_directory, events=result.events
    )
    log, safe = pseudonymise(
        result.events,
        directory,
        key=key,
        keep_org_units=not args.hash_org_units,
        keep_affiliations=not args.drop_affiliations,
        length=args.length,
        communities=args.communities,
    )
    written = write_events(log, out, format=fmt)
    message = f"wrote {len(log):,} events by {len(log.actors):,} pseudonymised people to {written}"
    if safe is not None:
        target = directory_path(out)
        records = safe.to_records()
        from communitykit._files import atomic_path

        with atomic_path(target) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(records[0]) if records else ["person"])
            writer.writeheader()
            writer.writerows(records)
        message += f", and {len(safe):,} people to {target}"
    print(message)
    return 0
