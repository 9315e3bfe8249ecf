"""
``communitykit survey``: summarise Likert survey answers.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from communitykit.cli._common import dump_json

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``survey`` subcommand."""
    parser = subparsers.add_parser(
        "survey",
        help="summarise Likert survey answers (items, alpha, trend, would recommend)",
        description=(
            "Read one respondent per row (item columns hold the answer codes) and report per-item "
            "statistics, Cronbach's alpha, the would-recommend share and a trend per group."
        ),
    )
    parser.add_argument("responses", metavar="RESPONSES.csv", help="the answers")
    parser.add_argument("--scale", type=int, default=5, metavar="N", help="points (default 5)")
    parser.add_argument(
        "--reverse",
        action="append",
        default=[],
        metavar="ITEM",
        help="a reverse-coded item; repeatable",
    )
    parser.add_argument("--group", default="group", metavar="COLUMN", help="group column")
    parser.add_argument("--time", default="time", metavar="COLUMN", help="time column")
    parser.add_argument("--period", default="week", metavar="P", help="trend period (week)")
    parser.add_argument("--recommend", metavar="ITEM", help="the would-you-recommend item")
    parser.add_argument("--tz", metavar="TZ", help="time zone for times without an offset")
    parser.add_argument("--min-group-size", type=int, default=5, metavar="N")
    parser.add_argument("--rejects", metavar="FILE", help="write rejected rows to this CSV")
    parser.add_argument("--strict", action="store_true", help="fail on the first bad rows")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def run(args: argparse.Namespace) -> int:
    """Read, summarise and print."""
    from communitykit.survey import LikertScale, read_responses, summarize, trend

    scale = LikertScale(args.scale, reverse=args.reverse)
    res = read_responses(
        args.responses,
        scale=scale,
        group=args.group,
        time=args.time,
        tz=args.tz,
        strict=args.strict,
    )
    if args.rejects:
        res.write_rejects(args.rejects)
    for reject in res.rejects[:5]:
        print(f"communitykit: {args.responses}: {reject}", file=sys.stderr)
    r = res.responses
    summary = summarize(r, recommend_item=args.recommend, min_group_size=args.min_group_size)
    points = (
        trend(r, period=args.period, min_group_size=args.min_group_size)
        if r.time is not None and r.n_respondents
        else ()
    )
    if args.json:
        out = summary.to_dict()
        out["trend"] = [p.to_dict() for p in points]
        out["rows_read"] = res.rows_read
        out["rejects"] = len(res.rejects)
        dump_json(out)
        return 0
    print(f"{r.n_respondents} respondents ({len(res.rejects)} rows rejected)")
    print(
        f"{'item':<24}{'n':>5}{'mean':>7}{'median':>8}{'sd':>6}{'top2':>7}{'bottom2':>8}{'net':>7}"
    )
    for s in summary.items:
        print(
            f"{s.item[:23]:<24}{s.n:>5}{_f(s.mean):>7}{_f(s.median, 1):>8}{_f(s.sd):>6}"
            f"{_f(s.top_box):>7}{_f(s.bottom_box):>8}{_f(s.net):>7}"
        )
    print("Cronbach's alpha: " + ", ".join(f"{k} {_f(v)}" for k, v in summary.alpha.items()))
    if summary.recommend is not None:
        print(f"would recommend: {_f(summary.recommend, 1)} %")
    if points:
        print(f"trend per {args.period}:")
        for p in points:
            print(
                f"  {p.group:<16} {str(p.period_start)[:10]}  n {p.respondents:>3}  "
                f"mean {_f(p.mean)}  change {_f(p.change)}"
                + ("  (suppressed)" if p.suppressed else "")
            )
    return 0
