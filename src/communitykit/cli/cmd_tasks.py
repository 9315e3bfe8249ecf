"""
``communitykit tasks``: list a task catalogue; recommend the next tasks for a community.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import Any

from communitykit.cli._common import (
    Subcommands,
    add_as_of_argument,
    add_min_group_size_argument,
    add_output_arguments,
    add_source_arguments,
    dump_json,
    load_directory,
    load_source,
    output_format,
    wants_json,
)

__all__ = ["register", "run_list", "run_next"]


def register(subparsers: Subcommands) -> None:
    """Add the ``tasks`` subcommand and its ``list`` and ``next`` actions."""
    parser = subparsers.add_parser(
        "tasks",
        help="task packages for community managers",
        description=(
            "List the task cards of a catalogue, or recommend the next tasks for each "
            "community from its inferred lifecycle stage and KPIs."
        ),
    )
    sub = parser.add_subparsers(dest="tasks_command", metavar="ACTION")
    lst = sub.add_parser("list", help="list the task packages and cards")
    lst.add_argument("--catalogue", default="cogneon8", metavar="C", help="id or .toml file")
    lst.add_argument("--lang", default="en", choices=["en", "de"], help="language")
    add_output_arguments(lst, ("text", "json", "md"), aliases=("json", "markdown"))
    lst.set_defaults(func=run_list)

    nxt = sub.add_parser(
        "next",
        help="recommend the next tasks per community, with reasons",
        description=(
            "Infer each community's lifecycle stage and recommend the tasks its managers "
            "should do next; every reason quotes the KPI values that triggered it."
        ),
    )
    add_source_arguments(nxt)
    nxt.add_argument("--community", metavar="C", help="only this community")
    nxt.add_argument("--catalogue", default="cogneon8", metavar="C", help="id or .toml file")
    nxt.add_argument("--plan", metavar="PLAN.json", help="the community's plan (task statuses)")
    nxt.add_argument("--rules", metavar="RULES.toml", help="next-task rules file")
    nxt.add_argument("--model", default="default", metavar="M", help="lifecycle model")
    add_as_of_argument(nxt)
    nxt.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    nxt.add_argument("--limit", type=int, default=5, metavar="N", help="tasks per community")
    nxt.add_argument("--lang", default="en", choices=["en", "de"], help="language")
    add_min_group_size_argument(nxt)
    add_output_arguments(nxt, ("text", "json"))
    nxt.set_defaults(func=run_next)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_list(args: argparse.Namespace) -> int:
    """Print the catalogue."""
    from communitykit.tasks import load_catalogue

    cat = load_catalogue(args.catalogue)
    if output_format(args) == "md":
        print(cat.to_markdown(lang=args.lang))
        return 0
    if wants_json(args):
        dump_json(
            {
                "id": cat.id,
                "catalogue_version": cat.version,
                "packages": [
                    {
                        "id": p.id,
                        "name": p.names.get(args.lang, p.name),
                        "phase": p.phase,
                        "source": p.source,
                        "tasks": [
                            {
                                "id": t.id,
                                "what": t.text(args.lang).what,
                                "how": t.text(args.lang).how,
                                "phase": t.phase,
                                "roles": list(t.roles),
                                "stages": list(t.stages),
                                "recurring_months": None
                                if t.recurring is None
                                else [t.recurring.min_months, t.recurring.max_months],
                                "source": t.source,
                            }
                            for t in p.tasks
                        ],
                    }
                    for p in cat.packages
                ],
            },
            kind="tasks.catalogue",
        )
        return 0
    print(f"{cat.name} ({cat.version})")
    for p in cat.packages:
        print()
        print(f"{p.id} {p.names.get(args.lang, p.name)} [{p.phase}, {len(p)} tasks]")
        for t in p.tasks:
            mark = " " if t.source == "published" else "+"
            print(f" {mark}{t.id:<4} {t.text(args.lang).what}")
    print()
    print("+ = added by communitykit (not in the published model)")
    return 0


def run_next(args: argparse.Namespace) -> int:
    """Recommend the next tasks per community."""
    from pathlib import Path

    from communitykit.lifecycle import infer_stages
    from communitykit.tasks import CommunityPlan, load_catalogue, next_tasks

    result, demo_directory = load_source(args)
    directory = load_directory(args.directory, demo_directory, events=result.events)
    catalogue = load_catalogue(args.catalogue)
    template = (
        CommunityPlan.from_json(Path(args.plan).read_text(encoding="utf-8")) if args.plan else None
    )
    series = infer_stages(
        result.events,
        community=args.community,
        model=args.model,
        directory=directory,
        as_of=args.as_of,
        min_group_size=args.min_group_size,
    )
    latest: dict[str, Any] = {}
    for a in series:
        latest[a.group] = a
    out = []
    for group, assessment in latest.items():
        if template is not None and template.community == group:
            plan = template
        else:
            plan = CommunityPlan(group, catalogue)
        recs = next_tasks(plan, assessment, rules=args.rules, lang=args.lang, limit=args.limit)
        out.append(
            {
                "community": group,
                "stage": assessment.stage.id,
                "canonical": assessment.canonical,
                "confidence": assessment.confidence,
                "tasks": [r.to_mapping(lang=args.lang) for r in recs],
            }
        )
    if wants_json(args):
        dump_json(out, kind="tasks.next", key="communities")
        return 0
    for item in out:
        print(
            f"{item['community']}: {item['stage']} ({item['canonical']}, "
            f"confidence {item['confidence']:.2f})"
        )
        for t in item["tasks"]:
            print(f"  {t['task']:<4} {t['what']}")
            for reason in t["reasons"]:
                print(f"       - {reason}")
    return 0
