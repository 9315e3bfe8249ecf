"""
``communitykit okr score``: score an OKR set, optionally updating key results from KPIs.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import Any

from communitykit.cli._common import dump_json
from communitykit.cli.cmd_measure import add_event_arguments, load_events

__all__ = ["register", "run_score"]


def register(subparsers: Any) -> None:
    """Add the ``okr`` subcommand with its ``score`` action."""
    parser = subparsers.add_parser("okr", help="score OKRs (objectives and key results)")
    actions = parser.add_subparsers(dest="okr_action", metavar="ACTION", required=True)
    score = actions.add_parser(
        "score",
        help="score an OKR file",
        description=(
            "Score every key result, objective and umbrella theme of an OKR file. With --events "
            "(or --demo), key results bound to a KPI take their value from the computed KPI."
        ),
    )
    score.add_argument("okrs", metavar="OKRS.toml", help="the OKR file")
    add_event_arguments(score)
    score.add_argument("--period", default="month", metavar="P", help="KPI period (month)")
    score.add_argument("--min-group-size", type=int, default=5, metavar="N")
    score.add_argument(
        "--running-period",
        action="store_true",
        help="read KPIs of the period running at --as-of (partial); default: last complete one",
    )
    output = score.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--markdown", action="store_true", help="print a Markdown tree")
    score.set_defaults(func=run_score)


def run_score(args: argparse.Namespace) -> int:
    """Load, (update,) score and print."""
    from communitykit.okr import OKRSet

    okrs = OKRSet.from_toml(args.okrs)
    events, directory = load_events(args)
    if events is not None:
        result = okrs.evaluate(
            events,
            as_of=args.as_of,
            period=args.period,
            directory=directory,
            min_group_size=args.min_group_size,
            running=args.running_period,
        )
    else:
        result = okrs.score(as_of=args.as_of)
    if args.json:
        dump_json(result.to_dict())
    elif args.markdown:
        print(result.to_markdown())
    else:
        print(result.to_text())
    return 0
