"""
``communitykit survey``: summarise Likert survey answers.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Any

import attrs

from communitykit._time import wall_time
from communitykit.cli._common import (
    Subcommands,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    add_reading_arguments,
    check_read,
    emit,
    json_text,
    output_format,
    write_rejects,
)
from communitykit.errors import ConfigError, DataError

if TYPE_CHECKING:
    from communitykit.survey import LikertScale, SurveyReadResult

__all__ = ["read_survey", "register", "run"]

_EVENT_COLUMNS = frozenset({"actor", "action"})


def read_survey(
    path: str, *, args: argparse.Namespace | None = None, **options: Any
) -> SurveyReadResult:
    """
    Read survey answers for the command line; a file without one usable respondent is an error.

    An event file given as a survey (it has ``actor`` and ``action`` columns) is named as such.
    With *args*, the reading options of every reader apply (``--rejects``, ``--raw-cells``,
    ``--strict``, ``--max-rejected``: :func:`~communitykit.cli._common.check_read`).
    """
    from communitykit.survey import read_responses

    res = read_responses(path, **options)
    if args is not None:
        write_rejects(res, args)
    if res.responses.n_respondents:
        if args is not None:
            check_read(res, args, accepted=res.responses.n_respondents)
        return res
    columns = {c.strip().lower() for c in (*res.responses.items, "")}
    if columns >= _EVENT_COLUMNS:
        msg = (
            f"{path!r} looks like an event file (it has actor and action columns), not survey "
            "answers: a survey has one respondent per row and one column per item"
        )
    else:
        first = f"; first: {res.rejects[0]}" if res.rejects else ""
        msg = (
            f"no usable survey answers in {path!r}: {res.rows_read:,} rows read, "
            f"{len(res.rejects):,} rejected{first}"
        )
    raise DataError(msg)


def register(subparsers: Subcommands) -> None:
    """Add the ``survey`` subcommand."""
    parser = subparsers.add_parser(
        "survey",
        help="summarise Likert survey answers (items, alpha, trend, would recommend)",
        description=(
            "Read one respondent per row (item columns hold the answer codes) and report per-item "
            "statistics, Cronbach's alpha, the would-recommend share and a trend per group."
        ),
    )
    parser.add_argument(
        "responses", nargs="?", metavar="RESPONSES.csv", help="the answers (or --demo)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="use seeded example answers of a WOL circle survey"
    )
    parser.add_argument(
        "--scale",
        default="5",
        metavar="N|nps",
        help=(
            "points of the scale (default 5), or 'nps' for the 0-10 Net Promoter scale "
            "(promoters 9-10, detractors 0-6)"
        ),
    )
    parser.add_argument(
        "--min",
        dest="scale_min",
        type=int,
        metavar="K",
        help="the lowest answer code (default 1; 0 for a 0-10 scale); not with --scale nps",
    )
    parser.add_argument(
        "--reverse",
        action="append",
        default=[],
        metavar="ITEM",
        help="a reverse-coded item; repeatable",
    )
    parser.add_argument("--group", default="group", metavar="COLUMN", help="group column")
    parser.add_argument("--time", default="time", metavar="COLUMN", help="time column")
    add_period_argument(parser, default="week", help="length of each trend period", period_tz=True)
    parser.add_argument("--recommend", metavar="ITEM", help="the would-you-recommend item")
    add_min_group_size_argument(parser)
    add_reading_arguments(parser)
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def _scale(text: str, low: int | None, reverse: list[str]) -> LikertScale:
    """The scale named by ``--scale`` and ``--min``."""
    from communitykit.survey import LikertScale

    if text.strip().lower() == "nps":
        if low not in (None, 0):
            msg = f"--scale nps runs from 0 to 10; --min {low} does not fit it"
            raise ConfigError(msg)
        return attrs.evolve(LikertScale.nps(), reverse=reverse)
    try:
        points = int(text)
    except ValueError:
        msg = f"--scale {text!r}: give the number of points (e.g. 5, 7, 11) or 'nps'"
        raise ConfigError(msg) from None
    if points < 2:
        msg = f"--scale {points}: a scale needs at least 2 points"
        raise ConfigError(msg)
    return LikertScale(points, start=1 if low is None else low, reverse=reverse)


def run(args: argparse.Namespace) -> int:
    """Read, summarise and print."""
    from communitykit.survey import SurveyReadResult, summarize, synthetic_responses, trend

    scale = _scale(args.scale, args.scale_min, args.reverse)
    if args.demo:
        if args.responses:
            msg = "give either RESPONSES.csv or --demo, not both"
            raise ConfigError(msg)
        answers = synthetic_responses(seed=0)
        res = SurveyReadResult(answers, rows_read=answers.n_respondents, source="demo")
    elif not args.responses:
        msg = "give RESPONSES.csv (one respondent per row) or --demo"
        raise ConfigError(msg)
    else:
        res = read_survey(
            args.responses,
            scale=scale,
            group=args.group,
            time=args.time,
            tz=args.tz,
            args=args,
        )
    for reject in res.rejects[:5]:
        print(f"communitykit: {res.source}: {reject}", file=sys.stderr)
    r = res.responses
    summary = summarize(r, recommend_item=args.recommend, min_group_size=args.min_group_size)
    points = (
        trend(
            r,
            period=args.period,
            period_tz=args.period_tz,
            min_group_size=args.min_group_size,
        )
        if r.time is not None and r.n_respondents
        else ()
    )
    nps = None
    if args.scale.strip().lower() == "nps":
        # the Net Promoter Score: % promoters (9-10) - % detractors (0-6)
        nps = {
            i.item: None if math.isnan(i.net) else round(100.0 * i.net, 1) for i in summary.items
        }
    if output_format(args) == "json":
        out = summary.to_mapping()
        if nps is not None:
            out["nps"] = nps
        out["trend"] = [p.to_mapping() for p in points]
        out["rows_read"] = res.rows_read
        out["rejects"] = len(res.rejects)
        emit(args, json_text(out, kind="survey"))
        return 0
    lines: list[str] = []
    say = lines.append
    say(f"{r.n_respondents} respondents ({len(res.rejects)} rows rejected)")
    say(f"{'item':<24}{'n':>5}{'mean':>7}{'median':>8}{'sd':>6}{'top2':>7}{'bottom2':>8}{'net':>7}")
    hidden = f"<{args.min_group_size}"  # a suppressed count is not shown
    for s in summary.items:
        say(
            f"{s.item[:23]:<24}{hidden if s.n is None else s.n:>5}"
            f"{_f(s.mean):>7}{_f(s.median, 1):>8}{_f(s.sd):>6}"
            f"{_f(s.top_box):>7}{_f(s.bottom_box):>8}{_f(s.net):>7}"
        )
    say("Cronbach's alpha: " + ", ".join(f"{k} {_f(v)}" for k, v in summary.alpha.items()))
    if summary.recommend is not None:
        say(f"would recommend: {_f(summary.recommend, 1)} %")
    if nps is not None:
        say(
            "Net Promoter Score: "
            + ", ".join(f"{k} {'n/a' if v is None else f'{v:+g}'}" for k, v in nps.items())
        )
    if points:
        say(f"trend per {args.period}:")
        for p in points:
            say(
                f"  {p.group:<16} {str(wall_time(p.period_start, args.period_tz))[:10]}  "
                f"n {hidden if p.respondents is None else p.respondents:>3}  "
                f"mean {_f(p.mean)}  change {_f(p.change)}"
                + ("  (suppressed)" if p.suppressed else "")
            )
    emit(args, "\n".join(lines))
    return 0
