"""
``communitykit inspect``: what a source holds, and what was rejected.

After the summary comes the count audit (:func:`communitykit.io.audit`):
raw items → events → people, with merged accounts, bots, staff, skipped items by reason and
rejects; ``--json`` adds it under ``audit``. E-mail addresses are never printed.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from communitykit.cli._boundary import cli_words
from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    add_source_arguments,
    dump_json,
    load_source,
    wants_json,
)

if TYPE_CHECKING:
    from communitykit.io import Audit

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
    """Add the ``inspect`` subcommand."""
    parser = subparsers.add_parser(
        "inspect",
        help="summarise an event source: rows read, rejects, actors, communities, time span",
        description=(
            "Read an event source (CSV, JSON Lines, Parquet, a git repository …) and print "
            "how many rows were read and rejected, the actors, communities, first and last "
            "time and the action mix."
        ),
    )
    add_source_arguments(parser)
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def _inspect(args: argparse.Namespace) -> tuple[dict[str, Any], Audit]:
    """The summary (with a JSON-ready ``audit`` key) and the count audit of the source."""
    from communitykit.io import audit
    from communitykit.people.identities import identities_from, resolve
    from communitykit.privacy import mask_emails

    result, directory = load_source(args)
    log = result.events
    info = log.summary()
    out: dict[str, object] = {
        "source": result.source,
        "rows_read": result.rows_read,
        "events": info["events"],
        "rejected": len(result.rejects),
        "skipped": dict(result.skipped),
        "kept": dict(result.kept),
        "actors": info["actors"],
        "communities": info["communities"],
        "first": info["first"],
        "last": info["last"],
        "actions": info["actions"],
        "kinds": info["kinds"],
        "people": None if directory is None else len(directory),
        "first_rejects": [cli_words(str(r)) for r in result.rejects[:5]],
    }
    identities = identities_from(result)
    if result.directory is None and directory is not None:  # --demo: roles from its directory
        label = identities[0].source if identities else None
        identities += identities_from(directory, source=label)
    report = audit(result, resolve(identities))
    out["audit"] = mask_emails(report.to_mapping())
    return out, report


def _text(info: dict[str, Any]) -> str:
    lines = [
        f"source       {info['source']}",
        f"rows read    {info['rows_read']:,}",
        f"events       {info['events']:,}",
        f"rejected     {info['rejected']:,}",
    ]
    for reason, count in info["skipped"].items():
        lines.append(f"skipped      {count:,} ({reason})")
    for reason, count in info["kept"].items():
        lines.append(f"kept         {count:,} ({reason}, among the events)")
    lines += [
        f"actors       {info['actors']:,}",
        f"communities  {info['communities']:,}",
        f"first        {info['first'] or '-'}",
        f"last         {info['last'] or '-'}",
    ]
    if info["people"] is not None:
        lines.append(f"people       {info['people']:,}")
    mix = sorted(info["actions"].items(), key=lambda kv: (-kv[1], kv[0]))
    if mix:
        lines.append("actions      " + ", ".join(f"{name} {count:,}" for name, count in mix))
    for reject in info["first_rejects"]:
        lines.append(f"  rejected: {reject}")
    more = info["rejected"] - len(info["first_rejects"])
    if more > 0:
        lines.append(f"  ... and {more:,} more (write them all with --rejects FILE)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``inspect``; return the exit code."""
    from communitykit.io import format_audit

    info, report = _inspect(args)
    if wants_json(args):
        dump_json(info, kind="inspect")
    else:
        print(_text(info))
        print()
        print(cli_words(format_audit(report)))
    return 0
