"""
``communitykit benefits``: business benefit from use cases, with a Monte Carlo.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from communitykit.cli._common import dump_json

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``benefits`` subcommand."""
    parser = subparsers.add_parser(
        "benefits",
        help="business benefit and ROI from use cases (seeded Monte Carlo)",
        description=(
            "Compute the benefit per period of each use case and simulate benefit and ROI "
            "percentiles from the low / most likely / high ranges."
        ),
    )
    parser.add_argument("usecases", metavar="USECASES.toml", help="the use-case file")
    parser.add_argument("--runs", type=int, default=10_000, metavar="N", help="draws (10000)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed (0)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _money(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:,.0f}"


def run(args: argparse.Namespace) -> int:
    """Load, simulate and print."""
    from communitykit.frameworks import BenefitCase

    case = BenefitCase.from_toml(args.usecases)
    sim = case.simulate(args.runs, seed=args.seed)
    if args.json:
        out = case.to_dict()
        out["simulation"] = sim.to_dict()
        dump_json(out)
        return 0
    print(f"{case.name} (per {case.period}, {case.currency})")
    for u in case.use_cases:
        print(
            f"  {u.id:<20} most likely {_money(u.benefit()):>12}   "
            f"expected {_money(u.expected_benefit()):>12}   simulated mean "
            f"{_money(sim.by_use_case[u.id]):>12}"
        )
    print(f"  {'total':<20} most likely {_money(case.benefit()):>12}")
    print(f"costs: {case.costs.low:,.0f} / {case.costs.mode:,.0f} / {case.costs.high:,.0f}")
    print(
        f"Monte Carlo ({sim.runs:,} runs, seed {args.seed}): benefit "
        + ", ".join(f"{k} {_money(v)}" for k, v in sim.benefit.items())
    )
    if not math.isnan(sim.roi_mean):
        print(
            "  ROI "
            + ", ".join(f"{k} {v:.2f}" for k, v in sim.roi.items())
            + f"; P(ROI > 0) = {sim.p_positive_roi:.2f}"
        )
    est = case.estimated_story_impact()
    if est["stories"]:
        print(
            f"stories: {est['stories']} ({est['stories_with_estimate']} with an estimate); "
            f"{est['label']}: {_money(est['total'])} {est['currency']}"
        )
    return 0
