"""
``communitykit wissensbilanz``: analyse an intellectual capital statement.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys

from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    emit,
    json_text,
    output_format,
)
from communitykit.errors import ConfigError

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
    """Add the ``wissensbilanz`` subcommand."""
    parser = subparsers.add_parser(
        "wissensbilanz",
        help="analyse a Wissensbilanz (QQS, impact matrix, potential portfolio)",
        description=(
            "Compute factor scores, active and passive sums, influence weights, Vester roles and "
            "the potential portfolio of a Wissensbilanz file."
        ),
    )
    parser.add_argument(
        "ics", nargs="?", metavar="ICS.toml", help="the Wissensbilanz file (or --demo)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the Wissensbilanz of the built-in 'community-of-practice' model",
    )
    add_output_arguments(parser, ("text", "json"))
    parser.add_argument("--plot", metavar="FILE.svg", help="draw the potential portfolio")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, analyse, print and optionally plot."""
    from communitykit.frameworks import Wissensbilanz

    if args.demo == bool(args.ics):
        msg = "give ICS.toml or --demo" + (", not both" if args.demo else "")
        raise ConfigError(msg)
    if args.demo:
        from communitykit.measurement import MeasurementModel

        demo_wb = MeasurementModel.builtin("community-of-practice").wissensbilanz
        if demo_wb is None:  # pragma: no cover - the built-in model has one
            msg = "the built-in 'community-of-practice' model has no Wissensbilanz"
            raise ConfigError(msg)
        wb = demo_wb
    else:
        wb = Wissensbilanz.from_toml(args.ics)
    result = wb.evaluate()
    if args.plot:
        wb.plot_portfolio(path=args.plot)
        print(f"wrote the potential portfolio to {args.plot}", file=sys.stderr)
    if output_format(args) == "json":
        out = result.to_mapping()
        out["impacts"] = [
            {"from": u, "to": v, "strength": d["weight"], "lag": d["lag"]}
            for u, v, d in wb.network().edges(data=True)
        ]
        emit(args, json_text(out, kind="wissensbilanz"))
    else:
        emit(args, result.to_text())
    return 0
