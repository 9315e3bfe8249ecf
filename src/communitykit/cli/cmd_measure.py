"""
``communitykit measure``: evaluate a measurement model.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communitykit.cli._common import dump_json
from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = ["add_event_arguments", "load_events", "register", "run"]


def add_event_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--events SOURCE``, ``--demo``, ``--format``, ``--tz`` and ``--as-of``."""
    parser.add_argument("--events", metavar="SOURCE", help="event file, folder or repository")
    parser.add_argument("--demo", action="store_true", help="use the bundled demo data")
    parser.add_argument("--format", dest="fmt", metavar="F", help="input format (default: sniff)")
    parser.add_argument("--tz", metavar="TZ", help="time zone for times without an offset")
    parser.add_argument("--as-of", metavar="DATE", help="measure at this instant (ISO 8601)")


def load_events(args: argparse.Namespace) -> tuple[EventLog | None, Directory | None]:
    """Return the events (and directory) named by ``--events`` or ``--demo``, if any."""
    if getattr(args, "demo", False):
        from communitykit.datasets import demo

        data = demo()
        return data.events, data.directory
    if getattr(args, "events", None):
        from communitykit.io import read_events

        result = read_events(args.events, format=args.fmt, tz=args.tz)
        for reject in result.rejects[:3]:
            print(f"communitykit: {args.events}: {reject}", file=sys.stderr)
        if len(result.rejects) > 3:
            print(
                f"communitykit: {args.events}: {len(result.rejects)} rows rejected in all",
                file=sys.stderr,
            )
        return result.events, result.directory
    return None, None


def register(subparsers: Any) -> None:
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
    parser.add_argument("--json", action="store_true", help="print the Measurement as JSON")
    parser.add_argument("--out", metavar="FILE", help="write the JSON to FILE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate the model and print the measurement."""
    from communitykit.measurement import MeasurementModel, builtin_models

    name = args.model
    if name is None:
        if not args.demo:
            msg = "give a MODEL.toml (or a built-in model name), or --demo"
            raise ConfigError(msg)
        name = "wol"
    if Path(name).exists():
        model = MeasurementModel.from_toml(name)
    elif name in builtin_models():
        model = MeasurementModel.builtin(name)
    else:
        msg = f"no model file {name!r}; built-in models: {', '.join(builtin_models())}"
        raise ConfigError(msg)
    events, directory = load_events(args)
    if args.directory:
        from communitykit.cli._common import load_directory

        directory = load_directory(args.directory, directory)
    survey = None
    if args.survey:
        from communitykit.survey import read_responses

        spec = model.survey
        res = read_responses(
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
    )
    if args.out:
        Path(args.out).write_text(measurement.to_json() + "\n", encoding="utf-8")
        print(f"wrote the measurement to {args.out}", file=sys.stderr)
    if args.json:
        dump_json(measurement.to_dict())
    elif not args.out:
        print(measurement.to_text())
    return 0
