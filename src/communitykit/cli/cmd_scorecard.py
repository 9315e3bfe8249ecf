"""
``communitykit scorecard``: score a Balanced Scorecard.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import Any

from communitykit.cli._common import dump_json
from communitykit.cli.cmd_measure import add_event_arguments, load_events

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``scorecard`` subcommand."""
    parser = subparsers.add_parser(
        "scorecard",
        help="score a Balanced Scorecard with its strategy map",
        description=(
            "Score the measures of a scorecard file and roll the achievement up to objectives, "
            "perspectives and the scorecard. Measures bound to a KPI are computed from --events "
            "(or --demo)."
        ),
    )
    parser.add_argument("scorecard", metavar="SCORECARD.toml", help="the scorecard file")
    add_event_arguments(parser)
    parser.add_argument("--period", default="month", metavar="P", help="KPI period (month)")
    parser.add_argument("--min-group-size", type=int, default=5, metavar="N")
    parser.add_argument(
        "--running-period",
        action="store_true",
        help="read KPIs of the period running at --as-of (partial); default: last complete one",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, score and print."""
    from communitykit.frameworks import Scorecard

    card = Scorecard.from_toml(args.scorecard)
    events, directory = load_events(args)
    options: dict[str, Any] = {}
    if events is not None:
        options = {"directory": directory, "min_group_size": args.min_group_size}
    result = card.evaluate(
        events, as_of=args.as_of, period=args.period, running=args.running_period, **options
    )
    if args.json:
        out = result.to_dict()
        out["strategy_map"] = [list(e) for e in card.strategy_map().edges]
        dump_json(out)
    else:
        print(result.to_text())
        edges = list(card.strategy_map().edges)
        if edges:
            print("strategy map: " + "; ".join(f"{u} -> {v}" for u, v in edges))
    return 0
