"""
``communitykit identities``: who is who across sources — persons, merges, suggestions, audit.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import attrs

from communitykit._files import source_name
from communitykit.cli._boundary import cli_words
from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    add_source_arguments,
    check_read,
    emit,
    json_text,
    load_source,
    output_format,
)
from communitykit.errors import ConfigError

__all__ = ["register", "run"]

_SHOWN = 50


def register(subparsers: Subcommands) -> None:
    """Add the ``identities`` subcommand."""
    parser = subparsers.add_parser(
        "identities",
        help="resolve identities into persons: merges, bots, suggestions and the count audit",
        description=(
            "Read one or more sources, merge their accounts into persons by strict rules "
            "(same e-mail, same platform id, an alias file, a git .mailmap; never a name "
            "alone), and print the persons, every merge with its evidence, the bots and the "
            "count audit. E-mail addresses are masked unless --show-emails."
        ),
    )
    add_source_arguments(parser)
    parser.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="SOURCE",
        help="another source to resolve together with SOURCE (format sniffed); repeatable",
    )
    parser.add_argument("--aliases", metavar="FILE", help="alias file: CSV with alias,person")
    parser.add_argument("--mailmap", metavar="FILE", help="a git .mailmap file")
    parser.add_argument(
        "--not-same", metavar="FILE", help="CSV with a,b: pairs that are never one person"
    )
    parser.add_argument(
        "--roles", metavar="FILE", help="CSV with identity,role: staff, community managers, bots"
    )
    parser.add_argument(
        "--suggest", action="store_true", help="also list possible merges (same name or handle)"
    )
    parser.add_argument(
        "--loose",
        action="store_true",
        help="also merge on identical full names (not recommended: see the docs)",
    )
    parser.add_argument("--show-emails", action="store_true", help="print e-mail addresses")
    parser.add_argument(
        "--person-level",
        action="store_true",
        help="print people's names (off by default: person-level output is opt-in)",
    )
    parser.add_argument("--all", action="store_true", help="list every person, not the first 50")
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def _load(args: argparse.Namespace) -> dict[str, Any]:
    from communitykit.io import read_events

    result, directory = load_source(args)
    if directory is not None and result.directory is None:
        result = attrs.evolve(result, directory=directory)
    results = {"demo" if args.demo else source_name(result.source): result}
    for extra in args.add:
        more = read_events(extra, tz=args.tz)
        check_read(more, args)
        name = source_name(more.source)
        if name in results:
            msg = f"two sources are both called {name!r}; rename one of the files"
            raise ConfigError(msg)
        results[name] = more
    return results


def run(args: argparse.Namespace) -> int:
    """Resolve and print (see ``communitykit identities --help``)."""
    from communitykit.io import (
        audit,
        format_audit,
        read_aliases,
        read_mailmap,
        read_not_same,
        read_roles,
    )
    from communitykit.people.identities import Identity, identities_from, mask_email, resolve

    results = _load(args)
    identities: list[Identity] = []
    for name, result in results.items():
        identities.extend(identities_from(result, source=name))
    resolution = resolve(
        identities,
        aliases=read_aliases(args.aliases) if args.aliases else None,
        mailmap=read_mailmap(args.mailmap) if args.mailmap else (),
        not_same=read_not_same(args.not_same) if args.not_same else (),
        roles=read_roles(args.roles) if args.roles else (),
        strict=not args.loose,
    )
    show = bool(args.show_emails)

    def masked(text: str) -> str:
        return text if show else mask_email(text)

    directory = resolution.directory()
    groups: dict[str, list[str]] = {}
    for ident in resolution.identities:
        groups.setdefault(resolution.person_of[ident.key], []).append(
            masked(f"{ident.source}:{ident.id}")
        )
    persons: list[dict[str, Any]] = [
        {
            "person": masked(p.id),
            "name": masked(p.name) if args.person_level else None,
            "roles": sorted(p.roles),
            "affiliations": [str(a) for a in p.affiliations],
            "identities": groups[p.id],
        }
        for p in directory
    ]
    merges = [
        {
            "left": masked(f"{m.left[0]}:{m.left[1]}"),
            "right": masked(f"{m.right[0]}:{m.right[1]}"),
            "rule": m.rule,
            "evidence": masked(m.evidence),
            "who": m.who,
            "when": m.when,
        }
        for m in resolution.merges
    ]
    suggestions = [
        {
            "left": masked(f"{s.left[0]}:{s.left[1]}"),
            "right": masked(f"{s.right[0]}:{s.right[1]}"),
            "confidence": s.confidence,
            "evidence": masked(s.evidence),
        }
        for s in resolution.suggestions
    ]
    report = audit(results, resolution)
    if output_format(args) == "json":
        emit(
            args,
            json_text(
                {
                    "identities": len(resolution.identities),
                    "persons": persons,
                    "merges": merges,
                    "suggestions": suggestions if args.suggest else None,
                    "conflicts": len(resolution.conflicts),
                    "audit": report.to_mapping(),
                },
                kind="identities",
            ),
        )
        return 0
    lines: list[str] = []
    say = lines.append
    rules = Counter(m["rule"] for m in merges)
    bots = sum(1 for p in directory if "bot" in p.roles)
    staff = sum(1 for p in directory if p.roles & {"staff", "community_manager"})
    say(
        f"{len(resolution.identities):,} identities → {len(persons):,} persons "
        f"({len(merges):,} merges"
        + (": " + ", ".join(f"{rule} {n:,}" for rule, n in sorted(rules.items())) if rules else "")
        + f"); {bots:,} bots; {staff:,} staff or community managers"
    )
    say("\npersons" + ("" if args.person_level else " (names hidden; --person-level shows them)"))
    shown = persons if args.all else persons[:_SHOWN]
    for p in shown:
        roles = ",".join(r for r in p["roles"] if r != "member") or "member"
        name = f"{(p['name'] or '')[:28]:<28} " if args.person_level else ""
        say(f"  {p['person']:<24} {name}{roles:<18} {', '.join(p['identities'])}")
    if len(shown) < len(persons):
        say(f"  … and {len(persons) - len(shown):,} more (--all lists every person)")
    if merges:
        say("\nmerges")
        for m in merges[: None if args.all else _SHOWN]:
            say(f"  {m['left']} + {m['right']}  [{m['rule']}] {m['evidence']}")
    if args.suggest:
        say("\nsuggestions (not merged; confirm with an alias file or --not-same)")
        if not suggestions:
            say("  none")
        for s in suggestions[: None if args.all else _SHOWN]:
            say(f"  {s['confidence']:.2f}  {s['left']} ~ {s['right']}  {s['evidence']}")
    say("\naudit")
    say(cli_words(format_audit(report)))
    emit(args, "\n".join(lines))
    return 0
