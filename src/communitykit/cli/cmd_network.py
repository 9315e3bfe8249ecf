r"""
``communitykit network``: the dual operating system and its ONA measures.

Whole-network and per-group measures are printed by default (groups below
``--min-group-size`` people suppressed). Per-person measures and the list of top brokers are
person-level output and appear only with ``--person-level`` (:mod:`communitykit.privacy`); e-mail
addresses are masked (``a***@example.org``) unless ``--show-emails`` is given.

Examples
--------
>>> import tempfile, pathlib
>>> from communitykit.cli import main
>>> edges = pathlib.Path(tempfile.mkdtemp()) / "edges.csv"
>>> _ = edges.write_text("source,target\nana@example.org,bo@example.org\n", encoding="utf-8")
>>> main(["network", "--edges", str(edges)])  # doctest: +ELLIPSIS
Whole network
...
person-level output is off: add --person-level to list per-person measures and top brokers
0
>>> main(["network", "--edges", str(edges), "--person-level"])  # doctest: +ELLIPSIS
Whole network
...
Top brokers (betweenness)
  a***@example.org         0.000
  b***@example.org         0.000
0

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communitykit._files import text_encoding
from communitykit._limits import BETWEENNESS_SAMPLE, EXACT_LIMIT
from communitykit.cli._common import (
    Subcommands,
    _Deprecated,
    add_min_group_size_argument,
    add_output_arguments,
    add_source_arguments,
    dump_json,
    load_directory,
    load_source,
    wants_json,
)
from communitykit.cli._progress import ProgressBar
from communitykit.errors import ConfigError, DataError
from communitykit.privacy import mask_emails

if TYPE_CHECKING:
    from communitykit.network import DualOS
    from communitykit.people import Directory
    from communitykit.typing import Progress

__all__ = ["register", "run"]

_DRAW_MAX_PEOPLE = 150
"""Up to this many people ``--draw`` draws person by person (else org units)."""


def register(subparsers: Subcommands) -> None:
    """Add the ``network`` subcommand."""
    parser = subparsers.add_parser(
        "network",
        help="the dual operating system: whole-network, per-group and per-person ONA measures",
        description=(
            "Build the interaction network from an event source (replies, mentions, reactions) "
            "or an edge list, lay it beside the hierarchy of a people directory, and print the "
            "whole-network measures, the measures per group (E-I index, density) and the top "
            "brokers."
        ),
    )
    add_source_arguments(parser, required=False)
    parser.add_argument("--edges", metavar="EDGES.csv", help="an edge list instead of SOURCE")
    parser.add_argument("--nodes", metavar="NODES.csv", help="node table for --edges")
    parser.add_argument(
        "--self-loops",
        choices=["raise", "drop"],
        help="for --edges: a row from a person to themselves is an error (raise, the default) "
        "or is skipped (drop)",
    )
    parser.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    parser.add_argument(
        "--by",
        dest="group",
        metavar="ATTRIBUTE",
        help="person attribute that forms the groups (default: org_unit)",
    )
    parser.add_argument(
        "--group",
        dest="group",
        action=_Deprecated,
        nargs=None,
        convert=str,
        instead="--by ATTRIBUTE",
        help=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--coalition", metavar="FILE", help="guiding coalition: one person id per line"
    )
    parser.add_argument(
        "--engine",
        default="auto",
        choices=["auto", "networkx", "igraph"],
        help="graph engine for betweenness, closeness and communities (default: auto)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed")
    parser.add_argument(
        "--sample",
        type=_positive_int,
        metavar="K",
        help=(
            f"estimate betweenness from K sources (default: exact up to {EXACT_LIMIT:,} "
            f"people, else {BETWEENNESS_SAMPLE:,} sources)"
        ),
    )
    parser.add_argument(
        "--depth",
        type=_positive_int,
        metavar="N",
        help="cut path-like groups ('Sales/EMEA/Team A') to their first N parts",
    )
    add_min_group_size_argument(parser)
    parser.add_argument(
        "--top", type=_positive_int, default=10, metavar="N", help="brokers to list"
    )
    parser.add_argument(
        "--person-level",
        action="store_true",
        help="show per-person measures and the top brokers (off by default: person-level "
        "output is opt-in)",
    )
    parser.add_argument(
        "--show-emails",
        action="store_true",
        help="show e-mail addresses unmasked (default: a***@example.org)",
    )
    add_output_arguments(parser, ("text", "json"))
    parser.add_argument("--draw", metavar="FILE.svg", help="draw the dual operating system")
    parser.set_defaults(func=run)


def _positive_int(text: str) -> int:
    """Parse an integer of 1 or more (argparse turns the error into exit code 2)."""
    try:
        value = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 1:
        msg = f"{value} is too small; expected 1 or more"
        raise argparse.ArgumentTypeError(msg)
    return value


def run(args: argparse.Namespace) -> int:
    """Build the dual operating system, measure it and print the results."""
    if args.draw:
        from communitykit.network import drawing_format

        drawing_format(args.draw)  # a bad suffix fails before any work
    progress = ProgressBar()
    try:
        dos = _build(args, progress)
        payload = _measure_checked(dos, args, progress)
    finally:
        progress.close()
    if not args.show_emails:
        payload = {key: mask_emails(value) for key, value in payload.items()}  # fixed keys
    if args.draw:
        from communitykit.network import draw_dual_os

        # the people view writes names beside people: person-level output, e-mails masked
        people_view = len(dos.people) <= _DRAW_MAX_PEOPLE
        labels = None if args.person_level or not people_view else False
        draw_dual_os(
            dos,
            args.draw,
            seed=args.seed,
            labels=labels,
            mask_emails=not args.show_emails,
            max_people=_DRAW_MAX_PEOPLE,
        )
    if wants_json(args):
        dump_json(payload, kind="network")
    else:
        _print_text(payload, top=args.top, group=_group_name(args), person_level=args.person_level)
    if args.draw and not wants_json(args):
        print(f"\ndrawing written to {args.draw}")
    return 0


def _group_name(args: argparse.Namespace) -> str:
    """The person attribute that forms the groups."""
    return str(args.group or "org_unit")


def _measure_checked(dos: DualOS, args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    if not dos.people:
        msg = "no people found: the source has no replies, mentions or reactions between people"
        raise DataError(msg)
    group = _group_name(args)
    if args.group is not None and args.group not in dos.attribute_names():
        known = ", ".join(dos.attribute_names()) or "(none)"
        msg = f"--by {args.group!r}: no person has this attribute; person attributes: {known}"
        raise ConfigError(msg)
    from communitykit.network import measure

    payload = measure(
        dos,
        by=group,
        engine=args.engine,
        seed=args.seed,
        sample=args.sample,
        depth=args.depth,
        min_group_size=args.min_group_size,
        person_level=args.person_level,
        progress=progress,
    )
    if not args.person_level:
        payload["nodes"] = {}
    return payload


def _build(args: argparse.Namespace, progress: Progress) -> DualOS:
    from communitykit.network import DualOS

    if args.edges and (args.source or args.demo):
        msg = "give either SOURCE (or --demo) or --edges, not both"
        raise ConfigError(msg)
    if args.nodes and not args.edges:
        msg = "--nodes goes with --edges"
        raise ConfigError(msg)
    if args.self_loops and not args.edges:
        msg = "--self-loops goes with --edges"
        raise ConfigError(msg)
    if args.edges:
        nodes: Any = args.nodes
        if nodes is None and args.directory:
            directory = load_directory(args.directory)
            nodes = _directory_rows(directory) if directory is not None else None
        dos = DualOS.from_edges(args.edges, nodes, self_loops=args.self_loops or "raise")
    else:
        progress("reading", 0.0, 1.0)
        result, fallback = load_source(args, progress=progress)
        progress("reading the directory", 0.05, 1.0)
        directory = load_directory(args.directory, fallback or result.directory)
        progress("building the network", 0.08, 1.0)
        base = DualOS.from_directory(directory) if directory is not None else DualOS()
        dos = base.with_interactions(result.events, unknown="drop")
    if args.coalition:
        dos = dos.with_coalition(_read_ids(args.coalition))
    return dos


def _directory_rows(directory: Directory) -> list[dict[str, object]]:
    rows = []
    for rec in directory.to_records():
        row = dict(rec)
        row["id"] = row.pop("person")
        rows.append(row)
    return rows


def _read_ids(path: str) -> list[str]:
    """Read person ids: one per line, or a CSV with a ``person`` or ``id`` column."""
    text = Path(path).read_text(encoding=text_encoding(path))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and "," in lines[0]:
        rows = list(csv.DictReader(lines))
        column = next((c for c in ("person", "id") if rows and c in rows[0]), None)
        if column is None:
            msg = f"coalition file {path!r} is a CSV without a 'person' or 'id' column"
            raise ConfigError(msg)
        return [r[column].strip() for r in rows if r[column].strip()]
    return [line for line in lines if not line.startswith("#")]


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _print_text(payload: dict[str, Any], *, top: int, group: str, person_level: bool) -> None:
    print("Whole network")
    width = max(len(k) for k in payload["network"])
    for key, value in payload["network"].items():
        print(f"  {key:<{width}}  {_fmt(value)}")
    if payload["groups"]:
        print(f"\nPer {group}")
        head = ("group", "size", "active", "density", "ei_index", "external_share", "partners")
        rows = [
            (
                name,
                _fmt(g["size"]),
                _fmt(g["active"]),
                _fmt(g["density"]),
                _fmt(g["ei_index"]),
                _fmt(g["external_share"]),
                _fmt(g["partner_groups"]),
            )
            for name, g in payload["groups"].items()
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        print("  " + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        for r in rows:
            print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    if not person_level:
        print(
            "\nperson-level output is off: add --person-level to list per-person measures "
            "and top brokers"
        )
        return
    ranked = sorted(
        payload["nodes"].items(), key=lambda kv: (-(kv[1].get("betweenness") or 0.0), kv[0])
    )[:top]
    if ranked:
        print("\nTop brokers (betweenness)")
        for node, row in ranked:
            extra = f"  {row['group']}" if row.get("group") else ""
            print(f"  {node:<24} {_fmt(row.get('betweenness'))}{extra}")
