"""
``communitykit scorecard``: score a Balanced Scorecard.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse

from communitykit._time import PERIODS
from communitykit.cli._common import (
    Subcommands,
    add_event_arguments,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    emit,
    json_text,
    output_format,
)
from communitykit.cli.cmd_measure import load_events

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
    """Add the ``scorecard`` subcommand."""
    parser = subparsers.add_parser(
        "scorecard",
        help="score a Balanced Scorecard with its strategy map",
        description=(
            "Score the measures of a scorecard file and roll the achievement up to objectives, "
            "perspectives and the scorecard. Measures bound to a KPI are computed from SOURCE "
            "(or --demo)."
        ),
    )
    parser.add_argument("scorecard", metavar="SCORECARD.toml", help="the scorecard file")
    add_event_arguments(parser)
    add_period_argument(parser, choices=PERIODS[:-1], help="the KPI period", period_tz=True)
    add_min_group_size_argument(parser)
    parser.add_argument(
        "--running-period",
        action="store_true",
        help="read KPIs of the period running at --as-of (partial); default: last complete one",
    )
    parser.add_argument(
        "--fallback",
        action="store_true",
        help=(
            "when a KPI's latest period has no value (suppressed or empty), use the latest "
            "earlier period that has one, shown with its period; default: show no value"
        ),
    )
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, score and print."""
    from communitykit.frameworks import Scorecard

    card = Scorecard.from_toml(args.scorecard)
    events, directory = load_events(args)
    options: dict[str, object] = {}
    if events is not None:
        options = {
            "directory": directory,
            "min_group_size": args.min_group_size,
            "period_tz": args.period_tz,
        }
    result = card.evaluate(
        events,
        as_of=args.as_of,
        period=args.period,
        running=args.running_period,
        fallback=args.fallback,
        **options,
    )
    if output_format(args) == "json":
        out = result.to_mapping()
        out["strategy_map"] = [list(e) for e in card.strategy_map().edges]
        emit(args, json_text(out, kind="scorecard"))
    else:
        text = result.to_text()
        edges = list(card.strategy_map().edges)
        if edges:
            text += "\nstrategy map: " + "; ".join(f"{u} -> {v}" for u, v in edges)
        emit(args, text)
    return 0
