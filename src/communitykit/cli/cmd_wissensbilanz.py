"""
``communitykit wissensbilanz``: analyse an intellectual capital statement.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from communitykit.cli._common import dump_json

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``wissensbilanz`` subcommand."""
    parser = subparsers.add_parser(
        "wissensbilanz",
        help="analyse a Wissensbilanz (QQS, impact matrix, potential portfolio)",
        description=(
            "Compute factor scores, active and passive sums, influence weights, Vester roles and "
            "the potential portfolio of a Wissensbilanz file."
        ),
    )
    parser.add_argument("ics", metavar="ICS.toml", help="the Wissensbilanz file")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--plot", metavar="FILE.svg", help="draw the potential portfolio")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, analyse, print and optionally plot."""
    from communitykit.frameworks import Wissensbilanz

    wb = Wissensbilanz.from_toml(args.ics)
    result = wb.evaluate()
    if args.plot:
        wb.plot_portfolio(path=args.plot)
        print(f"wrote the potential portfolio to {args.plot}", file=sys.stderr)
    if args.json:
        out = result.to_dict()
        out["impacts"] = [
            {"from": u, "to": v, "strength": d["weight"], "lag": d["lag"]}
            for u, v, d in wb.network().edges(data=True)
        ]
        dump_json(out)
    else:
        print(result.to_text())
    return 0
