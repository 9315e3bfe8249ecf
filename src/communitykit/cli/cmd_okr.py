"""
``communitykit okr score``: score an OKR set, optionally updating key results from KPIs.

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

__all__ = ["register", "run_score"]


def register(subparsers: Subcommands) -> None:
    """Add the ``okr`` subcommand with its ``score`` action."""
    parser = subparsers.add_parser("okr", help="score OKRs (objectives and key results)")
    actions = parser.add_subparsers(dest="okr_action", metavar="ACTION", required=True)
    score = actions.add_parser(
        "score",
        help="score an OKR file",
        description=(
            "Score every key result, objective and umbrella theme of an OKR file. With SOURCE "
            "(or --demo), key results bound to a KPI take their value from the computed KPI."
        ),
    )
    score.add_argument("okrs", metavar="OKRS.toml", help="the OKR file")
    add_event_arguments(score)
    add_period_argument(score, choices=PERIODS[:-1], help="the KPI period", period_tz=True)
    add_min_group_size_argument(score)
    score.add_argument(
        "--running-period",
        action="store_true",
        help="read KPIs of the period running at --as-of (partial); default: last complete one",
    )
    score.add_argument(
        "--fallback",
        action="store_true",
        help=(
            "when a KPI's latest period has no value (suppressed or empty), use the latest "
            "earlier period that has one, shown with its period; default: show no value"
        ),
    )
    add_output_arguments(score, ("text", "json", "md"), aliases=("json", "markdown"))
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
            fallback=args.fallback,
            period_tz=args.period_tz,
        )
    else:
        result = okrs.score(as_of=args.as_of)
    fmt = output_format(args)
    if fmt == "json":
        emit(args, json_text(result.to_mapping(), kind="okr"))
    elif fmt == "md":
        emit(args, result.to_markdown())
    else:
        emit(args, result.to_text())
    return 0
