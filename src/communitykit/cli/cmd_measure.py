"""
``communitykit measure``: evaluate a measurement model.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from communitykit.cli._common import (
    Subcommands,
    add_event_arguments,
    add_output_arguments,
    add_period_tz_argument,
    emit,
    json_text,
    load_source,
    output_format,
    source_of,
)
from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = ["add_event_arguments", "load_events", "register", "run"]
# ``add_event_arguments`` lives in :mod:`communitykit.cli._common`; re-exported for old imports.


def load_events(args: argparse.Namespace) -> tuple[EventLog | None, Directory | None]:
    """
    Return the events (and directory) named by ``SOURCE`` (or ``--events``) or ``--demo``.

    ``--as-of`` keeps its one meaning: without it, the library's default, the end of the data
    (never the wall clock), so a model, an OKR set or a scorecard reads the data's last
    period as :meth:`MeasurementModel.evaluate` and :meth:`OKRSet.evaluate` do.
    """
    if not getattr(args, "demo", False) and not source_of(args):
        return None, None
    result, directory = load_source(args)
    return result.events, directory


def register(subparsers: Subcommands) -> None:
    """Add the ``measure`` subcommand."""
    parser = subparsers.add_parser(
        "measure",
        help="evaluate a measurement model (purpose, OKRs, scorecard, KPIs, benefits)",
        description=(
            "Evaluate a measurement model file. MODEL is a TOML file or the name of a built-in "
            "model ('wol', 'community-of-practice'); with --demo and no MODEL the built-in "
            "Working Out Loud model runs on the demo data with seeded example survey answers."
        ),
    )
    parser.add_argument("model", nargs="?", metavar="MODEL.toml", help="the model file")
    add_event_arguments(parser)
    parser.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    parser.add_argument("--survey", metavar="ANSWERS.csv", help="survey answers (CSV)")
    parser.add_argument("--runs", type=int, metavar="N", help="Monte Carlo draws for benefits")
    parser.add_argument("--seed", type=int, metavar="N", help="seed for the Monte Carlo")
    add_period_tz_argument(parser)
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate the model and print the measurement."""
    from communitykit.measurement import MeasurementModel

    name = args.model
    if name is None:
        if not args.demo:
            msg = "give a MODEL.toml (or a built-in model name), or --demo"
            raise ConfigError(msg)
        name = "wol"
    model = MeasurementModel.load(name)
    events, directory = load_events(args)
    if args.directory:
        from communitykit.cli._common import load_directory

        directory = load_directory(args.directory, directory)
    survey = None
    if args.survey:
        from communitykit.cli.cmd_survey import read_survey

        spec = model.survey
        res = read_survey(
            args.survey,
            scale=spec.scale if spec else None,
            group=spec.group if spec else "group",
            time=spec.time if spec else "time",
        )
        survey = res.responses
    elif args.demo and model.survey is not None and model.survey.path is None:
        from communitykit.survey import synthetic_responses

        survey = synthetic_responses(seed=model.seed)
    measurement = model.evaluate(
        events,
        directory=directory,
        survey=survey,
        as_of=args.as_of,
        runs=args.runs,
        seed=args.seed,
        period_tz=args.period_tz,
    )
    if output_format(args) == "json":
        emit(args, json_text(measurement.to_mapping(), kind="measurement"), what="the measurement")
    else:
        emit(args, measurement.to_text(), what="the measurement")
    return 0
