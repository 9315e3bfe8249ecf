"""``communitykit report``: the measurement report (HTML, Markdown or JSON) in one command."""

from __future__ import annotations

import argparse
import contextlib
import pathlib
import sys
from typing import TYPE_CHECKING

from communitykit.cli._common import (
    Subcommands,
    add_as_of_argument,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    add_source_arguments,
    check_read,
    emit,
    load_directory,
    output_format,
    parse_assignments,
    reader_options,
)
from communitykit.cli._progress import ProgressBar
from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.impact import ImpactResult
    from communitykit.io import ReadResult
    from communitykit.measurement import MeasurementModel
    from communitykit.people import Directory

__all__ = ["ProgressBar", "register", "run"]

_FORMATS = ("html", "md", "json")
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def register(subparsers: Subcommands) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="write the measurement report (HTML, Markdown or JSON)",
        description=(
            "Write the measurement report: a one-screen summary for sponsors, every community's "
            "KPIs, lifecycle stage and next tasks, the dual operating system, OKRs and "
            "frameworks from a measurement model, and a data section that traces every number. "
            "Privacy by default: values resting on fewer than --min-group-size people are "
            "suppressed, no person is named and no e-mail address is shown."
        ),
    )
    add_source_arguments(parser, several=True)
    parser.add_argument("--directory", metavar="PEOPLE.csv", help="the people directory")
    parser.add_argument(
        "--model",
        metavar="MODEL",
        help="a measurement model: a TOML file or a built-in model name ('wol', "
        "'community-of-practice'), as in measure",
    )
    parser.add_argument("--okrs", metavar="OKRS.toml", help="an OKR set to score")
    parser.add_argument("--survey", metavar="RESPONSES.csv", help="Likert survey responses")
    add_period_argument(parser, choices=("week", "month", "quarter", "year"), period_tz=True)
    add_as_of_argument(parser)
    parser.add_argument(
        "--fallback",
        action="store_true",
        help=(
            "OKR key results and scorecard measures whose KPI has no value in the latest "
            "period use the latest earlier one, shown with its period; default: no value"
        ),
    )
    parser.add_argument("--store", metavar="DB", help="measurement store (SQLite) for the trend")
    add_output_arguments(parser, _FORMATS, aliases=())
    parser.add_argument("--lang", default="en", choices=("en", "de"), help="label language")
    add_min_group_size_argument(parser)
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace person ids, names and e-mail addresses by keyed hashes first",
    )
    parser.add_argument("--key-file", metavar="F", help="secret key for --pseudonymise")
    parser.add_argument(
        "--person-level",
        action="store_true",
        help="allow person-level output (top brokers by name); only where agreed",
    )
    parser.add_argument("--title", help="the report's title")
    parser.set_defaults(func=run)


def _output_format(args: argparse.Namespace) -> str:
    if args.to is None and args.out and args.out != "-":
        suffix = pathlib.Path(args.out).suffix.lower()
        if suffix not in _SUFFIX_FORMATS:
            msg = f"cannot tell the output format from {args.out!r}; use --to html|md|json"
            raise ConfigError(msg)
    return output_format(args)


def _read_sources(
    args: argparse.Namespace, progress: ProgressBar
) -> tuple[list[ReadResult], Directory | None]:
    from communitykit.io import ReadResult, read_events

    if args.demo:
        if args.sources:
            msg = "give either SOURCE or --demo, not both"
            raise ConfigError(msg)
        from communitykit.datasets import demo

        progress("reading the demo data", 0.02)
        data = demo()
        result = ReadResult(
            events=data.events, rows_read=len(data.events), source="demo", directory=data.directory
        )
        return [result], data.directory
    if not args.sources:
        msg = "give a SOURCE (an event file, folder or git repository) or --demo"
        raise ConfigError(msg)
    if args.rejects and len(args.sources) > 1:
        msg = "--rejects FILE takes the rejects of one SOURCE; give one SOURCE per run"
        raise ConfigError(msg)
    mapping = parse_assignments(args.map, "--map")
    results = []
    for i, source in enumerate(args.sources):
        progress(f"reading {pathlib.Path(source).name}", 0.05 * i / len(args.sources))
        result = read_events(
            source,
            format=args.fmt,
            mapping=mapping or None,
            tz=args.tz,
            **reader_options(args),
        )
        check_read(result, args)
        results.append(result)
    directories = [r.directory for r in results if r.directory is not None]
    return results, directories[0] if len(directories) == 1 else None


