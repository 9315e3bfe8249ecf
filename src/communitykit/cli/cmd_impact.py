r"""
``communitykit impact``: what did a programme change, compared with colleagues?

Staggered difference-in-differences (Callaway & Sant'Anna 2021) on outcomes per person and
period, from an event source, an outcomes table, or both. Only aggregates are printed: cohorts
and comparison groups below ``--min-group-size`` people are withheld, with the reason.

Examples
--------
>>> import tempfile, pathlib
>>> from communitykit.cli import main
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = ["id,period,score"]
>>> rows += [
...     f"p{i},{y},{(i % 3) + y - 2000 + (2 if i < 10 and y >= 2003 else 0)}"
...     for i in range(30)
...     for y in range(2000, 2006)
... ]
>>> _ = (folder / "outcomes.csv").write_text("\n".join(rows) + "\n")
>>> parts = ["id,start"] + [f"p{i},{2003 if i < 10 else ''}" for i in range(30)]
>>> _ = (folder / "participants.csv").write_text("\n".join(parts) + "\n")
>>> main(
...     [
...         "impact",
...         "--participants",
...         str(folder / "participants.csv"),
...         "--outcomes",
...         str(folder / "outcomes.csv"),
...         "--outcome",
...         "score",
...         "--boot",
...         "0",
...     ]
... )
... # doctest: +ELLIPSIS
Programme impact: 10 people took part, 20 never (30 in all), control: never took part
score: after their start, participants had +2.00 per period compared with ...
Event study: score (periods since the start; band = simultaneous)
...
0

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Any

from communitykit.cli._common import (
    Subcommands,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    add_source_arguments,
    emit,
    json_text,
    load_directory,
    load_source,
    output_format,
)
from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.impact import ImpactResult

__all__ = ["register", "run"]

_SHOWN_REJECTS = 5


def register(subparsers: Subcommands) -> None:
    """Add the ``impact`` subcommand."""
    parser = subparsers.add_parser(
        "impact",
        help="programme impact: staggered difference-in-differences on people and periods",
        description=(
            "Estimate what a programme changed for its participants compared with colleagues "
            "who did not take part (Callaway & Sant'Anna 2021): the effect per cohort and "
            "period, overall, by periods since the start (event study), with bootstrap "
            "intervals and a pre-trend test. SOURCE is optional when --outcomes is given."
        ),
    )
    add_source_arguments(parser, required=False)
    parser.add_argument(
        "--participants",
        metavar="P.csv",
        help="who took part: id, start (ISO date or period; empty or 0 = never), programme",
    )
    parser.add_argument("--programme", metavar="NAME", help="keep this programme's rows only")
    parser.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="ID",
        help="an outcome: posts, replies, responses_given, days_active, events, partners, "
        "cross_unit_partners, reach, or a column of --outcomes; repeatable",
    )
    parser.add_argument(
        "--outcomes", metavar="FILE.csv", help="external outcomes: id, period, one column each"
    )
    parser.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    add_period_argument(parser, help="the panel's period (with events)")
    parser.add_argument("--control", choices=["never", "not_yet"], default="never")
    parser.add_argument("--anticipation", type=int, default=0, metavar="K")
    add_min_group_size_argument(parser)
    parser.add_argument("--boot", type=int, default=1000, metavar="B", help="bootstrap draws")
    parser.add_argument("--seed", type=int, metavar="S", help="bootstrap seed")
    parser.add_argument("--chart", metavar="FILE.png", help="draw the event study(ies) here")
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def _f(x: float | None) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:+.3g}"


def run(args: argparse.Namespace) -> int:
    """Read the inputs, estimate and print."""
    from communitykit.impact import estimate, read_outcomes, read_participants

    log = None
    directory = None
    participants: Any = None
    external: Any = None
    inputs: dict[str, object] = {}
    if args.source or args.demo:
        result, directory = load_source(args)
        log = result.events
        inputs["events"] = {"rows_read": result.rows_read, "rejects": len(result.rejects)}
    directory = load_directory(args.directory, directory, events=log)
    if args.demo and args.participants is None:
        from communitykit.datasets import demo

        programme = demo().programme
        if programme is not None:
            participants = programme.participants
            external = programme.outcomes
    if args.participants is not None:
        res = read_participants(args.participants, programme=args.programme, strict=args.strict)
        for reject in res.rejects[:_SHOWN_REJECTS]:
            print(f"communitykit: {args.participants}: {reject}", file=sys.stderr)
        participants = res.participants
        inputs["participants"] = {
            "rows_read": res.rows_read,
            "rejects": len(res.rejects),
            "skipped": res.skipped,
        }
    if participants is None:
        msg = "give --participants P.csv (id, start; an empty start = never took part)"
        raise ConfigError(msg)
    if args.outcomes is not None:
        out = read_outcomes(args.outcomes, strict=args.strict)
        for reject in out.rejects[:_SHOWN_REJECTS]:
            print(f"communitykit: {args.outcomes}: {reject}", file=sys.stderr)
        external = out.table
        inputs["outcomes"] = {"rows_read": out.rows_read, "rejects": len(out.rejects)}
    if log is None and external is None:
        msg = "give a SOURCE (event file, folder, repository), --demo, or --outcomes FILE.csv"
        raise ConfigError(msg)
    names = args.outcome or (["posts"] if log is not None else list(external.names))
    r = estimate(
        log,
        participants,
        names,
        period=args.period,
        control=args.control,
        directory=directory,
        min_group_size=args.min_group_size,
        seed=args.seed,
        external=external,
        anticipation=args.anticipation,
        n_boot=args.boot,
    )
    if args.chart:
        _chart(r, args.chart)
    if output_format(args) == "json":
        payload = r.to_mapping()
        payload["inputs"] = inputs
        emit(args, json_text(payload, kind="impact"))
        return 0
    lines: list[str] = []
    _print(r, lines.append)
    emit(args, "\n".join(lines))
    return 0


def _print(r: ImpactResult, say: Any) -> None:
    control = "never took part" if r.control == "never" else "not yet started"
    say(
        f"Programme impact: {r.n_treated} people took part, {r.n_never} never "
        f"({r.n_units} in all), control: {control}"
    )
    for name in r.outcomes:
        say(r.sentence(name))
    for name in r.outcomes:
        rows = r.event_study(name)
        if not rows:
            continue
        say("")
        say(f"Event study: {name} (periods since the start; band = simultaneous)")
        say(f"{'e':>4}{'effect':>10}{'interval':>24}{'band':>24}")
        for a in rows:
            band = "" if a.band_low is None else f"{_f(a.band_low)} to {_f(a.band_high)}"
            interval = f"{_f(a.ci_low)} to {_f(a.ci_high)}"
            say(f"{a.key!s:>4}{_f(a.effect):>10}{interval:>24}{band:>24}")
    for s in r.suppressed:
        where = f"cohort {s.cohort}" + (f", period {s.period}" if s.period is not None else "")
        say(f"withheld: {where}: {s.reason}")
    for reason, count in r.dropped.items():
        say(f"left out: {count} people ({reason})")
    say("Assumptions: " + "; ".join(_short(a) for a in _assumptions()))


def _assumptions() -> tuple[str, ...]:
    from communitykit.impact import ASSUMPTIONS

    return ASSUMPTIONS


def _short(text: str) -> str:
    return text.split(":", 1)[0]


def _chart(r: ImpactResult, path: str) -> None:
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        msg = "--chart needs matplotlib: pip install 'communitykit[report]'"
        raise ConfigError(msg) from None
    fig, axes = plt.subplots(
        len(r.outcomes), 1, figsize=(6.4, 3.2 * len(r.outcomes)), squeeze=False
    )
    for ax, name in zip(axes[:, 0], r.outcomes, strict=True):
        r.plot(name, ax=ax)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
