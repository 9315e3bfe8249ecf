"""
``communitykit lifecycle``: list and show lifecycle models, infer stages from activity.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import Any

from communitykit._time import PERIODS
from communitykit.cli._common import (
    Subcommands,
    add_as_of_argument,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    add_source_arguments,
    dump_json,
    load_directory,
    load_source,
    wants_json,
)

__all__ = ["register", "run_infer", "run_models", "run_show"]


def register(subparsers: Subcommands) -> None:
    """Add the ``lifecycle`` subcommand and its ``models``, ``show`` and ``infer`` actions."""
    parser = subparsers.add_parser(
        "lifecycle",
        help="lifecycle models and stage inference",
        description=(
            "List the built-in lifecycle models, show one, or infer the lifecycle stage of "
            "each community per period from its activity, with the evidence."
        ),
    )
    sub = parser.add_subparsers(dest="lifecycle_command", metavar="ACTION")
    models = sub.add_parser("models", help="list the built-in lifecycle models")
    add_output_arguments(models, ("text", "json"))
    models.set_defaults(func=run_models)

    show = sub.add_parser("show", help="show a model's stages, transitions and sources")
    show.add_argument("model", metavar="MODEL", help="a built-in model id or a .toml file")
    show.add_argument("--lang", default="en", choices=["en", "de"], help="language of names")
    add_output_arguments(show, ("text", "json"))
    show.set_defaults(func=run_show)

    infer = sub.add_parser(
        "infer",
        help="infer the lifecycle stage per community and period",
        description=(
            "Infer each community's lifecycle stage for every period from its activity. "
            "Values resting on fewer than --min-group-size people are suppressed."
        ),
    )
    add_source_arguments(infer)
    infer.add_argument("--model", default="default", metavar="M", help="model id or .toml file")
    add_period_argument(infer, choices=PERIODS[:-1], period_tz=True)
    infer.add_argument(
        "--by",
        default="community",
        choices=["community", "none"],
        help="what each row is about: community (default) or none (overall)",
    )
    infer.add_argument("--community", metavar="C", help="only this community")
    add_as_of_argument(infer)
    infer.add_argument("--rules", metavar="RULES.toml", help="inference rules file")
    infer.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="override a rule threshold; repeatable",
    )
    infer.add_argument("--latest", action="store_true", help="only the last period per group")
    infer.add_argument(
        "--partial",
        action="store_true",
        help="assess the period still running at --as-of too (partial counts, with a warning)",
    )
    infer.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    add_min_group_size_argument(infer)
    add_output_arguments(infer, ("text", "json"))
    infer.add_argument(
        "--explain",
        action="store_true",
        help="print the evidence of each assessment in plain language",
    )
    infer.add_argument(
        "--numbers",
        action="store_true",
        help="with --explain: also the rule conditions with their values and thresholds",
    )
    infer.add_argument("--lang", default="en", choices=["en", "de"], help="language of evidence")
    infer.set_defaults(func=run_infer)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_models(args: argparse.Namespace) -> int:
    """Print the built-in models."""
    from communitykit.lifecycle import available_models, load_model

    rows: list[dict[str, Any]] = []
    for name in available_models():
        m = load_model(name)
        rows.append(
            {
                "id": m.id,
                "name": m.name,
                "model_version": m.version,
                "iterative": m.iterative,
                "stages": [s.id for s in m.stages],
                "canonical": [s.canonical for s in m.stages],
                "competencies": [c.id for c in m.competencies],
            }
        )
    if wants_json(args):
        dump_json(rows, kind="lifecycle.models", key="models")
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        cycle = " (iterative)" if r["iterative"] else ""
        print(f"{r['id']:<{width}}  {' -> '.join(r['stages'])}{cycle}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one model."""
    from communitykit.lifecycle import load_model

    model = load_model(args.model)
    if wants_json(args):
        dump_json(model.to_mapping(), kind="lifecycle.model")
        return 0
    print(f"{model.name} [{model.id}, version {model.version}]")
    if model.description:
        print(model.description)
    print()
    for s in model.stages:
        covers = f" (also {', '.join(s.covers)})" if s.covers else ""
        print(
            f"{s.order}. {s.localized_name(args.lang)} [{s.id}] phase={s.phase} "
            f"canonical={s.canonical}{covers}"
        )
        if s.description:
            print(f"   {s.description}")
        for ind in s.indicators:
            print(f"   indicator: {ind}")
    print()
    print("transitions:")
    graph = model.graph
    for a, b, data in graph.edges(data=True):
        print(f"  {a} -> {b}{'  (back edge: new iteration)' if data['back'] else ''}")
    if model.competencies:
        print()
        print("competencies:")
        for c in model.competencies:
            print(f"  {c.names.get(args.lang, c.id)}")
    if model.parameters:
        print()
        print("parameters:")
        for p in model.parameters:
            print(f"  {p.id} = {p.value:g} [{p.status}] {p.description}")
    if model.assumptions:
        print()
        print("assumptions (not confirmed by the sources):")
        for item in model.assumptions:
            print(f"  [{item.status}] {item.text}")
    print()
    print("sources:")
    for src in model.sources:
        print(f"  {src.title} <{src.url}> [{src.status}]")
    return 0


def run_infer(args: argparse.Namespace) -> int:
    """Infer and print the stages."""
    from communitykit.cli._common import parse_assignments
    from communitykit.errors import ConfigError
    from communitykit.lifecycle import StageAssessments, infer_stages

    result, demo_directory = load_source(args)
    directory = load_directory(args.directory, demo_directory, events=result.events)
    overrides: dict[str, float] = {}
    for key, value in parse_assignments(args.threshold, "--threshold").items():
        try:
            overrides[key] = float(value)
        except ValueError:
            msg = f"--threshold {key}={value!r}: the value must be a number"
            raise ConfigError(msg) from None
    series = infer_stages(
        result.events,
        community=args.community,
        by=None if args.by == "none" else "community",
        model=args.model,
        directory=directory,
        as_of=args.as_of,
        period=args.period,
        period_tz=args.period_tz,
        rules=args.rules,
        thresholds=overrides or None,
        min_group_size=args.min_group_size,
        partial=args.partial,
    )
    if args.latest:
        series = StageAssessments(series.latest().values())
    if wants_json(args):
        dump_json([a.to_mapping() for a in series], kind="lifecycle.assessments", key="assessments")
        return 0
    if not series:
        print("no activity to assess")
        return 0
    if args.explain:
        print("\n\n".join(a.explain(args.lang, numbers=args.numbers) for a in series))
        return 0
    width = max(len(a.group) for a in series)
    for a in series:
        fired = ", ".join(e.rule for e in a.evidence if e.phase == a.canonical) or "-"
        warn = f"  ! {'; '.join(a.warnings)}" if a.warnings else ""
        print(
            f"{a.group:<{width}}  {str(a.period_start)[:10]}  {a.stage.id:<22} "
            f"{a.canonical:<14} {a.confidence:4.2f}  {fired}{warn}"
        )
    return 0