def _demo_impact() -> ImpactResult | None:
    """The demo's programme study: its known effect on ideas, none on posts."""
    from communitykit.datasets import demo
    from communitykit.impact import estimate

    data = demo()
    truth = data.programme
    if truth is None:  # pragma: no cover - the demo always carries a programme
        return None
    return estimate(
        data.events,
        truth.participants,
        ["ideas", "idea_implemented", "posts"],
        external=truth.outcomes,
        directory=data.directory,
        period=truth.period,
        seed=20240101,
    )


def _key(path: str | None) -> bytes:
    from communitykit.privacy import read_key

    if not path:
        msg = "--pseudonymise needs --key-file F (a file holding the secret key)"
        raise ConfigError(msg)
    return read_key(path)


def run(args: argparse.Namespace) -> int:
    """Run ``communitykit report``; return the exit code."""
    from communitykit.events import concat
    from communitykit.okr import OKRSet
    from communitykit.report import Presentation, Scope, build
    from communitykit.store import Store

    fmt = _output_format(args)
    if args.as_of is not None:
        from communitykit._time import as_datetime64
        from communitykit.errors import DataError

        try:
            as_datetime64(args.as_of)
        except (DataError, ValueError) as exc:
            msg = f"--as-of: {exc}"
            raise ConfigError(msg) from exc
    if args.key_file and not args.pseudonymise:
        msg = "--key-file is only used with --pseudonymise"
        raise ConfigError(msg)
    progress = ProgressBar()
    try:
        results, directory = _read_sources(args, progress)
        log = results[0].events if len(results) == 1 else concat([r.events for r in results])
        directory = load_directory(args.directory, directory, events=log)
        survey = None
        if args.survey:
            from communitykit.cli.cmd_survey import read_survey

            survey = read_survey(args.survey)
        if args.pseudonymise:
            from communitykit.privacy import pseudonymise

            progress("pseudonymising", 0.08)
            log, directory = pseudonymise(log, directory, key=_key(args.key_file))
        model = _load_model(args.model)
        impact = _demo_impact() if args.demo and args.model is None else None

        def step(name: str, fraction: float, _total: float | None = 1.0) -> None:
            progress(name, 0.1 + 0.85 * fraction)

        okrs = None if args.okrs is None else OKRSet.from_toml(args.okrs)
        scope = Scope(
            period=args.period,
            period_tz=args.period_tz,
            fallback=args.fallback,
            as_of=args.as_of,
            min_group_size=args.min_group_size,
        )
        shown = Presentation(lang=args.lang, title=args.title, person_level=args.person_level)
        with contextlib.ExitStack() as stack:
            store = None if args.store is None else stack.enter_context(Store.open(args.store))
            report = build(
                log,
                sources=results,
                directory=directory,
                model=model,
                okrs=okrs,
                survey=survey,
                impact=impact,
                store=store,
                scope=scope,
                presentation=shown,
                progress=step,
            )
        progress("writing", 0.97)
        text = report.render(fmt)
        to_file = bool(args.out) and args.out != "-"
        if to_file:
            emit(args, text, what=fmt, announce=False)
        progress("done", 1.0)
    finally:
        progress.close()
    if to_file:
        if progress.enabled:
            print(f"communitykit: wrote {args.out} ({fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _load_model(path: str | None) -> MeasurementModel | None:
    if path is None:
        return None
    from communitykit.measurement import MeasurementModel

    return MeasurementModel.load(path)
